"""`python -m bot shell`: chat with the bot in the terminal through the same Application and handlers.

What the bot sends is printed; inline buttons are numbered and pressed by typing the number.
Photos and documents are saved to a folder and their paths printed.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from telegram import Update

from bot.app import build_application, shutdown, startup
from bot.devtools.fake_bot_api import FakeBotApi, SentCall
from bot.devtools.inprocess_request import InProcessRequest
from bot.services.container import Services
from bot.services.inbox import newest_update_id
from bot.settings import Settings

SHELL_USER_ID = 1
HELP = (
    "Type a message and press Enter. A number presses that button of the latest message\n"
    "(a number with no such button is sent as text; start with ' to send a number as text).\n"
    ":sticker sends a sticker, :photo a photo, :file PATH that file (a CRM export for /import, say);\n"
    ":quit (or Ctrl-D) leaves."
)


class ShellScreen:
    """Prints what the bot sends and remembers the newest buttons."""

    def __init__(self, output_dir: Path, out: TextIO) -> None:
        self.output_dir = output_dir
        self.out = out
        self.buttons_message: SentCall | None = None
        self.saved = 0

    def show(self, call: SentCall) -> None:
        if call.method in ("sendMessage", "sendPhoto", "sendDocument"):
            self._print_message(call)
        elif (
            call.method == "editMessageReplyMarkup"
            and self.buttons_message is not None
            and call.params.get("message_id") == self.buttons_message.result["message_id"]
        ):
            self.buttons_message = None

    def _print_message(self, call: SentCall) -> None:
        for name, content in call.files.items():
            self.saved += 1
            suffix = (
                ".png" if call.method == "sendPhoto" else Path(call.file_names.get(name, "")).suffix or ".bin"
            )
            path = self.output_dir / f"{self.saved:03d}-{name}{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            print(f"bot> [{call.method.removeprefix('send').lower()} saved to {path}]", file=self.out)
        if call.text:
            print("bot> " + call.text.replace("\n", "\n     "), file=self.out)
        buttons = [button["text"] for row in call.buttons for button in row]
        if buttons:
            self.buttons_message = call
            print("     " + "  ".join(f"[{i}] {label}" for i, label in enumerate(buttons, 1)), file=self.out)
        print(file=self.out, flush=True)

    def button_data(self, number: int) -> tuple[dict[str, Any], str] | None:
        if self.buttons_message is None:
            return None
        buttons = [button for row in self.buttons_message.buttons for button in row]
        if not 1 <= number <= len(buttons):
            return None
        return self.buttons_message.result, str(buttons[number - 1]["callback_data"])


def shell_language() -> str:
    return "zh" if os.environ.get("LANG", "").lower().startswith("zh") else "en"


async def run_shell(
    settings: Settings, read_line: Callable[[], str] = input, out: TextIO = sys.stdout
) -> None:
    api = FakeBotApi()
    screen = ShellScreen(settings.shell_output_dir, out)
    api.listeners.append(screen.show)
    application = build_application(settings, request=InProcessRequest(api), rate_limited=False)
    me = api.user(SHELL_USER_ID, first_name=getpass.getuser().title(), language_code=shell_language())
    print(HELP + "\n", file=out, flush=True)
    async with application:
        await startup(application)
        api.continue_update_ids(await last_handled_update_id(application.bot_data.services))
        await application.start()  # Runs the JobQueue, so review prompts arrive here at their local time.
        while True:
            try:
                line = await asyncio.to_thread(read_line)
            except (EOFError, KeyboardInterrupt):
                break
            line = line.strip()
            if line in (":quit", ":q", ":exit"):
                break
            if not line:
                continue
            update = _update_for(line, api, me, screen)
            if update is not None:
                await application.process_update(Update.de_json(update, application.bot))
        await application.stop()
        # PTB runs post_shutdown only from run_polling: the shell writes down its last sends itself, or on
        # PostgreSQL the next shell would wait out their lease before its first reply.
        await shutdown(application)
    print("bye", file=out)


async def last_handled_update_id(services: Services) -> int:
    """The newest update the inbox holds: the in-memory Bot API numbers from 1 at each start, and an
    update id the inbox has handled already would be ignored as a re-delivery."""
    return await newest_update_id(services)


def _update_for(line: str, api: FakeBotApi, me: dict[str, Any], screen: ShellScreen) -> Any:
    if line == ":sticker":
        return api.sticker_update(me)
    if line == ":photo":
        return api.photo_update(me)
    if line.startswith(":file "):
        path = Path(line.removeprefix(":file ").strip()).expanduser()
        if not path.is_file():
            print(f"(no file at {path}: nothing sent)", file=screen.out)
            return None
        return api.document_update(me, path.read_bytes(), file_name=path.name)
    if line.startswith("'"):
        return api.message_update(me, line[1:])
    pressed = screen.button_data(int(line)) if line.isdigit() and len(line) <= 2 else None
    if pressed is not None:
        message, data = pressed
        return api.callback_update(me, message, data)
    return api.message_update(me, line)
