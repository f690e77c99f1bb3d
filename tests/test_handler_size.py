"""Handlers stay short: read the update, call a service, render. Decisions live in services and helpers."""

from __future__ import annotations

import ast
from pathlib import Path

HANDLERS = Path(__file__).resolve().parent.parent / "bot" / "telegram" / "handlers"
MAX_LINES = 20


def long_functions(source: str, limit: int = MAX_LINES) -> list[tuple[str, int]]:
    """Every function (handler or helper, nested ones too) longer than `limit`, def line through last line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            if length > limit:
                found.append((node.name, length))
    return found


def test_handlers_are_short() -> None:
    modules = sorted(HANDLERS.glob("*.py"))
    assert len(modules) > 3, "no handler modules found: the test would pass vacuously"
    too_long = {
        f"{module.name}:{name}": length
        for module in modules
        for name, length in long_functions(module.read_text(encoding="utf-8"))
    }
    assert not too_long, f"handler functions over {MAX_LINES} lines: {too_long}"


def test_a_planted_long_handler_is_caught() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES - 1))
    planted = f"async def handler(update, context):\n{body}\n"
    assert long_functions(planted) == []
    assert long_functions(planted + "    return None\n") == [("handler", MAX_LINES + 1)]
