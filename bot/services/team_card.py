"""The team card and the list of one's teams: what /team shows, by the viewer's role.

The card is made of parts: the team's own (name, zone, currency, meeting, members, invites, the buttons of
roles) and then one part per entry of `CARD_PARTS`, which the other team features (the split, the meeting,
the group) add to: each is an async function of (session, team, viewer's seat, translator, now) returning
the lines and button rows it adds. Managers see every member with their role and when they joined, and the
open invites; a member sees the names and who manages.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dialog import Button, Outgoing
from bot.core.lifecycle.teams import TeamStatus
from bot.core.teams.roles import Role, Seat, TeamAction, may
from bot.i18n import Translator
from bot.services.team_text import invite_line, local_date_text, meeting_text, person_name, role_text
from bot.storage.repositories.team_invites import TeamInviteRepository
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.storage.team_models import Team, TeamMember
from bot.telegram.callbacks import TeamButton, team_callback

ButtonRow = tuple[Button, ...]


@dataclass
class CardPart:
    """What one feature adds to the card: lines under the team's own, button rows above the role's."""

    lines: list[str] = field(default_factory=list)
    rows: list[ButtonRow] = field(default_factory=list)


CardSection = Callable[[AsyncSession, Team, Seat, Translator, datetime], Awaitable[CardPart]]
# The split, meeting and group features' parts of the card, in this order (wired by the lead at merge).
CARD_PARTS: list[CardSection] = []


def _button(label: str, button: TeamButton, team: Team, ref: int | None = None) -> Button:
    return Button(label, team_callback(button, team.id, ref))


def _member_lines(
    members: Sequence[tuple[TeamMember, str]], viewer: Seat, team: Team, _: Translator
) -> list[str]:
    managing = may(viewer, TeamAction.SEE_ALL_ROWS)
    lines = []
    for member, name in members:
        if managing:
            since = local_date_text(member.joined_at, team.timezone, _) if member.joined_at else "—"
            lines.append(
                _("• {name} ({role}), since {date}", name=name, role=role_text(member.role, _), date=since)
            )
        elif member.role is Role.MEMBER:
            lines.append(_("• {name}", name=name))
        else:
            lines.append(_("• {name} ({role})", name=name, role=role_text(member.role, _)))
    return lines


async def _own_part(
    session: AsyncSession, team: Team, viewer: Seat, _: Translator, now: datetime
) -> CardPart:
    members = [(m, person_name(u)) for m, u in await TeamMemberRepository(session).with_users(team.id)]
    lines = [
        _("👥 {name}", name=team.name),
        _("Time zone: {zone} · Currency: {currency}", zone=team.timezone, currency=team.currency),
        _("Weekly sales meeting: {when}", when=meeting_text(team, _)),
    ]
    if team.status is TeamStatus.ARCHIVED:
        lines.append(_("🗄 Archived: nothing new happens in this team until its manager restores it."))
    count = len(members)
    lines += [
        "",
        _.plural("{count} member:", "{count} members:", count),
        *_member_lines(members, viewer, team, _),
    ]
    rows: list[ButtonRow] = []
    active = team.status is TeamStatus.ACTIVE
    if active and may(viewer, TeamAction.INVITE):
        invites = await TeamInviteRepository(session).open_of(team.id, now)
        if invites:
            lines += ["", _("Open invites:")]
        for number, invite in enumerate(invites, 1):
            lines.append(f"{number}. {invite_line(invite, team, _)}")
            label = _("✖ Withdraw invite {number}", number=number)
            rows.append((_button(label, TeamButton.REVOKE, team, invite.id),))
        rows.append(
            (
                _button(_("➕ Invite"), TeamButton.INVITE, team),
                _button(_("👥 Members"), TeamButton.MEMBERS, team),
            )
        )
    if active and may(viewer, TeamAction.HAND_OVER):
        rows.append(
            (
                _button(_("🤝 Hand over"), TeamButton.HAND_OVER, team),
                _button(_("🗄 Archive"), TeamButton.ARCHIVE, team),
            )
        )
    elif not active and may(viewer, TeamAction.ARCHIVE):
        rows.append((_button(_("♻ Restore"), TeamButton.RESTORE, team),))
    return CardPart(lines, rows)


def _leave_row(team: Team, _: Translator) -> ButtonRow:
    return (
        _button(_("🚪 Leave"), TeamButton.LEAVE, team),
        Button(_("📋 My teams"), team_callback(TeamButton.LIST)),
    )


async def team_card(
    session: AsyncSession, team: Team, viewer_seat: Seat, _: Translator, *, now: datetime
) -> Outgoing:
    """The card of `team` as `viewer_seat` may see it, with the buttons their role allows."""
    own = await _own_part(session, team, viewer_seat, _, now)
    parts = [await section(session, team, viewer_seat, _, now) for section in CARD_PARTS]
    lines = [*own.lines, *(line for part in parts for line in ("", *part.lines) if part.lines)]
    rows = [*(row for part in parts for row in part.rows), *own.rows, _leave_row(team, _)]
    return Outgoing("\n".join(lines), tuple(rows))


def team_list(teams: Sequence[tuple[Team, TeamMember]], _: Translator) -> Outgoing:
    """The viewer's teams, a button each, and a way to create another."""
    lines = [_("Your teams:")]
    rows: list[ButtonRow] = []
    for team, member in teams:
        archived = _(" (archived)") if team.status is TeamStatus.ARCHIVED else ""
        label = _("{team} · {role}", team=team.name, role=role_text(member.role, _)) + archived
        lines.append(f"• {label}")
        rows.append((Button(label[:60], team_callback(TeamButton.OPEN, team.id)),))
    rows.append((Button(_("➕ Create a team"), team_callback(TeamButton.NEW)),))
    return Outgoing("\n".join(lines), tuple(rows))


def no_team_yet(_: Translator) -> Outgoing:
    text = _(
        "You are not in a team yet. A sales manager creates one here: name, time zone and currency, "
        "then invites the salespeople with a link. Each member keeps coaching themselves, and their "
        "results add up to the team's."
    )
    return Outgoing(text, ((Button(_("➕ Create a team"), team_callback(TeamButton.NEW)),),))
