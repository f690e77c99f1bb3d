"""The outbox: a turn's replies are recorded with its effects and sent after the commit, in order per chat,
at most once; what a crash or Telegram left unsent goes out after a restart or on the next tick.

"A restart" here is a second Application on the same database, started as the bot starts (on SQLite its
startup recovers at once; on PostgreSQL a dead process's send is released when its lease has run out).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import ApplicationHandlerStop, CommandHandler

from bot.app import build_application, startup
from bot.core.dialog import Button, Outgoing, Photo
from bot.core.utf16 import utf16_length
from bot.devtools.fake_bot_api import FakeBotApi, Fault
from bot.devtools.inprocess_request import InProcessRequest
from bot.scheduler.outbox import Outbox, OutboxConfig
from bot.services.container import Services
from bot.settings import Settings
from bot.storage.message_models import OutboxMessage
from bot.storage.models import DialogState, User
from bot.telegram.callbacks import GoalButton, goal_callback
from bot.telegram.context import BotApplication, BotContext
from bot.telegram.limits import MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH
from bot.telegram.turns import user_turn
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch, rows
from tests.auxil.goals import insert_entries, insert_goal, onboard

QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
# A PNG header is enough for the fake Bot API: it keeps the bytes as they were uploaded.
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def outbox(app: BotApplication) -> Outbox:
    return app.bot_data.outbox


async def stored(engine: AsyncEngine, chat: Chat) -> list[OutboxMessage]:
    return await rows(engine, OutboxMessage, chat_id=chat.id)


@pytest.fixture
async def restart(
    settings: Settings, services: Services, clock: FakeClock
) -> AsyncIterator[Callable[[FakeBotApi], asyncio.Future[BotApplication]]]:
    """Start another Application on the same database, as the bot does after a crash."""
    started: list[BotApplication] = []

    async def start(api: FakeBotApi) -> BotApplication:
        if not settings.is_sqlite:
            clock.advance(seconds=OutboxConfig().lease.total_seconds() + 1)  # the dead process's lease ends
        application = build_application(
            settings, request=InProcessRequest(api), rate_limited=False, services=services
        )
        await application.initialize()
        started.append(application)
        await startup(application)
        return application

    yield start  # type: ignore[misc]
    for application in started:
        await application.shutdown()


def say(*replies: Outgoing | Photo) -> CommandHandler[BotContext, None]:
    """A /say command that replies with `replies` through the real turn (for replies no flow builds yet)."""

    async def handler(update: Update, context: BotContext) -> None:
        async with user_turn(update, context) as turn:
            turn.reply(replies)
        raise ApplicationHandlerStop

    return CommandHandler("say", handler)


def paragraphs(characters: int) -> str:
    """A text of about `characters` characters in paragraphs of a few lines each."""
    line = "Visited the Suzhou chain, they want a second demo with their buyers next week."
    text, n = "", 0
    while len(text) < characters:
        n += 1
        text += f"{n}. {line}\n" + ("\n" if n % 4 == 0 else "")
    return text.rstrip()


async def test_replies_are_recorded_with_the_turn_and_marked_sent_once_they_arrive(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    sent = await chat.send("/start")

    assert "Hello, Li!" in sent[0].text and "Which language shall I use?" in sent[1].text
    # The turn's last send is written down with the process's next outbox write (here: the flush).
    assert [m.status for m in await stored(engine, chat)] == ["sent", "sending"]
    await outbox(app).flush()
    messages = await stored(engine, chat)
    assert [(m.text, m.status, m.attempts) for m in messages] == [(c.text, "sent", 1) for c in sent]
    assert [m.message_id for m in messages] == [c.result["message_id"] for c in sent]
    assert messages[1].buttons == [[[b["text"], b["callback_data"]] for b in row] for row in sent[1].buttons]
    assert messages[0].buttons is None


async def test_a_turn_that_fails_records_no_reply(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    async def failing(update: Update, context: BotContext) -> None:
        async with user_turn(update, context) as turn:
            turn.reply([Outgoing("Saved 3 calls.")])
            raise RuntimeError("the save broke after the reply was decided")

    app.handlers[0].insert(0, CommandHandler("broken", failing))  # ahead of "unknown command"
    chat = make_chat()
    sent = await chat.send("/broken")

    assert [call.text for call in sent] == [
        "Sorry, something went wrong on my side. What you saved before is safe; please try again."
    ]
    assert await stored(engine, chat) == [], "the reply rolled back with the turn"


async def test_killed_while_the_first_reply_is_on_its_way_the_rest_is_sent_after_the_restart(
    make_chat: Callable[..., Chat],
    bot_api: FakeBotApi,
    engine: AsyncEngine,
    restart: Callable[[FakeBotApi], asyncio.Future[BotApplication]],
) -> None:
    """The crash between the commit and the replies: the greeting's request is under way, the language
    question is recorded and not sent. After the restart the question arrives; the greeting, which may
    have reached Telegram, is never sent again (here it had not: the one message the window can lose)."""
    chat = make_chat()
    hold = Fault(200, "held", method="sendMessage", chat_id=chat.id, release=asyncio.Event())
    bot_api.faults.insert(0, hold)
    turn = asyncio.create_task(chat.send("/start"))
    await bot_api.wait_for(lambda _: hold.held == 1)
    turn.cancel()  # the process dies with the request under way
    with pytest.raises(asyncio.CancelledError):
        await turn

    user = await fetch(engine, User, chat.id)
    dialog = await fetch(engine, DialogState, chat.id)
    assert user is not None and isinstance(dialog, DialogState) and dialog.step == "language"
    assert [m.status for m in await stored(engine, chat)] == ["sending", "pending"]
    assert bot_api.sent_to(chat.id) == []

    after = FakeBotApi()
    restarted = await restart(after)
    await outbox(restarted).tick()

    arrived = after.sent_to(chat.id)
    assert [call.text for call in arrived] == ["Which language shall I use?"], "the question arrives once"
    assert labels(arrived[0]) == ["English", "中文", "✖ Cancel"]
    assert [m.status for m in await stored(engine, chat)] == ["unconfirmed", "sent"]
    await outbox(restarted).tick()
    assert len(after.sent_to(chat.id)) == 1, "nothing is sent twice"
    # The question's buttons work: the dialog's version is the one the killed turn committed.
    after.continue_update_ids(10_000)
    restarted_chat = Chat(restarted, after, chat.user)
    assert "I will speak English with you." in texts(await restarted_chat.press("English", on=arrived[0]))


async def test_an_expired_callback_query_still_gets_the_actions_reply(
    make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    chat = make_chat()
    await chat.send("/start")
    # The press is handled after the query's life (a long restart): Telegram refuses to answer it.
    too_old = bot_api.fail(400, QUERY_TOO_OLD, method="answerCallbackQuery")

    with caplog.at_level(logging.DEBUG, logger="bot.telegram.sending"):
        sent = await chat.press("English")

    assert too_old.count == 0, "the bot did try to answer the query"
    assert "I will speak English with you." in texts(sent)
    assert "Which time zone are you in?" in sent[-1].text
    assert "Sorry" not in texts(sent)
    noted = [r for r in caplog.records if "not answered" in r.getMessage()]
    assert [r.levelno for r in noted] == [logging.DEBUG]
    user = await fetch(engine, User, chat.id)
    assert isinstance(user, User) and user.language == "en", "the action committed"


async def test_a_server_error_on_a_reply_is_retried_after_a_backoff_not_apologised_for(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    bot_api: FakeBotApi,
    engine: AsyncEngine,
    clock: FakeClock,
) -> None:
    chat = make_chat()
    outage = bot_api.fail(500, "Internal Server Error", method="sendMessage", chat_id=chat.id)

    assert await chat.send("/start") == []
    greeting, question = await stored(engine, chat)
    assert (greeting.status, greeting.attempts, question.status) == ("pending", 1, "pending")
    assert greeting.next_attempt_at == clock() + timedelta(seconds=1)
    assert await outbox(app).tick() == 0, "not before the backoff"

    clock.advance(seconds=1)
    assert await outbox(app).tick() == 2
    sent = bot_api.sent_to(chat.id)
    assert outage.count == 0
    assert ["Hello, Li!" in sent[0].text, "Which language" in sent[1].text] == [True, True], "in order"
    assert [(m.status, m.attempts) for m in await stored(engine, chat)] == [("sent", 2), ("sent", 1)]


async def test_a_429_holds_every_reply_for_its_retry_after_without_counting_an_attempt(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    bot_api: FakeBotApi,
    engine: AsyncEngine,
    clock: FakeClock,
) -> None:
    first, second = make_chat(), make_chat()
    flood = bot_api.fail(429, "Too Many Requests: retry after 35", method="sendMessage", retry_after=35)

    assert await first.send("/start") == []
    assert await second.send("/start") == [], "the flood gate holds the other chats too"
    assert flood.count == 0 and len([c for c in bot_api.calls if c.method == "sendMessage"]) == 0
    greeting = (await stored(engine, first))[0]
    assert (greeting.status, greeting.attempts) == ("pending", 0)
    assert greeting.next_attempt_at == clock() + timedelta(seconds=35)
    assert {m.attempts for m in await stored(engine, second)} == {0}, "held back, never tried"

    clock.advance(seconds=34)
    assert await outbox(app).tick() == 0
    clock.advance(seconds=1)
    assert await outbox(app).tick() == 4
    for chat in (first, second):
        sent = bot_api.sent_to(chat.id)
        assert ["Hello, Li!" in sent[0].text, "Which language" in sent[1].text] == [True, True]
    assert {m.status for m in await stored(engine, first) + await stored(engine, second)} == {"sent"}


async def test_a_403_ends_the_chats_replies_and_marks_the_user_blocked(
    make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    chat = make_chat()
    bot_api.fail(403, "Forbidden: bot was blocked by the user", method="sendMessage", chat_id=chat.id)

    assert await chat.send("/start") == []
    messages = await stored(engine, chat)
    assert [(m.status, m.attempts) for m in messages] == [("failed", 1), ("failed", 0)]
    assert messages[1].reason == "the chat blocked the bot"
    user = await fetch(engine, User, chat.id)
    assert isinstance(user, User) and (user.is_active, user.blocked_at is not None) == (False, True)


async def test_a_5000_character_reply_arrives_in_full_in_two_messages_the_keyboard_on_the_last(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    text = paragraphs(5000)
    my_goals = Button("📋 My goals", goal_callback(GoalButton.LIST))
    app.add_handler(say(Outgoing(text, ((my_goals,),))), group=-1)
    chat = make_chat()

    sent = await chat.send("/say")

    assert len(text) >= 5000 and len(sent) == 2
    assert all(utf16_length(call.text) <= MAX_TEXT_LENGTH for call in sent)
    assert sent[0].text.endswith(".") and sent[1].text[0].isdigit(), "cut between paragraphs"
    assert "\n\n".join(call.text for call in sent) == text, "nothing lost or added but the cut"
    assert sent[0].buttons == [] and labels(sent[1]) == ["📋 My goals"]
    await outbox(app).flush()
    assert [m.status for m in await stored(engine, chat)] == ["sent", "sent"]


async def test_a_long_caption_keeps_what_fits_and_the_rest_follows_the_photo(
    app: BotApplication, make_chat: Callable[..., Chat]
) -> None:
    caption = paragraphs(1500)
    app.add_handler(say(Photo(lambda: PNG, caption=caption)), group=-1)
    chat = make_chat()

    sent = await chat.send("/say")

    assert [call.method for call in sent] == ["sendPhoto", "sendMessage"]
    assert sent[0].files["photo"] == PNG
    assert utf16_length(sent[0].params["caption"]) <= MAX_CAPTION_LENGTH
    assert sent[0].params["caption"] + "\n\n" + sent[1].text == caption


async def test_a_chart_is_recorded_as_its_drawing_and_drawn_when_it_is_sent(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    bot_api: FakeBotApi,
    engine: AsyncEngine,
    clock: FakeClock,
    restart: Callable[[FakeBotApi], asyncio.Future[BotApplication]],
) -> None:
    chat = make_chat()
    await onboard(chat)
    goal_id = await insert_goal(engine, chat.id, clock(), start_date=date(2026, 11, 23))
    await insert_entries(engine, chat.id, goal_id, {date(2026, 11, 24): Decimal(2)}, clock())
    # Telegram is down for the chart: it stays recorded, and a restarted bot draws and sends it.
    bot_api.fail(502, "Bad Gateway", method="sendPhoto", count=10**6)

    sent = await chat.send("/progress")
    assert [call.method for call in sent] == ["sendMessage"]
    chart = (await stored(engine, chat))[-1]
    assert chart.photo is None and chart.drawing is not None and chart.drawing["name"] == "progress_chart"
    assert chart.status == "pending"

    after = FakeBotApi()
    restarted = await restart(after)
    clock.advance(seconds=5)
    await outbox(restarted).tick()
    photos = [call for call in after.sent_to(chat.id) if call.method == "sendPhoto"]
    assert len(photos) == 1 and photos[0].files["photo"].startswith(b"\x89PNG")


async def test_finished_rows_are_pruned_after_the_retention(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await chat.send("/start")
    assert len(await stored(engine, chat)) == 2
    retention = outbox(app).config.retention
    clock.advance(seconds=retention.total_seconds() - 60)
    await outbox(app).tick()
    assert len(await stored(engine, chat)) == 2, "kept for the retention period"
    clock.advance(seconds=outbox(app).config.prune_every.total_seconds() + 60)
    await outbox(app).tick()
    assert await stored(engine, chat) == []


async def test_concurrent_senders_send_a_chats_replies_once_each_in_order(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    bot_api: FakeBotApi,
    engine: AsyncEngine,
    clock: FakeClock,
) -> None:
    chat = make_chat()
    bot_api.fail(429, "Too Many Requests: retry after 2", method="sendMessage", retry_after=2)
    await chat.send("/start")
    await chat.send("/help")  # held too: four replies wait
    clock.advance(seconds=2)

    delivered = await asyncio.gather(
        outbox(app).tick(), outbox(app).deliver(chat.id), outbox(app).deliver(chat.id)
    )

    assert sum(delivered) == 3
    sent = [call.text for call in bot_api.sent_to(chat.id)]
    assert (
        len(sent) == 3 and "Hello, Li!" in sent[0] and "Which language" in sent[1] and "/settings" in sent[2]
    )
    assert [m.status for m in await stored(engine, chat)] == ["sent", "sent", "sent"]


async def test_a_photo_over_telegrams_10_mb_is_refused_and_the_rest_still_goes(
    app: BotApplication, make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    huge = b"\x89PNG" + b"\0" * (10 * 1024 * 1024)
    app.add_handler(say(Photo(lambda: huge, caption="Your chart"), Outgoing("That was the chart.")), group=-1)
    chat = make_chat()

    sent = await chat.send("/say")

    assert [call.text for call in sent] == ["That was the chart."]
    await outbox(app).flush()
    photo, text = await stored(engine, chat)
    assert (photo.status, text.status) == ("failed", "sent")
    assert photo.reason is not None and "Telegram takes uploads up to 10000000" in photo.reason


async def test_prompts_and_nudges_are_split_like_replies(app: BotApplication, bot_api: FakeBotApi) -> None:
    text = paragraphs(5000)
    my_goals = Button("📋 My goals", goal_callback(GoalButton.LIST))
    chat_id = 555_001

    message_id = await app.bot_data.sending.outgoing(chat_id, Outgoing(text, ((my_goals,),)))

    sent = bot_api.sent_to(chat_id)
    assert len(sent) == 2 and "\n\n".join(call.text for call in sent) == text
    assert sent[0].buttons == [] and labels(sent[1]) == ["📋 My goals"]
    assert message_id == sent[1].result["message_id"]
