"""The words and the rule for tables that list at most capped.MAX_ROWS rows."""
import pytest

from perfeval.views import capped


def test_is_capped():
    assert not capped.is_capped(capped.MAX_ROWS)
    assert capped.is_capped(capped.MAX_ROWS + 1)
    assert not capped.is_capped(None) and not capped.is_capped(0)
    assert capped.is_capped(6, limit=5) and not capped.is_capped(5, limit=5)


def test_is_capped_reads_the_limit_when_called(monkeypatch):
    monkeypatch.setattr(capped, "MAX_ROWS", 3)   # what the page tests do to see a capped table on small data
    assert capped.is_capped(4)


@pytest.mark.parametrize("lang,expected", [
    ("zh", "表中为预算执行率最低的 500 个项目（共 100,000 个项目）；可用侧栏筛选条件或上方的项目选择缩小范围。"),
    ("en", "The table lists the 500 projects with the lowest execution rates (of 100,000 projects); narrow the list "
           "with the sidebar filters or by picking a project above."),
])
def test_note(lang, expected):
    assert capped.note(500, 100_000, "个项目", "projects", "预算执行率最低", "the lowest execution rates", lang) == expected
