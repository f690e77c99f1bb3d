"""Teams' bad input, each a test: invites that no longer admit, forged and stale buttons, a member removed
mid-dialog. Each asserts the reply and that nothing changed in the database."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.lifecycle.teams import MembershipStatus, TeamStatus
from bot.core.teams.roles import Role
from bot.storage.team_models import Team, TeamInvite, TeamMember
from bot.telegram.callbacks import TeamButton, team_callback
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import onboard
from tests.auxil.teams import insert_team

PAYLOAD = re.compile(r"start=(t_[A-Za-z0-9_-]{22})")
OLD_BUTTON = "That button is from an old message and no longer does anything."


async def invite_link(manager: Chat, team_id: int, days: str = "7 days", uses: str = "Any number") -> str:
    """A link the manager makes through the card's buttons: `days`, then `uses`."""
    await manager.press_data(team_callback(TeamButton.INVITE, team_id), on=(await manager.send("/team"))[-1])
    await manager.press(days)
    sent = await manager.press(uses)
    match = PAYLOAD.search(sent[0].text)
    assert match is not None, sent[0].text
    return match.group(1)


async def ready(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> tuple[Chat, Chat, int]:
    """A team (manager and one member already in it) and someone onboarded who is not in it yet."""
    manager, outsider = make_chat(first_name="Wang"), make_chat(first_name="Zhao")
    await onboard(manager)
    await onboard(outsider)
    team_id = await insert_team(engine, manager.id, [100_900], clock())
    return manager, outsider, team_id


async def seat_of(engine: AsyncEngine, team_id: int, user_id: int) -> TeamMember | None:
    found = await rows(engine, TeamMember, team_id=team_id, user_id=user_id)
    return found[0] if found else None


async def test_an_expired_invite_admits_no_one(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    manager, outsider, team_id = await ready(make_chat, engine, clock)
    payload = await invite_link(manager, team_id, "1 day")
    clock.advance(days=1)
    sent = await outsider.send(f"/start {payload}")
    assert "That invite has expired." in sent[-1].text
    assert await seat_of(engine, team_id, outsider.id) is None


async def test_an_invite_that_expires_between_opening_and_joining(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    manager, outsider, team_id = await ready(make_chat, engine, clock)
    payload = await invite_link(manager, team_id, "1 day")
    await outsider.send(f"/start {payload}")
    clock.advance(days=1, seconds=1)
    sent = await outsider.press("✔ Join and agree")
    assert "That invite has expired." in sent[-1].text
    seat = await seat_of(engine, team_id, outsider.id)
    assert seat is not None and seat.status is MembershipStatus.INVITED
    assert [invite.uses for invite in await rows(engine, TeamInvite)] == [0]


async def test_a_withdrawn_invite_admits_no_one(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    manager, outsider, team_id = await ready(make_chat, engine, clock)
    payload = await invite_link(manager, team_id)
    sent = await manager.press("✖ Withdraw invite 1", on=(await manager.send("/team"))[-1])
    assert "Invite withdrawn" in sent[0].text and "Open invites" not in sent[-1].text
    sent = await outsider.send(f"/start {payload}")
    assert "That invite was withdrawn." in sent[-1].text
    assert await seat_of(engine, team_id, outsider.id) is None


async def test_a_used_up_invite_admits_no_one_more(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    manager, outsider, team_id = await ready(make_chat, engine, clock)
    payload = await invite_link(manager, team_id, uses="1 person")
    late = make_chat(first_name="Qian")
    await onboard(late)
    await outsider.send(f"/start {payload}")
    await late.send(f"/start {payload}")  # both see the consent screen while one use is left
    sent = await outsider.press("✔ Join and agree")
    assert "Welcome to East China KA!" in sent[0].text
    sent = await late.press("✔ Join and agree")
    assert "used as many times as it allows" in sent[-1].text
    late_seat = await seat_of(engine, team_id, late.id)
    assert late_seat is not None and late_seat.status is MembershipStatus.INVITED
    assert [invite.uses for invite in await rows(engine, TeamInvite)] == [1]
    sent = await late.send(f"/start {payload}")
    assert "used as many times as it allows" in sent[-1].text


async def test_an_archived_teams_invite_admits_no_one(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    manager, outsider, team_id = await ready(make_chat, engine, clock)
    payload = await invite_link(manager, team_id)
    await manager.press("🗄 Archive", on=(await manager.send("/team"))[-1])
    sent = await outsider.send(f"/start {payload}")
    assert "That team is archived, so its invites no longer work." in sent[-1].text
    assert await seat_of(engine, team_id, outsider.id) is None


async def test_a_member_opening_the_invite_again(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    manager, outsider, team_id = await ready(make_chat, engine, clock)
    payload = await invite_link(manager, team_id)
    await outsider.send(f"/start {payload}")
    await outsider.press("✔ Join and agree")
    sent = await outsider.send(f"/start {payload}")
    assert "You are already in East China KA." in sent[-1].text
    consent = next(c for c in outsider.api.sent_to(outsider.id) if c.buttons and "invites you" in c.text)
    sent = await outsider.press("✔ Join and agree", on=consent)
    assert OLD_BUTTON in sent[-1].text, "Join pressed again on the old consent screen"
    assert [invite.uses for invite in await rows(engine, TeamInvite)] == [1]


@pytest.mark.parametrize("payload", ["t_AAAAAAAAAAAAAAAAAAAAAA", "t_zzzzzzzzzzzzzzzzzzzzzz"])
async def test_a_payload_that_looks_right_but_does_not_exist(
    make_chat: Callable[..., Chat], engine: AsyncEngine, payload: str
) -> None:
    chat = make_chat()
    sent = await chat.send(f"/start {payload}")
    assert "I don't know that invite" in sent[-1].text
    assert await rows(engine, TeamMember) == []


async def test_a_removed_member_needs_a_new_invite(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, app: BotApplication
) -> None:
    manager, outsider, team_id = await ready(make_chat, engine, clock)
    old = await invite_link(manager, team_id)
    await outsider.send(f"/start {old}")
    await outsider.press("✔ Join and agree")
    await app.bot_data.outbox.tick()  # the manager is told of the join (and of nothing else before /team)
    seat = await seat_of(engine, team_id, outsider.id)
    assert seat is not None
    await manager.press_data(team_callback(TeamButton.REMOVE_CONFIRMED, team_id, seat.id), on=(await manager.send("/team"))[-1])  # fmt: skip
    await app.bot_data.outbox.tick()  # the removed member is told
    clock.advance(minutes=1)
    sent = await outsider.send(f"/start {old}")
    assert "You were removed from that team after this invite was made." in sent[-1].text
    new = await invite_link(manager, team_id)
    await outsider.send(f"/start {new}")
    sent = await outsider.press("✔ Join and agree")
    assert "Welcome to East China KA!" in sent[0].text
    seat = await seat_of(engine, team_id, outsider.id)
    assert seat is not None and (seat.status, seat.role) == (MembershipStatus.MEMBER, Role.MEMBER)


async def test_forged_team_buttons_change_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    """Someone else's team id, a member id of another team, ids out of range: each is an old button."""
    manager_a, manager_b = make_chat(first_name="Wang"), make_chat(first_name="Zhou")
    await onboard(manager_a)
    await onboard(manager_b)
    team_a = await insert_team(engine, manager_a.id, [100_901, 100_902], clock(), name="Team A")
    team_b = await insert_team(engine, manager_b.id, [100_903], clock(), name="Team B")
    b_member = next(m for m in await rows(engine, TeamMember, team_id=team_b) if m.user_id == 100_903)
    a_member = next(m for m in await rows(engine, TeamMember, team_id=team_a) if m.user_id == 100_901)
    before = {(m.id, m.role, m.status) for m in await rows(engine, TeamMember)}
    await manager_a.send("/team")
    forged = [
        team_callback(TeamButton.OPEN, team_b),  # a team the presser is not in
        team_callback(TeamButton.ARCHIVE, team_b),
        team_callback(TeamButton.REMOVE_CONFIRMED, team_b, b_member.id),
        team_callback(TeamButton.HAND_TO_CONFIRMED, team_b, b_member.id),
        "t:open:9999999999:0", "t:open:2147483648:0", "t:open:-1:0", "t:open:01:0", "t:open:0:0",
        f"t:remove!:{team_a}:99999999999999999999", f"t:frobnicate:{team_a}:0", f"t:list:{team_a}:0",
        f"t:i7:{team_a}:501",
    ]  # fmt: skip
    for data in forged:
        sent = await manager_a.press_data(data)
        assert OLD_BUTTON in texts(sent), data
    # A member of team B named in team A's button: not a member of THAT team.
    for button in (TeamButton.REMOVE_CONFIRMED, TeamButton.APPOINT, TeamButton.HAND_TO_CONFIRMED):
        sent = await manager_a.press_data(team_callback(button, team_a, b_member.id))
        assert "You are not in that team (any more)" in texts(sent), button
    # A plain member pressing a manager's buttons in their own team.
    member = make_chat(user_id=100_901, first_name="Qian")  # onboarded by insert_team
    await member.send("/team")
    for button in (TeamButton.ARCHIVE, TeamButton.INVITE_7, TeamButton.MEMBERS, TeamButton.HAND_OVER):
        sent = await member.press_data(team_callback(button, team_a))
        assert "nothing changed" in texts(sent).casefold(), button
    sent = await member.press_data(team_callback(TeamButton.REMOVE_CONFIRMED, team_a, a_member.id))
    assert "nothing changed" in texts(sent).casefold()
    assert {(m.id, m.role, m.status) for m in await rows(engine, TeamMember)} == before
    assert [t.status for t in await rows(engine, Team)] == [TeamStatus.ACTIVE, TeamStatus.ACTIVE]
    assert await rows(engine, TeamInvite) == []


async def test_a_member_removed_from_the_team_before_pressing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, app: BotApplication
) -> None:
    """A co-manager on the invite screen is removed; their next press there is refused."""
    manager, co_manager = make_chat(first_name="Wang"), make_chat(first_name="Qian")
    await onboard(manager)
    await onboard(co_manager)
    team_id = await insert_team(engine, manager.id, [co_manager.id], clock())
    seat = await seat_of(engine, team_id, co_manager.id)
    assert seat is not None
    await manager.press_data(team_callback(TeamButton.APPOINT, team_id, seat.id), on=(await manager.send("/team"))[-1])  # fmt: skip
    await app.bot_data.outbox.tick()  # the co-manager is told
    await co_manager.press("➕ Invite", on=(await co_manager.send("/team"))[-1])
    screen = await co_manager.press("7 days")
    await manager.press_data(team_callback(TeamButton.REMOVE_CONFIRMED, team_id, seat.id), on=(await manager.send("/team"))[-1])  # fmt: skip
    await app.bot_data.outbox.tick()  # the removed co-manager is told
    sent = await co_manager.press("Any number", on=screen[-1])
    assert OLD_BUTTON in texts(sent)
    assert await rows(engine, TeamInvite) == []
