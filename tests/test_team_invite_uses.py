"""An invite's last use is taken once: the conditional UPDATE, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage.repositories.team_invites import TeamInviteRepository
from bot.storage.team_models import TeamInvite
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.teams import insert_team


async def an_invite(engine: AsyncEngine, clock: FakeClock, max_uses: int | None) -> int:
    team_id = await insert_team(engine, 100_970, [], clock())
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        invite = TeamInvite(team_id=team_id, payload="t_" + "A" * 22, created_by=100_970, created_at=clock(),
                            expires_at=clock() + timedelta(days=7), max_uses=max_uses, uses=0)  # fmt: skip
        await TeamInviteRepository(session).add(invite)
        return invite.id


async def test_a_session_that_read_the_invite_before_the_last_use_was_taken_gets_none(
    engine: AsyncEngine, clock: FakeClock
) -> None:
    invite_id = await an_invite(engine, clock, max_uses=1)
    async with AsyncSession(engine) as late:
        stale = await late.get(TeamInvite, invite_id)
        assert stale is not None and stale.uses == 0  # it saw a use left
        await late.rollback()  # (SQLite: let the other writer in; its view is the stale row it holds)
        async with AsyncSession(engine) as first, first.begin():
            assert await TeamInviteRepository(first).take_use(invite_id, clock())
        async with late.begin():
            assert not await TeamInviteRepository(late).take_use(invite_id, clock())
    assert [invite.uses for invite in await rows(engine, TeamInvite)] == [1]


async def test_two_joins_racing_for_the_last_use(engine: AsyncEngine, clock: FakeClock) -> None:
    """Both transactions open at once; the database lets one UPDATE match (PostgreSQL: the second waits for
    the first's row lock and re-checks uses < max_uses; SQLite: one writer at a time)."""
    invite_id = await an_invite(engine, clock, max_uses=1)

    async def join() -> bool:
        async with AsyncSession(engine) as session, session.begin():
            taken = await TeamInviteRepository(session).take_use(invite_id, clock())
            await asyncio.sleep(0)  # let the other transaction run its UPDATE while this one is open
            return taken

    outcomes = await asyncio.gather(join(), join(), join(), return_exceptions=True)
    assert sorted(outcomes, key=str) == [False, False, True], outcomes  # no errors: one True, two False
    assert [invite.uses for invite in await rows(engine, TeamInvite)] == [1]


async def test_an_unlimited_invite_counts_every_use(engine: AsyncEngine, clock: FakeClock) -> None:
    invite_id = await an_invite(engine, clock, max_uses=None)
    for _ in range(3):
        async with AsyncSession(engine) as session, session.begin():
            assert await TeamInviteRepository(session).take_use(invite_id, clock())
    assert [invite.uses for invite in await rows(engine, TeamInvite)] == [3]
