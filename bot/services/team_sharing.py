"""Sharing one's own reflections with a team: a setback, copied as written, with its loss reason's key."""

from __future__ import annotations

from bot.core.dialog import Outgoing
from bot.core.lifecycle.teams import TeamStatus
from bot.i18n import N_
from bot.services.team_places import place_of
from bot.services.turn import Turn
from bot.storage.repositories.setbacks import SetbackRepository
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.storage.repositories.team_shares import TeamShareRepository
from bot.storage.team_models import TeamShare

SETBACK_KIND = "setback"  # team_shares.kind
REASON_LABELS = {
    "price": N_("price"),
    "competitor": N_("a competitor"),
    "timing": N_("timing"),
    "budget": N_("budget"),
    "relationship": N_("the relationship"),
    "product_fit": N_("product fit"),
    "other": N_("another reason"),
}


def _matchable(reason: str) -> str | None:
    """The key the digest matches across people: "other" says nothing two losses would share."""
    return reason if reason in REASON_LABELS and reason != "other" else None


async def teams_to_share_with(turn: Turn) -> list[tuple[int, str]]:
    """The active teams the user is a member of, as (id, name), to offer a share with."""
    teams = await TeamMemberRepository(turn.session).teams_of(turn.user.id)
    return [(team.id, team.name) for team, _member in teams if team.status is TeamStatus.ACTIVE]


async def share_setback(turn: Turn, setback_id: int, reason: str, team_id: int | None) -> list[Outgoing]:
    """Share the user's setback with the team (None: keep it private), checked against their seat now."""
    _ = turn._
    noted = _("Reason noted: {reason}.", reason=_(REASON_LABELS.get(reason, REASON_LABELS["other"])))
    if team_id is None:
        return [Outgoing(noted)]
    place = await place_of(turn, team_id)
    setback = await SetbackRepository(turn.session).owned(turn.user.id, setback_id)
    if place is None or place.team.status is not TeamStatus.ACTIVE or setback is None:
        return [Outgoing(noted + "\n" + _("You are no longer in that team, so nothing was shared; the setback stays private."))]  # fmt: skip
    shares = TeamShareRepository(turn.session)
    if await shares.of_source(team_id, SETBACK_KIND, setback.id) is None:
        shares.add(TeamShare(team_id=team_id, user_id=turn.user.id, kind=SETBACK_KIND, source_id=setback.id,
                             text=setback.summary, reason_key=_matchable(reason), created_at=turn.now))  # fmt: skip
    return [Outgoing(noted + "\n" + _("Shared with {team}: its managers will see it in the meeting digest.", team=place.team.name))]  # fmt: skip
