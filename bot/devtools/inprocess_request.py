"""A python-telegram-bot transport that answers from a FakeBotApi in the same process, with no network."""

from __future__ import annotations

import json
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.telegram_rules import error_body

FILE_URL_MARK = "/file/bot"


class InProcessRequest(BaseRequest):
    """Hands each Bot API call to `api.call` and returns its answer as the HTTP layer would."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

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
        if FILE_URL_MARK in url:  # a download: <base_file_url><token>/<file_path>, as File.download_* asks
            return self.download(url.split(FILE_URL_MARK, 1)[1].split("/", 1)[-1])
        api_method = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        file_names: dict[str, str] = {}
        if request_data is not None:
            # PTB has already turned Telegram objects into plain JSON values here.
            params = dict(request_data.parameters)
            for name, (filename, content, *_rest) in request_data.multipart_data.items():
                files[name] = content if isinstance(content, bytes) else content.read()
                file_names[name] = str(filename)
        status, body = await self.api.call(api_method, params, files, file_names)
        return status, json.dumps(body).encode()

    def download(self, file_path: str) -> tuple[int, bytes]:
        content = self.api.files.download(file_path)
        if content is None:
            return 404, json.dumps(error_body(404, "Not Found")).encode()
        return 200, content
