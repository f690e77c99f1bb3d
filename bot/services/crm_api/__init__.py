"""Clients of the CRMs' APIs (Zoho CRM v8, Fxiaoke OpenAPI): tokens, pages of changes, records."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import httpx

from bot.core.crm.records import CrmSystem
from bot.services.crm_api.client import ChangePage, Credentials, CrmClient, DeletionPage
from bot.services.crm_api.errors import CrmApiError, SyncProblem
from bot.services.crm_api.fxiaoke import FxiaokeClient
from bot.services.crm_api.http import Clock, new_http
from bot.services.crm_api.zoho import ZohoClient

__all__ = [
    "ChangePage",
    "Credentials",
    "CrmApiError",
    "CrmClient",
    "DeletionPage",
    "FxiaokeClient",
    "SyncProblem",
    "ZohoClient",
    "client_for",
    "new_http",
]


def client_for(
    system: str,
    http: httpx.AsyncClient,
    credentials: Credentials,
    now: Clock,
    zone: ZoneInfo,
    *,
    data_centre: str = "",
    api_domain: str | None = None,
) -> CrmClient:
    """The client of `system`'s API for one connection."""
    if system == CrmSystem.ZOHO:
        return ZohoClient(http, credentials, data_centre, now, api_domain=api_domain)
    if system == CrmSystem.FXIAOKE:
        return FxiaokeClient(http, credentials, now, zone)
    raise ValueError(f"no API client for {system!r}")
