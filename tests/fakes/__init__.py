"""Fake CRM servers (Zoho CRM, Fxiaoke) on 127.0.0.1 for the sync's tests and bench."""
