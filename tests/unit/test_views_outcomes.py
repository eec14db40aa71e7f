"""The outcomes page's models (perfeval.views.outcomes) over the bundled lake: the categories a selection
reports, the cards with the reports' qualifiers, trends, normalised figures, targets against actuals, capped
lists, and English."""
from __future__ import annotations

import json

from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from perfeval.domain import outcomes as domain
from perfeval.views import capped
from perfeval.views import outcomes as view
from perfeval.views.common import Filters
from tests.conftest import DATA

TJ = "tj-2022-fraud-ops"
FT = "ft-2021-2023-anti-fraud-service"
TS = "ts-2021-security-informatization"
ALL = Filters()


def figures(q, project_id, lang="zh", cats=None, max_rows=capped.MAX_ROWS):
    c = view.categories(q, filters=ALL, project_id=project_id, lang=lang)
    return view.figures(q, filters=ALL, project_id=project_id, lang=lang, max_rows=max_rows,
                        categories=tuple(cats or c["categories"]))


def targets(q, project_id, lang="zh", max_rows=capped.MAX_ROWS):
    return view.targets(q, filters=ALL, project_id=project_id, lang=lang, max_rows=max_rows)


def cards(v) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for _, rows in v["card_groups"]:
        for row in rows:
            assert 1 <= len(row) <= view.CARDS_PER_ROW
            for k in row:
                out.setdefault(k["label"], []).append(k["value"])
    return out


def test_categories_of_tianjin_in_the_domain_order(q):
    c = view.categories(q, filters=ALL, project_id=TJ, lang="zh")
    assert c["categories"] == [k for k in domain.CATEGORY_ORDER if k in c["categories"]]
    assert "拦截" in c["categories"] and "止付返还" in c["categories"]
    assert c["labels"]["拦截"] == "拦截" and c["empty"] is None and c["without"] is None
    en = view.categories(q, filters=ALL, project_id=TJ, lang="en")
    assert en["labels"]["止付返还"] == "Stop-payment and refunds"


def test_tianjin_cards_keep_the_qualifiers_and_both_statements(q):
    v = figures(q, TJ)
    got = cards(v)
    assert got["拦截涉诈通话"] == ["2,600万余条"]
    assert sorted(got["封堵涉诈域名网址"]) == sorted(["430万余个", "近440万个"])
    assert any("不相加" in note for note in v["card_notes"])
    assert list(v["table"].columns) == ["metric", "period", "value_s", "per_wan_s", "basis_s", "per_10k_s", "source_s"]
    assert set(v["table"]["source_s"]) == {"部门/财政评价"}  # the 天津 report is a 财政重点评价
    assert all(card["period"].endswith("部门/财政评价") for _, rows in v["card_groups"] for row in rows for card in row)
    assert "未披露人口" in v["table_note"] and v["capped_note"] is None


def test_category_choice_narrows_the_cards(q):
    v = figures(q, TJ, cats=("止付返还",))
    assert [label for label, _ in v["card_groups"]] == ["止付返还"]
    assert set(cards(v)) == {"紧急止付资金", "发还返还被骗资金", "获发还返还的被害人"}


def test_futian_trends_chart_and_direction_aware_delta(q):
    v = figures(q, FT)
    trend = json.loads(v["trends"])
    assert "接报诈骗警情同比下降率" in json.dumps(trend["layout"]["annotations"], ensure_ascii=False)
    assert v["trends_note"].startswith("绿色＝较上年向好")
    rate = next(k for _, rows in v["card_groups"] for row in rows for k in row if k["label"] == "国家反诈中心APP安装率")
    assert rate["value"] == "86.35%" and rate["delta"].startswith("+3.35") and rate["series"] == [0.81, 0.83, 0.8635]


def test_every_project_has_a_project_column_and_no_cards_beyond_the_limit(q):
    v = figures(q, None)   # the bundled selection: three reports and the demo projects
    assert v["table"].columns[0] == "short_name"
    assert v["card_groups"] == [] and "卡片只在 3 个项目以内显示" in v["card_notes"][0]
    three = view.figures(q, filters=ALL, project_id=None, lang="zh", categories=tuple(domain.CATEGORY_ORDER),
                         max_rows=capped.MAX_ROWS)
    assert len(three["table"]) == len(v["table"])


def test_three_reports_get_cards_named_by_project():
    gate = DataGate(Lake(DATA))

    def real(name, **params):
        return gate.query(name, Scope.everything(include_demo=False), **params)

    labels = cards(figures(real, None))
    assert any("（天津电诈运行保障经费）" in label for label in labels)
    assert any("（福田反诈骗服务 2021—2023）" in label for label in labels)


def test_futian_targets_and_the_disagreement_with_the_report(q):
    g = targets(q, FT)
    kpis = dict(g["kpis"])
    assert kpis["目标数"] == str(len(g["table"])) and kpis["与报告结论不一致"] == "2"
    by = {(n, y): v for n, y, v in zip(g["table"]["name"], g["table"]["year_s"], g["table"]["verdict_s"])}
    assert by[("反诈骗蓝马甲人员数", "2022")] == "❌ 未达成（报告结论：达成） ⚠️"
    assert by[("开展集中宣传场数", "2021")].startswith("✅")
    assert "short_name" not in g["table"].columns
    assert json.loads(g["chart"])["data"][0]["orientation"] == "h"
    assert g["disagree"].startswith("⚠️ 2 项目标") and g["capped_note"] is None


def test_tianshui_reports_no_targets(q):
    assert targets(q, TS) == {"empty": "报告未披露绩效目标（未披露）。"}
    assert targets(q, TS, "en")["empty"].startswith("No performance targets")


def test_a_selection_too_large_to_list_keeps_the_counts_and_lists_the_targets_not_met_first(q, tables):
    full = targets(q, None)
    g = targets(q, None, max_rows=5)
    assert g["kpis"] == full["kpis"]
    assert len(g["table"]) == 5 and all(v.startswith("❌") for v in g["table"]["verdict_s"])
    assert f"（共 {len(tables('targets')):,} 项目标）" in g["capped_note"]
    v = figures(q, None, max_rows=5)
    assert len(v["table"]) == 5 and "条成效数值）" in v["capped_note"]


def test_a_filter_that_selects_projects_without_figures_names_them(q):
    c = view.categories(q, filters=Filters(category="no-such-category"), project_id=None, lang="zh")
    assert c["categories"] == [] and c["empty"].startswith("所选项目的报告未披露成效指标")


def test_the_english_model_speaks_english(q):
    v = figures(q, TJ, lang="en")
    assert cards(v)["Intercepted fraud calls"] == ["over 26 million records"]
    assert v["card_notes"][0].startswith("Values keep the reports' qualifiers")
    assert "Population not reported" in v["table_note"]
    g = targets(q, FT, "en")
    assert [label for label, _ in g["kpis"]] == ["Targets", "Met", "Not met", "No verdict", "Differ from the report"]
    assert g["disagree"].startswith("⚠️ 2 targets")
