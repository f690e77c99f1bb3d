"""Connecting a CRM from /crm (sync14): the data centre (Zoho CRM), then the credentials, pasted once.

The pasted message is deleted from the chat right after it is read (and its stored copy in the inbox is
dropped), and the dialog keeps only the credentials sealed with CRM_SECRET_KEY, never their text. The
connection is tested against the CRM (one token request) before anything is saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.crm.records import CrmSystem
from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.i18n import N_
from bot.services.crm_api.zoho import DATA_CENTRES
from bot.services.crm_connections import credential_names, save_connection, sealed_credentials
from bot.services.crm_secrets import crm_secrets
from bot.services.crm_text import sync_off_text, system_name
from bot.services.dialogs import ButtonRows, Flow, Question
from bot.services.dialogs.parsing import choice_of, echo, in_rows, typed_or_chosen
from bot.services.flows.crm_import_team import IMPORT_FOR_TEAM
from bot.services.meeting_plans import teams_run_by
from bot.services.turn import Turn

CRM_CONNECT = "crm_connect"
MAX_CREDENTIAL = 500  # characters of one pasted value


@dataclass
class CrmConnectAnswers:
    system: str = CrmSystem.ZOHO.value
    data_centre: str = ""
    sealed: str = ""  # the credentials, sealed (bot.services.crm_secrets); never their text
    # The teams the user ran when the dialog began (id, name), and the one chosen (None: their own results).
    teams: list[tuple[int, str]] = field(default_factory=list)
    team_id: int | None = None


ME = "me"
TEAM_PREFIX = "team:"
ME_WORDS = frozenset({"me", "mine", "myself", "my own", "own", "我", "我自己", "自己", "我的"})
TEAM_WORDS = ("team", "the team", "团队", "团队的")


def whose_text(turn: Turn, answers: CrmConnectAnswers) -> str:
    return turn._("Connect it for you alone, or for a team you manage? A team's CRM feeds each member's "
                  "results, split by the deals' owners.")  # fmt: skip


def whose_buttons(turn: Turn, answers: CrmConnectAnswers) -> ButtonRows:
    teams = [Button(turn._("👥 Team {name}", name=echo(name)), f"{TEAM_PREFIX}{team_id}")
             for team_id, name in answers.teams]  # fmt: skip
    return ((Button(turn._("🙋 Me"), ME),), *in_rows(teams, 2))


def parse_whose(answer: Answer, turn: Turn, answers: CrmConnectAnswers) -> int | None:
    """None for the user's own results, or a team id among those they ran when the dialog began (a forged
    or stale team id is a bad answer; the team is checked again when the connection is saved)."""
    text = typed_or_chosen(answer)
    folded = " ".join(text.casefold().split())
    if folded in ME_WORDS:
        return None
    if answer.choice is not None and text.startswith(TEAM_PREFIX):
        chosen = text.removeprefix(TEAM_PREFIX)
        for team_id, _name in answers.teams:
            if chosen == str(team_id):
                return team_id
    elif answer.choice is None:
        for word in TEAM_WORDS:
            named = folded.removeprefix(word).strip() if folded.startswith(word) else None
            for team_id, name in answers.teams:
                if named is not None and (named == " ".join(name.casefold().split()) or
                                          (not named and len(answers.teams) == 1)):  # fmt: skip
                    return team_id
    raise Reject(turn._("Please tap “Me” or one of your teams."))


def after_whose(value: int | None, turn: Turn, answers: CrmConnectAnswers) -> str:
    return "data_centre" if answers.system == CrmSystem.ZOHO else "sealed"


def parse_data_centre(answer: Answer, turn: Turn, answers: CrmConnectAnswers) -> str:
    choices = {centre: centre for centre in DATA_CENTRES} | {f".{centre}": centre for centre in DATA_CENTRES}
    return choice_of(answer, choices, lambda: Reject(turn._("Please tap your Zoho data centre.")))


def credentials_text(turn: Turn, answers: CrmConnectAnswers) -> str:
    _ = turn._
    if answers.system == CrmSystem.ZOHO:
        return _(
            "Paste your Zoho self-client's client ID, client secret and refresh token, one per line "
            "(api-console.zoho.{centre}, scope ZohoCRM.modules.deals.READ). I delete your message as soon as "
            "I have read it and keep them encrypted.",
            centre=answers.data_centre,
        )
    return _(
        "Paste your Fxiaoke app's appId, appSecret, permanentCode and your openUserId (FSUID_…), one per "
        "line. I delete your message as soon as I have read it and keep them encrypted."
    )


def parse_credentials(answer: Answer, turn: Turn, answers: CrmConnectAnswers) -> str:
    # Whatever it holds, the message may carry a secret: it goes from the chat and the inbox either way.
    turn.forget_message = True
    system = CrmSystem(answers.system)
    names = credential_names(system)
    values = (answer.text or "").split()
    if len(values) != len(names) or any(len(value) > MAX_CREDENTIAL for value in values):
        raise Reject(
            turn._.plural(
                "I need {count} value, one per line. I deleted that message; please paste them again.",
                "I need {count} values, one per line. I deleted that message; please paste them again.",
                len(names),
            )
        )
    sealed = sealed_credentials(turn, system, dict(zip(names, values, strict=True)))
    if sealed is None:
        raise Reject(sync_off_text(turn._))
    return sealed


async def finish_connect(turn: Turn, answers: CrmConnectAnswers) -> Sequence[Outgoing]:
    return await save_connection(
        turn, CrmSystem(answers.system), answers.data_centre, answers.sealed, team_id=answers.team_id
    )


crm_connect_flow: Flow[CrmConnectAnswers] = Flow(
    CRM_CONNECT,
    CrmConnectAnswers,
    [
        Question(
            name="team_id", text=whose_text, parser=parse_whose, buttons=whose_buttons, next=after_whose
        ),
        Question(
            name="data_centre",
            text=N_(
                "Which Zoho data centre is your account in? It is the end of your Zoho address, e.g. crm.zoho.eu."
            ),
            buttons=in_rows(tuple((f".{centre}", centre) for centre in DATA_CENTRES), 3),
            parser=parse_data_centre,
        ),
        Question(name="sealed", text=credentials_text, parser=parse_credentials),
    ],
    finish_connect,
)


async def start_connect(turn: Turn, system: CrmSystem) -> list[Outgoing]:
    """Connect `system`: for whom first, when the user manages a team; then Zoho asks for the data centre,
    Fxiaoke goes straight to the credentials."""
    if crm_secrets(turn.settings) is None:
        return [Outgoing(sync_off_text(turn._))]
    preface = Outgoing(turn._("Connecting {system}.", system=system_name(system, turn._)))
    teams = await teams_run_by(turn.session, turn.user.id, IMPORT_FOR_TEAM)
    answers = CrmConnectAnswers(system=system.value, teams=[(team.id, team.name) for team in teams])
    first = "team_id" if teams else "data_centre" if system is CrmSystem.ZOHO else "sealed"
    return await turn.services.dialogs.start(
        turn, CRM_CONNECT, answers=answers, first_step=first, preface=[preface]
    )
