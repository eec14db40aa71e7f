"""The zh/en terms the product uses in more than one place, said one way everywhere: ``t(terms.PROJECT)``.

A label used once stays where it is used, as ``t("…", "…")``; a term that appears on several pages, in
decks or in downloads is named here, so "项目数" is always "Projects" and never translated twice.
"""
from __future__ import annotations

Term = tuple[str, str]

PROJECT: Term = ("项目", "Project")
PROJECTS: Term = ("项目数", "Projects")
REGION: Term = ("地区", "Region")
DISTRICT: Term = ("地区", "District")
CATEGORY: Term = ("类别", "Category")
YEAR: Term = ("年度", "Year")
RANK: Term = ("排名", "Rank")
SCORE: Term = ("总分", "Score")
REPORTED_SCORE: Term = ("报告总分", "Reported score")
MEAN_SCORE: Term = ("平均得分", "Mean score")
GRADE: Term = ("等级", "Grade")
GRADES: Term = ("等级分布", "Grades")
EVALUATOR: Term = ("评价方式", "Evaluator type")
WEIGHT: Term = ("分值", "Weight")
SCORE_RATE: Term = ("得分率", "Score rate")
CODE: Term = ("编码", "Code")
BUDGET_WAN: Term = ("预算（万元）", "Budget (10k CNY)")
RECEIVED_WAN: Term = ("到位资金（万元）", "Received (10k CNY)")
SPENT_WAN: Term = ("实际支出（万元）", "Spent (10k CNY)")
UNSPENT_WAN: Term = ("结余（万元）", "Unspent (10k CNY)")
WAN: Term = ("万元", "10k CNY")
EXECUTION: Term = ("执行率", "Execution")
EXECUTION_RATE: Term = ("预算执行率", "Execution rate")
ARRIVAL_RATE: Term = ("资金到位率", "Arrival rate")
SATISFACTION: Term = ("满意度", "Satisfaction")
SCORECARD: Term = ("评分卡", "Scorecard")
DETAILS: Term = ("详情", "Details")
OPEN: Term = ("打开 ›", "open ›")
FOCUS: Term = ("聚焦 ›", "focus ›")
TARGET: Term = ("目标", "Target")
VERDICT: Term = ("结论", "Verdict")
DEFINITIONS: Term = ("计算口径", "Definitions")
NO_PROJECT_MATCHES: Term = ("当前筛选条件下没有项目。", "No project matches the filters.")
