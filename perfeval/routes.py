"""The app's routed pages, read from app.py's ``PAGES`` list without running it (app.py is a Streamlit
script). For the tools that visit every page: the browser tests, the benchmarks and the cache warmer
(deploy/warm.py)."""
from __future__ import annotations

import ast
import pathlib
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]

# url paths of the pages the sidebar's filters do not apply to: an upload is checked and written whatever
# they are (app.py draws only the language switch there; the filters stay in the session and the URL)
NO_FILTERS = frozenset({"import"})


@dataclass(frozen=True)
class Page:
    file: str   # app_pages/overview.py
    zh: str     # title in the navigation
    en: str
    url: str    # url path: /overview

    @property
    def stem(self) -> str:
        return pathlib.Path(self.file).stem

    @property
    def doc(self) -> str:
        """The page file's docstring (each page says there what it shows and which links it takes)."""
        return ast.get_docstring(ast.parse((ROOT / self.file).read_text(encoding="utf-8"))) or ""

    @property
    def takes_project(self) -> bool:
        """Whether the page documents a ``?project=`` deep link (in its docstring, as each page does)."""
        return f"{self.url}?project=" in self.doc

    @property
    def draws_charts(self) -> bool:
        """Whether the page draws charts: every page does but one whose docstring says it "draws no
        chart" (the import page); the time-to-first-chart measures and tests skip those."""
        return "draws no chart" not in self.doc

    @property
    def has_filters(self) -> bool:
        """Whether the sidebar shows the filters on this page (see `NO_FILTERS`)."""
        return self.url not in NO_FILTERS


def routed_pages() -> list[Page]:
    """The PAGES list of app.py (read without running it) whose files exist, in menu order."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES" for t in node.targets):
            return [Page(f, zh, en, url) for f, zh, en, url, *_ in ast.literal_eval(node.value)
                    if (ROOT / f).exists()]
    raise AssertionError("app.py has no PAGES list")
