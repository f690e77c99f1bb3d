"""The teams' scheduled group posts and team rewards, a tick at a time (bot.services.team_group_posts):
one transaction per team or reward, so one team's trouble never holds back another's."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.services.container import Services
from bot.services.team_group_posts import post_digest, post_milestones, settle_reward
from bot.storage.repositories.team_groups import TeamGroupRepository
from bot.storage.repositories.team_rewards import TeamRewardRepository

log = logging.getLogger(__name__)


@dataclass
class TeamGroupTick:
    digests: int = 0
    milestones: int = 0
    rewards_checked: int = 0


class TeamGroupJobs:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def tick(self) -> TeamGroupTick:
        report = TeamGroupTick()
        language = self.services.settings.default_language
        async with self.services.sessionmaker() as session:
            reward_ids = [reward.id for reward in await TeamRewardRepository(session).active()]
            team_ids = [team.id for team in await TeamGroupRepository(session).teams_with_group()]
        for reward_id in reward_ids:
            async with self.services.sessionmaker.begin() as session:
                reward = await TeamRewardRepository(session).open_for_update(reward_id)
                if reward is not None:
                    await settle_reward(session, reward, self.services.now(), language)
                    report.rewards_checked += 1
        for team_id in team_ids:
            async with self.services.sessionmaker.begin() as session:
                team = await TeamGroupRepository(session).team(team_id)
                if team is None or team.group_chat_id is None:
                    continue
                now = self.services.now()
                report.digests += await post_digest(session, team, now, language)
                report.milestones += await post_milestones(session, team, now, language)
        return report
