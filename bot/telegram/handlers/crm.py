"""/crm (sync14): the CRM connections' card, connecting, "sync now" and disconnecting."""

from __future__ import annotations

from telegram import Update

from bot.core.crm.records import CrmSystem
from bot.core.dialog import Outgoing
from bot.services.crm_connections import ask_disconnect, crm_card, disconnect, sync_now
from bot.services.flows.crm_connect import start_connect
from bot.services.turn import Turn
from bot.telegram.callbacks_crm import CrmButton, CrmPress, parse_crm_callback
from bot.telegram.context import BotContext
from bot.telegram.replies import old_button
from bot.telegram.turns import user_turn

CONNECTS = {CrmButton.ZOHO: CrmSystem.ZOHO, CrmButton.FXIAOKE: CrmSystem.FXIAOKE}


async def crm(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await crm_card(turn))


async def crm_button(update: Update, context: BotContext) -> None:
    """A /crm button: a connection's id is checked against the presser's own connections."""
    query = update.callback_query
    press = parse_crm_callback(query.data if query else None)
    async with user_turn(update, context) as turn:
        messages = await pressed(turn, press) if press else None
        turn.reply(messages or [old_button(turn._)])


async def pressed(turn: Turn, press: CrmPress) -> list[Outgoing] | None:
    if press.button in CONNECTS:
        return await start_connect(turn, CONNECTS[press.button])
    if press.button is CrmButton.CARD or press.connection_id is None:
        return await crm_card(turn)
    actions = {CrmButton.SYNC: sync_now, CrmButton.DISCONNECT: ask_disconnect,
               CrmButton.DISCONNECT_CONFIRMED: disconnect}  # fmt: skip
    return await actions[press.button](turn, press.connection_id)
