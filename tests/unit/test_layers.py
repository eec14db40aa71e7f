"""The architecture, held by tests: which package may import which (docs/architecture.md draws it), no import
cycle, no private name imported across modules, Streamlit only in the UI layer.

Imports are read with ``ast`` from every module's text, including imports inside functions: a layer that
imports another "lazily" still depends on it.
"""
from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

# layer → the layers it may import (besides itself). "schema" is perfeval.data.schema: the tables' declaration,
# which every layer may read. The entry point and the page files are the "app" layer.
ALLOWED: dict[str, set[str]] = {
    "config": set(),
    "schema": {"config"},
    "text": {"config", "schema"},
    "data": {"config", "schema", "text"},
    "domain": {"config", "schema", "text"},
    "charts": {"config", "schema", "text", "domain"},
    "decks": {"config", "schema", "text", "domain", "charts"},
    "views": {"config", "schema", "text", "domain", "charts", "data"},
    "auth": {"config", "data"},
    "registry": {"config"},
    "ui": {"config", "schema", "text", "domain", "charts", "decks", "views", "data", "auth", "registry"},
    "cli": {"config", "schema", "text", "domain", "charts", "decks", "views", "data", "auth"},
    "main": {"cli"},
    "app": {"config", "text", "views", "ui", "registry"},
}


def layer_of(module: str) -> str | None:
    """The layer of a dotted module name of ours (None for a module that is not ours)."""
    parts = module.split(".")
    if parts[0] in ("app", "app_pages"):
        return "app"
    if parts[0] != "perfeval":
        return None
    if len(parts) == 1:
        return "perfeval"
    if parts[1] == "data" and parts[2:3] == ["schema"]:
        return "schema"
    return {"pages": "registry", "__main__": "main"}.get(parts[1], parts[1])


def modules() -> dict[str, pathlib.Path]:
    """Every module of the product: perfeval/**, app.py and app_pages/*.py, by dotted name."""
    files = [*(ROOT / "perfeval").rglob("*.py"), ROOT / "app.py", *(ROOT / "app_pages").glob("*.py")]
    out = {}
    for f in files:
        parts = list(f.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = f
    return out


def imports(path: pathlib.Path, module: str, top_level_only: bool = False) -> list[tuple[str, list[str], int]]:
    """(imported module, names imported from it, line) for each import of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    out = []
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in nodes:
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [a.name for a in node.names]
            out.append((base, names, node.lineno))
            # `from perfeval.views import overview` imports the module perfeval.views.overview
            out += [(f"{base}.{n}", [], node.lineno) for n in names if f"{base}.{n}" in MODULES]
    return out


MODULES = modules()


def _edges():
    for name, path in MODULES.items():
        src = layer_of(name)
        for target, _, line in imports(path, name):
            dst = layer_of(target)
            if dst and dst not in ("perfeval", src):
                yield name, path, line, src, target, dst


def test_layers_import_only_what_they_may():
    wrong = [f"{path.relative_to(ROOT)}:{line} {src} → {dst} ({target})"
             for name, path, line, src, target, dst in _edges() if dst not in ALLOWED[src]]
    assert not wrong, "imports across layers the wrong way (see docs/architecture.md):\n" + "\n".join(wrong)


def test_every_layer_is_known():
    assert {layer_of(m) for m in MODULES} - {"perfeval"} <= ALLOWED.keys()


@pytest.mark.parametrize("case", [
    ("perfeval.domain.audit", "perfeval.ui.state", False),
    ("perfeval.data.imports.ingest", "perfeval.cli", False),
    ("perfeval.data.lake", "perfeval.views.overview", False),
    ("perfeval.views.overview", "perfeval.domain.compare", True),
    ("app_pages.overview", "perfeval.views.overview", True),
    ("app_pages.overview", "perfeval.data.lake", False),
])
def test_the_rule_itself(case):
    """The table says what the architecture says: a few edges checked by hand."""
    src, dst, allowed = case
    assert (layer_of(dst) in ALLOWED[layer_of(src)]) is allowed


def test_no_import_cycle():
    """Module-level imports between our modules form no cycle (a cycle makes import order matter)."""
    graph = {name: {t for t, _, _ in imports(path, name, top_level_only=True) if t in MODULES and t != name}
             for name, path in MODULES.items()}
    # a package imports its __init__ first: `from perfeval.views import x` needs perfeval.views, not a cycle
    state, stack, cycles = {}, [], []

    def visit(n):
        state[n] = "open"
        stack.append(n)
        for m in graph[n]:
            if state.get(m) == "open":
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = "done"

    for n in sorted(graph):
        if n not in state:
            visit(n)
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


def test_no_private_name_is_imported_across_modules():
    found = [f"{path.relative_to(ROOT)}:{line} {target}.{n}"
             for name, path in MODULES.items() for target, names, line in imports(path, name)
             if target.split(".")[0] == "perfeval" for n in names if n.startswith("_") and not n.startswith("__")]
    assert not found, "make shared names public:\n" + "\n".join(found)


def test_streamlit_only_in_the_ui_layer():
    found = [f"{path.relative_to(ROOT)}:{line}" for name, path in MODULES.items()
             for target, _, line in imports(path, name)
             if target.split(".")[0] == "streamlit" and layer_of(name) not in ("ui", "app")]
    assert not found, "streamlit imported outside perfeval/ui, app.py and app_pages/: " + ", ".join(found)
