"""Every bad file of issue 14's item 7: a clear reply in the user's language, and nothing written."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.crm_models import CrmRecordRow
from bot.storage.models import DialogState, Entry
from tests.auxil.chat import Chat
from tests.auxil.database import fetch, rows

MB = 1024 * 1024


async def nothing_written(engine: AsyncEngine, chat: Chat) -> None:
    assert await rows(engine, CrmRecordRow, user_id=chat.id) == []
    assert await rows(engine, Entry) == []
    assert await fetch(engine, DialogState, chat.id) is None


async def test_import_says_what_to_send(make_chat: Callable[..., Chat]) -> None:
    chat = make_chat()
    [told] = await chat.send("/import")
    assert "CSV or XLSX" in told.text and "preview" in told.text
    [told] = await make_chat(language_code="zh-hans").send("/import")
    assert "预览" in told.text


async def test_over_20_mb_is_refused_before_any_download(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    for language, expected in (("en", "over 20 MB"), ("zh-hans", "20 MB")):
        chat = make_chat(language_code=language)
        [told] = await chat.feed(chat.api.document_update(chat.user, size=21 * MB, file_name="deals.csv"))
        assert expected in told.text
        assert not [call for call in chat.api.calls if call.method == "getFile"]
        await nothing_written(engine, chat)
