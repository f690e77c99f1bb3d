"""The team leaderboard: off by default, joined per member, ranked by % of one's own target.

Never by absolute amounts, so a junior with a small part ranks fairly beside a senior. Only members who
joined the board and have a part are ranked. Members at the same percentage (as shown: rounded down to
0.1%, as a personal goal shows it) share a rank and the next rank skips (1, 2, 2, 4); within a tie the
order is by member id, so the same data always gives the same board. The board shows ranks 1 to 3
among those with any result (nobody leads with nothing; everyone tied for a place in it is shown) and the
viewer's own rank; there is no bottom list. Whether the viewer may see the board at all is the caller's (roles, the team's switch).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from bot.core.progress import PERCENT_QUANTUM

TOP = 3


@dataclass(frozen=True)
class Standing:
    member_id: int
    achieved: Decimal
    part: Decimal


@dataclass(frozen=True)
class Place:
    rank: int
    member_id: int
    percent: Decimal  # of their own part, rounded down to 0.1


@dataclass(frozen=True)
class Leaderboard:
    top: tuple[Place, ...]  # ranks 1 to TOP (more than TOP places when tied), each with a result
    viewer: Place | None  # the viewer's own place, when they are ranked
    ranked: int  # how many are ranked


def percent_of_part(achieved: Decimal, part: Decimal) -> Decimal:
    return (achieved * 100 / part).quantize(PERCENT_QUANTUM, rounding=ROUND_FLOOR)


def ranking(standings: Sequence[Standing], joined: Collection[int]) -> tuple[Place, ...]:
    """Every ranked member's place, best first."""
    scored = sorted(
        (
            (percent_of_part(standing.achieved, standing.part), standing.member_id)
            for standing in standings
            if standing.member_id in joined and standing.part > 0
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    places: list[Place] = []
    for position, (percent, member) in enumerate(scored, start=1):
        tied = bool(places) and places[-1].percent == percent
        places.append(Place(places[-1].rank if tied else position, member, percent))
    return tuple(places)


def leaderboard(standings: Sequence[Standing], joined: Collection[int], viewer_id: int) -> Leaderboard:
    """The board as `viewer_id` sees it: the top three with results, and their own place."""
    places = ranking(standings, joined)
    top = tuple(place for place in places if place.percent > 0 and place.rank <= TOP)
    viewer = next((place for place in places if place.member_id == viewer_id), None)
    return Leaderboard(top=top, viewer=viewer, ranked=len(places))
