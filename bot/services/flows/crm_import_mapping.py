"""The mapping dialog for a file whose layout we do not know: which column holds what, which values mean won,
what each row is. Buttons name columns and values by index (checked against the lists the dialog holds);
a typed column name or value is understood the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.core.crm.files import ColumnMapping, normalise_header
from bot.core.crm.files.mapping import normalise_value
from bot.core.crm.records import RecordKind
from bot.core.dialog import Answer, Button, Reject
from bot.i18n import N_, Translator
from bot.services.dialogs import ButtonRows
from bot.services.dialogs.parsing import echo, in_rows, typed_or_chosen
from bot.services.flows.crm_import_answers import ImportAnswers, same_value
from bot.services.turn import Turn
from bot.telegram.callbacks_crm_import import ImportButton, import_value, parse_import_value

MAX_COLUMN_BUTTONS = 40  # more columns than that are named by typing
LABEL_LENGTH = 30
NONE_WORDS = frozenset({"none", "no", "nothing", "-", "无", "没有", "不用", "跳过"})
DONE_WORDS = frozenset({"done", "ok", "that's all", "完成", "好了", "好", "就这些"})


@dataclass(frozen=True)
class Role:
    """A column the mapping asks for: its answers key, its question, whether the file may lack it."""

    name: str
    question: str
    optional: bool


ROLES = (
    Role("record_id", N_("Which column holds each record's id? Without one, I tell rows apart by their content."), True),
    Role("day", N_("Which column holds the date: a deal's closing date, the day of a call or visit?"), False),
    Role("amount", N_("Which column holds the amount?"), True),
    Role("state", N_("Which column holds the stage or status (won, lost, in progress)?"), True),
    Role("owner", N_("Which column holds the owner, the salesperson each row belongs to?"), True),
    Role("kind", N_("Which column says what each row is (a deal, a call, a visit)?"), True),
)  # fmt: skip
ROLE_NAMES = tuple(role.name for role in ROLES)
# What a row can be, in the order the kind questions offer it.
KIND_CHOICES = (
    (RecordKind.DEAL, N_("Deal")),
    (RecordKind.ORDER, N_("Order")),
    (RecordKind.CALL, N_("Call")),
    (RecordKind.VISIT, N_("Visit")),
    (RecordKind.MEETING, N_("Meeting")),
    (RecordKind.TASK, N_("Other (not counted)")),
)
WON, KIND_OF, DEFAULT_KIND, REUSE = "won", "kind_of", "default_kind", "reuse"
MAPPING_STEPS = frozenset({*ROLE_NAMES, WON, KIND_OF, DEFAULT_KIND, REUSE})


def role(name: str) -> Role:
    return next(found for found in ROLES if found.name == name)


def pressed(answer: Answer, button: ImportButton) -> int | None:
    """The index a press of `button` carries (0 for a button without one); None for anything else."""
    press = parse_import_value(answer.choice)
    if press is None or press.button is not button:
        return None
    return press.index if press.index is not None else 0


def typed_word(answer: Answer, words: frozenset[str]) -> bool:
    return answer.choice is None and (answer.text or "").strip().casefold() in words


def column_buttons(turn: Turn, answers: ImportAnswers, optional: bool) -> ButtonRows:
    columns = [
        Button(echo(header)[:LABEL_LENGTH], import_value(ImportButton.COLUMN, index))
        for index, header in enumerate(answers.headers[:MAX_COLUMN_BUTTONS])
    ]
    rows = in_rows(columns, 3)
    if optional:
        rows = (*rows, (Button(turn._("— None of these"), import_value(ImportButton.NONE)),))
    return rows


def parse_column(answer: Answer, turn: Turn, answers: ImportAnswers, optional: bool) -> int | None:
    index = pressed(answer, ImportButton.COLUMN)
    if index is not None and index < len(answers.headers):
        return index
    if optional and (pressed(answer, ImportButton.NONE) is not None or typed_word(answer, NONE_WORDS)):
        return None
    typed = normalise_header(typed_or_chosen(answer)) if answer.choice is None else ""
    for column, header in enumerate(answers.headers):
        if typed and normalise_header(header) == typed:
            return column
    raise Reject(turn._("Please tap one of the columns, or type its name as the file's first row has it."))


def column_text(turn: Turn, answers: ImportAnswers, name: str) -> str:
    """The role's question, with files14's guess (suggest_mapping) when it has one."""
    _ = turn._
    guess = answers.suggested.get(name)
    if guess is None or guess >= len(answers.headers):
        return _(role(name).question)
    return "\n".join(
        [_(role(name).question), _("My guess: “{column}”.", column=echo(answers.headers[guess]))]
    )


def column_question_parts(
    name: str,
) -> tuple[
    Callable[[Turn, ImportAnswers], str],
    Callable[[Turn, ImportAnswers], ButtonRows],
    Callable[[Answer, Turn, ImportAnswers], int | None],
]:
    optional = role(name).optional
    return (
        lambda turn, answers: column_text(turn, answers, name),
        lambda turn, answers: column_buttons(turn, answers, optional),
        lambda answer, turn, answers: parse_column(answer, turn, answers, optional),
    )


def keep_column(name: str, value: int | None, answers: ImportAnswers) -> None:
    answers.columns = {**answers.columns, name: value}
    if name == "state":
        # The guessed won values ("Closed Won", 赢单) are chosen already when the guessed column is.
        guessed = value is not None and value == answers.suggested.get("state")
        answers.won_values = [
            v for v in state_values(answers) if guessed and normalise_value(v) in answers.suggested_won
        ]
        answers.won_done = False
    if name == "kind":
        answers.kind_values = {}


# Which values of the state column mean won ---------------------------------------------------------


def state_values(answers: ImportAnswers) -> list[str]:
    column = answers.columns.get("state")
    return answers.values[column] if column is not None and column < len(answers.values) else []


def won_text(turn: Turn, answers: ImportAnswers) -> str:
    _ = turn._
    chosen = ", ".join(answers.won_values) if answers.won_values else _("none yet")
    return _(
        "Which values of “{column}” mean the deal is won? Tap each (several may be), then Done.\nChosen: {chosen}",
        column=echo(answers.headers[answers.columns["state"] or 0]),
        chosen=chosen,
    )


def won_buttons(turn: Turn, answers: ImportAnswers) -> ButtonRows:
    chosen = {value.casefold() for value in answers.won_values}
    values = [
        Button(
            ("✅ " if value.casefold() in chosen else "") + value[:LABEL_LENGTH],
            import_value(ImportButton.VALUE, i),
        )
        for i, value in enumerate(state_values(answers))
    ]
    return (*in_rows(values, 2), (Button(turn._("✔ Done"), import_value(ImportButton.DONE)),))


def parse_won(answer: Answer, turn: Turn, answers: ImportAnswers) -> str:
    """A value to toggle among the won ones, or "" for Done."""
    values = state_values(answers)
    index = pressed(answer, ImportButton.VALUE)
    if index is not None and index < len(values):
        return values[index]
    if pressed(answer, ImportButton.DONE) is not None or typed_word(answer, DONE_WORDS):
        if not answers.won_values:
            raise Reject(turn._("Tap at least one value that means won, then Done."))
        return ""
    typed = typed_or_chosen(answer) if answer.choice is None else ""
    if typed:
        return next((value for value in values if same_value(value, typed)), typed[:60])
    raise Reject(turn._("Please tap the values that mean won, then Done."))


def keep_won(value: str, answers: ImportAnswers) -> None:
    if not value:
        answers.won_done = True
        return
    kept = [known for known in answers.won_values if not same_value(known, value)]
    answers.won_values = kept if len(kept) < len(answers.won_values) else [*answers.won_values, value]


# What each row is --------------------------------------------------------------------------------


def kind_buttons(turn: Turn, answers: ImportAnswers) -> ButtonRows:
    kinds = [
        Button(turn._(label), import_value(ImportButton.KIND, i))
        for i, (_k, label) in enumerate(KIND_CHOICES)
    ]
    return in_rows(kinds, 3)


def parse_kind(answer: Answer, turn: Turn, answers: ImportAnswers) -> str:
    index = pressed(answer, ImportButton.KIND)
    if index is not None and index < len(KIND_CHOICES):
        return KIND_CHOICES[index][0].value
    typed = typed_or_chosen(answer).casefold() if answer.choice is None else ""
    for kind, label in KIND_CHOICES:
        if typed and typed in {kind.value, turn._(label).casefold(), label.casefold()}:
            return kind.value
    raise Reject(turn._("Please tap what these rows are."))


def kind_values_asked(answers: ImportAnswers) -> list[str]:
    column = answers.columns.get("kind")
    return answers.values[column] if column is not None and column < len(answers.values) else []


def next_kind_value(answers: ImportAnswers) -> str | None:
    return next((value for value in kind_values_asked(answers) if value not in answers.kind_values), None)


def kind_of_text(turn: Turn, answers: ImportAnswers) -> str:
    return turn._(
        "What is a row whose “{column}” is “{value}”?",
        column=echo(answers.headers[answers.columns["kind"] or 0]),
        value=echo(next_kind_value(answers) or ""),
    )


def keep_kind_of(value: str, answers: ImportAnswers) -> None:
    asked = next_kind_value(answers)
    if asked is not None:
        answers.kind_values = {**answers.kind_values, asked: value}


# Where the mapping dialog stands ----------------------------------------------------------------


def next_mapping_step(answers: ImportAnswers) -> str | None:
    """The mapping question to ask next, or None when the mapping is complete."""
    for name in ROLE_NAMES:
        if name not in answers.columns:
            return name
    if answers.columns.get("state") is not None and not answers.won_done:
        return WON
    if answers.columns.get("kind") is None:
        return DEFAULT_KIND if not answers.default_kind else None
    return KIND_OF if next_kind_value(answers) is not None else None


def mapping_of(answers: ImportAnswers) -> ColumnMapping:
    """The mapping the dialog's answers make."""
    columns = answers.columns
    day = columns.get("day")
    assert day is not None  # the day is not optional
    return ColumnMapping(
        record_id=columns.get("record_id"),
        day=day,
        amount=columns.get("amount"),
        state=columns.get("state"),
        owner=columns.get("owner"),
        title=None,
        kind=columns.get("kind"),
        won_values=frozenset(normalise_value(value) for value in answers.won_values),
        kind_values={normalise_value(value): RecordKind(kind) for value, kind in answers.kind_values.items()},
        default_kind=RecordKind(answers.default_kind or RecordKind.DEAL),
        headers=tuple(answers.headers),  # so that a remembered mapping follows its columns (bind)
    )


def mapping_summary(mapping: ColumnMapping, headers: list[str], _: Translator) -> str:
    """The remembered mapping in a few words, to ask whether to use it again."""

    def name(column: int | None) -> str:
        return echo(headers[column]) if column is not None and column < len(headers) else _("none")

    return _(
        "id: {record_id} · date: {day} · amount: {amount} · stage: {state} · owner: {owner}",
        record_id=name(mapping.record_id),
        day=name(mapping.day),
        amount=name(mapping.amount),
        state=name(mapping.state),
        owner=name(mapping.owner),
    )
