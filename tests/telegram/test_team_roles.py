"""Team seats beyond the main flow: several teams, co-managers' limits, demotion, restoring, the create
dialog's refusals, and the invite terms the card lists."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.lifecycle.teams import MembershipStatus, TeamStatus
from bot.core.teams.roles import Role
from bot.storage.team_models import Team, TeamInvite, TeamMember
from bot.telegram.callbacks import TeamButton, team_callback
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import onboard
from tests.auxil.teams import insert_team


async def seat_row(engine: AsyncEngine, team_id: int, user_id: int) -> TeamMember:
    [member] = await rows(engine, TeamMember, team_id=team_id, user_id=user_id)
    return member


async def test_someone_in_two_teams_picks_one(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat(first_name="Zhao")
    await onboard(chat)
    first = await insert_team(engine, 100_980, [chat.id], clock(), name="East China KA")
    await insert_team(engine, chat.id, [], clock(), name="Shanghai SMB")
    sent = await chat.send("/team")
    assert "Your teams:" in sent[-1].text
    assert labels(sent[-1]) == ["East China KA · member", "Shanghai SMB · manager", "➕ Create a team"]
    sent = await chat.press("East China KA · member")
    assert "👥 East China KA" in sent[-1].text and "🗄 Archive" not in labels(sent[-1])
    sent = await chat.press("📋 My teams")
    assert labels(sent[-1])[:2] == ["East China KA · member", "Shanghai SMB · manager"]
    sent = await chat.press("Shanghai SMB · manager")
    assert "👥 Shanghai SMB" in sent[-1].text and "🗄 Archive" in labels(sent[-1])
    assert (await seat_row(engine, first, chat.id)).role is Role.MEMBER


async def test_a_co_manager_invites_but_neither_hands_over_nor_removes_a_co_manager(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, app: BotApplication
) -> None:
    manager, qian, sun = (
        make_chat(first_name="Wang"),
        make_chat(first_name="Qian"),
        make_chat(first_name="Sun"),
    )
    for chat in (manager, qian, sun):
        await onboard(chat)
    team_id = await insert_team(engine, manager.id, [qian.id, sun.id], clock())
    qian_row, sun_row = await seat_row(engine, team_id, qian.id), await seat_row(engine, team_id, sun.id)
    await manager.send("/team")
    for row in (qian_row, sun_row):
        sent = await manager.press_data(team_callback(TeamButton.APPOINT, team_id, row.id))
        assert "is now a co-manager" in sent[0].text
    await app.bot_data.outbox.tick()
    sent = await qian.send("/team")
    assert labels(sent[-1])[:2] == ["➕ Invite", "👥 Members"] and "🤝 Hand over" not in labels(sent[-1])
    await qian.press("👥 Members")
    sent = await qian.press("Sun · co-manager")
    assert "Remove from the team" not in labels(sent[-1]) and "Make plain member" not in labels(sent[-1])
    sent = await qian.press_data(team_callback(TeamButton.REMOVE_CONFIRMED, team_id, sun_row.id))
    assert "Only the manager can remove a co-manager" in texts(sent)
    sent = await qian.press_data(team_callback(TeamButton.HAND_TO_CONFIRMED, team_id, sun_row.id))
    assert "Only the team's manager can do that" in texts(sent)
    sent = await qian.press_data(team_callback(TeamButton.INVITE_30, team_id, 5))
    assert "t.me/QuotaCoachBot?start=t_" in sent[0].text and "5 uses left" in sent[0].text
    [invite] = await rows(engine, TeamInvite)
    assert (invite.created_by, invite.max_uses, (invite.expires_at - invite.created_at).days) == (
        qian.id,
        5,
        30,
    )
    # The manager demotes Sun again; Sun is told.
    sent = await manager.press_data(team_callback(TeamButton.DEMOTE, team_id, sun_row.id))
    assert "Sun is a plain member of East China KA again." in sent[0].text
    await app.bot_data.outbox.tick()
    assert "no longer a co-manager" in sun.last_text()
    assert (await seat_row(engine, team_id, sun.id)).role is Role.MEMBER


async def test_the_manager_archives_and_restores(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    manager = make_chat(first_name="Wang")
    await onboard(manager)
    team_id = await insert_team(engine, manager.id, [100_981], clock())
    await manager.press("🗄 Archive", on=(await manager.send("/team"))[-1])
    sent = await manager.press_data(team_callback(TeamButton.ARCHIVE, team_id))
    assert "Nothing changed: the team is already in that state." in texts(sent)
    sent = await manager.press("♻ Restore", on=(await manager.send("/team"))[-1])
    assert "East China KA is active again." in sent[0].text and "🗄 Archive" in labels(sent[-1])
    [team] = await rows(engine, Team)
    assert team.status is TeamStatus.ACTIVE
    sent = await manager.press_data(team_callback(TeamButton.RESTORE, team_id))
    assert "already in that state" in texts(sent)


async def test_the_manager_of_an_archived_team_may_leave_it(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    manager = make_chat(first_name="Wang")
    await onboard(manager)
    team_id = await insert_team(engine, manager.id, [100_982], clock())
    await manager.press("🗄 Archive", on=(await manager.send("/team"))[-1])
    await manager.press("🚪 Leave", on=(await manager.send("/team"))[-1])
    sent = await manager.press("Yes, leave")
    assert "You left East China KA." in sent[-1].text
    assert (await seat_row(engine, team_id, manager.id)).status is MembershipStatus.LEFT
    sent = await manager.send("/team")
    assert "You are not in a team yet." in sent[-1].text


async def test_the_create_dialog_refuses_what_does_not_fit(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat(first_name="Wang")
    await onboard(chat)
    await chat.send("/team")
    await chat.press("➕ Create a team")
    sent = await chat.send("K" * 65)
    assert "Please keep it to 64 characters." in sent[0].text
    sent = await chat.send("!!!")
    assert "The team's name, please" in sent[0].text
    await chat.send("  Beijing   Growth  ")
    sent = await chat.send("Atlantis")
    assert "I don't know the time zone “Atlantis”." in sent[0].text
    sent = await chat.press("✔ Mine: Etc/GMT-8")
    # A UTC offset names no country: an English speaker's default currency comes first.
    assert labels(sent[-1])[:2] == ["USD · US Dollar", "CNY · Chinese Yuan"]
    sent = await chat.send("XYZ")
    assert "I don't know the currency “XYZ”." in sent[0].text
    sent = await chat.press("CNY · Chinese Yuan")
    assert "Team Beijing Growth created" in sent[0].text
    [team] = await rows(engine, Team)
    assert (team.name, team.timezone, team.currency) == ("Beijing Growth", "Etc/GMT-8", "CNY")


async def test_leaving_the_create_dialog_creates_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await onboard(chat)
    await chat.send("/team")
    await chat.press("➕ Create a team")
    await chat.send("East China KA")
    sent = await chat.send("/cancel")
    assert "Stopped; no team was created." in sent[-1].text
    assert await rows(engine, Team) == []
