"""What the browser tests visit: the routed pages (perfeval.pages.PAGES, which app.py routes), the seed
projects and the figures each page must show for them (taken from the reports; the AppTests check the
same ones)."""
from __future__ import annotations

from perfeval.config import ROOT
from perfeval.pages import Page, routed_pages  # noqa: F401 - the pages' list lives in perfeval.pages


def page_files() -> list[str]:
    """Every page file in app_pages/ (relative paths), routed or not."""
    return sorted(f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py") if not p.name.startswith("_"))


TJ = "tj-2022-fraud-ops"
FT = "ft-2021-2023-anti-fraud-service"
TS = "ts-2021-security-informatization"
SEEDS = {
    TJ: "2022年电诈运行保障经费",
    FT: "福田区反诈骗服务项目",
    TS: "天水市公安局2021年社会治安防控体系信息化建设项目",
}

# Figures a page must show for a project opened by ?project=<id>, as the reports state them:
# (metric label, value) pairs and texts that must appear. Pages not listed here are still loaded
# for every seed project and checked for errors.
KEY_FIGURES: dict[tuple[str, str], dict] = {
    ("project", TJ): {"title": SEEDS[TJ], "metrics": {"报告总分": "91.5", "预算执行率": "71.72%"},
                      "texts": ["资金数据截至 2023-06-30"]},
    ("project", FT): {"title": SEEDS[FT], "metrics": {"报告总分": "98.94"}, "texts": []},
    ("project", TS): {"title": SEEDS[TS], "metrics": {"报告总分": "82.06", "预算（万元）": "未披露"},
                      "texts": []},
    ("budget", TJ): {"metrics": {"预算（万元）": "1,150", "实际支出（万元）": "824.81", "结余（万元）": "325.19",
                                 "预算执行率": "71.72%"}, "texts": ["截至 2023-06-30"]},
    ("budget", FT): {"metrics": {"预算（万元）": "3,715.28", "预算执行率": "98.89%"}, "texts": []},
    ("budget", TS): {"metrics": {"预算（万元）": "未披露", "实际支出（万元）": "866.47", "预算执行率": "108.31%"},
                     "texts": []},
    # outcome cards keep the reports' qualifiers (余 / 近)
    ("outcomes", TJ): {"metrics": {"拦截涉诈通话": "2,600万余条", "成功劝阻潜在受骗人": "近1,200万人次",
                                   "紧急止付资金": "5,800余万元"}},
    ("outcomes", TS): {"metrics": {"电诈案件发案数同比下降率": "53.50%", "命案同比下降率": "45.45%"}},
    ("satisfaction", TS): {"metrics": {"发放问卷": "330", "有效问卷": "323", "有效率": "97.88%", "满意度": "51.39%"}},
    ("satisfaction", TJ): {"metrics": {"满意度": "大于95分", "发放问卷": "未披露"}},
    ("satisfaction", FT): {"metrics": {"满意度": "未披露"}},
}
