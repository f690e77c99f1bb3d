"""Sales teams, pure: a manager's team, its target split across the members, the roll-up and the weekly meeting.

No Telegram, no SQL, no clock reads: instants and days come in as arguments. One concept per module:
lifecycles (statuses and their moves), roles (who may do what, leaving, removing, handing over),
visibility (who sees what), invites (deep-link payloads and their validity), targets (a team target as an
amount or as growth), split and split_inputs (the split across members and what the manager types for it),
split_changes (locking and the change log), rollup (the team's progress from its members'), discussion
(the digest's discussion points), leaderboard, meeting_schedule (the weekly sales meeting's instants).
"""
