"""The ◀/▶ buttons of the paged lists (/history, /vacation)."""

from __future__ import annotations

from telegram import Update

from bot.core.dialog import Outgoing
from bot.services.plans import local_today
from bot.services.turn import Turn
from bot.telegram.callbacks import PagedList, PagePress, parse_page_callback
from bot.telegram.context import BotContext
from bot.telegram.paged_lists import history_screen, vacation_screen
from bot.telegram.replies import old_button
from bot.telegram.turns import user_turn


async def page_button(update: Update, context: BotContext) -> None:
    """A page of the presser's own list; a forged page, or one of pages that have changed since, is an old
    button and changes nothing."""
    query = update.callback_query
    assert query is not None
    press = parse_page_callback(query.data)
    async with user_turn(update, context) as turn:
        page = await _page(turn, press) if press else None
        turn.reply([page or old_button(turn._)])


async def _page(turn: Turn, press: PagePress) -> Outgoing | None:
    if press.listing is PagedList.HISTORY:
        return await history_screen(turn, press)
    return await vacation_screen(turn, local_today(turn.user, turn.now), press)
