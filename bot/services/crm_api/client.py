"""What every CRM client gives the sync: the connection test, then pages of changes and of deletions.

A page carries the cursor that covers it: the sync writes the page's records and moves the connection's
cursor in one transaction, so a sync killed between pages resumes after the last page it committed.
Fetching from a cursor includes the records modified at the cursor's instant again: writing a record
again is a no-op (its fingerprint is unchanged), missing one would lose it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from bot.core.crm.records import CrmRecord, CrmSystem


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the user pasted, by system. Zoho: client_id, client_secret, refresh_token. Fxiaoke: app_id,
    app_secret, permanent_code, open_user_id. Kept only in memory and, sealed, in crm_connections."""

    values: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def __repr__(self) -> str:  # never the values
        return f"Credentials({sorted(self.values)})"


@dataclass(frozen=True, slots=True)
class ChangePage:
    records: tuple[CrmRecord, ...]
    cursor: str | None  # the cursor once this page is written (None: unchanged)
    skipped: int = 0  # records the client could not read (no closing date, say)
    removed: tuple[str, ...] = ()  # ids the CRM reports as voided in the same listing (Fxiaoke's invalid)


@dataclass(frozen=True, slots=True)
class DeletionPage:
    record_ids: tuple[str, ...]
    cursor: str | None


class CrmClient(Protocol):
    system: CrmSystem

    async def connect(self) -> str | None:
        """Test the credentials (one token request); the API domain to keep, if the CRM names one."""
        ...

    def changes(self, cursor: str | None) -> AsyncIterator[ChangePage]:
        """Pages of records modified at or after `cursor` (all of them when None), oldest first."""
        ...

    def deletions(self, cursor: str | None) -> AsyncIterator[DeletionPage]:
        """Pages of ids of records deleted at or after `cursor`."""
        ...
