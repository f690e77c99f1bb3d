"""Words of CRM imports that more than one place says: the systems' names, the note a member gets."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from bot.core.crm.records import CrmSystem
from bot.i18n import N_, Translator
from bot.services.goal_text import count_text, money_text

# How each system is named to the user (Fxiaoke is 纷享销客 in Chinese).
SYSTEM_NAMES: dict[CrmSystem, str] = {
    CrmSystem.ZOHO: N_("Zoho CRM"),
    CrmSystem.FXIAOKE: N_("Fxiaoke"),
    CrmSystem.OTHER: N_("your CRM"),
}


def member_notice(
    *,
    manager: str,
    system: CrmSystem,
    won: int,
    won_total: Decimal,
    activities: Mapping[str, int],
    reversed_count: int,
    currency: str,
    _: Translator,
) -> str:
    """ "Imported by your manager Wang from Zoho CRM: 12 won deals, ¥340,000; 30 calls." """
    parts = []
    if won:
        total = money_text(won_total, currency, _)  # outside the call: the extractor reads its arguments
        parts.append(
            _.plural(
                "{count} won deal, {total}",
                "{count} won deals, {total}",
                won,
                total=total,
            )
        )
    parts += [count_text(n, measure, _) for measure, n in sorted(activities.items()) if n]
    if reversed_count:
        parts.append(
            _.plural(
                "{count} deal no longer won, taken back",
                "{count} deals no longer won, taken back",
                reversed_count,
            )
        )
    if not parts:
        parts.append(_("your records updated"))
    return _(
        "Imported by your manager {manager} from {system}: {results}.",
        manager=manager,
        system=_(SYSTEM_NAMES[system]),
        results=_("; ").join(parts),
    )
