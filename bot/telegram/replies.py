"""The short answers several handlers give: an old button, a goal that is not the presser's, no goals yet."""

from __future__ import annotations

from bot.core.dialog import Outgoing
from bot.i18n import Translator


def old_button(_: Translator) -> Outgoing:
    return Outgoing(_("That button is from an old message and no longer does anything."))


def not_your_goal(_: Translator) -> Outgoing:
    return Outgoing(_("That goal is not one of yours, or it was deleted. Nothing changed."))


def no_open_goals(_: Translator) -> Outgoing:
    return Outgoing(_("You have no open goals yet. /newgoal sets one in about two minutes."))
