"""地区对比 Compare: 2–8 districts or projects side by side, like for like.

Deep links: ``compare?districts=990101,990102`` or ``compare?projects=a,b,c`` (plus ``year``,
``metric``, ``level``, ``all=1``). The maths is in perfeval.domain.compare, the charts in
perfeval.charts.compare; this page holds the widgets and draws.
"""
import pandas as pd
import streamlit as st

from perfeval.charts import compare as charts_compare
from perfeval.domain import compare
from perfeval.text import fmt
from perfeval.ui import common, plot, state

t = state.tr()
lang = state.lang()
fp = state.filters().params()
qp = st.query_params
head = st.container()  # title and data note, drawn once the units are known


def from_url(param: str, key: str, parse) -> None:
    """Apply a URL parameter to a widget's state when the URL changed (a deep link), not on every rerun."""
    raw = qp.get(param)
    memo = "_cmp_url_" + param
    if raw is not None and raw != st.session_state.get(memo):
        st.session_state[key] = parse(raw)
    st.session_state[memo] = raw


def pct_text(values):
    return [fmt.pct(v, lang) for v in values]


def num_text(values):
    return [fmt.number(v, 2, lang) for v in values]


def int_or_none(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


# -- what to compare --------------------------------------------------------------------------------
MODES = {"districts": t("按地区", "Districts"), "projects": t("按项目", "Projects")}
if qp.get("projects") and qp.get("projects") != st.session_state.get("_cmp_url_projects"):
    st.session_state["w_cmp_mode"] = "projects"
    if qp.get("year") is None:  # linked projects may span years
        st.session_state["w_cmp_year"] = "all"
elif qp.get("districts") and qp.get("districts") != st.session_state.get("_cmp_url_districts"):
    st.session_state["w_cmp_mode"] = "districts"

c1, c2, c3 = st.columns([1.2, 1, 1.6])
mode = c1.radio(t("对比对象", "Compare"), list(MODES), format_func=MODES.get, horizontal=True, key="w_cmp_mode")

metrics = state.query("compare_metric_options", **fp)
metric_keys = list(metrics["metric_key"])
metric_names = {r["metric_key"]: t.pick(r, "name_zh", "name_en") for r in metrics.to_dict("records")}
metric_units = dict(zip(metrics["metric_key"], metrics["unit"]))
from_url("metric", "w_cmp_metric", str)
if st.session_state.get("w_cmp_metric") not in metric_keys:
    st.session_state["w_cmp_metric"] = ("dissuaded_persons" if "dissuaded_persons" in metric_keys
                                        else (metric_keys[0] if metric_keys else None))
metric = c3.selectbox(t("每万元成效指标", "Outcome per 10k CNY"), metric_keys or [None], key="w_cmp_metric",
                      format_func=lambda k: metric_names.get(k, t("无", "none")),
                      help=t("成效数值 ÷ 实际支出（万元）；仅计数量与金额类指标。",
                             "outcome ÷ spending (10k CNY); counts and amounts only."))

years_by_region = state.query("compare_years", **fp)  # region × year of the selected projects
if years_by_region.empty:
    with head:
        common.page_header(t("地区对比", "Compare districts and projects"))
    st.info(t("当前筛选条件下没有项目。", "No project matches the filters."))
    st.stop()


def projects_of(region_codes: list[str] | None = None) -> pd.DataFrame:
    """compare_projects rows (every selected project, or those of ``region_codes``) with their labels."""
    df = state.query("compare_projects", metric_key=metric, region_codes=region_codes, **fp)
    return df.assign(
        unit_label=df["short_name"] if lang == "zh" else df["name_en"].fillna(df["short_name"]),
        display_name=df["name"] if lang == "zh" else df["name_en"].fillna(df["name"]),
    )


years = sorted(int(y) for y in years_by_region["year"].dropna().unique())
YEAR_ALL = "all"
from_url("year", "w_cmp_year", lambda v: YEAR_ALL if v == YEAR_ALL else int_or_none(v))
if st.session_state.get("w_cmp_year") not in [YEAR_ALL, *years]:
    st.session_state["w_cmp_year"] = compare.default_year(years_by_region) or YEAR_ALL
year_choice = c2.selectbox(t("评价年度", "Year"), [*years, YEAR_ALL][::-1], key="w_cmp_year",
                           format_func=lambda y: t("全部年度", "All years") if y == YEAR_ALL else str(y),
                           help=t("项目的预算年度（评价期起始年）。", "The project's budget year (start of the period)."))
year = None if year_choice == YEAR_ALL else int(year_choice)

LEVELS = {1: t("一级指标", "Level 1"), 2: t("二级指标", "Level 2"), 3: t("三级指标", "Level 3")}
from_url("level", "w_cmp_level", lambda v: int_or_none(v) if int_or_none(v) in LEVELS else 1)
st.session_state.setdefault("w_cmp_level", 1)
from_url("all", "w_cmp_all", lambda v: v == "1")

# -- the pool of peers and the chosen units ----------------------------------------------------------
if mode == "districts":
    pool = state.query("district_summary", year=year, metric_key=metric, **fp)
    pool = pool.assign(unit=pool["region_code"], unit_label=compare.unique_region_labels(pool))  # 第03区 → 天津市第03区 where names repeat
    url_param, unit_word = "districts", t("地区", "districts")
else:
    projects = projects_of()  # every project: the pool, and their other years (同比)
    pool = projects if year is None else projects[projects["year"] == year]
    pool = pool.assign(unit=pool["project_id"])
    url_param, unit_word = "projects", t("项目", "projects")

labels = dict(zip(pool["unit"].to_numpy(dtype=object), pool["unit_label"].to_numpy(dtype=object)))
key = f"w_cmp_units_{mode}"
raw_ids = qp.get(url_param)
rejected: list[str] = []
if raw_ids is not None and raw_ids != st.session_state.get(f"_cmp_url_{url_param}"):
    ids, rejected = compare.parse_id_list(raw_ids, labels)
    st.session_state[key] = ids
st.session_state[f"_cmp_url_{url_param}"] = raw_ids
if key not in st.session_state:  # none chosen yet: the defaults (worked out only then)
    st.session_state[key] = (compare.default_districts(list(pool["unit"])) if mode == "districts"
                             else compare.default_projects(pool))
st.session_state[key] = [u for u in st.session_state[key] if u in labels][:compare.MAX_UNITS]

with head:
    common.page_header(t("地区对比", "Compare districts and projects"), pool)
chosen = st.multiselect(
    t(f"选择 2–{compare.MAX_UNITS} 个{unit_word}", f"Choose 2–{compare.MAX_UNITS} {unit_word}"),
    list(labels), format_func=lambda u: labels.get(u, u), key=key, max_selections=compare.MAX_UNITS)
if rejected:
    st.warning(t(f"链接中的 {'、'.join(rejected)} 不存在、不在当前筛选范围内或超出 {compare.MAX_UNITS} 个上限，已忽略。",
                 f"{', '.join(rejected)} from the link: unknown, outside the filters or beyond the limit of "
                 f"{compare.MAX_UNITS}; ignored."))

extra = {url_param: ",".join(chosen), "year": year_choice, "metric": metric,
         "level": None if st.session_state["w_cmp_level"] == 1 else st.session_state["w_cmp_level"],
         "all": "1" if st.session_state.get("w_cmp_all") else None}
state.write_url({k: v for k, v in extra.items() if v not in (None, "")})
for p in (url_param, "year", "metric", "level", "all"):
    st.session_state["_cmp_url_" + p] = st.query_params.get(p)

if len(chosen) < compare.MIN_UNITS:
    st.info(t(f"请至少选择 2 个{unit_word}进行对比（当前范围内共 {len(labels)} 个）。",
              f"Choose at least 2 {unit_word} to compare ({len(labels)} available)."))
    st.stop()
if mode == "districts":
    # the chosen districts' projects: every year (同比, drill-down), and those of the year (the pool's)
    chosen_projects = projects_of(sorted(chosen))
    in_pool = chosen_projects if year is None else chosen_projects[chosen_projects["year"] == year]

# -- like for like -----------------------------------------------------------------------------------
c4, c5, c6 = st.columns([1.4, 1.4, 1])
level = c4.radio(t("指标层级", "Indicator level"), list(LEVELS), format_func=LEVELS.get, horizontal=True,
                 key="w_cmp_level")
show_all = c5.toggle(t("显示全部指标（含非共有指标）", "Show all indicators (not only shared ones)"), key="w_cmp_all")
style = c6.radio(t("图形", "Chart"), ["bars", "radar"], horizontal=True, key="w_cmp_chart",
                 format_func=lambda s: t("柱状图", "bars") if s == "bars" else t("雷达图", "radar"))

compared = in_pool if mode == "districts" else pool[pool["unit"].isin(chosen)]  # the compared projects
frameworks = state.query("compare_frameworks", project_ids=sorted(compared["project_id"]))  # their level 1
if mode == "districts":
    ind_all = state.query("district_indicators", year=year, level=level, **fp).rename(columns={"region_code": "unit"})
    profile = compare.district_profiles(compared, frameworks)
else:
    ind_all = state.query("compare_indicators", level=level, **fp).rename(columns={"project_id": "unit"})
    ind_all = ind_all[compare.isin(ind_all["unit"], pool["unit"])]
    profile = compare.project_profiles(compared, frameworks)
profile = profile.set_index("unit").reindex(chosen).reset_index()
key_order = ind_all.groupby("indicator_key")["code"].min()  # the reports' order: A, B, C …
ind_chosen = ind_all[ind_all["unit"].isin(chosen) & ind_all["score_rate"].notna()]
ind_chosen = ind_chosen.assign(_order=ind_chosen["indicator_key"].map(key_order)).sort_values(
    ["_order", "indicator_key"], kind="stable")
check = compare.like_for_like(profile, ind_chosen)
for _, zh, en in check.warnings:
    st.warning("⚖️ " + t(zh, en))
keys = check.all_keys if show_all else check.shared
key_labels = {}
for r in ind_all.drop_duplicates("indicator_key").to_dict("records"):  # each key's first row
    key_labels[r["indicator_key"]] = r["indicator_key"] if lang == "zh" else (r.get("name_en") or r["indicator_key"])

# -- side by side ------------------------------------------------------------------------------------
st.subheader(t(f"{LEVELS[level]}得分率对比", f"{LEVELS[level]} score rates side by side"))
if not keys:
    st.info(t("所选对象没有共有的分项指标（可打开“显示全部指标”，或改选指标体系相同的对象）。",
              "The chosen units share no indicator (switch on “show all indicators”, or choose units "
              "with the same framework)."))
else:
    if not show_all and len(check.shared) < len(check.all_keys):
        st.caption(t(f"仅显示共有指标 {len(check.shared)} 项（共 {len(check.all_keys)} 项）。",
                     f"Only the {len(check.shared)} shared indicators are shown (of {len(check.all_keys)})."))
    rl = compare.rates_long(ind_chosen, chosen, keys, unit_col="unit")
    rl = rl.assign(unit_label=rl["unit"].map(labels), indicator=rl["indicator_key"].map(key_labels))
    builder = charts_compare.rates_bars if style == "bars" or len(keys) < 3 else charts_compare.rates_radar
    title = t(f"{LEVELS[level]}得分率（Σ得分 ÷ Σ分值）", f"{LEVELS[level]} score rate (Σscore ÷ Σweight)")
    plot.chart(builder(rl, t, title))

# -- ranking ------------------------------------------------------------------------------------------
st.subheader(t("排名", "Ranking"))
metric_label = metric_names.get(metric, "")
per_wan = (f"{metric_label}（{metric_units.get(metric, '')}/万元）" if lang == "zh"
           else f"{metric_label} ({metric_units.get(metric, '')} per 10k CNY)")
shown = pool[pool["unit"].isin(chosen)].copy()
if mode == "projects":
    shown = compare.with_series(shown)  # region_short of the shown projects
if mode == "districts":
    shown = shown.sort_values(["mean_score", "unit"], ascending=[False, True], na_position="last")
    ids_by_region = in_pool.groupby("region_code")["project_id"].agg(lambda s: ",".join(sorted(s)))
    shown["grades"] = ["　".join(f"{g}{int(n)}" for g, n in zip("优良中差", r) if n)
                       for r in shown[["grade_you", "grade_liang", "grade_zhong", "grade_cha"]].to_numpy()]
    shown["link"] = [state.link("compare", projects=ids_by_region.get(u, "")) for u in shown["unit"]]
    table = shown.assign(rank=range(1, len(shown) + 1), exec_pct=pct_text(shown["execution_rate"]),
                         sat_pct=pct_text(shown["satisfaction"]), per_wan=num_text(shown["outcome_per_wan"]))
    st.dataframe(
        table[["rank", "unit_label", "projects", "mean_score", "grades", "exec_pct", "per_wan",
               "sat_pct", "link"]],
        hide_index=True, width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn(t("排名", "Rank")),
            "unit_label": t("地区", "District"),
            "projects": st.column_config.NumberColumn(t("项目数", "Projects")),
            "mean_score": st.column_config.NumberColumn(t("平均得分", "Mean score"), format="%.2f"),
            "grades": t("等级分布", "Grades"),
            "exec_pct": t("预算执行率", "Execution"),
            "per_wan": per_wan,
            "sat_pct": t("满意度", "Satisfaction"),
            "link": st.column_config.LinkColumn(t("项目", "Projects"), display_text=t("查看项目 ›", "projects ›")),
        })
    score_col, score_name = "mean_score", t("平均得分", "Mean score")
else:
    shown = shown.sort_values(["reported_total_score", "unit"], ascending=[False, True], na_position="last")
    table = shown.assign(rank=range(1, len(shown) + 1), exec_pct=pct_text(shown["execution_rate"]),
                         sat_pct=pct_text(shown["satisfaction"]), per_wan=num_text(shown["outcome_per_wan"]),
                         score=[fmt.score(v, lang) for v in shown["reported_total_score"]],
                         link=state.links().many("project", "project", shown["project_id"]))
    st.dataframe(
        table[["rank", "display_name", "region_short", "year", "score", "reported_grade", "exec_pct",
               "per_wan", "sat_pct", "link"]],
        hide_index=True, width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn(t("排名", "Rank")),
            "display_name": st.column_config.TextColumn(t("项目", "Project"), width="large"),
            "region_short": t("地区", "Region"),
            "year": st.column_config.NumberColumn(t("年度", "Year"), format="%d"),
            "score": t("总分", "Score"),
            "reported_grade": t("等级", "Grade"),
            "exec_pct": t("预算执行率", "Execution"),
            "per_wan": per_wan,
            "sat_pct": t("满意度", "Satisfaction"),
            "link": st.column_config.LinkColumn(t("评分卡", "Scorecard"), display_text=t("打开 ›", "open ›")),
        })
    score_col, score_name = "reported_total_score", t("总分", "Score")
st.caption(t("执行率 = 实际支出 ÷ 到位资金；每万元成效 = 成效数值 ÷ 实际支出；满意度为调查满意率（仅有评分时为评分 ÷ 100）。"
             "空白为未披露。",
             "Execution = spent ÷ received; outcome per 10k CNY = outcome ÷ spent; satisfaction is the survey's "
             "rate (its score ÷ 100 where only a score is given). Blank = not reported."))

# -- percentiles among peers and outliers -------------------------------------------------------------
st.subheader(t("同类百分位与离群值", "Percentile among peers and outliers"))
measure_cols = {score_name: score_col, t("预算执行率", "Execution"): "execution_rate",
                per_wan: "outcome_per_wan", t("满意度", "Satisfaction"): "satisfaction"}
# peers: every unit of the pool; for projects, those of the chosen projects' categories
if mode == "districts":
    peers = pool
else:
    peers = pool[pool["category"].isin(set(pool.loc[pool["unit"].isin(chosen), "category"]))]
pool_rates = compare.rates_long(ind_all, peers["unit"], keys, unit_col="unit") if keys else None
long = compare.measures_long(peers, measure_cols, pool_rates)
pos = compare.peer_positions(long, unit_col="unit")
is_rate = {t("预算执行率", "Execution"), t("满意度", "Satisfaction"), *keys}
fmt_value = {m: (lambda v: fmt.pct(v, lang, 1)) if m in is_rate else (lambda v: fmt.number(v, 2, lang))
             for m in pos["measure"].unique()}
view = pos[pos["unit"].isin(chosen)].copy()
view["unit_label"] = view["unit"].map(labels)
short_labels = {per_wan: (f"{metric_label}<br>（{metric_units.get(metric, '')}/万元）" if lang == "zh"
                          else f"{metric_label}<br>({metric_units.get(metric, '')} per 10k CNY)")}
view["measure_label"] = [short_labels.get(m, key_labels.get(m, m)) for m in view["measure"]]
view["value_text"] = [fmt_value[m](v) for m, v in zip(view["measure"], view["value"])]
view = view.set_index("unit").loc[[u for u in chosen if u in set(view["unit"])]].reset_index()
plot.chart(charts_compare.percentile_heatmap(view, t))
peers_n = len(peers)
peer_word = unit_word if mode == "districts" else t("同类别项目", "projects of the same categories")
st.caption(t(f"百分位：在当前筛选范围{'（' + str(year) + '年）' if year else ''}的 {peers_n} 个{peer_word}中，"
             "优于多少比例的同类（并列计一半）；P100 为最好。离群值按四分位距（Tukey 1.5×IQR）判断，同类不足 4 个时不判断。",
             f"Percentile: the share of the {peers_n} {peer_word} in the current filters"
             f"{' (' + str(year) + ')' if year else ''} that this one beats (ties count half); P100 is best. "
             "Outliers lie outside Tukey's fences (1.5×IQR); not judged with fewer than 4 peers."))
notes = []
for r in view[view["outlier"].notna()].to_dict("records"):
    f = compare.iqr_fences(long.loc[long["measure"] == r["measure"], "value"])
    if f is None:
        continue
    head_ = f"{r['unit_label']} · {r['measure_label'].replace('<br>', ' ')} {r['value_text']}"
    show = fmt_value[r["measure"]]
    if r["outlier"] == "low":
        notes.append(t(f"▼ {head_}，低于下限 {show(f.low)}", f"▼ {head_}, below the lower fence {show(f.low)}"))
    else:
        notes.append(t(f"▲ {head_}，高于上限 {show(f.high)}", f"▲ {head_}, above the upper fence {show(f.high)}"))
if notes:
    st.markdown("\n".join(f"- {n}" for n in notes))
else:
    st.caption(t("所选对象中没有离群值。", "No outlier among the chosen units."))

# -- year on year --------------------------------------------------------------------------------------
st.subheader(t("同比变化", "Year on year"))
# only the chosen units' series: a series ("region|category|name") pairs its own years, so this is the
# same as pairing every project and keeping the chosen units' pairs
if mode == "districts":
    mine_yoy = compare.with_series(chosen_projects)
else:
    picked = compare.with_series(projects[projects["project_id"].isin(chosen)])
    mine_yoy = compare.with_series(projects[projects["region_code"].isin(set(picked["region_code"]))])
    mine_yoy = mine_yoy[mine_yoy["series"].isin(set(picked["series"]))]
yoy = compare.year_over_year(mine_yoy, ["reported_total_score", "execution_rate", "outcome_per_wan"])
if mode == "districts":
    regions = mine_yoy.set_index("project_id")["region_code"]
    yoy = yoy[yoy["project_id"].map(regions).isin(chosen)]
    if year is not None:
        yoy = yoy[yoy["year"] == year]
else:
    yoy = yoy[yoy["project_id"].isin(chosen) | yoy["prev_project_id"].isin(chosen)]
if yoy.empty:
    st.info(t("所选对象没有可比的上年项目（同一地区、同类项目在相邻年度各有一个）。",
              "No chosen project has a previous-year counterpart (same district and kind, consecutive years)."))
else:
    info = mine_yoy.set_index("project_id")
    yt = yoy.assign(name=yoy["project_id"].map(info["unit_label"]), region=yoy["project_id"].map(info["region_short"]),
                    code=yoy["project_id"].map(info["region_code"]),
                    exec_pct=yoy["execution_rate"] * 100, change_exec_pp=yoy["change_execution_rate"] * 100,
                    link=state.links().many("project", "project", yoy["project_id"]))
    yt = yt.sort_values(["code", "name"])
    st.dataframe(
        yt[["name", "year", "reported_total_score", "change_reported_total_score", "exec_pct",
            "change_exec_pp", "change_outcome_per_wan", "link"]],
        hide_index=True, width="stretch",
        column_config={
            "name": st.column_config.TextColumn(t("项目", "Project"), width="medium"),
            "year": st.column_config.NumberColumn(t("年度", "Year"), format="%d"),
            "reported_total_score": st.column_config.NumberColumn(t("总分", "Score"), format="%.2f"),
            "change_reported_total_score": st.column_config.NumberColumn(t("同比（分）", "YoY (points)"),
                                                                         format="%+.2f"),
            "exec_pct": st.column_config.NumberColumn(t("执行率", "Execution"), format="%.2f%%"),
            "change_exec_pp": st.column_config.NumberColumn(t("同比（百分点）", "YoY (pp)"), format="%+.2f"),
            "change_outcome_per_wan": st.column_config.NumberColumn(t("每万元成效同比", "YoY outcome per 10k"),
                                                                    format="%+.2f"),
            "link": st.column_config.LinkColumn(t("评分卡", "Scorecard"), display_text=t("打开 ›", "open ›")),
        })
    series = list(dict.fromkeys(yt["series"]))
    if len(series) <= compare.MAX_UNITS:
        lines = mine_yoy[mine_yoy["series"].isin(series)]
        lines = lines.assign(series_label=[compare.strip_years(s) for s in lines["unit_label"]])
        plot.chart(charts_compare.yoy_lines(lines, t))
    else:
        st.caption(t(f"共 {len(series)} 个项目序列，逐年折线图仅在不超过 {compare.MAX_UNITS} 个时显示。",
                     f"{len(series)} series: the yearly line chart shows for {compare.MAX_UNITS} or fewer."))

# -- drill down: district → its projects → a project's scorecard -------------------------------------------
if mode == "districts":
    st.subheader(t("下钻：地区 → 项目 → 评分卡", "Drill down: district → projects → scorecard"))
    drill = st.selectbox(t("地区", "District"), chosen, format_func=lambda u: labels.get(u, u), key="w_cmp_drill")
    mine = chosen_projects[chosen_projects["region_code"] == drill].sort_values(["year", "project_id"])  # every year
    st.dataframe(
        mine.assign(exec_pct=pct_text(mine["execution_rate"]),
                    link=state.links().many("project", "project", mine["project_id"]))[
            ["display_name", "year", "category", "reported_total_score", "reported_grade", "exec_pct", "link"]],
        hide_index=True, width="stretch",
        column_config={
            "display_name": st.column_config.TextColumn(t("项目", "Project"), width="large"),
            "year": st.column_config.NumberColumn(t("年度", "Year"), format="%d"),
            "category": t("类别", "Category"),
            "reported_total_score": st.column_config.NumberColumn(t("总分", "Score"), format="%.2f"),
            "reported_grade": t("等级", "Grade"),
            "exec_pct": t("执行率", "Execution"),
            "link": st.column_config.LinkColumn(t("评分卡", "Scorecard"), display_text=t("打开 ›", "open ›")),
        })
    ids = list(mine["project_id"])[:compare.MAX_UNITS]
    if len(ids) >= compare.MIN_UNITS:
        st.markdown(f"[{t('对比该地区的项目 ›', 'Compare the projects of this district ›')}]"
                    f"({state.link('compare', projects=','.join(ids))})")
