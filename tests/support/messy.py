"""Writers of messy exports for the tests: the same five dossiers in every shape they come in."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pandas as pd

BANNER = ["UBND XÃ ĐẮK TÔ RE", "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT", "Từ ngày 01/01/2024 đến ngày 31/03/2024"]
HEADERS = ["Mã hồ sơ", "Thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Kênh nộp",
           "Trạng thái", "Phí", "Thanh toán trực tuyến", "Số hóa hồ sơ"]
D = dt.datetime
# Dates appear as real Excel dates in some rows and as day-first text in others.
ROWS = [
    ["HS-001", "Chứng thực bản sao từ bản chính", D(2024, 1, 2, 8, 0), D(2024, 1, 2), D(2024, 1, 2, 10, 30),
     "Trực tuyến", "Đã trả kết quả", "2.000", "Có", "x"],
    ["HS-002", "Đăng ký khai sinh", "03/01/2024 09:15", "05/01/2024", "05/01/2024 16:00",
     "Trực tiếp", "Đã xử lý xong", "0", "", ""],
    ["HS-003", "Đăng ký kết hôn", "12/02/2024", "19/02/2024", "", "", "Đang xử lý", "", "Không", "x"],
    ["HS-004", "Xác nhận tình trạng hôn nhân", D(2024, 3, 1, 14, 0), "06/03/2024", "08/03/2024",
     "Bưu chính công ích", "Đã trả kết quả", "3.000 đ", "Không", "x"],
    ["HS-005", "Chứng thực chữ ký", "15/03/2024 10:00", D(2024, 3, 15), "15/03/2024 11:00",
     "2", "Công dân yêu cầu rút hồ sơ", "10,000", "x", ""],
]


def as_text(v: object) -> str:
    if isinstance(v, dt.datetime):
        return v.strftime("%d/%m/%Y %H:%M") if (v.hour or v.minute) else v.strftime("%d/%m/%Y")
    return "" if v is None else str(v)


def write_xlsx_two_row(path: Path, rows=ROWS) -> Path:
    """Three banner rows, a merged two-row header ("Ngày" over three columns), a totals row."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Hồ sơ")
    bold = wb.add_format({"bold": True})
    datefmt = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for r, line in enumerate(BANNER):
        ws.write(r, 0, line, bold)
    top, sub = 3, 4
    ws.merge_range(top, 0, sub, 0, "Mã hồ sơ", bold)
    ws.merge_range(top, 1, sub, 1, "Thủ tục", bold)
    ws.merge_range(top, 2, top, 4, "Ngày", bold)
    for c, name in zip((2, 3, 4), ("Tiếp nhận", "Hẹn trả", "Có kết quả")):
        ws.write(sub, c, name, bold)
    for c, name in enumerate(HEADERS[5:], start=5):
        ws.merge_range(top, c, sub, c, name, bold)
    for i, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, dt.datetime):
                ws.write_datetime(sub + 1 + i, c, v, datefmt)
            elif v != "":
                ws.write_string(sub + 1 + i, c, str(v))
    ws.write(sub + 1 + len(rows), 0, "Tổng cộng", bold)
    ws.write(sub + 1 + len(rows), 5, len(rows))
    wb.close()
    return path


def write_notes_then_cases(path: Path) -> Path:
    """A workbook whose first sheet is a note and whose second holds a one-row case log at row 4."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Ghi chú").write(0, 0, "Báo cáo tháng")
    ws = wb.add_worksheet("Sổ hồ sơ")
    ws.write_row(2, 0, ["Số biên nhận", "Ngày nhận", "Hạn giải quyết", "Tình trạng"])
    ws.write_row(3, 0, ["X1", "02/01/2024", "05/01/2024", "Đang xử lý"])
    wb.close()
    return path


def write_ods(path: Path, rows=ROWS) -> Path:
    grid = [[line] + [None] * (len(HEADERS) - 1) for line in BANNER] + [HEADERS]
    grid += [[v if v != "" else None for v in row] for row in rows]
    grid += [["Tổng cộng"] + [None] * (len(HEADERS) - 1)]
    pd.DataFrame(grid).to_excel(path, engine="odf", header=False, index=False, sheet_name="Hồ sơ")
    return path


def _cp1258(text: str) -> bytes:
    """Encode as Windows does: base letters precomposed where cp1258 has them, tones combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = [m for m in parts[1:] if m in "\u0300\u0301\u0303\u0309\u0323"]
        base = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m not in tones))
        out += base.encode("cp1258") + "".join(tones).encode("cp1258")
    return bytes(out)


def csv_text(rows=ROWS, headers=HEADERS, sep=",", banner=True) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    if banner:
        for line in BANNER:
            w.writerow([line])
    w.writerow(headers)
    for row in rows:
        w.writerow([as_text(v) for v in row])
    w.writerow(["Tổng cộng"])
    return buf.getvalue()


def write_csv(path: Path, encoding: str = "utf-8-sig", sep: str = ",", rows=ROWS, headers=HEADERS) -> Path:
    text = csv_text(rows, headers, sep)
    path.write_bytes(_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """The canonical table without its provenance columns, in a fixed order."""
    cols = sorted(c for c in frame.columns if not c.startswith("_"))
    out = frame[cols].sort_values("case_id").reset_index(drop=True)
    return out.astype(object).where(out.notna(), None)
