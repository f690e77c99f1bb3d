"""Telegram's limit for one group: about 20 messages a minute (Bot FAQ, "My bot is hitting limits").

The outbox counts a group's own recent sends (its rows, so every process sending to the group counts
them alike) and holds the group's next message until the window has room; nothing sleeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

MESSAGES_PER_WINDOW = 20
WINDOW = timedelta(minutes=1)


def is_group_chat(chat_id: int) -> bool:
    """Groups, supergroups and channels have negative ids; people have positive ones."""
    return chat_id < 0


def window_opens(
    recent_sends: Sequence[datetime],
    now: datetime,
    limit: int = MESSAGES_PER_WINDOW,
    window: timedelta = WINDOW,
) -> datetime | None:
    """When the group may get its next message: None for now, else the instant the oldest send that fills
    the window leaves it. `recent_sends` are the group's send times, any order."""
    inside = sorted(at for at in recent_sends if at > now - window)
    if len(inside) < limit:
        return None
    return inside[-limit] + window
