"""After /lost: the reason (a button or typed words, en and zh), and sharing the setback with a team."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.devtools.fake_bot_api import SentCall
from bot.storage.coaching_models import Setback
from bot.storage.team_models import TeamMember, TeamShare
from bot.telegram.callbacks import TeamButton, team_callback
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import onboard
from tests.auxil.teams import insert_team

WORDS = {
    "en": {"what": "Lost the Acme deal", "lesson": "We talked price before value", "next": "Open with ROI",
           "reason asked": "What was the main reason the deal was lost?", "typed": "they found it too expensive",
           "noted": "Reason noted: price.", "share": "Share with East China KA", "no": "No, keep it private",
           "shared": "Shared with East China KA", "gone": "You are no longer in that team, so nothing was shared",
           "removed": "Wang removed you from East China KA."},
    "zh": {"what": "丢了华为的单子", "lesson": "太早谈价格", "next": "先讲投资回报",
           "reason asked": "丢单的主要原因是什么？", "typed": "竞品价格更低",
           "noted": "已记下原因：竞争对手。", "share": "分享给 East China KA", "no": "不，仅自己可见",
           "shared": "已分享给 East China KA", "gone": "你已不在该团队中，所以没有分享任何内容",
           "removed": "Wang 把你移出了 East China KA。"},
}  # fmt: skip


async def lost(chat: Chat, language: str) -> list[SentCall]:
    w = WORDS[language]
    await chat.send("/lost")
    await chat.send(w["what"])
    await chat.send(w["lesson"])
    return await chat.send(w["next"])


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_typed_reason_and_a_share_with_the_team(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    w = WORDS[language]
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    team_id = await insert_team(engine, 100_950, [chat.id], clock())
    sent = await chat.send("/lost")
    await chat.send(w["what"])
    await chat.send(w["lesson"])
    sent = await chat.send(w["next"])
    assert w["reason asked"] in sent[-1].text
    sent = await chat.send(w["typed"])
    assert labels(sent[-1])[:2] == [w["share"], w["no"]]
    [setback] = await rows(engine, Setback, user_id=chat.id)
    key = "price" if language == "en" else "competitor"
    assert setback.answers["reason"] == key, "kept on the setback before the share question"
    sent = await chat.press(w["share"])
    assert w["shared"] in sent[-1].text
    [share] = await rows(engine, TeamShare, team_id=team_id)
    assert (share.user_id, share.kind, share.source_id, share.text, share.reason_key) == (
        chat.id, "setback", setback.id, w["what"], key)  # fmt: skip


async def test_a_reason_by_button_and_kept_private(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await onboard(chat)
    await insert_team(engine, 100_950, [chat.id], clock())
    await lost(chat, "en")
    await chat.press("⏰ Timing")
    sent = await chat.press("No, keep it private")
    assert "Reason noted: timing." in sent[-1].text
    assert await rows(engine, TeamShare) == []
    [setback] = await rows(engine, Setback, user_id=chat.id)
    assert setback.answers["reason"] == "timing"


async def test_without_a_team_there_is_no_share_question(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await onboard(chat)
    await lost(chat, "en")
    sent = await chat.send("banana")
    assert "Please tap the reason closest to it" in sent[0].text
    sent = await chat.press("🧩 Product fit")
    assert "Reason noted: product fit." in texts(sent) and not sent[-1].buttons
    [setback] = await rows(engine, Setback, user_id=chat.id)
    assert setback.answers["reason"] == "product_fit"


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_member_removed_mid_dialog_shares_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, app: BotApplication, language: str
) -> None:
    w = WORDS[language]
    manager = make_chat(first_name="Wang")
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(manager)
    await onboard(chat, language)
    team_id = await insert_team(engine, manager.id, [chat.id], clock())
    await lost(chat, language)
    await chat.send(w["typed"])
    [seat] = await rows(engine, TeamMember, team_id=team_id, user_id=chat.id)
    await manager.send("/team")
    await manager.press_data(team_callback(TeamButton.REMOVE_CONFIRMED, team_id, seat.id))
    told = await app.bot_data.outbox.tick()
    assert told == 1 and w["removed"] in chat.last_text()
    sent = await chat.press(w["share"], on=chat.api.sent_to(chat.id)[-2])
    assert w["gone"] in sent[-1].text
    assert await rows(engine, TeamShare) == []
