"""A fake Zoho CRM (accounts + REST API v8) on 127.0.0.1, a tornado app on a random free port.

What it keeps to, as Zoho documents it: the token endpoint per data centre (the Host says which) answers
api_domain for that centre; API calls need "Authorization: Zoho-oauthtoken <token>" and go to that
domain; an unknown or expired token is 401 INVALID_TOKEN; GET /crm/v8/Deals honours If-Modified-Since,
sort_by=Modified_Time, per_page <= 200, page 1..10 (2,000 records) and page_token past them; 204 when
nothing matches; GET /crm/v8/Deals/deleted?type=all lists deletions. Tests inject 429s, 500s and expiries.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

API_DOMAINS = {dc: f"https://www.zohoapis.{dc}" for dc in ("com", "eu", "in", "com.au", "jp", "com.cn")}
ACCOUNTS_HOSTS = {f"accounts.zoho.{dc}": dc for dc in API_DOMAINS}


@dataclass
class FakeZoho:
    client_id: str = "1000.CLIENTID"
    client_secret: str = "client-secret-value"
    refresh_token: str = "1000.refresh-token-value"
    deals: dict[str, dict[str, Any]] = field(default_factory=dict)
    deleted: list[dict[str, Any]] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)  # access token -> data centre
    # What was asked: (data centre of the token call) and (host, path, query) of every API call.
    token_calls: list[str] = field(default_factory=list)
    api_calls: list[tuple[str, str, dict[str, list[str]]]] = field(default_factory=list)
    # Injected trouble: the n-th Deals request (1-based) answers this status once; expire tokens after it.
    fail_deals_request: dict[int, int] = field(default_factory=dict)
    expire_after_deals_request: int | None = None
    retry_after: int = 120
    # The n-th Deals request waits: `paused` is set when it arrives, and it answers once `resume` is set.
    pause_deals_request: int | None = None
    paused: asyncio.Event = field(default_factory=asyncio.Event)
    resume: asyncio.Event = field(default_factory=asyncio.Event)
    deals_requests: int = 0
    port: int = 0

    # Records ------------------------------------------------------------------------------------
    def add_deals(self, count: int, *, start: datetime, stage: str = "Closed Won", owner: str = "Li Wei",
                  amount: int = 1000, first_id: int = 4150868000000100000) -> list[str]:  # fmt: skip
        ids = []
        for n in range(count):
            record_id = str(first_id + n)
            modified = start + timedelta(seconds=n)
            self.deals[record_id] = {
                "id": record_id,
                "Deal_Name": f"Deal {n + 1}",
                "Amount": amount + n,
                "Stage": stage,
                "Closing_Date": (modified.date()).isoformat(),
                "Owner": {"name": owner, "id": "4150868000000225013", "email": "li.wei@example.com"},
                "Account_Name": {"name": f"Account {n % 7}", "id": str(4150868000000200000 + n % 7)},
                "Modified_Time": _zoho_time(modified),
            }
            ids.append(record_id)
        return ids

    def update_deal(self, record_id: str, at: datetime, **fields: Any) -> None:
        self.deals[record_id].update(fields, Modified_Time=_zoho_time(at))

    def delete_deal(self, record_id: str, at: datetime) -> None:
        deal = self.deals.pop(record_id)
        self.deleted.append({"id": record_id, "display_name": deal["Deal_Name"], "type": "recycle",
                             "deleted_time": _zoho_time(at), "deleted_by": {"name": "Li Wei", "id": "1"}})  # fmt: skip

    def expire_tokens(self) -> None:
        self.tokens.clear()

    @property
    def accounts_route(self) -> dict[str, int]:
        """Host suffixes for tests.fakes.routing.RoutedTransport: every accounts and API host of Zoho."""
        return {"zoho.com": self.port, "zoho.eu": self.port, "zoho.in": self.port, "zoho.com.au": self.port,
                "zoho.jp": self.port, "zoho.com.cn": self.port, "zohoapis.com": self.port, "zohoapis.eu": self.port,
                "zohoapis.in": self.port, "zohoapis.com.au": self.port, "zohoapis.jp": self.port,
                "zohoapis.com.cn": self.port}  # fmt: skip


def _zoho_time(at: datetime) -> str:
    return at.astimezone(UTC).replace(microsecond=0).isoformat()


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


class _Base(RequestHandler):
    def initialize(self, zoho: FakeZoho) -> None:
        self.zoho = zoho

    def reply(self, status: int, body: dict[str, Any] | None = None, **headers: str) -> None:
        self.set_status(status)
        for name, value in headers.items():
            self.set_header(name, value)
        if body is not None:
            self.set_header("Content-Type", "application/json;charset=UTF-8")
            self.finish(json.dumps(body))
        else:
            self.finish()

    def error(self, status: int, code: str, message: str, headers: dict[str, str] | None = None,
              **details: Any) -> None:  # fmt: skip
        body = {"code": code, "details": details, "message": message, "status": "error"}
        self.reply(status, body, **(headers or {}))


class TokenHandler(_Base):
    def post(self) -> None:
        centre = ACCOUNTS_HOSTS.get(self.request.host)
        form = {k: v[0] for k, v in parse_qs(self.request.body.decode()).items()}
        form.update({k: self.get_query_argument(k) for k in self.request.query_arguments})
        self.zoho.token_calls.append(centre or self.request.host)
        if centre is None:
            self.reply(404)
            return
        if form.get("grant_type") != "refresh_token":
            self.reply(200, {"error": "unsupported_grant_type"})
            return
        if (form.get("client_id"), form.get("client_secret")) != (
            self.zoho.client_id,
            self.zoho.client_secret,
        ):
            self.reply(200, {"error": "invalid_client"})
            return
        if form.get("refresh_token") != self.zoho.refresh_token:
            self.reply(200, {"error": "invalid_code"})
            return
        token = f"1000.{secrets.token_hex(16)}"
        self.zoho.tokens[token] = centre
        self.reply(200, {"access_token": token, "scope": "ZohoCRM.modules.deals.READ",
                         "api_domain": API_DOMAINS[centre], "token_type": "Bearer", "expires_in": 3600})  # fmt: skip


class _Api(_Base):
    def authorised(self) -> bool:
        self.zoho.api_calls.append((self.request.host, self.request.path, dict(self.request.query_arguments)))
        header = self.request.headers.get("Authorization", "")
        token = header.removeprefix("Zoho-oauthtoken ") if header.startswith("Zoho-oauthtoken ") else ""
        centre = self.zoho.tokens.get(token)
        if centre is None or f"https://{self.request.host}" != API_DOMAINS[centre]:
            self.error(401, "INVALID_TOKEN", "invalid oauth token")
            return False
        return True

    def since(self) -> datetime | None:
        value = self.request.headers.get("If-Modified-Since")
        return _instant(value) if value else None


class DealsHandler(_Api):
    async def get(self) -> None:
        zoho = self.zoho
        if not self.authorised():
            return
        zoho.deals_requests += 1
        number = zoho.deals_requests
        if number == zoho.pause_deals_request:
            zoho.paused.set()
            await zoho.resume.wait()
        if number in zoho.fail_deals_request:
            status = zoho.fail_deals_request.pop(number)
            if status == 429:
                self.error(
                    429, "TOO_MANY_REQUESTS", "too many requests", {"Retry-After": str(zoho.retry_after)}
                )
            else:
                self.error(status, "INTERNAL_ERROR", "Internal Server Error")
            return
        if zoho.expire_after_deals_request == number:
            zoho.expire_tokens()
        if not self.get_query_argument("fields", ""):
            self.error(
                400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", param_name="fields"
            )
            return
        per_page = int(self.get_query_argument("per_page", "200"))
        if per_page > 200:
            self.error(400, "LIMIT_EXCEEDED", "limit exceeded", limit=200, param_name="per_page")
            return
        token = self.get_query_argument("page_token", None)
        page = int(self.get_query_argument("page", "1"))
        if token is None and page * per_page > 2000:
            self.error(
                400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED", "use page_token beyond 2000 records", limit=2000
            )
            return
        since = self.since()
        ordered = sorted(
            (d for d in zoho.deals.values() if since is None or _instant(d["Modified_Time"]) >= since),
            key=lambda d: (_instant(d["Modified_Time"]), d["id"]),
        )
        start = int(token.removeprefix("pt.")) if token else (page - 1) * per_page
        chunk = ordered[start : start + per_page]
        if not chunk:
            self.reply(204)
            return
        more = start + per_page < len(ordered)
        self.reply(200, {"data": chunk, "info": {
            "per_page": per_page, "count": len(chunk), "page": start // per_page + 1, "sort_by": "Modified_Time",
            "sort_order": "asc", "more_records": more, "next_page_token": f"pt.{start + per_page}" if more else None,
            "previous_page_token": None, "page_token_expiry": None, "call": False, "email": False}})  # fmt: skip


class DeletedHandler(_Api):
    def get(self) -> None:
        if not self.authorised():
            return
        since = self.since()
        per_page, page = (
            int(self.get_query_argument("per_page", "200")),
            int(self.get_query_argument("page", "1")),
        )
        rows = [d for d in self.zoho.deleted if since is None or _instant(d["deleted_time"]) >= since]
        chunk = rows[(page - 1) * per_page : page * per_page]
        if not chunk:
            self.reply(204)
            return
        more = page * per_page < len(rows)
        self.reply(200, {"data": chunk, "info": {"per_page": per_page, "count": len(chunk), "page": page,
                                                 "more_records": more}})  # fmt: skip


@asynccontextmanager
async def serve_zoho(zoho: FakeZoho | None = None) -> AsyncIterator[FakeZoho]:
    """Run the fake on 127.0.0.1 (a free port, in `zoho.port`) for the block's length."""
    zoho = zoho or FakeZoho()
    app = Application([
        (r"/oauth/v2/token", TokenHandler, {"zoho": zoho}),
        (r"/crm/v8/Deals", DealsHandler, {"zoho": zoho}),
        (r"/crm/v8/Deals/deleted", DeletedHandler, {"zoho": zoho}),
    ])  # fmt: skip
    server = HTTPServer(app)
    sockets = bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    zoho.port = sockets[0].getsockname()[1]
    try:
        yield zoho
    finally:
        server.stop()
