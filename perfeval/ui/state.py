"""Session state shared by every page: the data gate, the viewer's scope, the global filters,
the language, and their mirror in the URL (st.query_params).

Cross-page filters live in their own session_state keys (``f_*``), not only in widget keys, so that
they survive page switches; every run writes them back to the URL so a link reproduces the screen.
"""
from __future__ import annotations

import functools
import pathlib

import pandas as pd
import streamlit as st

from perfeval import config
from perfeval.data import demo_default
from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from perfeval.text.i18n import Translator
from perfeval.ui import auth
from perfeval.ui.model_cache import ModelCache
from perfeval.views import sidebar as sidebar_view
from perfeval.views.common import Filters, Links

# URL parameter ↔ session key; the page-specific ones (project, projects, districts) are pages' own.
URL_KEYS = {
    "region": "f_region",
    "year_from": "f_year_from",
    "year_to": "f_year_to",
    "category": "f_category",
    "evaluator": "f_evaluator_type",
    "lang": "lang",
    "demo": "show_demo",
}


def data_dir() -> pathlib.Path:
    """The lake folder: $PERFEVAL_DATA, else the bundled data/."""
    return config.data_dir()


@functools.cache
def _gate(path: str) -> DataGate:
    return DataGate(Lake(path))


def gate() -> DataGate:
    return _gate(str(data_dir()))


def scope() -> Scope:
    """The signed-in viewer's scope (perfeval.ui.auth: from the server's sign-in, never from the URL or a widget;
    nobody, an unknown user or role: `Scope.nothing()`); the demo switch hides demo rows."""
    return auth.scope(include_demo=bool(st.session_state.get("show_demo", True)))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(path: str, name: str, params: tuple, scope_key: tuple, version: str,
            _scope: Scope) -> pd.DataFrame:
    # scope_key and version are in the key so that who asks and what the files hold change the answer.
    return _gate(path).query(name, _scope, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql through the data gate for this viewer (cached per data version)."""
    g = gate()
    sc = scope()
    return _cached(str(data_dir()), name, tuple(sorted(params.items())), sc.key(), g.version(), sc)


def cached_query(path: str, name: str, params: dict, sc: Scope, version: str) -> pd.DataFrame:
    """`query` with the lake, scope and version given, not read from the session: for work done
    outside the page's run (a deferred download), through the same cache."""
    return _cached(path, name, tuple(sorted(params.items())), sc.key(), version, sc)


_model = ModelCache(max_entries=256)


def model(build, **kwargs):
    """``build(q, **kwargs)`` (a page model of perfeval.views) for this viewer: cached on the model's module and
    name, its arguments (hashable values: str, numbers, None, tuples, frozen dataclasses such as `Filters`),
    the lake, the viewer's scope and the lake's version, so that a rerun, or another viewer with the same scope
    and arguments, takes it from the cache (`perfeval.ui.model_cache`). ``q`` is `query` bound to this viewer
    and version. The result is shared: draw it, never change it."""
    path, sc, version = str(data_dir()), scope(), gate().version()
    args = tuple(sorted(kwargs.items()))
    scope_key = sc.key()

    def q(query_name: str, **params) -> pd.DataFrame:
        return _cached(path, query_name, tuple(sorted(params.items())), scope_key, version, sc)

    return _model.get((build.__module__, build.__qualname__, args, path, scope_key, version),
                      lambda: build(q, **kwargs))


def lang() -> str:
    return st.session_state.get("lang", "zh")


def tr() -> Translator:
    return Translator(lang())


def _parse_int(v) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def init_from_url() -> None:
    """Once per session: take the filters, language and demo switch from the URL."""
    if st.session_state.get("_url_loaded"):
        return
    qp = st.query_params
    st.session_state["f_region"] = qp.get("region") or None
    st.session_state["f_year_from"] = _parse_int(qp.get("year_from"))
    st.session_state["f_year_to"] = _parse_int(qp.get("year_to"))
    st.session_state["f_category"] = qp.get("category") or None
    st.session_state["f_evaluator_type"] = qp.get("evaluator") or None
    st.session_state["lang"] = "en" if qp.get("lang") == "en" else "zh"
    # real data first: the demonstration data's default (perfeval.data.demo_default, $PERFEVAL_DEMO_DEFAULT); the
    # URL's demo=0 / demo=1 says otherwise, and only what differs from the default goes into the URL
    st.session_state["demo_default"] = model(sidebar_view.demo_default, setting=demo_default.setting())
    st.session_state["show_demo"] = (qp.get("demo") == "1") if qp.get("demo") in ("0", "1") \
        else st.session_state["demo_default"]
    st.session_state["_url_loaded"] = True


def global_params() -> dict[str, str]:
    """The global state as URL parameters (what a link must carry to keep the filters)."""
    want: dict[str, str] = {}
    for param, key in URL_KEYS.items():
        v = st.session_state.get(key)
        if param == "lang":
            if v == "en":
                want[param] = "en"
        elif param == "demo":
            if v is not None and bool(v) != st.session_state.get("demo_default", True):
                want[param] = "1" if v else "0"
        elif v not in (None, ""):
            want[param] = str(v)
    return want


def links() -> Links:
    """Links to the app's pages that keep the global filters (what a page model gets for its tables)."""
    return Links(tuple(sorted(global_params().items())))


def link(url_path: str, **params) -> str:
    """A relative link to another page that keeps the global filters: ``project?project=…&region=…``."""
    return links().to(url_path, **params)


def write_url(extra: dict[str, str] | None = None) -> None:
    """Mirror the global state (and a page's own parameters) into the URL."""
    want = global_params()
    for k, v in (extra or {}).items():
        if v not in (None, ""):
            want[k] = str(v)
    current = {k: st.query_params.get(k) for k in st.query_params.keys()}
    if current != want:
        st.query_params.from_dict(want)


def filters() -> Filters:
    s = st.session_state
    return Filters(s.get("f_region"), s.get("f_year_from"), s.get("f_year_to"),
                   s.get("f_category"), s.get("f_evaluator_type"))
