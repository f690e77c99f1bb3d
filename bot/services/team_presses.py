"""A team button pressed: the presser's seat in the button's team is looked up first, then the action.

A press naming a team the presser is not (any more) in, a member or invite of another team, or ids out
of range is an old button: it changes nothing (the ids were parsed strictly in bot.telegram.callbacks).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.dialog import Outgoing
from bot.services import team_seats
from bot.services.flows.team_create import start_team_create
from bot.services.team_joining import decline, invite_screen, join, make_invite, revoke_invite, uses_screen
from bot.services.team_places import Place, card_of, list_teams, place_of
from bot.services.turn import Turn
from bot.telegram.callbacks import INVITE_DAYS, USES_DAYS, TeamButton, TeamPress

B = TeamButton
PlaceAction = Callable[[Turn, Place, TeamPress, str], Awaitable[list[Outgoing]]]


async def _card(turn: Turn, place: Place, press: TeamPress, bot_username: str) -> list[Outgoing]:
    return [await card_of(turn, place)]


# The buttons that act inside one team, each given the presser's place there.
PLACE_ACTIONS: dict[TeamButton, PlaceAction] = {
    B.OPEN: _card,
    B.INVITE: lambda turn, place, press, bot: invite_screen(turn, place),
    **{asking: (lambda turn, place, press, bot: uses_screen(turn, place, press.button)) for asking in USES_DAYS},
    **{making: (lambda turn, place, press, bot: make_invite(turn, place, INVITE_DAYS[press.button], press.ref, bot))
       for making in INVITE_DAYS},
    B.REVOKE: lambda turn, place, press, bot: revoke_invite(turn, place, press.ref),
    B.MEMBERS: lambda turn, place, press, bot: team_seats.members_screen(turn, place),
    B.MEMBER: lambda turn, place, press, bot: team_seats.member_screen(turn, place, press.ref),
    B.REMOVE: lambda turn, place, press, bot: team_seats.remove(turn, place, press.ref, confirmed=False),
    B.REMOVE_CONFIRMED: lambda turn, place, press, bot: team_seats.remove(turn, place, press.ref, confirmed=True),
    B.APPOINT: lambda turn, place, press, bot: team_seats.change_role(turn, place, press.ref, appoint=True),
    B.DEMOTE: lambda turn, place, press, bot: team_seats.change_role(turn, place, press.ref, appoint=False),
    B.HAND_OVER: lambda turn, place, press, bot: team_seats.hand_over_screen(turn, place),
    B.HAND_TO: lambda turn, place, press, bot: team_seats.hand_to(turn, place, press.ref, confirmed=False),
    B.HAND_TO_CONFIRMED: lambda turn, place, press, bot: team_seats.hand_to(turn, place, press.ref, confirmed=True),
    B.ARCHIVE: lambda turn, place, press, bot: team_seats.archive(turn, place, restore=False),
    B.RESTORE: lambda turn, place, press, bot: team_seats.archive(turn, place, restore=True),
    B.LEAVE: lambda turn, place, press, bot: team_seats.leave(turn, place, confirmed=False),
    B.LEAVE_CONFIRMED: lambda turn, place, press, bot: team_seats.leave(turn, place, confirmed=True),
}  # fmt: skip


async def team_press(turn: Turn, press: TeamPress, bot_username: str) -> list[Outgoing] | None:
    """What the press does; None when it is an old or forged button (the caller says so)."""
    if press.button is B.LIST:
        return await list_teams(turn)
    if press.button is B.NEW:
        return await start_team_create(turn)
    if press.button is B.JOIN:
        return await join(turn, press.team_id, press.ref)
    if press.button is B.DECLINE:
        return await decline(turn, press.team_id, press.ref)
    place = await place_of(turn, press.team_id)
    if place is None:
        return None
    return await PLACE_ACTIONS[press.button](turn, place, press, bot_username)
