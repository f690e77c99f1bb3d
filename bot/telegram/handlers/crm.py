"""/crm (sync14): the CRM connections' card, connecting, "sync now" and disconnecting."""

from __future__ import annotations

from telegram import Update

from bot.core.crm.records import CrmSystem
from bot.core.dialog import Outgoing
from bot.services.crm_connections import ask_disconnect, crm_card, disconnect, sync_now
from bot.services.crm_team_card import match_pressed, match_prompt
from bot.services.flows.crm_connect import start_connect
from bot.services.turn import Turn
from bot.telegram.callbacks_crm import (
    CrmButton,
    CrmMatchPress,
    CrmPress,
    parse_crm_callback,
    parse_match_callback,
)
from bot.telegram.context import BotContext
from bot.telegram.replies import old_button
from bot.telegram.turns import user_turn

CONNECTS = {CrmButton.ZOHO: CrmSystem.ZOHO, CrmButton.FXIAOKE: CrmSystem.FXIAOKE}


async def crm(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await crm_card(turn))


async def crm_button(update: Update, context: BotContext) -> None:
    """A /crm button: a connection's id is checked against the presser's own connections (and a team
    connection's against the teams they still manage)."""
    data = update.callback_query.data if update.callback_query else None
    press = parse_crm_callback(data) or parse_match_callback(data)
    async with user_turn(update, context) as turn:
        messages = await pressed(turn, press) if press else None
        turn.reply(messages or [old_button(turn._)])


async def pressed(turn: Turn, press: CrmPress | CrmMatchPress) -> list[Outgoing] | None:
    if isinstance(press, CrmMatchPress):
        return await match_pressed(turn, press.held_id, press.member_id)
    if press.button in CONNECTS:
        return await start_connect(turn, CONNECTS[press.button])
    if press.button is CrmButton.CARD or press.connection_id is None:
        return await crm_card(turn)
    actions = {CrmButton.SYNC: sync_now, CrmButton.DISCONNECT: ask_disconnect,
               CrmButton.DISCONNECT_CONFIRMED: disconnect, CrmButton.MATCH: match_prompt}  # fmt: skip
    return await actions[press.button](turn, press.connection_id)
