"""What the sync's tests share: settings with a CRM key, a user, a connection sealed as /crm leaves it."""

from __future__ import annotations

from datetime import datetime

from cryptography.fernet import Fernet
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.crm.records import CrmSystem
from bot.services.crm_secrets import CrmSecrets
from bot.storage.crm_models import CrmRecordRow
from bot.storage.crm_sync_models import CrmConnection
from bot.storage.models import User
from tests.fakes.fxiaoke_server import FakeFxiaoke
from tests.fakes.zoho_server import FakeZoho

KEY = Fernet.generate_key().decode()
USER_ID = 30_000_001


async def insert_user(engine: AsyncEngine, now: datetime, user_id: int = USER_ID) -> int:
    async with AsyncSession(engine) as session, session.begin():
        session.add(User(id=user_id, first_name="Li", timezone="Asia/Shanghai", language="en",
                         onboarded_at=now, created_at=now, updated_at=now))  # fmt: skip
    return user_id


def zoho_credentials(zoho: FakeZoho) -> dict[str, str]:
    return {
        "client_id": zoho.client_id,
        "client_secret": zoho.client_secret,
        "refresh_token": zoho.refresh_token,
    }


def fxiaoke_credentials(fx: FakeFxiaoke) -> dict[str, str]:
    return {"app_id": fx.app_id, "app_secret": fx.app_secret, "permanent_code": fx.permanent_code,
            "open_user_id": fx.open_user_id}  # fmt: skip


async def insert_connection(
    engine: AsyncEngine, now: datetime, credentials: dict[str, str], *, system: CrmSystem = CrmSystem.ZOHO,
    data_centre: str = "com", user_id: int = USER_ID, key: str = KEY,
) -> int:  # fmt: skip
    async with AsyncSession(engine) as session, session.begin():
        connection = CrmConnection(
            user_id=user_id, system=system.value, data_centre=data_centre, credentials=CrmSecrets(key).seal(credentials),
            next_sync_at=now, created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(connection)
        await session.flush()
        return connection.id


async def connection_row(engine: AsyncEngine, connection_id: int) -> CrmConnection:
    async with AsyncSession(engine) as session:
        row = await session.get(CrmConnection, connection_id)
        assert row is not None
        return row


async def stored_records(engine: AsyncEngine, user_id: int = USER_ID) -> list[CrmRecordRow]:
    async with AsyncSession(engine) as session:
        return list(
            (await session.scalars(select(CrmRecordRow).where(CrmRecordRow.user_id == user_id))).all()
        )


async def record_count(engine: AsyncEngine, user_id: int = USER_ID) -> int:
    async with AsyncSession(engine) as session:
        statement = select(func.count()).select_from(CrmRecordRow).where(CrmRecordRow.user_id == user_id)
        return int(await session.scalar(statement) or 0)
