"""From webhook mode back to polling (web15): the polling process deletes the webhook before its first
getUpdates, gets what Telegram held meanwhile, and serves the probes and metrics on HEALTH_PORT."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.devtools.fake_bot_api import SentCall
from tests.e2e.harness import Harness
from tests.e2e.webhook_mode import free_port, get, start_by_webhook

pytestmark = pytest.mark.e2e


async def test_a_polling_restart_deletes_the_webhook_first_and_serves_health_on_its_port(
    harness: Harness,
) -> None:
    await start_by_webhook(harness)
    chat = harness.chat(424_242_970, language_code="en")
    await chat.send("/start", expect="Which language shall I use?")
    bot = harness.bot
    assert bot is not None and await bot.terminate() == 0, bot.tail()
    assert harness.api.webhook.active, "a stop leaves the webhook set: Telegram keeps the updates"

    before = len(chat.sent())
    await harness.api.push(harness.api.message_update(chat.user, "/help"))  # while no bot runs
    health = free_port()
    polling = await harness.start(HEALTH_PORT=str(health))
    methods = [call.method for call in harness.api.calls]
    assert methods.index("deleteWebhook", methods.index("setWebhook")) > methods.index("setWebhook")
    assert not harness.api.webhook.active

    def helped(_calls: list[SentCall]) -> bool:
        return any("/newgoal" in call.text for call in chat.sent()[before:])

    await polling.wait_for_calls(harness.api, helped, "the /help sent while the bot was down")
    assert (await get(health, "/healthz")).status_code == 200
    ready = await get(health, "/readyz")
    assert ready.status_code == 200, ready.text
    families = {
        family.name: family for family in text_string_to_metric_families((await get(health, "/metrics")).text)
    }
    [received] = [
        s
        for s in families["quota_coach_updates_received"].samples
        if s.name == "quota_coach_updates_received_total"
    ]
    assert received.labels == {"type": "message"} and received.value == 1
    assert (await get(health, "/hook")).status_code == 404, "no webhook route while polling"
    assert await polling.terminate() == 0, polling.tail()
