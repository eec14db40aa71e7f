"""The page models' cache (perfeval/ui/model_cache.py) and what perfeval.ui.state.model keys it on."""
import threading

import pytest

from perfeval.data.gate import Scope
from perfeval.ui import state
from perfeval.ui.model_cache import ModelCache
from perfeval.views import sidebar


def test_a_hit_returns_the_kept_value_without_building_again():
    cache, built = ModelCache(), []
    assert cache.get(("a", 1), lambda: built.append(1) or {"v": 1}) == {"v": 1}
    again = cache.get(("a", 1), lambda: built.append(1) or {"v": 2})
    assert again == {"v": 1} and len(built) == 1 and (cache.hits, cache.misses) == (1, 1)


def test_the_least_recently_used_entry_goes_when_full():
    cache = ModelCache(max_entries=2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 0)        # a is used again: b is now the oldest
    cache.get("c", lambda: 3)
    assert len(cache) == 2
    assert cache.get("b", lambda: "rebuilt") == "rebuilt"
    assert cache.get("c", lambda: "x") == 3   # kept; a went when b came back


def test_an_unhashable_argument_is_refused_not_keyed_on_something_else():
    with pytest.raises(TypeError):
        ModelCache().get(("m", (("chosen", ["a", "b"]),)), lambda: 1)


def test_concurrent_sessions_get_one_value():
    cache, out = ModelCache(), []
    threads = [threading.Thread(target=lambda: out.append(cache.get("k", lambda: "v"))) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert out == ["v"] * 8 and len(cache) == 1


def test_state_model_keys_on_the_arguments_the_scope_and_the_version(monkeypatch, tmp_path):
    """Two viewers with different scopes, or one lake at two versions, never share a result."""
    calls = []

    def fake_model(q, *, lang):
        calls.append(lang)
        return {"lang": lang, "n": len(calls)}

    fake_model.__module__, fake_model.__qualname__ = "tests.fake", "fake_model"
    version = {"v": "1"}

    class Gate:
        def version(self):
            return version["v"]

    viewer = {"scope": Scope.everything()}
    monkeypatch.setattr(state, "gate", lambda: Gate())
    monkeypatch.setattr(state, "scope", lambda: viewer["scope"])
    monkeypatch.setattr(state, "data_dir", lambda: tmp_path)
    state._model.clear()
    try:
        first = state.model(fake_model, lang="zh")
        assert state.model(fake_model, lang="zh") is first          # a rerun: the same result, not built again
        assert state.model(fake_model, lang="en")["n"] == 2         # another argument
        viewer["scope"] = Scope.everything(include_demo=False)
        assert state.model(fake_model, lang="zh")["n"] == 3         # another scope
        version["v"] = "2"
        assert state.model(fake_model, lang="zh")["n"] == 4         # the lake changed
        assert calls == ["zh", "en", "zh", "zh"]
    finally:
        state._model.clear()


def test_sidebar_options_come_from_the_visible_projects():
    from perfeval.config import BUNDLED_DATA
    from perfeval.data.gate import DataGate
    from perfeval.data.lake import Lake

    gate = DataGate(Lake(BUNDLED_DATA))

    def q(scope):
        return lambda name, **p: gate.query(name, scope, **p)

    everything = sidebar.filter_options(q(Scope.everything()))
    real = sidebar.filter_options(q(Scope.everything(include_demo=False)))
    assert "12" in everything["regions"] and everything["regions"]["12"].startswith("天津")
    assert not [k for k in real["regions"] if k.startswith("99")], "demo regions hidden with the demo data"
    assert any(k.startswith("99") for k in everything["regions"])
    assert real["years"] == (2021, 2023)
    assert set(real["evaluators"]) <= set(everything["evaluators"])
