"""The PPTX decks (perfeval.decks): opened again with python-pptx, their slides, figures, charts, badges, fonts
and geometry checked against the queries and pure functions the pages use, over a copy of the bundled data."""
from __future__ import annotations

import datetime
import io
import re
import shutil

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from perfeval.decks import common as deck_common
from perfeval.decks import portfolio, slides
from perfeval.decks.project import project_deck
from perfeval.domain import compare
from perfeval.domain.portfolio import portfolio_kpis
from perfeval.text import fmt
from tests.conftest import DATA, ROOT
from tests.lakes import write_table
from tests.unit.test_queries import ind, project

NO_FILTERS = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)
NOW = datetime.datetime(2026, 11, 22, 9, 30)
SEEDS = {"tianshui": "ts-2021-security-informatization", "tianjin": "tj-2022-fraud-ops",
         "futian": "ft-2021-2023-anti-fraud-service"}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


# -- fixtures ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gate(tmp_path_factory) -> DataGate:
    """The bundled data, copied (the lake writes its derived indicator roll-up beside the data)."""
    root = tmp_path_factory.mktemp("export") / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("_derived"))
    return DataGate(Lake(root))


def querier(gate, include_demo: bool = True):
    scope = Scope.everything(include_demo=include_demo)
    return lambda name, **params: gate.query(name, scope, **params)


@pytest.fixture(scope="module")
def q(gate):
    return querier(gate)


@pytest.fixture(scope="module")
def decks(q):
    """The portfolio decks (zh, en) with the demonstration data, opened again."""
    return {lang: open_deck(portfolio.portfolio_deck(q, NO_FILTERS, lang, now=NOW)) for lang in ("zh", "en")}


@pytest.fixture(scope="module")
def project_decks(q):
    return {(seed, lang): open_deck(project_deck(q, pid, lang, now=NOW))
            for seed, pid in SEEDS.items() for lang in ("zh", "en")}


def open_deck(data: bytes):
    assert data[:2] == b"PK"
    return Presentation(io.BytesIO(data))


# -- reading a deck ---------------------------------------------------------------------------------------

def shape(slide, name):
    found = [s for s in slide.shapes if s.name == name]
    assert len(found) == 1, (name, [s.name for s in slide.shapes])
    return found[0]


def has_shape(slide, name) -> bool:
    return any(s.name == name for s in slide.shapes)


def texts(slide) -> list[str]:
    """Every text on a slide: text frames, table cells, chart categories and series names."""
    out = []
    for s in slide.shapes:
        if s.has_text_frame:
            out.append(s.text_frame.text)
        if s.has_table:
            out += [c.text for row in s.table.rows for c in row.cells]
        if s.has_chart:
            plot = s.chart.plots[0]
            out += [str(c) for c in plot.categories] + [ser.name for ser in plot.series]
    return out


def slide_text(slide) -> str:
    return "\n".join(texts(slide))


def chart(slide, name):
    return shape(slide, name).chart


def series_values(ch, i=0) -> list:
    return list(ch.plots[0].series[i].values)


def categories(ch) -> list[str]:
    return [str(c) for c in ch.plots[0].categories]


def card_value(slide, name) -> str:
    return shape(slide, f"kpi_{name}").text_frame.paragraphs[1].text


def table_rows(slide, name) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in shape(slide, name).table.rows]


def by_title(prs, title: str):
    found = [s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text == title]
    assert len(found) == 1, (title, [s.shapes.title.text for s in prs.slides])
    return found[0]


def all_decks(decks, project_decks):
    return list(decks.values()) + list(project_decks.values())


# -- the portfolio deck -----------------------------------------------------------------------------------

def test_portfolio_deck_has_ten_16_9_slides(decks):
    for prs in decks.values():
        assert len(prs.slides) == 10
        assert prs.slide_width * 9 == prs.slide_height * 16
        assert [s.shapes.title is not None for s in prs.slides] == [True] * 10


def test_key_figures_are_portfolio_kpis_formatted_as_on_the_page(decks, q):
    df = q("overview_projects", **NO_FILTERS)
    k = portfolio_kpis(df)
    for lang, prs in decks.items():
        s = prs.slides[1]
        assert card_value(s, "projects") == f"{k.projects:,}" == "67"
        assert card_value(s, "mean_score") == fmt.score(k.mean_score, lang)
        assert card_value(s, "execution_rate") == fmt.pct(k.execution_rate, lang)
        assert card_value(s, "budget") == fmt.number(k.budget, 2, lang)
        assert card_value(s, "received") == fmt.number(k.received, 2, lang)
        assert card_value(s, "spent") == fmt.number(k.spent, 2, lang)
        grades = "　".join(f"{g} {n}" for g, n in k.grade_counts.items())
        assert grades in shape(s, "grades").text_frame.text
    # the one project without a budget is counted, not summed as 0
    assert "1 个项目未披露预算" in shape(decks["zh"].slides[1], "kpi_budget").text_frame.text


def test_charts_hold_the_queries_values(decks, q):
    zh = decks["zh"]
    k = portfolio_kpis(q("overview_projects", **NO_FILTERS))
    grades = chart(zh.slides[2], "chart_grades")
    assert categories(grades) == ["优", "良", "中", "差"]
    assert series_values(grades) == [float(v) for v in k.grade_counts.values()]

    by_l1 = q("portfolio_points_lost_level1", **NO_FILTERS).sort_values("lost_per_project", ascending=False, kind="stable")
    lost = chart(zh.slides[5], "chart_level1_lost")
    assert categories(lost) == list(by_l1["dimension"])
    assert series_values(lost) == pytest.approx(list(by_l1["lost_per_project"]))
    assert categories(chart(decks["en"].slides[5], "chart_level1_lost")) == list(by_l1["dimension_en"])

    by_ind = q("portfolio_points_lost_indicators", **NO_FILTERS)
    top = by_ind[by_ind["points_lost"] > 0.005].head(deck_common.INDICATOR_BARS)
    ind_chart = chart(zh.slides[6], "chart_indicator_lost")
    assert series_values(ind_chart) == pytest.approx(list(top["points_lost"]))
    assert [c.split("（")[0] for c in categories(ind_chart)] == list(top["indicator"])

    summary = q("district_summary", year=None, metric_key=None, **NO_FILTERS)
    labels = compare.unique_region_labels(summary)
    ranked = chart(zh.slides[7], "chart_districts")
    assert categories(ranked) == labels[:portfolio.DISTRICT_BARS]
    assert series_values(ranked) == pytest.approx(list(summary["mean_score"].head(portfolio.DISTRICT_BARS)))
    money = chart(zh.slides[8], "chart_district_money")
    n = portfolio.DISTRICT_MONEY_BARS
    assert categories(money) == labels[:n]
    assert series_values(money, 0) == pytest.approx(list(summary["budget"].head(n)))
    assert series_values(money, 1) == pytest.approx(list(summary["spent"].head(n)))


def test_ranked_table_shows_the_overview_rows(decks, q):
    df = q("overview_projects", **NO_FILTERS)
    rows = table_rows(decks["zh"].slides[3], "table_ranked")
    assert rows[0][:4] == ["排名", "项目", "地区", "总分"]
    assert len(rows) == portfolio.RANKED_ROWS + 1
    top = df.head(portfolio.RANKED_ROWS)
    assert [r[3] for r in rows[1:]] == [f"{v:.2f}" for v in top["reported_total_score"]]
    assert [r[5] for r in rows[1:]] == [fmt.pct(v) for v in top["execution_rate"]]
    assert rows[1][1] == "福田区反诈骗服务项目" and rows[1][6] == "真实报告" and rows[2][6] == "示例"


def test_attention_slide_lists_the_lowest_scores_and_execution(decks, q):
    s = decks["zh"].slides[4]
    df = q("overview_projects", **NO_FILTERS).dropna(subset=["reported_total_score"])
    low = table_rows(s, "table_low_score")[1:]
    assert [r[1] for r in low] == [f"{v:.2f}" for v in df["reported_total_score"].tail(portfolio.ATTENTION_ROWS)[::-1]]
    att = q("budget_projects_attention", **NO_FILTERS, limit=portfolio.ATTENTION_ROWS)
    rows = table_rows(s, "table_low_execution")[1:]
    assert [r[1] for r in rows] == [fmt.pct(v) for v in att["execution_rate"].dropna()]
    assert "未披露" in [r[2] for r in rows] or att["as_of"].notna().all()  # a missing cut-off reads 未披露


def test_filters_reach_every_query(gate):
    calls = []

    def recording(name, **params):
        calls.append((name, params))
        return gate.query(name, Scope.everything(), **params)

    params = dict(NO_FILTERS, region="4403")
    prs = open_deck(portfolio.portfolio_deck(recording, params, "zh", filters_text="地区：深圳市", now=NOW))
    for name, p in calls:
        if "region" in p:
            assert {k: p[k] for k in NO_FILTERS} == params, name
    assert {n for n, p in calls if "region" in p} >= {"overview_projects", "district_summary",
                                                      "portfolio_points_lost_level1", "budget_projects_attention"}
    assert card_value(prs.slides[1], "projects") == "1"
    assert "地区：深圳市" in slide_text(prs.slides[0])
    assert "不足两个地区" in slide_text(prs.slides[7]) and "不足两个地区" in slide_text(prs.slides[8])
    assert len(prs.slides) == 10 and not any(has_shape(s, "demo_badge") for s in prs.slides)


def test_demo_rows_put_the_badge_on_every_slide(decks):
    for lang, prs in decks.items():
        want = "示例数据" if lang == "zh" else "示例数据 (demonstration data)"
        for s in prs.slides:
            assert shape(s, "demo_badge").text_frame.text == want
    assert "示例数据：本演示文稿含虚构地区的演示数据" in slide_text(decks["zh"].slides[0])


def test_without_demo_rows_there_is_no_badge(gate):
    q_real = querier(gate, include_demo=False)
    for lang in ("zh", "en"):
        prs = open_deck(portfolio.portfolio_deck(q_real, NO_FILTERS, lang, now=NOW))
        assert len(prs.slides) == 10
        assert card_value(prs.slides[1], "projects") == "3"
        for s in prs.slides:
            assert not has_shape(s, "demo_badge")
            assert "示例数据" not in slide_text(s)


def test_badge_words_are_the_pages():
    import inspect

    from perfeval.ui import common
    assert deck_common.DEMO_BADGE_ZH == common.DEMO_BADGE_ZH
    src = inspect.getsource(common.demo_badge_of)
    assert deck_common.GENERATED_ZH in src and deck_common.GENERATED_EN in src and "(demonstration data)" in src
    assert deck_common.badge_text({"report"}, "zh") is None
    assert deck_common.badge_text({"report", "generated"}, "zh") == "测试生成数据"
    assert deck_common.badge_text({"demo", "generated"}, "en") == "示例数据 (demonstration data) · Generated data"


def test_empty_selection_gives_a_deck_that_says_so(q):
    for lang, words in (("zh", "没有项目"), ("en", "No project matches")):
        prs = open_deck(portfolio.portfolio_deck(q, dict(NO_FILTERS, region="77"), lang, now=NOW))
        assert len(prs.slides) == 2
        assert words in slide_text(prs.slides[1])


def test_missing_values_read_not_reported(decks, project_decks):
    for prs in all_decks(decks, project_decks):
        for s in prs.slides:
            for text in texts(s):
                assert not re.search(r"\b(None|nan|NaN|NaT|<NA>)\b", text), text


# -- fonts, geometry, language ----------------------------------------------------------------------------

def _faces_ok(rpr) -> bool:
    faces = {child.tag: child.get("typeface") for child in rpr}
    return (faces.get(qn("a:ea")) == slides.FONT and faces.get(qn("a:latin")) == slides.FONT
            and faces.get(qn("a:cs")) == slides.FONT)


def test_every_run_and_chart_text_has_an_east_asian_face(decks, project_decks):
    for prs in all_decks(decks, project_decks):
        for s in prs.slides:
            runs = list(s._element.iter(qn("a:r")))
            assert runs
            for r in runs:
                rpr = r.find(qn("a:rPr"))
                assert rpr is not None and _faces_ok(rpr), r.findtext(qn("a:t"))
                assert rpr.find(qn("a:ea")).get("charset") == "-122"  # GB2312: a substitute is Simplified Chinese
            for sh in s.shapes:
                if sh.has_chart:
                    space = sh.chart._chartSpace
                    props = [e for tag in ("a:defRPr", "a:rPr") for e in space.iter(qn(tag))]
                    assert props and all(_faces_ok(e) for e in props)
        theme = prs.slide_master.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob.decode()
        assert '<a:ea typeface=""' not in theme and f'<a:ea typeface="{slides.FONT}"' in theme


COORDINATE = re.compile(r'\b(x|y|cx|cy|w|h|marL|marR|marT|marB|lIns|rIns|tIns|bIns)="-?\d+\.\d*"')


def test_nothing_extends_beyond_the_slide(decks, project_decks):
    for prs in all_decks(decks, project_decks):
        w, h = prs.slide_width, prs.slide_height
        for i, s in enumerate(prs.slides, 1):
            assert not COORDINATE.search(s.part.blob.decode()), i  # whole EMU only: a float makes PowerPoint repair

            for sh in s.shapes:
                assert sh.left >= 0 and sh.top >= 0, (i, sh.name)
                assert sh.left + sh.width <= w and sh.top + sh.height <= h, (i, sh.name)


def _run_size(p) -> float:
    sizes = [r.font.size.pt for r in p.runs if r.font.size is not None]
    return max(sizes) if sizes else slides.BODY_PT


def test_text_fits_its_box(decks, project_decks):
    """The estimate the deck cuts text with (conservative widths, exact line spacing) holds for what it wrote:
    every text box's lines fit its height, every table cell fits its column on one line."""
    for prs in all_decks(decks, project_decks):
        for i, s in enumerate(prs.slides, 1):
            for sh in s.shapes:
                if sh.has_text_frame and sh.text_frame.text.strip() and sh.name != "demo_badge":
                    tf = sh.text_frame
                    width = (sh.width - tf.margin_left - tf.margin_right) / 12700
                    height = (sh.height - tf.margin_top - tf.margin_bottom) / 12700
                    used = 0.0
                    for p in tf.paragraphs:
                        size = _run_size(p)
                        bold = any(r.font.bold for r in p.runs)
                        used += slides.lines_needed(p.text, width, size, bold) * size * slides.LINE
                        used += p.space_after.pt if p.space_after is not None else 0
                    assert used <= height + 1, (i, sh.name, tf.text[:60])
                if sh.has_table:
                    for row in list(sh.table.rows)[1:]:
                        for cell, col in zip(row.cells, sh.table.columns):
                            width = (col.width - cell.margin_left - cell.margin_right) / 12700
                            for p in cell.text_frame.paragraphs:
                                assert slides.text_width(p.text, _run_size(p)) <= width, (i, sh.name, p.text)


def test_body_text_is_large_enough_for_a_projector(decks, project_decks):
    for prs in all_decks(decks, project_decks):
        for s in prs.slides:
            for sh in s.shapes:
                if sh.has_text_frame and sh.name not in ("footer", "page_number"):
                    for p in sh.text_frame.paragraphs:
                        for r in p.runs:
                            assert r.font.size.pt >= slides.SMALL_PT, (sh.name, r.text)


def test_long_names_are_cut_with_an_ellipsis():
    name = "某某市公安局" * 20
    cut = slides.clip(name, 200, 16)
    assert cut.endswith("…") and slides.text_width(cut, 16) <= 200
    assert slides.clip("短名称", 200, 16) == "短名称"
    text = "一二三四五六七八九十" * 30
    assert slides.lines_needed(slides.fit_lines(text, 300, 14, 2), 300, 14) <= 2


def test_english_deck_titles_are_english(decks, project_decks):
    prs = decks["en"]
    for s in prs.slides:
        assert not CJK.search(s.shapes.title.text), s.shapes.title.text
        for sh in s.shapes:
            if sh.has_table:
                assert not CJK.search(" ".join(c.text for c in sh.table.rows[0].cells))
            if sh.has_chart:
                assert not any(CJK.search(ser.name) for ser in sh.chart.plots[0].series)
    for seed in SEEDS:
        for s in project_decks[(seed, "en")].slides:  # the title slide's title is the project's English name
            assert not CJK.search(s.shapes.title.text), (seed, s.shapes.title.text)


# -- the project deck -------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", list(SEEDS))
def test_project_deck_of_each_seed_project(project_decks, q, seed):
    pid = SEEDS[seed]
    facts = q("project_facts", project_id=pid).iloc[0]
    l1 = q("project_level1", project_id=pid)
    for lang in ("zh", "en"):
        prs = project_decks[(seed, lang)]
        assert 8 <= len(prs.slides) <= 10
        first = prs.slides[0].shapes.title.text
        assert first == (facts["name"] if lang == "zh" else facts["name_en"]) or first.endswith("…")
        assert not any(has_shape(s, "demo_badge") for s in prs.slides)
        key = prs.slides[1]
        assert card_value(key, "score") == fmt.score(facts["reported_total_score"], lang)
        assert card_value(key, "budget") == fmt.number(facts["budget"], 2, lang)
        assert card_value(key, "execution_rate") == fmt.pct(facts["execution_rate"], lang)
        score = by_title(prs, "得分与一级指标" if lang == "zh" else "Score and level-1 breakdown")
        if seed == "tianshui":  # only a total score: said so, nothing drawn for the breakdown
            assert l1.empty and not has_shape(score, "chart_level1")
            assert ("未披露" if lang == "zh" else "not reported") in slide_text(score)
            assert card_value(key, "budget") == fmt.not_reported(lang)
            assert series_values(chart(score, "chart_total")) == pytest.approx([facts["reported_total_score"]])
        else:
            ch = chart(score, "chart_level1")
            assert series_values(ch, 0) == pytest.approx(list(l1["weight"]))
            assert series_values(ch, 1) == pytest.approx(list(l1["reported_score"]))
        has_indicators = any(s.shapes.title.text in ("失分最多的指标", "Indicators losing the most points")
                             for s in prs.slides)
        assert has_indicators == (seed == "futian")  # 天津 reports level 1 only, 天水 no tree
        if seed == "tianjin":
            assert ("二、三级指标得分未披露" if lang == "zh" else "level-2 and level-3 scores are not reported") \
                in slide_text(score)


def test_project_deck_budget_and_satisfaction_figures(project_decks, q):
    prs = project_decks[("tianshui", "zh")]
    budget_slide = by_title(prs, "预算执行")
    assert card_value(budget_slide, "budget") == "未披露"
    assert card_value(budget_slide, "estimated_investment") == "6,602.39"
    assert card_value(budget_slide, "execution_rate") == "108.31%"
    years = q("budget_by_year", **NO_FILTERS, project_id=SEEDS["tianshui"])
    ch = chart(budget_slide, "chart_years")
    assert [s.name for s in ch.plots[0].series] == ["到位资金", "实际支出"]  # no budget series drawn as 0
    assert series_values(ch, 0) == pytest.approx(list(years["received"]))
    survey_slide = by_title(prs, "满意度调查")
    assert card_value(survey_slide, "satisfaction") == "51.39%"
    assert card_value(survey_slide, "valid_rate") == "97.88%"
    tj = by_title(project_decks[("tianjin", "zh")], "满意度调查")
    assert card_value(tj, "satisfaction") == "大于95分" and card_value(tj, "issued") == "未披露"


def test_project_deck_findings_and_targets(project_decks, q):
    prs = project_decks[("futian", "zh")]
    findings = q("project_findings", project_id=SEEDS["futian"])
    s = by_title(prs, "主要问题与建议")
    text = slide_text(s)
    for title in findings.loc[findings["kind"].isin(["problem", "recommendation"]), "title"]:
        assert title[:8] in text
    targets = by_title(prs, "绩效目标完成情况")
    tsum = q("targets_summary", **NO_FILTERS, project_id=SEEDS["futian"]).iloc[0]
    assert f"目标 {int(tsum['targets'])} 项：达成 {int(tsum['met'])}，未达成 {int(tsum['not_met'])}" in slide_text(targets)
    rows = table_rows(targets, "table_targets")[1:]
    assert rows[0][4].startswith("未达成")  # targets not met first
    tianshui = project_decks[("tianshui", "zh")]
    notes = slide_text(tianshui.slides[-1])
    assert "分项得分" in notes and "绩效目标" in notes  # what 天水 does not report is named


def test_partial_tree_reads_not_reported_not_zero(tmp_path):
    """P: level 1 A sums a leaf without a score, so A's score is unknown: no bar, 未披露, never 0."""
    root = tmp_path / "data"
    write_table(root, "catalog/documents.csv", "documents", [dict(source="report:fx", kind="report", title="x")])
    write_table(root, "seed/fx/projects.csv", "projects", [
        project("P", "110101", "北京市", "北京市", "东城区", "反诈", "自评", "2022-01-01", "2022-12-31", 90, "优", 3)])
    write_table(root, "seed/fx/indicators.csv", "indicators", [
        ind("P", "A", None, 1), ind("P", "A1", "A", 2), ind("P", "A11", "A1", 3, 5, 4), ind("P", "A12", "A1", 3, 5, None),
        ind("P", "B", None, 1), ind("P", "B1", "B", 2), ind("P", "B11", "B1", 3, 10, 9)])
    g = DataGate(Lake(root))
    qp = querier(g)
    prs = open_deck(project_deck(qp, "P", "zh", now=NOW))
    s = by_title(prs, "得分与一级指标")
    ch = chart(s, "chart_level1")
    assert categories(ch)[0] == "指标A*（未披露）"
    assert series_values(ch, 1) == [None, 9.0]  # A has no bar, not a 0 bar
    assert table_rows(s, "table_level1")[1][2] == "未披露"
    assert "未披露" in slide_text(s)
    ind_slide = by_title(prs, "失分最多的指标")
    assert "A12" in slide_text(ind_slide)  # named as not reported
    assert "A12" not in " ".join(categories(chart(ind_slide, "chart_indicators")))
    # and the portfolio deck of this one-project lake still has its ten slides
    assert len(open_deck(portfolio.portfolio_deck(qp, NO_FILTERS, "zh", now=NOW)).slides) == 10


def test_unknown_project_gives_one_slide_saying_so(q):
    prs = open_deck(project_deck(q, "no-such-project", "zh", now=NOW))
    assert len(prs.slides) == 1 and "找不到项目" in slide_text(prs.slides[0])


# -- API --------------------------------------------------------------------------------------------------

def test_file_names_and_mime():
    assert deck_common.deck_filename("portfolio", "zh", NOW) == "绩效评价总览-20261122.pptx"
    assert deck_common.deck_filename("portfolio", "en", NOW) == "portfolio-20261122.pptx"
    assert deck_common.deck_filename("project", "en", NOW) == "project-20261122.pptx"
    assert deck_common.DECK_MIME == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    with pytest.raises(ValueError):
        deck_common.deck_filename("other", "zh", NOW)


def test_deck_metadata(decks):
    cp = decks["zh"].core_properties
    assert cp.title == "项目绩效评价总览" and cp.language == "zh-CN"
    assert cp.created == NOW.replace(microsecond=0)
    assert decks["en"].core_properties.title == "Portfolio of evaluated projects"


def test_export_is_pure():
    """No Streamlit, no SQL, no network, no kaleido in the deck code: queries by name through ``q`` only."""
    for path in sorted((ROOT / "perfeval" / "decks").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+(streamlit|duckdb|kaleido|requests|urllib|http)", text, re.M)
        assert not re.search(r"^\s*(import|from)\s+perfeval\.(ui|db)\b", text, re.M)
        assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\b[^\n]*\b(FROM|INTO|SET)\b", text)


def test_same_input_same_figures(q):
    """Two exports of the same selection at the same time hold the same slides' text."""
    a = open_deck(portfolio.portfolio_deck(q, NO_FILTERS, "zh", now=NOW))
    b = open_deck(portfolio.portfolio_deck(q, NO_FILTERS, "zh", now=NOW))
    assert [slide_text(s) for s in a.slides] == [slide_text(s) for s in b.slides]


def test_filters_summary_in_words():
    from perfeval.text.i18n import Translator

    none = {"region": None, "year_from": None, "year_to": None, "category": None, "evaluator_type": None}
    assert deck_common.filters_summary(none, Translator("zh")) == "全部项目（未筛选）"
    some = {**none, "region": "4403", "year_from": 2021, "category": "反诈", "evaluator_type": "第三方评价"}
    assert deck_common.filters_summary(some, Translator("zh"), "广东省 / 深圳市", False) == \
        "地区 广东省 / 深圳市 · 2021—… 年 · 类别 反诈 · 评价方式 第三方评价 · 不含示例数据"
    assert deck_common.filters_summary({**none, "region": "4403", "year_to": 2023}, Translator("en")) == \
        "region code 4403 · years …—2023"
    assert deck_common.filters_summary(none, Translator("en"), None, True) == "All projects (no filter)"


def test_deck_command_writes_the_decks(tmp_path, capsys):
    from perfeval import cli

    out = tmp_path / "总览.pptx"
    assert cli.main(["deck", str(out), "--no-demo"]) == 0
    prs = open_deck(out.read_bytes())
    assert len(prs.slides) == 10
    first = "\n".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert "项目数：3 个" in first and "不含示例数据" in first
    assert str(out) in capsys.readouterr().out

    one = tmp_path / "p.pptx"
    assert cli.main(["deck", str(one), "--project", "tj-2022-fraud-ops", "--lang", "en"]) == 0
    first = "\n".join(sh.text_frame.text for sh in open_deck(one.read_bytes()).slides[0].shapes if sh.has_text_frame)
    assert "2022" in first and "项目数" not in first
