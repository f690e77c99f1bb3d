"""A team's working days: Monday to Friday with the holidays of its time zone's country (teams have no
working-days setting of their own). The roll-up, the digest and the meeting schedule all count on it."""

from __future__ import annotations

from bot.core.calendar_adjustments import adjustments_for
from bot.core.work_calendar import WorkCalendar, country_for
from bot.storage.team_models import Team

TEAM_WORKING_DAYS = frozenset({1, 2, 3, 4, 5})


def team_calendar(team: Team, language: str) -> WorkCalendar:
    """The team's working calendar; `language` settles the country where the zone alone does not."""
    country = country_for(team.timezone, language)
    return WorkCalendar(country=country, weekdays=TEAM_WORKING_DAYS, adjustments=adjustments_for(country))
