"""Exports recognised by their headers (bot/core/crm/files: recognise), tolerant of case, spacing, order and
extra columns; exports of modules without results refused; anything else left to the mapping dialog."""

from __future__ import annotations

import random

import pytest

from bot.core.crm.files import (
    Field,
    FileProblem,
    Layout,
    LayoutKey,
    Table,
    normalise_header,
    open_table,
    recognise,
)
from bot.core.crm.records import CrmSystem, RecordKind
from tests.auxil import crm_files


def opened(data: bytes, name: str) -> Table:
    table = open_table(data, name)
    assert isinstance(table, Table), table
    return table


def layout_of(table: Table) -> Layout:
    layout = recognise(table)
    assert isinstance(layout, Layout), layout
    return layout


@pytest.mark.parametrize(
    ("data", "name", "key", "system", "kind"),
    [
        (crm_files.zoho_deals_csv(5), "Deals_001.csv", LayoutKey.ZOHO_DEALS, CrmSystem.ZOHO, RecordKind.DEAL),
        (crm_files.zoho_deals_xlsx(5), "Deals.xlsx", LayoutKey.ZOHO_DEALS, CrmSystem.ZOHO, RecordKind.DEAL),
        (crm_files.zoho_calls_csv(5), "Calls_001.csv", LayoutKey.ZOHO_CALLS, CrmSystem.ZOHO, RecordKind.CALL),
        (
            crm_files.zoho_meetings_csv(5),
            "Meetings.csv",
            LayoutKey.ZOHO_MEETINGS,
            CrmSystem.ZOHO,
            RecordKind.MEETING,
        ),
        (crm_files.zoho_tasks_csv(5), "Tasks.csv", LayoutKey.ZOHO_TASKS, CrmSystem.ZOHO, RecordKind.TASK),
        (
            crm_files.fxiaoke_opportunities_xlsx(5),
            "商机.xlsx",
            LayoutKey.FXIAOKE_OPPORTUNITIES,
            CrmSystem.FXIAOKE,
            RecordKind.DEAL,
        ),
        (
            crm_files.fxiaoke_opportunities_csv(5),
            "商机.csv",
            LayoutKey.FXIAOKE_OPPORTUNITIES,
            CrmSystem.FXIAOKE,
            RecordKind.DEAL,
        ),
        (
            crm_files.fxiaoke_orders_xlsx(5),
            "销售订单.xlsx",
            LayoutKey.FXIAOKE_ORDERS,
            CrmSystem.FXIAOKE,
            RecordKind.ORDER,
        ),
    ],
)
def test_the_known_exports(
    data: bytes, name: str, key: LayoutKey, system: CrmSystem, kind: RecordKind
) -> None:
    layout = layout_of(opened(data, name))
    assert (layout.key, layout.system, layout.kind) == (key, system, kind)


def test_zoho_deals_columns_are_found_by_name() -> None:
    table = opened(crm_files.zoho_deals_csv(5), "Deals.csv")
    columns = layout_of(table).columns
    named = {field: table.headers[index] for field, index in columns.items()}
    assert named == {
        Field.RECORD_ID: "Record Id",
        Field.TITLE: "Deal Name",
        Field.AMOUNT: "Amount",
        Field.STATE: "Stage",
        Field.DAY: "Closing Date",
        Field.OWNER: "Deal Owner",  # not "Deal Owner.id", the lookup's id column
        Field.ACCOUNT: "Account Name",
    }


def test_matching_ignores_case_spacing_order_and_extra_columns() -> None:
    headers = [
        "  closing   DATE ",
        "STAGE",
        "Favourite Colour",
        "deal_name",
        "Amount *",
        "record id",
        "Deal Owner",
    ]
    random.Random(3).shuffle(headers)
    table = Table(None, tuple(headers), (tuple("x" for _ in headers),))
    layout = layout_of(table)
    assert layout.key is LayoutKey.ZOHO_DEALS
    assert table.headers[layout.columns[Field.DAY]] == "  closing   DATE "
    assert Field.ACCOUNT not in layout.columns


def test_zoho_api_names_are_recognised_too() -> None:
    table = Table(
        None, ("Id", "Owner", "Deal_Name", "Amount", "Stage", "Closing_Date", "Account_Name"), (("1",) * 7,)
    )
    layout = layout_of(table)
    assert layout.key is LayoutKey.ZOHO_DEALS
    assert layout.columns[Field.RECORD_ID] == 0 and layout.columns[Field.OWNER] == 1


def test_fxiaoke_headers_in_full_width_forms_and_an_amount_in_wan() -> None:
    table = Table(None, ("商机名称", "商机金额（万元）", "预计成交日期", "负责人", "商机状态"), (("a",) * 5,))
    layout = layout_of(table)
    assert layout.key is LayoutKey.FXIAOKE_OPPORTUNITIES
    assert layout.amount_in_wan
    assert Field.RECORD_ID not in layout.columns  # ids come from the content then


def test_a_deals_export_missing_a_required_column_is_unknown() -> None:
    table = Table(None, ("Record Id", "Deal Name", "Amount", "Deal Owner"), (("1",) * 4,))
    assert recognise(table) is None


@pytest.mark.parametrize(
    "headers",
    [
        crm_files.ZOHO_CONTACT_HEADERS,
        ("Record Id", "Account Owner", "Account Name", "Phone", "Website", "Billing City"),
        ("Record Id", "Lead Owner", "Company", "First Name", "Last Name", "Lead Status"),
        crm_files.FXIAOKE_ACCOUNT_HEADERS,
        ("联系人姓名", "客户名称", "手机", "负责人"),
        ("线索名称", "线索状态", "负责人"),
    ],
)
def test_modules_without_results_are_another_module(headers: tuple[str, ...]) -> None:
    assert recognise(Table(None, headers, (("x",) * len(headers),))) is FileProblem.OTHER_MODULE


def test_sample_files_of_other_modules() -> None:
    assert recognise(opened(crm_files.zoho_contacts_csv(), "Contacts.csv")) is FileProblem.OTHER_MODULE
    assert recognise(opened(crm_files.fxiaoke_accounts_xlsx(), "客户.xlsx")) is FileProblem.OTHER_MODULE


def test_an_unknown_layout_asks_for_a_mapping() -> None:
    assert recognise(opened(crm_files.unknown_layout_csv(), "my deals.csv")) is None


def test_normalise_header() -> None:
    assert normalise_header(" Call Duration ( in seconds ) ") == "call duration (in seconds)"
    assert normalise_header("商机金额（万元）") == normalise_header("商机金额 (万元)")
    assert normalise_header("Closing_Date") == normalise_header("closing date")
    assert normalise_header("*Deal Name") == "deal name"
