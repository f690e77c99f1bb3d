"""A fake Fxiaoke (纷享销客) OpenAPI on 127.0.0.1, a tornado app on a random free port.

As documented: every answer is HTTP 200 JSON with errorCode (0 success); POST /cgi/corpAccessToken/get/V2
takes appId, appSecret, permanentCode and answers corpAccessToken, corpId, expiresIn; POST
/cgi/crm/v2/data/query needs corpAccessToken + corpId + currentOpenUserId, limit <= 100, an offset that is
a multiple of the limit and at most 10,000, and filters/orders on last_modified_time. An unknown or
expired token is errorCode 20016; a spent daily quota 30002. Tests inject 500s, expiries and quotas.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

CORP_ID = "FSEA_FAKE_CORP"
OBJECTS = ("NewOpportunityObj", "SalesOrderObj")


def millis(at: datetime) -> int:
    return int(at.timestamp() * 1000)


@dataclass
class FakeFxiaoke:
    app_id: str = "FSAID_131ae19"
    app_secret: str = "app-secret-value"
    permanent_code: str = "PERMANENT-CODE-VALUE"
    open_user_id: str = "FSUID_FAKE_USER"
    data: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: {name: {} for name in OBJECTS})
    tokens: set[str] = field(default_factory=set)
    token_calls: int = 0
    queries: list[dict[str, Any]] = field(default_factory=list)  # search_query_info of every query
    quota_left: int | None = None  # queries allowed before errorCode 30002
    fail_query: dict[int, int] = field(default_factory=dict)  # n-th query (1-based) -> HTTP status, once
    expire_after_query: int | None = None
    port: int = 0

    def add_opportunities(self, count: int, *, start: datetime, status: str = "赢单", amount: int = 50_000,
                          owner: str = "1000", first: int = 1) -> list[str]:  # fmt: skip
        ids = []
        for n in range(count):
            record_id = f"65a{first + n:021d}"
            at = millis(start) + n * 1000
            self.data["NewOpportunityObj"][record_id] = {
                "_id": record_id, "name": f"商机 {first + n}", "amount": str(amount + n), "sales_status": status,
                "sales_stage": "赢单" if status == "赢单" else "初步接洽", "close_date": at, "owner": [owner],
                "account_id": f"acc{n % 5}", "life_status": "normal", "last_modified_time": at, "create_time": at,
            }  # fmt: skip
            ids.append(record_id)
        return ids

    def add_orders(self, count: int, *, start: datetime, amount: int = 8_000, first: int = 1) -> list[str]:
        ids = []
        for n in range(count):
            record_id = f"66b{first + n:021d}"
            at = millis(start) + n * 1000
            self.data["SalesOrderObj"][record_id] = {
                "_id": record_id, "name": f"SO-2026-{first + n:05d}", "order_amount": str(amount), "order_time": at,
                "owner": ["1000"], "account_id": "acc1", "life_status": "normal", "last_modified_time": at,
            }  # fmt: skip
            ids.append(record_id)
        return ids

    def update(self, api_name: str, record_id: str, at: datetime, **fields: Any) -> None:
        self.data[api_name][record_id].update(fields, last_modified_time=millis(at))


class _Handler(RequestHandler):
    def initialize(self, fx: FakeFxiaoke) -> None:
        self.fx = fx

    def answer(self, body: dict[str, Any], status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json;charset=UTF-8")
        self.finish(json.dumps(body, ensure_ascii=False))

    def body(self) -> dict[str, Any]:
        data = json.loads(self.request.body or b"{}")
        return data if isinstance(data, dict) else {}


class TokenHandler(_Handler):
    def post(self) -> None:
        fx, body = self.fx, self.body()
        fx.token_calls += 1
        if (body.get("appId"), body.get("appSecret"), body.get("permanentCode")) != (
            fx.app_id, fx.app_secret, fx.permanent_code,
        ):  # fmt: skip
            self.answer({"errorCode": 10006, "errorMessage": "appSecret 不合法", "traceId": "E-1"})
            return
        token = secrets.token_hex(16).upper()
        fx.tokens.add(token)
        self.answer({"errorCode": 0, "errorMessage": "success", "corpAccessToken": token, "corpId": CORP_ID,
                     "expiresIn": 7200})  # fmt: skip


class QueryHandler(_Handler):
    def post(self) -> None:
        fx, body = self.fx, self.body()
        number = len(fx.queries) + 1
        query = (body.get("data") or {}).get("search_query_info") or {}
        fx.queries.append(query)
        if number in fx.fail_query:
            self.answer({"errorCode": -1, "errorMessage": "系统错误"}, status=fx.fail_query.pop(number))
            return
        if body.get("corpAccessToken") not in fx.tokens or body.get("corpId") != CORP_ID:
            self.answer({"errorCode": 20016, "errorMessage": "corpAccessToken 已经失效"})
            return
        if fx.expire_after_query == number:
            fx.tokens.clear()
        if body.get("currentOpenUserId") != fx.open_user_id:
            self.answer({"errorCode": 20017, "errorMessage": "currentOpenUserId 不合法"})
            return
        if fx.quota_left is not None:
            if fx.quota_left <= 0:
                self.answer({"errorCode": 30002, "errorMessage": "当日调用次数超限"})
                return
            fx.quota_left -= 1
        api_name = (body.get("data") or {}).get("dataObjectApiName")
        limit, offset = int(query.get("limit", 20)), int(query.get("offset", 0))
        if api_name not in fx.data or limit > 100 or offset % limit or offset > 10_000:
            self.answer({"errorCode": 10013, "errorMessage": "参数不合法"})
            return
        rows = list(fx.data[api_name].values())
        for condition in query.get("filters") or []:
            if condition.get("field_name") == "last_modified_time" and condition.get("operator") == "GT":
                floor = int(condition["field_values"][0])
                rows = [row for row in rows if row["last_modified_time"] > floor]
        rows.sort(key=lambda row: (row["last_modified_time"], row["_id"]))
        self.answer({"errorCode": 0, "errorMessage": "OK", "data": {"dataList": rows[offset : offset + limit],
                                                                   "total": len(rows)}})  # fmt: skip


@asynccontextmanager
async def serve_fxiaoke(fx: FakeFxiaoke | None = None) -> AsyncIterator[FakeFxiaoke]:
    fx = fx or FakeFxiaoke()
    app = Application([
        (r"/cgi/corpAccessToken/get/V2", TokenHandler, {"fx": fx}),
        (r"/cgi/crm/v2/data/query", QueryHandler, {"fx": fx}),
    ])  # fmt: skip
    server = HTTPServer(app)
    sockets = bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    fx.port = sockets[0].getsockname()[1]
    try:
        yield fx
    finally:
        server.stop()
