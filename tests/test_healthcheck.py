"""The container's probe (`python -m bot.healthcheck`): the right port, and 200 alone is healthy."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.healthcheck import probe, readyz_url


def test_the_port_follows_the_mode() -> None:
    assert readyz_url({}) == "http://127.0.0.1:8080/readyz"
    assert readyz_url({"HEALTH_PORT": "9100"}) == "http://127.0.0.1:9100/readyz"
    webhook = {"WEBHOOK_URL": "https://bot.example.com/hook", "WEBHOOK_PORT": "8444", "HEALTH_PORT": "9100"}
    assert readyz_url(webhook) == "http://127.0.0.1:8444/readyz"
    assert readyz_url({"WEBHOOK_URL": "https://bot.example.com/hook"}) == "http://127.0.0.1:8443/readyz"


@pytest.fixture
def readyz() -> Iterator[tuple[str, list[int]]]:
    """A /readyz that answers the status at the head of the list."""
    answers = [200]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status = answers[0]
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok" if status == 200 else b"database: unreachable")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/readyz", answers
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def test_only_200_is_healthy(readyz: tuple[str, list[int]]) -> None:
    url, answers = readyz
    assert probe(url) == (True, f"{url}: 200")
    answers[0] = 503
    assert probe(url) == (False, f"{url}: 503 database: unreachable")
    assert probe("http://127.0.0.1:9/readyz", timeout=2)[0] is False  # nothing listens
