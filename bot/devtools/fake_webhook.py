"""The webhook as the Bot API model keeps it (web15): setWebhook, deleteWebhook, getWebhookInfo.

https://core.telegram.org/bots/api#setwebhook: while a webhook is set, getUpdates is refused with 409
("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook
first"). Delivering by POST is the HTTP emulator's part (tests/emulator/webhook.py); this is the state it
reads and writes (the last error goes to getWebhookInfo).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.devtools.update_queue import UpdateQueue

JSON = dict[str, Any]
GET_UPDATES_CONFLICT = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
DEFAULT_MAX_CONNECTIONS = 40


@dataclass
class WebhookState:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.url)

    def set(self, params: JSON) -> None:
        """setWebhook's parameters (an empty url removes the webhook, as Telegram does)."""
        self.url = str(params.get("url") or "")
        secret = params.get("secret_token")
        self.secret_token = str(secret) if secret else None
        self.max_connections = int(params.get("max_connections") or DEFAULT_MAX_CONNECTIONS)
        allowed = params.get("allowed_updates")
        self.allowed_updates = list(allowed) if isinstance(allowed, list) else None
        self.last_error_date = self.last_error_message = None

    def delete(self) -> None:
        self.url, self.secret_token, self.allowed_updates = "", None, None
        self.last_error_date = self.last_error_message = None

    def failed(self, when: int, message: str) -> None:
        self.last_error_date, self.last_error_message = when, message

    def info(self, pending: int) -> JSON:
        body: JSON = {"url": self.url, "has_custom_certificate": False, "pending_update_count": pending}
        if self.active:
            body["max_connections"] = self.max_connections
            if self.allowed_updates is not None:
                body["allowed_updates"] = self.allowed_updates
        if self.last_error_date is not None:
            body["last_error_date"] = self.last_error_date
            body["last_error_message"] = self.last_error_message
        return body


class WebhookMethods:
    """setWebhook, deleteWebhook and getWebhookInfo of the FakeBotApi (which has `webhook` and `updates`)."""

    webhook: WebhookState
    updates: UpdateQueue

    def _api_setWebhook(self, params: JSON, files: dict[str, bytes]) -> bool:
        if params.get("drop_pending_updates") is True:
            self.updates.pending.clear()
        self.webhook.set(params)
        return True

    def _api_deleteWebhook(self, params: JSON, files: dict[str, bytes]) -> bool:
        if params.get("drop_pending_updates") is True:
            self.updates.pending.clear()
        self.webhook.delete()
        return True

    def _api_getWebhookInfo(self, params: JSON, files: dict[str, bytes]) -> JSON:
        return self.webhook.info(len(self.updates.pending))
