"""Quota Coach (销售目标教练): a Telegram bot that coaches salespeople through goal management."""

__version__ = "0.1.0"
