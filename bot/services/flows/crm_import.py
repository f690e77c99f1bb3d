"""File import (issue 14): a CSV or XLSX export sent to the bot becomes the user's results, after a preview.

A document (or /import, then a document) is checked against Telegram's 20 MB download limit before it
is downloaded, then read (bot.core.crm.files). A bad file gets its reply and nothing is written. A good
one goes through the questions it needs (bot.services.flows.crm_import_progress decides which), then the
preview, then Import writes everything in the update's transaction (bot.services.crm_import).

The dialog keeps the file's Telegram file_id, never its bytes: it downloads the file again when it needs
its rows, so a restart between the preview and Import still imports. A second document while an import
dialog is open replaces that dialog (the newest file is the one the user means).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.crm.files import MAX_FILE_BYTES, ColumnMapping, FileProblem, SheetChoice, Table
from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.i18n import N_
from bot.services.crm_hand_choice import HandChoice
from bot.services.crm_import_text import measure_name, preview_text, problem_text, team_preview_text
from bot.services.dialogs import ButtonRows, Flow, Question, Step
from bot.services.dialogs.parsing import echo, in_rows, typed_or_chosen
from bot.services.flows.crm_import_answers import CRM_IMPORT, ImportAnswers, fetch_table, stopped_text
from bot.services.flows.crm_import_mapping import (
    DEFAULT_KIND,
    KIND_OF,
    LABEL_LENGTH,
    REUSE,
    ROLES,
    WON,
    column_question_parts,
    keep_column,
    keep_kind_of,
    keep_won,
    kind_buttons,
    kind_of_text,
    mapping_summary,
    parse_kind,
    parse_won,
    pressed,
    typed_word,
    won_buttons,
    won_text,
)
from bot.services.flows.crm_import_progress import (
    HAND_CHOICE,
    NOTHING_NEW,
    PREVIEW,
    SHEET,
    FileReading,
    advance,
    forget_after,
)
from bot.services.flows.crm_import_team import (
    OWNER_MEMBER,
    OWNERS,
    TEAM,
    WHOSE,
    WHOSE_BUTTONS,
    keep_owner_member,
    keep_owners,
    keep_whose,
    owner_member_buttons,
    owner_member_text,
    owners_buttons,
    owners_text,
    parse_owner_member,
    parse_owners,
    parse_whose,
    whose_text,
)
from bot.services.flows.crm_import_write import currency_of, write_import
from bot.services.turn import Turn
from bot.storage.repositories.dialogs import DialogRepository
from bot.telegram.callbacks_crm_import import ImportButton, import_value

YES_WORDS = frozenset({"yes", "y", "ok", "sure", "是", "好", "好的", "用", "可以"})
NO_WORDS = frozenset({"no", "n", "不", "不用", "否", "重新"})
IMPORT_WORDS = frozenset({"import", "yes", "ok", "导入", "好", "确认"})


@dataclass(frozen=True)
class ReceivedDocument:
    """A document the user sent, as Telegram describes it (before anything is downloaded)."""

    file_id: str
    file_name: str
    file_size: int | None


@dataclass(frozen=True, eq=False)
class ImportQuestion(Question[ImportAnswers, Any]):
    """A question of the import dialog: its answer is kept, what followed it is forgotten, and `advance`
    decides the next question (reading the file again when it must)."""

    async def save(self, value: Any, turn: Turn, answers: ImportAnswers) -> str | None:
        forget_after(answers, self.name)
        await super().save(value, turn, answers)
        await advance(turn, answers)
        return None


def by_answers(value: object, turn: Turn, answers: ImportAnswers) -> str:
    return answers.step


def ask(
    name: str,
    text: str | Callable[[Turn, ImportAnswers], str],
    parser: Callable[[Answer, Turn, ImportAnswers], Any],
    store: Callable[[Any, ImportAnswers], None],
    buttons: Callable[[Turn, ImportAnswers], ButtonRows] | tuple[tuple[tuple[str, str], ...], ...] = (),
) -> ImportQuestion:
    def kept(value: Any, turn: Turn, answers: ImportAnswers) -> None:
        store(value, answers)

    return ImportQuestion(name=name, text=text, parser=parser, buttons=buttons, store=kept, next=by_answers)


# The sheet of a workbook with several ----------------------------------------------------------


def sheet_buttons(turn: Turn, answers: ImportAnswers) -> ButtonRows:
    sheets = [Button(echo(name)[:LABEL_LENGTH], import_value(ImportButton.SHEET, i))
              for i, name in enumerate(answers.sheets)]  # fmt: skip
    return in_rows(sheets, 2)


def parse_sheet(answer: Answer, turn: Turn, answers: ImportAnswers) -> str:
    index = pressed(answer, ImportButton.SHEET)
    if index is not None and index < len(answers.sheets):
        return answers.sheets[index]
    typed = typed_or_chosen(answer).casefold() if answer.choice is None else ""
    found = next((sheet for sheet in answers.sheets if typed and sheet.casefold() == typed), None)
    if found is None:
        raise Reject(turn._("Please tap one of the sheets, or type its name."))
    return found


def keep_sheet(value: str, answers: ImportAnswers) -> None:
    answers.sheet = value


# The mapping from last time --------------------------------------------------------------------


def reuse_text(turn: Turn, answers: ImportAnswers) -> str:
    mapping = ColumnMapping.from_json(answers.remembered or {})
    return turn._(
        "You mapped a file with these columns before:\n{mapping}\nUse the mapping from last time?",
        mapping=mapping_summary(mapping, answers.headers, turn._),
    )


REUSE_BUTTONS = (
    (
        (N_("✔ Yes, use it"), import_value(ImportButton.YES)),
        (N_("Map it again"), import_value(ImportButton.NO)),
    ),
)


def parse_yes_no(answer: Answer, turn: Turn, answers: ImportAnswers) -> bool:
    if pressed(answer, ImportButton.YES) is not None or typed_word(answer, YES_WORDS):
        return True
    if pressed(answer, ImportButton.NO) is not None or typed_word(answer, NO_WORDS):
        return False
    raise Reject(turn._("Please tap “Yes, use it” or “Map it again”."))


def keep_reuse(value: bool, answers: ImportAnswers) -> None:
    answers.reuse = value
    if not value:
        answers.columns, answers.won_values, answers.won_done = {}, [], False


def keep_default_kind(value: str, answers: ImportAnswers) -> None:
    answers.default_kind = value


# The preview and Import ------------------------------------------------------------------------


def shown_preview(turn: Turn, answers: ImportAnswers) -> str:
    if answers.whose == TEAM:
        return team_preview_text(
            answers.file_name, answers.rows, answers.team_previews, answers.skipped_owners, answers.skipped,
            answers.currency, turn._,
        )  # fmt: skip
    assert answers.preview is not None
    return preview_text(answers.file_name, answers.preview, answers.currency, turn._)


PREVIEW_BUTTONS = (((N_("📥 Import"), import_value(ImportButton.IMPORT)),),)


def parse_import(answer: Answer, turn: Turn, answers: ImportAnswers) -> bool:
    if pressed(answer, ImportButton.IMPORT) is not None or typed_word(answer, IMPORT_WORDS):
        return True
    raise Reject(turn._("Tap Import to import these results, or Cancel."))


def keep_import(value: bool, answers: ImportAnswers) -> None:
    answers.confirmed = value


# Hand logging or the CRM, per measure ---------------------------------------------------------


def choice_measure(answers: ImportAnswers) -> str:
    return next((m for m in answers.choices_needed if m not in answers.hand_choices), "")


def hand_choice_text(turn: Turn, answers: ImportAnswers) -> str:
    measure = choice_measure(answers)
    days = answers.preview.overlap_days.get(measure, 0) if answers.preview else 0
    name = measure_name(measure, turn._)  # outside the call: the catalog extractor reads its arguments
    return turn._.plural(
        "On {count} day you logged {measure} by hand and the file has {measure} too. From now on, should the "
        "CRM replace hand logging for {measure}, or keep both?",
        "On {count} days you logged {measure} by hand and the file has {measure} too. From now on, should the "
        "CRM replace hand logging for {measure}, or keep both?",
        days,
        count=days,
        measure=name,
    )


HAND_CHOICE_BUTTONS = (
    ((N_("The CRM replaces hand logging"), import_value(ImportButton.CRM)),),
    ((N_("Keep both"), import_value(ImportButton.BOTH)),),
)


def parse_hand_choice(answer: Answer, turn: Turn, answers: ImportAnswers) -> bool:
    if pressed(answer, ImportButton.CRM) is not None or typed_word(
        answer, frozenset({"crm", "replace", "替换"})
    ):
        return True
    if pressed(answer, ImportButton.BOTH) is not None or typed_word(
        answer, frozenset({"both", "keep", "都保留"})
    ):
        return False
    raise Reject(turn._("Please tap one of the two choices."))


def keep_hand_choice(value: bool, answers: ImportAnswers) -> None:
    answers.hand_choices = {**answers.hand_choices, choice_measure(answers): value}


def role_question(index: int) -> ImportQuestion:
    name = ROLES[index].name
    text, buttons, parser = column_question_parts(name)
    return ask(name, text, parser, lambda value, answers: keep_column(name, value, answers), buttons)


def crm_import_flow() -> Flow[ImportAnswers]:
    steps: list[Step[ImportAnswers, Any]] = [
        ask(SHEET, N_("This workbook has several sheets. Which one holds the records?"), parse_sheet, keep_sheet,
            sheet_buttons),
        ask(REUSE, reuse_text, parse_yes_no, keep_reuse, REUSE_BUTTONS),
        *(role_question(index) for index in range(len(ROLES))),
        ask(WON, won_text, parse_won, keep_won, won_buttons),
        ask(DEFAULT_KIND, N_("What are the rows of this file?"), parse_kind, keep_default_kind, kind_buttons),
        ask(KIND_OF, kind_of_text, parse_kind, keep_kind_of, kind_buttons),
        ask(WHOSE, whose_text, parse_whose, keep_whose, WHOSE_BUTTONS),
        ask(OWNERS, owners_text, parse_owners, keep_owners, owners_buttons),
        ask(OWNER_MEMBER, owner_member_text, parse_owner_member, keep_owner_member, owner_member_buttons),
        ask(PREVIEW, shown_preview, parse_import, keep_import, PREVIEW_BUTTONS),
        ask(HAND_CHOICE, hand_choice_text, parse_hand_choice, keep_hand_choice, HAND_CHOICE_BUTTONS),
    ]  # fmt: skip
    return Flow(
        CRM_IMPORT, ImportAnswers, steps, finish_import, cancelled_message=N_("Nothing was imported.")
    )


async def finish_import(turn: Turn, answers: ImportAnswers) -> Sequence[Outgoing]:
    """The dialog's end: why it stopped, or the import written and its outcome."""
    if answers.stop == NOTHING_NEW:
        return [Outgoing(shown_preview(turn, answers))]
    if answers.stop:
        return [Outgoing(stopped_text(turn, answers.stop))]
    choices = {
        measure: HandChoice.CRM if crm else HandChoice.BOTH for measure, crm in answers.hand_choices.items()
    }
    return await write_import(turn, answers, choices)


async def start_import(turn: Turn) -> list[Outgoing]:
    """/import: what to send."""
    return [
        Outgoing(
            turn._(
                "Send me your CRM export as a file: a CSV or XLSX of deals, orders, calls or meetings (Zoho CRM "
                "and Fxiaoke exports are recognised; for any other I ask which column is which). I show a "
                "preview before anything is imported."
            )
        )
    ]


async def receive_document(turn: Turn, document: ReceivedDocument) -> list[Outgoing]:
    """A document in the private chat: an import starts (replacing an import dialog already open)."""
    if document.file_size is not None and document.file_size > MAX_FILE_BYTES:
        return [Outgoing(problem_text(FileProblem.TOO_BIG, turn._))]
    answers = ImportAnswers(file_id=document.file_id, file_name=document.file_name[:200] or "file",
                            currency=await currency_of(turn))  # fmt: skip
    found = await fetch_table(turn, answers, None)
    if isinstance(found, SheetChoice):
        answers.sheets = list(found.sheets)
    elif not isinstance(found, Table):
        return [Outgoing(stopped_text(turn, found.value if isinstance(found, FileProblem) else found))]
    await advance(turn, answers, FileReading(found if isinstance(found, Table) else None))
    if answers.stop:
        if answers.stop == NOTHING_NEW:  # a readable newest file: it replaces an open import all the same
            await _close_open_import(turn)
        return list(await finish_import(turn, answers))
    return await turn.services.dialogs.start(turn, CRM_IMPORT, answers=answers, first_step=answers.step)


async def _close_open_import(turn: Turn) -> None:
    """The newest file replaces an import dialog still open, even when it ends at once."""
    repository = DialogRepository(turn.session)
    state = await repository.get_for_update(turn.user.id)
    if state is not None and state.flow == CRM_IMPORT:
        await repository.remove(turn.user.id)
