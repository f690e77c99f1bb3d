"""A manager's file with several owners: their own results or the team's, and which member each owner is.

The owner mapping starts from import14's proposal (the links confirmed before, else matching names) and
is shown whole: the manager confirms it as it is, or changes one owner at a time (a member by button, or
skip). Members and owners are named by their place in the dialog's lists, checked in range.
"""

from __future__ import annotations

from bot.core.dialog import Answer, Button, Reject
from bot.core.teams.roles import TeamAction
from bot.i18n import N_
from bot.services.crm_team_import import propose_owner_mapping
from bot.services.dialogs import ButtonRows
from bot.services.dialogs.parsing import echo, in_rows, typed_or_chosen
from bot.services.flows.crm_import_answers import ImportAnswers
from bot.services.flows.crm_import_mapping import LABEL_LENGTH, pressed
from bot.services.meeting_plans import teams_run_by
from bot.services.turn import Turn
from bot.storage.repositories.team_digest import TeamDigestReads
from bot.telegram.callbacks_crm_import import ImportButton, import_value

# The seat that may import for the team: the one that sees every member's rows.
IMPORT_FOR_TEAM = TeamAction.SEE_ALL_ROWS
OWN, TEAM = "own", "team"
WHOSE, OWNERS, OWNER_MEMBER = "whose", "owners", "owner_member"
MAX_OWNER_BUTTONS = 30


async def offer_team(turn: Turn, answers: ImportAnswers) -> bool:
    """Whether to ask "your own or the team's?": several owners in the file, and a team the user runs."""
    if len(answers.owners) < 2:
        return False
    teams = await teams_run_by(turn.session, turn.user.id, IMPORT_FOR_TEAM)
    if not teams:
        return False
    team = teams[0]
    members = await TeamDigestReads(turn.session).members(team.id)
    answers.team_id = team.id
    answers.members = [(user.id, user.first_name or str(user.id)) for _seat, user in members]
    answers.currency = team.currency or answers.currency
    return True


async def propose(turn: Turn, answers: ImportAnswers) -> None:
    """Fill the owner mapping from import14's proposal, once."""
    if answers.owner_members or answers.team_id is None:
        return
    proposal = await propose_owner_mapping(turn.session, team_id=answers.team_id, owners=answers.owners)
    known = {user_id for user_id, _name in answers.members}
    answers.owner_members = {owner: proposal.get(owner) if proposal.get(owner) in known else None
                             for owner in answers.owners}  # fmt: skip


WHOSE_BUTTONS = (
    (
        (N_("🙋 My own results"), import_value(ImportButton.OWN)),
        (N_("👥 The team's"), import_value(ImportButton.TEAM)),
    ),
)


def whose_text(turn: Turn, answers: ImportAnswers) -> str:
    return turn._(
        "This file has rows of {count} owners. Import it as your own results, or split it by owner into your "
        "team's members?",
        count=len(answers.owners),
    )


def parse_whose(answer: Answer, turn: Turn, answers: ImportAnswers) -> str:
    if pressed(answer, ImportButton.OWN) is not None:
        return OWN
    if pressed(answer, ImportButton.TEAM) is not None:
        return TEAM
    typed = typed_or_chosen(answer).casefold() if answer.choice is None else ""
    if typed in {"own", "mine", "my own", "me", "我的", "自己", "我自己的"}:
        return OWN
    if typed in {"team", "the team", "team's", "团队", "团队的"}:
        return TEAM
    raise Reject(turn._("Please tap “My own results” or “The team's”."))


def keep_whose(value: str, answers: ImportAnswers) -> None:
    answers.whose = value


def member_name(answers: ImportAnswers, user_id: int | None, skipped: str) -> str:
    return next((name for known, name in answers.members if known == user_id), skipped)


def owners_text(turn: Turn, answers: ImportAnswers) -> str:
    _ = turn._
    skipped = _("not imported")
    lines = [f"• {echo(owner)} → {echo(member_name(answers, answers.owner_members.get(owner), skipped))}"
             for owner in answers.owners[:MAX_OWNER_BUTTONS]]  # fmt: skip
    return _(
        "Whose rows are whose? I matched the file's owners to your team's members:\n{lines}\n\nTap an owner "
        "to change their member, or Confirm.",
        lines="\n".join(lines),
    )


def owners_buttons(turn: Turn, answers: ImportAnswers) -> ButtonRows:
    owners = [Button(echo(owner)[:LABEL_LENGTH], import_value(ImportButton.OWNER, i))
              for i, owner in enumerate(answers.owners[:MAX_OWNER_BUTTONS])]  # fmt: skip
    return (*in_rows(owners, 3), (Button(turn._("✔ Confirm"), import_value(ImportButton.CONFIRM)),))


def parse_owners(answer: Answer, turn: Turn, answers: ImportAnswers) -> int:
    """The owner to change (an index), or -1 to confirm the mapping as shown."""
    if pressed(answer, ImportButton.CONFIRM) is not None:
        return -1
    index = pressed(answer, ImportButton.OWNER)
    if index is not None and index < len(answers.owners):
        return index
    typed = typed_or_chosen(answer).casefold() if answer.choice is None else ""
    if typed in {"confirm", "ok", "yes", "确认", "好", "好的", "对"}:
        return -1
    for i, owner in enumerate(answers.owners):
        if typed and typed == owner.casefold():
            return i
    raise Reject(turn._("Please tap an owner to change, or Confirm."))


def keep_owners(value: int, answers: ImportAnswers) -> None:
    answers.owner_editing = value
    answers.owners_confirmed = value < 0


def owner_member_text(turn: Turn, answers: ImportAnswers) -> str:
    owner = answers.owners[answers.owner_editing] if 0 <= answers.owner_editing < len(answers.owners) else ""
    return turn._("Which member is “{owner}”?", owner=echo(owner))


def owner_member_buttons(turn: Turn, answers: ImportAnswers) -> ButtonRows:
    # A team larger than the buttons shown: the others are chosen by typing their name.
    members = [Button(echo(name)[:LABEL_LENGTH], import_value(ImportButton.MEMBER, i))
               for i, (_id, name) in enumerate(answers.members[:MAX_OWNER_BUTTONS])]  # fmt: skip
    return (*in_rows(members, 3), (Button(turn._("Skip: do not import"), import_value(ImportButton.SKIP)),))


def parse_owner_member(answer: Answer, turn: Turn, answers: ImportAnswers) -> int | None:
    """A member's user id, or None to leave the owner's rows out."""
    if pressed(answer, ImportButton.SKIP) is not None:
        return None
    index = pressed(answer, ImportButton.MEMBER)
    if index is not None and index < len(answers.members):
        return answers.members[index][0]
    typed = typed_or_chosen(answer).casefold() if answer.choice is None else ""
    if typed in {"skip", "none", "跳过", "不导入"}:
        return None
    for user_id, name in answers.members:
        if typed and typed == name.casefold():
            return user_id
    raise Reject(turn._("Please tap a member, or Skip."))


def keep_owner_member(value: int | None, answers: ImportAnswers) -> None:
    if 0 <= answers.owner_editing < len(answers.owners):
        answers.owner_members = {**answers.owner_members, answers.owners[answers.owner_editing]: value}
    answers.owner_editing = -1
