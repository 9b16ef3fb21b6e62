"""The folders are the pipeline: every import of papergraph's own modules goes down the layers
(sources -> extract -> resolve -> graph -> export -> query / analytics -> run -> the package -> cli),
no module imports one of a layer above it or of a sibling layer, and no modules import each other
in a circle. Imports inside functions and under ``TYPE_CHECKING`` count as much as the others."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import papergraph

PACKAGE = Path(papergraph.__file__).parent

#: Lowest first. A module may import its own package and the layers below its own.
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "papergraph.model",
        "papergraph.compiled",
        "papergraph.names",
        "papergraph.identifiers",
        "papergraph.atomic",
        "papergraph.gcpause",
        "papergraph.lifeline",
        "papergraph.terminal",
        "papergraph.extras",
        "papergraph.examples",
        "papergraph.ontology",
    ),
    ("papergraph.sources",),
    ("papergraph.extract",),
    ("papergraph.resolve",),
    ("papergraph.graph",),
    ("papergraph.export",),
    ("papergraph.query", "papergraph.analytics"),
    ("papergraph.run",),
    ("papergraph",),
    ("papergraph.cli",),
)
#: The most lines a module may have.
MAX_LINES = 600


def modules() -> dict[str, Path]:
    """Dotted name -> file of every module of the installed package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ["papergraph", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def import_graph() -> nx.DiGraph:
    """Module -> the papergraph modules it imports (a ``from package import name`` counts as an
    import of the submodule ``name`` where there is one, else of the package)."""
    mods = modules()
    graph = nx.DiGraph()

    def known(name: str) -> str:
        while name not in mods:
            name = name.rpartition(".")[0]
        return name

    for name, path in mods.items():
        graph.add_node(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            for target in targets:
                if target == "papergraph" or target.startswith("papergraph."):
                    target = known(target)
                    if target != name:
                        graph.add_edge(name, target)
    return graph


def layer(module: str) -> int:
    """The index in :data:`LAYERS` of the longest prefix of ``module``."""
    best = max(
        (
            (len(prefix), i)
            for i, prefixes in enumerate(LAYERS)
            for prefix in prefixes
            if module == prefix or module.startswith(prefix + ".")
        ),
        default=None,
    )
    assert best is not None, f"{module} is in no layer of LAYERS"
    return best[1]


def top(module: str) -> str:
    """The prefix of :data:`LAYERS` that ``module`` belongs to."""
    return max((p for ps in LAYERS for p in ps if module == p or module.startswith(p + ".")), key=len)


def test_no_circle() -> None:
    circles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert circles == []


def test_imports_go_down_the_layers() -> None:
    wrong = [
        f"{a} imports {b}"
        for a, b in import_graph().edges
        if layer(b) > layer(a) or (layer(b) == layer(a) and top(a) != top(b))
    ]
    assert wrong == []


def test_every_module_is_in_a_layer() -> None:
    for name in modules():
        layer(name)


@pytest.mark.parametrize("name", sorted(modules()))
def test_module_size(name: str) -> None:
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_the_graph_model_needs_nothing_above_it() -> None:
    """The convenience methods of ``KnowledgeGraph`` are lent by the outputs and the store, which
    ``import papergraph`` alone loads: checked in a fresh interpreter (in this one, other tests may
    have imported the lending modules already), for every method ``graph.py`` asks for."""
    graph_py = (PACKAGE / "graph.py").read_text(encoding="utf-8")
    asked = set(re.findall(r'_provided\("(\w+)"\)', graph_py))
    assert {"to_networkx", "write_turtle", "write_graphml", "store", "query"} <= asked
    code = "import papergraph, papergraph.graph as g; print(' '.join(sorted(g._PROVIDERS)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert asked <= set(done.stdout.split()), asked - set(done.stdout.split())
