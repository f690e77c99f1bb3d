"""Fxiaoke (纷享销客) OpenAPI: the corpAccessToken flow, opportunities and sales orders changed since a cursor.

- Token: POST {base}/cgi/corpAccessToken/get/V2 with {appId, appSecret, permanentCode} ->
  {errorCode: 0, corpAccessToken, corpId, expiresIn (seconds)}. Errors come back as HTTP 200 with a
  non-zero errorCode: 0 is success, 20016 an expired corpAccessToken (refreshed and retried once),
  30002 the day's quota spent, 30003 no quota purchased. Any other code on the token call is a refusal.
- Data: POST {base}/cgi/crm/v2/data/query with {corpAccessToken, corpId, currentOpenUserId, data:
  {dataObjectApiName, search_query_info: {limit <= 100, offset, filters: [last_modified_time GT x],
  orders: [last_modified_time ascending]}}} -> {errorCode: 0, data: {dataList, total}}. The offset is a
  multiple of the limit and at most 10,000: past that the listing starts again from the last record seen.
- NewOpportunityObj (商机) become deals, SalesOrderObj (销售订单) orders; a voided record
  (life_status "invalid", 作废) is a removal. Times are epoch milliseconds, read in the user's zone.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bot.core.crm.records import CrmRecord, CrmSystem, DealState, RecordKind
from bot.services.crm_api.client import ChangePage, Credentials, DeletionPage
from bot.services.crm_api.errors import CrmApiError, SyncProblem
from bot.services.crm_api.http import Clock, json_of, retry_at, send, server_trouble

BASE_URL = "https://open.fxiaoke.com"
CREDENTIAL_NAMES = ("app_id", "app_secret", "permanent_code", "open_user_id")
OPPORTUNITIES, ORDERS = "NewOpportunityObj", "SalesOrderObj"
OBJECTS = (OPPORTUNITIES, ORDERS)
LIMIT = 100  # the most a query returns
MAX_OFFSET = 10_000
TOKEN_EXPIRED = 20016
QUOTA_CODES = frozenset({30002, 30003})
# 商机状态 as the API returns it; the option values are the tenant's (describe the object to be sure).
WON_VALUES = frozenset({"赢单", "win", "won"})
LOST_VALUES = frozenset({"输单", "lose", "lost"})
VOIDED = "invalid"  # life_status of a 作废 record
EXPIRY_MARGIN = timedelta(minutes=5)


class FxiaokeClient:
    system = CrmSystem.FXIAOKE

    def __init__(
        self,
        http: httpx.AsyncClient,
        credentials: Credentials,
        now: Clock,
        zone: ZoneInfo,
        *,
        base_url: str = BASE_URL,
    ) -> None:
        self.http, self.credentials, self.now, self.zone = http, credentials, now, zone
        self.base_url = base_url.rstrip("/")
        self._token: str | None = None
        self._corp_id: str | None = None
        self._expires_at: datetime | None = None
        self.refreshes = 0

    async def connect(self) -> str | None:
        await self._refresh()
        return None

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        request = self.http.build_request("POST", f"{self.base_url}{path}", json=body)
        response = await send(self.http, request)
        if response.status_code == 429:
            raise CrmApiError(
                SyncProblem.RATE_LIMITED, retry_at=retry_at(response, self.now()), detail="HTTP 429"
            )
        trouble = server_trouble(response)
        if trouble is not None:
            raise trouble
        return json_of(response)

    async def _refresh(self) -> None:
        data = await self._post(
            "/cgi/corpAccessToken/get/V2",
            {
                "appId": self.credentials["app_id"],
                "appSecret": self.credentials["app_secret"],
                "permanentCode": self.credentials["permanent_code"],
            },
        )
        self.refreshes += 1
        code = data.get("errorCode")
        if code in QUOTA_CODES:
            raise CrmApiError(SyncProblem.QUOTA, detail=f"errorCode {code}")
        token, corp_id = data.get("corpAccessToken"), data.get("corpId")
        if code != 0 or not isinstance(token, str) or not isinstance(corp_id, str):
            raise CrmApiError(SyncProblem.REFUSED, detail=f"errorCode {code}")
        expires_in = data.get("expiresIn")
        seconds = expires_in if isinstance(expires_in, int) and expires_in > 0 else 7200
        self._token, self._corp_id = token, corp_id
        self._expires_at = self.now() + timedelta(seconds=seconds) - EXPIRY_MARGIN

    async def _query(self, api_name: str, since_ms: int | None, offset: int) -> list[dict[str, Any]]:
        if self._token is None or (self._expires_at is not None and self.now() >= self._expires_at):
            await self._refresh()
        filters = [] if since_ms is None else [
            # GT the instant before the cursor: the records modified at the cursor's instant come again.
            {"field_name": "last_modified_time", "operator": "GT", "field_values": [since_ms - 1]}
        ]  # fmt: skip
        query = {
            "limit": LIMIT,
            "offset": offset,
            "filters": filters,
            "orders": [{"fieldName": "last_modified_time", "isAsc": True}],
        }
        for attempt in (1, 2):
            body = {
                "corpAccessToken": self._token,
                "corpId": self._corp_id,
                "currentOpenUserId": self.credentials["open_user_id"],
                "data": {"dataObjectApiName": api_name, "search_query_info": query},
            }
            data = await self._post("/cgi/crm/v2/data/query", body)
            code = data.get("errorCode")
            if code == TOKEN_EXPIRED and attempt == 1:
                await self._refresh()
                continue
            if code in QUOTA_CODES:
                raise CrmApiError(SyncProblem.QUOTA, detail=f"errorCode {code}")
            if code == TOKEN_EXPIRED:
                raise CrmApiError(SyncProblem.REFUSED, detail=f"errorCode {code}")
            if code != 0:
                raise CrmApiError(SyncProblem.BAD_RESPONSE, detail=f"errorCode {code}")
            rows = (data.get("data") or {}).get("dataList") or []
            return [row for row in rows if isinstance(row, dict)]
        raise AssertionError("unreachable")

    async def changes(self, cursor: str | None) -> AsyncIterator[ChangePage]:
        cursors = read_cursor(cursor)
        for api_name in OBJECTS:
            since, offset = cursors.get(api_name), 0
            while True:
                rows = await self._query(api_name, since, offset)
                stamps = [
                    row["last_modified_time"]
                    for row in rows
                    if isinstance(row.get("last_modified_time"), int)
                ]
                if stamps:
                    cursors[api_name] = max(cursors.get(api_name, 0), *stamps)
                removed = tuple(
                    str(row["_id"]) for row in rows if row.get("life_status") == VOIDED and row.get("_id")
                )
                kept = [row for row in rows if row.get("life_status") != VOIDED]
                records = [r for r in (self.record(api_name, row) for row in kept) if r is not None]
                yield ChangePage(tuple(records), write_cursor(cursors), len(kept) - len(records), removed)
                if len(rows) < LIMIT:
                    break
                offset += LIMIT
                if offset >= MAX_OFFSET:
                    # Deep paging: start the listing again from the last instant seen.
                    since, offset = cursors.get(api_name), 0

    async def deletions(self, cursor: str | None) -> AsyncIterator[DeletionPage]:
        # Fxiaoke lists voided records with the others (see `changes`); deleted ones leave no trace.
        return
        yield  # pragma: no cover

    def record(self, api_name: str, row: dict[str, Any]) -> CrmRecord | None:
        record_id = str(row.get("_id") or "")
        if api_name == OPPORTUNITIES:
            day = self._day(row.get("close_date"))
            status = str(row.get("sales_status") or "").strip().lower()
            state = (
                DealState.WON
                if status in WON_VALUES
                else DealState.LOST
                if status in LOST_VALUES
                else DealState.OPEN
            )
            kind, amount, account = RecordKind.DEAL, row.get("amount"), row.get("account_id")
        else:
            day = self._day(row.get("order_time"))
            state = DealState.WON if row.get("life_status") == "normal" else DealState.OPEN
            kind, amount, account = RecordKind.ORDER, row.get("order_amount"), row.get("account_id")
        if not record_id or day is None:
            return None
        owners = row.get("owner")
        owner = str(owners[0]) if isinstance(owners, list) and owners else None
        return CrmRecord(
            system=CrmSystem.FXIAOKE,
            kind=kind,
            record_id=record_id[:100],
            day=day,
            amount=_amount(amount),
            state=state,
            owner=owner,
            title=(str(row.get("name") or "").strip()[:300] or None),
            account=(str(account).strip()[:200] or None) if account else None,
        )

    def _day(self, millis: object) -> date | None:
        if not isinstance(millis, int) or isinstance(millis, bool):
            return None
        try:
            return datetime.fromtimestamp(millis / 1000, UTC).astimezone(self.zone).date()
        except (OverflowError, OSError, ValueError):
            return None


def read_cursor(cursor: str | None) -> dict[str, int]:
    """The per-object cursors (epoch milliseconds) kept as one JSON string."""
    if not cursor:
        return {}
    try:
        data = json.loads(cursor)
    except ValueError:
        return {}
    return (
        {k: v for k, v in data.items() if k in OBJECTS and isinstance(v, int)}
        if isinstance(data, dict)
        else {}
    )


def write_cursor(cursors: dict[str, int]) -> str | None:
    return json.dumps(cursors, sort_keys=True, separators=(",", ":")) if cursors else None


def _amount(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None
