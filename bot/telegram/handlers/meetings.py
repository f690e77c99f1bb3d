"""The weekly sales meeting (meeting13): /meetingtime, /meeting, and the pre-meeting prompt's buttons."""

from __future__ import annotations

from telegram import Update

from bot.services.flows.meeting_record import start_meeting_record
from bot.services.flows.meeting_time import start_meeting_time
from bot.services.meeting_notes import start_note
from bot.telegram.callbacks import parse_meeting_note_callback
from bot.telegram.context import BotContext
from bot.telegram.replies import old_button
from bot.telegram.turns import user_turn


async def meeting_time(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await start_meeting_time(turn))


async def meeting(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await start_meeting_record(turn))


async def note_button(update: Update, context: BotContext) -> None:
    """A prompt's "a win / a blocker / a question": checked against the presser's own prompts."""
    query = update.callback_query
    press = parse_meeting_note_callback(query.data if query else None)
    async with user_turn(update, context) as turn:
        messages = await start_note(turn, press.meeting_id, press.kind) if press else None
        turn.reply(messages or [old_button(turn._)])
