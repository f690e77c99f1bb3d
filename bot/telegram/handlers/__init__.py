"""Handlers, one module per part of the conversation."""
