"""requirements.txt lists what the product's code imports, and nothing else: every third-party module imported by
perfeval/, app.py, app_pages/, deploy/ and bench/ comes from a pinned distribution, and every pinned
distribution is imported somewhere (a package kept "just in case" is one more thing to install on an intranet)."""
import ast
import importlib.metadata as md
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
CODE = [ROOT / "app.py", *[p for d in ("perfeval", "app_pages", "deploy", "bench") for p in (ROOT / d).rglob("*.py")]]
OURS = {"perfeval", "app_pages", "deploy", "bench", "tests"}


def pinned(path: pathlib.Path) -> dict[str, str]:
    """{normalised distribution name: line} of a requirements file (``-r`` lines left out)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            name = re.split(r"[\[=<>~!;]", line, maxsplit=1)[0]
            out[re.sub(r"[-_.]+", "-", name).lower()] = line
    return out


def imported_modules() -> set[str]:
    mods = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods.add(node.module.split(".")[0])
    return {m for m in mods if m not in OURS and m not in sys.stdlib_module_names}


def distributions_of(modules: set[str]) -> dict[str, set[str]]:
    dists = md.packages_distributions()
    return {m: {re.sub(r"[-_.]+", "-", d).lower() for d in dists.get(m, [])} for m in modules}


def test_every_imported_package_is_pinned():
    reqs = pinned(ROOT / "requirements.txt") | pinned(ROOT / "requirements-test.txt")
    unpinned = {m: d for m, d in distributions_of(imported_modules()).items() if not d & reqs.keys()}
    assert not unpinned, f"imported but not in requirements*.txt: {unpinned}"


def test_every_pinned_package_is_imported():
    reqs = pinned(ROOT / "requirements.txt")
    used = set().union(*distributions_of(imported_modules()).values())
    assert not reqs.keys() - used, f"pinned in requirements.txt but imported nowhere: {sorted(reqs.keys() - used)}"
