"""/team's card with the team goals' part: their names, the roll-up and leaderboard for everyone, each
goal's card for the managers only; the buttons lead where they say."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage.team_models import Team
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels
from tests.auxil.clock import FakeClock
from tests.auxil.team_goals import seat_team
from tests.telegram.test_team_progress import accepted_team

WORDS = {
    "en": {"goals": "Team goals:", "none": "No team goal yet: set one with /teamgoal.",
           "progress": "📊 Team progress", "board": "🏆 Leaderboard"},
    "zh_CN": {"goals": "团队目标：", "none": "还没有团队目标：用 /teamgoal 设定一个。",
              "progress": "📊 团队进展", "board": "🏆 排行榜"},
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_the_card_shows_the_team_goals_and_leads_to_their_progress(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    team = await seat_team(engine, make_chat, clock(), language)
    [card] = await team.manager.send("/team")
    assert words["none"] in card.text and words["progress"] not in labels(card)

    await accepted_team(app, team, language)
    [card] = await team.manager.send("/team")
    goal_buttons = [label for label in labels(card) if label.startswith("🎯")]
    assert words["goals"] in card.text and len(goal_buttons) == 1
    assert {words["progress"], words["board"]} <= set(labels(card))
    [member_card] = await team.members[0].send("/team")
    assert words["goals"] in member_card.text and words["progress"] in labels(member_card)
    assert not [label for label in labels(member_card) if label.startswith("🎯")]

    progress = await team.members[0].press(words["progress"])
    assert progress and progress[0].method in ("sendMessage", "sendPhoto")
    [goal_card] = await team.manager.press(goal_buttons[0])
    assert goal_card.text != card.text


async def test_the_card_tells_managers_whether_the_group_is_linked_and_members_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock(), "en")
    [card] = await team.manager.send("/team")
    assert "Team group chat: not linked yet. /teamgroup gives the link" in card.text
    [member_card] = await team.members[0].send("/team")
    assert "group chat" not in member_card.text
    async with AsyncSession(engine) as session, session.begin():
        stored = await session.get(Team, team.team_id)
        assert stored is not None
        stored.group_chat_id = -1001234567890
    [card] = await team.manager.send("/team")
    assert "Team group chat: linked." in card.text
