"""The audit of a partly disclosed indicator tree (a 自评表 published in part, e.g. stopping inside a branch):
a branch whose listed children fall short of its weight is a 部分披露 note, not an error, when the tree's top
nodes carry less than 100 points; where they add up to 100 (the tree claims to be complete) it stays an error."""
from __future__ import annotations

import pandas as pd

from perfeval.domain.audit.model import ProjectData
from perfeval.domain.audit.scores import check_tree, known_partial

_E = pd.DataFrame()


def _data(rows) -> ProjectData:
    ind = pd.DataFrame(rows, columns=["code", "parent_code", "level", "name", "weight", "reported_score"])
    ind["name_en"] = None
    ind["project_id"] = "p1"
    return ProjectData({"project_id": "p1", "reported_total_score": None}, ind, _E, _E, _E, _E)


_BRANCH = [("1", None, 1, "产出指标", 50.0, None),
           ("1.1", "1", 2, "数量指标", 16.0, 16.0),
           ("1.2", "1", 2, "质量指标", 8.0, 8.0)]


def _weights(findings):
    return [f for f in findings if f.check == "children_weights" and f.subject == "1"]


def test_a_short_branch_of_a_partial_tree_is_a_note():
    data = _data(_BRANCH)
    tree = data.tree()
    assert known_partial(data, tree)
    found = _weights(check_tree(data, tree))
    assert len(found) == 1
    f = found[0]
    assert f.severity == "info"
    assert "部分披露" in f.explanation_zh and "24" in f.explanation_zh and "50" in f.explanation_zh
    assert "partly disclosed" in f.explanation_en
    assert not [x for x in check_tree(data, tree) if x.severity == "error"]


def test_a_short_branch_of_a_tree_claiming_100_points_stays_an_error():
    data = _data(_BRANCH + [("2", None, 1, "效益指标", 50.0, 50.0)])
    tree = data.tree()
    assert not known_partial(data, tree)
    found = _weights(check_tree(data, tree))
    assert len(found) == 1 and found[0].severity == "error"
    assert "下级指标分值合计 24" in found[0].explanation_zh
