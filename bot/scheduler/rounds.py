"""The state changes of prompt sends, one code path for each: a send starts, it arrived, it failed.

Every send goes through `write_round`, whether the batch of claimed prompts (many senders sharing
each round) or the reminders (one at a time): a start is the locked check and claimed -> sending,
an outcome is sent, retry, flood (the same send again after Telegram's retry_after, not counted as an
attempt), failed or unconfirmed. The statuses come from bot.core.lifecycle.prompts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.prompts import NOT_WANTED, PROMPTS, OccurrenceStatus, may_remind
from bot.core.schedule import reminder_at, review_day_end
from bot.scheduler.delivery import DeliveryError, Failure
from bot.services.scheduling import quiet_hours_of, stop_prompts, wants_prompts
from bot.storage.models import PromptOccurrence, User
from bot.storage.repositories.occurrences import OccurrenceRepository
from bot.storage.repositories.users import UserRepository

MAX_ATTEMPTS = 5
_S = OccurrenceStatus
# What became of a send (occurrence id, user, Telegram's message id or the failure, when).
Outcome = tuple[int, User, int | DeliveryError | None, datetime]
# A prompt cleared to go (marked `sending`, or a reminder found still due): the occurrence and its user.
Started = tuple[PromptOccurrence, User]
# A send to start: the occurrence id and when.
Start = tuple[int, datetime]


@dataclass
class TickReport:
    recorded: int = 0
    sent: int = 0
    missed: int = 0
    skipped: int = 0
    failed: int = 0
    reminded: int = 0


async def write_round(
    session: AsyncSession,
    outcomes: list[Outcome],
    starts: list[Start],
    report: TickReport,
    reminder_delay: timedelta,
    *,
    reminder: bool = False,
) -> list[Started | None]:
    """The outcomes of finished sends, then the starts of the next ones, in one transaction.

    One query reads every row concerned with its user (locked: each row is checked and moved by one
    send only, whichever process or tick gets to it first). Returns, per start, what may go out now.
    """
    ids = [outcome[0] for outcome in outcomes] + [occurrence_id for occurrence_id, _ in starts]
    rows = await OccurrenceRepository(session).locked_with_users(ids)
    for occurrence_id, user, result, now in outcomes:
        occurrence = rows[occurrence_id][0]
        if isinstance(result, DeliveryError):
            await _failed(session, occurrence, user, result, report, now, reminder=reminder)
        else:
            _sent(occurrence, user, result, report, now, reminder_delay, reminder=reminder)
    started: list[Started | None] = []
    for occurrence_id, now in starts:
        start, starter = rows.get(occurrence_id, (None, None))
        if start is None or not _start(start, starter, now, reminder=reminder):
            started.append(None)
        else:
            assert starter is not None
            started.append((start, starter))
    return started


def _start(occurrence: PromptOccurrence, user: User | None, now: datetime, *, reminder: bool) -> bool:
    """Whether the (locked) occurrence goes out now; a prompt then moves from claimed to sending."""
    if reminder and not may_remind(occurrence.status, occurrence.reminded):
        return False  # Answered, skipped or snoozed since: no reminder.
    if reminder and (occurrence.wake_at is None or occurrence.wake_at > now):
        return False  # Another send took this reminder since it was picked (or it waits out a 429).
    if not reminder and not PROMPTS.allows(occurrence.status, _S.SENDING):
        return False  # Another send took it (or it was answered, skipped, ...) since it was picked.
    if user is None or not wants_prompts(user):
        occurrence.status, occurrence.reason, occurrence.updated_at = (
            PROMPTS.move(occurrence.status, _S.SKIPPED),
            NOT_WANTED,
            now,
        )
        return False
    if reminder:
        occurrence.wake_at = None  # taken: no other send starts it
    else:
        occurrence.status, occurrence.attempts, occurrence.updated_at = (
            PROMPTS.move(occurrence.status, _S.SENDING),
            occurrence.attempts + 1,
            now,
        )
    return True


def _sent(
    occurrence: PromptOccurrence,
    user: User,
    message_id: int | None,
    report: TickReport,
    now: datetime,
    reminder_delay: timedelta,
    *,
    reminder: bool,
) -> None:
    occurrence.updated_at = now
    if reminder:
        occurrence.reminded, occurrence.wake_at = True, None
        report.reminded += 1
        return
    occurrence.sent_at, occurrence.message_id = now, message_id
    report.sent += 1
    if not PROMPTS.allows(occurrence.status, _S.SENT):
        return  # Answered, skipped or snoozed while the send was under way (an early tap): that stands.
    occurrence.status = PROMPTS.move(occurrence.status, _S.SENT)
    zone, quiet = ZoneInfo(user.timezone), quiet_hours_of(user)
    occurrence.wake_at = (
        None
        if occurrence.reminded
        else reminder_at(now, reminder_delay, quiet, zone, review_day_end(occurrence.day, quiet, zone))
    )


async def _failed(
    session: AsyncSession,
    occurrence: PromptOccurrence,
    user: User,
    error: DeliveryError,
    report: TickReport,
    now: datetime,
    *,
    reminder: bool,
) -> None:
    occurrence.updated_at = now
    if error.failure is Failure.BLOCKED:
        await UserRepository(session).mark_blocked(user.id, now)
        await stop_prompts(session, user.id, now)
    if error.failure is Failure.FLOOD:
        _flooded(occurrence, error, now, reminder=reminder)
        return
    if reminder:
        occurrence.reminded, occurrence.wake_at = True, None  # One try for a reminder; the prompt stands.
        return
    if error.failure is Failure.RETRY and occurrence.attempts < MAX_ATTEMPTS:
        if PROMPTS.allows(occurrence.status, _S.CLAIMED):
            occurrence.status, occurrence.worker = PROMPTS.move(occurrence.status, _S.CLAIMED), None
            occurrence.wake_at = now + timedelta(seconds=2**occurrence.attempts)
            occurrence.reason = f"retrying: {error.reason}"[:200]
        return
    given_up = _S.UNCONFIRMED if error.failure is Failure.UNCONFIRMED else _S.FAILED
    if PROMPTS.allows(occurrence.status, given_up):
        occurrence.status = PROMPTS.move(occurrence.status, given_up)
        occurrence.reason = f"{error.failure.value}: {error.reason}"[:200]
    report.failed += 1


def _flooded(occurrence: PromptOccurrence, error: DeliveryError, now: datetime, *, reminder: bool) -> None:
    """Telegram's flood control turned the send away: the same send again once its retry_after has
    passed (by the services clock), and the attempt is not counted against the prompt."""
    wake = now + timedelta(seconds=error.retry_after or 0)
    if reminder:
        occurrence.wake_at = wake  # still unreminded: the reminder is taken again at `wake`
        return
    if PROMPTS.allows(occurrence.status, _S.CLAIMED):
        occurrence.status, occurrence.worker = PROMPTS.move(occurrence.status, _S.CLAIMED), None
        occurrence.wake_at, occurrence.attempts = wake, max(occurrence.attempts - 1, 0)
        occurrence.reason = f"waiting: {error.reason}"[:200]
