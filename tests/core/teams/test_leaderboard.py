"""The leaderboard: % of one's own part, joined members only, top three and one's own place, fair ties."""

from __future__ import annotations

import random
from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.teams.leaderboard import Leaderboard, Place, Standing, leaderboard, ranking

D = Decimal


def test_ranked_by_share_of_own_part_never_by_amount() -> None:
    standings = [
        Standing(1, D(900_000), D(3_000_000)),  # 30%: the biggest amount
        Standing(2, D(300_000), D(500_000)),  # 60%
        Standing(3, D(400_000), D(1_000_000)),  # 40%
        Standing(4, D(100_000), D(1_000_000)),  # 10%
        Standing(5, D(999_999), D(1_000_000)),  # not joined
    ]
    board = leaderboard(standings, {1, 2, 3, 4}, viewer_id=4)
    assert board == Leaderboard(
        top=(Place(1, 2, D(60)), Place(2, 3, D(40)), Place(3, 1, D(30))),
        viewer=Place(4, 4, D(10)),
        ranked=4,
    )
    assert leaderboard(standings, {1, 2, 3, 4}, viewer_id=5).viewer is None  # not joined: not ranked


def test_ties_share_a_rank_and_are_all_shown() -> None:
    standings = [
        Standing(7, D(50), D(100)),
        Standing(3, D(500), D(1000)),
        Standing(5, D("0.9"), D(1)),
        Standing(9, D(1001), D(2000)),  # 50.05% shows as 50.0%: the same place
        Standing(2, D(0), D(100)),
        Standing(8, D(10), D(0)),  # no part: cannot be ranked
    ]
    places = ranking(standings, {2, 3, 5, 7, 8, 9})
    assert places == (
        Place(1, 5, D(90)),
        Place(2, 3, D(50)),
        Place(2, 7, D(50)),
        Place(2, 9, D(50)),
        Place(5, 2, D(0)),
    )
    board = leaderboard(standings, {2, 3, 5, 7, 8, 9}, viewer_id=2)
    assert [place.member_id for place in board.top] == [5, 3, 7, 9]  # all tied for second
    assert board.viewer == Place(5, 2, D(0))  # their own place, never a bottom list
    assert leaderboard(standings, {2}, viewer_id=2).top == ()  # nobody leads with nothing


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.decimals(0, 10**6, places=2), st.decimals(0, 10**6, places=2)),
        max_size=30,
    ),
    st.randoms(use_true_random=False),
)
def test_the_same_data_in_any_order_gives_the_same_board(
    figures: list[tuple[Decimal, Decimal]], shuffler: random.Random
) -> None:
    standings = [Standing(member, achieved, part) for member, (achieved, part) in enumerate(figures)]
    joined = {standing.member_id for standing in standings if standing.member_id % 3}
    places = ranking(standings, joined)
    shuffled = list(standings)
    shuffler.shuffle(shuffled)
    assert ranking(shuffled, joined) == places
    assert {place.member_id for place in places} == {
        s.member_id for s in standings if s.member_id in joined and s.part > 0
    }
    for better, worse in pairwise(places):
        assert better.percent >= worse.percent
        assert better.rank <= worse.rank
        assert (better.rank == worse.rank) == (better.percent == worse.percent)
    board = leaderboard(standings, joined, viewer_id=1)
    assert all(place.rank <= 3 and place.percent > 0 for place in board.top)
