"""Reporting periods: calendar months/quarters/halves/years and the Nghị định 09/2019 windows.

Under Decree 09/2019 a month runs from the 15th of the previous month to the 14th; a quarter
from the 15th of the month before it to the 14th of its last month (Q1 = 15/12 to 14/3).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ttkhc_cli.domain.errors import UsageError

WINDOWS = ("calendar", "nd09")
# A month-by-month table is for a report: a hundred years of months is a bad date, not a request.
MAX_MONTHS = 1200


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date
    window: str

    def to_json(self) -> dict[str, str]:
        return {
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "window": self.window,
        }

    def months(self) -> list[Period]:
        """The months the period is made of, in the same window, clipped to the period (for
        month-by-month tables: --from 01/02 --to 20/02 gives February up to the 20th)."""
        out: list[Period] = []
        y, m = self.start.year, self.start.month
        if self.window == "nd09" and self.start.day == 15:
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        while len(out) < MAX_MONTHS:
            p = month(y, m, self.window)
            if p.start > self.end:
                break
            if p.start < self.start or p.end > self.end:
                p = Period(p.label, max(p.start, self.start), min(p.end, self.end), p.window)
            out.append(p)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out or [self]


def _span(y1: int, m1: int, y2: int, m2: int, window: str) -> tuple[dt.date, dt.date]:
    """First day of month (y1, m1) to last day of (y2, m2), shifted to the 15th–14th under nd09."""
    if window == "nd09":
        py, pm = (y1 - 1, 12) if m1 == 1 else (y1, m1 - 1)
        return dt.date(py, pm, 15), dt.date(y2, m2, 14)
    return dt.date(y1, m1, 1), dt.date(y2, m2, calendar.monthrange(y2, m2)[1])


def month(year: int, m: int, window: str = "calendar") -> Period:
    s, e = _span(year, m, year, m, window)
    return Period(f"{year}-{m:02d}", s, e, window)


MIN_YEAR, MAX_YEAR = 2000, 2100  # the years a case log's periods can be in


def _year(y: int, text: str) -> int:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise UsageError(f"kỳ báo cáo {text!r}: năm {y} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    return y


def parse_period(text: str, window: str = "calendar") -> Period:
    """2024-03, 2024-Q1, 2024-H1 or 2024 -> a Period in the given window."""
    if window not in WINDOWS:
        raise UsageError(f"--window {window!r} không hợp lệ; dùng calendar hoặc nd09")
    t = text.strip().upper()
    if m := re.match(r"(\d+)", t):
        _year(int(m.group(1)), text)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            return month(y, mo, window)
    elif m := re.fullmatch(r"(\d{4})-?Q([1-4])", t):
        y, q = int(m.group(1)), int(m.group(2))
        s, e = _span(y, 3 * q - 2, y, 3 * q, window)
        return Period(f"{y}-Q{q}", s, e, window)
    elif m := re.fullmatch(r"(\d{4})-?H([12])", t):
        y, h = int(m.group(1)), int(m.group(2))
        s, e = _span(y, 6 * h - 5, y, 6 * h, window)
        return Period(f"{y}-H{h}", s, e, window)
    elif m := re.fullmatch(r"(\d{4})", t):
        y = int(m.group(1))
        s, e = _span(y, 1, y, 12, window)
        return Period(str(y), s, e, window)
    raise UsageError(f"kỳ báo cáo {text!r} không hợp lệ; dùng dạng 2024-03, 2024-Q1, 2024-H1 hoặc 2024")


def between(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise UsageError(f"--to {end:%d/%m/%Y} trước --from {start:%d/%m/%Y}")
    return Period(f"{start:%d/%m/%Y}–{end:%d/%m/%Y}", start, end, "dates")


def parse_date(text: str, option: str) -> dt.date:
    """A date option typed day-first (dd/mm/yyyy) or ISO (yyyy-mm-dd)."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            day = dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise UsageError(f"{option} {text!r}: năm {day.year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
        return day
    raise UsageError(f"{option} {text!r} không phải ngày hợp lệ; dùng dd/mm/yyyy hoặc yyyy-mm-dd")


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def vietnamese(period: Period) -> str:
    """A period as a report names it: "Quý I năm 2024", "Tháng 01/2024", "6 tháng đầu năm 2024",
    "Năm 2024"; under Decree 09 with its dates; a span of dates as "Từ ngày … đến ngày …"."""
    label = period.label
    if m := re.fullmatch(r"(\d{4})-(\d{2})", label):
        said = f"Tháng {m.group(2)}/{m.group(1)}"
    elif m := re.fullmatch(r"(\d{4})-Q([1-4])", label):
        said = f"Quý {_ROMAN[m.group(2)]} năm {m.group(1)}"
    elif m := re.fullmatch(r"(\d{4})-H([12])", label):
        said = f"6 tháng {'đầu' if m.group(2) == '1' else 'cuối'} năm {m.group(1)}"
    elif re.fullmatch(r"\d{4}", label):
        said = f"Năm {label}"
    elif m := re.fullmatch(r"Lũy kế (\d{4})", label):
        said = f"Lũy kế năm {m.group(1)}"
    else:
        return f"Từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}"
    if period.window == "nd09":
        said += f" (từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y})"
    return said


def month_label(period: Period) -> str:
    """A month's short name for a column head: "Th. 01/2024"."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})", period.label):
        return f"Th. {m.group(2)}/{m.group(1)}"
    return vietnamese(period)


def named_span(start: dt.date, end: dt.date) -> Period:
    """The data's span as the period an office would name it: a span from within a month's first
    days to the last day of a month, a quarter, a half or a year is that month, quarter, half or
    year ("Năm 2024" for dossiers from 02/01/2024 to 31/12/2024); any other span stays a span.
    Only the name and the first day change: no dossier lies before the data's first date."""
    first = start.replace(day=1)
    last_of_month = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    if end == last_of_month and start.year == end.year:
        for text in (f"{end.year}-{end.month:02d}", f"{end.year}-Q{(end.month - 1) // 3 + 1}",
                     f"{end.year}-H{1 if end.month <= 6 else 2}", str(end.year)):
            p = parse_period(text)
            if p.start == first and p.end == end:
                return p
    return Period("toàn bộ dữ liệu", start, end, "all")
