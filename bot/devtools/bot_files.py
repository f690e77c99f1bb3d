"""Files of the emulated Bot API: what users sent and the bot uploaded, for getFile and downloads.

getFile answers a File with a file_path that the bot downloads from the file URL
(https://core.telegram.org/bots/api#getfile), for files up to 20 MB; a bigger one is refused with
"file is too big" (tdlib/telegram-bot-api Client::do_get_file). An unknown file_id is "invalid file_id".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from bot.devtools.telegram_rules import (
    FILE_ID_EMPTY,
    FILE_TOO_BIG,
    INVALID_FILE_ID,
    MAX_DOWNLOAD_BYTES,
    bad_request,
)

JSON = dict[str, Any]


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    size: int
    path: str
    content: bytes | None  # None: a file known only by its size (a user's 30 MB video, say)

    def described(self) -> JSON:
        """The file as it appears inside a message (PhotoSize, Document, ...)."""
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": self.size}


class BotFiles:
    def __init__(self) -> None:
        self.by_id: dict[str, StoredFile] = {}
        self._numbers = itertools.count(1)

    def add(self, kind: str, content: bytes | None = None, size: int | None = None) -> StoredFile:
        """Store a file of `kind` ("photos", "documents", ...) given by its bytes or only its size."""
        number = next(self._numbers)
        stored = StoredFile(
            file_id=f"{kind}-{number}",
            file_unique_id=f"u{kind[:2]}{number}",
            size=len(content) if content is not None else int(size or 0),
            path=f"{kind}/file_{number}",
            content=content,
        )
        self.by_id[stored.file_id] = stored
        return stored

    def get_file(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id") or "")
        if not file_id:
            raise bad_request(FILE_ID_EMPTY)
        stored = self.by_id.get(file_id)
        if stored is None:
            raise bad_request(INVALID_FILE_ID)
        if stored.size > MAX_DOWNLOAD_BYTES:
            raise bad_request(FILE_TOO_BIG)
        return {**stored.described(), "file_path": stored.path}

    def download(self, path: str) -> bytes | None:
        """The bytes at a file_path from getFile; None for a path no getFile gave."""
        stored = next((f for f in self.by_id.values() if f.path == path), None)
        if stored is None or stored.size > MAX_DOWNLOAD_BYTES:
            return None
        return stored.content if stored.content is not None else bytes(stored.size)
