"""Writing the quarterly report workbook with XlsxWriter: values, not formulas.

Every text cell is written with ``write_string`` so that input text starting with =, +, - or @
stays text (formula injection). Percentages are fractions with a % format. Rows are streamed
(constant-memory mode), so a detail sheet of any length is not held in memory twice. The file is
written beside its destination and renamed into place: a failure never leaves half a report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ttkhc_cli.domain import labels
from ttkhc_cli.kpi.report_data import FORM06_COLUMNS, LATE_COLUMNS, ReportData
from ttkhc_cli.kpi.results import Groups, IndicatorResult
from ttkhc_cli.output.files import atomic_output

SHEETS = ("Tổng hợp", "Biểu 06", "Theo bộ phận", "Xu hướng", "Hồ sơ quá hạn", "Chất lượng dữ liệu", "Ghi chú")
BASIS_TEXT = {"received": "ngày tiếp nhận", "completed": "ngày có kết quả", "resolved": "ngày kết thúc (đã giải quyết)",
              "none": "—"}




class _Sheet:
    """A worksheet written row by row, with column widths fitted from what it will hold."""

    def __init__(self, book: _Book, name: str, widths: Sequence[float]):
        self.ws = book.wb.add_worksheet(name)
        self.book = book
        self.row = 0
        for c, w in enumerate(widths):
            self.ws.set_column(c, c, min(max(w, 6), 60))
        self.ws.set_paper(9)
        self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)
        self.ws.hide_gridlines(0)

    def cell(self, r: int, c: int, value: Any, fmt=None) -> None:
        ws = self.ws
        if isinstance(value, np.datetime64):
            value = pd.Timestamp(value) if not np.isnat(value) else None
        elif isinstance(value, np.integer):
            value = int(value)
        if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
            ws.write_blank(r, c, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(r, c, "Có" if value else "Không", fmt)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(r, c, value, fmt)
        elif isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
            ws.write_datetime(r, c, pd.Timestamp(value).to_pydatetime(), fmt or self.book.date)
        else:
            ws.write_string(r, c, str(value), fmt)

    def line(self, values: Sequence[Any], fmts: Sequence[Any] | Any = None, height: float | None = None) -> int:
        """Write the next row (constant-memory mode: rows are written in order, once)."""
        r = self.row
        if height:
            self.ws.set_row(r, height)
        for c, v in enumerate(values):
            f = fmts[c] if isinstance(fmts, (list, tuple)) else fmts
            self.cell(r, c, v, f)
        self.row += 1
        return r

    def title(self, lines: Sequence[str]) -> None:
        for i, text in enumerate(lines):
            self.line([text], self.book.title if i == 0 else self.book.subtitle)
        self.row += 1

    def table_header(self, headers: Sequence[str]) -> int:
        r = self.line(headers, self.book.header)
        self.ws.set_row(r, 32)
        self.ws.freeze_panes(r + 1, 0)
        self.ws.repeat_rows(r)
        return r


class _Book:
    def __init__(self, path: str):
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "default_date_format": "dd/mm/yyyy"})
        add = self.wb.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.subtitle = add({"italic": True})
        self.header = add(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
            }
        )
        self.text = add({"border": 1, "text_wrap": True, "valign": "top"})
        self.plain = add({"border": 1, "valign": "top"})
        self.pct = add({"num_format": "0.00%", "border": 1, "valign": "top"})
        self.int = add({"num_format": "#,##0", "border": 1, "valign": "top"})
        self.date = add({"num_format": "dd/mm/yyyy", "border": 1, "valign": "top"})
        self.bold = add({"bold": True, "border": 1})
        self.bold_int = add({"bold": True, "border": 1, "num_format": "#,##0"})
        self.pass_ = add({"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.fail = add({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.nodata = add({"bg_color": "#FFEB9C", "font_color": "#9C5700"})


def _verdict_formats(sheet: _Sheet, first: int, last: int, col: int) -> None:
    if last < first:
        return
    b = sheet.book
    for text, fmt in (
        (labels.STATUS["pass"], b.pass_),
        (labels.STATUS["fail"], b.fail),
        (labels.STATUS["no_data"], b.nodata),
    ):
        sheet.ws.conditional_format(
            first, col, last, col, {"type": "cell", "criteria": "==", "value": f'"{text}"', "format": fmt}
        )


def _pct(ind: IndicatorResult) -> float | None:
    """The shown figure as a fraction for a % format (already rounded so it never crosses the target)."""
    return None if ind.value is None else round(ind.value / 100, 6)


def _summary(book: _Book, data: ReportData) -> None:
    months = data.months if len(data.months) > 1 else []
    headers = [
        "Mã",
        "Chỉ tiêu",
        "Bộ phận chủ trì",
        "Chỉ tiêu giao",
        *[f"Tháng {m.key}" for m in months],
        "Cả kỳ",
        "Tử số",
        "Mẫu số",
        "Đánh giá",
        "Ghi chú",
    ]
    widths = [7, 48, 24, 12, *[11] * len(months), 11, 9, 9, 16, 40]
    s = _Sheet(book, SHEETS[0], widths)
    p = data.period
    s.title(
        [
            f"KẾT QUẢ THỰC HIỆN CHỈ TIÊU CẢI CÁCH THỦ TỤC HÀNH CHÍNH — {data.unit.upper()}",
            f"Kế hoạch: {data.plan_title}",
            f"Kỳ báo cáo: {p.label} (Từ ngày {p.start:%d/%m/%Y} đến ngày {p.end:%d/%m/%Y}; "
            f"{labels.WINDOWS.get(p.window, p.window)})",
            f"Hồ sơ đang giải quyết được xét tại ngày {data.as_of:%d/%m/%Y}",
        ]
    )
    head = s.table_header(headers)
    month_inds = [{i.id: i for i in m.indicators} for m in months]
    for ind in data.result.indicators:
        lead = next((x.lead for x in data.indicators if x.id == ind.id), None)
        values = [
            ind.id,
            ind.name,
            lead,
            labels.target(ind.target),
            *[_pct(m[ind.id]) for m in month_inds],
            _pct(ind),
            ind.numerator,
            ind.denominator,
            labels.STATUS[ind.status],
            ind.note,
        ]
        fmts = (
            [book.plain, book.text, book.text, book.plain]
            + [book.pct] * (len(months) + 1)
            + [book.int, book.int, book.plain, book.text]
        )
        s.line(values, fmts, _height(ind.name, 48, lead, 24, ind.note, 40))
    last = s.row - 1
    verdict_col = 4 + len(months) + 3
    _verdict_formats(s, head + 1, last, verdict_col)
    s.ws.autofilter(head, 0, last, len(headers) - 1)
    s.row += 1
    counts = {k: sum(1 for i in data.result.indicators if i.status == k) for k in labels.STATUS}
    s.line([f"Tổng hợp: {counts['pass']} đạt, {counts['fail']} không đạt, {counts['no_data']} chưa có dữ liệu."])
    # A chart of each indicator's figure against its target.
    n = len(data.result.indicators)
    chart_rows = s.row + 1
    s.row = chart_rows
    s.line(["Biểu đồ: kết quả cả kỳ so với chỉ tiêu giao", None, None], book.bold)
    s.line(["Mã", "Kết quả", "Chỉ tiêu"], book.header)
    for ind in data.result.indicators:
        s.line([ind.id, _pct(ind), ind.target.value / 100], [book.plain, book.pct, book.pct])  # no data: a gap
    first, last_c = chart_rows + 2, chart_rows + 1 + n
    col = book.wb.add_chart({"type": "column"})
    col.add_series(
        {
            "name": "Kết quả cả kỳ",
            "categories": [SHEETS[0], first, 0, last_c, 0],
            "values": [SHEETS[0], first, 1, last_c, 1],
            "fill": {"color": "#4472C4"},
        }
    )
    line = book.wb.add_chart({"type": "line"})
    line.add_series(
        {
            "name": "Chỉ tiêu giao",
            "categories": [SHEETS[0], first, 0, last_c, 0],
            "values": [SHEETS[0], first, 2, last_c, 2],
            "line": {"color": "#C00000", "dash_type": "dash"},
            "marker": {"type": "diamond"},
        }
    )
    col.combine(line)
    col.set_title({"name": "Kết quả so với chỉ tiêu giao"})
    col.set_y_axis({"num_format": "0%", "max": 1, "min": 0})
    col.set_size({"width": 900, "height": 360})
    s.ws.insert_chart(chart_rows, 4, col)


def _height(*pairs: Any) -> float:
    """Row height for wrapped text: the most lines any (text, column width) pair needs."""
    lines = 1
    for text, width in zip(pairs[::2], pairs[1::2]):
        if text:
            lines = max(lines, -(-len(str(text)) // int(width * 1.1)))
    return 15 * lines


def _form06(book: _Book, data: ReportData) -> None:
    s = _Sheet(book, SHEETS[1], [6, 40] + [12] * 11)
    p = data.period
    s.title(
        [
            "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
            f"Kỳ báo cáo: {p.label} (Từ ngày {p.start:%d/%m/%Y} đến ngày {p.end:%d/%m/%Y})",
            f"Đơn vị báo cáo: {data.unit} · Đơn vị tính: số hồ sơ TTHC",
        ]
    )
    ws, r = s.ws, s.row
    h = book.header
    # Rows are written top to bottom (constant-memory mode), so merges stay within one row.
    ws.set_row(r + 2, 45)
    s.line([FORM06_COLUMNS[0], FORM06_COLUMNS[1]], h)
    ws.merge_range(r, 2, r, 5, "Số hồ sơ nhận giải quyết", h)
    ws.merge_range(r, 6, r, 9, "Số hồ sơ đã giải quyết", h)
    ws.merge_range(r, 10, r, 12, "Số hồ sơ đang giải quyết", h)
    s.line([None, None, "Tổng số"], h)
    ws.merge_range(r + 1, 3, r + 1, 4, "Trong kỳ", h)
    for c, t in (
        (5, "Từ kỳ trước"),
        (6, "Tổng số"),
        (7, "Trước hạn"),
        (8, "Đúng hạn"),
        (9, "Quá hạn"),
        (10, "Tổng số"),
        (11, "Trong hạn"),
        (12, "Quá hạn"),
    ):
        ws.write_string(r + 1, c, t, h)
    s.line([None, None, None, "Trực tuyến", "Trực tiếp, dịch vụ bưu chính"] + [None] * 8, h)
    s.line([f"({c + 1})" for c in range(13)], h)
    ws.freeze_panes(r + 4, 2)
    ws.repeat_rows(r, r + 3)
    s.row = r + 4
    for row in data.form06[:-1]:
        s.line(row, [book.plain, book.text] + [book.int] * 11)
    s.line(data.form06[-1], [book.bold, book.bold] + [book.bold_int] * 11)
    s.row += 1
    if data.form06_note:
        s.line([f"Ghi chú: {data.form06_note}."])
    s.line(["Hồ sơ rút, trả lại, không được tiếp nhận kết thúc trước hạn được tính là giải quyết đúng hạn."])


def _groups_block(book: _Book, s: _Sheet, label: str, groups: Groups) -> None:
    first = s.row
    for g in groups.items:
        for ind in g.indicators:
            s.line(
                [
                    label,
                    g.key,
                    ind.id,
                    ind.short,
                    labels.target(ind.target),
                    _pct(ind),
                    ind.numerator,
                    ind.denominator,
                    labels.STATUS[ind.status],
                    ind.note,
                ],
                [
                    book.plain,
                    book.text,
                    book.plain,
                    book.text,
                    book.plain,
                    book.pct,
                    book.int,
                    book.int,
                    book.plain,
                    book.text,
                ],
            )
    _verdict_formats(s, first, s.row - 1, 8)


def _by_department(book: _Book, data: ReportData) -> None:
    s = _Sheet(book, SHEETS[2], [14, 28, 7, 36, 12, 11, 9, 9, 16, 36])
    s.title([f"KẾT QUẢ THEO BỘ PHẬN — kỳ {data.period.label}", data.unit])
    head = s.table_header(
        ["Chia theo", "Nhóm", "Mã", "Chỉ tiêu", "Chỉ tiêu giao", "Kết quả", "Tử số", "Mẫu số", "Đánh giá", "Ghi chú"]
    )
    _groups_block(book, s, "Bộ phận", data.by_department)
    if data.by_file:
        _groups_block(book, s, "Tệp (đơn vị)", data.by_file)
    s.ws.autofilter(head, 0, max(s.row - 1, head), 9)


def _trend(book: _Book, data: ReportData) -> None:
    months = data.trend
    ytd = data.year_to_date
    headers = ["Mã", "Chỉ tiêu", "Chỉ tiêu giao", *[m.key for m in months]] + (["Lũy kế năm"] if ytd else [])
    s = _Sheet(book, SHEETS[3], [7, 36, 12, *[10] * len(months), 12])
    s.title([f"XU HƯỚNG THEO THÁNG — đến hết kỳ {data.period.label}", data.unit])
    head = s.table_header(headers)
    by_month = [{i.id: i for i in m.indicators} for m in months]
    ytd_map = {i.id: i for i in ytd.indicators} if ytd else {}
    for ind in data.result.indicators:
        values = [ind.id, ind.short, labels.target(ind.target), *[_pct(m[ind.id]) for m in by_month]]
        if ytd:
            values.append(_pct(ytd_map[ind.id]))
        s.line(values, [book.plain, book.text, book.plain] + [book.pct] * (len(months) + (1 if ytd else 0)))
    last = s.row - 1
    s.ws.autofilter(head, 0, last, len(headers) - 1)
    if months:
        chart = book.wb.add_chart({"type": "line"})
        for r in range(head + 1, last + 1):
            ind = data.result.indicators[r - head - 1]
            if ind.source == "manual":
                continue
            chart.add_series(
                {
                    "name": [SHEETS[3], r, 0],
                    "categories": [SHEETS[3], head, 3, head, 2 + len(months)],
                    "values": [SHEETS[3], r, 3, r, 2 + len(months)],
                    "marker": {"type": "circle"},
                }
            )
        chart.set_title({"name": "Kết quả các chỉ tiêu theo tháng"})
        chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
        chart.set_size({"width": 960, "height": 420})
        s.ws.insert_chart(last + 2, 1, chart)


def _late(book: _Book, data: ReportData, progress: Callable[[int], None] | None) -> None:
    late = data.late
    widths = [_width(late[c], len(c)) for c in LATE_COLUMNS]
    s = _Sheet(book, SHEETS[4], widths)
    s.title(
        [
            f"DANH SÁCH HỒ SƠ QUÁ HẠN — kỳ {data.period.label}",
            f"Hồ sơ giải quyết quá hạn trong kỳ và hồ sơ đang giải quyết đã quá hạn tại ngày "
            f"{data.as_of:%d/%m/%Y}: {len(late)}",
        ]
    )
    head = s.table_header(list(LATE_COLUMNS))
    fmts = [
        book.plain,
        book.text,
        book.text,
        book.plain,
        book.date,
        book.date,
        book.date,
        book.plain,
        book.int,
        book.text,
        book.plain,
    ]
    cols = [late[c].to_numpy() for c in LATE_COLUMNS]
    for i in range(len(late)):
        s.line([col[i] for col in cols], fmts)
        if progress and (i + 1) % 5000 == 0:
            progress(5000)
    if progress:
        progress(len(late) % 5000)
    s.ws.autofilter(head, 0, max(s.row - 1, head), len(LATE_COLUMNS) - 1)


def _width(series: pd.Series, header: int) -> float:
    if series.empty:
        return header + 2
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return 13
    sample = series.dropna().astype(str).head(2000)
    return min(max([header * 0.8] + [len(x) for x in sample]) + 2, 60)


def _quality(book: _Book, data: ReportData) -> None:
    cols = ("Mức", "Mã", "Tệp", "Trang tính", "Dòng", "Cột", "Tiêu đề cột", "Giá trị", "Nội dung")
    s = _Sheet(book, SHEETS[5], [10, 26, 30, 16, 8, 6, 24, 24, 70])
    errs = sum(1 for f in data.findings if f.severity == "error")
    s.title(["CHẤT LƯỢNG DỮ LIỆU", f"Lỗi: {errs} · Cảnh báo: {len(data.findings) - errs}"])
    head = s.table_header(list(cols))
    for f in data.findings:
        s.line(
            [
                labels.SEVERITY.get(f.severity, f.severity),
                f.code,
                f.file,
                f.sheet,
                f.row,
                f.column,
                f.header,
                None if f.value is None else str(f.value),
                f.message,
            ],
            [book.plain, book.plain, book.text, book.plain, book.int, book.plain, book.text, book.text, book.text],
        )
    s.ws.autofilter(head, 0, max(s.row - 1, head), len(cols) - 1)


def _notes(book: _Book, data: ReportData) -> None:
    s = _Sheet(book, SHEETS[6], [8, 44, 18, 16, 40, 40, 50])
    s.title(["GHI CHÚ: CÁCH TÍNH VÀ NGUỒN SỐ LIỆU", f"Tệp chỉ tiêu: {data.targets_file}"])
    s.table_header(
        [
            "Mã",
            "Chỉ tiêu",
            "Chỉ tiêu giao",
            "Nguồn số liệu",
            "Mẫu số (lọc)",
            "Tử số (lọc, trong mẫu số)",
            "Căn cứ thực hiện",
        ]
    )
    for i in data.indicators:
        source = labels.SOURCES.get(i.source, i.source)
        if i.period_by != "none":
            source += f"; vào kỳ theo {BASIS_TEXT[i.period_by]}"
        s.line([i.id, i.name, i.target, source, i.denominator, i.numerator, i.basis], book.text)
    s.row += 1
    s.line(["Tệp đầu vào"], book.bold)
    s.line(["", "Vai trò", "Tệp", "", "SHA-256"], book.header)
    for f in data.inputs:
        s.line(["", f.role, f.file, "", f.sha256], book.text)
    s.row += 1
    s.line(["Quy tắc tính đúng hạn"], book.bold)
    for sentence in data.timing_rules:
        s.line(["", sentence], book.text)
    s.row += 1
    s.line(["Cách đọc tệp"], book.bold)
    s.line(["", "Sổ", "Tệp", "Trang tính, dòng tiêu đề", "Hồ sơ xuất", "Ghi chú khi đọc"], book.header)
    for read in data.reading:
        where = (f"{read.sheet}, " if read.sheet else "") + f"tiêu đề ở dòng {read.header_row}"
        s.line(["", labels.SOURCES[read.log], read.file, where, read.profile, "; ".join(read.notes)], book.text)
    s.row += 1
    s.line(["Số dòng"], book.bold)
    for name, rows in data.result.sources.items():
        ex = "; ".join(f"{k}: {v}" for k, v in rows.excluded.items()) or "không"
        s.line(["", labels.SOURCES[name], f"đọc {rows.read}", f"dùng {rows.used}", f"loại: {ex}"], book.text)
    s.row += 1
    s.line(["", f"Lập bằng ttkhc {data.version} lúc {data.generated:%H:%M ngày %d/%m/%Y}"])


def write(
    data: ReportData, path: str | Path, inputs: Sequence[str | Path] = (), progress: Callable[[int], None] | None = None
) -> None:
    """Write the workbook through ``atomic_output``: whole, or not at all."""
    with atomic_output(path, inputs) as tmp:
        book = _Book(str(tmp))
        for part in (_summary, _form06, _by_department, _trend):
            part(book, data)
        _late(book, data, progress)
        _quality(book, data)
        _notes(book, data)
        book.wb.close()
