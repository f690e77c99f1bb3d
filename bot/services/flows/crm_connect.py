"""Connecting a CRM from /crm (sync14): the data centre (Zoho CRM), then the credentials, pasted once.

The pasted message is deleted from the chat right after it is read (and its stored copy in the inbox is
dropped), and the dialog keeps only the credentials sealed with CRM_SECRET_KEY, never their text. The
connection is tested against the CRM (one token request) before anything is saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.crm.records import CrmSystem
from bot.core.dialog import Answer, Outgoing, Reject
from bot.i18n import N_
from bot.services.crm_api.zoho import DATA_CENTRES
from bot.services.crm_connections import credential_names, save_connection, sealed_credentials
from bot.services.crm_secrets import crm_secrets
from bot.services.crm_text import sync_off_text, system_name
from bot.services.dialogs import Flow, Question
from bot.services.dialogs.parsing import choice_of, in_rows
from bot.services.turn import Turn

CRM_CONNECT = "crm_connect"
MAX_CREDENTIAL = 500  # characters of one pasted value


@dataclass
class CrmConnectAnswers:
    system: str = CrmSystem.ZOHO.value
    data_centre: str = ""
    sealed: str = ""  # the credentials, sealed (bot.services.crm_secrets); never their text


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
    return await save_connection(turn, CrmSystem(answers.system), answers.data_centre, answers.sealed)


crm_connect_flow: Flow[CrmConnectAnswers] = Flow(
    CRM_CONNECT,
    CrmConnectAnswers,
    [
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
    """Connect `system`: Zoho asks for the data centre first, Fxiaoke goes straight to the credentials."""
    if crm_secrets(turn.settings) is None:
        return [Outgoing(sync_off_text(turn._))]
    preface = Outgoing(turn._("Connecting {system}.", system=system_name(system, turn._)))
    answers = CrmConnectAnswers(system=system.value)
    first = "data_centre" if system is CrmSystem.ZOHO else "sealed"
    return await turn.services.dialogs.start(
        turn, CRM_CONNECT, answers=answers, first_step=first, preface=[preface]
    )
