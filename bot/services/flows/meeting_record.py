"""/meeting: after the meeting, the manager (or a co-manager) records its decisions and action items.

Pick a member or the whole team, type the item, add another or finish. On finishing, the items are kept
for the meeting just held (the next digest recalls them) and each member is told theirs, with the whole
team's, through the outbox in the same transaction. The seat is checked again then: a manager removed
while typing records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.core.teams.roles import TeamAction
from bot.i18n import N_
from bot.services.dialogs import FINISH, ButtonRows, Flow, Question
from bot.services.dialogs.parsing import choice_of, in_rows, not_kept, short_text, typed_or_chosen
from bot.services.meeting_items import WHOLE_TEAM, record_items
from bot.services.meeting_plans import team_run_by, teams_run_by
from bot.services.turn import Turn
from bot.storage.repositories.team_digest import TeamDigestReads

MEETING_RECORD = "meeting_record"
ITEM_LENGTH = 300
MORE, DONE = "more", "done"


@dataclass
class MeetingRecordAnswers:
    # (team id, name, [(member id, name), ...]) of each team the user runs: the buttons and the parsers'
    # checks come from here; the seat and the members are read again when the items are saved.
    teams: list[tuple[int, str, list[tuple[int, str]]]] = field(default_factory=list)
    team: int = 0
    who: str = ""  # a member id, or WHOLE_TEAM
    items: list[tuple[str, str]] = field(default_factory=list)  # (who, text)


def roster(answers: MeetingRecordAnswers) -> list[tuple[int, str]]:
    return next((members for team_id, _name, members in answers.teams if team_id == answers.team), [])


def who_name(who: str, answers: MeetingRecordAnswers, turn: Turn) -> str:
    if who == WHOLE_TEAM:
        return turn._("the whole team")
    return next((name for member_id, name in roster(answers) if str(member_id) == who), "?")


def team_buttons(turn: Turn, answers: MeetingRecordAnswers) -> ButtonRows:
    return in_rows([Button(name, str(team_id)) for team_id, name, _m in answers.teams], 2)


def parse_team(answer: Answer, turn: Turn, answers: MeetingRecordAnswers) -> int:
    chosen = typed_or_chosen(answer)
    for team_id, name, _members in answers.teams:
        if chosen == str(team_id) or chosen.casefold() == name.casefold():
            return team_id
    raise Reject(turn._("Please tap one of your teams."))


def who_text(turn: Turn, answers: MeetingRecordAnswers) -> str:
    _ = turn._
    if answers.items:
        return _("Noted. Who is the next item for?")
    return _("Recording the meeting's decisions and action items. Who is the first one for?")


def who_buttons(turn: Turn, answers: MeetingRecordAnswers) -> ButtonRows:
    members = [Button(name, str(member_id)) for member_id, name in roster(answers)]
    return (*in_rows(members, 3), (Button(turn._("👥 Whole team"), WHOLE_TEAM),))


def parse_who(answer: Answer, turn: Turn, answers: MeetingRecordAnswers) -> str:
    """A member of the team (by button or name) or the whole team; a forged id is just a bad answer."""
    chosen = typed_or_chosen(answer)
    if chosen == WHOLE_TEAM or chosen.casefold() in {turn._("whole team").casefold(), "team", "全体", "全队"}:
        return WHOLE_TEAM
    for member_id, name in roster(answers):
        if chosen == str(member_id) or chosen.casefold() == name.casefold():
            return str(member_id)
    raise Reject(turn._("Please tap a member or “Whole team”."))


def item_text(turn: Turn, answers: MeetingRecordAnswers) -> str:
    return turn._(
        "What was decided for {who}? One decision or action item, e.g. “Call back the Hangzhou hospital by "
        "Wednesday”.",
        who=who_name(answers.who, answers, turn),
    )


def parse_item(answer: Answer, turn: Turn, answers: MeetingRecordAnswers) -> str:
    return short_text(answer, turn, ITEM_LENGTH, turn._("A few words, please: what was decided?"))


def keep_item(value: str, turn: Turn, answers: MeetingRecordAnswers) -> None:
    answers.items = [*answers.items, (answers.who, value)]


def more_text(turn: Turn, answers: MeetingRecordAnswers) -> str:
    _ = turn._
    lines = [f"• {who_name(who, answers, turn)}: {text}" for who, text in answers.items]
    return _("So far:\n{items}\n\nAnother item, or done?", items="\n".join(lines))


MORE_BUTTONS = ((N_("➕ Another item"), MORE), (N_("✔ Done"), DONE))


def parse_more(answer: Answer, turn: Turn, answers: MeetingRecordAnswers) -> str:
    words = {
        "more": MORE,
        "another": MORE,
        "done": DONE,
        "继续": MORE,
        "再加一项": MORE,
        "完成": DONE,
        "好了": DONE,
    }
    return choice_of(answer, words, lambda: Reject(turn._("Please tap “Another item” or “Done”.")))


async def save_items(turn: Turn, answers: MeetingRecordAnswers) -> Sequence[Outgoing]:
    team = await team_run_by(turn.session, answers.team, turn.user.id, TeamAction.RECORD_MEETING)
    if team is None:
        return [Outgoing(turn._("You no longer run that team's meeting, so nothing was recorded."))]
    return await record_items(turn, team, answers.items)


meeting_record_flow = Flow(
    MEETING_RECORD,
    MeetingRecordAnswers,
    [
        Question(name="team", text=N_("Which team's meeting?"), buttons=team_buttons, parser=parse_team),
        Question(name="who", text=who_text, buttons=who_buttons, parser=parse_who),
        Question(name="item", text=item_text, parser=parse_item, store=keep_item),
        Question(name="more", text=more_text, buttons=(MORE_BUTTONS,), parser=parse_more, store=not_kept,
                 next=lambda value, turn, answers: "who" if value == MORE else FINISH),
    ],
    save_items,
    cancelled_message=N_("Nothing was recorded for the meeting."),
)  # fmt: skip


async def start_meeting_record(turn: Turn) -> list[Outgoing]:
    teams = await teams_run_by(turn.session, turn.user.id, TeamAction.RECORD_MEETING)
    if not teams:
        return [
            Outgoing(turn._("Only a team's manager or co-manager records its meeting; /team shows yours."))
        ]
    reads = TeamDigestReads(turn.session)
    listed = []
    for team in teams:
        members = [(user.id, user.first_name or str(user.id)) for _seat, user in await reads.members(team.id)
                   if user.id != turn.user.id]  # fmt: skip
        listed.append((team.id, team.name, members))
    answers = MeetingRecordAnswers(teams=listed)
    if len(teams) == 1:
        answers.team = teams[0].id
        return await turn.services.dialogs.start(turn, MEETING_RECORD, answers=answers, first_step="who")
    return await turn.services.dialogs.start(turn, MEETING_RECORD, answers=answers)
