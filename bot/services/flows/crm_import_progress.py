"""Where the file import dialog goes next, and the preview's figures: decided from what the answers hold,
reading the file again only when the next question or the preview needs its rows.

Order: the sheet (an XLSX with several) -> the mapping (an unknown layout: the one from last time, or the
mapping questions) -> own or team (a manager's file with several owners) -> the owner mapping -> the
preview -> one hand-vs-CRM question per measure that needs one -> the import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.core.crm.files import ColumnMapping, FileProblem, Layout, RecordsRead, Table, read_records, recognise
from bot.core.crm.files.mapping import normalise_value
from bot.core.crm.files.suggestions import suggest_mapping
from bot.core.crm.records import CrmRecord
from bot.services.crm_hand_choice import hand_choices
from bot.services.crm_import import ImportPreview, preview_records
from bot.services.crm_import_text import PreviewFigures, skip_counts
from bot.services.crm_layouts import remembered_mapping
from bot.services.crm_team_import import owners_of
from bot.services.dialogs import FINISH
from bot.services.flows.crm_import_answers import ImportAnswers, describe, fetch_table
from bot.services.flows.crm_import_mapping import (
    MAPPING_STEPS,
    REUSE,
    ROLE_NAMES,
    mapping_of,
    next_mapping_step,
)
from bot.services.flows.crm_import_team import OWN, OWNER_MEMBER, OWNERS, TEAM, WHOSE, offer_team, propose
from bot.services.turn import Turn

SHEET, PREVIEW, HAND_CHOICE = "sheet", "preview", "hand_choice"
NOTHING_NEW = "nothing_new"  # answers.stop: the preview is the last word


class FileReading:
    """The file as far as this turn has read it: at most one download and one reading per turn."""

    def __init__(self, table: Table | None = None) -> None:
        self.table = table
        self.read: RecordsRead | None = None

    async def table_of(self, turn: Turn, answers: ImportAnswers) -> Table | None:
        """The table, or None with `answers.stop` saying why."""
        if self.table is None:
            found = await fetch_table(turn, answers, None)
            if not isinstance(found, Table):
                answers.stop = found.value if isinstance(found, FileProblem) else str(found)
                return None
            self.table = found
        return self.table

    async def records_of(self, turn: Turn, answers: ImportAnswers) -> RecordsRead | None:
        if self.read is None:
            table = await self.table_of(turn, answers)
            reading = reading_of(table, answers) if table is not None else None
            if table is None or reading is None:
                return None
            self.read = read_records(table, reading, zone=ZoneInfo(turn.user.timezone))
        return self.read


def reading_of(table: Table, answers: ImportAnswers) -> Layout | ColumnMapping | None:
    if answers.mapping is not None:
        return ColumnMapping.from_json(answers.mapping)
    found = recognise(table)
    return found if isinstance(found, Layout) else None


async def advance(turn: Turn, answers: ImportAnswers, file: FileReading | None = None) -> None:
    """Set `answers.step` to the next question (FINISH: the dialog ends, `answers.stop` saying why, or
    Import pressed and answered)."""
    answers.step = await _next_step(turn, answers, file or FileReading())


async def _next_step(turn: Turn, answers: ImportAnswers, file: FileReading) -> str:
    if answers.stop:
        return FINISH
    if answers.sheets and answers.sheet is None:
        return SHEET
    if not answers.headers and not await _look_at(turn, answers, file):
        return FINISH
    if answers.layout is None and answers.mapping is None:
        if answers.remembered is not None and answers.reuse is None:
            return REUSE
        if answers.reuse:
            answers.mapping = answers.remembered
            return await _next_step(turn, answers, file)
        question = next_mapping_step(answers)
        if question is not None:
            return question
        answers.mapping = mapping_of(answers).to_json()
    if not answers.owners and not answers.whose:
        read = await file.records_of(turn, answers)
        if read is None:
            return FINISH
        answers.owners = list(owners_of(read.records))
    if not answers.whose:
        if await offer_team(turn, answers):
            return WHOSE
        answers.whose = OWN
    if answers.whose == TEAM and not answers.owners_confirmed:
        await propose(turn, answers)
        return OWNER_MEMBER if answers.owner_editing >= 0 else OWNERS
    if answers.preview is None and not answers.team_previews and not await _preview(turn, answers, file):
        return FINISH
    if not answers.confirmed:
        return PREVIEW
    if any(measure not in answers.hand_choices for measure in answers.choices_needed):
        return HAND_CHOICE
    return FINISH


async def _look_at(turn: Turn, answers: ImportAnswers, file: FileReading) -> bool:
    """Read the table's headers and layout (after the sheet is known); False when the file cannot go on."""
    table = await file.table_of(turn, answers)
    if table is None:
        return False
    found = recognise(table)
    describe(table, answers, known_layout=found is not None)
    if isinstance(found, FileProblem):
        answers.stop = found.value
        return False
    answers.layout = found.key.value if found is not None else None
    if found is None:
        suggestion = suggest_mapping(table)
        if suggestion is not None:
            answers.suggested = {name: suggestion.column(name) for name in ROLE_NAMES}
            answers.suggested_won = sorted(normalise_value(value) for value in suggestion.won_values)
        remembered = await remembered_mapping(turn.session, turn.user.id, answers.signature)
        # Bound to this file's header order: the same columns may come in another order next time.
        bound = remembered.bind(table) if remembered is not None else None
        answers.remembered = bound.to_json() if bound is not None else None
    return True


def figures_of(preview: ImportPreview, rows: int) -> PreviewFigures:
    overlap_days: dict[str, int] = defaultdict(int)
    for overlap in preview.overlaps:
        overlap_days[overlap.measure] += 1
    return PreviewFigures(
        rows=rows,
        won=preview.won,
        won_total=preview.won_total,
        first_day=preview.first_day,
        last_day=preview.last_day,
        activities=dict(preview.activities),
        new=preview.new,
        changed=preview.changed,
        unchanged=preview.unchanged,
        reversed=preview.reversed,
        overlap_days=dict(overlap_days),
    )


def split_by_owner(records: Sequence[CrmRecord], answers: ImportAnswers) -> dict[int, list[CrmRecord]]:
    """The records of each member the owner mapping names; rows of skipped owners are left out."""
    split: dict[int, list[CrmRecord]] = defaultdict(list)
    for record in records:
        member = answers.owner_members.get(record.owner or "")
        if member is not None:
            split[member].append(record)
    return split


async def _preview(turn: Turn, answers: ImportAnswers, file: FileReading) -> bool:
    read = await file.records_of(turn, answers)
    if read is None:
        return False
    answers.rows, answers.skipped = read.rows, skip_counts(read.skipped)
    if answers.whose == TEAM:
        names = dict(answers.members)
        answers.team_previews = []
        for member_id, records in split_by_owner(read.records, answers).items():
            preview = await preview_records(turn.session, user_id=member_id, records=records, now=turn.now)
            answers.team_previews.append(
                (names.get(member_id, str(member_id)), figures_of(preview, len(records)))
            )
        answers.skipped_owners = [
            owner for owner in answers.owners if answers.owner_members.get(owner) is None
        ]
        answers.choices_needed = []  # each member's results keep their own hand-vs-CRM choice
        anything = any(figures.brings_anything for _name, figures in answers.team_previews)
    else:
        preview = await preview_records(
            turn.session, user_id=turn.user.id, records=read.records, now=turn.now
        )
        answers.preview = figures_of(preview, read.rows)
        answers.preview.skipped = answers.skipped
        chosen = await hand_choices(turn.session, turn.user.id)
        answers.choices_needed = [measure for measure in preview.choices_needed if measure not in chosen]
        anything = answers.preview.brings_anything
    if not anything:
        answers.stop = NOTHING_NEW
    return anything


def forget_after(answers: ImportAnswers, step: str) -> None:
    """An earlier answer changed (a new one, or one given again after Back): what follows it is worked out again."""
    if step in (PREVIEW, HAND_CHOICE):
        return  # answers to the preview itself: the figures stand
    answers.preview, answers.team_previews, answers.choices_needed = None, [], []
    answers.confirmed, answers.hand_choices = False, {}
    if step == SHEET or step in MAPPING_STEPS:
        answers.mapping, answers.owners, answers.whose = None, [], ""
        answers.owner_members, answers.owners_confirmed = {}, False
    if step == SHEET:
        answers.headers, answers.values, answers.layout, answers.remembered = [], [], None, None
        answers.suggested, answers.suggested_won, answers.reuse = {}, [], None
        answers.columns, answers.won_values, answers.won_done = {}, [], False
        answers.kind_values, answers.default_kind = {}, ""
