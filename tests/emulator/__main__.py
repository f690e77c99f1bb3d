"""`python -m tests.emulator --port N`: serve an empty FakeBotApi until Ctrl+C or SIGTERM.

The first line of stdout is the base URL (for TELEGRAM_BASE_URL), so scripts can read it. Updates are
pushed and sent messages read through the control routes:
    POST /_emulator/updates   an Update (or a list of them) for getUpdates
    GET  /_emulator/calls?since=N   the Bot API calls the bot made from the N-th on
    POST /_emulator/faults    {"status": 429, "description": "...", "retry_after": 1, "method": "sendMessage"}
    POST /_emulator/clock     {"advance": 16}: move the emulator's clock (callback queries age, windows pass)
    POST /_emulator/flood     {"storm": 35} / {"calm": true} / {"limit": true} / {"limit": false}
Telegram's rules (bot/devtools/telegram_rules.py) hold as in the in-process model: the same FakeBotApi.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from bot.devtools.fake_bot_api import FakeBotApi
from tests.emulator.server import file_url, serve_emulator


async def serve(host: str, port: int, token: str | None, bot_username: str) -> None:
    api = FakeBotApi(bot_username=bot_username)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with serve_emulator(api, host=host, port=port, token=token) as base_url:
        print(base_url, flush=True)
        print(
            f"Bot API emulator ready. Run the bot with TELEGRAM_BASE_URL={base_url} "
            f"TELEGRAM_BASE_FILE_URL={file_url(base_url)}; Ctrl+C stops.",
            file=sys.stderr,
            flush=True,
        )
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.emulator", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8081, help="port to listen on; 0 picks a free one")
    parser.add_argument("--token", help="accept only this bot token (others get 401 Unauthorized)")
    parser.add_argument("--bot-username", default="QuotaCoachBot", help="the username getMe reports")
    parser.add_argument("--verbose", action="store_true", help="log every request (token hidden)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    if args.verbose:
        logging.getLogger("tests.emulator").setLevel(logging.DEBUG)
    asyncio.run(serve(args.host, args.port, args.token, args.bot_username))


if __name__ == "__main__":
    main()
