"""The overview's elements with none of its work: what Streamlit alone costs a page of that shape.

The same kinds and numbers of elements as the overview at 100 000 projects (counted in its AppTest run):
the sidebar's language switch, header and five filters, a warning, a download button, six metric cards, a
500 × 12 table and a 3 720 × 9 one of text, five charts drawn by perfeval.ui.plot, a select box and a
button, three subheaders, eight captions and three markdown blocks. Everything is made once per process
(``st.cache_resource``, no copy on a hit) and no query runs, so a rerun is only Streamlit building,
serialising and (in a browser) drawing those elements. The bench times it beside the hello-world page,
as the floor a page of the overview's shape cannot go under (bench/measure_pages.py,
bench/measure_browser.py). bench/static links to the app's static/ folder, which Streamlit serves
beside the main script (the charts' plotly.js build).
"""
import contextlib
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from perfeval.ui import plot  # noqa: E402

# the overview's tables at 100 000 projects: the ranked projects (first 500) and every district
RANKED = (500, 12)
DISTRICTS = (3720, 9)
CHARTS = 5


@st.cache_resource
def prepared() -> dict:
    def table(rows: int, cols: int) -> pd.DataFrame:
        return pd.DataFrame({f"列{c}": [f"示例{c}-{r}" for r in range(rows)] for c in range(cols)})

    def spec(i: int) -> str:  # a horizontal bar chart of 20 regions, two series, as the district charts
        units = [f"示例{i}区{u:02d}" for u in range(20)]
        return json.dumps({
            "data": [{"type": "bar", "orientation": "h", "y": units, "x": [100 + u * 7 + k for u in range(20)],
                      "name": f"系列{k}", "text": [f"{100 + u * 7 + k}" for u in range(20)]} for k in range(2)],
            "layout": {"title": {"text": f"图{i}"}, "height": 420, "barmode": "group",
                       "yaxis": {"autorange": "reversed"}},
        }, ensure_ascii=False)

    return {"ranked": table(*RANKED), "districts": table(*DISTRICTS), "specs": [spec(i) for i in range(CHARTS)]}


def chart(i: int, where=None) -> None:
    data = {"spec": p["specs"][i], "bundle": plot.BUNDLE, "base": "/", "fullscreen": "全屏",
            "icon": plot._FULLSCREEN_ICON}
    with where if where is not None else contextlib.nullcontext():
        plot._component(key=f"shape_chart_{i}", data=data, width="stretch", height="content")


p = prepared()
with st.sidebar:
    st.header("筛选")
    st.radio("语言", ["中文", "English"], key="lang")
    st.selectbox("地区", ["全部地区", "示例一区"], key="region")
    st.slider("评价期（年）", 2019, 2025, (2019, 2025), key="years")
    st.selectbox("项目类别", ["全部类别"], key="category")
    st.selectbox("评价方式", ["全部"], key="evaluator")
    st.toggle("显示示例数据", key="demo")
st.title("项目绩效评价总览")
st.caption("数据来源：示例")
st.warning("示例数据：本页图表均为示例。")
st.download_button("下载汇报材料（PPTX）", data=b"", file_name="deck.pptx", key="deck")
for row in range(2):
    for i, c in enumerate(st.columns(3)):
        c.metric(f"指标{row}{i}", "45,240.49", help="说明" if i == 2 else None)
st.caption("评价等级：优 50　良 15")
st.subheader("项目排名")
st.dataframe(p["ranked"], hide_index=True, width="stretch")
st.caption("按得分显示前 500 个。")
c1, c2 = st.columns([3, 1])
c1.selectbox("打开项目详情", list(range(RANKED[0])), key="open")
c2.button("打开", key="open_button")
st.subheader("地区对比")
st.markdown("[在地区对比页打开前 8 个地区 ›](compare)")
st.dataframe(p["districts"], hide_index=True, width="stretch")
st.caption("按平均报告总分排序。")
box = st.container()
box.markdown("**落后地区（及落后方面）**")
c1, c2 = st.columns(2)
chart(0, c1)
chart(1, c2)
st.caption("图中为排名前 20 的地区。")
with box:
    st.markdown("\n".join(f"- 示例{i}区：过程得分率 71.2%（中位数 92.2%）" for i in range(10)))
    st.caption("共 100 个地区落后。")
    st.caption("落后：低于同类地区中位数 5 个百分点以上。")
st.subheader("失分在哪里（所选项目）")
c1, c2 = st.columns(2)
chart(2, c1)
chart(3, c2)
st.caption("失分 = 分值 − 报告得分。")
chart(4)
