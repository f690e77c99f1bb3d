"""The groups an emulated bot is in: adding and removing it, a group's move to a supergroup, and what
the Bot API answers a send to a group it is not (or no longer) in.

Updates are built as Telegram builds them: a my_chat_member update when the bot is added or removed, a
message from a person in the group (delivered only as group privacy mode allows: FakeBotApi.delivers),
and on a move to a supergroup the two service messages (migrate_to_chat_id in the old group,
migrate_from_chat_id in the new one); after the move a send to the old id is answered 400 with
parameters.migrate_to_chat_id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.devtools import telegram_rules as rules

JSON = dict[str, Any]


@dataclass
class Group:
    id: int
    title: str
    type: str = "group"  # or "supergroup"
    bot_status: str = "left"  # member | left | kicked
    migrated_to: int | None = None

    @property
    def chat(self) -> JSON:
        return {"id": self.id, "type": self.type, "title": self.title}


@dataclass
class FakeGroups:
    api: Any  # the FakeBotApi: its bot, its clock and its update and message numbers
    groups: dict[int, Group] = field(default_factory=dict)
    withheld: list[JSON] = field(default_factory=list)  # updates group privacy mode kept from the bot

    @property
    def bot_user(self) -> JSON:
        return dict(self.api.bot_user)

    def _update_id(self) -> int:
        return int(next(self.api._update_ids))

    def delivers(self, update: JSON) -> bool:
        """Whether Telegram would deliver `update` to the bot (group privacy mode); kept in `withheld` if not."""
        if rules.privacy_admits(update, int(self.api.bot_user["id"]), str(self.api.bot_user["username"])):
            return True
        self.withheld.append(update)
        return False

    def group(self, group_id: int, title: str = "Sales team") -> Group:
        if group_id >= 0:
            raise ValueError(f"a group's id is negative, not {group_id}")
        return self.groups.setdefault(group_id, Group(rules.check_id(group_id, "group id"), title))

    def _membership(self, group: Group, by: JSON, old: str, new: str) -> JSON:
        group.bot_status = new

        def member(status: str) -> JSON:
            return {
                "user": self.bot_user,
                "status": status,
                **({"until_date": 0} if status == "kicked" else {}),
            }

        return {
            "update_id": self._update_id(),
            "my_chat_member": {
                "chat": group.chat,
                "from": by,
                "date": int(self.api.clock()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        }

    def add_bot(self, group_id: int, by: JSON, title: str = "Sales team") -> JSON:
        """`by` adds the bot to the group: the my_chat_member update Telegram sends."""
        group = self.group(group_id, title)
        return self._membership(group, by, group.bot_status, "member")

    def remove_bot(self, group_id: int, by: JSON, kicked: bool = True) -> JSON:
        group = self.group(group_id)
        return self._membership(group, by, group.bot_status, "kicked" if kicked else "left")

    def message(
        self, group_id: int, by: JSON, text: str, reply_to: JSON | None = None, **content: Any
    ) -> JSON:
        """A message `by` writes in the group (a command gets its entity), as Telegram has it."""
        message: JSON = {
            "message_id": int(next(self.api._message_ids)),
            "date": int(self.api.clock()),
            "chat": self.group(group_id).chat,
            "from": by,
            **content,
        }
        if text:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return {"update_id": self._update_id(), "message": message}

    def migrate(self, group_id: int, by: JSON, supergroup_id: int) -> list[JSON]:
        """The group becomes a supergroup with a new id: the two service messages Telegram sends."""
        old = self.group(group_id)
        new = self.group(supergroup_id, old.title)
        new.type, new.bot_status = "supergroup", old.bot_status
        old.migrated_to, old.bot_status = supergroup_id, "left"
        return [
            self.message(group_id, by, "", migrate_to_chat_id=supergroup_id),
            self.message(supergroup_id, by, "", migrate_from_chat_id=group_id),
        ]

    def check_send(self, chat_id: int) -> None:
        """Refuse a send to a group as the Bot API does when the bot is not in it (any more)."""
        if chat_id > 0:
            return  # a person's chat
        group = self.groups.get(chat_id)
        if group is not None and group.migrated_to is not None:
            raise rules.Refusal(400, rules.GROUP_UPGRADED, migrate_to_chat_id=group.migrated_to)
        if group is None or group.bot_status != "member":
            kicked = group is not None and group.bot_status == "kicked"
            raise rules.Refusal(403, rules.BOT_KICKED if kicked else rules.BOT_NOT_MEMBER)
