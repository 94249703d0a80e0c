"""The package's shape, checked: layers import only downwards and no module imports one
that imports it back (docs/architecture.md draws the layers).

Every import counts, a function's own included: a lazy import hides a cycle, it does not
remove it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "timeline"

#: Each layer may import the ones before it, never one after it. Modules at the package's
#: top (``cli``, ``research``, ``plots``) are entry points and may import any layer;
#: ``config`` is read by every layer and imports none.
LAYERS = ("model", "stores", "services", "api")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """The package's modules that ``name`` imports (a ``from x import y`` of a submodule
    ``x.y`` counts as importing ``x.y``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [
                f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known
            ]
            targets = targets or [base]
        else:
            continue
        for target in targets:
            while target and target not in known:  # timeline.x.y.Name -> timeline.x.y
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: set(_imports(name, path, known)) for name, path in modules.items()}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 2 and parts[1] in LAYERS else None


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_checker_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_checker_reads_lazy_and_relative_imports() -> None:
    graph = _graph()
    assert "timeline.stores.neo4j" in graph["timeline.stores"]  # imported inside open_store
    assert "timeline.stores.neo4j.load" in graph["timeline.stores.neo4j.store"]


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert _cycles(_graph()) == []


@pytest.mark.parametrize("layer", LAYERS)
def test_layers_import_only_downwards(layer: str) -> None:
    rank = LAYERS.index(layer)
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items()
        if _layer(module) == rank
        for target in targets
        if ((other := _layer(target)) is not None and other > rank)
        or target.split(".")[1:2] in (["cli"], ["research"], ["plots"])
    )
    assert upward == []


def test_config_imports_no_layer() -> None:
    assert {t for t in _graph()["timeline.config"] if _layer(t) is not None} == set()
