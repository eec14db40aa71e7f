"""地区对比 Compare: 2–8 districts or projects side by side, like for like.

Deep links: ``compare?districts=990101,990102`` or ``compare?projects=a,b,c`` (plus ``year``,
``metric``, ``level``, ``all=1``). What it draws is made by the page models of perfeval.views.compare;
this page holds the widgets and the URL, and draws.
"""
import streamlit as st

from perfeval.text import glossary as terms
from perfeval.ui import common, plot, state
from perfeval.ui.url_widgets import UrlWidgets, int_or_none
from perfeval.views import compare as view
from perfeval.views.compare import MAX_UNITS, MIN_UNITS

t = state.tr()
args = {"filters": state.filters(), "lang": state.lang()}
url, ss, ALL = UrlWidgets("_cmp_url_"), st.session_state, view.YEAR_ALL
head = st.container()  # title and data note, drawn once the units are known
TITLE = t("地区对比", "Compare districts and projects")

# -- what to compare --------------------------------------------------------------------------------
MODES = {"districts": t("按地区", "Districts"), "projects": t("按项目", "Projects")}
if url.new("projects"):
    ss["w_cmp_mode"] = "projects"
    if st.query_params.get("year") is None:  # linked projects may span years
        ss["w_cmp_year"] = ALL
elif url.new("districts"):
    ss["w_cmp_mode"] = "districts"
c1, c2, c3 = st.columns([1.2, 1, 1.6])
mode = c1.radio(t("对比对象", "Compare"), list(MODES), format_func=MODES.get, horizontal=True, key="w_cmp_mode")
o = state.model(view.options, **args)
url.to_state("metric", "w_cmp_metric", str)
if ss.get("w_cmp_metric") not in o["metrics"]:
    ss["w_cmp_metric"] = o["default_metric"]
metric = c3.selectbox(t("每万元成效指标", "Outcome per 10k CNY"), list(o["metrics"]) or [None], key="w_cmp_metric",
                      format_func=lambda k: o["metric_names"].get(k, t("无", "none")),
                      help=t("成效数值 ÷ 实际支出（万元）；仅计数量与金额类指标。",
                             "outcome ÷ spending (10k CNY); counts and amounts only."))
if o["empty"]:
    with head:
        common.page_header(TITLE)
    st.info(t(terms.NO_PROJECT_MATCHES))
    st.stop()
url.to_state("year", "w_cmp_year", lambda v: ALL if v == ALL else int_or_none(v))
if ss.get("w_cmp_year") not in [ALL, *o["years"]]:
    ss["w_cmp_year"] = o["default_year"] or ALL
year_choice = c2.selectbox(t("评价年度", "Year"), [*o["years"], ALL][::-1], key="w_cmp_year",
                           format_func=lambda y: t("全部年度", "All years") if y == ALL else str(y),
                           help=t("项目的预算年度（评价期起始年）。", "The project's budget year (start of the period)."))
year = None if year_choice == ALL else int(year_choice)
LEVELS = {k: t(pair) for k, pair in view.LEVELS.items()}
url.to_state("level", "w_cmp_level", lambda v: int_or_none(v) if int_or_none(v) in LEVELS else 1)
ss.setdefault("w_cmp_level", 1)
url.to_state("all", "w_cmp_all", lambda v: v == "1")

# -- the pool of peers and the chosen units (the URL parameter of a mode is named as the mode) ----------
p = state.model(view.pool, mode=mode, year=year, metric=metric, **args)
labels, key = p["labels"], f"w_cmp_units_{mode}"
rejected = url.ids_to_state(mode, key, labels, MAX_UNITS)  # the link's unknown ids, named below
if key not in ss:  # none chosen yet: the defaults
    ss[key] = p["defaults"]
ss[key] = [u for u in ss[key] if u in labels][:MAX_UNITS]
with head:
    common.page_header(TITLE, kinds=p["kinds"])
chosen = st.multiselect(p["choose"], list(labels), format_func=labels.__getitem__, key=key,
                        max_selections=MAX_UNITS)
if rejected:
    st.warning(view.rejected_warning(tuple(rejected), args["lang"]))
url.write({mode: ",".join(chosen), "year": year_choice, "metric": metric,
           "level": None if ss["w_cmp_level"] == 1 else ss["w_cmp_level"], "all": "1" if ss.get("w_cmp_all") else None},
          (mode, "year", "metric", "level", "all"))
if len(chosen) < MIN_UNITS:
    st.info(p["too_few"])
    st.stop()

# -- like for like, side by side ------------------------------------------------------------------------
c4, c5, c6 = st.columns([1.4, 1.4, 1])
level = c4.radio(t("指标层级", "Indicator level"), list(LEVELS), format_func=LEVELS.get, horizontal=True,
                 key="w_cmp_level")
show_all = c5.toggle(t("显示全部指标（含非共有指标）", "Show all indicators (not only shared ones)"), key="w_cmp_all")
style = c6.radio(t("图形", "Chart"), ["bars", "radar"], horizontal=True, key="w_cmp_chart",
                 format_func=lambda s: t("柱状图", "bars") if s == "bars" else t("雷达图", "radar"))
v = state.model(view.build, links=state.links(), mode=mode, year=year, metric=metric, level=level,
                show_all=show_all, style=style, chosen=tuple(chosen), **args)
for w in v["warnings"]:
    st.warning(w)
st.subheader(v["rates_title"])
if v["rates_chart"] is None:
    st.info(v["rates_info"])
else:
    if v["rates_note"]:
        st.caption(v["rates_note"])
    plot.chart(v["rates_chart"])

# -- ranking, percentiles among peers and outliers -------------------------------------------------------
Num, Text, Link = st.column_config.NumberColumn, st.column_config.TextColumn, st.column_config.LinkColumn
SCORECARD = Link(t(terms.SCORECARD), display_text=t(terms.OPEN))
# the columns the tables share (each table has some of them)
COLS = {"rank": Num(t(terms.RANK)), "exec_pct": t("预算执行率", "Execution"), "per_wan": v["per_wan"],
        "sat_pct": t(terms.SATISFACTION), "year": Num(t(terms.YEAR), format="%d"),
        "reported_grade": t(terms.GRADE), "reported_total_score": t(terms.SCORE)}


def table(df, **config) -> None:
    """``df`` across the page, its columns labelled by `COLS` and ``config`` (of those it has)."""
    common.table(df, column_config={k: c for k, c in {**COLS, **config}.items() if k in df.columns})


st.subheader(t("排名", "Ranking"))
if mode == "districts":
    table(v["ranking"], unit_label=t(terms.DISTRICT), projects=Num(t(terms.PROJECTS)), grades=t(terms.GRADES),
          mean_score=Num(t(terms.MEAN_SCORE), format="%.2f"),
          link=Link(t("项目", "Projects"), display_text=t("查看项目 ›", "projects ›")))
else:
    table(v["ranking"], display_name=Text(t(terms.PROJECT), width="large"), region_short=t(terms.REGION),
          score=t(terms.SCORE), link=SCORECARD)
st.caption(v["ranking_note"])
st.subheader(t("同类百分位与离群值", "Percentile among peers and outliers"))
plot.chart(v["percentiles"])
st.caption(v["percentiles_note"] + (" " + v["shared_note"] if v["shared_note"] else ""))
if v["outliers"]:
    st.markdown(v["outliers"])
else:
    st.caption(v["outliers_note"])

# -- year on year; drill down: district → its projects → a project's scorecard ----------------------------
st.subheader(t("同比变化", "Year on year"))
if v["yoy"] is None:
    st.info(v["yoy_info"])
else:
    table(v["yoy"], name=Text(t(terms.PROJECT), width="medium"), link=SCORECARD,
          change_reported_total_score=Num(t("同比（分）", "YoY (points)"), format="%+.2f"),
          exec_pct=Num(t(terms.EXECUTION), format="%.2f%%"),
          change_exec_pp=Num(t("同比（百分点）", "YoY (pp)"), format="%+.2f"),
          change_outcome_per_wan=Num(t("每万元成效同比", "YoY outcome per 10k"), format="%+.2f"))
    if v["yoy_chart"]:
        plot.chart(v["yoy_chart"])
    else:
        st.caption(v["yoy_note"])
if mode == "districts":
    st.subheader(t("下钻：地区 → 项目 → 评分卡", "Drill down: district → projects → scorecard"))
    drill = st.selectbox(t(terms.DISTRICT), chosen, format_func=lambda u: labels.get(u, u), key="w_cmp_drill")
    table(v["drill"][drill], display_name=Text(t(terms.PROJECT), width="large"), category=t(terms.CATEGORY),
          exec_pct=t(terms.EXECUTION), link=SCORECARD)
    if v["drill_links"][drill]:
        st.markdown(f"[{t('对比该地区的项目 ›', 'Compare the projects of this district ›')}]({v['drill_links'][drill]})")
