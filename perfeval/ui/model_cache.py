"""The page models' cache: one per app process, shared by every session, keyed on a model's call.

`perfeval.ui.state.model` keys each result on the model's module and name, its keyword arguments, the lake, the
viewer's scope and the lake's version: everything the model can read. The key is a plain tuple hashed by
Python, and a hit returns the result itself, not a copy.

Why not ``st.cache_data``: it hashes every argument with its own hasher and unpickles the stored result on every
hit. For a page that draws from four models that was 10–40 ms of a 40–70 ms rerun at 100 000 projects
(docs/performance.md, finding 18), more than the page's own drawing. A page model's result is what a page
draws (frames made for display, figure specs, texts): pages only read it, so handing out the same object is
safe; the query cache under the models (``state.query``) still copies, since models reshape its frames.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

_MISSING = object()


class ModelCache:
    """A bounded, thread-safe LRU map from a hashable key to a built value."""

    def __init__(self, max_entries: int = 256):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, build: Callable[[], object]):
        """The value kept under ``key``, else ``build()`` kept under it (the least recently used entry goes
        when the cache is full). ``key`` must be hashable: an unhashable argument raises TypeError rather
        than being keyed on something else. Two sessions that miss the same key at once both build it;
        the results are equal, the last one is kept."""
        hash(key)
        with self._lock:
            value = self._entries.get(key, _MISSING)
            if value is not _MISSING:
                self._entries.move_to_end(key)
                self.hits += 1
                return value
            self.misses += 1
        value = build()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every entry (as a restarted app would)."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
