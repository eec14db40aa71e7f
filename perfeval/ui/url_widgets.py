"""Widgets that a page's own URL parameters set (deep links such as ``compare?districts=…&year=2024``).

A parameter is applied to its widget's state only when the URL changed (a new link), not on every rerun, so
the viewer's later choices stand: each parameter's last seen value is kept in the session under a prefix
of the page's own. Streamlit only.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import streamlit as st

from perfeval.domain import compare
from perfeval.ui import state


def int_or_none(v) -> int | None:
    """``v`` as an int, None where it is none."""
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


class UrlWidgets:
    """A page's URL parameters ↔ its widgets' session keys; ``prefix`` names where the last seen values are
    kept (``"_cmp_url_"`` → ``_cmp_url_year``)."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def new(self, param: str) -> bool:
        """The URL gives ``param`` a value other than the last one seen (a deep link just arrived)."""
        raw = st.query_params.get(param)
        return bool(raw) and raw != st.session_state.get(self.prefix + param)

    def to_state(self, param: str, key: str, parse: Callable[[str], object]) -> None:
        """Set widget ``key`` to ``parse(value)`` when the URL's ``param`` changed, and remember the value."""
        raw = st.query_params.get(param)
        memo = self.prefix + param
        if raw is not None and raw != st.session_state.get(memo):
            st.session_state[key] = parse(raw)
        st.session_state[memo] = raw

    def ids_to_state(self, param: str, key: str, allowed: Iterable[str], limit: int) -> list[str]:
        """`to_state` for a multiselect of ids (the URL's ``a,b,c``): sets ``key`` to the known ids (at most
        ``limit``) and returns those it ignored (unknown, or beyond the limit) when the URL changed, else []."""
        rejected: list[str] = []

        def parse(raw: str) -> list[str]:
            ids, bad = compare.parse_id_list(raw, allowed, limit)
            rejected.extend(bad)
            return ids

        self.to_state(param, key, parse)
        return rejected

    def write(self, params: dict, names: Iterable[str]) -> None:
        """Mirror the page's ``params`` (empty ones left out) and the global state into the URL, and remember
        the values of ``names`` as seen: the page's own writes are not deep links."""
        state.write_url({k: v for k, v in params.items() if v not in (None, "")})
        for p in names:
            st.session_state[self.prefix + p] = st.query_params.get(p)
