"""/meetingtime: the manager picks the weekday and time of the team's weekly sales meeting.

"Monday 9am", "周一 9点" and "Mon 09:30" are read by the settings' weekly-slot parsing
(bot.core.times_of_day); a weekday button (or a typed weekday alone) then asks for the time. Whoever runs
several teams picks one first. The seat is checked again when the time is saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import time
from zoneinfo import ZoneInfo

from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.core.teams.roles import TeamAction
from bot.core.times_of_day import parse_time_of_day, parse_weekday, parse_weekly_slot
from bot.i18n import N_
from bot.services.dialogs import FINISH, ButtonRows, Flow, Question
from bot.services.dialogs.parsing import in_rows, typed_or_chosen
from bot.services.goal_text import date_text
from bot.services.meeting_plans import move_planned, team_run_by, teams_run_by
from bot.services.profile_summary import clock, weekday_name
from bot.services.turn import Turn

MEETING_TIME = "meeting_time"
TIME_PRESETS = ("08:30", "09:00", "10:00", "14:00", "16:00", "17:30")


@dataclass
class MeetingTimeAnswers:
    teams: list[tuple[int, str]] = field(default_factory=list)  # (id, name) of the teams the user runs
    team: int = 0
    weekday: int = 0
    at: time | None = None


def team_name(answers: MeetingTimeAnswers) -> str:
    return next((name for team_id, name in answers.teams if team_id == answers.team), "")


def team_buttons(turn: Turn, answers: MeetingTimeAnswers) -> ButtonRows:
    return in_rows([Button(name, str(team_id)) for team_id, name in answers.teams], 2)


def parse_team(answer: Answer, turn: Turn, answers: MeetingTimeAnswers) -> int:
    """A team the user runs, by its button or its name typed."""
    chosen = typed_or_chosen(answer)
    for team_id, name in answers.teams:
        if chosen == str(team_id) or chosen.casefold() == name.casefold():
            return team_id
    raise Reject(turn._("Please tap one of your teams."))


def slot_text(turn: Turn, answers: MeetingTimeAnswers) -> str:
    return turn._(
        "When does {team} hold its weekly sales meeting? Tap a day, or type a day and a time "
        "(e.g. Monday 9am, Tue 16:30).",
        team=team_name(answers),
    )


def weekday_buttons(turn: Turn, answers: object) -> ButtonRows:
    days = [Button(weekday_name(day, turn._, "abbreviated"), str(day)) for day in range(1, 8)]
    return in_rows(days, 4)


def parse_slot(answer: Answer, turn: Turn, answers: MeetingTimeAnswers) -> tuple[int, time | None]:
    """A weekday and a time, or a weekday alone (its time is asked next)."""
    text = typed_or_chosen(answer)
    if text.isdigit() and 1 <= int(text) <= 7:
        return int(text), None
    slot = parse_weekly_slot(text)
    if slot is not None:
        return slot
    weekday = parse_weekday(text)
    if weekday is not None:
        return weekday, None
    raise Reject(turn._("Please give a day and a time, e.g. Monday 9am, or tap a day."))


def keep_slot(value: tuple[int, time | None], turn: Turn, answers: MeetingTimeAnswers) -> None:
    answers.weekday, answers.at = value


def time_text(turn: Turn, answers: MeetingTimeAnswers) -> str:
    return turn._(
        "At what time on {weekday}? Tap or type one (e.g. 9:00, 9am).",
        weekday=weekday_name(answers.weekday, turn._),
    )


def time_buttons(turn: Turn, answers: object) -> ButtonRows:
    return in_rows([Button(preset, preset) for preset in TIME_PRESETS], 3)


def parse_time(answer: Answer, turn: Turn, answers: MeetingTimeAnswers) -> time:
    at = parse_time_of_day(typed_or_chosen(answer))
    if at is None:
        raise Reject(turn._("Please give a time, e.g. 9:00 or 9am."))
    return at


def keep_time(value: time, turn: Turn, answers: MeetingTimeAnswers) -> None:
    answers.at = value


async def save_meeting_time(turn: Turn, answers: MeetingTimeAnswers) -> Sequence[Outgoing]:
    _ = turn._
    team = await team_run_by(turn.session, answers.team, turn.user.id, TeamAction.SET_MEETING)
    if team is None or answers.at is None:
        return [Outgoing(_("You no longer run that team's meeting, so nothing was changed."))]
    team.meeting_weekday, team.meeting_time, team.updated_at = answers.weekday, answers.at, turn.now
    slot = await move_planned(turn.session, team, turn.now, turn.default_language)
    local = slot.starts_at.astimezone(ZoneInfo(team.timezone))
    return [
        Outgoing(
            _(
                "{team} meets every {weekday} at {time} ({zone}). Next: {date}. Members get a prompt the evening "
                "before; you get the digest an hour before it starts.",
                team=team.name,
                weekday=weekday_name(answers.weekday, _),
                time=clock(answers.at),
                zone=team.timezone,
                date=_("{date} at {time}", date=date_text(slot.day, _), time=clock(local.time())),
            )
        )
    ]


meeting_time_flow = Flow(
    MEETING_TIME,
    MeetingTimeAnswers,
    [
        Question(name="team", text=N_("Which team's meeting?"), buttons=team_buttons, parser=parse_team),
        Question(name="slot", text=slot_text, buttons=weekday_buttons, parser=parse_slot, store=keep_slot,
                 next=lambda value, turn, answers: FINISH if value[1] is not None else "time"),
        Question(name="time", text=time_text, buttons=time_buttons, parser=parse_time, store=keep_time),
    ],
    save_meeting_time,
    cancelled_message=N_("The meeting time stays as it was."),
)  # fmt: skip


async def start_meeting_time(turn: Turn) -> list[Outgoing]:
    teams = await teams_run_by(turn.session, turn.user.id, TeamAction.SET_MEETING)
    if not teams:
        return [
            Outgoing(turn._("Only a team's manager or co-manager sets its meeting time; /team shows yours."))
        ]
    answers = MeetingTimeAnswers(teams=[(team.id, team.name) for team in teams])
    if len(teams) == 1:
        answers.team = teams[0].id
        return await turn.services.dialogs.start(turn, MEETING_TIME, answers=answers, first_step="slot")
    return await turn.services.dialogs.start(turn, MEETING_TIME, answers=answers)
