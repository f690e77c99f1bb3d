"""CRM credentials at rest: Fernet tokens made with CRM_SECRET_KEY (settings), never their text.

Without the key API sync is off: nothing can be stored or read, and /crm says so. Neither the secrets
nor the key ever appear in a log line or an exception's text: a token that does not decrypt raises
`SecretsUnreadable`, whose message names no value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken

from bot.settings import Settings


class SecretsUnreadable(Exception):
    """Stored credentials that this key cannot decrypt (the key changed, or the row was tampered with)."""

    def __init__(self) -> None:
        super().__init__("the stored CRM credentials cannot be decrypted with CRM_SECRET_KEY")


class CrmSecrets:
    """Encrypts and decrypts one connection's credentials (a mapping of names to strings)."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def seal(self, credentials: Mapping[str, str]) -> str:
        return self._fernet.encrypt(json.dumps(dict(credentials), sort_keys=True).encode()).decode()

    def open(self, token: str) -> dict[str, str]:
        try:
            data = json.loads(self._fernet.decrypt(token.encode()))
        except (InvalidToken, ValueError):
            raise SecretsUnreadable() from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise SecretsUnreadable()
        return {str(k): v for k, v in data.items()}

    def __repr__(self) -> str:  # never the key
        return "CrmSecrets(<key>)"


def crm_secrets(settings: Settings) -> CrmSecrets | None:
    """The credentials' box, or None when CRM_SECRET_KEY is not set (API sync is off)."""
    key = settings.crm_secret_key
    return CrmSecrets(key.get_secret_value()) if key is not None else None
