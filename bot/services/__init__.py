"""Use cases: each combines the domain (bot.core) and storage inside one transaction."""
