"""Chinese date phrases: 2027年1月15日, 6月30日, 下个月15号, 下月底, 两个月内, 3天前, 下周三, 本季度末, 年中.

Quarters written Q2 are read here too, with the English edge words ("end of Q2"): Chinese writers use
Q2 as much as 第二季度.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.core.dates.calendar import (
    month_end,
    quarter_end,
    quarter_of,
    quarter_start,
    safe_date,
    shift_month,
    week_start,
)
from bot.core.dates.rules import Anchor, RuleSet, after, count, edge_of, is_ago, month_part, year_of
from bot.core.dates.words import (
    CN_AFTER,
    CN_COUNT,
    CN_DAY,
    CN_MONTH,
    CN_REL,
    CN_RELATIVE,
    CN_WEEKDAYS,
    CN_YEAR,
    EN_EDGE,
    EN_YEAR_AFTER,
)

RULES = RuleSet()
_rule = RULES.rule
_MONTH_PART = r"(?P<part>底|末|之?内|以内|中旬|上旬|下旬|中|初)"


@_rule(rf"(?<!\d) {CN_YEAR} 的? {CN_MONTH} 月 {CN_DAY} [日号]? (?!\d)")
def _year_month_day(match: re.Match[str], anchor: Anchor) -> date | None:
    year, month, day = year_of(match, anchor.today), count(match["month"]), count(match["day"])
    return None if year is None or month is None or day is None else safe_date(year, month, day)


@_rule(rf"(?<![\d年]) {CN_MONTH} 月 {CN_DAY} [日号]? (?!\d)")
def _month_day(match: re.Match[str], anchor: Anchor) -> date | None:
    month, day = count(match["month"]), count(match["day"])
    return None if month is None or day is None else anchor.month_day(month, day)


@_rule(rf"{CN_REL} 个?月 的? {CN_DAY} [日号]")
def _relative_month_day(match: re.Match[str], anchor: Anchor) -> date | None:
    day = count(match["day"])
    year, month = shift_month(anchor.today, CN_RELATIVE[match["rel"]])
    return None if day is None else safe_date(year, month, day)


@_rule(rf"(?<![\d月一二三四五六七八九十]) {CN_DAY} [日号]")
def _day_of_month(match: re.Match[str], anchor: Anchor) -> date | None:
    day = count(match["day"])
    return None if day is None else anchor.day_of_month(day)


@_rule(rf"(?<!\d) (?:{CN_YEAR} 的?)? {CN_MONTH} 月份? {_MONTH_PART}?")
def _month(match: re.Match[str], anchor: Anchor) -> date | None:
    month = count(match["month"])
    if month is None or not 1 <= month <= 12:
        return None
    year = year_of(match, anchor.today)
    if year is not None:
        return month_part(year, month, match["part"])
    return anchor.period(lambda year: month_part(year, month, match["part"]))


@_rule(
    rf"{CN_REL} 个?月份? {_MONTH_PART}?"
    r"| (?<![\d一二三四五六七八九十个]) 月 (?P<bare>底|末|之?内|以内|中旬|上旬|下旬|中|初)"
)
def _relative_month(match: re.Match[str], anchor: Anchor) -> date | None:
    year, month = shift_month(anchor.today, CN_RELATIVE[match["rel"]] if match["rel"] else 0)
    return month_part(year, month, match["part"] or match["bare"])


@_rule(rf"{CN_COUNT} 个? (?:(?P<business>工作日)|天|日(?=之?内|以内|之?后|以后|之?前|以前)) {CN_AFTER}?")
def _days(match: re.Match[str], anchor: Anchor) -> date | None:
    return after(anchor.today, match["n"], "business" if match["business"] else "day", ago=is_ago(match))


@_rule(rf"{CN_COUNT} 个? (?:周|星期|礼拜) {CN_AFTER}?")
def _weeks(match: re.Match[str], anchor: Anchor) -> date | None:
    return after(anchor.today, match["n"], "week", ago=is_ago(match))


@_rule(
    rf"(?: {CN_COUNT} 个 (?P<half>半)? | (?<![\d.])(?P<two>两) | (?<![\d.])(?P<half_only>半) 个? )"
    rf"月 {CN_AFTER}?"
)
def _months(match: re.Match[str], anchor: Anchor) -> date | None:
    months = "0.5" if match["half_only"] else (match["n"] or "2") + (".5" if match["half"] else "")
    return after(anchor.today, months, "month", ago=is_ago(match))


@_rule(rf"(?:{CN_COUNT} 个? | (?<![\d.])(?P<half_only>半) 个?) 年 (?P<half>半)? {CN_AFTER}?")
def _years(match: re.Match[str], anchor: Anchor) -> date | None:
    years = "0.5" if match["half_only"] else match["n"] + (".5" if match["half"] else "")
    return after(anchor.today, years, "year", ago=is_ago(match))


@_rule(rf"{CN_REL}? (?:周|星期|礼拜|週) (?P<weekday>[一二三四五六日天七1-7])")
def _weekday(match: re.Match[str], anchor: Anchor) -> date | None:
    weekday = CN_WEEKDAYS.get(match["weekday"]) or int(match["weekday"])
    if match["rel"] is None:
        return anchor.weekday(weekday)
    return week_start(anchor.today, CN_RELATIVE[match["rel"]]) + timedelta(days=weekday - 1)


@_rule(rf"{CN_REL} 个? (?:周|星期|礼拜|週) (?:末|之?内|以内)? | (?<![\d一二三四五六七八九十两个]) 周末")
def _week(match: re.Match[str], anchor: Anchor) -> date | None:
    return week_start(anchor.today, CN_RELATIVE[match["rel"]] if match["rel"] else 0) + timedelta(days=6)


@_rule(r"大后天|后天|明天|明日|明早|明晚|今天|今日|今晚|今儿|昨天|前天")
def _day_word(match: re.Match[str], anchor: Anchor) -> date | None:
    offsets = {"大后天": 3, "后天": 2, "明天": 1, "明日": 1, "明早": 1, "明晚": 1, "昨天": -1, "前天": -2}
    return anchor.today + timedelta(days=offsets.get(match.group(), 0))


@_rule(
    rf"{EN_EDGE}? (?:{CN_YEAR} 的? | (?<!\d)(?P<year_before>\d{{4}}) \s*)?"
    r"(?: 第? (?P<q_cn>[一二三四1-4]) 季度? | (?<![a-z]) q (?P<q>[1-4]) (?!\d))"
    r"(?P<part>末|底|之?内|以内|结束|初)?"
    rf"(?: \s* {EN_YEAR_AFTER})?"
)
def _quarter(match: re.Match[str], anchor: Anchor) -> date | None:
    quarter = count(match["q"] or match["q_cn"])
    edge = edge_of(match)
    if quarter is None or match["part"] == "初" or edge in ("mid", "vague"):
        return None  # early in or the middle of a quarter is a vague stretch

    def resolve(year: int) -> date:
        return quarter_start(year, quarter) if edge == "start" else quarter_end(year, quarter)

    year = year_of(match, anchor.today)
    return resolve(year) if year is not None else anchor.period(resolve)


@_rule(rf"{CN_REL} 个? (?:季度|季) (?P<part>末|底|之?内|以内|初)? | 季度? (?P<bare>末|底)")
def _relative_quarter(match: re.Match[str], anchor: Anchor) -> date | None:
    if match["part"] == "初":
        return None
    offset = CN_RELATIVE[match["rel"]] if match["rel"] else 0
    year, month = shift_month(anchor.today, 3 * offset)
    return quarter_end(year, quarter_of(month))


@_rule(
    r"(?<!\d) (?: (?P<year>\d{4}|[〇零一二三四五六七八九]{4}) 年 | (?P<yy>\d{2}) 年 (?=年?[底末])"
    r"     | (?P<year_word>今年|本年|明年|来年|后年|去年) )"
    r"  (?P<part>年?底|年?末|之?内|以内|年中|中|年初|初)?"
    r"| (?<![\d一二三四五六七八九十两半个]) 年 (?P<bare>底|末|之?内|以内|中|初)"
)
def _year(match: re.Match[str], anchor: Anchor) -> date | None:
    if match["yy"]:
        year: int | None = 2000 + int(match["yy"])
    else:
        year = year_of(match, anchor.today) if match["year"] or match["year_word"] else anchor.today.year
    part = (match["part"] or match["bare"] or "").removeprefix("年")
    if year is None or part == "初":
        return None  # 年初 is a vague stretch
    if part == "中" and not (match["year"] or match["yy"] or match["year_word"]):
        return anchor.period(lambda year: date(year, 6, 30))  # a bare 年中 is the next one
    return date(year, 6, 30) if part == "中" else date(year, 12, 31)


@_rule(rf"(?:{CN_YEAR} 的?)? (?P<half>上|下) 半年 (?:末|底)?")
def _half_year(match: re.Match[str], anchor: Anchor) -> date | None:
    month = 6 if match["half"] == "上" else 12
    year = year_of(match, anchor.today)
    if year is not None:
        return month_end(year, month)
    return anchor.period(lambda year: month_end(year, month))
