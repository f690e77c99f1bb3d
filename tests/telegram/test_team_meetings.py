"""The weekly sales meeting through the real job and handlers, with the clock moved by hand: the
pre-meeting prompts and notes, the managers' digest exactly once, a meeting missed by downtime, /meeting
decisions recalled next week, /meetingtime, and forged buttons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.lifecycle.meetings import MeetingSendStatus
from bot.devtools.fake_bot_api import FakeBotApi
from bot.scheduler.team_meetings import TeamMeetings
from bot.storage.meeting_models import MeetingItem, MeetingNote, MeetingPrompt, TeamMeeting
from bot.storage.message_models import OutboxMessage
from bot.storage.team_models import Team
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch, rows
from tests.auxil.meetings import (
    CHEN,
    DIGEST_AT,
    LIU,
    MANAGER,
    MEETING_DAY,
    PROMPT_AT,
    SET_UP,
    STARTS_AT,
    WANG,
    ZHAO,
    prepare_team,
    prepare_week,
)

_S = MeetingSendStatus


def job(app: BotApplication) -> TeamMeetings:
    found = app.bot_data.meetings
    assert isinstance(found, TeamMeetings)
    return found


def chats(make_chat: Callable[..., Chat], language: str = "en") -> dict[int, Chat]:
    code = "en" if language == "en" else "zh-hans"
    names = {MANAGER: "Boss", WANG: "Wang", ZHAO: "Zhao", CHEN: "Chen", LIU: "Liu"}
    return {
        user_id: make_chat(language_code=code, user_id=user_id, first_name=name)
        for user_id, name in names.items()
    }


async def meetings_of(engine: AsyncEngine, team_id: int) -> list[TeamMeeting]:
    return await rows(engine, TeamMeeting, team_id=team_id)


async def test_prompt_notes_and_digest_exactly_once_in_english(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,
) -> None:
    team = await prepare_team(engine)
    await prepare_week(engine, team)
    people = chats(make_chat)
    clock.set(SET_UP)
    report = await job(app).tick()
    assert report.planned == 1
    [planned] = await meetings_of(engine, team.team_id)
    assert (planned.day, planned.prompt_at, planned.digest_at, planned.starts_at) == (
        MEETING_DAY,
        PROMPT_AT,
        DIGEST_AT,
        STARTS_AT,
    )
    assert (planned.prompt_status, planned.digest_status) == (_S.PLANNED, _S.PLANNED)

    # Sunday 18:00: the members get the prompt; the manager and Liu (who left) do not.
    clock.set(PROMPT_AT + timedelta(seconds=20))
    report = await job(app).tick()
    assert report.prompts == 1
    for member in (WANG, ZHAO, CHEN):
        prompt = people[member].last_with_buttons()
        assert "East China KA meets Monday, November 30, 2026 at 09:00. Anything to bring?" in prompt.text
        assert labels(prompt) == ["🏆 A win", "🧱 A blocker", "❓ A question"]
    assert bot_api.sent_to(MANAGER) == [] and bot_api.sent_to(LIU) == []
    prompted = {row.user_id for row in await rows(engine, MeetingPrompt, meeting_id=planned.id)}
    assert prompted == {WANG, ZHAO, CHEN}

    # Chen picks "a blocker" and types it; Zhao just types under the prompt.
    sent = await people[CHEN].press("🧱 A blocker")
    assert "What is blocking you?" in sent[-1].text
    sent = await people[CHEN].send("Need a demo unit for the Suzhou tender")
    assert "Added for the meeting on Monday, November 30, 2026 at 09:00" in sent[-1].text
    sent = await people[ZHAO].send("Can we talk about discount approvals?")
    assert "Added for the meeting" in sent[-1].text
    # Zhao's prompt is answered: his next text is no longer a note.
    sent = await people[ZHAO].send("hello")
    assert "Added for the meeting" not in texts(sent)
    notes = {
        (note.user_id, note.kind, note.text)
        for note in await rows(engine, MeetingNote, meeting_id=planned.id)
    }
    assert notes == {(CHEN, "blocker", "Need a demo unit for the Suzhou tender"),
                     (ZHAO, "note", "Can we talk about discount approvals?")}  # fmt: skip

    # Monday 08:00: the digest, to the manager only.
    clock.set(DIGEST_AT + timedelta(seconds=20))
    report = await job(app).tick()
    assert report.digests == 1
    [digest] = [call.text for call in bot_api.sent_to(MANAGER)]
    assert digest.startswith("📋 East China KA: sales meeting Monday, November 30, 2026 at 09:00")
    assert "This week (November 23, 2026 – November 29, 2026): CN¥70,000 of CN¥85,227 (82.1%)" in digest
    assert "Team goal: CN¥370,000 of CN¥1,000,000 by December 31, 2026 (37%) · ⚠️ At risk" in digest
    # Each member's week, furthest behind first; Liu has left and is not in it.
    assert "• Zhao: nothing reported · CN¥0 of CN¥28,409 (0%)" in digest
    assert "• Wang: CN¥40,000 of CN¥28,409 (140.8%)" in digest
    assert "40 calls · rated the week 4/5 · 5 reviews in a row" in digest
    assert digest.index("• Zhao:") < digest.index("• Chen:") < digest.index("• Wang:")
    assert "Liu" not in digest
    assert "⛔ Daily targets missed\n• Zhao: 5 working days in a row" in digest
    # Shared setbacks and lessons; Zhao's unshared setback and his change's note never.
    assert "• Wang (setback): Lost Hangzhou No.2 hospital on price" in digest
    assert "• Chen (lesson): Bring the ROI sheet to the first visit" in digest
    assert "PRIVATE" not in digest
    assert (
        "🔀 Strategy changes\n• Zhao, November 26, 2026: ⚔️ Competition → Keep the target, change tactics"
        in digest
    )
    assert "🏆 Wins\n• Wang: Signed the Suzhou clinic, 80k" in digest
    assert "• Chen (blocker): Need a demo unit for the Suzhou tender" in digest
    assert "• Zhao (note): Can we talk about discount approvals?" in digest
    points = digest.split("🗣 To discuss\n")[1].split("\n\n")[0].splitlines()
    assert points == [
        "1. Zhao is furthest behind their pace: 20.8% under what their plan expected by now (⚠️ At risk).",
        "2. From calls to client visits, conversion fell from 30% to 10%: which step is stuck?",
        "3. Wang, Chen lost 2 deals for the same reason: price.",
        "4. Zhao missed the daily target 5 working days in a row: what would help?",
    ]
    [held] = [m for m in await meetings_of(engine, team.team_id) if m.day == MEETING_DAY]
    assert (held.prompt_status, held.digest_status) == (_S.SENT, _S.SENT)

    # Exactly once: later ticks send nothing more and plan the next week's meeting.
    before = len(await rows(engine, OutboxMessage, chat_id=MANAGER))
    await job(app).tick()
    clock.advance(hours=2)
    await job(app).tick()
    assert len(await rows(engine, OutboxMessage, chat_id=MANAGER)) == before == 1
    assert len(bot_api.sent_to(MANAGER)) == 1
    days = sorted(m.day for m in await meetings_of(engine, team.team_id))
    assert days == [MEETING_DAY, date(2026, 12, 7)]


async def test_the_digest_in_chinese(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,
) -> None:
    team = await prepare_team(engine, manager_language="zh_CN")
    await prepare_week(engine, team)
    clock.set(SET_UP)
    await job(app).tick()
    clock.set(DIGEST_AT + timedelta(seconds=20))
    await job(app).tick()
    [digest] = [call.text for call in bot_api.sent_to(MANAGER)]
    assert digest.startswith("📋 East China KA：销售例会 星期一，2026年11月30日 09:00")
    assert "本周（2026年11月23日 – 2026年11月29日）：¥70,000 / ¥85,227（82.1%）" in digest
    assert "• Zhao：连续 5 个工作日" in digest
    assert "• Wang（挫折）：Lost Hangzhou No.2 hospital on price" in digest
    assert "⚔️ 竞争 → 目标不变，调整打法" in digest
    assert "PRIVATE" not in digest
    assert "🗣 讨论要点" in digest
    assert "Wang、Chen 因同一原因丢了 2 单：价格。" in digest


async def test_a_meeting_missed_by_downtime_is_recorded_not_sent_late(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,
) -> None:
    team = await prepare_team(engine)
    people = chats(make_chat)
    clock.set(SET_UP)
    await job(app).tick()
    # The bot was down from Friday until Monday 09:30, after the meeting had begun.
    clock.set(STARTS_AT + timedelta(minutes=30))
    report = await job(app).tick()
    assert (report.prompts, report.digests, report.missed) == (0, 0, 2)
    held = next(m for m in await meetings_of(engine, team.team_id) if m.day == MEETING_DAY)
    assert (held.prompt_status, held.digest_status) == (_S.MISSED, _S.MISSED)
    assert all(bot_api.sent_to(chat.id) == [] for chat in people.values())
    assert await rows(engine, MeetingPrompt) == []
    assert sorted(m.day for m in await meetings_of(engine, team.team_id)) == [MEETING_DAY, date(2026, 12, 7)]


async def test_a_digest_late_within_the_grace_still_goes_once(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,
) -> None:
    team = await prepare_team(engine)
    chats(make_chat)
    clock.set(SET_UP)
    await job(app).tick()
    clock.set(DIGEST_AT + timedelta(minutes=40))  # down for 40 minutes; the meeting is 20 minutes away
    report = await job(app).tick()
    assert (report.digests, report.missed) == (1, 1)  # the prompt of last evening is past its grace
    assert len(bot_api.sent_to(MANAGER)) == 1
    assert [m.digest_status for m in await meetings_of(engine, team.team_id) if m.day == MEETING_DAY] == [
        _S.SENT
    ]


async def test_meeting_decisions_are_told_and_recalled_next_week(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,
) -> None:
    await prepare_team(engine)
    people = chats(make_chat)
    clock.set(SET_UP)
    await job(app).tick()
    clock.set(STARTS_AT + timedelta(hours=2))  # after Monday's meeting
    await job(app).tick()
    boss = people[MANAGER]
    sent = await boss.send("/meeting")
    assert "Who is the first one for?" in sent[-1].text
    assert labels(sent[-1])[:4] == ["Wang", "Zhao", "Chen", "👥 Whole team"]
    await boss.press("Wang")
    await boss.send("Call back the Hangzhou hospital by Wednesday")
    sent = await boss.press("➕ Another item")
    assert "Who is the next item for?" in sent[-1].text
    await boss.press("👥 Whole team")
    sent = await boss.send("Bring the ROI sheet to every first visit")
    assert (
        "So far:\n• Wang: Call back the Hangzhou hospital by Wednesday\n• the whole team: Bring the ROI"
        in sent[-1].text
    )
    sent = await boss.press("✔ Done")
    assert "Recorded 2 items for the meeting on November 30, 2026" in sent[-1].text
    items = {(item.member_id, item.text) for item in await rows(engine, MeetingItem)}
    assert items == {(WANG, "Call back the Hangzhou hospital by Wednesday"),
                     (None, "Bring the ROI sheet to every first visit")}  # fmt: skip
    # Recorded in the manager's turn; the outbox's own tick (every second) sends them.
    assert await app.bot_data.outbox.tick() == 3  # Wang, Zhao and Chen
    wang = bot_api.last_sent_to(WANG).text
    assert "📌 From East China KA's meeting on November 30, 2026:" in wang
    assert "• Call back the Hangzhou hospital by Wednesday" in wang and "• Whole team: Bring the ROI" in wang
    zhao = bot_api.last_sent_to(ZHAO).text
    assert "Hangzhou" not in zhao and "• Whole team: Bring the ROI" in zhao
    assert bot_api.sent_to(LIU) == []

    # The next Monday's digest recalls them, with whom.
    clock.set(DIGEST_AT + timedelta(days=7, seconds=20))
    await job(app).tick()
    digest = bot_api.last_sent_to(MANAGER).text
    assert (
        "↩️ Agreed at the last meeting\n• Wang: Call back the Hangzhou hospital by Wednesday\n• Whole team: Bring"
        in digest
    )


async def test_a_member_or_a_stranger_cannot_record_a_meeting(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    await prepare_team(engine)
    people = chats(make_chat)
    stranger = make_chat(user_id=900_099)
    for chat in (people[WANG], people[LIU], stranger):
        sent = await chat.send("/meeting")
        assert "Only a team's manager or co-manager records its meeting" in sent[-1].text
        sent = await chat.send("/meetingtime")
        assert "Only a team's manager or co-manager sets its meeting time" in sent[-1].text
    assert await rows(engine, MeetingItem) == []


async def test_meeting_time_typed_and_by_buttons_moves_the_planned_meeting(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await prepare_team(engine)
    boss = chats(make_chat)[MANAGER]
    clock.set(SET_UP)
    await job(app).tick()
    sent = await boss.send("/meetingtime")
    assert "When does East China KA hold its weekly sales meeting?" in sent[-1].text
    sent = await boss.send("Tuesday 10am")
    assert (
        "East China KA meets every Tuesday at 10:00 (Asia/Shanghai). Next: December 1, 2026 at 10:00."
        in sent[-1].text
    )
    saved = await fetch(engine, Team, team.team_id)
    assert isinstance(saved, Team) and (saved.meeting_weekday, saved.meeting_time) == (2, time(10, 0))
    [planned] = await meetings_of(engine, team.team_id)
    assert planned.day == date(2026, 12, 1)
    assert planned.starts_at == datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    assert planned.prompt_at == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    # A weekday button, then the time.
    await boss.send("/meetingtime")
    sent = await boss.press("Thu")
    assert "At what time on Thursday?" in sent[-1].text
    sent = await boss.send("9:30")
    assert "every Thursday at 09:30" in sent[-1].text
    [planned] = await meetings_of(engine, team.team_id)
    assert planned.day == date(2026, 12, 3)
    # Not a time: asked again, nothing changed.
    await boss.send("/meetingtime")
    sent = await boss.send("whenever")
    assert "Please give a day and a time" in sent[0].text
    saved = await fetch(engine, Team, team.team_id)
    assert isinstance(saved, Team) and saved.meeting_weekday == 4


async def test_meeting_time_in_chinese(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await prepare_team(engine, manager_language="zh_CN")
    boss = chats(make_chat, "zh")[MANAGER]
    clock.set(SET_UP)
    sent = await boss.send("/meetingtime")
    assert "East China KA 的每周销售例会在什么时候？" in sent[-1].text
    sent = await boss.send("周一 9点")
    assert "East China KA 每星期一 09:00 开例会（Asia/Shanghai）。" in sent[-1].text
    saved = await fetch(engine, Team, team.team_id)
    assert isinstance(saved, Team) and (saved.meeting_weekday, saved.meeting_time) == (1, time(9, 0))


async def test_forged_and_stale_note_buttons_change_nothing(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,
) -> None:
    team = await prepare_team(engine)
    people = chats(make_chat)
    clock.set(SET_UP)
    await job(app).tick()
    clock.set(PROMPT_AT + timedelta(seconds=20))
    await job(app).tick()
    [meeting] = [m for m in await meetings_of(engine, team.team_id) if m.day == MEETING_DAY]
    wang, boss = people[WANG], people[MANAGER]
    old = "That button is from an old message and no longer does anything."
    prompt = wang.last_with_buttons()
    for data in ("mt:note:99999:win", "mt:note:99999999999:win", f"mt:note:{meeting.id}:boast", "mt:note:-1:win",
                 f"mt:note:0{meeting.id}:win"):  # fmt: skip
        sent = await wang.press_data(data, on=prompt)
        assert sent[-1].text == old, data
    # Someone else's prompt: the manager was not prompted for it, a stranger is no member.
    for chat in (boss, make_chat(user_id=900_099)):
        [own_message] = await chat.send("/help")
        sent = await chat.press_data(f"mt:note:{meeting.id}:win", on=own_message)
        assert sent[-1].text == old
    # After the meeting has begun the prompt's buttons are stale.
    clock.set(STARTS_AT + timedelta(minutes=1))
    sent = await wang.press("🏆 A win", on=prompt)
    assert sent[-1].text == old
    assert await rows(engine, MeetingNote) == []


async def test_a_member_removed_while_typing_adds_no_note(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    from sqlalchemy import update
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.core.teams.lifecycles import MembershipStatus
    from bot.storage.team_models import TeamMember

    team = await prepare_team(engine)
    wang = chats(make_chat)[WANG]
    clock.set(SET_UP)
    await job(app).tick()
    clock.set(PROMPT_AT + timedelta(seconds=20))
    await job(app).tick()
    await wang.press("🏆 A win")
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(
            update(TeamMember).where(TeamMember.team_id == team.team_id, TeamMember.user_id == WANG)
            .values(status=MembershipStatus.REMOVED)
        )  # fmt: skip
    sent = await wang.send("Signed Suzhou")
    assert "I did not add the note" in sent[-1].text
    assert await rows(engine, MeetingNote) == []
