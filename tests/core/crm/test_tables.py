"""Files into tables (bot/core/crm/files: open_table): the encodings and separators CSVs come in, XLSX cells
as text, formulas never evaluated, and every file the issue names as bad refused with its problem."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from bot.core.crm.files import MAX_FILE_BYTES, ROW_LIMIT, FileProblem, SheetChoice, Table, open_table
from tests.auxil import crm_files


def table(data: bytes, name: str, *, sheet: str | None = None, row_limit: int = ROW_LIMIT) -> Table:
    opened = open_table(data, name, sheet=sheet, row_limit=row_limit)
    assert isinstance(opened, Table), opened
    return opened


def test_a_zoho_deals_csv_with_a_bom() -> None:
    opened = table(crm_files.zoho_deals_csv(), "Deals_001.csv")
    assert opened.headers == crm_files.ZOHO_DEAL_HEADERS
    assert len(opened.rows) == 200
    first = dict(zip(opened.headers, opened.rows[0], strict=True))
    assert first["Record Id"] == "zcrm_5725767000000411001"
    assert first["Closing Date"] == "2026-10-02"
    assert opened.row_numbers[:3] == (2, 3, 4)
    assert opened.sheet is None


def test_utf8_without_a_bom_reads_the_same() -> None:
    with_bom = table(crm_files.zoho_deals_csv(20), "deals.csv")
    without = table(crm_files.zoho_deals_csv(20, encoding="utf-8"), "deals.csv")
    assert with_bom == without


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig", "utf-16"])
def test_a_fxiaoke_csv_in_the_encodings_excel_saves(encoding: str) -> None:
    opened = table(crm_files.fxiaoke_opportunities_csv(30, encoding=encoding), "商机.csv")
    assert opened.headers == crm_files.FXIAOKE_OPPORTUNITY_HEADERS
    assert opened.rows[0][:3] == ("SJ20260900", "宁波海通物流-1期项目", "宁波海通物流")
    assert len(opened.rows) == 30


def test_a_file_mixing_utf8_and_gbk_is_refused() -> None:
    data = crm_files.fxiaoke_opportunities_csv(
        5, encoding="utf-8"
    ) + "SJ1,北京项目,北京客户,100,赢单,赢单,2026/9/9,张伟\r\n".encode("gbk")
    assert open_table(data, "商机.csv") is FileProblem.ENCODING


def test_binary_bytes_named_csv_are_an_encoding_problem() -> None:
    assert open_table(b"\x00\x01\x02\xff\xfe\x00garbage\x00", "deals.csv") is FileProblem.ENCODING


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_separator_is_sniffed(delimiter: str) -> None:
    data = crm_files.csv_bytes(crm_files.UNKNOWN_HEADERS, crm_files.unknown_rows(5), delimiter=delimiter)
    opened = table(data, "sheet.csv")
    assert opened.headers == crm_files.UNKNOWN_HEADERS
    assert opened.rows[0][0] == "D-1000"
    assert opened.rows[0][2] == crm_files.unknown_rows(5)[0][2]  # "81,224" stays one cell


def test_cells_are_trimmed_control_characters_gone_blank_rows_dropped() -> None:
    data = "\r\n ID , Name\u200b ,Value\r\n1, Amy\x07 Chen ,=SUM(A1:A3)\r\n,,\r\n\r\n2,Multi\nline,5\r\n".encode()
    data = data.replace(b"Multi\nline", b'"Multi\nline"')
    opened = table(data, "x.csv")
    assert opened.headers == ("ID", "Name", "Value")
    assert opened.rows == (("1", "Amy Chen", "=SUM(A1:A3)"), ("2", "Multi line", "5"))
    assert opened.row_numbers == (3, 6)  # the header is row 2 after a blank first row; blank rows are counted


def test_short_rows_are_padded_and_extra_cells_ignored() -> None:
    opened = table(b"A,B,C\r\n1,2\r\n1,2,3,4,5\r\n", "x.csv")
    assert opened.rows == (("1", "2", ""), ("1", "2", "3"))


def test_a_blank_header_is_named_by_its_column_and_trailing_blank_columns_dropped() -> None:
    opened = table(b"ID,,Value,,\r\n1,x,2,,\r\n", "x.csv")
    assert opened.headers == ("ID", "B", "Value")
    assert opened.rows == (("1", "x", "2"),)


def test_a_zoho_deals_xlsx_reads_like_its_csv() -> None:
    from_xlsx = table(crm_files.zoho_deals_xlsx(30), "Deals.xlsx")
    from_csv = table(crm_files.zoho_deals_csv(30), "Deals.csv")
    assert from_xlsx.sheet == "Deals"
    assert from_xlsx.headers == from_csv.headers
    # Typed cells (numbers, dates) come back in the text form the CSV has.
    columns = [from_xlsx.headers.index(name) for name in ("Record Id", "Amount", "Closing Date", "Stage")]
    assert [[row[i] for i in columns] for row in from_xlsx.rows] == [
        [row[i] for i in columns] for row in from_csv.rows
    ]


def test_xlsx_typed_cells_as_stable_text() -> None:
    rows = [("1", Decimal("12000.50"), date(2024, 9, 9), datetime(2024, 9, 9, 13, 20, 35), 3, 0.1, True)]
    data = crm_files.xlsx_bytes([("S", ("ID", "Amount", "Day", "When", "Count", "Rate", "Flag"), rows)])
    assert table(data, "x.xlsx").rows == (
        ("1", "12000.5", "2024-09-09", "2024-09-09 13:20:35", "3", "0.1", "TRUE"),
    )


def test_formulas_are_their_text_never_their_value() -> None:
    opened = table(crm_files.formula_deals_xlsx(), "Deals.xlsx")
    amount = opened.headers.index("Amount")
    assert [row[amount] for row in opened.rows[:2]] == ["=SUM(K2:K3)", "=E4*2"]
    assert opened.rows[2][amount] == crm_files.zoho_deal_rows(4)[2][2]


def test_a_formula_with_a_cached_value_is_still_its_text() -> None:
    # What Excel saves: the formula and the value it last computed. We read the formula, not the value.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ID", "Amount", "Day"])
    sheet.append(["1", "=SUM(1,2)", "2024-09-09"])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue().replace(b"<f>SUM(1,2)</f><v></v>", b"<f>SUM(1,2)</f><v>3</v>")
    assert table(data, "x.xlsx").rows == (("1", "=SUM(1,2)", "2024-09-09"),)


def test_several_sheets_ask_which_and_the_answer_reads_it() -> None:
    data = crm_files.several_sheets_xlsx()
    assert open_table(data, "export.xlsx") == SheetChoice(
        ("Deals", "Calls")
    )  # the empty "Notes" is no choice
    calls = table(data, "export.xlsx", sheet="Calls")
    assert calls.sheet == "Calls"
    assert calls.headers[8] == "Call Start Time"
    assert open_table(data, "export.xlsx", sheet="Nope") == SheetChoice(("Deals", "Calls"))
    assert open_table(data, "export.xlsx", sheet="Notes") is FileProblem.EMPTY


def test_one_filled_sheet_among_empty_ones_needs_no_choice() -> None:
    data = crm_files.xlsx_bytes(
        [("Blank", (), []), ("Deals", crm_files.ZOHO_DEAL_HEADERS, [["zcrm_1", "Amy"]])]
    )
    assert table(data, "x.xlsx").sheet == "Deals"


@pytest.mark.parametrize(
    ("data", "name", "problem"),
    [
        (b"", "deals.csv", FileProblem.EMPTY),
        (b"  \r\n\r\n", "deals.csv", FileProblem.EMPTY),
        (b"\xef\xbb\xbf", "deals.csv", FileProblem.EMPTY),
        (crm_files.headers_only_csv(), "deals.csv", FileProblem.EMPTY),
        (crm_files.xlsx_bytes([("Deals", crm_files.ZOHO_DEAL_HEADERS, [])]), "deals.xlsx", FileProblem.EMPTY),
        (crm_files.xlsx_bytes([("Empty", (), [])]), "deals.xlsx", FileProblem.EMPTY),
        (crm_files.password_protected_xlsx(), "deals.xlsx", FileProblem.PASSWORD),
        (crm_files.corrupt_xlsx(), "deals.xlsx", FileProblem.CORRUPT),
        (b"this is not a workbook", "deals.xlsx", FileProblem.CORRUPT),
        (crm_files.OLE2_MAGIC + bytes(1024), "deals.xls", FileProblem.UNSUPPORTED),
        (crm_files.OLE2_MAGIC + bytes(1024), "deals.xlsx", FileProblem.UNSUPPORTED),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "report.pdf", FileProblem.UNSUPPORTED),
        (b"some text", "report.docx", FileProblem.UNSUPPORTED),
        (crm_files.zip_of({"Deals.csv": crm_files.zoho_deals_csv(3)}), "deals.zip", FileProblem.UNSUPPORTED),
        (b"2024-09-09,12000,Won\r\n2024-09-10,500,Lost\r\n", "deals.csv", FileProblem.NO_HEADER),
    ],
)
def test_bad_files(data: bytes, name: str, problem: FileProblem) -> None:
    assert open_table(data, name) is problem


def test_a_file_over_telegrams_limit_is_refused_unread() -> None:
    assert open_table(b"A" * (MAX_FILE_BYTES + 1), "deals.csv") is FileProblem.TOO_BIG
    assert not isinstance(open_table(b"A\r\n" + b"1\r\n" * 10, "deals.csv"), FileProblem)


@pytest.mark.parametrize(
    ("build", "name"), [(crm_files.zoho_deals_csv, "deals.csv"), (crm_files.zoho_deals_xlsx, "deals.xlsx")]
)
def test_more_rows_than_the_limit(build: Callable[[int], bytes], name: str) -> None:
    data = build(50)
    assert open_table(data, name, row_limit=49) is FileProblem.TOO_MANY_ROWS
    assert len(table(data, name, row_limit=50).rows) == 50


def test_the_row_limit_refuses_an_xlsx_without_loading_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the sheet was loaded")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", never)
    assert open_table(crm_files.zoho_deals_xlsx(30), "deals.xlsx", row_limit=10) is FileProblem.TOO_MANY_ROWS


def test_a_hidden_sheet_is_no_choice_while_a_visible_one_has_data() -> None:
    book = Workbook()
    deals = book.active
    assert deals is not None
    deals.title = "Deals"
    deals.append(list(crm_files.ZOHO_DEAL_HEADERS))
    deals.append(["zcrm_1", "Amy Chen"])
    lists = book.create_sheet("Lists")
    lists.append(["Closed Won", "Closed Lost"])
    lists.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    assert table(out.getvalue(), "x.xlsx").sheet == "Deals"
    assert open_table(out.getvalue(), "x.xlsx", sheet="Lists") is FileProblem.EMPTY  # a header and no rows


def test_excels_separator_hint_line() -> None:
    opened = table(b"sep=;\r\nID;Value\r\n1;1,5\r\n", "x.csv")
    assert opened.headers == ("ID", "Value")
    assert opened.rows == (("1", "1,5"),)
    assert opened.row_numbers == (3,)


def test_formulas_land_in_their_cells_when_the_sheet_starts_below_and_right_of_a1() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["C3"], sheet["D3"], sheet["E3"] = "ID", "Amount", "Day"
    sheet["C4"], sheet["D4"], sheet["E4"] = "1", "=1+1", "2024-09-09"
    sheet["C6"], sheet["D6"], sheet["E6"] = "2", 7, "=TODAY()"
    out = io.BytesIO()
    book.save(out)
    opened = table(out.getvalue(), "x.xlsx")
    assert opened.headers == ("ID", "Amount", "Day")
    assert opened.rows == (("1", "=1+1", "2024-09-09"), ("2", "7", "=TODAY()"))
    assert opened.row_numbers == (4, 6)
