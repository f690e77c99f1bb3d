"""The team's group chat: the bot added or removed (my_chat_member), the move to a supergroup, and the
commands it answers there ("/start@bot <payload>" links the group, "/team@bot" shows the team's totals);
and, in private chats, /teamgroup (the link that adds the bot to a group), /share and /teamreward.

With group privacy mode on (the default) the bot sees only commands and replies to its own messages in a
group, so these commands are all it reads there; the private handlers keep their ChatType.PRIVATE filter.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus

from bot.services.flows.team_group import start_share, start_team_group, start_team_reward
from bot.services.team_group import bot_added, bot_removed, group_card, group_migrated, link_group
from bot.telegram.commands import command_argument
from bot.telegram.context import BotContext
from bot.telegram.turns import user_turn

_IN = frozenset({ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})
_SHARE_LIMIT = 600  # characters read after /share (the service keeps 500)


async def bot_membership(update: Update, context: BotContext) -> None:
    """The bot was added to a group (say how to link it) or left it (the team's group is cleared)."""
    change, chat = update.my_chat_member, update.effective_chat
    if change is None or chat is None or chat.type == chat.PRIVATE:
        return
    was_in, is_in = change.old_chat_member.status in _IN, change.new_chat_member.status in _IN
    async with user_turn(update, context) as turn:
        if is_in and not was_in:
            turn.reply(await bot_added(turn, chat.id))
        elif was_in and not is_in:
            await bot_removed(turn, chat.id)


async def migrated(update: Update, context: BotContext) -> None:
    """A group became a supergroup: Telegram says so in both (migrate_to in the old, migrate_from in the new)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    old, new = (
        (chat.id, message.migrate_to_chat_id)
        if message.migrate_to_chat_id
        else (message.migrate_from_chat_id, chat.id)
    )
    if old is None or new is None:
        return
    async with user_turn(update, context) as turn:
        await group_migrated(turn, old, new)


async def start_in_group(update: Update, context: BotContext) -> None:
    """ "/start@bot <payload>": what Telegram sends when the bot is added through a ?startgroup= link."""
    chat = update.effective_chat
    async with user_turn(update, context) as turn:
        turn.reply(await link_group(turn, chat.id if chat else 0, " ".join(context.args or [])[:64]))


async def team_in_group(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    async with user_turn(update, context) as turn:
        turn.reply(await group_card(turn, chat.id if chat else 0))


async def team_group(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await start_team_group(turn, context.bot.username))


async def share(update: Update, context: BotContext) -> None:
    text = command_argument(update, _SHARE_LIMIT)
    async with user_turn(update, context) as turn:
        turn.reply(await start_share(turn, text))


async def team_reward(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await start_team_reward(turn))
