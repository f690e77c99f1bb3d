"""`python -m bot.healthcheck`: the container's health probe, exit 0 when /readyz answers 200.

The image has no curl; Python's urllib is there. The port is the one the bot serves /readyz on
(web15): WEBHOOK_PORT in webhook mode (WEBHOOK_URL set), else HEALTH_PORT. It reads the
environment only (not Settings), so a probe never fails on a setting the bot itself would report.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Mapping

DEFAULT_WEBHOOK_PORT = 8443
DEFAULT_HEALTH_PORT = 8080
TIMEOUT_SECONDS = 5.0


def readyz_url(env: Mapping[str, str]) -> str:
    """Where the bot in this environment answers /readyz."""
    if env.get("WEBHOOK_URL", "").strip():
        port = env.get("WEBHOOK_PORT", "").strip() or str(DEFAULT_WEBHOOK_PORT)
    else:
        port = env.get("HEALTH_PORT", "").strip() or str(DEFAULT_HEALTH_PORT)
    return f"http://127.0.0.1:{port}/readyz"


def probe(url: str, timeout: float = TIMEOUT_SECONDS) -> tuple[bool, str]:
    """Whether `url` answers 200, and one line saying what it answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200, f"{url}: {response.status}"
    except urllib.error.HTTPError as error:  # 503 names the failing check in its body
        body = error.read(200).decode("utf-8", "replace").strip()
        return False, f"{url}: {error.code} {body}"
    except (urllib.error.URLError, OSError) as error:
        return False, f"{url}: {error}"


def main() -> None:
    healthy, line = probe(readyz_url(os.environ))
    print(line)
    raise SystemExit(0 if healthy else 1)


if __name__ == "__main__":
    main()
