"""The house rules, checked on the source: where SQL may be written, and where a status may change.

1. bot/telegram and bot/services/flows hold no SQL: no sqlalchemy import (the transaction's type is
   bot.storage.database.Session) and no call of a session's methods; repositories and services do that.
2. A status is written only as bot/core/lifecycle decides: an assignment to `.status` outside the
   lifecycles and the repositories takes the result of a lifecycle call (`PROMPTS.move(...)`), and
   no status literal or status enum member is passed as `status=` / `{"status": ...}` outside them.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import pytest

import bot.core.lifecycle

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"
NO_SQL_PACKAGES = (BOT / "telegram", BOT / "services" / "flows")
# Where statuses are decided (the lifecycles) and persisted (the repositories, the old migrations).
STATUS_OWNERS = (BOT / "core" / "lifecycle", BOT / "storage" / "repositories", BOT / "storage" / "migrations")
# Opening the update's transaction where the update enters (`sessionmaker.begin()`) is allowed: it is
# handed to repositories and services, which are the only ones to use it.
SESSION_METHODS = frozenset(
    [
        "execute",
        "scalar",
        "scalars",
        "get",
        "add",
        "add_all",
        "delete",
        "flush",
        "merge",
        "expunge",
        "refresh",
        "stream",
        "stream_scalars",
        "connection",
    ]
)
LIFECYCLE_PACKAGE = "bot.core.lifecycle"


def _status_enums() -> dict[str, frozenset[str]]:
    """The status enums the lifecycles define, by class name, with their stored values."""
    found: dict[str, frozenset[str]] = {}
    for module_info in pkgutil.iter_modules(bot.core.lifecycle.__path__):
        module = importlib.import_module(f"{LIFECYCLE_PACKAGE}.{module_info.name}")
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, StrEnum) and name.endswith("Status"):
                found[name] = frozenset(member.value for member in value)
    return found


STATUS_ENUMS = _status_enums()
STATUS_VALUES = frozenset().union(*STATUS_ENUMS.values())


def modules_under(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        yield from sorted(folder.rglob("*.py"))


def _inside(path: Path, folders: tuple[Path, ...]) -> bool:
    return any(path.is_relative_to(folder) for folder in folders)


def _dotted(node: ast.expr) -> str:
    """`turn.session.get` for the expression; "" for anything that is not a plain name path."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


# 1. No SQL in handlers and flows ------------------------------------------------------------------


def sql_violations(source: str, filename: str = "<source>") -> list[str]:
    """Each sqlalchemy import and each call of a session's method in `source`, as "file:line: what"."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found += [
                f"{filename}:{node.lineno}: import {a.name}"
                for a in node.names
                if a.name.startswith("sqlalchemy")
            ]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found.append(f"{filename}:{node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = _dotted(node.func.value)
            if node.func.attr in SESSION_METHODS and receiver.split(".")[-1] in ("session", "sessionmaker"):
                found.append(f"{filename}:{node.lineno}: {receiver}.{node.func.attr}(...)")
    return found


def test_no_sql_in_handlers_and_flows() -> None:
    found = [
        violation
        for path in modules_under(*NO_SQL_PACKAGES)
        for violation in sql_violations(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == [], "SQL belongs in bot/storage/repositories (or a service):\n" + "\n".join(found)


# 2. Statuses change only through bot/core/lifecycle -----------------------------------------------


def _lifecycle_names(tree: ast.Module) -> set[str]:
    """Names the module imports from bot.core.lifecycle (PROMPTS, GOALS, after_action, ...)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(LIFECYCLE_PACKAGE):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _is_lifecycle_call(node: ast.expr, lifecycle: set[str]) -> bool:
    return isinstance(node, ast.Call) and _dotted(node.func).split(".")[0] in lifecycle


def _enum_names(tree: ast.Module) -> set[str]:
    """The status enums' names in the module, with their aliases (`_S = OccurrenceStatus`)."""
    names = set(STATUS_ENUMS)
    for node in tree.body:
        if isinstance(node, ast.Assign) and _dotted(node.value) in STATUS_ENUMS:
            names.update(_dotted(target) for target in node.targets)
    return names


def _names_a_status(node: ast.expr, enums: set[str]) -> bool:
    """Whether the expression spells a status: a status literal or a status enum member, anywhere in it."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str) and inner.value in STATUS_VALUES:
            return True
        if isinstance(inner, ast.Attribute) and _dotted(inner.value) in enums and inner.attr.isupper():
            return True
    return False


def _assigned_pairs(
    node: ast.Assign | ast.AnnAssign | ast.AugAssign,
) -> Iterator[tuple[ast.expr, ast.expr | None]]:
    """(target, value) pairs of an assignment; a tuple value is paired element by element, and an
    unpacked value (`a.status, a.reason = pair`) or an augmented one pairs with None (not seen)."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    value = None if isinstance(node, ast.AugAssign) else node.value
    for target in targets:
        if not isinstance(target, ast.Tuple):
            yield target, value
        elif isinstance(value, ast.Tuple) and len(target.elts) == len(value.elts):
            yield from zip(target.elts, value.elts, strict=True)
        else:
            yield from ((element, None) for element in target.elts)


def _status_writes(node: ast.AST) -> Iterator[tuple[str, ast.expr | None, bool]]:
    """What `node` writes as a status: (how it is spelled, the value, whether the value must be a
    lifecycle call (an assignment) or only may not spell a status itself (an argument, a dict entry))."""
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        for target, value in _assigned_pairs(node):
            if isinstance(target, ast.Attribute) and target.attr == "status":
                yield f"{_dotted(target) or '.status'} =", value, True
    elif isinstance(node, ast.Call):
        name = node.args[1] if _dotted(node.func) == "setattr" and len(node.args) > 1 else None
        if isinstance(name, ast.Constant) and name.value == "status":
            yield "setattr(..., 'status', ...)", None, True
        yield from (("status=", k.value, False) for k in node.keywords if k.arg == "status")
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "status":
                yield "'status':", value, False


def status_violations(source: str, filename: str = "<source>") -> list[str]:
    """Each status written in `source` without bot/core/lifecycle's say, as "file:line: what"."""
    tree = ast.parse(source, filename)
    lifecycle, enums = _lifecycle_names(tree), _enum_names(tree)
    found = []
    for node in ast.walk(tree):
        for spelled, value, must_move in _status_writes(node):
            if value is not None and _is_lifecycle_call(value, lifecycle):
                continue
            if must_move or value is None or _names_a_status(value, enums):
                shown = ast.unparse(value) if value is not None else "(not seen)"
                found.append(f"{filename}:{getattr(node, 'lineno', 0)}: {spelled} {shown}")
    return found


def test_statuses_change_only_through_the_lifecycles() -> None:
    found = [
        violation
        for path in modules_under(BOT)
        if not _inside(path, STATUS_OWNERS)
        for violation in status_violations(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == [], "Status changes go through bot/core/lifecycle:\n" + "\n".join(found)


# The checks themselves: each catches what it is for, and lets the house's own forms through. --------


@pytest.mark.parametrize(
    "source",
    [
        "from sqlalchemy import select",
        "import sqlalchemy.orm",
        "from sqlalchemy.ext.asyncio import AsyncSession",
        "async def f(turn):\n    await turn.session.get(Vacation, 1)",
        "async def f(ctx):\n    ctx.session.add(Setback())",
        "async def f(session):\n    await session.execute(statement)",
        "async def f(deps):\n    async with deps.sessionmaker() as session:\n        await session.get(Goal, 1)",
    ],
)
def test_the_sql_check_catches(source: str) -> None:
    assert sql_violations(source)


@pytest.mark.parametrize(
    "source",
    [
        "from bot.storage.database import Session",
        "async def f(ctx):\n    await ReviewAnswerRepository(ctx.session).save(1, 'daily', day, {}, now)",
        "def f(data):\n    return data.get('goal_id')",
        "async def f(deps):\n    async with deps.sessionmaker.begin() as session:\n        await stop_prompts(session, 1)",
    ],
)
def test_the_sql_check_lets_through(source: str) -> None:
    assert sql_violations(source) == []


@pytest.mark.parametrize(
    "source",
    [
        "def f(o):\n    o.status = OccurrenceStatus.SKIPPED",
        "def f(o):\n    o.status = 'skipped'",
        "def f(o, s):\n    o.status = s",
        "def f(o, now):\n    o.status, o.updated_at = OccurrenceStatus.SNOOZED, now",
        "def f(o, pair):\n    o.status, o.reason = pair",
        "def f(r):\n    setattr(r, 'status', 'earned')",
        "def f(s):\n    return update(Reward).values(status='ended')",
        "def f():\n    return Reward(status=RewardStatus.ACTIVE)",
        "def f():\n    return {'status': NudgeStatus.PENDING if True else NudgeStatus.SUPPRESSED}",
        "_S = OccurrenceStatus\ndef f():\n    return update(PromptOccurrence).values(status=_S.MISSED)",
    ],
)
def test_the_status_check_catches(source: str) -> None:
    assert status_violations(source)


@pytest.mark.parametrize(
    "source",
    [
        "from bot.core.lifecycle.prompts import PROMPTS\n"
        "def f(o):\n    o.status = PROMPTS.move(o.status, OccurrenceStatus.SENT)",
        "from bot.core.lifecycle.rewards import REWARDS\n"
        "def f(r, now):\n    r.status, r.updated_at = REWARDS.move(r.status, RewardStatus.EARNED), now",
        "from bot.core.lifecycle.goals import GOALS\ndef f():\n    return Goal(status=GOALS.initial)",
        "def f(status):\n    return {'status': status}",
        "def f(o):\n    return o.status == OccurrenceStatus.ANSWERED",
        "def f(view, _):\n    return _('{status}', status=_(LABELS[view.progress.status]))",
    ],
)
def test_the_status_check_lets_through(source: str) -> None:
    assert status_violations(source) == []
