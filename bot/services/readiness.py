"""/readyz: whether this process can do its work now (web15). Each check is named in the answer.

database    SELECT 1 answers within READY_DATABASE_TIMEOUT_SECONDS
migrations  the database is at the head revision this code ships (alembic_version)
dispatcher  this process's dispatcher finished a tick lately (skipped where DISPATCHER_ENABLED=false)
inbox_lag   the oldest unhandled update waited less than READY_INBOX_LAG_SECONDS
The heartbeat is this process's, in memory: readiness is asked of each worker, about that worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.services.metrics import Heartbeat, read_backlog
from bot.storage.health import current_revisions, head_revisions, ping

if TYPE_CHECKING:
    from bot.services.container import Services

READY_DATABASE_TIMEOUT_SECONDS = 3.0
# A dispatcher tick is stale after this many of its intervals (a long fan-out tick takes several),
# and never sooner than the floor.
DISPATCHER_STALE_TICKS = 4
DISPATCHER_STALE_FLOOR_SECONDS = 120.0


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


def dispatcher_stale_after(dispatch_interval: float) -> float:
    return max(DISPATCHER_STALE_FLOOR_SECONDS, DISPATCHER_STALE_TICKS * dispatch_interval)


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}"[:200] if text else type(error).__name__


async def readiness(services: Services, heartbeat: Heartbeat) -> list[Check]:
    """Every check, in the order of the module's docstring."""
    settings = services.settings
    checks: list[Check] = []
    try:
        await ping(services.engine, READY_DATABASE_TIMEOUT_SECONDS)
    except Exception as error:  # drivers raise many types: all mean "not reachable"
        unreachable = f"database unreachable: {_reason(error)}"
        checks.append(Check("database", False, unreachable))
        checks.append(Check("migrations", False, "database unreachable"))
    else:
        checks.append(Check("database", True, "SELECT 1 answered"))
        checks.append(await _migrations(services))
    if settings.dispatcher_enabled:
        age, bound = heartbeat.age(), dispatcher_stale_after(settings.dispatch_interval_seconds)
        checks.append(Check("dispatcher", age < bound, f"last tick {age:.0f} s ago (bound {bound:.0f} s)"))
    else:
        checks.append(Check("dispatcher", True, "not run in this process (DISPATCHER_ENABLED=false)"))
    if not checks[0].ok:
        checks.append(Check("inbox_lag", False, "database unreachable"))
    else:
        checks.append(await _inbox_lag(services))
    return checks


async def _migrations(services: Services) -> Check:
    try:
        current = await current_revisions(services.engine, READY_DATABASE_TIMEOUT_SECONDS)
    except Exception as error:  # as above
        return Check("migrations", False, f"cannot read the revision: {_reason(error)}")
    heads = head_revisions()
    if current != heads:
        at = ", ".join(sorted(current)) or "none"
        return Check("migrations", False, f"database at {at}, code at {', '.join(sorted(heads))}")
    return Check("migrations", True, f"at {', '.join(sorted(heads))}")


async def _inbox_lag(services: Services) -> Check:
    bound = services.settings.ready_inbox_lag_seconds
    try:
        backlog = await read_backlog(services)
    except Exception as error:  # as above
        return Check("inbox_lag", False, f"cannot read the inbox: {_reason(error)}")
    age = backlog.inbox_oldest_age
    detail = f"oldest unhandled update {age:.0f} s old, {backlog.inbox_depth} waiting (bound {bound:.0f} s)"
    return Check("inbox_lag", age < bound, detail)
