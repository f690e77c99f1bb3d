"""The Bot API transport, counting the calls Telegram answered with an error by their code (web15)."""

from __future__ import annotations

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from bot.services.metrics import Metrics
from bot.telegram.wrapped_request import WrappedRequest


class CountedRequest(WrappedRequest):
    """Wraps a transport: every non-200 answer counts quota_coach_telegram_api_errors_total{code}; a request that got
    no answer (the network) counts code "network"."""

    def __init__(self, inner: BaseRequest, metrics: Metrics) -> None:
        super().__init__(inner)
        self.metrics = metrics

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        try:
            code, payload = await self.inner.do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
        except NetworkError:
            self.metrics.telegram_errors.labels(code="network").inc()
            raise
        if code != 200:
            self.metrics.telegram_errors.labels(code=str(code)).inc()
        return code, payload
