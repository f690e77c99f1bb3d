"""Sends queued coaching nudges, with the review prompts' delivery rules.

A nudge row is unique per user and trigger key, so a trigger firing twice sends once. Before a send the
row is marked 'sending' and committed; a crash leaves it 'unconfirmed', never repeated. The daily cap
(2, or 1 at "fewer", none at "off"), the kinds allowed at each level and quiet hours are checked at
send time, so a change of setting applies to nudges already queued. So is the goal's result: a nudge
celebrating a result that was undone or corrected since it was queued says the numbers as they are now,
or is withdrawn (`recheck`); the same occasion reached again queues it anew. A 429 (the shared flood gate)
holds every nudge not yet sent until Telegram's retry_after has passed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dates import local_date
from bot.core.lifecycle.nudges import NUDGES, RESULT_WITHDRAWN, NudgeStatus
from bot.core.nudge_pacing import NudgeLevel, kind_allowed, may_send, send_at
from bot.core.nudges import RESULT_KINDS, NudgeKind, recheck
from bot.scheduler.delivery import DeliveryError, Failure, flood
from bot.scheduler.flood import FloodGate
from bot.services.container import Services
from bot.services.nudge_texts import PRIORITY
from bot.services.scheduling import quiet_hours_of, stop_prompts
from bot.storage.models import Goal, Nudge, User
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.nudges import NudgeRepository
from bot.storage.repositories.plans import PlanRepository
from bot.storage.repositories.rewards import RewardRepository
from bot.storage.repositories.users import UserRepository

log = logging.getLogger(__name__)
# Sends the nudge to the user; the goal it is about (if it still exists) gives its headline and amounts.
NudgeSender = Callable[[Nudge, User, Goal | None], Awaitable[int | None]]
SEND, LATER, CAPPED = "send", "later", "daily cap"
# A celebration a day late is stale and is dropped at the cap; a reward's outcome waits for the next morning.
KEPT_OVER_CAP = (NudgeKind.REWARD_EARNED, NudgeKind.REWARD_ENDED)


def next_morning(now: datetime, user: User) -> datetime:
    zone = ZoneInfo(user.timezone)
    tomorrow = local_date(user.timezone, now) + timedelta(days=1)
    return send_at(datetime.combine(tomorrow, time(9, 0), zone), quiet_hours_of(user), zone)


class NudgeDispatcher:
    def __init__(
        self, services: Services, sender: NudgeSender, batch: int = 200, gate: FloodGate | None = None
    ) -> None:
        self.services = services
        self.sender = sender
        self.batch = batch
        self.gate = gate or FloodGate(services.now)

    async def recover(self) -> None:
        """At start-up of a single process: a nudge left 'sending' may have arrived, so it is not repeated."""
        async with self.services.sessionmaker.begin() as session:
            await NudgeRepository(session).expire_sends()

    async def tick(self) -> int:
        if not self.gate.is_open():
            return 0  # Telegram asked to wait; the due nudges stay pending until then
        now = self.services.now()
        async with self.services.sessionmaker.begin() as session:
            nudges, people = NudgeRepository(session), UserRepository(session)
            due = await nudges.due(now, self.batch)
            due.sort(key=lambda nudge: (nudge.user_id, PRIORITY.index(NudgeKind(nudge.kind))))
            users = await people.by_ids({n.user_id for n in due})
            due = await self._still_true(session, due, now)
            to_send: list[int] = []
            claimed: dict[int, int] = {}  # nudges this pass already takes per user: they count toward the cap
            for nudge in due:
                user = users[nudge.user_id]
                verdict = await self._verdict(nudges, nudge, user, now, claimed.get(user.id, 0))
                nudge.updated_at = now
                if verdict == SEND:
                    nudge.status = NUDGES.move(nudge.status, NudgeStatus.SENDING)
                    to_send.append(nudge.id)
                    claimed[user.id] = claimed.get(user.id, 0) + 1
                elif verdict == LATER:
                    nudge.due_at = send_at(now, quiet_hours_of(user), ZoneInfo(user.timezone))
                elif verdict == CAPPED and NudgeKind(nudge.kind) in KEPT_OVER_CAP:
                    nudge.due_at = next_morning(now, user)
                else:
                    nudge.status, nudge.reason = NUDGES.move(nudge.status, NudgeStatus.SUPPRESSED), verdict
            for user in users.values():
                people.forget(user)
        for nudge_id in to_send:
            await self._send(nudge_id, users)
        return len(to_send)

    @staticmethod
    async def _still_true(session: AsyncSession, due: Sequence[Nudge], now: datetime) -> list[Nudge]:
        """The due nudges whose occasion still holds, their numbers as they are now; the others withdrawn."""
        about = {
            int(n.data["goal_id"]) for n in due if NudgeKind(n.kind) in RESULT_KINDS and n.data.get("goal_id")
        }
        if not about:
            return list(due)
        results = await _results_in_window(session, about)
        kept = []
        for nudge in due:
            goal_id = nudge.data.get("goal_id")
            if NudgeKind(nudge.kind) not in RESULT_KINDS or not goal_id:
                kept.append(nudge)
                continue
            checked = recheck(NudgeKind(nudge.kind), nudge.data, results.get(int(goal_id), {}))
            if checked is None:
                nudge.status, nudge.reason = (
                    NUDGES.move(nudge.status, NudgeStatus.WITHDRAWN),
                    RESULT_WITHDRAWN,
                )
                nudge.updated_at = now
                if NudgeKind(nudge.kind) is NudgeKind.REWARD_EARNED:
                    # Earned again later, the same key revives this nudge and the reward is settled once more.
                    await RewardRepository(session).reopen(int(nudge.key.rpartition(":")[2]), now)
            else:
                if checked != nudge.data:
                    nudge.data = checked
                kept.append(nudge)
        return kept

    async def _verdict(
        self, nudges: NudgeRepository, nudge: Nudge, user: User, now: datetime, claimed: int
    ) -> str:
        """SEND, LATER (quiet hours began since it was queued), or why it is suppressed."""
        level = NudgeLevel(user.nudge_level)
        if not user.is_active:
            return "user inactive"
        if not kind_allowed(level, NudgeKind(nudge.kind)):
            return f"turned down ({level.value})"
        zone = ZoneInfo(user.timezone)
        if send_at(now, quiet_hours_of(user), zone) > now:
            return LATER
        local_midnight = datetime.combine(local_date(user.timezone, now), time(0), zone)
        sent_today = await nudges.count_sent_since(user.id, local_midnight)
        if not may_send(level, sent_today + claimed):
            return CAPPED
        return SEND

    async def _send(self, nudge_id: int, users: dict[int, User]) -> None:
        async with self.services.sessionmaker() as session:
            nudge = await NudgeRepository(session).get(nudge_id)
            goal_id = nudge.data.get("goal_id") if nudge is not None else None
            # The goal the nudge is about, for its headline and amounts (it may be gone since).
            goal = await GoalRepository(session).get(int(goal_id)) if goal_id else None
        if nudge is None:
            return
        user = users[nudge.user_id]
        if not self.gate.is_open():
            # A 429 since this pass marked it: it goes back to waiting, like the nudge that met the 429.
            await self._record(nudge_id, flood(self.gate.wait_seconds()))
            return
        try:
            await self.sender(nudge, user, goal)
        except DeliveryError as error:
            await self._record(nudge_id, error)
            if error.failure is Failure.BLOCKED:
                async with self.services.sessionmaker.begin() as session:
                    await UserRepository(session).mark_blocked(user.id, self.services.now())
                    await stop_prompts(session, user.id, self.services.now())
            return
        await self._record(nudge_id, None)

    async def _record(self, nudge_id: int, error: DeliveryError | None) -> None:
        now = self.services.now()
        async with self.services.sessionmaker.begin() as session:
            nudge = await NudgeRepository(session).get(nudge_id)
            assert nudge is not None
            nudge.updated_at = now
            if error is None:
                nudge.status, nudge.sent_at = NUDGES.move(nudge.status, NudgeStatus.SENT), now
            elif error.failure is Failure.FLOOD:
                nudge.status, nudge.due_at, nudge.reason = (
                    NUDGES.move(nudge.status, NudgeStatus.PENDING),
                    now + timedelta(seconds=error.retry_after or 0),
                    error.reason[:200],
                )
            elif error.failure is Failure.RETRY:
                nudge.status, nudge.due_at, nudge.reason = (
                    NUDGES.move(nudge.status, NudgeStatus.PENDING),
                    now + timedelta(minutes=1),
                    error.reason[:200],
                )
            else:
                lost = error.failure is Failure.UNCONFIRMED
                nudge.status = NUDGES.move(
                    nudge.status, NudgeStatus.UNCONFIRMED if lost else NudgeStatus.FAILED
                )
                nudge.reason = f"{error.failure.value}: {error.reason}"[:200]


async def _results_in_window(session: AsyncSession, goal_ids: set[int]) -> dict[int, dict[date, Decimal]]:
    """The goals' daily results inside their windows (a deleted goal has none)."""
    goals = {goal_id: await GoalRepository(session).get(goal_id) for goal_id in sorted(goal_ids)}
    actuals = await PlanRepository(session).daily_actuals(sorted(goal_ids))
    return {
        goal_id: {
            day: amount for day, amount in actuals[goal_id].items() if goal.start_date <= day <= goal.deadline
        }
        for goal_id, goal in goals.items()
        if goal is not None
    }
