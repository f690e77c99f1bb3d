"""A Bot API emulator over HTTP for end-to-end tests: the FakeBotApi model behind a tornado server.

    api = FakeBotApi()
    async with serve_emulator(api) as base_url:  # "http://127.0.0.1:<free port>/bot"
        ...  # start the bot with TELEGRAM_BASE_URL=base_url, push updates, api.wait_for(...)

`run_emulator(api)` yields the Emulator instead, which also tells when a request arrived
(`wait_for_request`), answered or not. Standalone (benchmarks, manual runs): `python -m tests.emulator --port 8081`.
"""

from tests.emulator.server import (
    Emulator,
    decode_field,
    file_url,
    make_app,
    parse_request,
    run_emulator,
    serve_emulator,
)

__all__ = [
    "Emulator",
    "decode_field",
    "file_url",
    "make_app",
    "parse_request",
    "run_emulator",
    "serve_emulator",
]
