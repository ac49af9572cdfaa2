"""The import graph of index/ and bot/, read with `ast`: one way, no cycles, one door.

Every import counts, also those inside functions (a late import is still a dependency); those
under `if TYPE_CHECKING:` do not (they never run). Relative imports are resolved against the
importing module's package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("index", "bot")
LIBRARY_FORBIDDEN = ("bot", "discord", "pydantic", "pydantic_core", "pydantic_settings")
BOT_MAY_USE = {"index.corpus", "index.models"}  # the one door of the library


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement except those in the body of `if TYPE_CHECKING:` (its else runs)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Absolute names imported by the module at `path`; `from pkg import mod` names pkg.mod when
    that is a module of the project, else pkg."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
            continue
        if node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        for alias in node.names:
            sub = f"{source}.{alias.name}"
            out.add(sub if sub in modules else source)
    return out


def project_graph() -> dict[str, set[str]]:
    paths = [p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py")) if ".venv" not in p.parts]
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, modules) for p in paths}


GRAPH = project_graph()


def _within(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Only the edges between project modules (a package's __init__ is a module too)."""
    return {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (first module repeated at the end), or None: an iterative DFS."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    for start in sorted(graph):
        if colour[start] != white:
            continue
        stack: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        path = [start]
        colour[start] = grey
        while stack:
            node, todo = stack[-1]
            if not todo:
                colour[node] = black
                stack.pop()
                path.pop()
                continue
            nxt = todo.pop(0)
            if colour[nxt] == grey:
                return path[path.index(nxt) :] + [nxt]
            if colour[nxt] == white:
                colour[nxt] = grey
                path.append(nxt)
                stack.append((nxt, sorted(graph[nxt])))
    return None


def test_the_graph_is_read() -> None:
    """The reader itself: known edges are found, TYPE_CHECKING imports are not."""
    assert "index.corpus" in GRAPH and "bot.cli" in GRAPH
    assert "index.corpus" in GRAPH["bot.cli"]
    assert "discord" in GRAPH["bot.discord.client"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_type_checking_imports_do_not_count(tmp_path: Path) -> None:
    src = (
        "from typing import TYPE_CHECKING\n"
        "import typing\n"
        "if TYPE_CHECKING:\n    import hidden\nelse:\n    import shown\n"
        "if typing.TYPE_CHECKING:\n    import hidden2\n"
        "def f():\n    import late\n"
    )
    names = {a.name for n in _runtime_imports(ast.parse(src)) for a in n.names}
    assert names == {"TYPE_CHECKING", "typing", "shown", "late"}


def test_no_import_cycles() -> None:
    cycle = find_cycle(_within(GRAPH))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if m.split(".")[0] == "index"))
def test_library_never_imports_front_ends(module: str) -> None:
    bad = sorted(d for d in GRAPH[module] if d.split(".")[0] in LIBRARY_FORBIDDEN)
    assert not bad, f"{module} imports {bad}"


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if m.split(".")[0] == "bot"))
def test_front_ends_use_only_the_door(module: str) -> None:
    used = {d for d in GRAPH[module] if d.split(".")[0] == "index"}
    bad = sorted(used - BOT_MAY_USE)
    assert not bad, f"{module} imports {bad} (front ends use index.corpus and index.models only)"


def _python_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]


def test_tests_never_import_bench() -> None:
    """Benches may use the tests' fixtures (tests/fake_discord.py, tests/question_sets.py), not
    the other way round: a test never depends on a measuring script."""
    bad = []
    for path in _python_files("tests"):
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(n.split(".")[0] == "bench" for n in names) and not (isinstance(node, ast.ImportFrom) and node.level):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, f"tests import bench: {bad}"


def _private_names_of_corpus() -> set[str]:
    """`_name`s a Corpus has: its private methods and the attributes it sets on `self`."""
    tree = ast.parse((ROOT / "index" / "corpus.py").read_text(encoding="utf-8"))
    (corpus,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Corpus"]
    names = {n.name for n in corpus.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    names |= {
        n.attr
        for n in ast.walk(corpus)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"
    }
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def test_nothing_outside_the_library_reads_private_attributes_of_corpus() -> None:
    private = _private_names_of_corpus()
    assert {"_rows", "_records"} <= private  # the reader itself
    bad = []
    for path in _python_files("tests", "bench", "tools", "bot"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Attribute) and node.attr in private:
                if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert not bad, f"private attributes of Corpus read outside index/: {bad}"
