"""Invite payloads (shape, randomness from the given source) and every reason an invite refuses."""

from __future__ import annotations

import random
import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.teams.invites import (
    DEFAULT_LIFETIME,
    MAX_PAYLOAD,
    Invite,
    InviteRefusal,
    InviteTerms,
    TermsProblem,
    admission_refusal,
    invite_refusal,
    is_invite_payload,
    new_payload,
    new_terms,
)
from bot.core.teams.lifecycles import MembershipStatus, TeamStatus

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ACTIVE = TeamStatus.ACTIVE


def _terms(max_uses: int | None = None, now: datetime = NOW) -> InviteTerms:
    terms = new_terms(now, max_uses=max_uses)
    assert isinstance(terms, InviteTerms)
    return terms


@given(st.binary(min_size=16, max_size=16))
def test_a_payload_fits_telegram_and_keeps_all_the_randomness(raw: bytes) -> None:
    payload = new_payload(lambda size: raw)
    assert len(payload) <= MAX_PAYLOAD
    assert re.fullmatch(r"[A-Za-z0-9_-]+", payload)
    assert is_invite_payload(payload)
    assert new_payload(lambda size: bytes([raw[0] ^ 1]) + raw[1:]) != payload  # every bit counts


def test_payloads_come_from_the_random_source() -> None:
    seeded = [new_payload(random.Random(7).randbytes) for _ in range(2)]
    assert seeded[0] == seeded[1]  # the same source gives the same payload: nothing else is mixed in
    production = {new_payload(secrets.token_bytes) for _ in range(200)}
    assert len(production) == 200


def test_a_short_random_source_is_a_bug() -> None:
    with pytest.raises(ValueError, match="gave 5 bytes"):
        new_payload(lambda size: b"short")


def test_not_an_invite() -> None:
    for text in ("", "t_", "t_" + "a" * 21, "t_" + "a" * 23, "x_" + "a" * 22, "t_" + "a" * 21 + "!", "start"):
        assert not is_invite_payload(text)


def test_terms() -> None:
    terms = _terms()
    assert terms.expires_at - terms.created_at == DEFAULT_LIFETIME == timedelta(days=7)
    assert terms.max_uses is None
    assert new_terms(NOW, lifetime=timedelta(minutes=5)) is TermsProblem.LIFETIME_TOO_SHORT
    assert new_terms(NOW, lifetime=timedelta(days=31)) is TermsProblem.LIFETIME_TOO_LONG
    assert new_terms(NOW, max_uses=0) is TermsProblem.USES_NOT_POSITIVE
    assert new_terms(NOW, max_uses=501) is TermsProblem.TOO_MANY_USES


def test_an_invite_admits_until_it_expires() -> None:
    invite = Invite(_terms())
    assert invite_refusal(invite, ACTIVE, NOW) is None
    assert invite_refusal(invite, ACTIVE, NOW + timedelta(days=7) - timedelta(seconds=1)) is None
    assert invite_refusal(invite, ACTIVE, NOW + timedelta(days=7)) is InviteRefusal.EXPIRED


def test_revoked_used_up_and_archived() -> None:
    revoked = Invite(_terms(), revoked_at=NOW + timedelta(hours=1))
    assert invite_refusal(revoked, ACTIVE, NOW) is None  # not yet
    assert invite_refusal(revoked, ACTIVE, NOW + timedelta(hours=1)) is InviteRefusal.REVOKED
    used = Invite(_terms(max_uses=2), uses=2)
    assert used.uses_left == 0
    assert invite_refusal(used, ACTIVE, NOW) is InviteRefusal.USED_UP
    assert invite_refusal(Invite(_terms(max_uses=2), uses=1), ACTIVE, NOW) is None
    assert invite_refusal(Invite(_terms()), TeamStatus.ARCHIVED, NOW) is InviteRefusal.TEAM_ARCHIVED
    # Several reasons at once: the order is fixed, revoked before expired before used up.
    everything = Invite(_terms(max_uses=1), uses=1, revoked_at=NOW)
    assert invite_refusal(everything, ACTIVE, NOW + timedelta(days=8)) is InviteRefusal.REVOKED


def test_who_the_invite_admits() -> None:
    invite = Invite(_terms())
    assert admission_refusal(invite, ACTIVE, NOW) is None
    assert admission_refusal(invite, ACTIVE, NOW, MembershipStatus.LEFT) is None  # may come back
    assert admission_refusal(invite, ACTIVE, NOW, MembershipStatus.MEMBER) is InviteRefusal.ALREADY_MEMBER
    removed_later = admission_refusal(invite, ACTIVE, NOW, MembershipStatus.REMOVED, NOW + timedelta(hours=1))
    assert removed_later is InviteRefusal.REMOVED_AFTER_INVITE
    invited_later = Invite(_terms(now=NOW + timedelta(days=1)))
    assert (
        admission_refusal(invited_later, ACTIVE, NOW + timedelta(days=1), MembershipStatus.REMOVED, NOW)
        is None
    )
