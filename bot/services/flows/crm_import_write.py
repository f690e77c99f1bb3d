"""Import pressed: the file read once more and written in the update's transaction, and what it changed."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.crm.files import ColumnMapping
from bot.core.currency import default_currency
from bot.core.dialog import Outgoing
from bot.services.crm_hand_choice import HandChoice, set_hand_choice
from bot.services.crm_import import FILE, write_records
from bot.services.crm_import_text import outcome_text, team_outcome_text
from bot.services.crm_layouts import remember_mapping
from bot.services.crm_team_import import write_team_records
from bot.services.flows.crm_import_answers import ImportAnswers, stopped_text
from bot.services.flows.crm_import_progress import FileReading
from bot.services.flows.crm_import_team import IMPORT_FOR_TEAM, TEAM
from bot.services.flows.review_texts import revenue_currency
from bot.services.meeting_plans import team_run_by
from bot.services.turn import Turn
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.team_members import TeamMemberRepository


async def currency_of(turn: Turn) -> str:
    """The currency the preview shows money in: the user's revenue goal's, else their team's, else the
    one a new goal of theirs would take (bot.core.currency.default_currency)."""
    currency = revenue_currency(await GoalRepository(turn.session).open_goals(turn.user.id))
    if currency and len(currency) == 3 and currency.isupper():
        return currency
    teams = await TeamMemberRepository(turn.session).teams_of(turn.user.id)
    if teams:
        return teams[0][0].currency
    return default_currency(turn.user.timezone, turn._.language)


async def write_import(
    turn: Turn, answers: ImportAnswers, choices: Mapping[str, HandChoice]
) -> list[Outgoing]:
    """Write the whole import (the hand-vs-CRM choices and the mapping first, so the write applies and
    keeps them), or nothing when the file or the team seat is gone."""
    _ = turn._
    read = await FileReading().records_of(turn, answers)
    if read is None:
        return [Outgoing(stopped_text(turn, answers.stop))]
    for measure, choice in choices.items():
        await set_hand_choice(
            turn.session, user_id=turn.user.id, measure=measure, choice=choice, now=turn.now
        )
    if answers.layout is None and answers.mapping is not None:
        mapping = ColumnMapping.from_json(answers.mapping)
        await remember_mapping(turn.session, turn.user.id, answers.signature, mapping, turn.now)
    if answers.whose == TEAM:
        team_id = answers.team_id or 0
        if await team_run_by(turn.session, team_id, turn.user.id, IMPORT_FOR_TEAM) is None:
            return [Outgoing(_("You no longer manage that team, so nothing was imported."))]
        team_outcome = await write_team_records(
            turn.session, team_id=team_id, manager_id=turn.user.id, records=read.records,
            owner_members=answers.owner_members, now=turn.now, origin=FILE, source_name=answers.file_name,
            default_language=turn.default_language,
        )  # fmt: skip
        return [Outgoing(team_outcome_text(team_outcome, dict(answers.members), _))]
    outcome = await write_records(
        turn.session, user_id=turn.user.id, records=read.records, imported_by=turn.user.id, now=turn.now,
        origin=FILE, source_name=answers.file_name,
    )  # fmt: skip
    # Results came in (won deals, activities) and no open goal's dates hold any of them: say so.
    brought_results = (outcome.added or outcome.changed) and any(record.counts for record in read.records)
    counted = bool(outcome.goal_ids) or not brought_results
    return [Outgoing(outcome_text(outcome.added, outcome.changed, outcome.reversed, outcome.unchanged, _,
                                  counted=counted))]  # fmt: skip
