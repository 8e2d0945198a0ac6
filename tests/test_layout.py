"""The layout's house rules, read from the source: no import cycles, and HTTP kept out of kg/."""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
WEB = {"flask", "werkzeug", "waitress", "jinja2"}


def modules() -> dict[str, Path]:
    found = {}
    for package in ("kg", "api"):
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, wherever the import is, except those only for type checkers."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            node.body = []
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)  # `from kg import store`
    return names


def test_no_module_of_ours_imports_another_that_imports_it_back():
    ours = modules()
    graph = nx.DiGraph()
    for name, path in ours.items():
        for imported in imports(path):
            if imported in ours and imported != name and not name.startswith(imported + "."):
                graph.add_edge(name, imported)
    assert list(nx.simple_cycles(graph)) == []


def test_the_library_speaks_no_http():
    speaking = {name: sorted(web) for name, path in modules().items() if name.startswith("kg")
                if (web := {imported.split(".")[0] for imported in imports(path)} & WEB)}
    assert speaking == {}
