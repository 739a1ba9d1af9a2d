"""An adversarial corpus: bad, hostile and unusual inputs, generated (no committed binaries).

Each case writes its files into a fresh folder and names the command to run on them, the exit
code, a piece of the first error line (or of the output), and — where the command reads a log —
the row accounting. ``tests/test_hostile.py`` runs every case and also checks that no input
changed and no temporary file was left behind.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from dumps import dumped_report

HEADER = ["Mã hồ sơ", "Thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Kênh nộp"]


def row(i: int, **over: str) -> list[str]:
    base = {"id": f"HS{i:04d}", "proc": "Đăng ký khai sinh", "rec": "02/01/2024", "due": "05/01/2024",
            "done": "04/01/2024", "status": "Đã trả kết quả", "channel": "Trực tuyến"}
    base.update(over)
    return [base["id"], base["proc"], base["rec"], base["due"], base["done"], base["status"], base["channel"]]


def rows(n: int) -> list[list[str]]:
    return [row(i) for i in range(1, n + 1)]


def csv_text(body: list[list[str]], header: list[str] = HEADER, sep: str = ",", title: list[str] = ()) -> str:
    def cell(v: str) -> str:
        return f'"{v}"' if sep in v or '"' in v or "\n" in v else v

    return "".join(f"{t}\n" for t in title) + sep.join(header) + "\n" + "".join(
        sep.join(cell(v) for v in r) + "\n" for r in body)


def xlsx(path: Path, sheets: list[tuple[str, list[list[object]]]], hidden: set[str] = frozenset(),
         merges: list[tuple[str, int, int, int, int, object]] = ()) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    for name, grid in sheets:
        ws = wb.add_worksheet(name)
        for r, line in enumerate(grid):
            for c, v in enumerate(line):
                if v is None or v == "":
                    continue
                if isinstance(v, (int, float)):
                    ws.write_number(r, c, v)
                elif isinstance(v, dt.datetime):
                    ws.write_datetime(r, c, v, wb.add_format({"num_format": "dd/mm/yyyy hh:mm"}))
                else:
                    ws.write_string(r, c, str(v))
        for sheet, r1, c1, r2, c2, value in merges:
            if sheet == name:
                ws.merge_range(r1, c1, r2, c2, value)
        if name in hidden:
            ws.hide()
    visible = [ws for ws in wb.worksheets() if ws.name not in hidden]
    if hidden and visible:
        visible[0].activate()  # XlsxWriter does not hide the active sheet
    wb.close()
    return path


def patch_xlsx(path: Path, sheet_xml: Callable[[str], str]) -> Path:
    """Rewrite the first sheet's XML (cells XlsxWriter cannot write: errors, formulas without a value)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml(data.decode()).encode()
            dst.writestr(item, data)
    tmp.replace(path)
    return path


@dataclass
class Case:
    name: str
    make: Callable[[Path], list[str]]  # writes the files, returns the command's arguments
    exit: int
    says: str = ""  # in the first stderr line (exit 2) or in the output
    rows: tuple[int, int] | None = None  # (read, used) of the case log, from compute's JSON
    finds: tuple[str, ...] = ()  # finding codes the JSON must hold
    output: str | tuple[str, ...] | None = None  # the files the command writes (allowed to appear)
    check: Callable[[Path], None] | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


CASES: list[Case] = []


def case(name: str, exit: int, says: str = "", rows: tuple[int, int] | None = None, finds: tuple[str, ...] = (),
         output: str | tuple[str, ...] | None = None, check: Callable[[Path], None] | None = None):
    def register(make: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
        CASES.append(Case(name, make, exit, says, rows, finds, output, check))
        return make
    return register


def write(d: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = d / name
    p.write_bytes(text.encode(encoding))
    return p


def compute_json(p: Path, *extra: str) -> list[str]:
    return ["compute", str(p), "--period", "2024-Q1", "--format", "json", "-o", str(p.parent / "out.json"), *extra]


# ------------------------------------------------------------------ CSV: structure


@case("csv-unclosed-quote", 1, rows=(100, 100), finds=("unclosed-quote",), output="out.json")
def _(d):
    lines = [",".join(HEADER)] + [",".join(row(i)) for i in range(1, 101)]
    lines[2] = lines[2].replace("Đăng ký", '"Đăng ký')  # a quote opened and never closed
    return compute_json(write(d, "a.csv", "\n".join(lines) + "\n"))


@case("csv-unclosed-quote-large", 1, rows=(60000, 60000), finds=("unclosed-quote",), output="out.json")
def _(d):
    lines = [",".join(HEADER)] + [",".join(row(i)) for i in range(1, 60001)]
    lines[3] = lines[3].replace("Đăng ký", '"Đăng ký')
    return compute_json(write(d, "a.csv", "\n".join(lines) + "\n"))


@case("csv-unclosed-quote-last-line", 1, rows=(5, 5), finds=("unclosed-quote",), output="out.json")
def _(d):
    lines = [",".join(HEADER)] + [",".join(row(i)) for i in range(1, 6)]
    lines[-1] = lines[-1].replace("Đăng ký", '"Đăng ký')
    return compute_json(write(d, "a.csv", "\n".join(lines) + "\n"))


@case("csv-multiline-address-is-fine", 0, rows=(3, 3), output="out.json")
def _(d):
    body = rows(3)
    body[1][1] = "Đăng ký khai sinh\n(lưu động)"
    return compute_json(write(d, "a.csv", csv_text(body)), "--targets", str(_plan(d, "online")))


for _ending, _name in (("\r\n", "crlf"), ("\r", "cr-only"), ("\n", "lf")):
    def _make(d, ending=_ending):
        text = csv_text(rows(4)).replace("\n", ending)
        return compute_json(write(d, "a.csv", text), "--targets", str(_plan(d, "online")))
    case(f"csv-line-endings-{_name}", 0, rows=(4, 4), output="out.json")(_make)

for _enc in ("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258"):
    def _make(d, enc=_enc):
        import messy

        text = csv_text(rows(5))
        p = d / "a.csv"
        p.write_bytes(messy._cp1258(text) if enc == "cp1258" else text.encode(enc))
        return compute_json(p, "--targets", str(_plan(d, "online")))
    case(f"csv-encoding-{_enc}", 0, rows=(5, 5), output="out.json")(_make)


@case("csv-nul-bytes", 2, says="không phải tệp dữ liệu đọc được (có byte nhị phân 0x00 ở dòng 5")
def _(d):
    p = d / "a.csv"
    p.write_bytes(csv_text(rows(3)).encode() + bytes(range(256)))
    return ["compute", str(p)]


@case("csv-header-only", 2, says="không có hồ sơ nào trong kỳ 2024-Q1")
def _(d):
    return compute_json(write(d, "a.csv", csv_text([])))


@case("csv-blank-lines-everywhere", 0, rows=(7, 4), output="out.json")
def _(d):
    text = "\n\n" + csv_text(rows(4)).replace("\n", "\n\n", 3)
    return compute_json(write(d, "a.csv", text), "--targets", str(_plan(d, "online")))


@case("csv-rows-longer-and-shorter", 0, rows=(4, 4), output="out.json")
def _(d):
    lines = [",".join(HEADER), ",".join(row(1)) + ",x,y", ",".join(row(2)[:5]), ",".join(row(3)), ",".join(row(4))]
    return compute_json(write(d, "a.csv", "\n".join(lines) + "\n"), "--targets", str(_plan(d, "online")))


@case("csv-long-cell", 0, rows=(3, 3), output="out.json")
def _(d):
    body = rows(3)
    body[0][1] = "x" * 1_000_000
    return compute_json(write(d, "a.csv", csv_text(body)), "--targets", str(_plan(d, "online")))


@case("csv-one-column", 2, says="không tìm thấy dòng tiêu đề")
def _(d):
    return ["compute", str(write(d, "a.csv", "Mã hồ sơ\nHS1\nHS2\n"))]


@case("csv-repeated-header-and-totals", 0, rows=(7, 4), output="out.json")
def _(d):
    body = rows(2) + [HEADER] + [row(3), row(4)] + [["Tổng cộng: 4 hồ sơ", "", "", "", "", "", ""]] + [["", "", "", "", "", "", ""]]
    return compute_json(write(d, "a.csv", csv_text(body)), "--targets", str(_plan(d, "online")))


@case("csv-codes-starting-with-cong", 0, rows=(6, 5), output="out.json")
def _(d):
    body = [row(i, id=f"CONG-{i:03d}") for i in range(1, 6)] + [["Cộng", "", "", "", "", "", "5"]]
    return compute_json(write(d, "a.csv", csv_text(body)), "--targets", str(_plan(d, "online")))


@case("csv-semicolon-under-comma-title", 0, rows=(3, 3), output="out.json")
def _(d):
    text = csv_text(
        rows(3), sep=";", title=["Danh sách hồ sơ, từ ngày 01/01/2024, đến ngày 31/03/2024, đơn vị: UBND xã"]
    )
    return compute_json(write(d, "a.csv", text), "--targets", str(_plan(d, "online")))


@case("csv-tab-with-commas", 0, rows=(3, 3), output="out.json")
def _(d):
    body = rows(3)
    body[0][1] = "Chứng thực bản sao, bản chính"
    return compute_json(write(d, "a.tsv", csv_text(body, sep="\t")), "--targets", str(_plan(d, "online")))


@case("csv-pipe", 0, rows=(3, 3), output="out.json")
def _(d):
    return compute_json(write(d, "a.csv", csv_text(rows(3), sep="|")), "--targets", str(_plan(d, "online")))


@case("csv-wrong-delimiter-option", 2, says="đã tách cột bằng dấu chấm phẩy")
def _(d):
    return ["compute", str(write(d, "a.csv", csv_text(rows(3)))), "--delimiter", ";"]


@case("csv-header-row-advice-one-column", 2, says="dòng 2 không phải dòng tiêu đề")
def _(d):
    text = csv_text(rows(3), sep=";", title=["Danh sách, hồ sơ, năm 2024"])
    return ["compute", str(write(d, "a.csv", text)), "--header-row", "2", "--delimiter", ","]


@case("csv-many-blank-columns", 0, rows=(3, 3), output="out.json")
def _(d):
    text = csv_text([r + [""] * 300 for r in rows(3)], header=HEADER + [""] * 300)
    return compute_json(write(d, "a.csv", text), "--targets", str(_plan(d, "online")))


@case("csv-three-columns-200k-rows", 0, rows=(200001, 200000), output="out.json")
def _(d):
    lines = (
        ["Mã hồ sơ,Ngày tiếp nhận,Kênh nộp"] + [f"HS{i},02/01/2024,Trực tuyến" for i in range(200000)] + ["Tổng cộng,,"]
    )
    return compute_json(write(d, "a.csv", "\n".join(lines) + "\n"), "--targets", str(_plan(d, "online")))


@case("csv-renamed-workbook", 2, says="là bảng tính Excel nhưng mang đuôi .csv")
def _(d):
    p = xlsx(d / "a.xlsx", [("S", [HEADER, *rows(2)])])
    p.rename(d / "a.csv")
    return ["compute", str(d / "a.csv")]


@case("txt-saved-as-xls", 0, rows=(3, 3), output="out.json")
def _(d):
    return compute_json(write(d, "a.xls", csv_text(rows(3), sep="\t")), "--targets", str(_plan(d, "online")))


@case("html-saved-as-xls", 0, rows=(3, 3), output="out.json")
def _(d):
    cells = "".join(f"<tr>{''.join(f'<td>{v}</td>' for v in r)}</tr>" for r in rows(3))
    html = (
        "<html><meta charset='utf-8'><table><tr><td colspan=7>DANH SÁCH</td></tr><tr>"
        + "".join(f"<th>{h}</th>" for h in HEADER)
        + "</tr>"
        + cells
        + "</table></html>"
    )
    return compute_json(write(d, "a.xls", html), "--targets", str(_plan(d, "online")))


@case("spreadsheetml-saved-as-xls", 0, rows=(3, 3), output="out.json")
def _(d):
    def xrow(values):
        return "<Row>" + "".join(f'<Cell><Data ss:Type="String">{v}</Data></Cell>' for v in values) + "</Row>"

    xml = (
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Hồ sơ"><Table>'
        + xrow(HEADER)
        + "".join(xrow(r) for r in rows(3))
        + "</Table></Worksheet></Workbook>"
    )
    return compute_json(write(d, "a.xls", xml), "--targets", str(_plan(d, "online")))


# ------------------------------------------------------------------ workbooks


@case(
    "xlsx-hidden-stale-sheet",
    0,
    rows=(2, 2),
    output="out.json",
    check=lambda d: _assert_note(d, "bỏ qua trang tính ẩn 'Cũ'"),
)
def _(d):
    stale = [HEADER, *[row(i, rec="02/01/2023") for i in range(1, 50)]]
    p = xlsx(d / "a.xlsx", [("Cũ", stale), ("Hồ sơ", [HEADER, *rows(2)])], hidden={"Cũ"})
    return compute_json(p, "--targets", str(_plan(d, "online")))


@case(
    "xlsx-monthly-sheets-read-together",
    0,
    rows=(6, 6),
    output="out.json",
    check=lambda d: _assert_note(d, "cùng tiêu đề, đọc chung thành một sổ"),
)
def _(d):
    sheets = [
        (
            f"Tháng {m}",
            [
                HEADER,
                row(m * 10 + 1, rec=f"0{m}/0{m}/2024", due=f"10/0{m}/2024", done=f"05/0{m}/2024"),
                row(m * 10 + 2, rec=f"0{m}/0{m}/2024", due=f"10/0{m}/2024", done=f"05/0{m}/2024"),
            ],
        )
        for m in (1, 2, 3)
    ]
    return compute_json(xlsx(d / "a.xlsx", sheets), "--targets", str(_plan(d, "online")))


@case("xlsx-one-sheet-option", 0, rows=(2, 2), output="out.json")
def _(d):
    sheets = [(f"Tháng {m}", [HEADER, row(m * 10 + 1), row(m * 10 + 2)]) for m in (1, 2, 3)]
    return compute_json(xlsx(d / "a.xlsx", sheets), "--one-sheet", "--targets", str(_plan(d, "online")))


@case(
    "xlsx-merged-cells-down",
    0,
    rows=(4, 4),
    output="out.json",
    check=lambda d: _assert_json(d, lambda j: _ind(j, "I.2") == (4, 4)),
)
def _(d):
    grid = [HEADER, *rows(4)]
    return compute_json(
        xlsx(d / "a.xlsx", [("S", grid)], merges=[("S", 1, 6, 4, 6, "Trực tuyến")]),
        "--targets",
        str(_plan(d, "online")),
    )


@case("xlsx-error-cells", 1, rows=(3, 3), finds=("excel-error",), output="out.json")
def _(d):
    p = xlsx(d / "a.xlsx", [("S", [HEADER, *rows(3)])])
    return compute_json(patch_xlsx(p, lambda x: _replace_cell(x, "E3", '<c r="E3" t="e"><v>#N/A</v></c>')))


@case("xlsx-formula-without-value", 1, rows=(3, 3), finds=("uncalculated-formula",), output="out.json")
def _(d):
    p = xlsx(d / "a.xlsx", [("S", [HEADER, *rows(3)])])
    return compute_json(patch_xlsx(p, lambda x: _replace_cell(x, "E2", '<c r="E2"><f>TODAY()</f></c>')))


@case("xlsx-stray-cell-xfd1048576", 0, rows=(3, 3), output="out.json")
def _(d):
    p = xlsx(d / "a.xlsx", [("S", [HEADER, *rows(3)])])
    patch_xlsx(
        p,
        lambda x: x.replace(
            "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        ).replace('<dimension ref="A1:G4"/>', '<dimension ref="A1:XFD1048576"/>'),
    )
    return compute_json(p, "--targets", str(_plan(d, "online")))


@case("xlsx-header-beyond-row-40", 0, rows=(3, 3), output="out.json")
def _(d):
    grid = [[f"Ghi chú {i}"] for i in range(44)] + [HEADER, *rows(3)]
    return compute_json(xlsx(d / "a.xlsx", [("S", grid)]), "--header-row", "45", "--targets", str(_plan(d, "online")))


@case("xlsx-header-row-not-a-header", 2, says="dòng 3 không phải dòng tiêu đề")
def _(d):
    return ["compute", str(xlsx(d / "a.xlsx", [("S", [HEADER, *rows(3)])])), "--header-row", "3"]


@case("xlsx-empty", 2, says="bảng tính trống")
def _(d):
    return ["compute", str(xlsx(d / "a.xlsx", [("S", [])]))]


@case("xlsx-only-banner", 2, says="không tìm thấy dòng tiêu đề")
def _(d):
    return ["compute", str(xlsx(d / "a.xlsx", [("S", [["DANH SÁCH HỒ SƠ"], ["Từ ngày 01/01/2024"]])]))]


@case("xlsx-truncated", 2, says="không phải bảng tính Excel hợp lệ")
def _(d):
    p = xlsx(d / "a.xlsx", [("S", [HEADER, *rows(30)])])
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    return ["compute", str(p)]


@case("xlsx-password-protected", 2, says="tệp Excel có mật khẩu")
def _(d):
    p = d / "a.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le"))
    return ["compute", str(p)]


@case("xls-renamed-to-xlsx", 2, says="là tệp Excel 97-2003 nhưng mang đuôi .xlsx")
def _(d):
    p = d / "a.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    return ["compute", str(p)]


@case("xlsx-zip-of-something-else", 2, says="không phải bảng tính Excel hợp lệ")
def _(d):
    p = d / "a.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "xin chào")
    return ["compute", str(p)]


@case(
    "xlsx-numbering-row-not-numeric-id",
    0,
    rows=(4, 3),
    output="out.json",
    check=lambda d: _assert_json(d, lambda j: j["findings"]["warning"] == 0),
)
def _(d):
    grid = [HEADER, list(range(1, 8)), *rows(3)]
    return compute_json(xlsx(d / "a.xlsx", [("S", grid)]), "--targets", str(_plan(d, "online")))


@case("xlsx-real-dates-and-serials", 0, rows=(3, 3), output="out.json")
def _(d):
    grid = [HEADER] + [
        [f"HS{i}", "Đăng ký", dt.datetime(2024, 1, i + 1, 8), 45300 + i, "04/01/2024", "Đã trả kết quả", "Trực tuyến"]
        for i in range(1, 4)
    ]
    return compute_json(xlsx(d / "a.xlsx", [("S", grid)]), "--targets", str(_plan(d, "online")))


# ------------------------------------------------------------------ values


def _dates_case(name: str, value: str, code: str, exit: int = 1):
    @case(f"date-{name}", exit, rows=(3, 3), finds=(code,), output="out.json")
    def _(d):
        body = rows(3)
        body[1][4] = value
        return compute_json(write(d, "a.csv", csv_text(body)), "--targets", str(_plan(d, "online")))


_dates_case("two-digit-year", "08/03/24", "two-digit-year", 0)
_dates_case("year-3024", "08/03/3024", "implausible-date")
_dates_case("year-1600", "06/03/1600", "implausible-date")
_dates_case("number-1234567", "1234567", "implausible-date")
_dates_case("31-february", "31/02/2024", "invalid-date")
_dates_case("words", "hôm qua", "invalid-date")
_dates_case("month-13", "13/13/2024", "invalid-date")


@case(
    "date-timezone-offsets",
    0,
    rows=(3, 3),
    output="out.json",
    check=lambda d: _assert_json(d, lambda j: j["rows"]["used"] == 3),
)
def _(d):
    body = rows(3)
    body[0][2], body[1][2], body[2][2] = "2024-01-02T08:30:00+07:00", "2024-01-02T01:30:00Z", "2024-01-02T08:30:00"
    return compute_json(write(d, "a.csv", csv_text(body)), "--targets", str(_plan(d, "online")))


@case("date-stray-years-do-not-walk-centuries", 1, rows=(3, 3), finds=("implausible-date",), output="out.json")
def _(d):
    body = rows(3)
    body[0][2], body[1][2] = "01/01/1900", "01/01/2200"
    p = write(d, "a.csv", csv_text(body))
    return [
        "compute",
        str(p),
        "--by",
        "month",
        "--format",
        "json",
        "-o",
        str(d / "out.json"),
        "--targets",
        str(_plan(d, "online")),
    ]


@case(
    "channel-near-miss-phrases",
    0,
    rows=(4, 4),
    output="out.json",
    check=lambda d: _assert_json(d, lambda j: _ind(j, "I.2") == (1, 4)),
)
def _(d):
    body = rows(4)
    body[0][6] = "Trực tiếp (công dân mang hồ sơ đến)"
    body[1][6] = "Tại bộ phận một cửa"
    body[2][6] = "Nộp qua mạng"
    body[3][6] = "Bưu điện"
    return compute_json(write(d, "a.csv", csv_text(body)), "--targets", str(_plan(d, "online")))


@case("status-unknown-words", 1, rows=(3, 3), finds=("invalid-status",), output="out.json")
def _(d):
    body = rows(3)
    body[0][5] = "Đang bay"
    return compute_json(write(d, "a.csv", csv_text(body)))


@case("processing-days-absurd", 0, rows=(2, 2), finds=("implausible-processing-days",), output="out.json")
def _(d):
    text = (
        "Mã hồ sơ,Ngày tiếp nhận,Thời hạn giải quyết,Ngày có kết quả,Trạng thái,Kênh nộp\n"
        "HS1,02/01/2024,1000000000,04/01/2024,Đã trả kết quả,Trực tuyến\nHS2,02/01/2024,3,04/01/2024,Đã trả kết quả,Trực tuyến\n"
    )
    return compute_json(write(d, "a.csv", text), "--targets", str(_plan(d, "online")))


@case("money-mixed-conventions", 0, rows=(3, 3), finds=("mixed-number-format",), output="out.json")
def _(d):
    text = 'Mã hồ sơ,Ngày tiếp nhận,Phí,Thanh toán trực tuyến\nHS1,02/01/2024,"15.000,50",Có\nHS2,02/01/2024,"15,000.50",Không\nHS3,02/01/2024,0,\n'
    return compute_json(write(d, "a.csv", text), "--targets", str(_plan(d, "fee")))


@case("negative-fee-shown-as-typed", 1, rows=(2, 2), finds=("negative-fee",), output="out.json")
def _(d):
    text = "Mã hồ sơ,Ngày tiếp nhận,Phí,Thanh toán trực tuyến\nHS1,02/01/2024,-5.000,Có\nHS2,02/01/2024,5000,Có\n"
    return compute_json(write(d, "a.csv", text), "--targets", str(_plan(d, "fee")))


@case("duplicate-ids-keep-the-later", 0, rows=(3, 2), finds=("duplicate-id",), output="out.json")
def _(d):
    body = rows(3)
    body[2][0] = body[0][0]
    return compute_json(write(d, "a.csv", csv_text(body)), "--targets", str(_plan(d, "online")))


@case("no-id-column", 0, rows=(3, 3), finds=("no-id-column",), output="out.json")
def _(d):
    text = (
        "Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Kênh nộp\n02/01/2024,05/01/2024,04/01/2024,Trực tuyến\n"
        "02/01/2024,05/01/2024,04/01/2024,Trực tuyến\n03/01/2024,05/01/2024,04/01/2024,Trực tuyến\n"
    )
    return compute_json(write(d, "a.csv", text), "--targets", str(_plan(d, "online")))


# ------------------------------------------------------------------ several files


@case("same-file-twice", 2, says="tệp được đưa vào hai lần")
def _(d):
    p = write(d, "a.csv", csv_text(rows(3)))
    return ["compute", str(p), str(p)]


@case("same-file-by-another-path", 2, says="tệp được đưa vào hai lần")
def _(d):
    p = write(d, "a.csv", csv_text(rows(3)))
    return ["compute", str(p), str(d / "." / "a.csv")]


@case("identical-copies", 0, rows=(6, 3), finds=("identical-files",), output="out.json")
def _(d):
    a = write(d, "a.csv", csv_text(rows(3)))
    b = write(d, "b.csv", csv_text(rows(3)))
    return [
        "compute",
        str(a),
        str(b),
        "--period",
        "2024-Q1",
        "--format",
        "json",
        "-o",
        str(d / "out.json"),
        "--targets",
        str(_plan(d, "online")),
    ]


@case(
    "one-file-lacks-a-column",
    0,
    rows=(4, 4),
    finds=("missing-column-in-file",),
    output="out.json",
    check=lambda d: _assert_json(d, lambda j: _ind(j, "I.2") == (2, 2)),
)
def _(d):
    a = write(d, "a.csv", csv_text(rows(2)))
    b = write(d, "b.csv", csv_text([r[:6] for r in [row(8), row(9)]], header=HEADER[:6]))
    return [
        "compute",
        str(a),
        str(b),
        "--period",
        "2024-Q1",
        "--format",
        "json",
        "-o",
        str(d / "out.json"),
        "--targets",
        str(_plan(d, "online")),
    ]


@case("one-good-one-broken-file", 2, says="b.xlsx: không phải bảng tính Excel hợp lệ")
def _(d):
    a = write(d, "a.csv", csv_text(rows(2)))
    b = d / "b.xlsx"
    b.write_bytes(b"PK\x03\x04garbage")
    return ["compute", str(a), str(b)]


# ------------------------------------------------------------------ YAML files


_BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\ni: [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
)

for _option, _file in (("--targets", "t.yaml"), ("--columns", "c.yaml"), ("--inputs", "i.yaml")):

    def _make(d, option=_option, file=_file):
        return ["compute", str(write(d, "a.csv", csv_text(rows(2)))), option, str(write(d, file, _BOMB))]

    case(f"yaml-alias-bomb{_option}", 2, says="YAML quá lớn hoặc lồng quá sâu")(_make)


@case("yaml-recursive-alias", 2, says="YAML")
def _(d):
    return ["targets", "check", str(write(d, "t.yaml", "a: &a\n  b: *a\n"))]


@case("yaml-python-tag", 2, says="YAML không hợp lệ")
def _(d):
    return ["targets", "check", str(write(d, "t.yaml", "plan: !!python/name:os.system\n"))]


@case("yaml-list-as-key", 2, says="khóa phải là một giá trị đơn")
def _(d):
    return ["targets", "check", str(write(d, "t.yaml", "? [a, b]\n: 1\n"))]


@case("yaml-duplicate-key", 2, says="khóa 'plan' bị lặp")
def _(d):
    return ["targets", "check", str(write(d, "t.yaml", "plan: 1\nplan: 2\n"))]


@case("yaml-not-a-mapping", 2, says="tệp chỉ tiêu phải là một bảng khóa")
def _(d):
    return ["targets", "check", str(write(d, "t.yaml", "- a\n- b\n"))]


@case("yaml-binary", 2, says="phải là văn bản UTF-8")
def _(d):
    p = d / "t.yaml"
    p.write_bytes(bytes(range(128, 256)))
    return ["targets", "check", str(p)]


@case("yaml-missing", 2, says="không tìm thấy tệp chỉ tiêu")
def _(d):
    return ["targets", "check", str(d / "none.yaml")]


@case("target-year-99999", 2, says="plan.year: phải ≤ 2100")
def _(d):
    return ["targets", "check", str(_plan(d, "online", year=99999))]


@case("target-processing-days-huge", 2, says="processing_days: phải ≤ 365")
def _(d):
    text = (
        _plan(d, "online").read_text(encoding="utf-8")
        + "procedures:\n  - {name: Đăng ký khai sinh, processing_days: 1000000000}\n"
    )
    return ["targets", "check", str(write(d, "p.yaml", text))]


@case("filter-deep-nesting", 2, says="biểu thức lồng quá sâu")
def _(d):
    return ["targets", "check", str(_plan(d, "(" * 5000 + "online" + ")" * 5000))]


@case("filter-huge", 2, says="biểu thức quá dài")
def _(d):
    return ["targets", "check", str(_plan(d, " or ".join(f'procedure_code = "{i}"' for i in range(200000))))]


@case("filter-contains-nothing", 2, says="sau contains cần chữ hoặc số")
def _(d):
    return ["targets", "check", str(_plan(d, 'procedure_name contains "—"'))]


@case("filter-unknown-field", 2, says="trường 'onlien' không có trong nguồn cases")
def _(d):
    return ["targets", "check", str(_plan(d, "onlien"))]


@case("columns-unknown-field", 2, says="columns → ngay_nhan: không có trường này")
def _(d):
    return [
        "compute",
        str(write(d, "a.csv", csv_text(rows(2)))),
        "--columns",
        str(write(d, "c.yaml", "columns:\n  ngay_nhan: Ngày nhận\n")),
    ]


@case("inputs-without-period", 2, says="cần ghi số liệu này của kỳ nào")
def _(d):
    return [
        "compute",
        str(write(d, "a.csv", csv_text(rows(2)))),
        "--inputs",
        str(write(d, "i.yaml", "III.1: {numerator: 1, denominator: 1}\n")),
    ]


@case("inputs-numerator-above-denominator", 2, says="tử số 5 lớn hơn mẫu số 2")
def _(d):
    return [
        "compute",
        str(write(d, "a.csv", csv_text(rows(2)))),
        "--inputs",
        str(write(d, "i.yaml", "period: 2024\nIII.1: {numerator: 5, denominator: 2}\n")),
    ]


@case("profile-bad-file", 2, says="không có trường này")
def _(d):
    p = write(d, "p.yaml", "name: x\ntitle: X\nlogs:\n  cases:\n    columns:\n      ngay: {aliases: [A]}\n")
    return ["compute", str(write(d, "a.csv", csv_text(rows(2)))), "--profile", str(p)]


@case("profile-unknown-name", 2, says="không có mẫu xuất này")
def _(d):
    return ["compute", str(write(d, "a.csv", csv_text(rows(2)))), "--profile", "khong-co"]


# ------------------------------------------------------------------ options and output paths


def _out_case(name: str, says: str, target: Callable[[Path], str], command: str = "compute"):
    @case(f"output-{name}", 2, says=says)
    def _(d):
        p = write(d, "a.csv", csv_text(rows(2)))
        extra = ["-o", target(d)] if command == "compute" else ["-o", target(d)]
        return [command, str(p), *extra]


_out_case("is-a-folder", "là một thư mục", lambda d: str(d))
_out_case("under-a-file", "là một tệp, không phải thư mục", lambda d: str(d / "a.csv" / "x.json"))
_out_case("dev-stdout", "không phải tệp thông thường", lambda d: "/dev/stdout")
_out_case("is-the-input", "là tệp đầu vào", lambda d: str(d / "a.csv"))
_out_case("report-not-xlsx", "báo cáo phải có đuôi .xlsx", lambda d: str(d / "r.pdf"), "report")


@case("output-report-is-the-input", 2, says="là tệp đầu vào")
def _(d):
    p = xlsx(d / "in.xlsx", [("S", [HEADER, *rows(1)])])
    return ["report", str(p), "-o", str(p)]


@case("output-is-the-targets-file", 2, says="là tệp đầu vào")
def _(d):
    t = _plan(d, "online")
    return ["compute", str(write(d, "a.csv", csv_text(rows(2)))), "--targets", str(t), "-o", str(t)]


@case("output-is-the-columns-file", 2, says="là tệp đầu vào")
def _(d):
    c = write(d, "c.yaml", "columns:\n  channel: Kênh nộp\n")
    return ["compute", str(write(d, "a.csv", csv_text(rows(2)))), "--columns", str(c), "-o", str(c)]


@case("output-is-a-hard-link-to-the-feedback-log", 2, says="là tệp đầu vào")
def _(d):
    fb = write(d, "fb.csv", "Mã PAKN,Ngày tiếp nhận,Hạn xử lý\nP1,02/01/2024,20/01/2024\n")
    os.link(fb, d / "link.csv")
    return ["compute", str(write(d, "a.csv", csv_text(rows(2)))), "--feedback", str(fb), "-o", str(d / "link.csv")]


@case(
    "output-through-a-symlink",
    0,
    output="real.json",
    check=lambda d: (d / "link.json").is_symlink() and (d / "real.json").stat().st_size > 0 or _fail("link"),
)
def _(d):
    (d / "real.json").write_text("{}", encoding="utf-8")
    (d / "link.json").symlink_to(d / "real.json")
    return [
        "compute",
        str(write(d, "a.csv", csv_text(rows(2)))),
        "--format",
        "json",
        "-o",
        str(d / "link.json"),
        "--targets",
        str(_plan(d, "online")),
        "--period",
        "2024-Q1",
    ]


@case("output-in-a-folder-not-yet-made", 0, output="moi/out.json")
def _(d):
    return [
        "compute",
        str(write(d, "a.csv", csv_text(rows(2)))),
        "--format",
        "json",
        "-o",
        str(d / "moi" / "out.json"),
        "--targets",
        str(_plan(d, "online")),
        "--period",
        "2024-Q1",
    ]


for _period, _says in (
    ("0000-Q1", "năm 0 nằm ngoài khoảng 2000–2100"),
    ("2024-Q5", "kỳ báo cáo '2024-Q5' không hợp lệ"),
    ("99999", "năm 99999 nằm ngoài"),
    ("2025-Q1", "kỳ 2025-Q1 (01/01/2025–31/03/2025) nằm ngoài dữ liệu"),
):

    def _make(d, period=_period):
        return ["compute", str(write(d, "a.csv", csv_text(rows(2)))), "--period", period]

    case(f"period-{_period}", 2, says=_says)(_make)


@case("as-of-before-the-period", 2, says="--as-of 31/12/2023 trước ngày đầu kỳ 2024-Q1")
def _(d):
    return ["compute", str(write(d, "a.csv", csv_text(rows(2)))), "--period", "2024-Q1", "--as-of", "31/12/2023"]


@case("from-after-to", 2, says="--to 01/01/2024 trước --from 31/03/2024")
def _(d):
    return ["compute", str(write(d, "a.csv", csv_text(rows(2)))), "--from", "31/03/2024", "--to", "01/01/2024"]


@case("from-without-to", 2, says="cần cả --from và --to")
def _(d):
    return ["compute", str(write(d, "a.csv", csv_text(rows(2)))), "--from", "01/01/2024"]


@case("as-of-not-a-date", 2, says="--as-of 'mai' không phải ngày hợp lệ")
def _(d):
    return ["compute", str(write(d, "a.csv", csv_text(rows(2)))), "--as-of", "mai"]


@case("sheet-missing", 2, says="không có trang tính «Khác»")
def _(d):
    return ["compute", str(xlsx(d / "a.xlsx", [("S", [HEADER, *rows(2)])])), "--sheet", "Khác"]


@case("encoding-unknown", 2, says="không biết bảng mã 'klingon'")
def _(d):
    return ["compute", str(write(d, "a.csv", csv_text(rows(2)))), "--encoding", "klingon"]


@case("file-missing", 2, says="không tìm thấy tệp")
def _(d):
    return ["compute", str(d / "none.csv")]


@case("file-is-a-folder", 2, says="là một thư mục, không phải tệp dữ liệu")
def _(d):
    (d / "thu-muc.csv").mkdir()
    return ["compute", str(d / "thu-muc.csv")]


@case("file-zero-bytes", 2, says="tệp rỗng (0 byte)")
def _(d):
    return ["compute", str(write(d, "a.xlsx", ""))]


@case("file-unknown-suffix", 2, says="không đọc được định dạng .docx")
def _(d):
    return ["compute", str(write(d, "a.docx", "văn bản"))]


@case("report-empty-period", 2, says="kỳ 2025-Q1 (01/01/2025–31/03/2025) nằm ngoài dữ liệu")
def _(d):
    return ["report", str(write(d, "a.csv", csv_text(rows(2)))), "--period", "2025-Q1", "-o", str(d / "r.xlsx")]


# ------------------------------------------------------------------ helpers


def _plan(d: Path, numerator: str, year: int = 2024) -> Path:
    """A one-indicator target file (a filter of choice), so that a case's exit code is its data's."""
    fee = numerator == "fee"
    body = (
        f"plan: {{issuer: UBND, unit: UBND xã, year: {year}, title: Kế hoạch}}\n"
        "sections: [{id: I, title: Mục I}]\n"
        "indicators:\n  - id: I.2\n    section: I\n    name: Chỉ tiêu\n"
        '    target: {op: ">=", value: 0}\n'
        "    count:\n      source: cases\n      period_by: received\n"
        f"      denominator: {'fee > 0' if fee else 'all'}\n"
        f"      numerator: {'paid_online' if fee else _quoted(numerator)}\n"
    )
    name = f"plan-{abs(hash((numerator, year))) % 10**8}.yaml"
    return write(d, name, body)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _replace_cell(xml: str, ref: str, cell: str) -> str:
    import re

    return re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', cell, xml, count=1, flags=re.S)


def _fail(what: str) -> None:
    raise AssertionError(what)


def _json(d: Path) -> dict:
    import json

    return json.loads((d / "out.json").read_text(encoding="utf-8"))


def _ind(result: dict, ident: str) -> tuple:
    i = next(x for x in result["indicators"] if x["id"] == ident)
    return i["numerator"], i["denominator"]


def _assert_json(d: Path, test: Callable[[dict], bool]) -> None:
    assert test(_json(d)), _json(d)


def _assert_note(d: Path, text: str) -> None:
    from ttkhc_cli import api

    data = _json(d)
    assert data  # the notes are in the files' reading notes, read again through the library
    files = [Path(f) for f in d.iterdir() if f.suffix == ".xlsx"]
    _, report = dumped_report(api.validate_files(api.Request(tuple(files))))
    assert any(text in n for f in report["files"] for n in f["notes"]), report["files"]


# ------------------------------------------------------------------ every log, every command


@case("feedback-log-with-31-february", 1, says="", rows=(2, 2), finds=("invalid-date",), output="out.json")
def _(d):
    fb = write(
        d,
        "pakn.csv",
        "Mã PAKN,Ngày tiếp nhận,Hạn xử lý,Ngày xử lý xong\nP1,31/02/2024,20/03/2024,\n"
        "P2,02/01/2024,20/01/2024,10/01/2024\n",
    )
    return compute_json(
        write(d, "a.csv", csv_text(rows(2))), "--feedback", str(fb), "--targets", str(_plan(d, "online"))
    )


@case("documents-log-far-dates", 0, rows=(2, 2), finds=("date-out-of-range",), output="out.json")
def _(d):
    docs = write(
        d, "vb.csv", '"Số, ký hiệu",Ngày văn bản,Độ mật,Xử lý trên môi trường mạng\n1/UBND,02/01/2030,Thường,Có\n'
    )
    return compute_json(
        write(d, "a.csv", csv_text(rows(2))), "--documents", str(docs), "--targets", str(_plan(d, "online"))
    )


@case("validate-checks-the-feedback-log", 1, says="handled-before-received")
def _(d):
    fb = write(d, "pakn.csv", "Mã PAKN,Ngày tiếp nhận,Ngày xử lý xong\nP1,05/01/2024,02/01/2024\n")
    return ["validate", str(write(d, "a.csv", csv_text(rows(2)))), "--feedback", str(fb), "--format", "csv"]


@case("validate-json-to-a-file", 0, output="v.json")
def _(d):
    return ["validate", str(write(d, "a.csv", csv_text(rows(2)))), "--format", "json", "-o", str(d / "v.json")]


@case("report-written-whole", 0, output=("bc.xlsx", "bc-viec-can-lam.xlsx"))
def _(d):
    return [
        "report",
        str(write(d, "a.csv", csv_text(rows(5)))),
        "--period",
        "2024-Q1",
        "-o",
        str(d / "bc.xlsx"),
        "--targets",
        str(_plan(d, "online")),
    ]


@case("report-over-an-older-report", 0, output=("bc.xlsx", "bc-viec-can-lam.xlsx"))
def _(d):
    (d / "bc.xlsx").write_bytes(b"an older report")
    return [
        "report",
        str(write(d, "a.csv", csv_text(rows(5)))),
        "--period",
        "2024-Q1",
        "-o",
        str(d / "bc.xlsx"),
        "--targets",
        str(_plan(d, "online")),
    ]


@case("ods-workbook", 0, rows=(3, 3), output="out.json")
def _(d):
    import pandas as pd

    p = d / "a.ods"
    pd.DataFrame([HEADER, *rows(3)]).to_excel(p, engine="odf", header=False, index=False)
    return compute_json(p, "--targets", str(_plan(d, "online")))


@case("xlsm-workbook", 0, rows=(3, 3), output="out.json")
def _(d):
    p = xlsx(d / "a.xlsx", [("S", [HEADER, *rows(3)])])
    p.rename(d / "a.xlsm")
    return compute_json(d / "a.xlsm", "--targets", str(_plan(d, "online")))


@case("xlsx-numeric-ids-warned", 0, rows=(3, 3), finds=("numeric-id",), output="out.json")
def _(d):
    grid = [HEADER] + [[100 + i, *row(i)[1:]] for i in range(1, 4)]
    return compute_json(xlsx(d / "a.xlsx", [("S", grid)]), "--targets", str(_plan(d, "online")))


@case("csv-duplicate-header-names", 0, rows=(2, 2), finds=("duplicate-header",), output="out.json")
def _(d):
    header = HEADER + ["Ngày tiếp nhận"]
    return compute_json(
        write(d, "a.csv", csv_text([r + ["09/01/2024"] for r in rows(2)], header=header)),
        "--targets",
        str(_plan(d, "online")),
    )


@case("csv-empty-header-cells", 0, rows=(2, 2), output="out.json")
def _(d):
    header = HEADER[:3] + [""] + HEADER[3:]
    return compute_json(
        write(d, "a.csv", csv_text([r[:3] + ["x"] + r[3:] for r in rows(2)], header=header)),
        "--targets",
        str(_plan(d, "online")),
    )


@case("two-files-same-rows-no-codes", 0, rows=(4, 4), finds=("identical-files", "no-id-column"), output="out.json")
def _(d):
    text = (
        "Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Kênh nộp\n02/01/2024,05/01/2024,04/01/2024,Trực tuyến\n"
        "03/01/2024,05/01/2024,04/01/2024,Trực tiếp\n"
    )
    a, b = write(d, "a.csv", text), write(d, "b.csv", text)
    return [
        "compute",
        str(a),
        str(b),
        "--period",
        "2024-Q1",
        "--format",
        "json",
        "-o",
        str(d / "out.json"),
        "--targets",
        str(_plan(d, "online")),
    ]


@case(
    "dvcqg-status-codes",
    0,
    rows=(3, 3),
    output="out.json",
    check=lambda d: _assert_json(d, lambda j: _ind(j, "I.2") == (1, 3)),
)
def _(d):
    text = (
        "MaHoSo,NgayTiepNhan,NgayHenTra,TrangThaiHoSo,KenhThucHien,NgayKetThucXuLy\n"
        "A1,20240102080000,20240105170000,10,2,20240104100000\nA2,20240102080000,20240105170000,4,1,\n"
        "A3,20240102080000,20240105170000,7,3,20240103090000\n"
    )
    return compute_json(write(d, "a.csv", text), "--targets", str(_plan(d, "online")))


@case(
    "status-paused-is-not-stopped",
    0,
    rows=(2, 2),
    output="out.json",
    check=lambda d: _assert_json(d, lambda j: _ind(j, "I.2") == (1, 2)),
)
def _(d):
    body = [row(1, status="Tạm dừng xử lý", done=""), row(2, status="Dừng xử lý", channel="Trực tiếp")]
    return compute_json(write(d, "a.csv", csv_text(body)), "--targets", str(_plan(d, "online")))


@case("help-in-vietnamese", 0, says="Tính mọi chỉ tiêu")
def _(d):
    return ["compute", "--help"]
