"""The team-meeting job: each team's pre-meeting prompt and its managers' digest, exactly once.

Woken by the review dispatcher's tick (bot.app), a pass does three things:
1. plan: every active team without a planned meeting gets its next one (a `team_meetings` row, unique
   per team and day; bot.services.meeting_plans), committed before anything about it is sent.
2. prompts: planned prompts due by now are locked (FOR UPDATE SKIP LOCKED: several processes on one
   PostgreSQL take different rows), and in one transaction per batch each is written to the outbox for
   every current member (role member) and moved to sent; who was prompted is kept (team_meeting_prompts).
3. digests: likewise, the digest is gathered and written to the outbox for the manager and co-managers,
   each in their own language, and the row moved to sent.
A send due longer ago than the grace window, or whose meeting has already begun, is recorded missed and
never sent late; one with nobody to send to is recorded skipped. Statuses come from
bot.core.lifecycle.meetings.

Exactly once: the outbox rows and the status move commit together. A crash before the commit leaves the
row planned and nothing recorded, so the next pass (this process after a restart, or another one) does it
again; after the commit the outbox sends each message at most once (bot/scheduler/outbox.py), and the row,
no longer planned, is never taken again. After its commit a pass hands the chats to the outbox at once
rather than waiting for the outbox's own tick.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dialog import Button, Outgoing
from bot.core.lifecycle.meetings import MEETING_SENDS, MeetingSendStatus, due_send_status
from bot.core.teams.lifecycles import TeamStatus
from bot.core.teams.meeting_notes import PROMPT_KINDS
from bot.core.teams.roles import Role
from bot.scheduler.outbox import Outbox
from bot.services.container import Services
from bot.services.meeting_notes import NOTE_BUTTON_LABELS, prompt_rows, prompt_text
from bot.services.meeting_plans import plan_meetings
from bot.services.team_digest import gather_digest
from bot.services.team_digest_text import digest_text
from bot.services.users import user_translator
from bot.storage.meeting_models import TeamMeeting
from bot.storage.repositories.outbox import NewMessage, OutboxRepository
from bot.storage.repositories.team_digest import TeamDigestReads
from bot.storage.repositories.team_meetings import TeamMeetingRepository
from bot.storage.team_models import Team
from bot.telegram.callbacks import meeting_note_callback
from bot.telegram.render import text_messages

log = logging.getLogger(__name__)
_S = MeetingSendStatus
MANAGING = frozenset({Role.MANAGER, Role.CO_MANAGER})


@dataclass
class TeamMeetingsConfig:
    grace: timedelta = timedelta(hours=3)
    batch: int = 20


@dataclass
class MeetingsReport:
    planned: int = 0
    prompts: int = 0  # meetings whose prompt went to the outbox
    digests: int = 0
    missed: int = 0
    skipped: int = 0
    chats: set[int] = field(default_factory=set, repr=False)


class TeamMeetings:
    def __init__(
        self, services: Services, outbox: Outbox | None, config: TeamMeetingsConfig | None = None
    ) -> None:
        self.services = services
        self.outbox = outbox
        self.config = config or TeamMeetingsConfig()
        self._lock = asyncio.Lock()

    async def tick(self) -> MeetingsReport:
        """One pass over what is due now. Passes never overlap within a process."""
        async with self._lock:
            report = MeetingsReport()
            now = self.services.now()
            settings = self.services.settings
            async with self.services.sessionmaker.begin() as session:
                report.planned = await plan_meetings(
                    session, now, settings.default_language, self.services.engine.dialect.name
                )
            while await self._round(now, report, digests=False):
                pass
            while await self._round(now, report, digests=True):
                pass
            if report.digests or report.missed or report.skipped:
                # A meeting just served: the team's next one is planned now, not a tick later.
                async with self.services.sessionmaker.begin() as session:
                    report.planned += await plan_meetings(
                        session, now, settings.default_language, self.services.engine.dialect.name
                    )
            if self.outbox is not None:
                for chat_id in sorted(report.chats):
                    await self.outbox.deliver(chat_id)
            log.debug("team meetings pass: %s", report)
            return report

    async def _round(self, now: datetime, report: MeetingsReport, *, digests: bool) -> int:
        """One batch of due prompts (or digests): recorded and moved in one transaction; how many."""
        async with self.services.sessionmaker.begin() as session:
            meetings = TeamMeetingRepository(session)
            due = await (meetings.due_digests if digests else meetings.due_prompts)(now, self.config.batch)
            for meeting, team in due:
                try:
                    async with session.begin_nested():
                        send = self._digest if digests else self._prompt
                        await send(session, meeting, team, now, report)
                except Exception:
                    # One team's fault (a bug) must not hold up the others, nor come back every tick.
                    log.exception("team %s: the meeting on %s failed", meeting.team_id, meeting.day)
                    await session.refresh(meeting)
                    failed = MEETING_SENDS.move(_S.PLANNED, _S.FAILED)
                    if digests:
                        meeting.digest_status, meeting.digest_done_at = failed, now
                    else:
                        meeting.prompt_status, meeting.prompt_done_at = failed, now
                    meeting.updated_at = now
            return len(due)

    def _status(
        self, meeting: TeamMeeting, team: Team, due_at: datetime, now: datetime, recipients: int
    ) -> _S:
        # Never after the meeting has begun: a digest or a prompt then is no use to anyone.
        grace = min(self.config.grace, max(meeting.starts_at - due_at, timedelta(0)))
        if team.status != TeamStatus.ACTIVE:
            recipients = 0
        return due_send_status(due_at, now, max(grace, timedelta(seconds=1)), recipients=recipients)

    async def _prompt(
        self, session: AsyncSession, meeting: TeamMeeting, team: Team, now: datetime, report: MeetingsReport
    ) -> None:
        seats = await TeamDigestReads(session).members(team.id)
        members = [user for seat, user in seats if seat.role == Role.MEMBER and user.is_active]
        status = self._status(meeting, team, meeting.prompt_at, now, len(members))
        meeting.prompt_status, meeting.prompt_done_at, meeting.updated_at = status, now, now
        if status is not _S.SENT:
            self._count(report, status, meeting, "prompt")
            return
        TeamMeetingRepository(session).add_prompts(prompt_rows(meeting, [user.id for user in members], now))
        outbox = OutboxRepository(session)
        default = self.services.settings.default_language
        for user in members:
            _ = user_translator(user, user.telegram_language, default)
            buttons = (tuple(Button(_(NOTE_BUTTON_LABELS[kind]), meeting_note_callback(meeting.id, kind))
                             for kind in PROMPT_KINDS),)  # fmt: skip
            await outbox.add(user.id, text_messages(Outgoing(prompt_text(meeting, team, _), buttons)), now)
            report.chats.add(user.id)
        report.prompts += 1

    async def _digest(
        self, session: AsyncSession, meeting: TeamMeeting, team: Team, now: datetime, report: MeetingsReport
    ) -> None:
        seats = await TeamDigestReads(session).members(team.id)
        managers = [user for seat, user in seats if seat.role in MANAGING and user.is_active]
        status = self._status(meeting, team, meeting.digest_at, now, len(managers))
        meeting.digest_status, meeting.digest_done_at, meeting.updated_at = status, now, now
        if status is not _S.SENT:
            self._count(report, status, meeting, "digest")
            return
        digest = await gather_digest(session, team, meeting, now, self.services.settings.default_language)
        outbox, default = OutboxRepository(session), self.services.settings.default_language
        texts: dict[str, list[NewMessage]] = {}  # built once per language
        for user in managers:
            _ = user_translator(user, user.telegram_language, default)
            if _.language not in texts:
                texts[_.language] = text_messages(Outgoing(digest_text(digest, _)))
            await outbox.add(user.id, texts[_.language], now)
            report.chats.add(user.id)
        report.digests += 1

    @staticmethod
    def _count(report: MeetingsReport, status: _S, meeting: TeamMeeting, what: str) -> None:
        if status is _S.MISSED:
            report.missed += 1
            log.info(
                "team %s: the %s of the meeting on %s was missed (the bot was down)",
                meeting.team_id,
                what,
                meeting.day,
            )
        else:
            report.skipped += 1
