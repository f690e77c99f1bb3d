"""A meeting's decisions and action items: kept for the meeting just held, told to whom they concern.

They belong to the team's most recent meeting that has begun (else today's, held off-schedule, recorded
with its prompt and digest skipped), so the digest of the meeting after it recalls them. Each current
member is told their own items and the whole team's, in the outbox, in the transaction that keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.dates import local_date
from bot.core.dialog import Outgoing
from bot.core.lifecycle.meetings import MEETING_SENDS, MeetingSendStatus
from bot.services.goal_text import date_text
from bot.services.turn import Turn
from bot.services.users import user_translator
from bot.storage.meeting_models import MeetingItem, TeamMeeting
from bot.storage.repositories.outbox import NewMessage, OutboxRepository
from bot.storage.repositories.team_digest import TeamDigestReads
from bot.storage.repositories.team_meetings import TeamMeetingRepository
from bot.storage.team_models import Team

WHOLE_TEAM = "team"
_SKIPPED = MEETING_SENDS.move(MeetingSendStatus.PLANNED, MeetingSendStatus.SKIPPED)


async def meeting_held(turn: Turn, team: Team) -> TeamMeeting:
    """The meeting the items are for: the latest that has begun, else today's (held off-schedule)."""
    meetings = TeamMeetingRepository(turn.session)
    held = await meetings.latest_started(team.id, turn.now)
    if held is not None:
        return held
    today = local_date(team.timezone, turn.now)
    planned_today = await meetings.on_day(team.id, today)
    if planned_today is not None:
        return planned_today
    meeting = TeamMeeting(team_id=team.id, day=today, starts_at=turn.now, prompt_at=turn.now, digest_at=turn.now,
                          prompt_status=_SKIPPED, digest_status=_SKIPPED, created_at=turn.now,
                          updated_at=turn.now)  # fmt: skip
    await meetings.add(meeting)
    return meeting


async def record_items(turn: Turn, team: Team, items: Sequence[tuple[str, str]]) -> list[Outgoing]:
    meeting = await meeting_held(turn, team)
    seats = await TeamDigestReads(turn.session).members(team.id)
    users = {user.id: user for _seat, user in seats}
    rows = [
        MeetingItem(
            meeting_id=meeting.id,
            member_id=None if who == WHOLE_TEAM else int(who),
            text=text,
            created_by=turn.user.id,
            created_at=turn.now,
        )
        for who, text in items
        if who == WHOLE_TEAM or int(who) in users  # a member who left meanwhile is not given items
    ]
    TeamMeetingRepository(turn.session).add_items(rows)
    outbox = OutboxRepository(turn.session)
    for user in users.values():
        if user.id == turn.user.id:
            continue
        own = [row.text for row in rows if row.member_id == user.id]
        shared = [row.text for row in rows if row.member_id is None]
        if not own and not shared:
            continue
        _ = user_translator(user, user.telegram_language, turn.default_language)
        lines = [f"• {text}" for text in own] + [_("• Whole team: {text}", text=text) for text in shared]
        text = _("📌 From {team}'s meeting on {date}:\n{items}", team=team.name, date=date_text(meeting.day, _),
                 items="\n".join(lines))  # fmt: skip
        await outbox.add(user.id, [NewMessage(text)], turn.now)
    _ = turn._
    day, count = date_text(meeting.day, _), len(rows)
    summary = _.plural(
        "Recorded {count} item for the meeting on {date}; the members concerned have been told.",
        "Recorded {count} items for the meeting on {date}; the members concerned have been told.",
        count,
        date=day,
    )
    return [Outgoing(summary)]
