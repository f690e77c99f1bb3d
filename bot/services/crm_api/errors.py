"""What can go wrong talking to a CRM's API, as codes: /crm shows them translated, logs show the code.

A CRM's error text may echo what was sent (a client id, a token), so it is never kept: only the code
and, for limits, when to try again.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


class SyncProblem(StrEnum):
    RATE_LIMITED = "rate_limited"  # too many requests now (HTTP 429): try again when the CRM says
    QUOTA = "quota"  # the day's API credits (Zoho) or the purchased quota (Fxiaoke) are spent
    REFUSED = "refused"  # the credentials were refused (revoked refresh token, wrong app secret)
    UNAVAILABLE = "unavailable"  # the CRM or the network failed (5xx, timeout, connection refused)
    BAD_RESPONSE = "bad_response"  # an answer the client cannot read (not JSON, missing fields)
    NOT_MANAGED = "not_managed"  # a team connection whose connector no longer runs the team: nothing read


class CrmApiError(Exception):
    """A CRM call that failed; `retry_at` is when the CRM allows the next one, if it said."""

    def __init__(self, problem: SyncProblem, *, retry_at: datetime | None = None, detail: str = "") -> None:
        # `detail` is ours (an HTTP status, the CRM's error *code*), never the CRM's message or a secret.
        super().__init__(f"{problem}{f' ({detail})' if detail else ''}")
        self.problem = problem
        self.retry_at = retry_at
        self.detail = detail
