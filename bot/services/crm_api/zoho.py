"""Zoho CRM REST API v8: OAuth refresh per data centre, Deals changed since a cursor, deleted Deals.

- Token: POST {accounts}/oauth/v2/token with grant_type=refresh_token, client_id, client_secret and
  refresh_token (a self-client's, or one an authorization code was exchanged for once); the answer's
  `api_domain` is where the API calls go, `expires_in` how long the access token lasts. A refused refresh
  token is answered with HTTP 200 and {"error": "invalid_code"}.
- Calls carry "Authorization: Zoho-oauthtoken <access token>". A 401 (INVALID_TOKEN: expired) is refreshed
  and retried once; a second 401 means the credentials are refused.
- GET /crm/v8/Deals?fields=...&per_page=200&sort_by=Modified_Time&sort_order=asc with If-Modified-Since:
  pages follow info.next_page_token (page_token) while info.more_records, past the 2,000 records that
  page=1..10 reach. 204 means nothing changed.
- GET /crm/v8/Deals/deleted?type=all&per_page=200&page=N with If-Modified-Since: ids and deleted_time.
- 429 (too many requests, or the day's credits spent) is RATE_LIMITED, with Retry-After if sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from bot.core.crm.records import CrmRecord, CrmSystem, DealState, RecordKind
from bot.services.crm_api.client import ChangePage, Credentials, DeletionPage
from bot.services.crm_api.errors import CrmApiError, SyncProblem
from bot.services.crm_api.http import Clock, json_of, retry_at, send, server_trouble

# The data centres and their accounts servers (Zoho's multi-DC documentation).
ACCOUNTS_URLS: dict[str, str] = {
    "com": "https://accounts.zoho.com",
    "eu": "https://accounts.zoho.eu",
    "in": "https://accounts.zoho.in",
    "com.au": "https://accounts.zoho.com.au",
    "jp": "https://accounts.zoho.jp",
    "com.cn": "https://accounts.zoho.com.cn",
}
DATA_CENTRES = tuple(ACCOUNTS_URLS)
CREDENTIAL_NAMES = ("client_id", "client_secret", "refresh_token")
DEAL_FIELDS = "Deal_Name,Amount,Stage,Closing_Date,Owner,Account_Name,Modified_Time"
PER_PAGE = 200
WON_STAGES = frozenset({"closed won", "closed-won"})
# Refresh a little before Zoho's expiry, so a page's request never carries a token that lapses in flight.
EXPIRY_MARGIN = timedelta(minutes=2)


class ZohoClient:
    system = CrmSystem.ZOHO

    def __init__(
        self,
        http: httpx.AsyncClient,
        credentials: Credentials,
        data_centre: str,
        now: Clock,
        *,
        api_domain: str | None = None,
    ) -> None:
        if data_centre not in ACCOUNTS_URLS:
            raise ValueError(f"not a Zoho data centre: {data_centre!r}")
        self.http, self.credentials, self.data_centre, self.now = http, credentials, data_centre, now
        self.api_domain = api_domain
        self._token: str | None = None
        self._expires_at: datetime | None = None
        self.refreshes = 0  # token requests made (tests and the bench read it)

    async def connect(self) -> str | None:
        await self._refresh()
        return self.api_domain

    async def _refresh(self) -> None:
        request = self.http.build_request(
            "POST",
            f"{ACCOUNTS_URLS[self.data_centre]}/oauth/v2/token",
            data={
                "grant_type": "refresh_token",
                "client_id": self.credentials["client_id"],
                "client_secret": self.credentials["client_secret"],
                "refresh_token": self.credentials["refresh_token"],
            },
        )
        response = await send(self.http, request)
        self.refreshes += 1
        if response.status_code == 429:
            raise CrmApiError(
                SyncProblem.RATE_LIMITED, retry_at=retry_at(response, self.now()), detail="token"
            )
        trouble = server_trouble(response)
        if trouble is not None:
            raise trouble
        data = json_of(response)
        token = data.get("access_token")
        if response.status_code != 200 or not isinstance(token, str) or not token:
            raise CrmApiError(SyncProblem.REFUSED, detail=str(data.get("error", response.status_code))[:40])
        self._token = token
        expires_in = data.get("expires_in")
        seconds = expires_in if isinstance(expires_in, int) and expires_in > 0 else 3600
        self._expires_at = self.now() + timedelta(seconds=seconds) - EXPIRY_MARGIN
        domain = data.get("api_domain")
        if isinstance(domain, str) and domain.startswith(("https://", "http://")):
            self.api_domain = domain.rstrip("/")
        elif self.api_domain is None:
            raise CrmApiError(SyncProblem.BAD_RESPONSE, detail="no api_domain")

    async def _get(self, path: str, params: dict[str, Any], since: str | None) -> dict[str, Any] | None:
        """The JSON of GET `path` (None for 204: nothing there), refreshing the token once on a 401."""
        if self._token is None or (self._expires_at is not None and self.now() >= self._expires_at):
            await self._refresh()
        for attempt in (1, 2):
            headers = {"Authorization": f"Zoho-oauthtoken {self._token}"}
            if since:
                headers["If-Modified-Since"] = since
            request = self.http.build_request(
                "GET", f"{self.api_domain}{path}", params=params, headers=headers
            )
            response = await send(self.http, request)
            if response.status_code == 401 and attempt == 1:
                await self._refresh()  # INVALID_TOKEN: the access token expired (or was revoked)
                continue
            return self._read(response)
        raise AssertionError("unreachable")

    def _read(self, response: httpx.Response) -> dict[str, Any] | None:
        if response.status_code in (204, 304):
            return None
        if response.status_code == 401:
            raise CrmApiError(SyncProblem.REFUSED, detail="HTTP 401")
        if response.status_code == 429:
            raise CrmApiError(
                SyncProblem.RATE_LIMITED, retry_at=retry_at(response, self.now()), detail="HTTP 429"
            )
        trouble = server_trouble(response)
        if trouble is not None:
            raise trouble
        data = json_of(response)
        if response.status_code != 200:
            raise CrmApiError(
                SyncProblem.BAD_RESPONSE, detail=str(data.get("code", response.status_code))[:40]
            )
        return data

    async def changes(self, cursor: str | None) -> AsyncIterator[ChangePage]:
        params: dict[str, Any] = {
            "fields": DEAL_FIELDS,
            "per_page": PER_PAGE,
            "sort_by": "Modified_Time",
            "sort_order": "asc",
        }
        since = cursor  # the listing's start: its pages (page_token) all belong to this one query
        while True:
            data = await self._get("/crm/v8/Deals", params, since)
            if data is None:
                return
            rows = [row for row in data.get("data") or [] if isinstance(row, dict)]
            records = [record for record in map(deal_record, rows) if record is not None]
            cursor = latest(cursor, (row.get("Modified_Time") for row in rows))
            yield ChangePage(tuple(records), cursor, skipped=len(rows) - len(records))
            info = data.get("info") or {}
            token = info.get("next_page_token")
            if not info.get("more_records") or not isinstance(token, str) or not token:
                return
            params = {**params, "page_token": token}

    async def deletions(self, cursor: str | None) -> AsyncIterator[DeletionPage]:
        page, since = 1, cursor
        while True:
            params = {"type": "all", "per_page": PER_PAGE, "page": page}
            data = await self._get("/crm/v8/Deals/deleted", params, since)
            if data is None:
                return
            rows = [row for row in data.get("data") or [] if isinstance(row, dict) and row.get("id")]
            cursor = latest(cursor, (row.get("deleted_time") for row in rows))
            yield DeletionPage(tuple(str(row["id"]) for row in rows), cursor)
            if not (data.get("info") or {}).get("more_records"):
                return
            page += 1


def latest(cursor: str | None, stamps: Any) -> str | None:
    """The latest of `cursor` and the ISO 8601 `stamps` (Zoho writes them with an offset)."""
    best, best_at = cursor, _instant(cursor)
    for stamp in stamps:
        at = _instant(stamp)
        if at is not None and (best_at is None or at > best_at):
            best, best_at = stamp, at
    return best


def _instant(stamp: object) -> datetime | None:
    if not isinstance(stamp, str):
        return None
    try:
        at = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def deal_record(row: dict[str, Any]) -> CrmRecord | None:
    """A Deal as the coach reads it, or None without an id or a closing date."""
    record_id, closing = str(row.get("id") or ""), row.get("Closing_Date")
    try:
        day = date.fromisoformat(closing) if isinstance(closing, str) else None
    except ValueError:
        day = None
    if not record_id or day is None:
        return None
    stage = str(row.get("Stage") or "").strip().lower()
    state = (
        DealState.WON
        if stage in WON_STAGES
        else DealState.LOST
        if stage.startswith("closed")
        else DealState.OPEN
    )
    return CrmRecord(
        system=CrmSystem.ZOHO,
        kind=RecordKind.DEAL,
        record_id=record_id[:100],
        day=day,
        amount=_amount(row.get("Amount")),
        state=state,
        owner=_name(row.get("Owner")),
        title=_text(row.get("Deal_Name"), 300),
        account=_name(row.get("Account_Name")),
    )


def _amount(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _name(lookup: object) -> str | None:
    return _text(lookup.get("name"), 200) if isinstance(lookup, dict) else None


def _text(value: object, length: int) -> str | None:
    return str(value).strip()[:length] or None if value is not None else None
