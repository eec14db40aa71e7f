"""A page's shape: what one run of it drew, taken from its AppTest element tree, as plain data.

``capture(at)`` walks the tree a page left in an AppTest and keeps, per element, what it takes to draw it
again with the same Streamlit call: its kind, where it sits (main or sidebar, inside columns, expanders,
containers, tabs) and its content (texts, a metric's label, value and help, each table's DataFrame and
column configuration, each chart's figure JSON, a widget's label, options, value and key). bench/shape_app.py
draws a saved shape again with no query and no computation: the floor a page of those elements cannot go
under in Streamlit, which the bench measures each page against (bench/measure_pages.py).

``kinds(at)`` counts the elements and blocks of each kind in a tree: the replay must draw the same as the
page (tests/app/test_bench_shape.py). An element kind that ``capture`` does not know is listed in the
shape's ``unsupported`` and not drawn, so the counts tell that the replay misses it.

No Streamlit import here (the tree's nodes and protos are read through what they carry); ``replay``
imports AppTest when called.
"""
from __future__ import annotations

import collections
import contextlib
import json
import os
import pathlib
import pickle

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHAPES = ROOT / "bench" / "out" / "shapes"
SHAPE_APP = ROOT / "bench" / "shape_app.py"
ENV = "BENCH_SHAPE"          # the shape app draws the shape saved at this path
CHART = "perfeval_chart"     # perfeval.ui.plot.COMPONENT: every chart is a components-v2 element of that name
ROOTS = ("main", "sidebar")  # the tree's top blocks that a page draws into (the third, "event", holds toasts)


def path_of(url: str, n: int) -> pathlib.Path:
    """Where the bench keeps the shape of page ``url`` (``budget:all`` too) measured at ``n`` projects."""
    return SHAPES / f"{url.replace(':', '_')}@{n}.pkl"


def save(shape: dict, path: pathlib.Path) -> pathlib.Path:
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(shape, protocol=pickle.HIGHEST_PROTOCOL))
    tmp.replace(path)  # whole or not at all: a shape app may be reading it
    return path


def load(path: pathlib.Path) -> dict:
    return pickle.loads(pathlib.Path(path).read_bytes())


# -- the tree ---------------------------------------------------------------------------------------------

def _is_block(node) -> bool:
    return hasattr(node, "children")  # blocks hold children; elements do not


def _top(at, name: str):
    return next((b for b in at._tree.children.values() if getattr(b, "type", None) == name), None)


def _nodes(block):
    """Every node under ``block`` (not itself), depth first, in page order."""
    for _, child in sorted(block.children.items()):
        yield child
        if _is_block(child):
            yield from _nodes(child)


def kinds(at) -> collections.Counter:
    """How many elements and blocks of each kind the run drew, main and sidebar: {"metric": 6,
    "column": 12, "flex_container": 5, …}; charts count as "chart", other components as "bidi_component"."""
    out: collections.Counter = collections.Counter()
    for name in ROOTS:
        top = _top(at, name)
        if top is not None:
            out.update(_kind(node) for node in _nodes(top))
    return out


def outline(at) -> list[tuple]:
    """(root, depth, kind) of every node in page order: where each element sits, not what it holds."""
    out = []

    def walk(block, root, depth):
        for _, child in sorted(block.children.items()):
            out.append((root, depth, _kind(child)))
            if _is_block(child):
                walk(child, root, depth + 1)

    for name in ROOTS:
        top = _top(at, name)
        if top is not None:
            walk(top, name, 0)
    return out


def _kind(node) -> str:
    kind = node.type
    if kind == "bidi_component" and node.proto.component_name.endswith(CHART):
        return "chart"
    return kind


# -- capture ----------------------------------------------------------------------------------------------

def capture(at) -> dict:
    """The shape of the run ``at`` last made: {"main": [node, …], "sidebar": [node, …], "unsupported":
    [kind, …]}. A node is {"kind", "args"} and, for a block, "children"."""
    unsupported: list[str] = []
    shape = {name: _capture_block(_top(at, name), unsupported) if _top(at, name) is not None else []
             for name in ROOTS}
    shape["unsupported"] = unsupported
    return shape


def _capture_block(block, unsupported: list[str]) -> list[dict]:
    out = []
    for _, node in sorted(block.children.items()):
        if _is_block(node):
            out.append({"kind": node.type, "args": _block_args(node),
                        "children": _capture_block(node, unsupported)})
        else:
            kind = _kind(node)
            args = _element_args(kind, node)
            if args is None:
                unsupported.append(kind)
                out.append({"kind": kind, "args": {}, "unsupported": True})
            else:
                out.append({"kind": kind, "args": args})
    return out


def _enum(proto, field: str) -> str:
    fd = proto.DESCRIPTOR.fields_by_name[field]
    return fd.enum_type.values_by_number[getattr(proto, field)].name


def _gap(gap_config) -> str | None:
    name = gap_config.DESCRIPTOR.fields_by_name["gap_size"].enum_type.values_by_number[gap_config.gap_size].name
    return {"GAP_UNDEFINED": "small", "NONE": None}.get(name, name.lower())


def _block_args(node) -> dict:
    p = node.proto
    key = getattr(node, "key", None)
    if node.type == "flex_container":
        fc = p.flex_container
        height = "content"
        if p.HasField("height_config"):
            which = p.height_config.WhichOneof("height_spec")
            if which == "pixel_height":
                height = p.height_config.pixel_height
            elif which == "use_stretch":
                height = "stretch"
        return {"horizontal": _enum(fc, "direction") == "HORIZONTAL", "border": bool(fc.border),
                "gap": _gap(fc.gap_config), "height": height, "key": key}
    if node.type == "column":
        return {"weight": p.weight, "gap": _gap(p.gap_config), "border": bool(p.show_border),
                "vertical_alignment": _enum(p, "vertical_alignment").lower()}
    if node.type in ("expander", "expandable"):
        return {"label": p.label, "expanded": bool(p.expanded), "icon": p.icon or None}
    if node.type == "tab":
        return {"label": p.label}
    if node.type == "popover":
        return {"label": p.popover.label}
    return {"key": key}


def _visibility(proto) -> str:
    if not proto.HasField("label_visibility"):
        return "visible"
    lv = proto.label_visibility
    return lv.DESCRIPTOR.fields_by_name["value"].enum_type.values_by_number[lv.value].name.lower()


def _widget(node, **args) -> dict:
    p = node.proto
    return {"label": p.label, "help": p.help or None, "key": getattr(node, "key", None),
            "disabled": bool(getattr(p, "disabled", False)), **args}


def _element_args(kind: str, node) -> dict | None:
    """What the replay passes to draw ``node`` again; None for a kind it cannot draw."""
    p = node.proto
    if kind in ("title", "header", "subheader"):
        args = {"body": p.body, "anchor": False if p.hide_anchor else (p.anchor or None), "help": p.help or None}
        if kind != "title":  # st.title draws no divider
            args["divider"] = p.divider or False
        return args
    if kind in ("markdown", "caption"):
        return {"body": p.body, "help": p.help or None, "unsafe_allow_html": bool(p.allow_html)}
    if kind == "divider":
        return {}
    if kind in ("info", "warning", "success", "error"):
        return {"body": p.body, "icon": p.icon or None}
    if kind == "metric":
        return {"label": p.label, "value": p.body, "delta": p.delta or None, "help": p.help or None,
                "border": bool(p.show_border), "label_visibility": _visibility(p)}
    if kind in ("dataframe", "table"):
        config = json.loads(p.columns) if getattr(p, "columns", "") else {}
        # a column named by position is "_pos:<n>" in the proto, <n> in a call
        config = {int(k[5:]) if k.startswith("_pos:") else k: v for k, v in config.items()}
        return {"data": node.value, "column_config": config}
    if kind == "chart":
        return {"spec": json.loads(p.json)["spec"], "key": getattr(node, "key", None)}
    if kind in ("selectbox", "radio"):
        args = _widget(node, options=list(node.options), index=node.index,
                       label_visibility=_visibility(p))
        if kind == "radio":
            args.update(horizontal=bool(p.horizontal), captions=list(p.captions) or None)
        else:
            args.update(placeholder=p.placeholder or None, accept_new_options=bool(p.accept_new_options))
        return args
    if kind == "multiselect":
        return _widget(node, options=list(node.options), default=[node.options[i] for i in node.indices],
                       max_selections=p.max_selections or None, placeholder=p.placeholder or None,
                       accept_new_options=bool(p.accept_new_options), label_visibility=_visibility(p))
    if kind in ("checkbox", "toggle"):
        return _widget(node, value=bool(node.value), label_visibility=_visibility(p))
    if kind == "date_input":  # one date (the audit log's from / to); a range is not replayed
        if p.is_range:
            return None
        return _widget(node, value=node.value, min_value=node.min, max_value=node.max, format=p.format or None,
                       label_visibility=_visibility(p))
    if kind == "slider":
        data_type = _enum(p, "data_type")
        if data_type not in ("INT", "FLOAT"):
            return None
        cast = int if data_type == "INT" else float
        value = node.value
        value = tuple(cast(v) for v in value) if isinstance(value, (tuple, list)) else cast(value)
        return _widget(node, min_value=cast(p.min), max_value=cast(p.max), step=cast(p.step), value=value,
                       format=p.format or None, label_visibility=_visibility(p))
    if kind == "number_input":
        cast = int if _enum(p, "data_type") == "INT" else float
        return _widget(node, min_value=cast(p.min) if p.has_min else None,
                       max_value=cast(p.max) if p.has_max else None, step=cast(p.step) if p.step else None,
                       value=None if node.value is None else cast(node.value), format=p.format or None,
                       placeholder=p.placeholder or None, label_visibility=_visibility(p))
    if kind in ("text_input", "text_area"):
        args = _widget(node, value=node.value or "", max_chars=p.max_chars or None,
                       placeholder=p.placeholder or None, label_visibility=_visibility(p))
        if kind == "text_input":
            args["type"] = _enum(p, "type").lower()
        return args
    if kind == "button":
        return _widget(node, type=p.type or "secondary", icon=p.icon or None)
    if kind == "download_button":
        # the file itself is not kept: a deferred one is made on click, and the floor draws the button
        return _widget(node, type=p.type or "secondary", icon=p.icon or None,
                       deferred=bool(p.deferred_file_id), ignore_rerun=bool(p.ignore_rerun))
    if kind == "link_button":
        return {"label": p.label, "url": p.url, "help": p.help or None}
    if kind == "page_link":
        return {"label": p.label, "page": p.page, "query_string": p.query_string, "icon": p.icon or None,
                "help": p.help or None, "disabled": bool(p.disabled), "external": bool(p.external)}
    if kind == "button_group":
        multi = _enum(p, "click_mode") == "MULTI_SELECT"
        options = list(node.options)
        chosen = [options[i] for i in node.indices]
        return _widget(node, options=options, style=_enum(p, "style").lower(),
                       selection_mode="multi" if multi else "single",
                       default=chosen if multi else (chosen[0] if chosen else None),
                       label_visibility=_visibility(p))
    if kind == "file_uploader":
        return _widget(node, type=[t.lstrip(".") for t in p.type] or None,
                       accept_multiple_files=bool(p.multiple_files), label_visibility=_visibility(p))
    if kind == "code":
        return {"body": p.code_text, "language": p.language or None}
    if kind == "json":
        return {"body": json.loads(p.body), "expanded": bool(p.expanded)}
    if kind == "empty":
        return {}
    return None


# -- replay -----------------------------------------------------------------------------------------------

@contextlib.contextmanager
def _shape_env(path: pathlib.Path):
    before = os.environ.get(ENV)
    os.environ[ENV] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before


def app_test(path: pathlib.Path, timeout: float = 600):
    """An AppTest of bench/shape_app.py that draws the shape saved at ``path`` (the path is read by
    each run: run it inside ``drawing(path)`` or with BENCH_SHAPE set)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(SHAPE_APP), default_timeout=timeout)


def drawing(path: pathlib.Path):
    """A context in which the shape app draws the shape saved at ``path`` (sets BENCH_SHAPE)."""
    return _shape_env(pathlib.Path(path))


def replay(path: pathlib.Path, timeout: float = 60):
    """Run the shape app once on the shape saved at ``path``; return its AppTest."""
    at = app_test(path, timeout)
    with drawing(path):
        at.run()
    return at
