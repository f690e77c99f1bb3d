"""/export: a person's own data, or a managed team's shared data, as an XLSX workbook and a CSV zip.

One tap: /export sends both files at once (the workbook for Excel and WPS, the zip for anything that
reads CSV), so nobody has to choose a format. Only someone who manages a team is asked first whose data:
"my data" or "team <name>". The rows are read inside the turn; the files are made after its
commit, just before each is sent (bot/services/export_files.py, bot/scheduler/outbox.py), and both go
through the outbox like every reply, so each is sent once. A big export says first that it takes a minute.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from bot.core.dialog import Button, Document, Outgoing, Reply
from bot.core.lifecycle.goals import GoalStatus
from bot.core.plan import Plan
from bot.core.teams.roles import TeamAction, may
from bot.core.teams.visibility import sees_member_row, sees_reflection
from bot.i18n import Translator
from bot.services.export_files import (
    AboutLine,
    CellKind,
    ExportBook,
    Sheet,
    cell_text,
    csv_zip_bytes,
    workbook_bytes,
)
from bot.services.export_sheets import SheetMaker
from bot.services.goal_text import date_text, number_text
from bot.services.plans import build_plan, user_calendar
from bot.services.team_places import Place, place_of
from bot.services.team_text import person_name
from bot.services.turn import Turn
from bot.storage.models import Goal, GoalPlan, User
from bot.storage.repositories.exports import ExportRepository
from bot.storage.repositories.team_members import TeamMemberRepository, seat
from bot.telegram.callbacks_export import ExportPress, export_callback
from bot.telegram.limits import MAX_DOCUMENT_BYTES

# More rows than this are refused with a clear reply: twice what one CRM import takes (100,000 rows), so
# whoever imported can take it all out again. The files are made before their send starts, off the event
# loop and outside the outbox's lease (bot/scheduler/outbox.py), so their making time is no limit: 100,000
# results take about half a minute (bench/README.md). What holds the size down is memory: the turn reads
# every row, and the outbox keeps them as JSON (about 120 bytes a row) until the files are made.
MAX_EXPORT_ROWS = 200_000
# From this many rows on, the user is told first that the files take a while (a few seconds and more).
NOTICE_ROWS = 20_000
# sendDocument takes 50 MB. The files are estimated from their cells before anything is recorded (text
# bytes plus this much markup a cell, more than XLSX's compressed XML takes), so an export that would not
# fit is refused with its size instead of failing at the send. A row of results makes ~35 bytes of XLSX:
# only pages of long review answers come near it, so one file that says so beats parts 1 of N.
BYTES_PER_CELL = 16
# Each language by its own name, as the language buttons show it.
LANGUAGE_NAMES = {"en": "English", "zh_CN": "中文"}


async def export_command(turn: Turn) -> list[Reply]:
    """/export: the person's own files at once; someone who manages a team chooses whose data first."""
    _ = turn._
    teams = await TeamMemberRepository(turn.session).teams_of(turn.user.id)
    managed = [team for team, member in teams if may(seat(member), TeamAction.SEE_ALL_ROWS)]
    if not managed:
        return await own_export(turn)
    buttons = [(Button(_("📄 My data"), export_callback()),)]
    buttons += [
        (Button(_("👥 Team {team}", team=team.name)[:60], export_callback(team.id)),) for team in managed
    ]
    return [Outgoing(_("Whose data shall I export?"), tuple(buttons))]


async def export_press(turn: Turn, press: ExportPress) -> list[Reply] | None:
    """A press of /export's choice; None when the button names a team the presser does not manage (now)."""
    if press.team_id is None:
        return await own_export(turn)
    place = await place_of(turn, press.team_id)
    if place is None or not may(place.seat, TeamAction.SEE_ALL_ROWS):
        return None
    return await team_export(turn, place)


def _zone(user: User) -> ZoneInfo:
    return ZoneInfo(user.timezone)


def _about_sheets(sheets: list[Sheet], _: Translator) -> list[AboutLine]:
    return [AboutLine(_("Sheet “{sheet}”", sheet=sheet.name), sheet.description) for sheet in sheets]


def _when(turn: Turn) -> list[AboutLine]:
    _, zone = turn._, _zone(turn.user)
    return [
        AboutLine(_("Exported at"), cell_text(turn.now.astimezone(zone)), CellKind.DATETIME),
        AboutLine(_("Time zone"), turn.user.timezone),
    ]


async def _plan_figures(
    turn: Turn, goals: Sequence[Goal], plans: Sequence[GoalPlan]
) -> list[tuple[Goal, Plan]]:
    """The open goals' plans on the user's calendar (one calendar for all: it is cheap once read)."""
    open_goals = [goal for goal in goals if goal.status in GoalStatus.OPEN]
    if not open_goals:
        return []
    calendar = await user_calendar(turn.session, turn.user, turn.default_language)
    rows = {row.goal_id: row for row in plans}
    figures = []
    for goal in open_goals:
        try:
            figures.append((goal, build_plan(goal, calendar, rows.get(goal.id) or GoalPlan(month_shares={}))))
        except ValueError:  # a goal whose window has no working day left: no figures, the rest still export
            continue
    return figures


async def own_book(turn: Turn) -> ExportBook:
    """Everything the person has recorded, one sheet per kind."""
    reads, user = ExportRepository(turn.session), turn.user
    maker = SheetMaker(turn._, _zone(user))
    goals = await reads.goals([user.id])
    goal_ids = [goal.id for goal in goals]
    plans = await reads.plans(goal_ids)
    sheets = [
        maker.goals(goals),
        maker.audit(await reads.goal_audit(goal_ids)),
        maker.plans(plans),
        maker.plan_months(await _plan_figures(turn, goals, plans)),
        maker.entries(await reads.entries([user.id]), {goal.id: goal for goal in goals}),
        maker.activities(await reads.activities([user.id])),
        maker.reviews(await reads.reviews([user.id])),
        maker.setbacks(await reads.setbacks(user.id)),
        maker.strategy(await reads.strategy_changes(user.id)),
        maker.rewards(await reads.rewards(user.id)),
        maker.nudges(await reads.nudges(user.id)),
    ]
    _ = turn._
    about = [
        AboutLine(_("Name"), person_name(user)),
        AboutLine(_("Telegram id"), str(user.id)),
        *_when(turn),
        AboutLine(_("Language"), LANGUAGE_NAMES.get(turn.language, turn.language)),
        *_about_sheets(sheets, _),
    ]
    return ExportBook(_("About"), (_("What"), _("Value")), about, sheets)


async def team_book(turn: Turn, place: Place) -> ExportBook:
    """What the team's managers may see of each current member, one sheet per kind."""
    viewer = place.seat
    rows = await TeamMemberRepository(turn.session).with_users(place.team.id)
    members = [(member, user) for member, user in rows if sees_member_row(viewer, member.user_id)]
    names = {user.id: person_name(user) for _member, user in members}
    ids = list(names)
    reads, maker = ExportRepository(turn.session), SheetMaker(turn._, _zone(turn.user))
    goals = [goal for goal in await reads.goals(ids) if goal.status is not GoalStatus.DELETED]
    kept = {goal.id: goal for goal in goals}
    entries = [(entry, record) for entry, record in await reads.entries(ids) if entry.goal_id in kept]
    shares = [
        share
        for share in await reads.team_shares(place.team.id, ids)
        if sees_reflection(viewer, share.user_id, shared=True)
    ]
    sheets = [
        maker.members(members),
        maker.goals(goals, names),
        maker.entries(entries, kept, names),
        maker.activities(await reads.activities(ids), names),
        maker.ratings(await reads.reviews(ids), names),
        maker.shares(shares, names),
    ]
    _ = turn._
    about = [
        AboutLine(_("Team"), place.team.name),
        AboutLine(_("Exported by"), person_name(turn.user)),
        *_when(turn),
        AboutLine(_("Members"), str(len(members)), CellKind.NUMBER),
        *_about_sheets(sheets, _),
    ]
    return ExportBook(_("About"), (_("What"), _("Value")), about, sheets)


def _rows_text(count: int, _: Translator) -> str:
    shown = number_text(
        count, _
    )  # computed apart: a call of `_` inside plural's arguments confuses extraction
    return _.plural("{count} row", "{count} rows", count, count=shown)


def _files(book: ExportBook, stem: str, caption: str, _: Translator) -> list[Reply]:
    zip_caption = _("The same data as CSV files in a zip, one file per sheet (UTF-8, opens in Excel).")
    return [
        Document(partial(workbook_bytes, book), f"{stem}.xlsx", caption),
        Document(partial(csv_zip_bytes, book), f"{stem}-csv.zip", zip_caption),
    ]


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB"


def refusal(book: ExportBook, _: Translator) -> list[Reply] | None:
    """A clear reply for an export too big to send (rows, or a file over sendDocument's 50 MB); else None."""
    if book.row_count > MAX_EXPORT_ROWS:
        return _too_big(book.row_count, _)
    size = book.size_estimate(BYTES_PER_CELL)
    if size <= MAX_DOCUMENT_BYTES:
        return None
    text = _(
        "Your data would make a file of about {size}, and Telegram takes files up to {limit}. "
        "Please ask the bot's administrator for a full copy.",
        size=_megabytes(size),
        limit=_megabytes(MAX_DOCUMENT_BYTES),
    )
    return [Outgoing(text)]


def _notice(book: ExportBook, _: Translator) -> list[Reply]:
    """For a big export, a word first: its files take a while to make."""
    if book.row_count < NOTICE_ROWS:
        return []
    rows = _rows_text(book.row_count, _)
    return [Outgoing(_("⏳ Preparing {rows}: the workbook and the zip follow in a minute or so.", rows=rows))]


def _too_big(count: int, _: Translator) -> list[Reply]:
    text = _(
        "That is {rows}, more than one export can carry ({limit}). Please ask the bot's administrator for a full copy.",
        rows=_rows_text(count, _),
        limit=_rows_text(MAX_EXPORT_ROWS, _),
    )
    return [Outgoing(text)]


def _stem(now: datetime, user: User, team_id: int | None = None) -> str:
    day = now.astimezone(_zone(user)).date().isoformat()
    return f"quota-coach-team-{team_id}-{day}" if team_id is not None else f"quota-coach-export-{day}"


async def own_export(turn: Turn) -> list[Reply]:
    _ = turn._
    results = await ExportRepository(turn.session).result_count([turn.user.id])
    if results > MAX_EXPORT_ROWS:  # counted first: a history that big is not read at all
        return _too_big(results, _)
    book = await own_book(turn)
    if book.row_count == 0:
        return [
            Outgoing(
                _("There is nothing to export yet: no goals, results or reviews. /newgoal sets a first goal.")
            )
        ]
    refused = refusal(book, _)
    if refused is not None:
        return refused
    today = turn.now.astimezone(_zone(turn.user)).date()
    caption = _(
        "📦 Your Quota Coach data as of {date}: {rows}, one sheet per kind. The first sheet says what each holds.",
        date=date_text(today, _),
        rows=_rows_text(book.row_count, _),
    )
    return [*_notice(book, _), *_files(book, _stem(turn.now, turn.user), caption, _)]


async def team_export(turn: Turn, place: Place) -> list[Reply]:
    _ = turn._
    members = await TeamMemberRepository(turn.session).current_of(place.team.id)
    results = await ExportRepository(turn.session).result_count([member.user_id for member in members])
    if results > MAX_EXPORT_ROWS:
        return _too_big(results, _)
    book = await team_book(turn, place)
    count = len(book.sheets[0].rows)
    if book.row_count == count:  # the members' list alone is no data
        return [
            Outgoing(
                _("{team} has nothing to export yet: no member has goals or results.", team=place.team.name)
            )
        ]
    refused = refusal(book, _)
    if refused is not None:
        return refused
    today = turn.now.astimezone(_zone(turn.user)).date()
    caption = _(
        "📦 {team}'s shared data as of {date}: {members}, {rows}. Reflections appear only where a member shared them.",
        team=place.team.name,
        date=date_text(today, _),
        members=_.plural("{count} member", "{count} members", count),
        rows=_rows_text(book.row_count, _),
    )
    return [*_notice(book, _), *_files(book, _stem(turn.now, turn.user, place.team.id), caption, _)]
