"""A manager's team export: own results or the team's, the owner mapping (proposed, changed by button,
confirmed), the preview per member, Import into each member's results, and each member told."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.devtools.fake_bot_api import FakeBotApi
from bot.storage.models import DialogState
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels
from tests.auxil.clock import FakeClock
from tests.auxil.crm_chat import DEADLINE, START, crm_rows, send_file
from tests.auxil.crm_files import zoho_deal_rows, zoho_deals_csv
from tests.auxil.crm_imports import add_user
from tests.auxil.database import fetch
from tests.auxil.teams import insert_team

MANAGER, AMY, BOB, JIE = 5_100_001, 5_100_002, 5_100_003, 5_100_004


async def team_of_three(engine: AsyncEngine, clock: FakeClock) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        for user_id, name in ((MANAGER, "Wang"), (AMY, "Amy Chen"), (BOB, "Bob Li"), (JIE, "Chen Jie")):
            await add_user(session, user_id, first_name=name, start=START, deadline=DEADLINE)
    await insert_team(engine, MANAGER, [AMY, BOB, JIE], clock())


async def test_a_team_export_split_by_owner(
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    app: BotApplication,
    bot_api: FakeBotApi,
) -> None:
    await team_of_three(engine, clock)
    manager = make_chat(user_id=MANAGER, first_name="Wang")
    rows = zoho_deal_rows(60)  # owners Amy Chen, Bob Li, Carol Wang, 20 rows each
    [asked] = await send_file(manager, zoho_deals_csv(rows), "team deals.csv")
    assert asked.text.startswith("This file has rows of 3 owners.")
    assert labels(asked) == ["🙋 My own results", "👥 The team's", "✖ Cancel"]
    [owners] = await manager.press("👥 The team's")
    assert "• Amy Chen → Amy Chen" in owners.text and "• Bob Li → Bob Li" in owners.text
    assert "• Carol Wang → not imported" in owners.text
    [which] = await manager.press("Carol Wang")
    assert which.text == "Which member is “Carol Wang”?"
    assert labels(which)[:4] == ["Wang", "Amy Chen", "Bob Li", "Chen Jie"]
    forged = await manager.press_data(f"d:{await version(engine)}:ci:member:9")
    assert forged[0].text == "Please tap a member, or Skip."
    [owners] = await manager.press("Chen Jie")
    assert "• Carol Wang → Chen Jie" in owners.text
    [preview] = await manager.press("✔ Confirm")
    assert preview.text.startswith("Team preview of team deals.csv: 60 rows read.")
    for name in ("Amy Chen", "Bob Li", "Chen Jie"):
        assert f"👤 {name}: " in preview.text
    assert await crm_rows(engine, AMY) == []
    [done] = await manager.press("📥 Import")
    assert done.text.startswith("Imported into your team's results.")
    for member, owner in ((AMY, "Amy Chen"), (BOB, "Bob Li"), (JIE, "Carol Wang")):
        stored = await crm_rows(engine, member)
        assert {row.record_id for row in stored} == {
            row[0].removeprefix("zcrm_") for row in rows if row[5] == owner
        }
    assert await crm_rows(engine, MANAGER) == []
    await app.bot_data.outbox.tick()
    for member in (AMY, BOB, JIE):
        assert any("Zoho CRM" in call.text for call in bot_api.sent_to(member))
    # The mapping is remembered: the next team file goes straight to the preview after "The team's".
    [asked] = await send_file(manager, zoho_deals_csv(zoho_deal_rows(60, seed=15)), "team deals 2.csv")
    [owners] = await manager.press("👥 The team's")
    assert "• Carol Wang → Chen Jie" in owners.text


async def test_own_results_from_a_team_file(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    await team_of_three(engine, clock)
    manager = make_chat(user_id=MANAGER, first_name="Wang")
    await send_file(manager, zoho_deals_csv(30), "deals.csv")
    [preview] = await manager.press("🙋 My own results")
    assert preview.text.startswith("Preview of deals.csv: 30 rows read.")
    await manager.press("📥 Import")
    assert len(await crm_rows(engine, MANAGER)) == 30 and await crm_rows(engine, AMY) == []


async def version(engine: AsyncEngine) -> int:
    dialog = await fetch(engine, DialogState, MANAGER)
    assert isinstance(dialog, DialogState)
    return dialog.version
