"""A CRM connection's state, as /crm shows it: moved by the sync (bot/services/crm_sync.py) after each run.

    connected -> connected   a sync ran to its end (or nothing was due)
    connected -> limited     the CRM said "too many requests" or the day's credits/quota are spent: the
                             pages already written stay; the next try is when the CRM says (or next slot)
    connected -> failing     the CRM or the network failed (5xx, timeout): tried again next slot
    connected -> refused     the CRM refused the credentials (a revoked refresh token, a wrong app
                             secret): syncs stop until the user connects again
    limited/failing -> any of them, as the next run ends; refused -> connected only by a new connect.
Disconnecting deletes the row (and with it the credentials); the records already imported stay.
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.lifecycle import Lifecycle


class ConnectionStatus(StrEnum):
    CONNECTED = "connected"
    LIMITED = "limited"
    FAILING = "failing"
    REFUSED = "refused"


_C = ConnectionStatus
_AFTER_A_RUN = frozenset({_C.CONNECTED, _C.LIMITED, _C.FAILING, _C.REFUSED})
CONNECTIONS: Lifecycle[ConnectionStatus] = Lifecycle(
    "crm connection",
    initial=_C.CONNECTED,
    moves={
        _C.CONNECTED: _AFTER_A_RUN,
        _C.LIMITED: _AFTER_A_RUN,
        _C.FAILING: _AFTER_A_RUN,
        _C.REFUSED: frozenset({_C.CONNECTED}),  # new credentials pasted in /crm
    },
)

# The states in which the scheduler still runs the connection's syncs.
SYNCING = frozenset({_C.CONNECTED, _C.LIMITED, _C.FAILING})
