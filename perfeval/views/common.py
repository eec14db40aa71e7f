"""What every page model takes: the sidebar's filters and the links that keep them (pure)."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass(frozen=True)
class Filters:
    """The sidebar's global filters (None = all)."""
    region: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    category: str | None = None
    evaluator_type: str | None = None

    def params(self) -> dict:
        """The $parameters of queries that take the global filters."""
        return {"region": self.region, "year_from": self.year_from, "year_to": self.year_to,
                "category": self.category, "evaluator_type": self.evaluator_type}


@dataclass(frozen=True)
class Links:
    """Relative links to the app's pages that keep the URL's global parameters (filters, language, demo
    switch): ``Links((("region", "12"),)).to("project", project="x")`` → ``project?project=x&region=12``."""
    tail: tuple[tuple[str, str], ...] = field(default=())

    def to(self, url_path: str, **params) -> str:
        """A link to ``url_path`` with ``params`` (empty ones left out) and the global parameters."""
        return url_path + "?" + urlencode({**{k: v for k, v in params.items() if v not in (None, "")},
                                           **dict(self.tail)})

    def many(self, url_path: str, param: str, values) -> list[str]:
        """``to(url_path, **{param: v})`` for each of ``values`` (a table's link column)."""
        tail = dict(self.tail)
        return [url_path + "?" + urlencode({**({param: v} if v not in (None, "") else {}), **tail})
                for v in values]
