"""What members bring to the weekly meeting: the pre-meeting prompt's text, and the notes it collects.

The evening before the meeting each member is asked for a win, a blocker or a question: a button picks
the kind and the next message is its text; text typed straight under the prompt (their next message, when
that prompt is the newest one waiting for them) is a plain note. Notes are written for the meeting, so
they reach its managers' digest by intent. A meeting that has begun, or a team the member has left,
takes no more notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.dialog import Answer, Outgoing
from bot.core.teams.lifecycles import is_member
from bot.core.teams.meeting_notes import MAX_NOTE_LENGTH, NoteKind
from bot.i18n import N_, Translator
from bot.services.dialogs import Flow, Question
from bot.services.dialogs.parsing import echo, short_text
from bot.services.goal_text import date_text
from bot.services.profile_summary import clock, weekday_name
from bot.services.turn import Turn
from bot.storage.meeting_models import MeetingNote, MeetingPrompt, TeamMeeting
from bot.storage.repositories.team_meetings import TeamMeetingRepository
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.storage.repositories.teams import TeamRepository
from bot.storage.team_models import Team

MEETING_NOTE = "meeting_note"
NOTE_BUTTON_LABELS = {
    NoteKind.WIN: N_("🏆 A win"),
    NoteKind.BLOCKER: N_("🧱 A blocker"),
    NoteKind.QUESTION: N_("❓ A question"),
}
NOTE_QUESTIONS = {
    NoteKind.WIN: N_("What win would you like to bring to the meeting? A line or two."),
    NoteKind.BLOCKER: N_("What is blocking you? A line or two, e.g. the client, the step, what you need."),
    NoteKind.QUESTION: N_("What would you like to ask at the meeting?"),
}


def meeting_when(meeting: TeamMeeting, team: Team, _: Translator) -> str:
    """ "Monday, December 7, 2026 at 09:00": the meeting's day and start in the team's zone."""
    local = meeting.starts_at.astimezone(ZoneInfo(team.timezone))
    return _(
        "{weekday}, {date} at {time}",
        weekday=weekday_name(local.isoweekday(), _),
        date=date_text(meeting.day, _),
        time=clock(local.time()),
    )


def prompt_text(meeting: TeamMeeting, team: Team, _: Translator) -> str:
    return _(
        "📅 {team} meets {when}. Anything to bring? A win, a blocker, a question: tap one, or just type "
        "it here.",
        team=team.name,
        when=meeting_when(meeting, team, _),
    )


@dataclass
class NoteAnswers:
    meeting_id: int = 0
    kind: str = NoteKind.NOTE.value
    text: str = ""


async def open_meeting(turn: Turn, meeting_id: int) -> tuple[TeamMeeting, Team] | None:
    """The meeting, if the user was prompted for it, it has not begun, and they are still in its team."""
    meetings = TeamMeetingRepository(turn.session)
    meeting = await meetings.get(meeting_id)
    if meeting is None or meeting.starts_at <= turn.now:
        return None
    if await meetings.prompt_of(meeting.id, turn.user.id) is None:
        return None
    seat = await TeamMemberRepository(turn.session).of(meeting.team_id, turn.user.id)
    team = await TeamRepository(turn.session).get(meeting.team_id)
    if seat is None or not is_member(seat.status) or team is None:
        return None
    return meeting, team


async def save_note(turn: Turn, meeting: TeamMeeting, team: Team, kind: NoteKind, text: str) -> Outgoing:
    meetings = TeamMeetingRepository(turn.session)
    meetings.add_note(MeetingNote(meeting_id=meeting.id, user_id=turn.user.id, kind=kind, text=text,
                                  created_at=turn.now))  # fmt: skip
    prompt = await meetings.prompt_of(meeting.id, turn.user.id)
    if prompt is not None and prompt.answered_at is None:
        prompt.answered_at = turn.now
    _ = turn._
    return Outgoing(
        _(
            "Added for the meeting on {when}: “{note}”. Your managers will see it in their digest; the prompt's "
            "buttons add more.",
            when=meeting_when(meeting, team, _),
            note=echo(text),
        )
    )


def note_question(turn: Turn, answers: NoteAnswers) -> str:
    return turn._(NOTE_QUESTIONS.get(NoteKind(answers.kind), NOTE_QUESTIONS[NoteKind.QUESTION]))


def parse_note(answer: Answer, turn: Turn, answers: NoteAnswers) -> str:
    return short_text(answer, turn, MAX_NOTE_LENGTH, turn._("A few words, please."))


async def finish_note(turn: Turn, answers: NoteAnswers) -> Sequence[Outgoing]:
    found = await open_meeting(turn, answers.meeting_id)
    if found is None:  # it began, or the member left the team, while they were typing
        return [Outgoing(turn._("That meeting has begun or is no longer yours, so I did not add the note."))]
    return [await save_note(turn, *found, NoteKind(answers.kind), answers.text)]


meeting_note_flow = Flow(
    MEETING_NOTE,
    NoteAnswers,
    [Question(name="text", text=note_question, parser=parse_note)],
    finish_note,
    cancelled_message=N_("Nothing added for the meeting."),
)


async def start_note(turn: Turn, meeting_id: int, kind: NoteKind) -> list[Outgoing] | None:
    """A prompt's button: ask for the note's text; None when the button is stale or not the presser's."""
    if await open_meeting(turn, meeting_id) is None:
        return None
    answers = NoteAnswers(meeting_id=meeting_id, kind=kind.value)
    return await turn.services.dialogs.start(turn, MEETING_NOTE, answers=answers)


async def note_typed_under_prompt(
    turn: Turn, text: str, other_prompt_at: datetime | None
) -> list[Outgoing] | None:
    """Text typed straight under a meeting prompt, as its note; None when it is not one (no open prompt,
    or a review prompt came after it: `other_prompt_at`, and the text answers that one)."""
    found = await TeamMeetingRepository(turn.session).awaiting_note(turn.user.id, turn.now)
    if found is None:
        return None
    prompt, meeting = found
    if other_prompt_at is not None and other_prompt_at > prompt.recorded_at:
        return None
    team = await TeamRepository(turn.session).get(meeting.team_id)
    cleaned = " ".join(text.split())[:MAX_NOTE_LENGTH]
    if team is None or not cleaned:
        return None
    return [await save_note(turn, meeting, team, NoteKind.NOTE, cleaned)]


def prompt_rows(meeting: TeamMeeting, user_ids: Sequence[int], now: datetime) -> list[MeetingPrompt]:
    return [MeetingPrompt(meeting_id=meeting.id, user_id=user_id, recorded_at=now) for user_id in user_ids]
