"""The file import dialog's button values (family "ci"), encoded and decoded in one place. Never trusted.

The import dialog is a dialog (bot/services/flows/crm_import.py), so its buttons travel as
`d:<version>:ci:<action>:<index>` (bot.telegram.callbacks): the version spots a press from an older
prompt, and this family's strict decoding spots a forged value. An index names a column, a value of a
column, a sheet, an owner or a team member by its place in the lists the dialog holds (never a name, which
could pass 64 bytes); it is checked here against MAX_INDEX and by the dialog against its own lists.

    ci:<action>          a plain choice (import, cancel, none, done, yes, no, own, team, crm, both, skip)
    ci:<action>:<index>  a column, a column value, a sheet, an owner, a member, a kind
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.telegram.callbacks import MAX_DIALOG_VALUE

CRM_IMPORT = "ci"
# Far above any list the dialog shows (columns of a file, values offered as buttons) and small enough
# that a forged number never reaches int() as a huge one.
MAX_INDEX = 999


class ImportButton(StrEnum):
    IMPORT = "import"
    CANCEL = "cancel"
    NONE = "none"  # a role the file has no column for
    DONE = "done"  # the won values are chosen
    YES = "yes"  # use the mapping from last time
    NO = "no"
    OWN = "own"  # a manager's file: their own results
    TEAM = "team"  # ... or the team's
    CONFIRM = "confirm"  # the owner mapping as shown
    CRM = "crm"  # the CRM replaces hand logging for a measure
    BOTH = "both"  # keep both
    SKIP = "skip"  # an owner matched to nobody
    COLUMN = "col"  # :index of a header
    VALUE = "val"  # :index of a distinct value of the column in question
    SHEET = "sheet"  # :index of a sheet
    OWNER = "owner"  # :index of an owner name, to change its member
    MEMBER = "member"  # :index of a team member
    KIND = "kind"  # :index of a record kind (bot.services.flows.crm_import_mapping.KIND_CHOICES)


WITH_INDEX = frozenset(
    {
        ImportButton.COLUMN,
        ImportButton.VALUE,
        ImportButton.SHEET,
        ImportButton.OWNER,
        ImportButton.MEMBER,
        ImportButton.KIND,
    }
)


@dataclass(frozen=True, slots=True)
class ImportPress:
    button: ImportButton
    index: int | None  # None for the buttons without one


_CHOICE = "|".join(re.escape(button.value) for button in ImportButton)
_PATTERN = re.compile(rf"ci:({_CHOICE})(?::(0|[1-9]\d{{0,2}}))?")


def import_value(button: ImportButton, index: int | None = None) -> str:
    """The dialog value of an import button; `index` for the buttons that name a place in a list."""
    if (button in WITH_INDEX) != (index is not None):
        raise ValueError(f"the {button} button {'needs' if button in WITH_INDEX else 'takes no'} index")
    if index is not None and not 0 <= index <= MAX_INDEX:
        raise ValueError(f"index outside 0..{MAX_INDEX}: {index}")
    value = f"{CRM_IMPORT}:{button}" if index is None else f"{CRM_IMPORT}:{button}:{index}"
    assert len(value) <= MAX_DIALOG_VALUE
    return value


def parse_import_value(value: str | None) -> ImportPress | None:
    """The press a value names, or None for anything import_value would not have written (forged, or text)."""
    match = _PATTERN.fullmatch(value) if value is not None else None
    if match is None:
        return None
    button = ImportButton(match[1])
    if (button in WITH_INDEX) != (match[2] is not None):
        return None
    return ImportPress(button, int(match[2]) if match[2] is not None else None)
