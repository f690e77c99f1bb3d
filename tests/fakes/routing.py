"""Sends requests for the CRMs' real hosts (accounts.zoho.eu, www.zohoapis.com, open.fxiaoke.com) to the
fake servers on 127.0.0.1, keeping the real host in the Host header, so the clients build the URLs they
would in production and the fakes see which data centre was asked."""

from __future__ import annotations

import httpx


class RoutedTransport(httpx.AsyncBaseTransport):
    def __init__(self, route: dict[str, int]) -> None:
        # A host suffix ("zoho.eu", "zohoapis.com", "fxiaoke.com") -> the port of the fake that serves it.
        self.route = route
        self.inner = httpx.AsyncHTTPTransport()

    def port_for(self, host: str) -> int:
        for suffix, port in sorted(self.route.items(), key=lambda item: -len(item[0])):
            if host == suffix or host.endswith("." + suffix) or host.endswith(suffix):
                return port
        raise httpx.ConnectError(f"no fake serves {host}")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port_for(host))
        request.headers["Host"] = host
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
