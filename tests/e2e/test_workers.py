"""Three bot processes on one PostgreSQL, one of them SIGKILLed midway: each update once, in each user's
order, each prompt once (issue 15, item 5).

The shape is one `all` process (it polls getUpdates and works) and two `worker`s (BOT_ROLE=worker: they
consume the inbox and run the dispatcher and the outbox, and never poll). That is how a polling
deployment scales: Telegram keeps one long poll per token and ends the other with 409 Conflict (the
emulator does too, bot/devtools/long_polls.py), so more pollers would only cut each other off; and every
update reaches the workers through the durable inbox the poller fills, the real path. (Behind a webhook
any number of `all` processes share the work the same way: the inbox is the meeting point either way.)

2,000 `/log N calls` updates from 200 users wait in the emulator's getUpdates queue, and 1,000 other users'
daily reviews are due on the bot's clock (CLOCK_START, the same base for the three processes, started
together). Once replies and prompts are going out and the victim worker holds users' lanes, it is
SIGKILLed; the survivors take over its lanes once INBOX_LEASE_SECONDS lapse, and its prompts and replies
under way once the outbox and prompt leases do. What a killed process had under way may have reached
Telegram or not: as everywhere in the project (tests/e2e/outbox_rows.py, test_fanout.py), such a send is
recorded unconfirmed and never repeated, so it arrives at most once; every other one arrives exactly once.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.devtools.fake_bot_api import SentCall
from bot.storage.message_models import InboxLane, InboxUpdate, OutboxMessage
from bot.storage.models import ActivityLog, InboxStatus, OccurrenceStatus, PromptOccurrence
from bot.telegram.worker_mode import SQLITE_REFUSED
from tests.e2e.harness import REPO_ROOT, TOKEN, BotProcess, Harness, bot_env
from tests.e2e.test_fanout import DAILY, clock_start, latency, seed, settle, until
from tests.e2e.test_inbox_two_processes import HANDLED, amount_of

pytestmark = pytest.mark.e2e

LOG_USERS, PER_USER = 200, 10
PROMPT_USERS = 1000
FIRST_LOG_USER = 614_000_001
FIRST_PROMPT_USER = 812_000_001
# Short leases so that a dead process's claims are taken over within seconds. The outbox and prompt
# leases compare instants of different processes' clocks (CLOCK_START runs from each process's start), so
# they stay well above the few seconds by which the processes' starts differ.
LEASES = {"INBOX_LEASE_SECONDS": "5", "OUTBOX_LEASE_SECONDS": "10", "PROMPT_LEASE_SECONDS": "10"}
FAST = {"DISPATCH_INTERVAL_SECONDS": "0.2", "TELEGRAM_RATE_LIMIT": "0", "LOG_LEVEL": "INFO", **LEASES}
# Replies and prompts out before the kill: midway through both.
KILL_AFTER_REPLIES, KILL_AFTER_PROMPTS = 300, 100
DONE_WAIT = 420.0
READY = r"polling for updates|working as a worker"


def is_prompt(call: SentCall) -> bool:
    return call.method == "sendMessage" and call.text.startswith(DAILY)


async def scalar(engine: AsyncEngine, statement: Any) -> Any:
    async with AsyncSession(engine) as session:
        return await session.scalar(statement)


async def until_true(check: Callable[[], Awaitable[bool]], what: str, timeout: float) -> None:  # noqa: ASYNC109
    """Poll the database (another process writes it) until `check()` holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"never: {what}")
        await asyncio.sleep(0.2)


async def all_settled(engine: AsyncEngine) -> bool:
    """Every update handled, every occurrence recorded and finished, no reply waiting or under way."""
    open_updates = await scalar(
        engine, select(func.count()).select_from(InboxUpdate).where(InboxUpdate.status != InboxStatus.DONE)
    )
    open_replies = await scalar(
        engine,
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status.in_(["pending", "sending"])),
    )
    occurrences = await scalar(engine, select(func.count()).select_from(PromptOccurrence))
    open_prompts = await scalar(
        engine,
        select(func.count())
        .select_from(PromptOccurrence)
        .where(PromptOccurrence.status.in_([OccurrenceStatus.CLAIMED, OccurrenceStatus.SENDING])),
    )
    return open_updates == open_replies == open_prompts == 0 and occurrences == PROMPT_USERS


async def lanes_held_by(engine: AsyncEngine, process: BotProcess) -> int:
    """Lanes claimed now by `process` (its consumer is named host:pid:random)."""
    statement = (
        select(func.count()).select_from(InboxLane).where(InboxLane.claimed_by.like(f"%:{process.pid}:%"))
    )
    return int(await scalar(engine, statement))


async def test_three_processes_one_killed_handle_2000_updates_and_1000_prompts_once_each_in_order(
    harness: Harness, engine: AsyncEngine, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("several processes share one database only on PostgreSQL; set TEST_DATABASE_URL")
    api = harness.api
    prompt_users = list(range(FIRST_PROMPT_USER, FIRST_PROMPT_USER + PROMPT_USERS))
    await seed(engine, prompt_users, clock_start(harness))
    chats = [api.user(FIRST_LOG_USER + n, first_name=f"Seller {n}") for n in range(LOG_USERS)]
    expected = {chat["id"]: [n * PER_USER + k + 1 for k in range(PER_USER)] for n, chat in enumerate(chats)}
    for k in range(PER_USER):
        for chat in chats:
            await api.push(api.message_update(chat, f"/log {expected[chat['id']][k]} calls"))
    latency(api, 0.005)  # every send takes a moment at Telegram: the kill finds some under way

    poller, victim, survivor = (
        BotProcess({**harness.env, **FAST, "BOT_ROLE": role}) for role in ("all", "worker", "worker")
    )
    bots = [poller, victim, survivor]
    harness.started.extend(bots)  # killed by the fixture whatever happens
    # Started together, so that their clocks (CLOCK_START from each one's start) agree to within seconds.
    await asyncio.gather(*(bot.start() for bot in bots))
    for bot in bots:
        await bot.wait_for_output(READY, timeout=90)

    def replies() -> int:
        return sum(1 for call in api.calls if amount_of(call) is not None)

    def prompts() -> int:
        return sum(1 for call in api.calls if is_prompt(call))

    going = api.wait_for(lambda _: replies() >= KILL_AFTER_REPLIES and prompts() >= KILL_AFTER_PROMPTS, 180)
    await until(bots, going, f"{KILL_AFTER_REPLIES} replies and {KILL_AFTER_PROMPTS} prompts")

    async def victim_holds_lanes() -> bool:
        return await lanes_held_by(engine, victim) > 0

    await until(bots, until_true(victim_holds_lanes, "the victim holds lanes", 60), "the victim's lanes")
    at_kill = (replies(), prompts())
    await victim.kill()
    print(f"killed the worker after {at_kill[0]} replies and {at_kill[1]} prompts")
    assert at_kill[0] < LOG_USERS * PER_USER, "every reply went out before the kill"

    await until(
        [poller, survivor], until_true(lambda: all_settled(engine), "all settled", DONE_WAIT), "the end"
    )
    # Read before the stop: the poller's last getUpdates (it confirms the offset) may overtake the end of
    # the long poll it abandoned, which Telegram would terminate as well, harmlessly.
    conflicts = api.polls.terminated
    assert await poller.terminate() == 0, poller.tail()
    assert await survivor.terminate() == 0, survivor.tail()
    await settle(harness.emulator)

    # Each update handled once, in its user's order: the database...
    async with AsyncSession(engine) as session:
        logged: dict[int, list[int]] = defaultdict(list)
        for user_id, amount in await session.execute(
            select(ActivityLog.user_id, ActivityLog.amount).order_by(ActivityLog.id)
        ):
            logged[user_id].append(int(amount))
        reply_rows = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        occurrence_rows = list(
            await session.execute(select(PromptOccurrence.user_id, PromptOccurrence.status))
        )
        left_claimed = list(
            await session.scalars(select(InboxLane.claimed_by).where(InboxLane.claimed_by.is_not(None)))
        )
    assert dict(logged) == expected, "an update was handled twice, never, or out of its user's order"

    # ...and what users saw: each reply at most once and in order; one missing only if the kill left it
    # under way (recorded unconfirmed, never repeated).
    seen: dict[int, list[int]] = defaultdict(list)
    for call in api.calls:
        amount = amount_of(call)
        if amount is not None and call.chat_id is not None:
            seen[call.chat_id].append(amount)
    unconfirmed = {
        (row.chat_id, amount_of(SentCall("sendMessage", {"text": row.text})))
        for row in reply_rows
        if row.status == "unconfirmed"
    }
    for chat_id, amounts in expected.items():
        got = seen.get(chat_id, [])
        assert len(got) == len(set(got)), f"chat {chat_id} got a reply twice: {got}"
        assert got == [amount for amount in amounts if amount in got], (
            f"chat {chat_id}'s replies out of order"
        )
        missing = {(chat_id, amount) for amount in amounts if amount not in got}
        assert missing <= unconfirmed, f"replies lost that were not left under way by the kill: {missing}"
    assert {row.status for row in reply_rows} <= {"sent", "unconfirmed"}, "a reply failed or is still open"

    # Each prompt once: one occurrence per user, each delivered once, none twice; one not delivered
    # only if the kill left it under way.
    statuses = dict(occurrence_rows)
    assert len(occurrence_rows) == len(statuses) == PROMPT_USERS, "not one occurrence per user"
    delivered = Counter(call.chat_id for call in api.calls if is_prompt(call))
    assert set(delivered) <= set(prompt_users), "a prompt went to a chat that had none due"
    twice = {chat: n for chat, n in delivered.items() if n > 1}
    assert not twice, f"prompts sent more than once: {twice}"
    lost = {user: statuses[user] for user in prompt_users if delivered[user] == 0}
    assert set(lost.values()) <= {OccurrenceStatus.UNCONFIRMED}, f"prompts lost: {lost}"
    assert set(statuses.values()) <= {OccurrenceStatus.SENT, OccurrenceStatus.UNCONFIRMED}
    assert all(delivered[user] == 1 for user, status in statuses.items() if status == OccurrenceStatus.SENT)

    # The work was shared, and the victim's part taken over.
    handled = {
        bot.pid: int(match[1])
        for bot in (poller, survivor)
        for match in [HANDLED.search(bot.output)]
        if match
    }
    assert len(handled) == 2 and min(handled.values()) > 0, handled
    assert sum(handled.values()) < LOG_USERS * PER_USER, "the victim handled nothing before it died"
    assert conflicts == 0, "a second process polled getUpdates (409 Conflict)"
    assert [call.method for call in api.calls if call.method in ("deleteWebhook", "setWebhook")] == [
        "deleteWebhook"
    ], "a worker called deleteWebhook or setWebhook"

    # Nothing is left claimed but, at most, the dead worker's idle lanes (their leases lapsed: anyone
    # takes them when the users write again); a restarted worker on this host releases those at once.
    assert all(f":{victim.pid}:" in claimer for claimer in left_claimed), left_claimed
    if left_claimed:
        replacement = BotProcess({**harness.env, **FAST, "BOT_ROLE": "worker"})
        harness.started.append(replacement)
        await replacement.start()
        await replacement.wait_for_output(r"released the inbox lanes of 1 stopped processes", timeout=90)
        assert await replacement.terminate() == 0, replacement.tail()
    assert (
        await scalar(
            engine, select(func.count()).select_from(InboxLane).where(InboxLane.claimed_by.is_not(None))
        )
        == 0
    )


def test_a_worker_on_sqlite_is_refused_with_one_line_and_exit_2(tmp_path: Path) -> None:
    env = bot_env(
        f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}", TELEGRAM_BOT_TOKEN=TOKEN, BOT_ROLE="worker"
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [f"quota-coach: {SQLITE_REFUSED}"], result.stderr
    assert not (tmp_path / "bot.sqlite3").exists(), "the database was opened before the refusal"
