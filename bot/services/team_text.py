"""The words of teams: roles, refusals, what joining shares, people's names, invites in one line."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.teams.invites import InviteRefusal
from bot.core.teams.roles import Refusal, Role
from bot.core.teams.visibility import Private, Shared
from bot.i18n import N_, Translator
from bot.services.goal_text import date_text
from bot.services.profile_summary import clock, weekday_name
from bot.storage.models import User
from bot.storage.team_models import Team, TeamInvite

ROLE_LABELS = {
    Role.MANAGER: N_("manager"),
    Role.CO_MANAGER: N_("co-manager"),
    Role.MEMBER: N_("member"),
}
SHARED_LABELS = {
    Shared.GOALS: N_("your goals"),
    Shared.RESULTS: N_("your results"),
    Shared.REVIEW_RATINGS: N_("your review ratings"),
    Shared.STREAK: N_("your streak"),
}
PRIVATE_LABELS = {
    Private.SETBACKS: N_("setbacks"),
    Private.LESSONS: N_("lessons"),
    Private.NOTES: N_("notes"),
}
REFUSALS = {
    Refusal.NOT_A_MEMBER: N_("You are not in that team (any more), so nothing changed."),
    Refusal.NOT_ALLOWED: N_("Only the team's manager can do that, so nothing changed."),
    Refusal.TEAM_ARCHIVED: N_("That team is archived; its manager can restore it. Nothing changed."),
    Refusal.MANAGER_MUST_HAND_OVER: N_(
        "You manage this team, so you cannot simply leave it: hand it over to someone, or archive it first."
    ),
    Refusal.SELF: N_("That would be yourself, so nothing changed."),
    Refusal.MANAGER_PROTECTED: N_("The manager cannot be removed or demoted; nothing changed."),
    Refusal.CO_MANAGER_PROTECTED: N_("Only the manager can remove a co-manager; nothing changed."),
    Refusal.ALREADY_CO_MANAGER: N_("They already help manage the team."),
    Refusal.NOT_A_CO_MANAGER: N_("They are not a co-manager."),
    Refusal.MANAGER_STAYS_ON_AS_MANAGER: N_("A team has one manager; nothing changed."),
}
INVITE_REFUSALS = {
    InviteRefusal.TEAM_ARCHIVED: N_("That team is archived, so its invites no longer work."),
    InviteRefusal.REVOKED: N_("That invite was withdrawn. Ask the manager for a new link."),
    InviteRefusal.EXPIRED: N_("That invite has expired. Ask the manager for a new link."),
    InviteRefusal.USED_UP: N_(
        "That invite has been used as many times as it allows. Ask the manager for a new link."
    ),
    InviteRefusal.ALREADY_MEMBER: N_("You are already in {team}. /team shows it."),
    InviteRefusal.REMOVED_AFTER_INVITE: N_(
        "You were removed from that team after this invite was made. Ask the manager for a new link."
    ),
}
UNKNOWN_INVITE = N_("I don't know that invite: the link may be mistyped. Ask the manager to send it again.")


def person_name(user: User) -> str:
    """How a member is named to the others: their first name, else their @username."""
    if user.first_name:
        return user.first_name
    return f"@{user.username}" if user.username else "👤"


def role_text(role: Role, _: Translator) -> str:
    return _(ROLE_LABELS[role])


def refusal_text(refusal: Refusal, _: Translator) -> str:
    return _(REFUSALS[refusal])


def invite_refusal_text(refusal: InviteRefusal, team: Team, _: Translator) -> str:
    return _(INVITE_REFUSALS[refusal], team=team.name)


def consent_text(_: Translator) -> str:
    """What joining shares with the managers, and what stays the member's own."""
    shared = _(", ").join(_(label) for label in SHARED_LABELS.values())
    private = _(", ").join(_(label) for label in PRIVATE_LABELS.values())
    return _(
        "If you join, the team's managers will see {shared}.\n"
        "What you write in your own words ({private}) stays private, unless you choose to share one.",
        shared=shared,
        private=private,
    )


def meeting_text(team: Team, _: Translator) -> str:
    return _(
        "{weekday} {time}",
        weekday=weekday_name(team.meeting_weekday, _),
        time=clock(team.meeting_time),
    )


def local_date_text(instant: datetime, zone: str, _: Translator) -> str:
    return date_text(instant.astimezone(ZoneInfo(zone)).date(), _)


def invite_line(invite: TeamInvite, team: Team, _: Translator) -> str:
    """One open invite: until when, and how many may still use it."""
    until = local_date_text(invite.expires_at, team.timezone, _)
    if invite.max_uses is None:
        return _("until {date}, any number of people", date=until)
    left = max(0, invite.max_uses - invite.uses)
    return _.plural("until {date}, {count} use left", "until {date}, {count} uses left", left, date=until)


def invite_link(bot_username: str, payload: str) -> str:
    return f"https://t.me/{bot_username}?start={payload}"
