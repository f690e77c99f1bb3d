"""The preview's figures (issue 14, item 2) and the hand-vs-CRM choice (item 3): where hand-logged and
imported results share a day and a measure, the user's choice per measure decides; never a deal twice."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.crm.records import DealState, RecordKind
from bot.core.report_items import Measure
from bot.services.crm_hand_choice import HandChoice, hand_choices, set_hand_choice
from bot.services.crm_import import FILE, Overlap, preview_records, write_records
from bot.services.results import LOG, REVIEW, record_report
from bot.storage.models import ActivityLog, Entry, EntryAudit, User
from tests.auxil.crm_imports import NOW, activity, add_user, deal, goal_totals, measure_totals

MONDAY = date(2026, 11, 23)
TUESDAY = MONDAY + timedelta(days=1)


async def new_user(engine: AsyncEngine, **options: Any) -> int:
    async with AsyncSession(engine) as session, session.begin():
        return (await add_user(session, **options)).id


async def hand_log(
    engine: AsyncEngine, user_id: int, day: date, values: dict[Measure, Decimal], source: str = LOG
) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        user = await session.get(User, user_id)
        assert user is not None
        await record_report(session, user, day, values, NOW, source=source)


async def totals(engine: AsyncEngine, user_id: int) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    async with AsyncSession(engine) as session:
        return await goal_totals(session, user_id), await measure_totals(session, user_id)


RECORDS = [
    deal("d1", MONDAY, "120000"),
    deal("d2", TUESDAY, "35000.50"),
    deal("d3", date(2026, 11, 2), "9000"),
    deal("d4", MONDAY, "70000", DealState.LOST),
    deal("d5", date(2026, 11, 26), "44000", DealState.OPEN),
    deal("d6", date(2026, 11, 25), None),  # won without an amount: a deal, no revenue
    activity("c1", MONDAY),
    activity("c2", MONDAY),
    activity("c3", TUESDAY),
    activity("m1", TUESDAY, RecordKind.MEETING),
    activity("v1", date(2026, 11, 27), RecordKind.VISIT),
    activity("t1", MONDAY, RecordKind.TASK),
]


async def test_the_preview_figures_match_a_hand_count_and_write_nothing(engine: AsyncEngine) -> None:
    user_id = await new_user(engine)
    # Stored already: d1 as it is, d2 with another amount, d4 won (this file says lost), c9 not in the file.
    async with AsyncSession(engine) as session, session.begin():
        await write_records(session, user_id=user_id, imported_by=user_id, now=NOW, origin=FILE,
                            records=[deal("d1", MONDAY, "120000"), deal("d2", TUESDAY, "30000"),
                                     deal("d4", MONDAY, "70000"), activity("c9", MONDAY)])  # fmt: skip
    await hand_log(engine, user_id, MONDAY, {Measure.CALLS: Decimal(5), Measure.VISITS: Decimal(1)})
    await hand_log(
        engine, user_id, TUESDAY, {Measure.REVENUE: Decimal(35000), Measure.DEALS: Decimal(1)}, REVIEW
    )
    await hand_log(engine, user_id, date(2026, 11, 27), {Measure.CALLS: Decimal(2)})
    before = await totals(engine, user_id)
    async with AsyncSession(engine) as session:
        audits = len((await session.scalars(select(EntryAudit))).all())
        preview = await preview_records(session, user_id=user_id, records=RECORDS, now=NOW)
    assert (preview.rows, preview.won, preview.won_total) == (
        12,
        4,
        Decimal("164000.50"),
    )  # 120,000 + 35,000.50 + 9,000
    assert (preview.first_day, preview.last_day) == (date(2026, 11, 2), date(2026, 11, 27))
    assert dict(preview.activities) == {"calls": 3, "meetings": 1, "visits": 1}
    # d1 unchanged; d2 changed; d4 stored won, now lost: reversed; the other nine are new.
    assert (preview.new, preview.changed, preview.unchanged, preview.reversed) == (9, 1, 1, 1)
    # Hand results on Monday (calls; the visit is on Monday by hand but Friday in the file), Tuesday
    # (revenue, deals); Friday's hand calls meet a visit in the file, not calls.
    assert preview.overlaps == (
        Overlap(MONDAY, "calls"), Overlap(TUESDAY, "deals"), Overlap(TUESDAY, "revenue")
    )  # fmt: skip
    assert preview.choices_needed == ("calls", "deals", "revenue")
    assert await totals(engine, user_id) == before
    async with AsyncSession(engine) as session:
        assert len((await session.scalars(select(EntryAudit))).all()) == audits
        await set_hand_choice(session, user_id=user_id, measure="calls", choice=HandChoice.BOTH, now=NOW)
        preview = await preview_records(session, user_id=user_id, records=RECORDS, now=NOW)
    assert preview.choices_needed == ("deals", "revenue")


async def test_an_empty_import_previews_as_nothing(engine: AsyncEngine) -> None:
    user_id = await new_user(engine)
    async with AsyncSession(engine) as session:
        preview = await preview_records(session, user_id=user_id, records=[], now=NOW)
    assert (preview.rows, preview.won, preview.won_total, preview.first_day, preview.overlaps) == (
        0, 0, Decimal(0), None, ()
    )  # fmt: skip


async def test_choosing_the_crm_replaces_the_hand_logged_results_of_that_measure(engine: AsyncEngine) -> None:
    user_id = await new_user(engine)
    # Monday by hand: the deal of 120k (revenue and deals) and 5 calls, in one /log.
    await hand_log(engine, user_id, MONDAY, {Measure.REVENUE: Decimal(120000), Measure.DEALS: Decimal(1),
                                             Measure.CALLS: Decimal(5)})  # fmt: skip
    async with AsyncSession(engine) as session, session.begin():
        await set_hand_choice(session, user_id=user_id, measure="revenue", choice=HandChoice.CRM, now=NOW)
        await set_hand_choice(session, user_id=user_id, measure="deals", choice=HandChoice.CRM, now=NOW)
        await set_hand_choice(session, user_id=user_id, measure="calls", choice=HandChoice.BOTH, now=NOW)
        outcome = await write_records(session, user_id=user_id, imported_by=user_id, now=NOW, origin=FILE,
                                      records=[deal("d1", MONDAY, "120000"), activity("c1", MONDAY)])  # fmt: skip
    assert outcome.replaced_hand == 2
    goals, measures = await totals(engine, user_id)
    # The deal counts once (the CRM's); the calls are both the hand-logged 5 and the imported 1.
    assert goals == {"revenue": Decimal(120000), "deals": Decimal(1), "calls": Decimal(6)}
    assert measures == {"revenue": Decimal(120000), "deals": Decimal(1), "calls": Decimal(6)}
    async with AsyncSession(engine) as session:
        hand = (await session.scalars(select(ActivityLog).where(ActivityLog.source == LOG))).all()
        hand_entries = (await session.scalars(select(Entry).where(Entry.source == LOG))).all()
        [audit] = (await session.scalars(select(EntryAudit).where(EntryAudit.action == "crm_replace"))).all()
        assert await hand_choices(session, user_id) == {"revenue": HandChoice.CRM, "deals": HandChoice.CRM,
                                                        "calls": HandChoice.BOTH}  # fmt: skip
    assert [(a.measure, a.amount) for a in hand] == [("calls", Decimal(5))]
    assert [e.amount for e in hand_entries] == [Decimal(5)]  # the calls goal's hand entry stays
    assert audit.day == MONDAY and '"revenue": "120000"' in (audit.old_value or "")
    # Importing again changes nothing more, and changing the choice later applies to the next import.
    async with AsyncSession(engine) as session, session.begin():
        await set_hand_choice(session, user_id=user_id, measure="calls", choice=HandChoice.CRM, now=NOW)
        again = await write_records(session, user_id=user_id, imported_by=user_id, now=NOW, origin=FILE,
                                    records=[deal("d1", MONDAY, "120000"), activity("c1", MONDAY)])  # fmt: skip
    assert (again.unchanged, again.replaced_hand) == (2, 1)
    assert (await totals(engine, user_id))[0] == {
        "revenue": Decimal(120000),
        "deals": Decimal(1),
        "calls": Decimal(1),
    }


async def test_without_a_choice_or_keeping_both_both_count(engine: AsyncEngine) -> None:
    user_id = await new_user(engine)
    await hand_log(engine, user_id, MONDAY, {Measure.REVENUE: Decimal(50000), Measure.DEALS: Decimal(1)})
    async with AsyncSession(engine) as session, session.begin():
        await set_hand_choice(session, user_id=user_id, measure="revenue", choice=HandChoice.BOTH, now=NOW)
        outcome = await write_records(session, user_id=user_id, imported_by=user_id, now=NOW, origin=FILE,
                                      records=[deal("d1", MONDAY, "120000")])  # fmt: skip
    assert outcome.replaced_hand == 0
    assert (await totals(engine, user_id))[0] == {"revenue": Decimal(170000), "deals": Decimal(2)}


async def test_a_meetings_goal_keeps_the_trainings_of_a_report_whose_meetings_the_crm_replaced(
    engine: AsyncEngine,
) -> None:
    async with AsyncSession(engine) as session, session.begin():
        user = await add_user(session, metrics=())
        from bot.core.goal_draft import GoalDraft
        from bot.services.goals import create_goal

        await create_goal(session, user, GoalDraft(metric="meetings", kind="count", unit="count",
                          description="Meet the hospital buyers", target_value=Decimal(40),
                          start_date=date(2026, 11, 1), deadline=date(2026, 12, 31), confidence=7,
                          relevance="Team goal"), NOW)  # fmt: skip
        user_id = user.id
    await hand_log(engine, user_id, MONDAY, {Measure.MEETINGS: Decimal(2), Measure.TRAININGS: Decimal(1)})
    async with AsyncSession(engine) as session, session.begin():
        await set_hand_choice(session, user_id=user_id, measure="meetings", choice=HandChoice.CRM, now=NOW)
        await write_records(session, user_id=user_id, imported_by=user_id, now=NOW, origin=FILE,
                            records=[activity("m1", MONDAY, RecordKind.MEETING)])  # fmt: skip
    goals, measures = await totals(engine, user_id)
    assert goals == {"meetings": Decimal(2)}  # the training by hand, the meeting from the CRM
    assert measures == {"meetings": Decimal(1), "trainings": Decimal(1)}
