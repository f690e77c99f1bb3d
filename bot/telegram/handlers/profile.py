"""/start and /settings: meeting the user and changing their settings."""

from __future__ import annotations

from telegram import Update

from bot.core.dialog import Button, Outgoing
from bot.core.teams.invites import MAX_PAYLOAD, is_invite_payload
from bot.services.flows.onboarding import start_onboarding
from bot.services.flows.settings_menu import start_settings
from bot.services.profile_summary import settings_text
from bot.services.team_joining import open_invite
from bot.services.turn import Turn
from bot.storage.repositories.dialogs import DialogRepository
from bot.telegram.callbacks import StartButton, parse_start_callback, start_callback
from bot.telegram.commands import command_argument
from bot.telegram.context import BotContext
from bot.telegram.replies import old_button
from bot.telegram.turns import user_turn


async def start(update: Update, context: BotContext) -> None:
    argument = command_argument(update, MAX_PAYLOAD)
    async with user_turn(update, context) as turn:
        if is_invite_payload(argument):  # a team's join link (team13)
            messages = await open_invite(turn, argument)
        elif await _draft_open(turn):
            messages = [_keep_or_start_over(turn)]
        else:
            await context.services.dialogs.cancel(turn)  # A dialog with no answer yet holds nothing to keep.
            messages = await _start_as_usual(turn)
        turn.reply(messages)


async def _draft_open(turn: Turn) -> bool:
    """Whether a dialog is open with at least one answer given (a draft /start would otherwise lose)."""
    state = await DialogRepository(turn.session).get_for_update(turn.user.id)
    return state is not None and bool(state.history)


async def start_button(update: Update, context: BotContext) -> None:
    """The answer to /start inside a dialog: continue it, or leave it and /start as usual."""
    query = update.callback_query
    assert query is not None
    press = parse_start_callback(query.data)
    async with user_turn(update, context) as turn:
        if press is None:
            messages = [old_button(turn._)]
        elif press is StartButton.CONTINUE:
            messages = await context.services.dialogs.current_question(turn) or await _start_as_usual(turn)
        else:
            cancelled = await context.services.dialogs.cancel(turn) or []
            messages = [*cancelled, *await _start_as_usual(turn)]
        turn.reply(messages)


def _keep_or_start_over(turn: Turn) -> Outgoing:
    _ = turn._
    buttons = (
        (
            Button(_("▶ Continue"), start_callback(StartButton.CONTINUE)),
            Button(_("🔄 Start over"), start_callback(StartButton.OVER)),
        ),
    )
    text = _(
        "You are in the middle of a question, and what you answered so far is kept. "
        "Continue where you left off, or start over?"
    )
    return Outgoing(text, buttons)


async def _start_as_usual(turn: Turn) -> list[Outgoing]:
    return await _first_meeting(turn) if turn.user.onboarded_at is None else [_welcome_back(turn)]


async def _first_meeting(turn: Turn) -> list[Outgoing]:
    greeting = turn._(
        "Hello, {name}! I am Quota Coach, your sales goal coach. I help you set SMART goals, "
        "break them into monthly, weekly and daily plans, and review your progress at your own local time.\n"
        "First, three quick questions.",
        name=turn.user.first_name or "👋",
    )
    return await start_onboarding(turn, preface=[Outgoing(greeting)])


def _welcome_back(turn: Turn) -> Outgoing:
    _ = turn._
    return Outgoing(
        _(
            "Welcome back, {name}! Your settings:\n{settings}\n\n/settings changes them; /help lists everything.",
            name=turn.user.first_name or "👋",
            settings=settings_text(turn.user, _),
        )
    )


async def settings(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        messages = await start_settings(turn)
        turn.reply(messages)
