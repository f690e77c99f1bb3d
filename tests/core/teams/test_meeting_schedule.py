"""The weekly meeting's instants: default Monday 09:00, the prompt the evening before, the digest an hour
before, across DST changes and China's public holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.calendar_adjustments import adjustments_for
from bot.core.teams.meeting_schedule import MeetingRule, meeting_day, meetings_between, next_meeting, slot
from bot.core.work_calendar import MONDAY_TO_FRIDAY, WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
PLAIN = WorkCalendar(None, MONDAY_TO_FRIDAY)
CN = WorkCalendar("CN", MONDAY_TO_FRIDAY, adjustments=adjustments_for("CN"))


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_default_monday_nine_in_shanghai() -> None:
    meeting = next_meeting(MeetingRule(), PLAIN, SHANGHAI, _utc(2026, 3, 4, 0))  # a Wednesday
    assert meeting.day == date(2026, 3, 9)
    assert meeting.starts_at == _utc(2026, 3, 9, 1)  # 09:00 +08:00
    assert meeting.digest_at == _utc(2026, 3, 9, 0)
    assert meeting.prompt_at == _utc(2026, 3, 8, 10)  # Sunday 18:00
    assert meeting.covers == (date(2026, 3, 2), date(2026, 3, 8))


def test_next_meeting_is_strictly_after() -> None:
    monday_nine = _utc(2026, 3, 9, 1)
    assert next_meeting(MeetingRule(), PLAIN, SHANGHAI, monday_nine - timedelta(seconds=1)).day == date(
        2026, 3, 9
    )
    assert next_meeting(MeetingRule(), PLAIN, SHANGHAI, monday_nine).day == date(2026, 3, 16)
    with pytest.raises(ValueError, match="aware"):
        next_meeting(MeetingRule(), PLAIN, SHANGHAI, datetime(2026, 3, 9, 9))


def test_across_the_spring_change_in_new_york() -> None:
    # DST starts Sunday 2026-03-08 02:00: the prompt that evening is EDT, the Saturday before is EST.
    meeting = slot(MeetingRule(), date(2026, 3, 9), NEW_YORK)
    assert meeting.prompt_at == _utc(2026, 3, 8, 22)  # 18:00 EDT
    assert meeting.starts_at == _utc(2026, 3, 9, 13)  # 09:00 EDT
    assert meeting.digest_at == _utc(2026, 3, 9, 12)  # 08:00 EDT
    week_before = slot(MeetingRule(), date(2026, 3, 2), NEW_YORK)
    assert week_before.starts_at == _utc(2026, 3, 2, 14)  # 09:00 EST


def test_a_meeting_in_the_gap_and_a_digest_across_the_change() -> None:
    # Europe/Berlin skips 02:00-03:00 on Sunday 2026-03-29; a 03:30 Sunday meeting's digest is at 01:30 CET,
    # one real hour before, not 02:30 (a time that does not exist that night).
    rule = MeetingRule(weekday=7, at=time(3, 30))
    meeting = slot(rule, date(2026, 3, 29), BERLIN)
    assert meeting.starts_at == _utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    assert meeting.digest_at == _utc(2026, 3, 29, 0, 30)  # 01:30 CET
    assert meeting.starts_at - meeting.digest_at == timedelta(hours=1)
    in_gap = slot(MeetingRule(weekday=7, at=time(2, 30)), date(2026, 3, 29), BERLIN)
    assert in_gap.starts_at == _utc(2026, 3, 29, 1)  # the first instant after the gap, 03:00 CEST


def test_autumn_fall_back_in_new_york() -> None:
    # DST ends Sunday 2026-11-01: Monday's 09:00 is EST; the prompt on Sunday evening too.
    meeting = slot(MeetingRule(), date(2026, 11, 2), NEW_YORK)
    assert meeting.prompt_at == _utc(2026, 11, 1, 23)
    assert meeting.starts_at == _utc(2026, 11, 2, 14)


def test_a_holiday_moves_the_meeting_within_its_week() -> None:
    # China 2026: National Day holiday Oct 1-7 (Thursday to Wednesday); Monday Oct 5 is off.
    assert meeting_day(MeetingRule(), CN, date(2026, 10, 5)) == date(
        2026, 10, 8
    )  # Thursday, first working day
    # Labour Day 2026 (May 1-5 off): a Friday meeting has no working day after it that week, so it moves
    # back to Thursday Apr 30.
    assert meeting_day(MeetingRule(weekday=5), CN, date(2026, 4, 27)) == date(2026, 4, 30)
    # Spring Festival 2026: Feb 15-23 off; the week of Feb 16 has no working day, so no meeting.
    assert meeting_day(MeetingRule(), CN, date(2026, 2, 16)) is None
    slots = meetings_between(MeetingRule(), CN, SHANGHAI, date(2026, 2, 9), date(2026, 3, 1))
    assert [meeting.day for meeting in slots] == [date(2026, 2, 9), date(2026, 2, 24)]
    # A weekday the team does not normally work was chosen on purpose: it never moves.
    assert meeting_day(MeetingRule(weekday=6), CN, date(2026, 10, 5)) == date(2026, 10, 10)


def test_a_moved_meeting_moves_its_prompt_and_digest() -> None:
    meeting = next_meeting(MeetingRule(), CN, SHANGHAI, _utc(2026, 10, 1))
    assert meeting.day == date(2026, 10, 8)
    assert meeting.prompt_at == _utc(2026, 10, 7, 10)
    assert meeting.covers == (date(2026, 10, 1), date(2026, 10, 7))


def test_bad_rules() -> None:
    with pytest.raises(ValueError, match="weekday"):
        MeetingRule(weekday=0)
    with pytest.raises(ValueError, match="wall time"):
        MeetingRule(at=time(9, tzinfo=UTC))
