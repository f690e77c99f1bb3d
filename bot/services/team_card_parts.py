"""The other team features' parts of /team's card, in the order the card shows them."""

from __future__ import annotations

from bot.services.team_card_part import CardSection
from bot.services.team_goal_card_part import team_goals_part
from bot.services.team_group_card_part import team_group_part

CARD_PARTS: tuple[CardSection, ...] = (team_goals_part, team_group_part)
