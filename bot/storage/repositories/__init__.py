"""Repositories: the queries each table needs, behind names that say what they do."""
