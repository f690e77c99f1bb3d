"""Tools for running the bot without Telegram: a fake Bot API, an in-process transport, the local shell."""
