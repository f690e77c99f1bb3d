"""Issue 14, item 3's promise as a property: whatever sequence of imports of whatever record versions
(and deletions in the CRM), the user's revenue and deals are those of the latest won versions, never a
deal counted twice; activities likewise. Run against the real service in database sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.crm.records import CrmRecord, CrmSystem, DealState, RecordKind
from bot.services.crm_import import API, remove_records, write_records
from tests.auxil.crm_imports import NOW, add_user, goal_totals, measure_totals

FIRST = date(2026, 11, 2)
IDS = ("a", "b", "c", "d", "e", "f")


@dataclass(frozen=True)
class Remove:
    record_ids: tuple[str, ...]


versions = st.builds(
    CrmRecord,
    system=st.just(CrmSystem.ZOHO),
    kind=st.sampled_from([RecordKind.DEAL, RecordKind.ORDER]),
    record_id=st.sampled_from(IDS),
    day=st.integers(0, 20).map(lambda n: FIRST + timedelta(days=n)),
    amount=st.one_of(st.none(), st.integers(0, 50).map(lambda n: Decimal(n * 1000) / 4)),
    state=st.sampled_from(list(DealState)),
    owner=st.sampled_from(["Li Wei", "li wei"]),
    title=st.just("Hospital ERP"),
)
calls = st.builds(
    CrmRecord,
    system=st.just(CrmSystem.ZOHO),
    kind=st.sampled_from([RecordKind.CALL, RecordKind.TASK]),
    record_id=st.sampled_from(("c1", "c2", "c3")),
    day=st.integers(0, 20).map(lambda n: FIRST + timedelta(days=n)),
)
imports = st.lists(st.one_of(versions, versions, calls), max_size=8)
removals = st.builds(Remove, st.lists(st.sampled_from((*IDS, "c1", "c2")), max_size=3).map(tuple))
steps = st.lists(st.one_of(imports, imports, removals), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
async def test_results_are_always_those_of_the_latest_versions(
    engine: AsyncEngine, sequence: list[list[CrmRecord] | Remove]
) -> None:
    async with AsyncSession(engine) as session, session.begin():
        user_id = (await add_user(session, metrics=("revenue", "deals", "calls"))).id
    latest: dict[str, CrmRecord | None] = {}
    for number, step in enumerate(sequence):
        now = NOW + timedelta(minutes=number)
        async with AsyncSession(engine) as session, session.begin():
            if isinstance(step, Remove):
                await remove_records(session, user_id=user_id, system=CrmSystem.ZOHO,
                                     record_ids=list(step.record_ids), now=now)  # fmt: skip
                latest.update(dict.fromkeys(step.record_ids))
            else:
                await write_records(session, user_id=user_id, records=step, imported_by=user_id, now=now,
                                    origin=API)  # fmt: skip
                latest.update((record.record_id, record) for record in step)
    counting = [record for record in latest.values() if record is not None and record.counts]
    won = [record for record in counting if record.kind.is_outcome]
    revenue = sum((record.amount or Decimal(0) for record in won), Decimal(0))
    async with AsyncSession(engine) as session:
        goals, measures = await goal_totals(session, user_id), await measure_totals(session, user_id)
    assert goals.get("revenue", Decimal(0)) == revenue == measures.get("revenue", Decimal(0)), sequence
    assert goals.get("deals", Decimal(0)) == len(won) == measures.get("deals", Decimal(0)), sequence
    assert goals.get("calls", Decimal(0)) == len(counting) - len(won) == measures.get("calls", Decimal(0))
