"""The quarterly report as a document an office prints and sends: an XlsxWriter workbook.

Every sheet prints on A4 landscape at full size (text 11 pt, never shrunk to fit: a wide table
splits over pages with its titles repeated), in Times New Roman (the font of official
documents), without the grid (borders on tables only), with the unit and the report's title in
the page header and "Trang N/M" in the footer. Row heights are set for wrapped text, so nothing
overlaps in LibreOffice or Excel. Biểu 06 is laid out as the form (unit, national motto, form
code, period line, two-level headers, signature block).

Values, not formulas: every text cell is written with ``write_string`` (input text starting with
=, +, - or @ stays text). Rows are streamed (constant-memory mode). The file is written beside
its destination and renamed into place: a failure never leaves half a report.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ttkhc_cli.domain import labels
from ttkhc_cli.domain.periods import Period, month_label, vietnamese
from ttkhc_cli.kpi.report_data import LATE_COLUMNS, ReportData
from ttkhc_cli.kpi.results import Groups, IndexResult, IndicatorResult
from ttkhc_cli.kpi.service_index import notes as index_notes
from ttkhc_cli.kpi.service_index import number
from ttkhc_cli.output import textfit
from ttkhc_cli.output.files import atomic_output

FONT = "Times New Roman"
SIZE = 11
# The rows LibreOffice fits on an A4 landscape page under the sheets' margins (0.75 in top, 0.6 in
# bottom) and the page header and footer, in points (measured: 489.75 pt of rows fit, 506.25 do not;
# at full size 493.5 fits and 494.25 does not, more when LibreOffice shrinks a sheet a little to
# its width, which the model does not know: 497.25 broke a table's header off its rows).
PAGE_BODY = 489.0
DEFAULT_ROW = 15.0  # a row without a height of its own (empty rows are not written in constant-memory mode)
# The printable width of A4 landscape between the 0.5 in margins, in points; tables fill it (a
# little short of it: fit-to-width then keeps the sheet at full size in LibreOffice and Excel).
PAGE_WIDTH = 841.9 - 2 * 0.5 * 72
FILLED = 0.985
SHRUNK_AT_MOST = 0.88  # the smallest scale a form is printed at to keep it on one page
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
FORM_CODE = "Biểu số 06/VPCP/KSTT"
INTERNAL = "tài liệu dùng trong đơn vị, không gửi kèm báo cáo"
LATE_PRINTED = 100  # rows of the late list on paper (a province's list runs to thousands)
FORM_BASIS = "(Ban hành kèm theo Thông tư số 01/2020/TT-VPCP)"
SHEETS = {"actions": "Việc cần làm", "officers": "Việc của cán bộ", "summary": "Tổng hợp", "form06": "Biểu 06",
          "departments": "Theo bộ phận", "units": "Xếp hạng đơn vị", "trend": "Xu hướng", "index": "Chỉ số 766",
          "tasks": "Nhiệm vụ Phụ lục II", "late": "Hồ sơ quá hạn", "quality": "Chất lượng dữ liệu", "notes": "Ghi chú"}
BASIS_TEXT = {"received": "ngày tiếp nhận", "completed": "ngày có kết quả", "resolved": "ngày kết thúc (đã giải quyết)",
              "none": "—"}
STATUS_COLOURS = {"pass": ("#C6EFCE", "#006100"), "fail": ("#FFC7CE", "#9C0006"), "no_data": ("#FFEB9C", "#7F5F00"),
                  "not_applicable": ("#EDEDED", "#595959")}


class _Book:
    """The workbook and its formats, all in one font and size."""

    def __init__(self, path: str, data: ReportData, title: str = "Báo cáo kết quả thực hiện chỉ tiêu cải cách TTHC"):
        import xlsxwriter

        self.data = data
        self.wb = xlsxwriter.Workbook(path, {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "default_date_format": "dd/mm/yyyy",
            "default_format_properties": {"font_name": FONT, "font_size": SIZE},
        })
        self.wb.set_properties({"title": f"{title} — {data.unit}",
                                "author": "ttkhc", "comments": f"ttkhc {data.version}"})
        self._formats: dict[tuple, Any] = {}

    def fmt(self, **props: Any) -> Any:
        """A format with the report's font (formats are shared: a workbook holds a limited number)."""
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.wb.add_format({"font_name": FONT, "font_size": SIZE, **props})
        return self._formats[key]

    # the formats used throughout
    def text(self, **extra: Any) -> Any:
        return self.fmt(border=1, text_wrap=True, valign="top", **extra)

    def num(self, **extra: Any) -> Any:
        return self.fmt(border=1, num_format="#,##0", valign="top", **extra)

    def pct(self, status: str | None = None, **extra: Any) -> Any:
        colours = STATUS_COLOURS.get(status or "")
        more = {"bg_color": colours[0], "font_color": colours[1]} if colours else {}
        return self.fmt(border=1, num_format="0.00%", valign="top", **more, **extra)

    def verdict(self, status: str) -> Any:
        bg, fg = STATUS_COLOURS[status]
        return self.fmt(border=1, bold=True, bg_color=bg, font_color=fg, align="center", valign="top", text_wrap=True)

    def head(self) -> Any:
        return self.fmt(bold=True, border=1, text_wrap=True, align="center", valign="vcenter", bg_color="#E7EEF7")


def _escape(text: str) -> str:
    return text.replace("&", "&&")


class _Sheet:
    """A worksheet written row by row (rows are flushed in order: heights are set first)."""

    def __init__(self, book: _Book, key: str, widths: Sequence[float], title: str,
                 grow: Sequence[int] | None = None):
        self.book = book
        self.ws = book.wb.add_worksheet(SHEETS[key])
        self.widths = _filled(widths, grow)
        self.row = 0
        self.heights: dict[int, float] = {}  # row → height in points, to judge how the sheet prints
        self.breaks: set[int] = set()  # manual page breaks: a break before each of these rows
        self.repeat: tuple[int, int] | None = None  # the rows printed atop every later page
        self.one_page = False  # shrunk to print on one page (fit_short)
        for c, w in enumerate(self.widths):
            self.ws.set_column(c, c, w)
        ws = self.ws
        ws.set_paper(9)
        ws.set_landscape()
        ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.6)
        ws.hide_gridlines(2)
        ws.fit_to_pages(1, 0)  # never a column on a page of its own; a sheet that fits keeps its size
        ws.set_header(f'&L&"{FONT},Regular"&10{_escape(book.data.unit)}&R&"{FONT},Regular"&10{_escape(title)}')
        ws.set_footer(f'&C&"{FONT},Regular"&10Trang &P/&N')

    @property
    def span(self) -> int:
        return len(self.widths) - 1

    def set_height(self, r: int, height: float) -> None:
        self.heights[r] = height
        self.ws.set_row(r, height)

    def repeat_rows(self, first: int, last: int | None = None) -> None:
        self.repeat = (first, first if last is None else last)
        self.ws.repeat_rows(*self.repeat)

    def page_break(self, r: int) -> None:
        self.breaks.add(r)
        self.ws.set_h_pagebreaks(sorted(self.breaks))

    def _pages(self, upto: int) -> tuple[float, int]:
        """Where row ``upto`` starts on its page (points below the body's top) and how many page
        breaks come before it, as LibreOffice lays the rows out: a row that does not fit goes to
        the next page, under the repeated rows; a manual break starts a page."""
        body = self._body()
        repeat = sum(self.heights.get(r, DEFAULT_ROW) for r in range(self.repeat[0], self.repeat[1] + 1)) \
            if self.repeat else 0.0
        y, pages = 0.0, 0
        for r in range(upto + 1):
            h = self.heights.get(r, DEFAULT_ROW) if r < upto else 0.0
            if (r in self.breaks or y + h > body) and y > 0:
                y, pages = (repeat if self.repeat and r > self.repeat[1] else 0.0), pages + 1
            y += h
        return y, pages

    def _body(self) -> float:
        """The rows' points a page holds: more when the sheet is shrunk to the page's width."""
        printed = sum(textfit.LIBREOFFICE_PER_UNIT * w + textfit.LIBREOFFICE_PER_COLUMN for w in self.widths)
        return PAGE_BODY / min(1.0, PAGE_WIDTH / printed)

    def room(self) -> float:
        """The points left on the current page under the rows written so far."""
        return self._body() - self._pages(self.row)[0]

    def keep_with_next(self, needed: float, keep: int = 0) -> None:
        """When ``needed`` points do not fit under the rows written so far, the page breaks
        before them, and before the ``keep`` rows just written that belong with them (a table's
        caption): a header never prints at the foot of a page without its rows."""
        if self.row and self.room() < needed:
            self.page_break(max(self.row - keep, 1))

    def table(self, heads: Sequence[str], rows: Sequence[Sequence[Any]], fmts: Sequence[Any], keep: int = 0,
              least: int = 2, each: Sequence[Sequence[Any]] | None = None) -> list[int]:
        """A table of plain rows on a sheet that holds several (see ``paged``); ``each``: every
        row's own formats (else ``fmts`` for all). Returns the data rows written."""
        head_height = self.height(heads, bold=True) + 4
        return self.paged(head_height, lambda: self.line(heads, self.book.head(), height=head_height),
                          [self.height(r) for r in rows],
                          lambda k, h: self.line(rows[k], each[k] if each is not None else fmts, height=h),
                          keep, least)

    def paged(self, head_height: float, write_head: Callable[[], int], heights: Sequence[float],
              write_row: Callable[[int, float], int], keep: int = 0, least: int = 2) -> list[int]:
        """A table on a sheet that holds several (a sheet repeats one header row only): its header,
        then its rows; where a page ends inside the table, the header is written again atop the
        next page. At least ``least`` rows go under a header at a page's foot and onto the next
        page: a table too short to split starts on the next page, with the ``keep`` rows above
        its header (its caption). ``write_row(k, height)`` writes row k. Returns the rows written."""
        self.keep_with_next(head_height + sum(heights[:least]) + 4, keep)
        head = write_head()
        written: list[int] = []
        i, moved = 0, False
        while i < len(heights):
            room, n, used = self.room(), 0, 0.0
            while i + n < len(heights) and used + heights[i + n] <= room:
                used, n = used + heights[i + n], n + 1
            rest = len(heights) - i - n
            if 0 < rest < least:
                n -= least - rest  # the last rows go over together, never one alone
            if rest and n < least and not moved and self._pages(head)[0] > head_height + 1:
                # Too few rows would stay under the header: it goes to the next page with them.
                self.page_break(head - keep if i == 0 else head)
                moved = True
                continue
            n = max(n, 1) if rest else n
            written += [write_row(k, heights[k]) for k in range(i, i + n)]
            i += n
            if i < len(heights):
                self.page_break(self.row)
                head, moved = write_head(), False
        return written

    def keep_tail(self, head: tuple[int, int], last: int, keep: int = 3) -> None:
        """A form over several pages: when the rows after its table (the notes, the signature)
        would not fit, with a margin, under the table's last row, they would begin a page of
        their own under nothing but the repeated header. The table's last ``keep`` rows then go
        to that page with them (a page break before them). ``head`` is the repeated header's
        first and last row, ``last`` the table's last row."""
        if self.one_page:
            return
        y, pages = self._pages(last + 1)
        tail = sum(self.heights.get(r, DEFAULT_ROW) for r in range(last + 1, self.row))
        if self._body() - y < tail + 2 * DEFAULT_ROW:
            self.page_break(max(last - keep + 1, head[1] + 1))

    def fit_short(self) -> None:
        """A form little longer than a page is printed on one page (shrunk, never below
        SHRUNK_AT_MOST, so its table still spans 85 % of the printable width), so that its last
        rows and its signature are not left on a page of their own; a longer one breaks over
        pages at full width."""
        rows = sum(self.heights.get(r, DEFAULT_ROW) for r in range(self.row))
        if rows <= PAGE_BODY / SHRUNK_AT_MOST:
            self.ws.fit_to_pages(1, 1)
            self.one_page = True

    def height(self, values: Sequence[Any], first: int = 0, size: float = SIZE, bold: bool = False) -> float:
        """The height that shows every wrapped line of the row, from the font's widths."""
        lines = 1
        for c, v in enumerate(values, start=first):
            if v is None or c >= len(self.widths) or isinstance(v, (int, float)):
                continue
            lines = max(lines, textfit.line_count(str(v), textfit.column_points(self.widths[c]), size, bold))
        return _rows_height(lines, size)

    def cell(self, r: int, c: int, value: Any, fmt: Any = None) -> None:
        ws = self.ws
        if isinstance(value, np.datetime64):
            value = pd.Timestamp(value) if not np.isnat(value) else None
        elif isinstance(value, np.integer):
            value = int(value)
        if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
            ws.write_blank(r, c, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(r, c, "Có" if value else "Không", fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, fmt)
        elif isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
            ws.write_datetime(r, c, pd.Timestamp(value).to_pydatetime(), fmt or self.book.fmt(num_format="dd/mm/yyyy"))
        else:
            ws.write_string(r, c, str(value), fmt)

    def line(self, values: Sequence[Any], fmts: Sequence[Any] | Any = None, height: float | None = None) -> int:
        r = self.row
        self.set_height(r, height if height is not None else self.height(values))
        for c, v in enumerate(values):
            self.cell(r, c, v, fmts[c] if isinstance(fmts, (list, tuple)) else fmts)
        self.row += 1
        return r

    def merged(self, text: str, fmt: Any, first: int = 0, last: int | None = None, height: float | None = None,
               size: float = SIZE) -> int:
        """A line of text over several columns (titles, notes): its height from the whole width."""
        last = self.span if last is None else last
        r = self.row
        bold = bool(getattr(fmt, "bold", False))
        self.set_height(r, height if height is not None else self.merged_height(text, first, last, size, bold))
        if last > first:
            self.ws.merge_range(r, first, r, last, text, fmt)
        else:
            self.ws.write_string(r, first, text, fmt)
        self.row += 1
        return r

    def merged_height(self, text: str, first: int = 0, last: int | None = None, size: float = SIZE,
                      bold: bool = False) -> float:
        """The height of a line of text over columns ``first`` to ``last`` (all by default)."""
        last = self.span if last is None else last
        return _rows_height(textfit.line_count(text, self.points(first, last), size, bold), size)

    def heading(self, text: str, fmt: Any, following: int = 2) -> int:
        """A section's heading, kept on the page of its first ``following`` lines."""
        self.keep_with_next(self.merged_height(text, bold=True) + following * (DEFAULT_ROW + 2))
        return self.merged(text, fmt)

    def points(self, first: int, last: int) -> float:
        """The printed width of columns ``first`` to ``last`` merged, in points."""
        return sum(textfit.column_points(w) for w in self.widths[first:last + 1])

    def pair(self, left: str, right: str, fmt_left: Any, fmt_right: Any, split: int) -> None:
        """Two texts on one row: the left block (unit) and the right block (motto)."""
        r = self.row
        self.set_height(r, SIZE * 1.4 + 2)
        self.ws.merge_range(r, 0, r, split - 1, left, fmt_left) if split > 1 else self.ws.write_string(r, 0, left,
                                                                                                   fmt_left)
        self.ws.merge_range(r, split, r, self.span, right, fmt_right)
        self.row += 1

    def gap(self, n: int = 1) -> None:
        for _ in range(n):
            self.ws.set_row(self.row, SIZE * 1.2)
            self.heights[self.row] = DEFAULT_ROW  # an empty row is not written: it prints at the default
            self.row += 1

    def table_head(self, headers: Sequence[str], repeat: bool = True, keep: int = 0) -> int:
        """A table's header row, repeated atop every page the table runs to (``repeat``: a
        table that fits its page with what follows would print it above that alone). Where the
        header and two rows do not fit on the page, it starts the next one, with the ``keep``
        rows above it (its caption)."""
        height = self.height(headers, bold=True) + 4
        self.keep_with_next(height + 2 * (DEFAULT_ROW + 2), keep)
        r = self.line(headers, self.book.head(), height=height)
        if repeat:
            self.repeat_rows(r)
        return r


def _filled(widths: Sequence[float], grow: Sequence[int] | None) -> list[float]:
    """Column widths that fill the printable width: the ``grow`` columns (else all of them, in
    proportion) take what the page has to spare. Wider tables are left as they are (fit-to-width
    shrinks them a little on paper)."""
    widths = list(widths)
    spare = textfit.units_for(PAGE_WIDTH * FILLED - textfit.LIBREOFFICE_PER_COLUMN * (len(widths) - 1)) - sum(widths)
    if spare <= 0:
        return widths
    chosen = list(grow) if grow else list(range(len(widths)))
    base = sum(widths[c] for c in chosen)
    for c in chosen:
        widths[c] = round(widths[c] + spare * widths[c] / base, 2)
    return widths


def _rows_height(lines: int, size: float = SIZE) -> float:
    """A row's height for ``lines`` wrapped lines of ``size``-point text (with the cell's margins),
    in whole pixels: XlsxWriter stores heights in pixels and leaves out a row whose height then
    equals the default, which LibreOffice lays out at a height of its own."""
    return math.ceil((lines * textfit.line_height(size) + 2.5) * 4 / 3) * 0.75


# ------------------------------------------------------------------ shared blocks

def _document_head(s: _Sheet, title: str, subtitle: str, split: int) -> None:
    """The unit at top left, the national motto at top right, the title and the period line."""
    b = s.book
    _unit_and_motto(s, split)
    s.gap()
    s.merged(title, b.fmt(bold=True, font_size=14, align="center", text_wrap=True, valign="vcenter"), size=14)
    s.merged(subtitle, b.fmt(italic=True, align="center", text_wrap=True))
    _warning(s)
    s.gap()


def _warning(s: _Sheet) -> None:
    """The report's warning (figures judged against the sample plan), in red where it is seen."""
    if s.book.data.warning:
        s.merged(s.book.data.warning, s.book.fmt(bold=True, font_color="#9C0006", text_wrap=True))


def _unit_and_motto(s: _Sheet, split: int, below: str = "") -> None:
    """The unit at top left (under its superior body when the plan names one), the national motto
    at top right; ``below`` goes under the unit (the form's code)."""
    b = s.book
    d = b.data
    bold = b.fmt(bold=True, align="center")
    if d.superior:
        s.pair(d.superior.upper(), MOTTO[0], b.fmt(align="center"), bold, split)
        s.pair(d.unit.upper(), MOTTO[1], bold, b.fmt(bold=True, underline=1, align="center"), split)
        if below:
            s.pair(below, "", bold, b.fmt(), split)
        return
    s.pair(d.unit.upper(), MOTTO[0], bold, bold, split)
    s.pair(below, MOTTO[1], bold if below else b.fmt(), b.fmt(bold=True, underline=1, align="center"), split)


def _signature(s: _Sheet, split: int) -> None:
    """Place and date, then "Người lập biểu" and "Thủ trưởng đơn vị", names left for the office."""
    b = s.book
    s.gap()
    place = s.book.data.place or "…………"
    s.pair("", f"{place}, ngày …… tháng …… năm ……", b.fmt(), b.fmt(italic=True, align="center"), split)
    s.pair("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", b.fmt(bold=True, align="center"), b.fmt(bold=True, align="center"),
           split)
    s.pair("(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)", b.fmt(italic=True, align="center"),
           b.fmt(italic=True, align="center"), split)


def _signer(s: _Sheet, split: int) -> None:
    """The summary's signature as the report's: place and date, "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"
    (the statistics form, Biểu 06, keeps its own "Người lập biểu / Thủ trưởng đơn vị")."""
    b = s.book
    s.gap()
    place = s.book.data.place or "…………"
    centred = b.fmt(bold=True, align="center")
    s.pair("", f"{place}, ngày …… tháng …… năm ……", b.fmt(), b.fmt(italic=True, align="center"), split)
    s.pair("", "TM. ỦY BAN NHÂN DÂN", b.fmt(), centred, split)
    s.pair("", "CHỦ TỊCH", b.fmt(), centred, split)
    s.pair("", "(Ký tên, đóng dấu)", b.fmt(), b.fmt(italic=True, align="center"), split)


def _pct(ind: IndicatorResult) -> float | None:
    """The shown figure as a fraction for a % format (already rounded so it never crosses the target)."""
    return None if ind.value is None else round(ind.value / 100, 6)


def _period_line(data: ReportData) -> str:
    p = data.period
    said = vietnamese(p)
    dated = "(" in said or said.startswith("Từ ngày")  # the dates are said already
    return f"Kỳ báo cáo: {said}" + ("" if dated else f" (từ ngày {p.start:%d/%m/%Y} đến ngày {p.end:%d/%m/%Y})")


# ------------------------------------------------------------------ sheets

SPLIT_FROM = 0.4  # a block that does not fit starts on the page when this much of it is left


def _place(file: str | None, sheet: str | None) -> str:
    """A dossier's file, and its sheet when it has one: "so-theo-doi.xlsx, trang tính Văn bản"."""
    name = Path(file or "").name
    return f"{name}, trang tính {sheet}" if sheet else name


def _actions(book: _Book, data: ReportData) -> None:
    ids = [d.id for item in data.actions for d in item.dossiers if d.id]
    departments = [d.department for item in data.actions for d in item.dossiers if d.department]
    widths = [5, _fits(ids, 26), 30, max(12, _fits(departments, 20)), 15, 7]
    s = _Sheet(book, "actions", widths, f"Việc cần làm — {vietnamese(data.period)}", grow=[2])
    b = book
    s.merged(f"VIỆC CẦN LÀM ĐỂ ĐẠT CHỈ TIÊU — {vietnamese(data.period).upper()}", b.fmt(bold=True, font_size=14),
             size=14)
    s.merged(f"{data.unit} · hồ sơ đang giải quyết xét tại ngày {data.as_of:%d/%m/%Y} · {INTERNAL}",
             b.fmt(italic=True, text_wrap=True))
    _warning(s)
    s.gap()
    if not data.actions:
        s.merged("Mọi chỉ tiêu có dữ liệu đều đạt trong kỳ.", b.fmt(bold=True))
    for item in data.actions:
        i = item.indicator
        ratio = "" if i.denominator is None else f" ({labels.ratio(i.numerator, i.denominator)})"
        value = "—" if i.value is None else f"{i.value:.2f}".replace(".", ",") + "%"
        # Where the rows are: a file's sheet too, since a workbook's row 151 is another log's on another sheet.
        places = {_place(d.file, d.sheet) for d in item.dossiers}
        one_file = len(places) == 1 and all(d.row is not None for d in item.dossiers)
        title = f"{i.id}. {i.name}"
        said = (f"Kết quả {value}{ratio}, chỉ tiêu giao {labels.target(i.target)}."
                + (f" Cần làm: {i.gap.text}." if i.gap else "")
                + (f" Dòng: trong tệp {next(iter(places))}." if one_file else ""))
        words = labels.row_words(i.source)
        heads = ["STT", words["id"], words["what"], "Bộ phận", "Cán bộ xử lý" if i.source == "cases" else "Người xử lý",
                 "Dòng" if one_file else "Tệp: dòng"]
        rows = [[n, d.id, d.procedure or d.summary, d.department, d.officer,
                 d.row if one_file else (f"{_place(d.file, d.sheet)}: {d.row}" if d.row is not None
                                         else _place(d.file, d.sheet))]
                for n, d in enumerate(item.dossiers, start=1)]
        # An indicator's block starts on the next page when it would fit there whole and little
        # room is left here; else it starts here and its table goes on with its header written
        # again. The first block starts under the sheet's heading (moved, it would leave a page
        # holding the heading alone).
        block = s.merged_height(title, bold=True) + s.merged_height(said) + \
            (s.height(heads, bold=True) + 4 + sum(s.height(r) for r in rows) if rows else 0) + 2 * DEFAULT_ROW
        room = s.room()
        moved = item is not data.actions[0] and room < block <= s._body() and room < SPLIT_FROM * s._body()
        s.keep_with_next(block if moved else 5 * (DEFAULT_ROW + 2))
        s.merged(title, b.fmt(bold=True, text_wrap=True, bg_color="#FFC7CE", font_color="#9C0006"))
        s.merged(said, b.fmt(text_wrap=True))
        if rows:
            s.table(heads, rows, [b.num(align="center"), b.text(), b.text(), b.text(), b.text(),
                                  b.num(align="center") if one_file else b.text()], keep=2)
            if item.total > len(item.dossiers):
                s.merged(f"… và {labels.count(item.total - len(item.dossiers))} {words['noun']} khác; danh sách đủ: "
                         f"ttkhc explain {i.id} <tệp sổ> --period {data.period.label} --format csv",
                         b.fmt(italic=True, text_wrap=True))
        s.gap()


def _fits(texts: Sequence[str], at_most: float, size: float = SIZE) -> float:
    """The column width (Excel units) that shows the longest of ``texts`` on one line, capped."""
    widest = max((textfit.text_width(t, size) for t in texts), default=0.0)
    return min(math.ceil((widest + textfit.CELL_PADDING + 2 - textfit.POINTS_PER_COLUMN) / textfit.POINTS_PER_UNIT),
               at_most)


def _officers(book: _Book, data: ReportData) -> None:
    """Each officer's dossiers to act on (kpi.worklist): the counts, then the message to send each
    (above nothing repeated: the sheet's one table comes first and is short)."""
    w = data.worklist
    assert w is not None
    s = _Sheet(book, "officers", [5, 26, 26, 16, 16, 16], f"Việc của cán bộ — {vietnamese(data.period)}", grow=[1, 2])
    b = book
    s.merged(f"VIỆC CỦA TỪNG CÁN BỘ TẠI NGÀY {w.as_of:%d/%m/%Y}", b.fmt(bold=True, font_size=14), size=14)
    s.merged(f"Đến hạn: còn mở, đến hạn trong {w.within} ngày làm việc (đến {w.due_by:%d/%m/%Y}); trễ hạn và chỉ "
             f"tiêu chưa đạt: {vietnamese(data.period)} · {INTERNAL}",
             b.fmt(italic=True, text_wrap=True))
    s.gap()
    heads = ["STT", "Cán bộ", "Bộ phận", "Đến hạn / quá hạn", "Trễ hạn chưa xin lỗi", "Cần hoàn thiện"]
    s.line(heads, b.head(), height=s.height(heads) + 4)
    for n, o in enumerate(w.officers, start=1):
        c = o.counts
        s.line([n, o.officer, o.department, f"{c.get('due_soon', 0)} / {c.get('overdue', 0)}",
                c.get("late_no_apology", 0), c.get("to_complete", 0)],
               [b.num(align="center"), b.text(), b.text(), b.text(align="center"), b.num(), b.num()])
    s.gap()
    s.heading("Tin nhắn gửi từng cán bộ", b.fmt(bold=True))
    for o in w.officers:
        s.merged(f"• {o.message}", b.fmt(text_wrap=True))
    for note in w.notes:
        s.merged(f"Lưu ý: {note}", b.fmt(italic=True, text_wrap=True))


def _summary(book: _Book, data: ReportData) -> None:
    widths = [6, 32, 8, 8.5, 7, 7, 11, 18]
    s = _Sheet(book, "summary", widths, "Báo cáo kết quả thực hiện chỉ tiêu", grow=[1, 7])
    b = book
    _document_head(s, "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
                   f"{_period_line(data)}\nKế hoạch: {data.plan_title}", split=3)
    top = s.table_head(["Mã", "Chỉ tiêu", "Chỉ tiêu giao", "Kết quả", "Tử số", "Mẫu số", "Đánh giá", "Ghi chú"])
    last = top
    for ind in data.result.indicators:
        note = labels.without_options("; ".join(x for x in (ind.gap.text if ind.gap else None, ind.note) if x))
        values = [ind.id, ind.name, labels.target(ind.target), _pct(ind), ind.numerator, ind.denominator,
                  labels.STATUS[ind.status], note or None]
        last = s.line(values, [b.text(), b.text(), b.text(align="center"), b.pct(ind.status), b.num(), b.num(),
                               b.verdict(ind.status), b.text()])
    s.gap()
    s.merged(f"Tổng hợp: {labels.status_counts((i.status for i in data.result.indicators), 'chỉ tiêu')}. Hồ sơ đang "
             f"giải quyết được xét tại ngày {data.as_of:%d/%m/%Y}.", b.fmt(text_wrap=True))
    risky = [p for p in data.projection or [] if p.at_risk()]
    if risky:
        s.merged(f"Nhịp đến cuối năm, các chỉ tiêu cần chú ý (số hồ sơ từ nay đến cuối năm ước tính "
                 f"{risky[0].remaining_basis}):", b.fmt(bold=True, text_wrap=True))
        for p in risky:
            s.merged(f"• {p.brief}", b.fmt(text_wrap=True))
    _signer(s, split=3)
    s.keep_tail((top, top), last, keep=2)


_FORM06_SECTOR = "Lĩnh vực, công việc giải quyết theo cấp"


def _form06(book: _Book, data: ReportData) -> None:
    widths = [4, 17] + [7.0] * 11
    s = _Sheet(book, "form06", widths, FORM_CODE)
    b = book
    _unit_and_motto(s, 4, FORM_CODE)
    s.pair(FORM_BASIS, "", b.fmt(italic=True, align="center", font_size=10), b.fmt(), 4)
    if not data.superior:  # the superior's line takes the gap's place: the form keeps its length
        s.gap()
    s.merged(f"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI {data.unit.upper()}",
             b.fmt(bold=True, font_size=13, align="center", text_wrap=True), size=13)
    s.merged(_period_line(data), b.fmt(italic=True, align="center"))
    _warning(s)
    s.merged("Đơn vị tính: Số hồ sơ TTHC", b.fmt(italic=True, align="right"))
    head = b.head()
    r = s.row
    # Constant-memory mode writes rows in order, so no merge spans two rows: "STT" and "Lĩnh vực"
    # stand in the upper row over a blank lower cell, without the border between them.
    upper = b.fmt(bold=True, text_wrap=True, align="center", valign="bottom", bg_color="#E7EEF7",
                  top=1, left=1, right=1)
    lower = b.fmt(bg_color="#E7EEF7", bottom=1, left=1, right=1)
    s.set_height(r, 34)
    s.ws.write_string(r, 0, "STT", upper)
    s.ws.write_string(r, 1, _FORM06_SECTOR, upper)
    s.ws.merge_range(r, 2, r, 5, "Số hồ sơ nhận giải quyết", head)
    s.ws.merge_range(r, 6, r, 9, "Số hồ sơ đã giải quyết", head)
    s.ws.merge_range(r, 10, r, 12, "Số hồ sơ đang giải quyết", head)
    subheads = ("Tổng số", "Trong kỳ: trực tuyến", "Trong kỳ: trực tiếp, dịch vụ bưu chính", "Từ kỳ trước", "Tổng số",
                "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn")
    s.set_height(r + 1, max(s.height(subheads, first=2, bold=True), s.height(["", _FORM06_SECTOR], bold=True)) + 4)
    s.ws.write_blank(r + 1, 0, None, lower)
    s.ws.write_blank(r + 1, 1, None, lower)
    for c, text in enumerate(subheads, start=2):
        s.ws.write_string(r + 1, c, text, head)
    s.row = r + 2
    s.repeat_rows(r, r + 2)
    head = (r, r + 2)
    s.line([f"({n})" for n in range(1, 14)], b.fmt(border=1, italic=True, align="center", font_size=10),
           height=SIZE * 1.4)
    heads = set(data.form06_groups)
    for k, row in enumerate(data.form06[:-1]):
        if k in heads:  # a unit's group: its total over its sectors
            s.line(row, [b.fmt(border=1, bold=True, align="center"), b.fmt(border=1, bold=True, text_wrap=True)]
                   + [b.num(bold=True)] * 11)
        else:
            s.line(row, [b.num(align="center"), b.text()] + [b.num()] * 11)
    last = s.line(data.form06[-1], [b.fmt(border=1, bold=True), b.fmt(border=1, bold=True, text_wrap=True)]
                  + [b.num(bold=True)] * 11)
    if data.form06_note:
        s.merged(f"Ghi chú: {data.form06_note}.", b.fmt(italic=True, text_wrap=True))
    s.merged("Cột (3) = (4) + (5) + (6); (7) = (8) + (9) + (10); (11) = (12) + (13). Hồ sơ rút, trả lại, không được "
             "tiếp nhận kết thúc trước hạn được tính là giải quyết đúng hạn.", b.fmt(italic=True, text_wrap=True))
    _signature(s, split=5)
    s.fit_short()
    s.keep_tail(head, last)


def _matrix(book: _Book, s: _Sheet, groups: Groups, data: ReportData, label: str, caption: int = 0) -> None:
    """Groups down, indicators across; each figure coloured by its verdict; then numerator/denominator."""
    b = book
    keep = [k for k, ind in enumerate(data.result.indicators)
            if any(g.indicators[k].status in ("pass", "fail") for g in groups.items)]
    ids = [data.result.indicators[k].id for k in keep]
    values = [[_two_lines(s, g.key, 0)] + [_pct(g.indicators[k]) for k in keep] for g in groups.items]
    each = [[b.text()] + [b.pct(g.indicators[k].status) for k in keep] for g in groups.items]
    s.table([label, *ids], values, [], keep=caption, each=each)
    s.gap()
    s.keep_with_next(3 * (DEFAULT_ROW + 2))
    s.merged("Tử số/mẫu số của từng ô:", b.fmt(italic=True))
    cells = [[_two_lines(s, g.key, 0)] + ["" if g.indicators[k].denominator is None else
                                          _two_lines(s, labels.ratio(g.indicators[k].numerator,
                                                                     g.indicators[k].denominator), 1 + n)
                                          for n, k in enumerate(keep)] for g in groups.items]
    s.table([label, *ids], cells, [b.text()] + [b.text(align="right")] * len(keep), keep=1)


def _two_lines(s: _Sheet, text: str, column: int) -> str:
    """A word too wide for its column (a ratio, a file's path), broken after a separator: the
    spreadsheets never break a word themselves, they print it cut."""
    return textfit.breakable(text, textfit.column_points(s.widths[column]), SIZE)


def _departments(book: _Book, data: ReportData) -> None:
    # As many figure columns as the wider of the two matrices (a log without departments has
    # only the one by file).
    n = max((sum(1 for k, ind in enumerate(data.result.indicators)
                 if any(g.indicators[k].status in ("pass", "fail") for g in groups.items))
             for groups in (data.by_department, data.by_file) if groups), default=0)
    # 7.3: "100.00%" and "265/265" fit (at 6.2 Excel and LibreOffice print ### instead); a plan with
    # many indicators goes on over pages with the department column repeated.
    ratios = [labels.ratio(i.numerator, i.denominator) for groups in (data.by_department, data.by_file) if groups
              for g in groups.items for i in g.indicators if i.denominator is not None]
    cell = max(7.3, _fits(ratios, 9))  # wider ratios go on two lines
    s = _Sheet(book, "departments", [19] + [cell] * max(n, 1), f"Kết quả theo bộ phận — {vietnamese(data.period)}")
    s.ws.repeat_columns(0)
    b = book
    s.merged(f"KẾT QUẢ THEO BỘ PHẬN — {vietnamese(data.period).upper()}", b.fmt(bold=True, font_size=14), size=14)
    s.merged(f"{data.unit}. Ô màu xanh: đạt; đỏ: không đạt; vàng hoặc trống: chưa có dữ liệu. Tên chỉ tiêu: xem "
             "trang Tổng hợp.", b.fmt(italic=True, text_wrap=True))
    s.gap()
    if data.by_department.items:
        _matrix(book, s, data.by_department, data, "Bộ phận")
    else:  # a header over nothing would print alone
        s.merged("Sổ không ghi bộ phận xử lý: không chia được kết quả theo bộ phận.", b.fmt(bold=True))
    if data.by_file:
        s.gap(2)
        s.keep_with_next(4 * (DEFAULT_ROW + 2))
        s.merged("Theo tệp (đơn vị)", b.fmt(bold=True))
        _matrix(book, s, data.by_file, data, "Tệp", caption=1)


def _units(book: _Book, data: ReportData) -> None:
    """Units ranked by indicators met, then by the dossiers they lack: who needs help first."""
    assert data.by_unit is not None
    s = _Sheet(book, "units", [5, 24, 6, 8, 9, 10, 36], f"Xếp hạng đơn vị — {vietnamese(data.period)}", grow=[1, 6])
    b = book
    s.merged(f"XẾP HẠNG ĐƠN VỊ — {vietnamese(data.period).upper()}", b.fmt(bold=True, font_size=14), size=14)
    s.merged("Xếp theo số chỉ tiêu đạt (nhiều trước), rồi theo số hồ sơ còn thiếu để đạt (ít trước).",
             b.fmt(italic=True))
    s.gap()
    rows = []
    for g in data.by_unit.items:
        met = sum(1 for i in g.indicators if i.status == "pass")
        failed = [i for i in g.indicators if i.status == "fail"]
        lacking = sum(i.gap.dossiers for i in failed if i.gap)
        rows.append((g.key, met, len(failed), sum(1 for i in g.indicators if i.status == "no_data"), lacking,
                     ", ".join(i.id for i in failed)))
    rows.sort(key=lambda r: (-r[1], r[4], r[0]))
    s.table_head(["Hạng", "Đơn vị", "Đạt", "Không đạt", "Chưa có dữ liệu", "Hồ sơ còn thiếu", "Chỉ tiêu không đạt"])
    for n, r in enumerate(rows, start=1):
        s.line([n, *r], [b.num(), b.text(), b.num(), b.num(), b.num(), b.num(), b.text()])


def _trend(book: _Book, data: ReportData) -> None:
    months = data.trend
    ytd = data.year_to_date
    widths = [6, 22, 7] + [8.0] * len(months) + ([8.5] if ytd else [])  # "100.00%" whole at 100 % zoom
    s = _Sheet(book, "trend", widths, f"Xu hướng theo tháng — {vietnamese(data.period)}", grow=[1])
    b = book
    s.merged(f"XU HƯỚNG THEO THÁNG — ĐẾN HẾT {vietnamese(data.period).upper()}", b.fmt(bold=True, font_size=14),
             size=14)
    s.merged(data.unit, b.fmt(italic=True))
    s.gap()
    # The charts follow the table: its header repeats only when the table itself runs past a page.
    head = s.table_head(["Mã", "Chỉ tiêu", "Giao", *[month_label(_period_of(m)) for m in months]]
                        + (["Lũy kế năm"] if ytd else []), repeat=len(data.result.indicators) > TREND_ROWS_ON_A_PAGE)
    s.ws.repeat_columns(0, 1)
    by_month = [{i.id: i for i in m.indicators} for m in months]
    ytd_map = {i.id: i for i in ytd.indicators} if ytd else {}
    for ind in data.result.indicators:
        values: list[Any] = [ind.id, ind.short, labels.target(ind.target)]
        fmts: list[Any] = [b.text(), b.text(), b.text(align="center")]
        for m in by_month:
            values.append(_pct(m[ind.id]))
            fmts.append(b.pct(m[ind.id].status))
        if ytd:
            values.append(_pct(ytd_map[ind.id]))
            fmts.append(b.pct(ytd_map[ind.id].status))
        s.line(values, fmts)
    if not months:
        return
    # Small multiples: one chart per failing indicator (else per indicator with data), its target
    # drawn; none for a figure entered for the whole period (no month of its own: an empty chart).
    inds = data.result.indicators
    monthly = [k for k, i in enumerate(inds) if any(_pct(m[i.id]) is not None for m in by_month)]
    chosen = [k for k in monthly if inds[k].status == "fail"] or [k for k in monthly if inds[k].status == "pass"][:6]
    if not chosen:
        return
    s.gap()
    # the caption goes with the first row of charts; a row of charts never splits over two pages
    s.keep_with_next(DEFAULT_ROW * (1 + CHART_ROWS))
    # Charts that do not all fit under the table but fit on a page of their own go there together:
    # a last row alone on the next page would print a page of blank paper.
    rows_of_charts = math.ceil(len(chosen) / CHARTS_IN_A_ROW) * CHART_ROWS * DEFAULT_ROW
    if s.room() < DEFAULT_ROW + rows_of_charts <= s._body():
        s.page_break(s.row)
    s.merged("Biểu đồ: các chỉ tiêu không đạt, theo tháng (đường gạch: chỉ tiêu giao)", b.fmt(bold=True))
    # the targets, one row per chart, as values the charts read
    target_row = s.row
    for k in chosen:  # the targets the charts draw, in hidden rows
        s.ws.set_row(s.row, None, None, {"hidden": True})
        s.heights[s.row] = 0.0
        for c, v in enumerate([inds[k].id, "chỉ tiêu giao", None] + [inds[k].target.value / 100] * len(months)):
            s.cell(s.row, c, v)
        s.row += 1
    sheet = SHEETS["trend"]
    anchor = s.row + 1
    for line in range(1, math.ceil(len(chosen) / CHARTS_IN_A_ROW)):
        start = anchor + line * CHART_ROWS
        if s._pages(start)[0] + CHART_ROWS * DEFAULT_ROW > PAGE_BODY:
            s.page_break(start)
    for n, k in enumerate(chosen):
        r = head + 1 + k
        chart = book.wb.add_chart({"type": "line"})
        chart.add_series({"name": "Kết quả", "categories": [sheet, head, 3, head, 2 + len(months)],
                          "values": [sheet, r, 3, r, 2 + len(months)], "marker": {"type": "circle"},
                          "line": {"color": "#1F4E79", "width": 2}})
        chart.add_series({"name": "Chỉ tiêu", "categories": [sheet, head, 3, head, 2 + len(months)],
                          "values": [sheet, target_row + n, 3, target_row + n, 2 + len(months)],
                          "line": {"color": "#C00000", "dash_type": "dash", "width": 1.5}, "marker": {"type": "none"}})
        chart.set_title({"name": f"{inds[k].id} {inds[k].short}", "name_font": {"name": FONT, "size": 11}})
        chart.set_y_axis({"num_format": "0%", "max": 1, "num_font": {"name": FONT, "size": 10}})
        chart.set_x_axis({"num_font": {"name": FONT, "size": 10}})
        chart.set_legend({"none": True})  # the caption says which line is the target
        chart.set_size({"width": CHART[0], "height": CHART[1]})
        chart.show_hidden_data()
        s.ws.insert_chart(anchor + (n // CHARTS_IN_A_ROW) * CHART_ROWS, 0, chart,
                          {"x_offset": 5 + (n % CHARTS_IN_A_ROW) * (CHART[0] + 10), "y_offset": 5})


TREND_ROWS_ON_A_PAGE = 20
# Four small charts across the printable width (1,025 px); a row of them spans CHART_ROWS rows.
CHART = (245, 150)
CHARTS_IN_A_ROW = 4
CHART_ROWS = math.ceil((CHART[1] + 10) / (DEFAULT_ROW * 4 / 3))

INDEX_KINDS = {"data": "Dữ liệu đơn vị", "entered": "Số liệu nhập", "missing": "Chưa có"}


def _index(book: _Book, data: ReportData) -> None:
    """The national service index: group points month by month, what to do first (the most points
    per dossier), the notes, then the indicators (the only table whose header repeats, so it comes
    last: nothing after it prints under its header)."""
    x = data.index
    assert x is not None
    widths = [6, 31, 9, 9, 9, 9, 9, 9, 12]  # 103: A4 landscape at full size
    s = _Sheet(book, "index", widths, f"Chỉ số phục vụ (QĐ 766) — {vietnamese(data.period)}", grow=[1, 8])
    b = book
    one = SIZE * 1.22 + 5  # a row of one line
    pts = b.fmt(border=1, num_format="0.00", valign="top")
    bold_pts = b.fmt(border=1, num_format="0.00", valign="top", bold=True)
    s.merged(f"CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QĐ 766) — {vietnamese(data.period).upper()}",
             b.fmt(bold=True, font_size=14, text_wrap=True), size=14)
    s.merged(f"{data.unit} · hồ sơ đang giải quyết xét tại ngày {x.as_of:%d/%m/%Y}", b.fmt(italic=True))
    s.merged(f"Tổng điểm cả kỳ: {x.total.text}.", b.fmt(bold=True, text_wrap=True))
    s.gap()
    _index_months(s, x, one, pts, bold_pts)
    s.gap()
    _index_actions(s, x, one, pts)
    _index_notes(s, x)
    s.gap()
    s.merged("4. Các chỉ số", b.fmt(bold=True))
    s.table_head(["Mã", "Chỉ số", "Tỷ lệ đủ điểm", "Tỷ lệ", "Tử số", "Mẫu số", "Điểm", "Tối đa", "Nguồn"], keep=1)
    pct0 = b.fmt(border=1, num_format="0%", valign="top")
    for g in x.groups:
        r = s.row
        s.ws.set_row(r, one)
        s.ws.merge_range(r, 0, r, 5, g.name, b.text(bold=True, bg_color="#F2F2F2"))
        s.cell(r, 6, g.points, b.fmt(border=1, num_format="0.00", bold=True, bg_color="#F2F2F2", valign="top"))
        s.cell(r, 7, g.max_points, b.num(bold=True, bg_color="#F2F2F2"))
        s.cell(r, 8, None, b.text(bg_color="#F2F2F2"))
        s.row += 1
        for i in (i for i in x.indicators if i.group == g.id):
            source = INDEX_KINDS[i.kind] + (f" (tỷ lệ × {i.scaled_by})" if i.scaled_by and i.rate is not None else "")
            s.line([i.id, i.name, i.full_at / 100, None if i.rate is None else round(i.rate / 100, 6), i.numerator,
                    i.denominator, i.points, i.max_points, source],
                   [b.text(), b.text(), pct0, b.pct(), b.num(), b.num(), pts, b.num(), b.text()])


def _index_months(s: _Sheet, x: IndexResult, one: float, pts: Any, bold_pts: Any) -> None:
    b = s.book
    s.heading("1. Điểm các nhóm theo tháng", b.fmt(bold=True))
    rows = [(vietnamese(Period(m.period.label, m.period.start, m.period.end, m.period.window)), m.groups, m.total)
            for m in x.months or []] + [("Cả kỳ", x.groups, x.total)]
    head = [g.short for g in x.groups] + ["Tổng"]

    def write_head() -> int:
        r = s.row
        s.set_height(r, 2 * one)
        s.ws.merge_range(r, 0, r, 1, "Tháng (điểm tối đa có số liệu)", b.head())
        for c, v in enumerate(head, start=2):
            s.cell(r, c, v, b.head())
        s.row += 1
        return r

    def write_row(k: int, height: float) -> int:
        r = s.row
        s.set_height(r, height)
        if k == 0:  # the points each group can reach
            s.ws.merge_range(r, 0, r, 1, f"Điểm tối đa (trên {number(x.total.total_max)})", b.text(italic=True))
            for c, top in enumerate([g.max_points for g in x.groups] + [x.total.total_max], start=2):
                s.cell(r, c, top, b.num(italic=True))
        else:
            label, groups, total = rows[k - 1]
            bold = label == "Cả kỳ"
            s.ws.merge_range(r, 0, r, 1, f"{label} (trên {number(total.scored_max)})", b.text(bold=bold))
            for c, g in enumerate(groups, start=2):
                s.cell(r, c, g.points, bold_pts if bold else pts)
            s.cell(r, 2 + len(groups), total.points, bold_pts)
        s.row += 1
        return r

    s.paged(2 * one, write_head, [one] * (len(rows) + 1), write_row, keep=1)
    s.merged("Điểm của mỗi dòng chỉ gồm các chỉ số đã có số liệu (tính từ dữ liệu hoặc nhập) trong kỳ của dòng đó: "
             "so với số trong ngoặc, không phải với 100. Số liệu nhập cho cả kỳ chỉ tính vào dòng Cả kỳ.",
             b.fmt(italic=True, text_wrap=True, font_size=10), size=10)


def _index_actions(s: _Sheet, x: IndexResult, one: float, pts: Any) -> None:
    b = s.book
    s.heading("2. Việc nên làm trước (nhiều điểm nhất cho mỗi hồ sơ trước)", b.fmt(bold=True))
    if not x.actions:
        s.merged("Mọi chỉ số tính từ dữ liệu của đơn vị đều đủ điểm.", b.fmt())
        return
    s.merged("Số hồ sơ đã tiếp nhận trong kỳ cần đạt thêm để chỉ số đủ điểm; hồ sơ đã kết thúc quá hạn thì không "
             "đổi được, nên con số là việc cho các hồ sơ tiếp theo.", b.fmt(italic=True, text_wrap=True, font_size=10),
             size=10)
    def head() -> int:
        r = s.row
        s.set_height(r, 2 * one)
        s.cell(r, 0, "STT", b.head())
        s.ws.merge_range(r, 1, r, 5, "Việc", b.head())
        for c, v in ((6, "Số hồ sơ"), (7, "Điểm tăng"), (8, "Điểm mỗi hồ sơ")):
            s.cell(r, c, v, b.head())
        s.row += 1
        return r

    room = sum(s.widths[1:6]) * 1.1
    texts = [f"{a.id} {a.short}: {a.task}" for a in x.actions]

    def row(k: int, height: float) -> int:
        a, r = x.actions[k], s.row
        s.set_height(r, height)
        s.cell(r, 0, k + 1, b.num(align="center"))
        s.ws.merge_range(r, 1, r, 5, texts[k], b.text())
        s.cell(r, 6, a.dossiers, b.num())
        s.cell(r, 7, a.points, pts)
        s.cell(r, 8, a.per_dossier, b.fmt(border=1, num_format="0.000", valign="top"))
        s.row += 1
        return r

    s.paged(2 * one, head, [one if len(t) <= room else 2 * one for t in texts], row, keep=2)


def _index_notes(s: _Sheet, x: IndexResult) -> None:
    b = s.book
    notes = index_notes(x.indicators)
    s.gap()
    s.heading("3. Ghi chú", b.fmt(bold=True))
    for line in notes:
        s.merged(f"• {labels.without_options(line)}", b.fmt(text_wrap=True, font_size=10), size=10)
    s.merged(f"Căn cứ: {x.definition.basis}; bộ chỉ số {x.definition.id} ({x.definition.version}). Điểm = điểm tối "
             "đa × min(1, tỷ lệ / tỷ lệ đủ điểm), như Cổng Dịch vụ công quốc gia chấm; tổng điểm chính thức do Cổng "
             "công bố.", b.fmt(italic=True, text_wrap=True, font_size=10), size=10)


def _period_of(group: Any) -> Any:
    p = group.period
    return Period(group.key, p.start, p.end, p.window) if p is not None else Period(group.key, dt.date.min,
                                                                                  dt.date.min, "calendar")


def _tasks(book: _Book, data: ReportData) -> None:
    """Appendix II's control tasks at the as-of date, overdue first, after the reports falling due
    (above the table: text under a repeated table header would print as a page of its own)."""
    from ttkhc_cli.kpi.tasks import next_duties

    result = data.tasks
    assert result is not None
    widths = [7, 43, 20, 18, 18, 18, 21]
    s = _Sheet(book, "tasks", widths, f"Nhiệm vụ Phụ lục II — {vietnamese(data.period)}", grow=[1, 3, 6])
    b = book
    s.merged("NHIỆM VỤ KIỂM SOÁT TTHC (PHỤ LỤC II CỦA KẾ HOẠCH)", b.fmt(bold=True, font_size=14), size=14)
    done = result.counts.get("done", 0)
    overdue = result.counts.get("overdue", 0)
    unknown = "" if result.tracked else (" (chưa có tệp tình trạng nhiệm vụ (--tasks): mọi nhiệm vụ được coi là "
                                         "chưa xong)")
    s.merged(f"Tình trạng tại ngày {result.as_of:%d/%m/%Y}: {done}/{len(result.tasks)} nhiệm vụ đã xong, "
             f"{overdue} quá hạn{unknown} · {INTERNAL}", b.fmt(italic=True, text_wrap=True))
    duties = next_duties(result)
    if duties:
        s.gap()
        s.heading("Báo cáo định kỳ sắp tới", b.fmt(bold=True))
        for d in duties:
            s.merged(f"• {d.text}", b.fmt(text_wrap=True))
    s.gap()
    s.table_head(["Số", "Nội dung", "Chủ trì", "Sản phẩm", "Thời hạn", "Tình trạng", "Kết quả"])
    for r in result.tasks:  # in the plan's order, as Appendix II prints them
        status = r.text[:1].upper() + r.text[1:]
        fmt = b.text(font_color="#9C0006") if r.standing == "overdue" else b.text()
        made = "; ".join(x for x in (r.product, r.link) if x) or None
        number = r.id + (f"\n({r.ref})" if r.ref else "")
        s.line([number, r.content, r.lead, r.output, r.timing, status, made],
               [b.text(align="center"), b.text(), b.text(), b.text(), b.text(), fmt, b.text()])


def _late(book: _Book, data: ReportData, progress: Callable[[int], None] | None) -> None:
    late = data.late
    columns = list(late.columns)
    widths = [20, 26, 12, 12, 9.5, 9.5, 9.5, 12, 7, 18, 6]
    if len(columns) > len(LATE_COLUMNS):  # several units: the unit first, the procedure narrower
        widths = [16, 18, 20, 12, 11, 9.5, 9.5, 9.5, 11, 7, 14, 6]
    s = _Sheet(book, "late", widths, f"Hồ sơ quá hạn — {vietnamese(data.period)}")
    b = book
    s.merged(f"DANH SÁCH HỒ SƠ QUÁ HẠN — {vietnamese(data.period).upper()}", b.fmt(bold=True, font_size=14), size=14)
    s.merged(f"Hồ sơ giải quyết quá hạn trong kỳ và hồ sơ đang giải quyết đã quá hạn tại ngày {data.as_of:%d/%m/%Y}: "
             f"{len(late)} · {INTERNAL}", b.fmt(italic=True, text_wrap=True))
    if len(late) > LATE_PRINTED:
        s.merged(f"Bản in có {labels.count(LATE_PRINTED)} hồ sơ đầu; {labels.count(len(late) - LATE_PRINTED)} hồ sơ "
                 f"khác có trong bảng tính này, hoặc xuất đủ danh sách: ttkhc explain IV.1 <tệp sổ> --period "
                 f"{data.period.label} --format csv", b.fmt(italic=True, text_wrap=True))
    s.gap()
    if not len(late):  # a header over nothing would print alone
        s.merged("Không có hồ sơ nào giải quyết quá hạn hoặc đang quá hạn.", b.fmt(bold=True))
        return
    head = s.table_head(columns)
    s.ws.repeat_columns(0, 0)
    fmts = [b.text(), b.text(), b.text(), b.text(), b.fmt(border=1, num_format="dd/mm/yyyy", valign="top"),
            b.fmt(border=1, num_format="dd/mm/yyyy", valign="top"), b.fmt(border=1, num_format="dd/mm/yyyy",
                                                                          valign="top"),
            b.text(), b.num(), b.text(), b.text()]
    fmts = [b.text()] * (len(columns) - len(fmts)) + fmts
    cols = [late[c].to_numpy() for c in columns]
    for i in range(len(late)):
        s.line([col[i] for col in cols], fmts)
        if progress and (i + 1) % 5000 == 0:
            progress(5000)
    if progress:
        progress(len(late) % 5000)
    if len(late) > LATE_PRINTED:  # the printed list is capped; the sheet holds them all
        s.ws.print_area(0, 0, head + LATE_PRINTED, len(columns) - 1)


def _quality(book: _Book, data: ReportData) -> None:
    widths = [8, 16, 13, 5, 4.5, 14, 11, 26.5]
    s = _Sheet(book, "quality", widths, "Chất lượng dữ liệu", grow=[1, 7])
    b = book
    errs = sum(1 for f in data.findings if f.severity == "error")
    s.merged("CHẤT LƯỢNG DỮ LIỆU", b.fmt(bold=True, font_size=14), size=14)
    s.merged(f"Lỗi: {errs} · Cảnh báo: {len(data.findings) - errs}. Dòng và cột như Excel hiển thị.",
             b.fmt(italic=True))
    s.gap()
    by_file: dict[str, list[Any]] = {}
    for f in data.findings:
        by_file.setdefault(f.file or "(cả bộ dữ liệu)", []).append(f)
    for file, found in by_file.items():
        s.merged(f"Tệp: {file}", b.fmt(bold=True, text_wrap=True))
        # The kind of finding in words ("Thiếu cột"): its code is for scripts (validate -f json).
        rows = [[labels.SEVERITY.get(f.severity, f.severity), _kind(f.code), f.sheet, f.row, f.column, f.header,
                 None if f.value is None else str(f.value), f.message] for f in found]
        s.table(["Mức", "Loại", "Trang tính", "Dòng", "Cột", "Tiêu đề cột", "Giá trị", "Nội dung"], rows,
                [b.text(), b.text(), b.text(), b.num(), b.text(align="center"), b.text(), b.text(), b.text()], keep=1)
        s.gap()


def _kind(code: str) -> str:
    from ttkhc_cli.ingest.catalogue import CATALOGUE

    entry = CATALOGUE.get(code)
    return entry.title if entry is not None else code


def _notes(book: _Book, data: ReportData) -> None:
    """How the figures were counted and from what: the prose first, the indicators' table last
    (its header repeats on every page it runs to, so nothing else may come under it)."""
    widths = [5, 26, 7, 34, 34]
    s = _Sheet(book, "notes", widths, "Ghi chú: cách tính và nguồn số liệu", grow=[1, 3, 4])
    b = book
    s.merged("GHI CHÚ: CÁCH TÍNH VÀ NGUỒN SỐ LIỆU", b.fmt(bold=True, font_size=14), size=14)
    s.merged(f"Tệp chỉ tiêu: {data.targets_file}", b.fmt(italic=True, text_wrap=True))
    s.merged(f"Lập bằng ttkhc {data.version} lúc {data.generated:%H:%M ngày %d/%m/%Y}", b.fmt(italic=True))
    s.gap()
    if data.unit_notes:
        s.heading("Đơn vị và kế hoạch", b.fmt(bold=True))
        for line in data.unit_notes:
            s.merged(f"• {line}", b.fmt(text_wrap=True))
        s.gap()
    s.heading("Quy tắc tính đúng hạn", b.fmt(bold=True))
    for sentence in data.timing_rules:
        s.merged(f"• {sentence}", b.fmt(text_wrap=True))
    s.gap()
    s.heading("Cách đọc tệp", b.fmt(bold=True))
    for read in data.reading:
        where = (f"trang tính {read.sheet}, " if read.sheet else "") + f"tiêu đề ở dòng {read.header_row}"
        s.merged(f"• {labels.SOURCES[read.log]}: {read.file} ({where}; mẫu xuất {read.profile_label or read.profile})"
                 + (f"; {'; '.join(read.notes)}" if read.notes else ""), b.fmt(text_wrap=True))
    if not data.findings:
        s.merged("• Chất lượng dữ liệu: không có lỗi hay cảnh báo nào.", b.fmt(text_wrap=True))
    s.gap()
    s.heading("Số dòng", b.fmt(bold=True))
    for name, rows in data.result.sources.items():
        ex = "; ".join(f"{k}: {labels.count(v)}" for k, v in rows.excluded.items()) or "không"
        s.merged(f"• {labels.SOURCES[name]}: đọc {labels.count(rows.read)}, dùng {labels.count(rows.used)}, loại {ex}",
                 b.fmt(text_wrap=True))
    s.gap()
    s.heading("Tệp đầu vào (SHA-256)", b.fmt(bold=True))
    for f in data.inputs:
        s.merged(f"• {f.role}: {f.file}\n  {f.sha256}", b.fmt(text_wrap=True, font_size=10), size=10)
    s.gap()
    s.merged("Các chỉ tiêu: cách tính và căn cứ", b.fmt(bold=True))
    s.table_head(["Mã", "Chỉ tiêu", "Chỉ tiêu giao", "Cách tính", "Căn cứ thực hiện"], keep=1)
    for i in data.indicators:
        source = labels.SOURCES.get(i.source, i.source)
        how = labels.without_options(i.sentence)
        if i.period_by != "none" and i.source != "manual":
            how += f" Vào kỳ theo {BASIS_TEXT.get(i.period_by, i.period_by)}; nguồn: {source}."
        s.line([i.id, i.name, i.target, how, i.basis], b.text())


def write(data: ReportData, path: str | Path, inputs: Sequence[str | Path] = (),
          progress: Callable[[int], None] | None = None, worklist: str | Path | None = None) -> None:
    """Write the report's workbook (the sheets to send, then the notes on how they were counted)
    and, when ``worklist`` names a file, the office's own worklists there: officers' names and
    the dossiers to act on never travel in the file sent to the district. Both are written
    through ``atomic_output``: whole, or not at all."""
    with atomic_output(path, inputs) as tmp, \
            (atomic_output(worklist, inputs) if worklist is not None else nullcontext()) as tmp_list:
        _write_report(data, tmp)
        if tmp_list is not None:  # both are written before either is renamed into place
            _write_worklists(data, tmp_list, progress)


def _write_report(data: ReportData, path: Path) -> None:
    book = _Book(str(path), data)
    _summary(book, data)
    _form06(book, data)
    _departments(book, data)
    if data.by_unit is not None:
        _units(book, data)
    _trend(book, data)
    if data.index is not None:
        _index(book, data)
    if data.findings:  # nothing to report takes no page: the notes say so
        _quality(book, data)
    _notes(book, data)
    book.wb.close()


def write_worklists(data: ReportData, path: str | Path, inputs: Sequence[str | Path] = (),
                    progress: Callable[[int], None] | None = None) -> None:
    """Only the office's worklists (beside a Word report), through ``atomic_output``."""
    with atomic_output(path, inputs) as tmp:
        _write_worklists(data, tmp, progress)


def _write_worklists(data: ReportData, path: Path, progress: Callable[[int], None] | None) -> None:
    book = _Book(str(path), data, "Việc cần làm (không gửi kèm báo cáo)")
    _actions(book, data)
    if data.worklist is not None and data.worklist.officers:
        _officers(book, data)
    if data.tasks is not None and data.tasks.tasks:
        _tasks(book, data)
    _late(book, data, progress)
    book.wb.close()
