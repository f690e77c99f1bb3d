"""Sample CRM export files for every slice's tests: Zoho CRM and Fxiaoke exports, unknown layouts, bad files.

Deterministic: generated rows come from a seeded random.Random, and XLSX workbooks carry pinned timestamps,
so the same call gives the same bytes. Each builder takes its rows as a parameter: an int generates that
many, a sequence of tuples is written as given (in the tuple order the builder's docstring names; CSV cells
as text, XLSX cells as text or as date/datetime/Decimal/int/float for typed cells).

The headers are those of the real exports: Zoho CRM's module export (Record Id values with the "zcrm_"
prefix, a lookup's id in a second "<Field>.id" column, datetimes "2024-09-09 13:20:35" in the exporting
user's zone), Fxiaoke's list export (Chinese headers, 负责人 the owner's name).
"""

from __future__ import annotations

import csv
import io
import random
import re
import struct
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from openpyxl import Workbook

Cell = str | int | float | Decimal | date | datetime | None
Row = Sequence[Cell]

OWNERS = ("Amy Chen", "Bob Li", "Carol Wang")
FXIAOKE_OWNERS = ("张伟", "李娜", "王芳")
FIRST_DAY = date(2026, 9, 1)  # generated rows fall in September to November 2026
PINNED = datetime(2026, 11, 30, 9, 0, 0)  # the workbooks' created/modified stamps

ZOHO_STAGES = ("Closed Won", "Closed Lost", "Qualification", "Negotiation/Review", "Proposal/Price Quote")
ZOHO_ACCOUNTS = ("Acme Corp", "Globex", "Initech", "Umbrella Ltd", "Stark Industries", "Wayne Enterprises")

# Zoho CRM Deals, as the module export writes them (a subset of the standard fields, in export order).
ZOHO_DEAL_HEADERS = (
    "Record Id",
    "Deal Owner",
    "Deal Owner.id",
    "Deal Name",
    "Amount",
    "Closing Date",
    "Account Name",
    "Account Name.id",
    "Stage",
    "Type",
    "Probability (%)",
    "Expected Revenue",
    "Lead Source",
    "Contact Name",
    "Contact Name.id",
    "Created Time",
    "Modified Time",
    "Currency",
    "Description",
)
ZOHO_CALL_HEADERS = (
    "Record Id",
    "Call Owner",
    "Call Owner.id",
    "Subject",
    "Call Type",
    "Call Purpose",
    "Related To",
    "Related To.id",
    "Call Start Time",
    "Call Duration",
    "Call Duration (in seconds)",
    "Call Result",
    "Description",
    "Created Time",
    "Modified Time",
)
ZOHO_MEETING_HEADERS = (
    "Record Id",
    "Host",
    "Host.id",
    "Title",
    "From",
    "To",
    "Location",
    "Related To",
    "Related To.id",
    "Participants",
    "Created Time",
    "Modified Time",
)
ZOHO_TASK_HEADERS = (
    "Record Id",
    "Task Owner",
    "Task Owner.id",
    "Subject",
    "Due Date",
    "Status",
    "Priority",
    "Related To",
    "Related To.id",
    "Created Time",
    "Modified Time",
)
ZOHO_CONTACT_HEADERS = (
    "Record Id",
    "Contact Owner",
    "Contact Owner.id",
    "First Name",
    "Last Name",
    "Account Name",
    "Account Name.id",
    "Email",
    "Phone",
    "Mobile",
    "Title",
    "Lead Source",
    "Created Time",
)
# Fxiaoke 商机 (NewOpportunityObj) and 销售订单 (SalesOrderObj) list exports.
FXIAOKE_OPPORTUNITY_HEADERS = (
    "商机编号",
    "商机名称",
    "客户名称",
    "商机金额",
    "销售阶段",
    "商机状态",
    "结单日期",
    "负责人",
    "所属部门",
    "赢率",
    "创建时间",
    "最后修改时间",
)
FXIAOKE_ORDER_HEADERS = (
    "销售订单编号",
    "客户名称",
    "订单金额",
    "下单日期",
    "订单状态",
    "负责人",
    "所属部门",
    "创建时间",
)
FXIAOKE_ACCOUNT_HEADERS = ("客户名称", "客户级别", "客户来源", "负责人", "电话", "地址", "创建时间")
UNKNOWN_HEADERS = ("ID", "Customer", "Value", "Status", "Date", "Rep")

FXIAOKE_STAGES = ("验证客户", "需求确定", "方案/报价", "谈判审核", "赢单", "输单")
FXIAOKE_ACCOUNTS = ("上海华东贸易有限公司", "杭州云启科技", "南京新程实业", "苏州恒信电子", "宁波海通物流")


def _owner_id(owner: str) -> str:
    return f"zcrm_572576700000{sum(map(ord, owner)) % 10_000_000:07d}"


def _day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange(91))


def zoho_deal_rows(
    count: int = 200, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> list[tuple[str, ...]]:
    """(record id "zcrm_…", deal name, amount, stage, closing date, owner, account) tuples, about a third
    won, a fifth lost, the rest open; amounts as Zoho writes them ("12000" or "12000.5")."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        weight = rng.random()
        stage = (
            "Closed Won" if weight < 0.35 else "Closed Lost" if weight < 0.55 else rng.choice(ZOHO_STAGES[2:])
        )
        amount = Decimal(rng.randrange(1_000, 200_000)) / (2 if rng.random() < 0.2 else 1)
        account = rng.choice(ZOHO_ACCOUNTS)
        rows.append(
            (
                f"zcrm_5725767000000{411001 + index}",
                f"{account} - renewal {index + 1}",
                format(amount, "f"),
                stage,
                _day(rng).isoformat(),
                owners[index % len(owners)],
                account,
            )
        )
    return rows


def _zoho_deal_line(row: Row) -> list[Cell]:
    record_id, name, amount, stage, closing, owner, *rest = row
    account = rest[0] if rest else "Acme Corp"
    created = f"{closing} 09:15:00" if isinstance(closing, str) else closing
    probability = 100 if stage == "Closed Won" else 0 if stage == "Closed Lost" else 40
    return [
        record_id,
        owner,
        _owner_id(str(owner)),
        name,
        amount,
        closing,
        account,
        f"zcrm_57257670000003{sum(map(ord, str(account))) % 100_000:05d}",
        stage,
        "New Business",
        probability,
        "",
        "Web Site",
        "",
        "",
        created,
        created,
        "CNY",
        "",
    ]


def zoho_call_rows(
    count: int = 60, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> list[tuple[str, ...]]:
    """(record id, subject, call type, call start time, duration seconds, call result, owner) tuples."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        start = datetime.combine(_day(rng), datetime.min.time()) + timedelta(
            minutes=rng.randrange(8 * 60, 19 * 60)
        )
        rows.append(
            (
                f"zcrm_5725767000000{611001 + index}",
                f"Follow-up call {index + 1}",
                rng.choice(("Outbound", "Inbound", "Missed")),
                start.strftime("%Y-%m-%d %H:%M:%S"),
                str(rng.randrange(30, 1800)),
                rng.choice(("Interested", "Requested more info", "No response", "")),
                owners[index % len(owners)],
            )
        )
    return rows


def zoho_meeting_rows(
    count: int = 30, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> list[tuple[str, ...]]:
    """(record id, title, from, to, host) tuples."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        start = datetime.combine(_day(rng), datetime.min.time()) + timedelta(hours=rng.randrange(9, 17))
        rows.append(
            (
                f"zcrm_5725767000000{711001 + index}",
                f"Demo for {rng.choice(ZOHO_ACCOUNTS)}",
                start.strftime("%Y-%m-%d %H:%M:%S"),
                (start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
                owners[index % len(owners)],
            )
        )
    return rows


def zoho_task_rows(
    count: int = 20, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> list[tuple[str, ...]]:
    """(record id, subject, due date, status, owner) tuples."""
    rng = random.Random(seed)
    return [
        (
            f"zcrm_5725767000000{811001 + index}",
            f"Send proposal {index + 1}",
            _day(rng).isoformat(),
            rng.choice(("Not Started", "In Progress", "Completed")),
            owners[index % len(owners)],
        )
        for index in range(count)
    ]


def fxiaoke_opportunity_rows(
    count: int = 120, *, owners: Sequence[str] = FXIAOKE_OWNERS, seed: int = 14
) -> list[tuple[str, ...]]:
    """(商机编号, 商机名称, 客户名称, 商机金额, 销售阶段, 商机状态, 结单日期, 负责人) tuples; amounts written
    as Fxiaoke shows them ("120000.00"), 商机状态 赢单 / 输单 / 进行中."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        weight = rng.random()
        status = "赢单" if weight < 0.35 else "输单" if weight < 0.55 else "进行中"
        stage = "赢单" if status == "赢单" else "输单" if status == "输单" else rng.choice(FXIAOKE_STAGES[:4])
        account = rng.choice(FXIAOKE_ACCOUNTS)
        rows.append(
            (
                f"SJ{20260900 + index:08d}",
                f"{account}-{index + 1}期项目",
                account,
                f"{rng.randrange(5_000, 500_000)}.00",
                stage,
                status,
                _day(rng).isoformat(),
                owners[index % len(owners)],
            )
        )
    return rows


def fxiaoke_order_rows(
    count: int = 80, *, owners: Sequence[str] = FXIAOKE_OWNERS, seed: int = 14
) -> list[tuple[str, ...]]:
    """(销售订单编号, 客户名称, 订单金额, 下单日期, 订单状态, 负责人) tuples."""
    rng = random.Random(seed)
    return [
        (
            f"SO{20261000 + index:08d}",
            rng.choice(FXIAOKE_ACCOUNTS),
            f"{rng.randrange(1_000, 300_000)}.00",
            _day(rng).isoformat(),
            rng.choice(("已确认", "已发货", "已完成", "确认中", "已作废")),
            owners[index % len(owners)],
        )
        for index in range(count)
    ]


def unknown_rows(count: int = 40, *, seed: int = 14) -> list[tuple[str, ...]]:
    """(ID, Customer, Value, Status, Date, Rep) tuples: a home-made sheet no known layout matches."""
    rng = random.Random(seed)
    return [
        (
            f"D-{1000 + index}",
            rng.choice(ZOHO_ACCOUNTS),
            f"{rng.randrange(500, 90_000):,}",
            rng.choice(("Signed", "Lost", "Pipeline")),
            _day(rng).strftime("%d/%m/%Y"),
            rng.choice(OWNERS),
        )
        for index in range(count)
    ]


# Writers ----------------------------------------------------------------------------------------------------


def csv_bytes(
    headers: Sequence[str], rows: Iterable[Row], *, encoding: str = "utf-8-sig", delimiter: str = ","
) -> bytes:
    """A CSV as Excel and the CRMs write it: CRLF line ends, minimal quoting."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue().encode(encoding)


def _pinned(book: Workbook) -> bytes:
    book.properties.creator = "Quota Coach tests"
    book.properties.created = PINNED
    book.properties.modified = PINNED
    out = io.BytesIO()
    book.save(out)
    return _pin_zip_times(out.getvalue())


def _pin_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps and modified stamp: openpyxl takes both from the clock."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            pinned = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 30, 9, 0, 0))
            pinned.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-11-30T09:00:00Z", content)
            target.writestr(pinned, content)
    return out.getvalue()


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Row]]]) -> bytes:
    """A workbook of (sheet name, headers, rows) sheets; typed cells stay typed (dates get a date format)."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, headers, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append(list(headers))
        for row in rows:
            sheet.append(["" if cell is None else cell for cell in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
    return _pinned(book)


def _rows(rows: int | Sequence[Row], generate: object, **kwargs: object) -> Sequence[Row]:
    if isinstance(rows, int):
        return generate(rows, **kwargs)  # type: ignore[operator,no-any-return]
    return rows


# Zoho CRM ---------------------------------------------------------------------------------------------------


def zoho_deals_csv(
    rows: int | Sequence[Row] = 200,
    *,
    owners: Sequence[str] = OWNERS,
    seed: int = 14,
    encoding: str = "utf-8-sig",
) -> bytes:
    """A Zoho CRM Deals export; rows as zoho_deal_rows makes them (account optional)."""
    lines = [_zoho_deal_line(row) for row in _rows(rows, zoho_deal_rows, owners=owners, seed=seed)]
    return csv_bytes(ZOHO_DEAL_HEADERS, lines, encoding=encoding)


def zoho_deals_xlsx(
    rows: int | Sequence[Row] = 200, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> bytes:
    """The same export saved as XLSX: amounts as numbers and closing dates as date cells when generated."""
    given = _rows(rows, zoho_deal_rows, owners=owners, seed=seed)
    if isinstance(rows, int):
        given = [
            (rid, name, Decimal(amount), stage, date.fromisoformat(closing), owner, account)
            for rid, name, amount, stage, closing, owner, account in given  # type: ignore[misc]
        ]
    return xlsx_bytes([("Deals", ZOHO_DEAL_HEADERS, [_zoho_deal_line(row) for row in given])])


def zoho_calls_csv(
    rows: int | Sequence[Row] = 60, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> bytes:
    """A Zoho CRM Calls export; rows (record id, subject, call type, start time, seconds, result, owner)."""
    lines = []
    for record_id, subject, call_type, start, seconds, result, owner in _rows(
        rows, zoho_call_rows, owners=owners, seed=seed
    ):
        minutes = int(str(seconds or 0)) // 60
        lines.append(
            [
                record_id,
                owner,
                _owner_id(str(owner)),
                subject,
                call_type,
                "Prospecting",
                "Acme Corp",
                "zcrm_5725767000000300001",
                start,
                f"{minutes:02d}:{int(str(seconds or 0)) % 60:02d}",
                seconds,
                result,
                "",
                start,
                start,
            ]
        )
    return csv_bytes(ZOHO_CALL_HEADERS, lines)


def zoho_meetings_csv(
    rows: int | Sequence[Row] = 30, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> bytes:
    """A Zoho CRM Meetings export; rows (record id, title, from, to, host)."""
    lines = [
        [
            rid,
            host,
            _owner_id(str(host)),
            title,
            start,
            end,
            "Shanghai office",
            "Acme Corp",
            "",
            "",
            start,
            start,
        ]
        for rid, title, start, end, host in _rows(rows, zoho_meeting_rows, owners=owners, seed=seed)
    ]
    return csv_bytes(ZOHO_MEETING_HEADERS, lines)


def zoho_tasks_csv(
    rows: int | Sequence[Row] = 20, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> bytes:
    """A Zoho CRM Tasks export; rows (record id, subject, due date, status, owner)."""
    lines = [
        [rid, owner, _owner_id(str(owner)), subject, due, status, "High", "Acme Corp", "", due, due]
        for rid, subject, due, status, owner in _rows(rows, zoho_task_rows, owners=owners, seed=seed)
    ]
    return csv_bytes(ZOHO_TASK_HEADERS, lines)


def zoho_contacts_csv(rows: int = 10) -> bytes:
    """A Zoho CRM Contacts export: a module with no results in it."""
    lines = [
        [
            f"zcrm_5725767000000{911001 + index}",
            OWNERS[index % 3],
            _owner_id(OWNERS[index % 3]),
            f"Pat{index}",
            "Jones",
            "Acme Corp",
            "zcrm_5725767000000300001",
            f"pat{index}@example.com",
            "555-0100",
            "",
            "Buyer",
            "Trade Show",
            "2026-09-01 10:00:00",
        ]
        for index in range(rows)
    ]
    return csv_bytes(ZOHO_CONTACT_HEADERS, lines)


# Fxiaoke ----------------------------------------------------------------------------------------------------


def _fxiaoke_opportunity_line(row: Row) -> list[Cell]:
    number, name, account, amount, stage, status, closing, owner = row
    created = f"{closing} 10:30" if isinstance(closing, str) else closing
    return [
        number,
        name,
        account,
        amount,
        stage,
        status,
        closing,
        owner,
        "华东销售部",
        "60%",
        created,
        created,
    ]


def fxiaoke_opportunities_xlsx(
    rows: int | Sequence[Row] = 120, *, owners: Sequence[str] = FXIAOKE_OWNERS, seed: int = 14
) -> bytes:
    """A Fxiaoke 商机 export as XLSX (sheet 商机): amounts as numbers, 结单日期 as date cells when generated."""
    given = _rows(rows, fxiaoke_opportunity_rows, owners=owners, seed=seed)
    if isinstance(rows, int):
        given = [
            (num, name, acc, Decimal(amount), stage, status, date.fromisoformat(closing), owner)
            for num, name, acc, amount, stage, status, closing, owner in given  # type: ignore[misc]
        ]
    return xlsx_bytes(
        [("商机", FXIAOKE_OPPORTUNITY_HEADERS, [_fxiaoke_opportunity_line(row) for row in given])]
    )


def fxiaoke_opportunities_csv(
    rows: int | Sequence[Row] = 120,
    *,
    owners: Sequence[str] = FXIAOKE_OWNERS,
    seed: int = 14,
    encoding: str = "gbk",
) -> bytes:
    """The 商机 export as CSV the way Excel in China saves it: GBK, dates "2026/9/14"."""
    given = _rows(rows, fxiaoke_opportunity_rows, owners=owners, seed=seed)
    if isinstance(rows, int):
        given = [
            (*row[:6], f"{(d := date.fromisoformat(str(row[6]))).year}/{d.month}/{d.day}", row[7])
            for row in given
        ]
    return csv_bytes(
        FXIAOKE_OPPORTUNITY_HEADERS, [_fxiaoke_opportunity_line(row) for row in given], encoding=encoding
    )


def fxiaoke_orders_xlsx(
    rows: int | Sequence[Row] = 80, *, owners: Sequence[str] = FXIAOKE_OWNERS, seed: int = 14
) -> bytes:
    """A Fxiaoke 销售订单 export as XLSX; rows (销售订单编号, 客户名称, 订单金额, 下单日期, 订单状态, 负责人)."""
    lines = [
        [number, account, amount, day, status, owner, "华东销售部", day]
        for number, account, amount, day, status, owner in _rows(
            rows, fxiaoke_order_rows, owners=owners, seed=seed
        )
    ]
    return xlsx_bytes([("销售订单", FXIAOKE_ORDER_HEADERS, lines)])


def fxiaoke_accounts_xlsx(rows: int = 10) -> bytes:
    """A Fxiaoke 客户 export: a module with no results in it."""
    lines = [
        [
            FXIAOKE_ACCOUNTS[index % 5],
            "A类",
            "展会",
            FXIAOKE_OWNERS[index % 3],
            "021-5555",
            "上海",
            "2026-09-01",
        ]
        for index in range(rows)
    ]
    return xlsx_bytes([("客户", FXIAOKE_ACCOUNT_HEADERS, lines)])


# Other layouts and bad files --------------------------------------------------------------------------------


def unknown_layout_csv(rows: int | Sequence[Row] = 40, *, seed: int = 14, encoding: str = "utf-8") -> bytes:
    """UNKNOWN_HEADERS: (ID, Customer, Value, Status, Date, Rep) rows, dates day first ("14/09/2026")."""
    return csv_bytes(UNKNOWN_HEADERS, _rows(rows, unknown_rows, seed=seed), encoding=encoding)


def several_sheets_xlsx(
    sheets: Sequence[str] = ("Deals", "Calls"), *, empty: Sequence[str] = ("Notes",)
) -> bytes:
    """A workbook with a Zoho Deals sheet and a Zoho Calls sheet (named by `sheets`) and empty sheets."""
    deals = [_zoho_deal_line(row) for row in zoho_deal_rows(5)]
    calls = [
        [row[0], row[6], "", row[1], row[2], "", "", "", row[3], "", row[4], row[5]]
        for row in zoho_call_rows(4)
    ]
    parts: list[tuple[str, Sequence[str], Iterable[Row]]] = [
        (sheets[0], ZOHO_DEAL_HEADERS, deals),
        (sheets[1], ZOHO_CALL_HEADERS[:12], calls),
    ]
    parts.extend((name, (), []) for name in empty)
    return xlsx_bytes(parts)


OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def password_protected_xlsx() -> bytes:
    """What Excel writes for a workbook with a password to open: an OLE2 (CFB) container holding the
    EncryptionInfo and EncryptedPackage streams, not a zip. A minimal one: header, a FAT sector, and a
    directory sector naming the two streams."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = OLE2_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)  # minor, major, byte order, sector shifts
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)  # no mini FAT
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)  # no DIFAT sectors
    struct.pack_into("<I", header, 76, 0)  # FAT in sector 0
    header[80:sector] = b"\xff" * (sector - 80)
    fat = bytearray(b"\xff" * sector)
    struct.pack_into("<III", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFE)
    directory = bytearray(sector)
    for index, (name, kind) in enumerate((("Root Entry", 5), ("EncryptionInfo", 2), ("EncryptedPackage", 2))):
        entry = 128 * index
        encoded = name.encode("utf-16-le") + b"\0\0"
        directory[entry : entry + len(encoded)] = encoded
        struct.pack_into("<HB", directory, entry + 64, len(encoded), kind)
    return bytes(header + fat + directory)


def corrupt_xlsx() -> bytes:
    """A real workbook cut in half, as an interrupted download leaves it."""
    data = zoho_deals_xlsx(20)
    return data[: len(data) // 2]


def headers_only_csv() -> bytes:
    return csv_bytes(ZOHO_DEAL_HEADERS, [])


def formula_deals_xlsx() -> bytes:
    """A Zoho Deals sheet whose first two amounts are formulas (=SUM(...), =B2*2): never evaluated."""
    rows = [list(_zoho_deal_line(row)) for row in zoho_deal_rows(4)]
    rows[0][4] = "=SUM(K2:K3)"
    rows[1][4] = "=E4*2"
    return xlsx_bytes([("Deals", ZOHO_DEAL_HEADERS, rows)])


def big_deals_xlsx(rows: int = 50_000, *, seed: int = 14) -> bytes:
    """A Zoho Deals workbook for benches, written with openpyxl's write-only mode (typed amounts and dates)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Deals")
    sheet.append(list(ZOHO_DEAL_HEADERS))
    for rid, name, amount, stage, closing, owner, account in zoho_deal_rows(rows, seed=seed):
        line = _zoho_deal_line(
            (rid, name, Decimal(amount), stage, date.fromisoformat(closing), owner, account)
        )
        line[15] = line[16] = datetime.combine(date.fromisoformat(closing), datetime.min.time())
        sheet.append(line)
    return _pinned(book)
