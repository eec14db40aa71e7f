"""The scoring engine: rule types, the recomputation of an indicator tree, grades.

Pure Python, no Streamlit and no data access: functions take rows, dicts and DataFrames and return
values. Scores are in 分 (points), rates are fractions (0.9889), weights are the indicator's 分值.
Documented in docs/scoring.md.

Which module holds what:

- ``rule_text``  the Excel text form of a rule: ``key=value; …`` cells, numbers, ``@references``;
- ``numbers``    rounding half up (`round_score`), how scores, rates and numbers are written in reasons
                 (`pts`, `pct`, `num`, `op_symbol`);
- ``inputs``     what a rule reads and gives: `Context` (weight, params, inputs, facts), `Evaluation`,
                 `MissingInput` / `BadRule`, and the `fallback` to the reported score;
- ``rules``      the rule functions (``rule_*``), `RuleType` and the `RULE_TYPES` catalogue, `Rule`
                 (one indicator's rule as data), `compare` and `evaluate`;
- ``tree``       `score_tree` (an indicator tree recomputed bottom-up, `TREE_COLUMNS`), `total_evaluation`,
                 `METHODS`, `rules_by_code`;
- ``grades``     `GradeBand`, `DEFAULT_BANDS`, `bands_from_frame`, `grade_of`, `band_range`.

The names callers use are re-exported here (``from perfeval.domain import scoring; scoring.grade_of(…)``).
"""
from perfeval.domain.scoring.grades import (
    DEFAULT_BANDS,
    GradeBand,
    band_range,
    bands_from_frame,
    grade_of,
)
from perfeval.domain.scoring.inputs import (
    BadRule,
    Context,
    Evaluation,
    MissingInput,
    fallback,
)
from perfeval.domain.scoring.numbers import EPS, num, op_symbol, pct, pts, round_score
from perfeval.domain.scoring.rules import RULE_TYPES, Rule, RuleType, compare, evaluate
from perfeval.domain.scoring.tree import (
    METHODS,
    TREE_COLUMNS,
    rules_by_code,
    score_tree,
    total_evaluation,
)

__all__ = [
    "DEFAULT_BANDS", "GradeBand", "band_range", "bands_from_frame", "grade_of",
    "BadRule", "Context", "Evaluation", "MissingInput", "fallback",
    "EPS", "num", "op_symbol", "pct", "pts", "round_score",
    "RULE_TYPES", "Rule", "RuleType", "compare", "evaluate",
    "METHODS", "TREE_COLUMNS", "rules_by_code", "score_tree", "total_evaluation",
]
