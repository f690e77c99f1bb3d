"""Creating a team: its name, time zone and currency; the creator is born its manager, then the card."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel.numbers import get_currency_name, list_currencies

from bot.core.currency import currency_in_text, default_currency
from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.i18n import N_
from bot.services.dialogs import ButtonRows, Flow, Question
from bot.services.dialogs.parsing import in_rows, short_text, typed_or_chosen
from bot.services.flows.profile_steps import parse_zone, timezone_buttons
from bot.services.profile_summary import babel_locale
from bot.services.team_founding import found_team
from bot.services.turn import Turn

TEAM_CREATE = "team_create"
NAME_LIMIT = 64  # teams.name
COMMON_CURRENCIES = ("CNY", "USD", "EUR", "HKD", "GBP", "JPY", "SGD")
KEEP = "keep"


@dataclass
class TeamDraft:
    name: str = ""
    timezone: str = ""
    currency: str = ""


def parse_name(answer: Answer, turn: Turn, answers: TeamDraft) -> str:
    return short_text(answer, turn, NAME_LIMIT, turn._("The team's name, please, e.g. East China KA."))


def zone_text(turn: Turn, answers: TeamDraft) -> str:
    return turn._(
        "Which time zone does {team} work in? Its meeting and weekly numbers follow it.\n"
        "Tap one, or type a city (Shanghai), a zone name (Asia/Shanghai) or an offset (UTC+8).",
        team=answers.name,
    )


def zone_buttons(turn: Turn, answers: TeamDraft) -> ButtonRows:
    keep = Button(turn._("✔ Mine: {zone}", zone=turn.user.timezone), KEEP)
    return ((keep,), *timezone_buttons(turn, answers))


def parse_team_zone(answer: Answer, turn: Turn, answers: TeamDraft) -> str:
    return turn.user.timezone if typed_or_chosen(answer) == KEEP else parse_zone(answer, turn, answers)


def _team_default_currency(turn: Turn, answers: TeamDraft) -> str:
    return default_currency(answers.timezone or turn.user.timezone, turn.language)


def currency_text(turn: Turn, answers: TeamDraft) -> str:
    return turn._(
        "Which currency does {team} count revenue in? Tap one or type its code (e.g. CNY, USD).",
        team=answers.name,
    )


def currency_buttons(turn: Turn, answers: TeamDraft) -> ButtonRows:
    first = _team_default_currency(turn, answers)
    codes = [first, *(code for code in COMMON_CURRENCIES if code != first)]
    locale = babel_locale(turn._)
    return in_rows([Button(f"{code} · {get_currency_name(code, locale=locale)}", code) for code in codes], 2)


def parse_currency(answer: Answer, turn: Turn, answers: TeamDraft) -> str:
    text = typed_or_chosen(answer)
    code = text.upper()
    if len(code) == 3 and code in list_currencies():
        return code
    named = currency_in_text(text)
    if named is not None:
        return named
    raise Reject(
        turn._(
            "I don't know the currency “{text}”. Type a three-letter code such as CNY or USD.", text=text[:20]
        )
    )


async def save_team(turn: Turn, answers: TeamDraft) -> Sequence[Outgoing]:
    return await found_team(turn, answers.name, answers.timezone, answers.currency)


def team_create_flow() -> Flow[TeamDraft]:
    return Flow(TEAM_CREATE, TeamDraft, [
        Question(name="name", text=N_("What is the team called? At most 64 characters, e.g. East China KA."),
                 parser=parse_name),
        Question(name="timezone", text=zone_text, buttons=zone_buttons, parser=parse_team_zone),
        Question(name="currency", text=currency_text, buttons=currency_buttons, parser=parse_currency),
    ], save_team, N_("Stopped; no team was created."))  # fmt: skip


async def start_team_create(turn: Turn) -> list[Outgoing]:
    intro = Outgoing(
        turn._("Let's create your team: a name, a time zone and a currency. You will be its manager.")
    )
    return await turn.services.dialogs.start(turn, TEAM_CREATE, preface=[intro])
