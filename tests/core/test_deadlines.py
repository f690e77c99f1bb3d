"""Deadlines as people type them, in Chinese and English, resolved against a given today."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.dates import names_only_a_year, parse_deadline, reads_as_date, warm_up

FRIDAY = date(2026, 11, 27)  # the project's reference "today"
MONDAY = date(2026, 11, 30)
NEW_YEARS_EVE = date(2026, 12, 31)
FEB_28_NON_LEAP = date(2027, 2, 28)  # a Sunday
JAN_31 = date(2026, 1, 31)  # a Saturday, and a month whose day 31 does not exist in the next one


def _parse_in_both_languages(text: str, today: date) -> date | None:
    """Users mix languages: the interface language must not change what a phrase means."""
    zh = parse_deadline(text, today=today, lang="zh_CN")
    en = parse_deadline(text, today=today, lang="en")
    assert zh == en, f"{text!r}: zh_CN gives {zh}, en gives {en}"
    return zh


def _day(iso: str | None) -> date | None:
    return None if iso is None else date.fromisoformat(iso)


REQUIRED = [
    ("下月底", "2026-12-31"),
    ("两个月内", "2027-01-27"),
    ("下周三", "2026-12-02"),
    ("今年年底", "2026-12-31"),
    ("明年第二季度末", "2027-06-30"),
    ("6月30日", "2027-06-30"),
    ("2027年1月15日", "2027-01-15"),
    ("90天内", "2027-02-25"),
    ("本季度末", "2026-12-31"),
    ("下个月15号", "2026-12-15"),
    ("尽快", None),
    ("end of this month", "2026-11-30"),
    ("in 2 weeks", "2026-12-11"),
    ("by March 31", "2027-03-31"),
    ("end of Q2", "2027-06-30"),
    ("next Wednesday", "2026-12-02"),
    ("2027-01-15", "2027-01-15"),
    ("within 90 days", "2027-02-25"),
    ("end of next quarter", "2027-03-31"),
    ("June 2027", "2027-06-30"),
    ("asap", None),
]


@pytest.mark.parametrize(("text", "expected"), REQUIRED)
def test_required_examples(text: str, expected: str | None) -> None:
    assert _parse_in_both_languages(text, FRIDAY) == _day(expected)


CHINESE = [
    # Days.
    ("今天", "2026-11-27"),
    ("今晚", "2026-11-27"),
    ("明天", "2026-11-28"),
    ("明日", "2026-11-28"),
    ("后天", "2026-11-29"),
    ("大后天", "2026-11-30"),
    ("昨天", "2026-11-26"),
    # Weekdays: 下周X is in next ISO week, 本周X/这周X in this one (even if past), a bare 周X the next one.
    ("下周一", "2026-11-30"),
    ("下周五", "2026-12-04"),
    ("下周日", "2026-12-06"),
    ("下星期二", "2026-12-01"),
    ("下礼拜四", "2026-12-03"),
    ("下个星期五", "2026-12-04"),
    ("下下周三", "2026-12-09"),
    ("本周五", "2026-11-27"),
    ("这周五", "2026-11-27"),
    ("这周日", "2026-11-29"),
    ("这个星期三", "2026-11-25"),
    ("上周五", "2026-11-20"),
    ("周五", "2026-11-27"),
    ("周六", "2026-11-28"),
    ("周一", "2026-11-30"),
    ("星期天", "2026-11-29"),
    ("礼拜三", "2026-12-02"),
    # Weeks end on Sunday.
    ("本周", "2026-11-29"),
    ("这周内", "2026-11-29"),
    ("周末", "2026-11-29"),
    ("下周", "2026-12-06"),
    ("下周末", "2026-12-06"),
    ("下下周", "2026-12-13"),
    # Durations from today.
    ("3天内", "2026-11-30"),
    ("三天后", "2026-11-30"),
    ("十天内", "2026-12-07"),
    ("30天之内", "2026-12-27"),
    ("一百天内", "2027-03-07"),
    ("15日内", "2026-12-12"),
    ("一周内", "2026-12-04"),
    ("两周内", "2026-12-11"),
    ("三周内", "2026-12-18"),
    ("两个星期内", "2026-12-11"),
    ("四个礼拜内", "2026-12-25"),
    ("一个月内", "2026-12-27"),
    ("三个月内", "2027-02-27"),
    ("3个月后", "2027-02-27"),
    ("6个月以内", "2027-05-27"),
    ("12个月内", "2027-11-27"),
    ("两月内", "2027-01-27"),
    ("半个月内", "2026-12-12"),
    ("一个半月内", "2027-01-11"),
    ("1.5个月内", "2027-01-11"),
    ("半年内", "2027-05-27"),
    ("一年内", "2027-11-27"),
    ("两年内", "2028-11-27"),
    ("一年半内", "2028-05-27"),
    ("5个工作日内", "2026-12-04"),
    ("10个工作日内", "2026-12-11"),
    ("3天前", "2026-11-24"),
    # Months: a month means its last day.
    ("月底", "2026-11-30"),
    ("本月底", "2026-11-30"),
    ("这个月底", "2026-11-30"),
    ("月末", "2026-11-30"),
    ("本月内", "2026-11-30"),
    ("本月", "2026-11-30"),
    ("下月末", "2026-12-31"),
    ("下个月底", "2026-12-31"),
    ("下个月", "2026-12-31"),
    ("下下个月底", "2027-01-31"),
    ("月中", "2026-11-15"),
    ("下月中", "2026-12-15"),
    ("下月初", None),  # early in a month is a stretch of days, not a date
    ("6月底", "2027-06-30"),
    ("十月底", "2027-10-31"),
    ("11月", "2026-11-30"),
    ("12月", "2026-12-31"),
    ("3月份", "2027-03-31"),
    ("6月上旬", "2027-06-10"),
    ("6月中旬", "2027-06-20"),
    ("6月下旬", "2027-06-30"),
    ("明年3月", "2027-03-31"),
    ("2027年6月", "2027-06-30"),
    ("2027年6月底", "2027-06-30"),
    ("27年6月", "2027-06-30"),
    # Dates: without a year, the next occurrence (today counts).
    ("12月1日", "2026-12-01"),
    ("11月27日", "2026-11-27"),
    ("11月26日", "2027-11-26"),
    ("3月5号", "2027-03-05"),
    ("六月三十日", "2027-06-30"),
    ("十二月一号", "2026-12-01"),
    ("1月15", "2027-01-15"),
    ("2月29日", "2028-02-29"),
    ("2月30日", None),
    ("明年3月15日", "2027-03-15"),
    ("2027年1月15号", "2027-01-15"),
    ("二〇二七年一月十五日", "2027-01-15"),
    ("２０２７年１月１５日", "2027-01-15"),
    ("6 月 30 日", "2027-06-30"),
    ("下月15日", "2026-12-15"),
    ("下个月的20号", "2026-12-20"),
    ("本月30号", "2026-11-30"),
    ("本月20号", "2026-11-20"),
    ("15号", "2026-12-15"),
    ("30号", "2026-11-30"),
    ("二十五号", "2026-12-25"),
    # Quarters: without a year, the next one that is not over.
    ("季度末", "2026-12-31"),
    ("季末", "2026-12-31"),
    ("本季度", "2026-12-31"),
    ("这个季度末", "2026-12-31"),
    ("下季度末", "2027-03-31"),
    ("下个季度", "2027-03-31"),
    ("下下季度末", "2027-06-30"),
    ("第一季度", "2027-03-31"),
    ("二季度末", "2027-06-30"),
    ("第三季度末", "2027-09-30"),
    ("第四季度", "2026-12-31"),
    ("Q3末", "2027-09-30"),
    ("明年第一季度", "2027-03-31"),
    ("明年Q4", "2027-12-31"),
    ("今年第四季度末", "2026-12-31"),
    ("今年第二季度", "2026-06-30"),  # past: the caller says so
    ("2027年第三季度", "2027-09-30"),
    ("2027年Q1", "2027-03-31"),
    # Years and halves.
    ("年底", "2026-12-31"),
    ("年末", "2026-12-31"),
    ("年内", "2026-12-31"),
    ("今年底", "2026-12-31"),
    ("今年", "2026-12-31"),
    ("明年底", "2027-12-31"),
    ("明年年底", "2027-12-31"),
    ("明年", "2027-12-31"),
    ("后年底", "2028-12-31"),
    ("2027年底", "2027-12-31"),
    ("27年底", "2027-12-31"),
    ("2027年", "2027-12-31"),
    ("年中", "2027-06-30"),
    ("明年年中", "2027-06-30"),
    ("上半年", "2027-06-30"),
    ("下半年", "2026-12-31"),
    ("明年上半年", "2027-06-30"),
    ("2027年下半年", "2027-12-31"),
    ("年初", None),
    # Holidays, the next one: X前 / X之前 is the day before X, X alone is X; lunar ones from the calendar.
    ("元旦前", "2026-12-31"),
    ("五一之前", "2027-04-30"),
    ("国庆节", "2027-10-01"),
    ("国庆节前", "2027-09-30"),
    ("双十一前", "2027-11-10"),
    ("双12", "2026-12-12"),
    ("圣诞节前", "2026-12-24"),
    ("春节前", "2027-02-05"),
    ("过年前", "2027-02-05"),
    ("春节", "2027-02-06"),
    ("中秋节前", "2027-09-14"),
    ("中秋之前", "2027-09-14"),
    ("端午节前", "2027-06-08"),
    ("端午", "2027-06-09"),
    ("清明节前", "2027-04-04"),
    ("劳动节前", "2027-04-30"),
    ("年前", None),
    # Words around the date.
    ("下周三之前", "2026-12-02"),
    ("截止到6月30日", "2027-06-30"),
    ("我想在下周三之前完成", "2026-12-02"),
    ("尽快，最晚下周五", "2026-12-04"),
    ("月底前", "2026-11-30"),
]


@pytest.mark.parametrize(("text", "expected"), CHINESE)
def test_chinese_phrases(text: str, expected: str | None) -> None:
    assert _parse_in_both_languages(text, FRIDAY) == _day(expected)


ENGLISH = [
    # Days.
    ("today", "2026-11-27"),
    ("tonight", "2026-11-27"),
    ("EOD", "2026-11-27"),
    ("by end of day", "2026-11-27"),
    ("tomorrow", "2026-11-28"),
    ("Tomorrow!", "2026-11-28"),
    ("tmrw", "2026-11-28"),
    ("the day after tomorrow", "2026-11-29"),
    ("yesterday", "2026-11-26"),
    # Weekdays: "next X" is in next ISO week; "X" and "this X" the next one from today on.
    ("next Monday", "2026-11-30"),
    ("next Friday", "2026-12-04"),
    ("next Sunday", "2026-12-06"),
    ("next tues", "2026-12-01"),
    ("Wednesday next week", "2026-12-02"),
    ("next week Thursday", "2026-12-03"),
    ("Wednesday after next", "2026-12-09"),
    ("this Friday", "2026-11-27"),
    ("this Wednesday", "2026-12-02"),
    ("this coming Monday", "2026-11-30"),
    ("Friday", "2026-11-27"),
    ("by Saturday", "2026-11-28"),
    ("on Thursday", "2026-12-03"),
    ("Thursday this week", "2026-11-26"),
    ("last Friday", "2026-11-20"),
    # Weeks end on Sunday.
    ("this week", "2026-11-29"),
    ("end of the week", "2026-11-29"),
    ("EOW", "2026-11-29"),
    ("this weekend", "2026-11-29"),
    ("within the week", "2026-11-29"),
    ("next week", "2026-12-06"),
    ("end of next week", "2026-12-06"),
    ("next weekend", "2026-12-06"),
    ("the week after next", "2026-12-13"),
    ("beginning of next week", "2026-11-30"),
    # Durations from today.
    ("in 3 days", "2026-11-30"),
    ("within 10 days", "2026-12-07"),
    ("in 30 days", "2026-12-27"),
    ("within a week", "2026-12-04"),
    ("in one week", "2026-12-04"),
    ("in two weeks", "2026-12-11"),
    ("2 weeks", "2026-12-11"),
    ("2 weeks from now", "2026-12-11"),
    ("a couple of weeks", "2026-12-11"),
    ("in a fortnight", "2026-12-11"),
    ("within 3 weeks", "2026-12-18"),
    ("in a month", "2026-12-27"),
    ("within 2 months", "2027-01-27"),
    ("in 3 months", "2027-02-27"),
    ("in six months", "2027-05-27"),
    ("in 1.5 months", "2027-01-11"),
    ("half a year", "2027-05-27"),
    ("within a year", "2027-11-27"),
    ("in the next 30 days", "2026-12-27"),
    ("within 5 business days", "2026-12-04"),
    ("in 10 working days", "2026-12-11"),
    ("3 days ago", "2026-11-24"),
    ("in 2 wks", "2026-12-11"),
    ("3 mos", "2027-02-27"),
    ("in a couple days", "2026-11-29"),
    ("a few weeks", None),
    ("in several days", None),
    # Months.
    ("end of month", "2026-11-30"),
    ("end of the month", "2026-11-30"),
    ("by the end of this month", "2026-11-30"),
    ("EOM", "2026-11-30"),
    ("month-end", "2026-11-30"),
    ("this month", "2026-11-30"),
    ("next month", "2026-12-31"),
    ("end of next month", "2026-12-31"),
    ("mid next month", "2026-12-15"),
    ("beginning of next month", "2026-12-01"),
    ("first day of next month", "2026-12-01"),
    ("last day of the month", "2026-11-30"),
    ("last day of next month", "2026-12-31"),
    ("within the month", "2026-11-30"),
    ("June", "2027-06-30"),
    ("by June", "2027-06-30"),
    ("end of June", "2027-06-30"),
    ("mid-June", "2027-06-15"),
    ("early June", None),
    ("November", "2026-11-30"),
    ("December", "2026-12-31"),
    ("by May", "2027-05-31"),
    ("by June 2027", "2027-06-30"),
    ("Sept 2027", "2027-09-30"),
    ("March of 2028", "2028-03-31"),
    ("June next year", "2027-06-30"),
    # Dates: without a year, the next occurrence (today counts).
    ("March 31", "2027-03-31"),
    ("March 31st", "2027-03-31"),
    ("31 March", "2027-03-31"),
    ("31st of March", "2027-03-31"),
    ("Dec 15", "2026-12-15"),
    ("Dec. 15", "2026-12-15"),
    ("December 15th", "2026-12-15"),
    ("15 dec", "2026-12-15"),
    ("November 27", "2026-11-27"),
    ("November 26", "2027-11-26"),
    ("Feb 29", "2028-02-29"),
    ("March 31, 2027", "2027-03-31"),
    ("31 March 2027", "2027-03-31"),
    ("15-Dec-2026", "2026-12-15"),
    ("Thursday, December 3, 2026", "2026-12-03"),
    ("the 15th", "2026-12-15"),
    ("by the 30th", "2026-11-30"),
    ("15th of next month", "2026-12-15"),
    ("next month on the 20th", "2026-12-20"),
    # Quarters.
    ("end of this quarter", "2026-12-31"),
    ("within this quarter", "2026-12-31"),
    ("this quarter", "2026-12-31"),
    ("EOQ", "2026-12-31"),
    ("end of the quarter", "2026-12-31"),
    ("next quarter", "2027-03-31"),
    ("end of Q1", "2027-03-31"),
    ("Q2", "2027-06-30"),
    ("end of Q3", "2027-09-30"),
    ("Q4", "2026-12-31"),
    ("q4 2026", "2026-12-31"),
    ("Q1 2027", "2027-03-31"),
    ("Q1 of 2027", "2027-03-31"),
    ("2027 Q2", "2027-06-30"),
    ("Q2 next year", "2027-06-30"),
    ("start of Q2", "2027-04-01"),
    ("first quarter", "2027-03-31"),
    ("second quarter of 2027", "2027-06-30"),
    ("4th quarter", "2026-12-31"),
    # Years and halves.
    ("end of the year", "2026-12-31"),
    ("within the year", "2026-12-31"),
    ("end of the fiscal year", None),  # fiscal years end on different dates in each company
    ("end of year", "2026-12-31"),
    ("EOY", "2026-12-31"),
    ("year-end", "2026-12-31"),
    ("this year", "2026-12-31"),
    ("next year", "2027-12-31"),
    ("end of next year", "2027-12-31"),
    ("by 2027", "2027-12-31"),
    ("end of 2028", "2028-12-31"),
    ("mid-year", "2027-06-30"),
    ("H1", "2027-06-30"),
    ("H2", "2026-12-31"),
    ("H1 2027", "2027-06-30"),
    ("2027 H2", "2027-12-31"),
    ("first half of 2027", "2027-06-30"),
    ("FY2027", None),  # fiscal years end on different dates in each company
    # Holidays on a fixed date: the next one.
    ("by Christmas", "2026-12-25"),
    ("Christmas Eve", "2026-12-24"),
    ("New Year’s Eve", "2026-12-31"),
    ("new year", "2027-01-01"),
    ("Halloween", "2027-10-31"),
    ("before Chinese New Year", "2027-02-05"),  # lunar: from the calendar, not January 1
    ("by Thanksgiving", "2027-11-25"),  # 2026's was yesterday
    ("before Thanksgiving", "2027-11-24"),
    ("before Christmas", "2026-12-24"),
    ("by New Year's Eve", "2026-12-31"),
    ("before New Year's Day", "2026-12-31"),
    ("by Independence Day", "2027-07-04"),
    ("before the Dragon Boat Festival", "2027-06-08"),
    # Words around the date.
    ("ASAP, by Friday", "2026-11-27"),
    ("COB Friday", "2026-11-27"),
    ("no later than next Friday", "2026-12-04"),
    ("I may finish it next week", "2026-12-06"),
    ("deadline: 2027-03-01", "2027-03-01"),
    ("tomorrow please", "2026-11-28"),
    ("the deadline is Dec 15", "2026-12-15"),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english_phrases(text: str, expected: str | None) -> None:
    assert _parse_in_both_languages(text, FRIDAY) == _day(expected)


NUMERIC = [
    ("2027-01-15", "2027-01-15"),
    ("2027/1/15", "2027-01-15"),
    ("2027.1.15", "2027-01-15"),
    ("2027-06", "2027-06-30"),
    ("2027/02/29", None),
    ("2028/02/29", "2028-02-29"),
    # Day and month in either order only when one of them cannot be a month.
    ("15/01/2027", "2027-01-15"),
    ("01/15/2027", "2027-01-15"),
    ("15.01.2027", "2027-01-15"),
    ("12.25", "2026-12-25"),
    ("25/12", "2026-12-25"),
    ("05/01/2027", None),
    ("3/5", None),
    ("1.5", None),
]


@pytest.mark.parametrize(("text", "expected"), NUMERIC)
def test_numeric_dates(text: str, expected: str | None) -> None:
    assert _parse_in_both_languages(text, FRIDAY) == _day(expected)


REJECTED = [
    "尽快",
    "越快越好",
    "马上",
    "立刻",
    "随时",
    "ASAP",
    "asap",
    "As soon as possible",
    "soon",
    "someday",
    "whenever",
    "later",
    "",
    "   ",
    "abc",
    "garbage",
    "hello world",
    "我们",
    "123",
    "5",
    "3.5",
    "1700000000",
    "20270115",
    "3 visits 12 calls",
    "I may",
    "month",
    "week",
    "noon",
    "!!!",
    "in10:302027 year's",  # dateparser raises on this one
    "in 9999 years",  # beyond date.max
    "312027 months",
    "0000年",
]


@pytest.mark.parametrize("text", REJECTED)
def test_vague_phrases_and_garbage_give_no_date(text: str) -> None:
    assert _parse_in_both_languages(text, FRIDAY) is None


OTHER_TODAYS = [
    # A Monday: next week starts in a week, this week's days are still ahead.
    (MONDAY, "next Wednesday", "2026-12-09"),
    (MONDAY, "this Wednesday", "2026-12-02"),
    (MONDAY, "Wednesday", "2026-12-02"),
    (MONDAY, "下周三", "2026-12-09"),
    (MONDAY, "本周三", "2026-12-02"),
    (MONDAY, "周一", "2026-11-30"),
    (MONDAY, "下周", "2026-12-13"),
    (MONDAY, "this week", "2026-12-06"),
    (MONDAY, "月底", "2026-11-30"),
    (MONDAY, "两个月内", "2027-01-30"),
    (MONDAY, "in 1 month", "2026-12-30"),
    (MONDAY, "31号", "2026-12-31"),
    # New Year's Eve: everything rolls into the next year.
    (NEW_YEARS_EVE, "明天", "2027-01-01"),
    (NEW_YEARS_EVE, "下月底", "2027-01-31"),
    (NEW_YEARS_EVE, "两个月内", "2027-02-28"),
    (NEW_YEARS_EVE, "in 2 months", "2027-02-28"),
    (NEW_YEARS_EVE, "一个月内", "2027-01-31"),
    (NEW_YEARS_EVE, "本季度末", "2026-12-31"),
    (NEW_YEARS_EVE, "下季度末", "2027-03-31"),
    (NEW_YEARS_EVE, "end of Q4", "2026-12-31"),
    (NEW_YEARS_EVE, "end of Q1", "2027-03-31"),
    (NEW_YEARS_EVE, "今年年底", "2026-12-31"),
    (NEW_YEARS_EVE, "明年第二季度末", "2027-06-30"),
    (NEW_YEARS_EVE, "12月31日", "2026-12-31"),
    (NEW_YEARS_EVE, "1月15日", "2027-01-15"),
    (NEW_YEARS_EVE, "下周三", "2027-01-06"),
    (NEW_YEARS_EVE, "本周三", "2026-12-30"),
    (NEW_YEARS_EVE, "next week", "2027-01-10"),
    (NEW_YEARS_EVE, "下个月15号", "2027-01-15"),
    (NEW_YEARS_EVE, "the 15th", "2027-01-15"),
    (NEW_YEARS_EVE, "in 1 year", "2027-12-31"),
    (NEW_YEARS_EVE, "下半年", "2026-12-31"),
    (NEW_YEARS_EVE, "上半年", "2027-06-30"),
    # February 28 of a non-leap year (a Sunday): month ends and leap days.
    (FEB_28_NON_LEAP, "月底", "2027-02-28"),
    (FEB_28_NON_LEAP, "end of this month", "2027-02-28"),
    (FEB_28_NON_LEAP, "下月底", "2027-03-31"),
    (FEB_28_NON_LEAP, "一个月内", "2027-03-28"),
    (FEB_28_NON_LEAP, "in 1 year", "2028-02-28"),
    (FEB_28_NON_LEAP, "明天", "2027-03-01"),
    (FEB_28_NON_LEAP, "2月29日", "2028-02-29"),
    (FEB_28_NON_LEAP, "1月15日", "2028-01-15"),
    (FEB_28_NON_LEAP, "本周五", "2027-02-26"),
    (FEB_28_NON_LEAP, "周日", "2027-02-28"),
    (FEB_28_NON_LEAP, "下周三", "2027-03-03"),
    (FEB_28_NON_LEAP, "next Wednesday", "2027-03-03"),
    (FEB_28_NON_LEAP, "本季度末", "2027-03-31"),
    (FEB_28_NON_LEAP, "明年第二季度末", "2028-06-30"),
    (FEB_28_NON_LEAP, "end of Q1", "2027-03-31"),
    (FEB_28_NON_LEAP, "29号", "2027-03-29"),
    # January 31: one month later is clamped to February's end; "下个月31号" does not exist.
    (JAN_31, "一个月内", "2026-02-28"),
    (JAN_31, "in 1 month", "2026-02-28"),
    (JAN_31, "两个月内", "2026-03-31"),
    (JAN_31, "下月底", "2026-02-28"),
    (JAN_31, "下个月31号", None),
    (JAN_31, "6月30日", "2026-06-30"),
    (JAN_31, "Q1", "2026-03-31"),
    (JAN_31, "年中", "2026-06-30"),
]


@pytest.mark.parametrize(("today", "text", "expected"), OTHER_TODAYS)
def test_other_todays(today: date, text: str, expected: str | None) -> None:
    assert _parse_in_both_languages(text, today) == _day(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 36 hours", "2026-11-28"),
        ("2pm", "2026-11-27"),
    ],
)
def test_what_the_rules_do_not_know_falls_back_to_dateparser(text: str, expected: str) -> None:
    assert _parse_in_both_languages(text, FRIDAY) == _day(expected)


def test_hostile_input_gets_an_answer() -> None:
    """Pathological text is answered (a date or None), never an exception; its speed is a bench/ matter."""
    for text in ("1" * 3000 + "x", "下" * 3000, "a " * 3000 + "days", "1/" * 1000, "周" * 3000):
        assert isinstance(parse_deadline(text, today=FRIDAY, lang="en"), date | None)


def test_warm_up_runs() -> None:
    warm_up()
    assert parse_deadline("December 15th", today=FRIDAY, lang="en") == date(2026, 12, 15)


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("劳动节前", "CN", "2027-04-30"),  # May 1 in China
        ("劳动节前", "US", "2027-09-05"),  # the first Monday of September in the US
        ("by Labor Day", "US", "2027-09-06"),
        ("by Labor Day", None, "2027-05-01"),  # no country: where the holiday belongs first
        ("中秋之前", "US", "2027-09-14"),  # a holiday the country does not keep is read where it belongs
        ("before Thanksgiving", "CN", "2027-11-24"),
        ("端午节前", None, "2027-06-08"),
    ],
)
def test_holidays_of_the_users_country(text: str, country: str | None, expected: str) -> None:
    for lang in ("zh_CN", "en"):
        assert parse_deadline(text, today=FRIDAY, lang=lang, country=country) == _day(expected)


def test_a_holiday_today_means_the_next_one_when_the_day_before_is_past() -> None:
    thanksgiving = date(2026, 11, 26)
    assert parse_deadline("by Thanksgiving", today=thanksgiving, lang="en") == thanksgiving
    assert parse_deadline("before Thanksgiving", today=thanksgiving, lang="en") == date(2027, 11, 24)


@pytest.mark.parametrize(
    ("text", "is_date"),
    [("3月底前", True), ("2027-03-31", True), ("next Friday", True), ("end of March", True),
     ("50万", False), ("2027", False), ("2.5", False), ("12.25", False), ("¥80,000", False),
     ("签了5万 下周", False), ("十个", False)],
)  # fmt: skip
def test_a_date_is_told_from_an_amount(text: str, is_date: bool) -> None:
    assert reads_as_date(text) is is_date


@pytest.mark.parametrize(
    ("text", "bare"),
    [("明年", True), ("next year", True), ("by next year", True), ("明年底", False), ("end of next year", False),
     ("明年3月", False), ("明年第二季度末", False)],
)  # fmt: skip
def test_a_year_alone_is_no_deadline_yet(text: str, bare: bool) -> None:
    assert names_only_a_year(text) is bare
