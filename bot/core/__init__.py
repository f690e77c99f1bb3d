"""The domain: pure Python, no Telegram, no SQL, no clock reads (time is always passed in)."""
