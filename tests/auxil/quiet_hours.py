"""Quiet hours that never start: only tests need them (every user has a quiet window)."""

from datetime import time

from bot.core.schedule import QuietHours

NO_QUIET_HOURS = QuietHours(time(0), time(0))
