"""The long-lived objects every use case needs, built once from settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.services.dialogs import DialogEngine
from bot.services.flows.broadcast_text import broadcast_text_flow
from bot.services.flows.coaching import coaching_flows
from bot.services.flows.crm_connect import crm_connect_flow
from bot.services.flows.crm_import import crm_import_flow
from bot.services.flows.crm_import_answers import FileSource
from bot.services.flows.goal_wizard import edit_goal_flow, new_goal_flow
from bot.services.flows.log_offer import log_offer_flow
from bot.services.flows.meeting_record import meeting_record_flow
from bot.services.flows.meeting_time import meeting_time_flow
from bot.services.flows.onboarding import onboarding_flow
from bot.services.flows.out_of_window_log import out_of_window_log_flow
from bot.services.flows.plan_edits import plan_edit_flows
from bot.services.flows.reviews import review_flows
from bot.services.flows.setback_sharing import follow_up_flow
from bot.services.flows.settings_menu import settings_flow
from bot.services.flows.team_create import team_create_flow
from bot.services.flows.team_goal import team_goal_flow
from bot.services.flows.team_group import team_group_flows
from bot.services.flows.team_parts import part_flows
from bot.services.flows.team_split import team_split_flow
from bot.services.meeting_notes import meeting_note_flow
from bot.settings import Settings
from bot.storage.database import create_engine, create_sessionmaker

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    dialogs: DialogEngine
    clock: Clock = field(default=system_clock)
    # importflow14: where files users sent are downloaded from (the Bot API; set by bot.app).
    files: FileSource | None = None
    # sync14: how the CRM clients reach the CRMs (None: the network; tests route them to the fakes).
    crm_transport: httpx.AsyncBaseTransport | None = None

    def now(self) -> datetime:
        return self.clock()


def clock_from(start: datetime) -> Clock:
    """A clock that reads `start` now and runs on in real time (CLOCK_START, for tests and demos)."""
    offset = start - system_clock()
    return lambda: system_clock() + offset


def build_services(
    settings: Settings, clock: Clock | None = None, engine: AsyncEngine | None = None
) -> Services:
    if clock is None:
        clock = clock_from(settings.clock_start) if settings.clock_start else system_clock
    engine = engine or create_engine(settings.database_url)
    dialogs = DialogEngine(
        [
            onboarding_flow(),
            settings_flow(),
            new_goal_flow(),
            edit_goal_flow(),
            *plan_edit_flows(),
            *review_flows(),
            *coaching_flows(),
            log_offer_flow(),
            out_of_window_log_flow,
            team_create_flow(),  # teams (team13)
            follow_up_flow(),
            # meeting13: the weekly sales meeting
            meeting_time_flow,
            meeting_record_flow,
            meeting_note_flow,
            team_goal_flow(),  # split13
            team_split_flow(),
            *part_flows(),
            *team_group_flows(),  # group13: the team's group, /share, /teamreward
            crm_import_flow(),  # importflow14: file import
            crm_connect_flow,  # sync14: connecting a CRM's API from /crm
            broadcast_text_flow,  # ops15: /broadcast without its text
        ]
    )
    return Services(settings, engine, create_sessionmaker(engine), dialogs, clock)
