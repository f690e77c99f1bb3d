"""The team group's pure rules: group-link payloads, the per-group rate window, team rewards' windows and
outcomes, milestones, and group privacy mode as the emulators apply it."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bot.core.lifecycle import MoveNotAllowed
from bot.core.lifecycle.team_rewards import TEAM_REWARDS, TeamRewardStatus
from bot.core.teams.group_links import (
    LIFETIME,
    LinkRefusal,
    is_group_payload,
    link_refusal,
    new_group_payload,
)
from bot.core.teams.group_rate import is_group_chat, window_opens
from bot.core.teams.invites import is_invite_payload, new_payload
from bot.core.teams.lifecycles import TeamStatus
from bot.core.teams.team_rewards import RewardWindow, Window, milestones_reached, reward_outcome, window_for
from bot.devtools.telegram_rules import privacy_admits

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def seeded(seed: int) -> Callable[[int], bytes]:
    return random.Random(seed).randbytes


def test_group_payloads_are_random_and_not_invites() -> None:
    first, second = new_group_payload(seeded(1)), new_group_payload(seeded(2))
    assert first != second and len(first) == 24 and first.startswith("g_")
    assert is_group_payload(first) and not is_invite_payload(first)
    assert not is_group_payload(new_payload(seeded(1)))
    for bad in ("", "g_", "g_short", first + "x", first[:-1] + "!", "t_" + first[2:]):
        assert not is_group_payload(bad), bad
    with pytest.raises(ValueError):
        new_group_payload(lambda n: b"\0" * (n - 1))


def test_a_link_admits_until_it_expires_and_only_for_an_active_team() -> None:
    expires = NOW + LIFETIME
    assert link_refusal(expires, TeamStatus.ACTIVE, NOW) is None
    assert link_refusal(expires, TeamStatus.ACTIVE, expires) is LinkRefusal.EXPIRED
    assert link_refusal(expires, TeamStatus.ARCHIVED, NOW) is LinkRefusal.TEAM_ARCHIVED
    assert link_refusal(None, None, NOW) is LinkRefusal.UNKNOWN


def test_the_group_window_holds_the_21st_message_until_the_first_leaves_it() -> None:
    sends = [NOW + timedelta(seconds=second) for second in range(20)]
    assert window_opens(sends[:19], NOW + timedelta(seconds=20)) is None
    assert window_opens(sends, NOW + timedelta(seconds=20)) == NOW + timedelta(seconds=60)
    # Sends older than the minute no longer count.
    assert window_opens(sends, NOW + timedelta(seconds=61)) is None
    assert is_group_chat(-100123) and not is_group_chat(42)


def test_reward_windows() -> None:
    friday = date(2026, 11, 27)
    assert window_for(RewardWindow.WEEK, friday) == Window(date(2026, 11, 23), date(2026, 11, 29))
    assert window_for(RewardWindow.MONTH, friday) == Window(date(2026, 11, 1), date(2026, 11, 30))
    assert window_for(RewardWindow.BY_DAY, friday, date(2026, 12, 5)) == Window(friday, date(2026, 12, 5))
    with pytest.raises(ValueError):
        window_for(RewardWindow.BY_DAY, friday, date(2026, 11, 26))


def test_reward_outcomes_and_their_lifecycle() -> None:
    end = date(2026, 11, 30)
    assert reward_outcome(Decimal(10), Decimal(10), date(2026, 11, 27), end) is TeamRewardStatus.EARNED
    assert reward_outcome(Decimal(9), Decimal(10), end, end) is None
    assert reward_outcome(Decimal(9), Decimal(10), date(2026, 12, 1), end) is TeamRewardStatus.ENDED
    assert TEAM_REWARDS.move(TeamRewardStatus.ACTIVE, TeamRewardStatus.EARNED) is TeamRewardStatus.EARNED
    with pytest.raises(MoveNotAllowed):
        TEAM_REWARDS.move(TeamRewardStatus.ENDED, TeamRewardStatus.EARNED)


def test_milestones() -> None:
    assert milestones_reached(Decimal(4), Decimal(10)) == []
    assert milestones_reached(Decimal(5), Decimal(10)) == [50]
    assert milestones_reached(Decimal(12), Decimal(10)) == [50, 100]
    assert milestones_reached(Decimal(5), Decimal(0)) == []


def _group_message(text: str, **extra: object) -> dict[str, object]:
    message: dict[str, object] = {"chat": {"id": -100, "type": "supergroup"}, "text": text, **extra}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": 1, "message": message}


def test_privacy_mode_lets_through_commands_for_the_bot_replies_to_it_and_service_messages() -> None:
    bot_id, name = 7, "QuotaCoachBot"
    assert privacy_admits(_group_message("/team@QuotaCoachBot"), bot_id, name)
    assert privacy_admits(_group_message("/start@quotacoachbot g_abc"), bot_id, name)
    assert privacy_admits(_group_message("ok", reply_to_message={"from": {"id": bot_id}}), bot_id, name)
    assert privacy_admits(_group_message("", migrate_to_chat_id=-1001), bot_id, name)
    assert not privacy_admits(_group_message("hello team"), bot_id, name)
    assert not privacy_admits(_group_message("/team"), bot_id, name)  # stricter than Telegram
    assert not privacy_admits(_group_message("/team@OtherBot"), bot_id, name)
    assert not privacy_admits(_group_message("ok", reply_to_message={"from": {"id": 8}}), bot_id, name)
    private = {"update_id": 2, "message": {"chat": {"id": 5, "type": "private"}, "text": "hi"}}
    assert privacy_admits(private, bot_id, name)
