"""The coaching messages: several variants per situation, filled with the user's own numbers."""

from __future__ import annotations

from bot.core.nudges import NudgeKind
from bot.i18n import N_

# text id -> message. Ids are stable (they are stored with each nudge for the 14-day no-repeat rule).
NUDGE_TEXTS: dict[NudgeKind, dict[str, str]] = {
    NudgeKind.MILESTONE: {
        "milestone.1": N_(
            "🎉 {milestone}% of “{goal}” done: {actual} of {target}. That is real ground covered."
        ),
        "milestone.2": N_(
            "🎯 You just passed {milestone}% of “{goal}” ({actual} of {target}). Keep the rhythm that got you here."
        ),
        "milestone.3": N_(
            "💪 {milestone}% reached on “{goal}”: {actual} so far. Note what worked this week and do more of it."
        ),
    },
    NudgeKind.FIRST_DEAL: {
        "first_deal.1": N_(
            "🥇 First result on “{goal}”: {amount}. The first one is the hardest; the pipeline is moving."
        ),
        "first_deal.2": N_("🚀 “{goal}” is under way with {amount}. Now make the second one come faster."),
    },
    NudgeKind.BEST_WEEK: {
        "best_week.1": N_(
            "📈 Best week yet on “{goal}”: {total} (before: {previous_best}). What made the difference?"
        ),
        "best_week.2": N_("🔥 {total} this week on “{goal}”, your best so far. Worth repeating next week."),
    },
    NudgeKind.STREAK: {
        "streak.1": N_("✅ {streak} daily reviews in a row. Small reviews, big picture: keep it up."),
        "streak.2": N_(
            "📆 {streak} days of reviews without a break. That habit is what keeps goals on track."
        ),
    },
    NudgeKind.PACE_RECOVERED: {
        "pace_recovered.1": N_("👏 “{goal}” is back on pace. The catch-up worked."),
        "pace_recovered.2": N_("🔄 Back on track with “{goal}”. Hold this pace and the deadline is yours."),
    },
    NudgeKind.OFF_TRACK: {
        "off_track.1": N_(
            "🧭 “{goal}” has been off track for {working_days} working days. Time to rethink tactics? /change walks you through it."
        ),
        "off_track.2": N_(
            "🧭 {working_days} working days behind the path on “{goal}”. Has the market, a competitor or a client changed? /change helps you adjust."
        ),
    },
    NudgeKind.REWARD_EARNED: {
        "reward_earned.1": N_(
            "🎁 You did it: {target} on “{goal}”. Time for your reward: {treat}. Enjoy it, you earned it."
        ),
        "reward_earned.2": N_("🏅 {target} reached. As promised: {treat}. Go and enjoy it."),
    },
    NudgeKind.REWARD_ENDED: {
        "reward_ended.1": N_(
            "⏳ Your reward window on “{goal}” has closed at {actual} of {target}. No harm done: /reward sets a fresh one, maybe a little closer."
        ),
        "reward_ended.2": N_(
            "⏳ The {target} for “{treat}” did not quite happen ({actual}). Set a new, nearer one with /reward?"
        ),
    },
}
# Which nudge goes first when several are due at once (the daily cap keeps the first ones).
PRIORITY = [NudgeKind.REWARD_EARNED, NudgeKind.MILESTONE, NudgeKind.FIRST_DEAL, NudgeKind.OFF_TRACK,
            NudgeKind.PACE_RECOVERED, NudgeKind.BEST_WEEK, NudgeKind.REWARD_ENDED, NudgeKind.STREAK]  # fmt: skip


def message_of(text_id: str) -> str:
    kind = NudgeKind(text_id.split(".", 1)[0])
    return NUDGE_TEXTS[kind][text_id]
