"""地区对比 Compare's page models (pure: no Streamlit): what the page offers to choose from, and what it draws
once 2–8 districts or projects are chosen: the like-for-like warnings, the score rates side by side, the
ranking, percentiles among peers and their outliers, 同比 and the districts' drill-down.

Three models, each cached by the page on its own arguments (``perfeval.ui.state.model``): `options` (the
outcome metrics and the years: the first widgets), `pool` (the units one may choose, their labels, the
default choice), `build` (everything drawn for the chosen units). The maths is perfeval.domain.compare, the
charts perfeval.charts.compare.
"""
from __future__ import annotations

import pandas as pd

from perfeval.charts import base as charts
from perfeval.charts import compare as charts_compare
from perfeval.domain import compare
from perfeval.domain.portfolio import data_kinds
from perfeval.text import fmt
from perfeval.text import glossary as terms
from perfeval.text.i18n import Translator
from perfeval.views.common import Filters, Links

YEAR_ALL = "all"  # the year widget's "every year" (and the URL's year=all)
MIN_UNITS, MAX_UNITS = compare.MIN_UNITS, compare.MAX_UNITS  # units compared at once (the page's bounds)
LEVELS = {1: ("一级指标", "Level 1"), 2: ("二级指标", "Level 2"), 3: ("三级指标", "Level 3")}
DEFAULT_METRIC = "dissuaded_persons"


def options(q, *, filters: Filters, lang: str) -> dict:
    """The first widgets' options: the outcome metrics (``metrics`` keys, their ``metric_names`` and
    ``metric_units``, the ``default_metric``), the budget ``years`` of the selected projects (ascending), the
    ``default_year`` (None: every year) and ``empty`` (no project matches the filters)."""
    names, units = _metrics(q, filters, lang)
    keys = tuple(names)
    years_by_region = q("compare_years", **filters.params())  # region × year of the selected projects
    return {
        "metrics": keys,
        "metric_names": names,
        "metric_units": units,
        "default_metric": DEFAULT_METRIC if DEFAULT_METRIC in keys else (keys[0] if keys else None),
        "empty": years_by_region.empty,
        "years": sorted(int(y) for y in years_by_region["year"].dropna().unique()),
        "default_year": compare.default_year(years_by_region),
    }


def _metrics(q, filters: Filters, lang: str) -> tuple[dict, dict]:
    """The outcome metrics that can be put per 万元 (compare_metric_options): key → name, key → unit."""
    t = Translator(lang)
    metrics = q("compare_metric_options", **filters.params())
    return ({r["metric_key"]: t.pick(r, "name_zh", "name_en") for r in metrics.to_dict("records")},
            dict(zip(metrics["metric_key"], metrics["unit"])))


def _projects(q, filters: Filters, lang: str, metric: str | None,
              region_codes: list[str] | None = None) -> pd.DataFrame:
    """compare_projects rows (every selected project, or those of ``region_codes``) with their labels."""
    df = q("compare_projects", metric_key=metric, region_codes=region_codes, **filters.params())
    return df.assign(
        unit_label=df["short_name"] if lang == "zh" else df["name_en"].fillna(df["short_name"]),
        display_name=df["name"] if lang == "zh" else df["name_en"].fillna(df["name"]),
    )


def _pool(q, filters: Filters, lang: str, mode: str, year: int | None, metric: str | None):
    """The units one may choose (``unit``, ``unit_label``: districts of district_summary, or projects of the
    year) and, for projects, every selected project of every year (None for districts)."""
    if mode == "districts":
        pool = q("district_summary", year=year, metric_key=metric, **filters.params())
        # 第03区 → 天津市第03区 where names repeat
        return pool.assign(unit=pool["region_code"], unit_label=compare.unique_region_labels(pool)), None
    projects = _projects(q, filters, lang, metric)  # every project: the pool, and their other years (同比)
    pool = projects if year is None else projects[projects["year"] == year]
    return pool.assign(unit=pool["project_id"]), projects


def _labels(pool: pd.DataFrame) -> dict:
    return dict(zip(pool["unit"].to_numpy(dtype=object), pool["unit_label"].to_numpy(dtype=object)))


def pool(q, *, filters: Filters, lang: str, mode: str, year: int | None, metric: str | None) -> dict:
    """The units one may choose: ``labels`` (unit id → label, in the pool's order), the ``defaults`` chosen
    when the viewer has chosen none, and the pool's ``kinds`` (rows per data kind, for the page's header)."""
    units, _ = _pool(q, filters, lang, mode, year, metric)
    defaults = (compare.default_districts(list(units["unit"])) if mode == "districts"
                else compare.default_projects(units))
    t = Translator(lang)
    word = _unit_word(mode, t)
    n = len(units)
    return {"labels": _labels(units), "defaults": defaults, "kinds": data_kinds(units),
            "choose": t(f"选择 2–{compare.MAX_UNITS} 个{word}", f"Choose 2–{compare.MAX_UNITS} {word}"),
            "too_few": t(f"请至少选择 2 个{word}进行对比（当前范围内共 {n} 个）。",
                         f"Choose at least 2 {word} to compare ({n} available).")}


def rejected_warning(rejected: tuple[str, ...], lang: str) -> str:
    """The warning naming the ids of a link that were ignored (unknown, outside the filters, beyond the limit)."""
    t = Translator(lang)
    return t(f"链接中的 {'、'.join(rejected)} 不存在、不在当前筛选范围内或超出 {compare.MAX_UNITS} 个上限，已忽略。",
             f"{', '.join(rejected)} from the link: unknown, outside the filters or beyond the limit of "
             f"{compare.MAX_UNITS}; ignored.")


def _unit_word(mode: str, t: Translator) -> str:
    return t("地区", "districts") if mode == "districts" else t("项目", "projects")


def _pct_text(values, lang: str) -> list[str]:
    return [fmt.pct(v, lang) for v in values]


def _num_text(values, lang: str) -> list[str]:
    return [fmt.number(v, 2, lang) for v in values]


def build(q, *, filters: Filters, lang: str, links: Links, mode: str, year: int | None, metric: str | None,
          level: int, show_all: bool, style: str, chosen: tuple[str, ...]) -> dict:
    """Everything the page draws for the ``chosen`` units (2–8 region codes or project ids, in the viewer's
    order) of ``mode`` ("districts" or "projects"), in ``year`` (None: every year), with ``metric`` put per
    万元 spent, at indicator ``level``, only the shared indicators unless ``show_all``, as bars or a radar
    (``style``: "bars" or "radar"):

    - ``warnings``: the like-for-like warnings (⚖️ …);
    - ``rates_title``, ``rates_chart`` (a spec; None when the units share no indicator, then ``rates_info``
      says so) and ``rates_note`` (how many indicators are shared, or None);
    - ``ranking`` (the table, ranked by score; rates as texts, 未披露 where missing; ``link`` to the district's
      projects in Compare, or to the project's scorecard), ``per_wan`` (its outcome column's label) and
      ``ranking_note`` (the definitions);
    - ``percentiles`` (the heatmap's spec), ``percentiles_note``, ``outliers`` (markdown lines ▼/▲ with the
      fence crossed; "" when none, then ``outliers_note`` says so);
    - ``yoy`` (同比 table: score in 分, execution in %, changes in 分, percentage points and outcome per 万元;
      None without a previous-year pair, then ``yoy_info`` says so), ``yoy_chart`` (a spec, or None) and
      ``yoy_note`` (why there is no chart);
    - ``drill`` (districts: region code → its projects of every year, each linked to its scorecard) and
      ``drill_links`` (region code → a link comparing its projects, None with fewer than two).
    """
    t = Translator(lang)
    fp = filters.params()
    chosen = list(chosen)
    pool_, projects = _pool(q, filters, lang, mode, year, metric)
    labels = _labels(pool_)
    level_name = t(LEVELS[level])
    v: dict = {}
    if mode == "districts":
        # the chosen districts' projects: every year (同比, drill-down), and those of the year (the pool's)
        chosen_projects = _projects(q, filters, lang, metric, sorted(chosen))
        in_pool = chosen_projects if year is None else chosen_projects[chosen_projects["year"] == year]

    # -- like for like ------------------------------------------------------------------------------
    compared = in_pool if mode == "districts" else pool_[pool_["unit"].isin(chosen)]  # the compared projects
    frameworks = q("compare_frameworks", project_ids=sorted(compared["project_id"]))  # their level 1
    if mode == "districts":
        ind_all = q("district_indicators", year=year, level=level, **fp).rename(columns={"region_code": "unit"})
        profile = compare.district_profiles(compared, frameworks)
    else:
        ind_all = q("compare_indicators", level=level, **fp).rename(columns={"project_id": "unit"})
        ind_all = ind_all[compare.isin(ind_all["unit"], pool_["unit"])]
        profile = compare.project_profiles(compared, frameworks)
    profile = profile.set_index("unit").reindex(chosen).reset_index()
    key_order = ind_all.groupby("indicator_key")["code"].min()  # the reports' order: A, B, C …
    ind_chosen = ind_all[ind_all["unit"].isin(chosen) & ind_all["score_rate"].notna()]
    ind_chosen = ind_chosen.assign(_order=ind_chosen["indicator_key"].map(key_order)).sort_values(
        ["_order", "indicator_key"], kind="stable")
    check = compare.like_for_like(profile, ind_chosen)
    v["warnings"] = ["⚖️ " + t(zh, en) for _, zh, en in check.warnings]
    keys = check.all_keys if show_all else check.shared
    key_labels = {r["indicator_key"]: r["indicator_key"] if lang == "zh" else (r.get("name_en") or r["indicator_key"])
                  for r in ind_all.drop_duplicates("indicator_key").to_dict("records")}  # each key's first row

    # -- side by side -------------------------------------------------------------------------------
    v["rates_title"] = t(f"{level_name}得分率对比", f"{level_name} score rates side by side")
    v["rates_chart"] = v["rates_note"] = None
    v["rates_info"] = t("所选对象没有共有的分项指标（可打开“显示全部指标”，或改选指标体系相同的对象）。",
                        "The chosen units share no indicator (switch on “show all indicators”, or choose units "
                        "with the same framework).")
    if keys:
        if not show_all and len(check.shared) < len(check.all_keys):
            v["rates_note"] = t(f"仅显示共有指标 {len(check.shared)} 项（共 {len(check.all_keys)} 项）。",
                                f"Only the {len(check.shared)} shared indicators are shown (of {len(check.all_keys)}).")
        rl = compare.rates_long(ind_chosen, chosen, keys, unit_col="unit")
        rl = rl.assign(unit_label=rl["unit"].map(labels), indicator=rl["indicator_key"].map(key_labels))
        builder = charts_compare.rates_bars if style == "bars" or len(keys) < 3 else charts_compare.rates_radar
        title = t(f"{level_name}得分率（Σ得分 ÷ Σ分值）", f"{level_name} score rate (Σscore ÷ Σweight)")
        v["rates_chart"] = charts.spec(builder(rl, t, title))

    # -- ranking ------------------------------------------------------------------------------------
    names, units = _metrics(q, filters, lang)
    metric_label, metric_unit = names.get(metric, ""), units.get(metric, "")
    per_wan = (f"{metric_label}（{metric_unit}/万元）" if lang == "zh"
               else f"{metric_label} ({metric_unit} per 10k CNY)")
    v["per_wan"] = per_wan
    shown = pool_[pool_["unit"].isin(chosen)].copy()
    if mode == "projects":
        shown = compare.with_series(shown)  # region_short of the shown projects
    if mode == "districts":
        shown = shown.sort_values(["mean_score", "unit"], ascending=[False, True], na_position="last")
        ids_by_region = in_pool.groupby("region_code")["project_id"].agg(lambda s: ",".join(sorted(s)))
        shown["grades"] = ["　".join(f"{g}{int(n)}" for g, n in zip("优良中差", r) if n)
                           for r in shown[["grade_you", "grade_liang", "grade_zhong", "grade_cha"]].to_numpy()]
        shown["link"] = [links.to("compare", projects=ids_by_region.get(u, "")) for u in shown["unit"]]
        table = shown.assign(rank=range(1, len(shown) + 1), exec_pct=_pct_text(shown["execution_rate"], lang),
                             sat_pct=_pct_text(shown["satisfaction"], lang),
                             per_wan=_num_text(shown["outcome_per_wan"], lang))
        v["ranking"] = table[["rank", "unit_label", "projects", "mean_score", "grades", "exec_pct", "per_wan",
                              "sat_pct", "link"]]
        score_col, score_name = "mean_score", t(terms.MEAN_SCORE)
    else:
        shown = shown.sort_values(["reported_total_score", "unit"], ascending=[False, True], na_position="last")
        table = shown.assign(rank=range(1, len(shown) + 1), exec_pct=_pct_text(shown["execution_rate"], lang),
                             sat_pct=_pct_text(shown["satisfaction"], lang),
                             per_wan=_num_text(shown["outcome_per_wan"], lang),
                             score=[fmt.score(x, lang) for x in shown["reported_total_score"]],
                             reported_grade=fmt.texts(shown["reported_grade"], lang),
                             link=links.many("project", "project", shown["project_id"]))
        v["ranking"] = table[["rank", "display_name", "region_short", "year", "score", "reported_grade",
                              "exec_pct", "per_wan", "sat_pct", "link"]]
        score_col, score_name = "reported_total_score", t(terms.SCORE)
    v["ranking_note"] = t(
        "执行率 = 实际支出 ÷ 到位资金；每万元成效 = 成效数值 ÷ 实际支出；满意度为调查满意率（仅有评分时为评分 ÷ 100）。"
        "报告未给出的写作“未披露”。",
        "Execution = spent ÷ received; outcome per 10k CNY = outcome ÷ spent; satisfaction is the survey's "
        "rate (its score ÷ 100 where only a score is given). “not reported” where a report gives none.")

    # -- percentiles among peers and outliers -------------------------------------------------------
    measure_cols = {score_name: score_col, t("预算执行率", "Execution"): "execution_rate",
                    per_wan: "outcome_per_wan", t(terms.SATISFACTION): "satisfaction"}
    # peers: every unit of the pool; for projects, those of the chosen projects' categories
    if mode == "districts":
        peers = pool_
    else:
        peers = pool_[pool_["category"].isin(set(pool_.loc[pool_["unit"].isin(chosen), "category"]))]
    pool_rates = compare.rates_long(ind_all, peers["unit"], keys, unit_col="unit") if keys else None
    long = compare.measures_long(peers, measure_cols, pool_rates)
    pos = compare.peer_positions(long, unit_col="unit")
    is_rate = {t("预算执行率", "Execution"), t(terms.SATISFACTION), *keys}
    fmt_value = {m: (lambda x: fmt.pct(x, lang, 1)) if m in is_rate else (lambda x: fmt.number(x, 2, lang))
                 for m in pos["measure"].unique()}
    view = pos[pos["unit"].isin(chosen)].copy()
    view["unit_label"] = view["unit"].map(labels)
    short_labels = {per_wan: (f"{metric_label}<br>（{metric_unit}/万元）" if lang == "zh"
                              else f"{metric_label}<br>({metric_unit} per 10k CNY)")}
    view["measure_label"] = [short_labels.get(m, key_labels.get(m, m)) for m in view["measure"]]
    view["value_text"] = [fmt_value[m](x) for m, x in zip(view["measure"], view["value"])]
    view = view.set_index("unit").loc[[u for u in chosen if u in set(view["unit"])]].reset_index()
    # partly disclosed units: the heat map shows the measures at least one of them reports, and says which
    # measures none reports and which each one leaves out (rather than rows of 未披露)
    view, v["shared_note"] = _shared_measures(view, lang)
    v["percentiles"] = charts.spec(charts_compare.percentile_heatmap(view, t))
    peers_n = len(peers)
    peer_word = _unit_word(mode, t) if mode == "districts" else t("同类别项目", "projects of the same categories")
    v["percentiles_note"] = t(
        f"百分位：在当前筛选范围{'（' + str(year) + '年）' if year else ''}的 {peers_n} 个{peer_word}中，"
        "优于多少比例的同类（并列计一半）；P100 为最好。离群值按四分位距（Tukey 1.5×IQR）判断，同类不足 4 个时不判断。",
        f"Percentile: the share of the {peers_n} {peer_word} in the current filters"
        f"{' (' + str(year) + ')' if year else ''} that this one beats (ties count half); P100 is best. "
        "Outliers lie outside Tukey's fences (1.5×IQR); not judged with fewer than 4 peers.")
    v["outliers"] = "\n".join(f"- {n}" for n in _outlier_notes(view, long, fmt_value, t))
    v["outliers_note"] = t("所选对象中没有离群值。", "No outlier among the chosen units.")

    # -- year on year -------------------------------------------------------------------------------
    # only the chosen units' series: a series ("region|category|name") pairs its own years, so this is the
    # same as pairing every project and keeping the chosen units' pairs
    if mode == "districts":
        mine_yoy = compare.with_series(chosen_projects)
    else:
        picked = compare.with_series(projects[projects["project_id"].isin(chosen)])
        mine_yoy = compare.with_series(projects[projects["region_code"].isin(set(picked["region_code"]))])
        mine_yoy = mine_yoy[mine_yoy["series"].isin(set(picked["series"]))]
    v.update(_year_on_year(mine_yoy, mode, chosen, year, links, t))

    # -- drill down: district → its projects → a project's scorecard --------------------------------
    v["drill"], v["drill_links"] = {}, {}
    if mode == "districts":
        for u in chosen:
            mine = chosen_projects[chosen_projects["region_code"] == u].sort_values(["year", "project_id"])
            v["drill"][u] = mine.assign(exec_pct=_pct_text(mine["execution_rate"], lang),
                                        reported_total_score=fmt.scores(mine["reported_total_score"], lang),
                                        reported_grade=fmt.texts(mine["reported_grade"], lang),
                                        link=links.many("project", "project", mine["project_id"]))[
                ["display_name", "year", "category", "reported_total_score", "reported_grade", "exec_pct", "link"]]
            ids = list(mine["project_id"])[:compare.MAX_UNITS]
            v["drill_links"][u] = links.to("compare", projects=",".join(ids)) if len(ids) >= compare.MIN_UNITS else None
    return v


def _shared_measures(view: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, str | None]:
    """The heat map's rows without the measures no chosen unit reports, and the sentence that names those and,
    per unit, the measures shown that it does not report (None when every unit reports every measure)."""
    t = Translator(lang)
    if view.empty:
        return view, None
    has = view["value"].notna()
    reported = set(view.loc[has, "measure"])
    label = {m: str(lbl).replace("<br>", "") for m, lbl in zip(view["measure"], view["measure_label"])}
    sep = "、" if lang == "zh" else ", "
    nobody = [label[m] for m in dict.fromkeys(view["measure"]) if m not in reported]
    kept = view[view["measure"].isin(reported)]
    parts = []
    if nobody:
        parts.append(t("所选对象均未披露：" + sep.join(nobody) + "（不列出）", "None of the chosen reports: "
                       + sep.join(nobody) + " (not shown)"))
    shared = [label[m] for m in dict.fromkeys(kept["measure"])
              if kept.loc[kept["measure"] == m, "value"].notna().all()]
    for unit, part in kept.groupby("unit_label", sort=False):
        lacks = [label[m] for m in dict.fromkeys(part.loc[part["value"].isna(), "measure"])]
        if lacks:
            parts.append(t(f"{unit} 未披露：" + sep.join(lacks), f"{unit} does not report " + sep.join(lacks)))
    if not parts:
        return kept, None
    head = (t("共同披露：" + sep.join(shared), "Reported by all: " + sep.join(shared)) if shared
            else t("所选对象没有共同披露的指标", "The chosen units share no reported measure"))
    return kept, ("；" if lang == "zh" else "; ").join([head, *parts]) + t("。", ".")


def _outlier_notes(view: pd.DataFrame, long: pd.DataFrame, fmt_value: dict, t: Translator) -> list[str]:
    """One line per outlier among the chosen units: ▼ below the lower fence, ▲ above the upper one."""
    notes = []
    for r in view[view["outlier"].notna()].to_dict("records"):
        f = compare.iqr_fences(long.loc[long["measure"] == r["measure"], "value"])
        if f is None:
            continue
        head = f"{r['unit_label']} · {r['measure_label'].replace('<br>', ' ')} {r['value_text']}"
        show = fmt_value[r["measure"]]
        if r["outlier"] == "low":
            notes.append(t(f"▼ {head}，低于下限 {show(f.low)}", f"▼ {head}, below the lower fence {show(f.low)}"))
        else:
            notes.append(t(f"▲ {head}，高于上限 {show(f.high)}", f"▲ {head}, above the upper fence {show(f.high)}"))
    return notes


def _year_on_year(mine_yoy: pd.DataFrame, mode: str, chosen: list[str], year: int | None, links: Links,
                  t: Translator) -> dict:
    """同比 of the chosen units' series: ``yoy``, ``yoy_info``, ``yoy_chart`` (yearly lines, when at most
    MAX_UNITS series) and ``yoy_note``, as `build` describes them."""
    out = {"yoy": None, "yoy_chart": None, "yoy_note": None,
           "yoy_info": t("所选对象没有可比的上年项目（同一地区、同类项目在相邻年度各有一个）。",
                         "No chosen project has a previous-year counterpart (same district and kind, "
                         "consecutive years).")}
    yoy = compare.year_over_year(mine_yoy, ["reported_total_score", "execution_rate", "outcome_per_wan"])
    if mode == "districts":
        regions = mine_yoy.set_index("project_id")["region_code"]
        yoy = yoy[yoy["project_id"].map(regions).isin(chosen)]
        if year is not None:
            yoy = yoy[yoy["year"] == year]
    else:
        yoy = yoy[yoy["project_id"].isin(chosen) | yoy["prev_project_id"].isin(chosen)]
    if yoy.empty:
        return out
    info = mine_yoy.set_index("project_id")
    yt = yoy.assign(name=yoy["project_id"].map(info["unit_label"]), region=yoy["project_id"].map(info["region_short"]),
                    code=yoy["project_id"].map(info["region_code"]),
                    exec_pct=yoy["execution_rate"] * 100, change_exec_pp=yoy["change_execution_rate"] * 100,
                    link=links.many("project", "project", yoy["project_id"]),
                    # a year without a stated total reads 未披露 (the changes stay numbers for their formats)
                    reported_total_score=fmt.scores(yoy["reported_total_score"], t.lang))
    yt = yt.sort_values(["code", "name"])
    out["yoy"] = yt[["name", "year", "reported_total_score", "change_reported_total_score", "exec_pct",
                     "change_exec_pp", "change_outcome_per_wan", "link"]]
    series = list(dict.fromkeys(yt["series"]))
    if len(series) <= compare.MAX_UNITS:
        lines = mine_yoy[mine_yoy["series"].isin(series)]
        lines = lines.assign(series_label=[compare.strip_years(s) for s in lines["unit_label"]])
        out["yoy_chart"] = charts.spec(charts_compare.yoy_lines(lines, t))
    else:
        out["yoy_note"] = t(f"共 {len(series)} 个项目序列，逐年折线图仅在不超过 {compare.MAX_UNITS} 个时显示。",
                            f"{len(series)} series: the yearly line chart shows for {compare.MAX_UNITS} or fewer.")
    return out
