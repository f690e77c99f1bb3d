"""The HTTP details both CRM clients share: one request, its failures as SyncProblems, JSON or nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx

from bot.services.crm_api.errors import CrmApiError, SyncProblem

Clock = Callable[[], datetime]
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


# A connection test runs inside the user's turn (its transaction): it may not keep them waiting long.
TEST_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def new_http(
    transport: httpx.AsyncBaseTransport | None = None, timeout: httpx.Timeout = TIMEOUT
) -> httpx.AsyncClient:
    """The client a sync (or a connection test) talks through; tests pass the fakes' transport."""
    return httpx.AsyncClient(timeout=timeout, transport=transport, follow_redirects=False)


async def send(http: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    """The response to `request`; a network failure is UNAVAILABLE (its text names no secret)."""
    try:
        return await http.send(request)
    except httpx.TransportError as error:
        raise CrmApiError(SyncProblem.UNAVAILABLE, detail=type(error).__name__) from None


def json_of(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise CrmApiError(SyncProblem.BAD_RESPONSE, detail=f"HTTP {response.status_code}") from None
    if not isinstance(data, dict):
        raise CrmApiError(SyncProblem.BAD_RESPONSE, detail=f"HTTP {response.status_code}")
    return data


def retry_at(response: httpx.Response, now: datetime) -> datetime | None:
    """When a refusing CRM allows the next call: Retry-After (seconds), if it says."""
    value = response.headers.get("Retry-After", "")
    if value.strip().isdigit():
        return now + timedelta(seconds=min(int(value), 24 * 3600))
    return None


def server_trouble(response: httpx.Response) -> CrmApiError | None:
    """The failure an HTTP status means whatever the CRM: 429 and 5xx."""
    if response.status_code >= 500:
        return CrmApiError(SyncProblem.UNAVAILABLE, detail=f"HTTP {response.status_code}")
    return None
