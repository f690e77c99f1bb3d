"""The bot's Prometheus metrics (web15), all named quota_coach_..., in a registry of its own: one per
application, so tests and several applications in one process never share counts.

Counters and the histogram count what this process did (Prometheus sums them over the workers); the
gauges of what is waiting (inbox, outbox, due prompts) are read from the database when /metrics is
scraped (`refresh`, then `DatabaseGauges.collect`), so every worker reports the same figures.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.storage.repositories.backlog import BacklogRepository

if TYPE_CHECKING:
    from bot.scheduler.rounds import TickReport
    from bot.services.container import Services

log = logging.getLogger(__name__)
# Prometheus practice: every name starts with the application's (counters get _total from the client).
PREFIX = "quota_coach_"
# Handler latencies: a quick reply is a few ms, a chart or a busy database a second or more.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
PROMPT_OUTCOMES = ("recorded", "sent", "missed", "skipped", "failed", "reminded")


class Heartbeat:
    """When a periodic job last completed (monotonic seconds); counted from its creation until the first."""

    def __init__(self) -> None:
        self.last = time.monotonic()

    def beat(self) -> None:
        self.last = time.monotonic()

    def age(self) -> float:
        return time.monotonic() - self.last


@dataclass(frozen=True, slots=True)
class Backlog:
    """What waits in the database, as of one scrape."""

    inbox_depth: int
    inbox_oldest_age: float  # seconds; 0 when nothing waits
    outbox_depth: int
    dispatcher_lag: float  # now minus the oldest due prompt not yet sent; 0 when none is late


async def read_backlog(services: Services) -> Backlog:
    now = services.now()
    async with services.sessionmaker() as session:
        backlog = BacklogRepository(session)
        inbox, outbox = await backlog.inbox(), await backlog.outbox()
        oldest_due = await backlog.oldest_due_prompt(now)

    def age(since: datetime | None) -> float:
        return max(0.0, (now - since).total_seconds()) if since is not None else 0.0

    return Backlog(inbox.rows, age(inbox.oldest), outbox.rows, age(oldest_due))


class DatabaseGauges(Collector):
    """The gauges read from the database at scrape time; `database_up` says whether that read worked."""

    def __init__(self, heartbeat: Heartbeat) -> None:
        self.backlog: Backlog | None = None
        self.heartbeat = heartbeat

    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            PREFIX + "database_up",
            "1 when the last scrape could read the database",
            value=int(self.backlog is not None),
        )
        yield GaugeMetricFamily(
            PREFIX + "dispatcher_heartbeat_age_seconds",
            "Seconds since this process's dispatcher last finished a tick (or since start)",
            value=self.heartbeat.age(),
        )
        if self.backlog is None:
            return
        backlog = self.backlog
        yield GaugeMetricFamily(
            PREFIX + "inbox_depth", "Updates stored and not handled yet", value=backlog.inbox_depth
        )
        yield GaugeMetricFamily(
            PREFIX + "inbox_oldest_age_seconds",
            "Age of the oldest unhandled update",
            value=backlog.inbox_oldest_age,
        )
        yield GaugeMetricFamily(
            PREFIX + "outbox_depth", "Replies recorded and not sent yet", value=backlog.outbox_depth
        )
        yield GaugeMetricFamily(
            PREFIX + "dispatcher_lag_seconds",
            "Now minus the due time of the oldest prompt not sent yet",
            value=backlog.dispatcher_lag,
        )


class Metrics:
    """One application's metrics. Everything that counts calls these; /metrics renders `exposition()`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.updates_received = Counter(
            PREFIX + "updates_received", "Updates stored in the inbox, by type", ["type"], registry=registry
        )
        self.updates_handled = Counter(
            PREFIX + "updates_handled",
            "Updates handled from the inbox, by type and outcome (done, failed)",
            ["type", "outcome"],
            registry=registry,
        )
        self.handler_duration = Histogram(
            PREFIX + "handler_duration_seconds",
            "Time to handle one update, by the handler that took it",
            ["handler"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.prompts = Counter(
            PREFIX + "prompts",
            "Review prompts by outcome of the dispatcher's ticks",
            ["outcome"],
            registry=registry,
        )
        self.telegram_errors = Counter(
            PREFIX + "telegram_api_errors",
            "Bot API calls answered with an error, by code",
            ["code"],
            registry=registry,
        )
        # Issue 14's CRM sync counts its runs here (outcome: ok, failed, ...).
        self.crm_syncs = Counter(
            PREFIX + "crm_syncs", "CRM synchronisations by outcome", ["outcome"], registry=registry
        )
        self.dispatcher_heartbeat = Heartbeat()
        self.database = DatabaseGauges(self.dispatcher_heartbeat)
        registry.register(self.database)

    def count_prompts(self, report: TickReport) -> None:
        for outcome in PROMPT_OUTCOMES:
            value = getattr(report, outcome)
            if value:
                self.prompts.labels(outcome=outcome).inc(value)

    async def exposition(self, services: Services) -> bytes:
        """The text format, the database gauges read now (left out, database_up 0, if it cannot be read)."""
        try:
            self.database.backlog = await read_backlog(services)
        except Exception as error:  # drivers raise many types; the scrape still answers
            log.warning("metrics: cannot read the database: %s: %s", type(error).__name__, error)
            self.database.backlog = None
        return generate_latest(self.registry)
