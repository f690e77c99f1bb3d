"""What the file import dialog keeps between answers, and how it gets the file's table again.

The file's bytes are never kept: the dialog keeps Telegram's file_id and downloads the file again when it
needs the rows (a sheet chosen, a mapping finished, the owners confirmed, Import), so a restart between any
two answers, the preview and Import included, goes on from the database. What the questions show (the
headers, the first distinct values of each column, the preview's figures) is kept, bounded.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.core.crm.files import FileProblem, SheetChoice, Table, header_signature, open_table
from bot.core.crm.files.mapping import normalise_value
from bot.services.crm_import_text import PreviewFigures, SkipCount, problem_text
from bot.services.turn import Turn

CRM_IMPORT = "crm_import"
MAX_VALUES = 24  # distinct values of a column kept to offer as buttons (the most frequent first)
MAX_DISTINCT = 60  # a column with more distinct values than that offers none
MAX_VALUE_LENGTH = 40  # characters of a value kept (a longer one is typed, never a button)
# Why the dialog stopped before the preview, when it is not a FileProblem.
GONE = "gone"  # Telegram no longer gives the file


class FileSource(Protocol):
    """Where the dialog downloads a file the user sent (bot.telegram.downloads: the Bot API's getFile)."""

    async def download(self, file_id: str) -> bytes | None:
        """The file's bytes, or None when the Bot API refuses it (too big, unknown file_id, gone)."""


@dataclass
class ImportAnswers:
    file_id: str = ""
    file_name: str = ""
    sheets: list[str] = field(default_factory=list)  # the choice of an XLSX with several sheets
    sheet: str | None = None
    # The table as its questions show it.
    headers: list[str] = field(default_factory=list)
    values: list[list[str]] = field(default_factory=list)  # per column, its most frequent distinct values
    signature: str = ""
    layout: str | None = None  # a recognised LayoutKey value; None: read through `mapping`
    # The mapping dialog, for a layout we do not know.
    remembered: dict[str, Any] | None = None  # the mapping from last time (ColumnMapping.to_json)
    reuse: bool | None = None  # whether to use it, once asked
    columns: dict[str, int | None] = field(default_factory=dict)  # role -> column, for the roles asked
    suggested: dict[str, int | None] = field(default_factory=dict)  # role -> files14's guess
    suggested_won: list[str] = field(default_factory=list)  # the guessed won values, normalised
    won_values: list[str] = field(default_factory=list)
    won_done: bool = False
    default_kind: str = ""  # a RecordKind value, asked when no column says what a row is
    kind_values: dict[str, str] = field(default_factory=dict)  # a kind column's value -> RecordKind value
    mapping: dict[str, Any] | None = None  # the mapping in use (ColumnMapping.to_json)
    # A manager's file with several owners.
    owners: list[str] = field(default_factory=list)
    team_id: int | None = None
    members: list[tuple[int, str]] = field(default_factory=list)  # (user id, name) of the team's members
    whose: str = ""  # "own" or "team", once asked
    owner_members: dict[str, int | None] = field(default_factory=dict)  # owner -> user id, None: skipped
    owners_confirmed: bool = False
    owner_editing: int = -1  # the owner whose member is being chosen
    # The preview.
    currency: str = "CNY"
    rows: int = 0
    preview: PreviewFigures | None = None
    team_previews: list[tuple[str, PreviewFigures]] = field(default_factory=list)
    skipped: list[SkipCount] = field(default_factory=list)
    skipped_owners: list[str] = field(default_factory=list)
    choices_needed: list[str] = field(default_factory=list)  # measures to ask "CRM replaces hand logging?"
    hand_choices: dict[str, bool] = field(default_factory=dict)  # measure -> the CRM replaces hand logging
    confirmed: bool = False  # Import was pressed
    stop: str = ""  # a FileProblem value or GONE: the dialog ends saying so
    step: str = ""  # the question to ask next, decided by bot.services.flows.crm_import.advance


def column_values(table: Table, column: int) -> list[str]:
    """A column's distinct non-empty values, the most frequent first, as many as buttons can offer; none
    for a column of many different values (ids, names, amounts: never a stage or a kind)."""
    counted = Counter(row[column].strip() for row in table.rows if row[column].strip())
    if len(counted) > MAX_DISTINCT:
        return []
    return [value[:MAX_VALUE_LENGTH] for value, _count in counted.most_common(MAX_VALUES)]


def describe(table: Table, answers: ImportAnswers, *, known_layout: bool) -> None:
    """Keep what the questions about `table` show: its headers, its signature and, for the mapping
    questions of a layout we do not know, its columns' values. No row of the file is kept."""
    answers.headers = list(table.headers)
    answers.values = [] if known_layout else [column_values(table, c) for c in range(len(table.headers))]
    answers.signature = header_signature(table)


def same_value(a: str, b: str) -> bool:
    return normalise_value(a) == normalise_value(b)


async def fetch_table(
    turn: Turn, answers: ImportAnswers, data: bytes | None
) -> Table | SheetChoice | FileProblem | str:
    """The file's table (the chosen sheet), downloading it again unless this turn has its bytes;
    GONE when Telegram no longer gives it."""
    if data is None:
        source = turn.services.files
        data = await source.download(answers.file_id) if source is not None else None
    if data is None:
        return GONE
    # Reading a large file takes seconds: off the event loop, so other users' turns go on meanwhile.
    return await asyncio.to_thread(open_table, data, answers.file_name, sheet=answers.sheet)


def stopped_text(turn: Turn, stop: str) -> str:
    """Why the import stopped before writing anything: a FileProblem's text, or the file gone."""
    if stop == GONE or stop not in set(FileProblem):
        return turn._(
            "I could not get the file from Telegram (a bot can download files up to 20 MB). Please send it again."
        )
    return problem_text(FileProblem(stop), turn._)
