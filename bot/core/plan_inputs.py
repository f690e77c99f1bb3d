"""Understanding what people type when they shape a plan: activity targets, time blocks, vacation ranges."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from bot.core.dates import parse_date_range
from bot.core.numbers import ENGLISH_NUMBER_PATTERN, parse_small_number
from bot.core.times_of_day import parse_time_of_day

ACTIVITY_WORDS: dict[str, str] = {
    "visit": "visits",
    "visits": "visits",
    "client visits": "visits",
    "拜访": "visits",
    "客户拜访": "visits",
    "call": "calls",
    "calls": "calls",
    "phone calls": "calls",
    "电话": "calls",
    "通电话": "calls",
    "meeting": "meetings",
    "meetings": "meetings",
    "会议": "meetings",
    "会面": "meetings",
    "见面": "meetings",
    "training": "trainings",
    "trainings": "trainings",
    "client trainings": "trainings",
    "培训": "trainings",
    "客户培训": "trainings",
    "event": "events",
    "events": "events",
    "industry event": "events",
    "industry events": "events",
    "industry meeting": "events",
    "行业会议": "events",
    "展会": "events",
    "deal": "deals",
    "deals": "deals",
    "签单": "deals",
    "new customer": "new_customers",
    "new customers": "new_customers",
    "新客户": "new_customers",
    "潜在客户": "leads",
    "leads": "leads",
    "lead": "leads",
    "prospects": "leads",
}
PERIOD_WORDS: dict[str, str] = {
    "day": "day",
    "daily": "day",
    "每天": "day",
    "每日": "day",
    "天": "day",
    "日": "day",
    "week": "week",
    "weekly": "week",
    "每周": "week",
    "每星期": "week",
    "周": "week",
    "month": "month",
    "monthly": "month",
    "每月": "month",
    "每个月": "month",
    "月": "month",
}
MAX_ACTIVITY_COUNT = 10_000

_ACTIVITY = re.compile("|".join(sorted(map(re.escape, ACTIVITY_WORDS), key=len, reverse=True)), re.IGNORECASE)
_PERIOD = re.compile(
    r"(?:a|per|each|every|/)\s*(day|week|month)\b|\b(daily|weekly|monthly)\b|(每天|每日|每周|每星期|每个月|每月)",
    re.I,
)
_COUNT = re.compile(rf"\d+|[零一二两三四五六七八九十百]+|{ENGLISH_NUMBER_PATTERN}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ActivityTarget:
    activity: str
    count: int
    per: str


def parse_activity_target(text: str) -> ActivityTarget | None:
    """ "20 visits a week", "每周拜访20次", "5 client trainings a month" -> what, how many, per what."""
    activity = _ACTIVITY.search(text)
    period = _PERIOD.search(text)
    count_match = _COUNT.search(text)
    if not (activity and period and count_match):
        return None
    count = parse_small_number(count_match.group(0))
    if count is None or not 0 < count <= MAX_ACTIVITY_COUNT:
        return None
    per = PERIOD_WORDS[next(group for group in period.groups() if group).lower()]
    return ActivityTarget(ACTIVITY_WORDS[activity.group(0).lower()], count, per)


@dataclass(frozen=True, slots=True)
class TimeBlock:
    start: time
    end: time
    activity: str


class BlocksProblem(StrEnum):
    UNREADABLE_LINE = "unreadable_line"
    END_BEFORE_START = "end_before_start"
    OVERLAP = "overlap"
    TOO_MANY = "too_many"
    LABEL_TOO_LONG = "label_too_long"


MAX_BLOCKS = 12
MAX_BLOCK_LABEL = 40
_BLOCK_LINE = re.compile(r"^\s*(\S+?)\s*(?:-|–|~|到|至|to)\s*(\S+?)\s+(.+?)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class BlocksError:
    problem: BlocksProblem
    line: str


def parse_time_blocks(text: str) -> list[TimeBlock] | BlocksError:
    """One block per line: "9:00-11:00 client visits", "13:00到15:00 电话销售". Sorted, non-overlapping."""
    lines = [line for line in re.split(r"[\n;；]+", text) if line.strip()]
    if len(lines) > MAX_BLOCKS:
        return BlocksError(BlocksProblem.TOO_MANY, "")
    blocks = []
    for line in lines:
        match = _BLOCK_LINE.match(line)
        start = parse_time_of_day(match.group(1)) if match else None
        end = parse_time_of_day(match.group(2)) if match else None
        if match is None or start is None or end is None:
            return BlocksError(BlocksProblem.UNREADABLE_LINE, line.strip())
        if end <= start:
            return BlocksError(BlocksProblem.END_BEFORE_START, line.strip())
        label = match.group(3).strip()
        if len(label) > MAX_BLOCK_LABEL:
            return BlocksError(BlocksProblem.LABEL_TOO_LONG, line.strip())
        blocks.append(TimeBlock(start, end, label))
    blocks.sort(key=lambda block: block.start)
    for earlier, later in itertools.pairwise(blocks):
        if later.start < earlier.end:
            return BlocksError(BlocksProblem.OVERLAP, f"{later.start:%H:%M} {later.activity}")
    return blocks


class VacationProblem(StrEnum):
    UNREADABLE = "unreadable"
    REVERSED = "reversed"
    PAST = "past"
    TOO_LONG = "too_long"


MAX_VACATION_DAYS = 60


def parse_vacation(text: str, *, today: date, lang: str) -> tuple[date, date] | VacationProblem:
    """ "2026-12-24 to 2026-12-28", "12月24日到28日", "下周一到下周三", or a single day."""
    days = parse_date_range(text, today=today, lang=lang)
    if days is None:
        return VacationProblem.UNREADABLE
    start, end = days
    if end < start:
        return VacationProblem.REVERSED
    if start < today:
        return VacationProblem.PAST
    if (end - start).days + 1 > MAX_VACATION_DAYS:
        return VacationProblem.TOO_LONG
    return start, end
