"""A Bot API transport around another one: the part every wrapper shares (its timeouts, start and stop),
so a wrapper only says what it adds to a request (counting errors, waiting out a refused token)."""

from __future__ import annotations

from telegram.request import BaseRequest


class WrappedRequest(BaseRequest):
    """Delegates to `inner`; subclasses override do_request and call `self.inner.do_request` in it."""

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()
