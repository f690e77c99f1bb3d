"""Callback data of every button family, encoded and decoded in one place. Never trusted.

A button's data comes back from the client, which may have forged it. Each family has one pattern
here; ids are checked against the database's integer range before any query sees them (a forged
"g:open:9999999999" is an old button, not an integer overflow in PostgreSQL), and what is checked
against the presser's own rows is left to the handler. Telegram allows at most 64 bytes of data.

    d:<version>:<value>      a dialog prompt's button, stamped with the dialog's version
    g:<action>:<goal id>     a goal list or card ("g:list:0" lists the goals)
    p:<action>:<goal id>     a plan card ("p:blocks:0" edits the day plan, which belongs to no goal)
    v:del:<vacation id>      remove a vacation
    r:<action>:<occurrence>  a review prompt: answer, snooze or skip
    c:change:<goal id>       the off-track nudge's "adjust strategy"
    s:<action>               /start inside a dialog: continue it or start over
    pg:<list>:<page>:<stamp> a page of a paged list (/history, /vacation); the stamp names the exact pages
                             the button was made with, so a press after the list changed is stale
    t:<action>:<team id>:<ref>  a team card's button (team13): <ref> is a team_members row, an invite, a
                             number of uses, or 0; both ids are checked against the presser's seat in THAT team
    mt:note:<meeting>:<kind> a pre-meeting prompt's "a win / a blocker / a question" (meeting13); the
                             meeting must be one the presser was prompted for and not begun yet
    tg:<action>:<id>         split13: a team goal (open, split, lock, target, over), a member's part (accept,
                             discuss, change) or a team (progress, leaders, board, join); the id is checked
                             against the presser's seat in that team

A dialog button's value is the flow's own (so the dialog's version still spots a stale press); a flow
whose values are typed encodes and checks them itself (bot/services/flows/out_of_window_log.py's "lg:").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from bot.core.teams.meeting_notes import PROMPT_KINDS, NoteKind
from bot.storage.types import INTEGER_IDS
from bot.telegram.limits import MAX_CALLBACK_DATA_BYTES, checked_callback_data

MAX_DIALOG_VALUE = 50  # characters
DIALOG, GOAL, PLAN, VACATION, REVIEW, CHANGE, START, PAGE = "d", "g", "p", "v", "r", "c", "s", "pg"
# A page number is checked against the list's pages on press; here only that it is a page number at all.
PAGE_NUMBERS = range(1, 2**31)
STAMP = r"[0-9a-f]{8}"  # bot.services.paging.listing_stamp
NO_ID = "0"  # the id part of a button that names no row ("g:list:0", "p:blocks:0")


class GoalButton(StrEnum):
    LIST = "list"
    OPEN = "open"
    EDIT = "edit"
    PAUSE = "pause"
    RESUME = "resume"
    ACHIEVED = "achieved"
    ABANDON = "abandon"
    DELETE = "delete"  # asks for confirmation
    DELETE_CONFIRMED = "delete!"


class PlanButton(StrEnum):
    SPLIT = "split"
    FUNNEL = "funnel"
    ACTIVITY = "activity"
    BLOCKS = "blocks"


class ReviewButton(StrEnum):
    ANSWER = "answer"
    SNOOZE_30_MINUTES = "30m"
    SNOOZE_2_HOURS = "2h"
    TOMORROW_MORNING = "morning"
    SKIP = "skip"


class StartButton(StrEnum):
    CONTINUE = "continue"  # the dialog /start interrupted: ask its question again
    OVER = "over"  # leave that dialog, then /start as usual


class PagedList(StrEnum):
    HISTORY = "history"
    VACATIONS = "vacations"


@dataclass(frozen=True, slots=True)
class DialogPress:
    version: int
    value: str


@dataclass(frozen=True, slots=True)
class GoalPress:
    button: GoalButton
    goal_id: int | None  # None for LIST


@dataclass(frozen=True, slots=True)
class PlanPress:
    button: PlanButton
    goal_id: int | None  # None for BLOCKS


@dataclass(frozen=True, slots=True)
class VacationPress:
    vacation_id: int


@dataclass(frozen=True, slots=True)
class ReviewPress:
    button: ReviewButton
    occurrence_id: int


@dataclass(frozen=True, slots=True)
class ChangePress:
    goal_id: int


@dataclass(frozen=True, slots=True)
class PagePress:
    listing: PagedList
    page: int  # from 1
    stamp: str  # the pages the button was made with


ButtonT = TypeVar("ButtonT", GoalButton, PlanButton, ReviewButton)
# The buttons that name no row; every other button names one.
WITHOUT_ID = frozenset({GoalButton.LIST, PlanButton.BLOCKS})


def _choice(enum: type[StrEnum]) -> str:
    return "|".join(re.escape(member.value) for member in enum)


# Digits only, no sign and no leading zero; at most 19 of them so int() never sees a huge number.
_ID = r"(0|[1-9]\d{0,18})"
_PATTERNS = {
    DIALOG: re.compile(rf"d:{_ID}:(.{{1,{MAX_DIALOG_VALUE}}})", re.DOTALL),
    GOAL: re.compile(rf"g:({_choice(GoalButton)}):{_ID}"),
    PLAN: re.compile(rf"p:({_choice(PlanButton)}):{_ID}"),
    VACATION: re.compile(rf"v:del:{_ID}"),
    REVIEW: re.compile(rf"r:({_choice(ReviewButton)}):{_ID}"),
    CHANGE: re.compile(rf"c:change:{_ID}"),
    START: re.compile(rf"s:({_choice(StartButton)})"),
    PAGE: re.compile(rf"pg:({_choice(PagedList)}):{_ID}:({STAMP})"),
}


def handler_pattern(family: str) -> str:
    """The pattern a CallbackQueryHandler routes a family by; the handler then decodes strictly."""
    return f"^{re.escape(family)}:"


# Encoding ----------------------------------------------------------------------------------------


def _id_part(button: StrEnum | None, row_id: int | None) -> str:
    if button in WITHOUT_ID:
        if row_id is not None:
            raise ValueError(f"the {button} button names no row")
        return NO_ID
    if row_id not in INTEGER_IDS:
        raise ValueError(f"id outside the database's range: {row_id!r}")
    return str(row_id)


def dialog_callback(version: int, value: str) -> str:
    """Data for a button of a dialog prompt: the dialog version it was shown at and its value."""
    if version not in INTEGER_IDS:
        raise ValueError(f"dialog version outside the database's range: {version}")
    if not 1 <= len(value) <= MAX_DIALOG_VALUE:
        raise ValueError(f"a dialog button's value is 1 to {MAX_DIALOG_VALUE} characters: {value!r}")
    return checked_callback_data(f"{DIALOG}:{version}:{value}")


def goal_callback(button: GoalButton, goal_id: int | None = None) -> str:
    return checked_callback_data(f"{GOAL}:{button}:{_id_part(button, goal_id)}")


def plan_callback(button: PlanButton, goal_id: int | None = None) -> str:
    return checked_callback_data(f"{PLAN}:{button}:{_id_part(button, goal_id)}")


def vacation_callback(vacation_id: int) -> str:
    return checked_callback_data(f"{VACATION}:del:{_id_part(None, vacation_id)}")


def review_callback(button: ReviewButton, occurrence_id: int) -> str:
    return checked_callback_data(f"{REVIEW}:{button}:{_id_part(None, occurrence_id)}")


def change_callback(goal_id: int) -> str:
    return checked_callback_data(f"{CHANGE}:change:{_id_part(None, goal_id)}")


def start_callback(button: StartButton) -> str:
    return checked_callback_data(f"{START}:{button}")


def page_callback(listing: PagedList, page: int, stamp: str) -> str:
    """Data for a button that shows page `page` of `listing` as laid out when its pages had `stamp`."""
    if page not in PAGE_NUMBERS:
        raise ValueError(f"not a page number: {page!r}")
    if not re.fullmatch(STAMP, stamp):
        raise ValueError(f"not a list's stamp: {stamp!r}")
    return checked_callback_data(f"{PAGE}:{listing}:{page}:{stamp}")


def _groups(family: str, data: str | None) -> tuple[str, ...] | None:
    if data is None or len(data.encode()) > MAX_CALLBACK_DATA_BYTES:
        return None
    match = _PATTERNS[family].fullmatch(data)
    return match.groups() if match else None


def _row_id(text: str) -> int | None:
    """The id of a row, or None when no row of the database can have it."""
    number = int(text)
    return number if number in INTEGER_IDS else None


def _button_press(family: str, buttons: type[ButtonT], data: str | None) -> tuple[ButtonT, int | None] | None:
    """The button and the id it names (None for a button that names no row), or None if forged."""
    groups = _groups(family, data)
    if groups is None:
        return None
    button = buttons(groups[0])
    if button in WITHOUT_ID:
        return (button, None) if groups[1] == NO_ID else None
    row_id = _row_id(groups[1])
    return (button, row_id) if row_id is not None else None


def _single_id(family: str, data: str | None) -> int | None:
    groups = _groups(family, data)
    return _row_id(groups[0]) if groups else None


def parse_dialog_callback(data: str | None) -> DialogPress | None:
    groups = _groups(DIALOG, data)
    version = _row_id(groups[0]) if groups else None
    return DialogPress(version, groups[1]) if groups and version is not None else None


def parse_goal_callback(data: str | None) -> GoalPress | None:
    found = _button_press(GOAL, GoalButton, data)
    return GoalPress(*found) if found else None


def parse_plan_callback(data: str | None) -> PlanPress | None:
    found = _button_press(PLAN, PlanButton, data)
    return PlanPress(*found) if found else None


def parse_review_callback(data: str | None) -> ReviewPress | None:
    found = _button_press(REVIEW, ReviewButton, data)
    return ReviewPress(found[0], found[1]) if found and found[1] is not None else None


def parse_vacation_callback(data: str | None) -> VacationPress | None:
    vacation_id = _single_id(VACATION, data)
    return VacationPress(vacation_id) if vacation_id is not None else None


def parse_change_callback(data: str | None) -> ChangePress | None:
    goal_id = _single_id(CHANGE, data)
    return ChangePress(goal_id) if goal_id is not None else None


def parse_start_callback(data: str | None) -> StartButton | None:
    groups = _groups(START, data)
    return StartButton(groups[0]) if groups else None


def parse_page_callback(data: str | None) -> PagePress | None:
    groups = _groups(PAGE, data)
    if groups is None:
        return None
    page = int(groups[1])
    return PagePress(PagedList(groups[0]), page, groups[2]) if page in PAGE_NUMBERS else None


# Teams (team13) ----------------------------------------------------------------------------------
TEAM = "t"


class TeamButton(StrEnum):
    """A team button; the ref it carries (a team_members row id, an invite id, uses, or 0) is noted."""

    LIST = "list"  # 0:0, the presser's teams
    NEW = "new"  # 0:0, create a team
    OPEN = "open"  # team:0, the card
    INVITE = "invite"  # team:0, choose the invite's lifetime
    USES_1 = "u1"  # team:0, how many may use an invite for 1 day
    USES_7 = "u7"
    USES_30 = "u30"
    INVITE_1 = "i1"  # team:uses (0 = any number), make an invite for 1 day
    INVITE_7 = "i7"
    INVITE_30 = "i30"
    REVOKE = "revoke"  # team:invite
    MEMBERS = "members"  # team:0
    MEMBER = "member"  # team:member row
    REMOVE = "remove"  # team:member row, asks first
    REMOVE_CONFIRMED = "remove!"
    APPOINT = "appoint"  # team:member row, co-manager
    DEMOTE = "demote"  # team:member row
    HAND_OVER = "handover"  # team:0, choose the successor
    HAND_TO = "handto"  # team:member row, asks first
    HAND_TO_CONFIRMED = "handto!"
    ARCHIVE = "archive"  # team:0
    RESTORE = "restore"  # team:0
    LEAVE = "leave"  # team:0, asks first
    LEAVE_CONFIRMED = "leave!"
    JOIN = "join"  # team:invite, after the consent screen
    DECLINE = "decline"  # team:invite


@dataclass(frozen=True, slots=True)
class TeamPress:
    button: TeamButton
    team_id: int | None  # None for LIST and NEW
    ref: int | None  # None where the button names nothing (0)


# The buttons that name no team; every other one does.
TEAMLESS = frozenset({TeamButton.LIST, TeamButton.NEW})
# The buttons whose ref is a number of uses (0: any number) rather than a row.
INVITE_DAYS = {TeamButton.INVITE_1: 1, TeamButton.INVITE_7: 7, TeamButton.INVITE_30: 30}
# The buttons that ask how many may use an invite of that many days, and the button that then makes it.
USES_DAYS = {
    TeamButton.USES_1: TeamButton.INVITE_1,
    TeamButton.USES_7: TeamButton.INVITE_7,
    TeamButton.USES_30: TeamButton.INVITE_30,
}
_PATTERNS[TEAM] = re.compile(rf"t:({_choice(TeamButton)}):{_ID}:{_ID}")


def team_callback(button: TeamButton, team_id: int | None = None, ref: int | None = None) -> str:
    """Data for a team button: `team_id` unless the button names no team, `ref` a row id or uses."""
    team = NO_ID if button in TEAMLESS and team_id is None else _id_part(None, team_id)
    ref_part = NO_ID if ref is None else _id_part(None, ref)
    return checked_callback_data(f"{TEAM}:{button}:{team}:{ref_part}")


def parse_team_callback(data: str | None) -> TeamPress | None:
    """The press, or None when forged: ids outside the database's range, a team where none belongs."""
    groups = _groups(TEAM, data)
    if groups is None:
        return None
    button = TeamButton(groups[0])
    team_id = None if groups[1] == NO_ID else _row_id(groups[1])
    ref = None if groups[2] == NO_ID else _row_id(groups[2])
    if (button in TEAMLESS) != (groups[1] == NO_ID) or (team_id is None and groups[1] != NO_ID):
        return None
    if ref is None and groups[2] != NO_ID:
        return None
    if button in INVITE_DAYS and ref is not None and ref > 500:
        return None
    return TeamPress(button, team_id, ref)


# The weekly sales meeting (meeting13) -----------------------------------------------------------------

MEETING = "mt"


@dataclass(frozen=True, slots=True)
class MeetingNotePress:
    meeting_id: int
    kind: NoteKind


_PATTERNS[MEETING] = re.compile(rf"mt:note:{_ID}:({'|'.join(PROMPT_KINDS)})")


def meeting_note_callback(meeting_id: int, kind: NoteKind) -> str:
    if kind not in PROMPT_KINDS:
        raise ValueError(f"the prompt has no button for {kind!r}")
    return checked_callback_data(f"{MEETING}:note:{_id_part(None, meeting_id)}:{kind}")


def parse_meeting_note_callback(data: str | None) -> MeetingNotePress | None:
    groups = _groups(MEETING, data)
    meeting_id = _row_id(groups[0]) if groups else None
    return MeetingNotePress(meeting_id, NoteKind(groups[1])) if groups and meeting_id else None


# split13: team goals, their split, the roll-up and the leaderboard -------------------------------

TEAM_GOAL = "tg"


class TeamGoalButton(StrEnum):
    OPEN = "open"  # a team goal's card
    SPLIT = "split"  # (re)split a team goal
    LOCK = "lock"  # lock its split
    TARGET = "target"  # change its team target
    OVER = "over"  # change its over-assignment
    ACCEPT = "accept"  # a member accepts their part
    DISCUSS = "discuss"  # a member asks to discuss their part
    CHANGE = "change"  # a manager changes a member's part
    PROGRESS = "progress"  # a team's roll-up
    LEADERS = "leaders"  # a team's leaderboard
    BOARD = "board"  # a manager turns the team's leaderboard on or off
    JOIN = "join"  # a member joins or leaves the team's leaderboard


@dataclass(frozen=True, slots=True)
class TeamGoalPress:
    button: TeamGoalButton
    row_id: int  # a team goal's, a part's or a team's id, as the button says


_PATTERNS[TEAM_GOAL] = re.compile(rf"tg:({_choice(TeamGoalButton)}):{_ID}")


def team_goal_callback(button: TeamGoalButton, row_id: int) -> str:
    return checked_callback_data(f"{TEAM_GOAL}:{button}:{_id_part(None, row_id)}")


def parse_team_goal_callback(data: str | None) -> TeamGoalPress | None:
    groups = _groups(TEAM_GOAL, data)
    row_id = _row_id(groups[1]) if groups else None
    return TeamGoalPress(TeamGoalButton(groups[0]), row_id) if groups and row_id is not None else None
