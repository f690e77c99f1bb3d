"""The small pieces: /crm's callback data, the CRM key setting, the sealed box, the next slot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet

from bot.services.crm_secrets import CrmSecrets, SecretsUnreadable
from bot.services.crm_sync import next_slot
from bot.settings import SettingsError, load_settings
from bot.telegram.callbacks_crm import CrmButton, CrmPress, crm_callback, parse_crm_callback


def test_crm_callbacks_round_trip_and_forgeries_are_refused() -> None:
    assert parse_crm_callback(crm_callback(CrmButton.SYNC, 7)) == CrmPress(CrmButton.SYNC, 7)
    assert parse_crm_callback(crm_callback(CrmButton.ZOHO)) == CrmPress(CrmButton.ZOHO, None)
    for forged in ("cr:sync:0", "cr:sync:2147483648", "cr:zoho:3", "cr:sync:-1", "cr:sync:07", "cr:drop:1", None,
                   "cr:sync:" + "9" * 60):  # fmt: skip
        assert parse_crm_callback(forged) is None
    with pytest.raises(ValueError):
        crm_callback(CrmButton.SYNC, 2**31)
    with pytest.raises(ValueError):
        crm_callback(CrmButton.CARD, 1)


def test_a_bad_crm_key_stops_startup_naming_the_variable_and_not_the_value() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(_env_file=None, crm_secret_key="not-a-fernet-key")
    assert str(raised.value).startswith("CRM_SECRET_KEY:") and "not-a-fernet-key" not in str(raised.value)
    assert load_settings(_env_file=None, crm_secret_key="  ").crm_secret_key is None
    key = Fernet.generate_key().decode()
    settings = load_settings(_env_file=None, crm_secret_key=key)
    assert key not in repr(settings) and key not in str(settings.model_dump())


def test_sealed_credentials_open_only_with_their_key() -> None:
    box, other = CrmSecrets(Fernet.generate_key().decode()), CrmSecrets(Fernet.generate_key().decode())
    sealed = box.seal({"refresh_token": "1000.abc"})
    assert "1000.abc" not in sealed and box.open(sealed) == {"refresh_token": "1000.abc"}
    with pytest.raises(SecretsUnreadable) as raised:
        other.open(sealed)
    assert "1000.abc" not in str(raised.value) and "<key>" in repr(box)


def test_the_next_slot_skips_the_slots_a_downtime_missed() -> None:
    slot, hour = datetime(2026, 11, 27, 2, tzinfo=UTC), timedelta(hours=1)
    assert next_slot(slot, slot + timedelta(minutes=3), hour) == slot + hour
    assert next_slot(slot, slot + timedelta(hours=5, minutes=30), hour) == slot + 6 * hour
    assert next_slot(slot, slot - timedelta(minutes=1), hour) == slot + hour
