"""bot/ imports in one direction: no module reaches itself again, TYPE_CHECKING imports included."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "bot"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Every bot module `path` imports anywhere (top level, functions, TYPE_CHECKING blocks)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from bot.x import y` imports bot.x, or the module bot.x.y when y is one.
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        found.update(name for name in names if name in modules)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the bot modules it imports (package __init__ files included)."""
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    graph = {name: _imports(path, modules) - {name} for name, path in paths.items()}
    for name, targets in graph.items():  # `from bot.queue import jobs` names bot.queue too
        targets.discard(name.rpartition(".")[0])
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_the_graph_sees_type_checking_and_function_level_imports() -> None:
    graph = import_graph()
    assert "bot.config" in graph["bot.__main__"]  # top level
    assert "bot.cli.tools" in graph["bot.__main__"]  # inside a function
    assert "bot.storage.db" in graph["bot.storage.repos"]


def test_find_cycles_reports_a_circle_through_type_checking_imports() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_bot_has_no_import_circle() -> None:
    cycles = find_cycles(import_graph())
    assert not cycles, "\n".join(" ↔ ".join(cycle) for cycle in cycles)


def _imports_any(path: Path, prefixes: tuple[str, ...]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found.update(n for n in names if n == prefixes or n.startswith(prefixes))
    return found


def test_one_direction_handlers_then_services_then_storage() -> None:
    """Services never import handlers; storage never sees Telegram objects or services."""
    wrong = {}
    for package, forbidden in (
        ("queue", ("bot.handlers",)),
        ("intake", ("bot.handlers", "bot.queue", "telegram")),
        ("understanding", ("bot.handlers", "bot.queue", "telegram")),
        ("offers", ("bot.handlers", "bot.queue", "telegram")),
        ("storage", ("bot.handlers", "bot.queue", "bot.context", "telegram")),
    ):
        for path in (PACKAGE / package).rglob("*.py"):
            if path.name == "persistence.py":  # the adapter PTB's persistence API asks for
                continue
            if bad := _imports_any(path, forbidden):
                wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert not wrong, wrong


def test_queue_cases_takes_no_telegram_update_or_context() -> None:
    source = (PACKAGE / "queue" / "cases.py").read_text(encoding="utf-8")
    assert "Update" not in source and "KawanContext" not in source
