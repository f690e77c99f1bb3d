"""The application's types through python-telegram-bot's ContextTypes, and the one place updates enter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from telegram import Update
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.services.container import Services
from bot.telegram.sanitize import clean_update

if TYPE_CHECKING:
    from bot.scheduler.dispatcher import Dispatcher
    from bot.scheduler.nudge_dispatch import NudgeDispatcher
    from bot.scheduler.outbox import Outbox
    from bot.scheduler.team_meetings import TeamMeetings
    from bot.services.metrics import Metrics
    from bot.telegram.sending import Sending


class BotData:
    """What the application keeps for its whole life (PTB's bot_data), typed instead of a dict of keys."""

    services: Services
    dispatcher: Dispatcher | None = None
    nudges: NudgeDispatcher | None = None
    meetings: TeamMeetings | None = None  # the team meetings' prompts and digests (meeting13)
    sending: Sending  # the one way out to Telegram (bot/telegram/sending.py)
    outbox: Outbox  # sends what the turns recorded (bot/scheduler/outbox.py)
    metrics: Metrics  # this application's Prometheus registry (bot/services/metrics.py, web15)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every handler receives; `services` needs no lookup and no cast."""

    @property
    def services(self) -> Services:
        return self.bot_data.services


BotApplication: TypeAlias = Application[
    ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[BotContext]
]
CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)


class CleanInputApplication(BotApplication):
    """The one place every update enters (polling, webhook, tests, the shell): control characters are
    cleaned out of its texts before any handler reads them (bot/telegram/sanitize.py)."""

    async def process_update(self, update: object) -> None:
        if isinstance(update, Update):
            update = clean_update(update, self.bot)
        await super().process_update(update)
