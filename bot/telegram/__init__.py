"""The Telegram side: handlers read the update, call a service, render the answer."""
