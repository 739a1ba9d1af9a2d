"""Dates as exports write them: day-first text, ISO, yyyyMMddHHmmss, Excel serials and real dates.

Text is parsed once per distinct value with Arrow's vectorised strptime, trying first the layout
that reads a sample of the column; the layouts come from the export profile. A day-first date is
never read month-first, and 31/02 is an error, never 02/03. A time of day is kept: it decides
whether a result at 17:30 met a 17:00 appointment. Times with a UTC offset are turned into
Vietnam time, the clock every one-stop system shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
LAST_SERIAL = 2958465  # 31/12/9999
VIETNAM = "Asia/Ho_Chi_Minh"
# Where the day and month sit in a date's text: at the start (day-first), after a time
# ("07:30 02/01/2024"), ISO, or packed (20240102081000). Text is trimmed first, so the common
# case is an anchored match.
_DAY_FIRST = r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-]\d{2,4}"
_AFTER_TIME = r"\s(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-]\d{2,4}"
_ISO = r"^\d{4}[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
_PACKED = r"^\d{4}(?P<m>\d{2})(?P<d>\d{2})(?:\d{4}(?:\d{2})?)?$"
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
_PACKED_LENGTHS = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}


def default_formats() -> tuple[str, ...]:
    """The common profile's date layouts (used when no profile is given)."""
    from ttkhc_cli.ingest import profiles

    return profiles.common().date_formats


MIN_YEAR, MAX_YEAR = 2000, 2100  # a case log's dates; outside, a typing slip (3024, 1600, 24)
SERIAL_MIN, SERIAL_MAX = 36526, 73415  # Excel serial days of 01/01/2000 and 31/12/2100
_TWO_DIGIT_YEAR = r"^(\d{1,2}[/.-]\d{1,2}[/.-])(\d{2})(\s.*)?$"


@dataclass
class DateColumn:
    """A column's dates and what could not be taken as a date: unreadable cells, dates outside
    the plausible years, and two-digit years read as 20yy (a warning)."""

    values: pd.Series
    invalid: np.ndarray
    implausible: np.ndarray
    two_digit: np.ndarray

    def __iter__(self):  # values, bad = parse_dates(...): the dates and every unusable cell
        return iter((self.values, self.invalid | self.implausible))


ORDERS = ("dmy", "mdy", "ymd")
ORDER_SAMPLE = 2000  # values looked at to tell a column's order
_PARTS = r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}(?:\D|$)"


def infer_order(s: pd.Series) -> tuple[str | None, bool]:
    """The order a column's text dates are written in, from its values, and whether they mix
    both: a first part above 12 says day-first, a second part above 12 month-first (Excel's US
    regional settings write "1/13/2024 7:32"). None when no value tells (every part ≤ 12, or no
    such text). A mixed column is read in the order most of its telling values have; the others
    are errors at their cells, never read in the other order."""
    values = s.dropna()
    text = pd.Series(pd.unique(values.iloc[::order_step(len(values))].astype(str)), dtype=object)
    if text.empty:
        return None, False
    day_first, month_first = order_votes(text)
    return order_of(int(day_first.sum()), int(month_first.sum()))


def order_step(filled: int) -> int:
    """Every how many values the order is judged on: spread over the file, a log sorted by date
    still shows day 13."""
    return max(1, filled // ORDER_SAMPLE)


def order_votes(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct date text, whether its first part is above 12 (day-first) and whether its
    second is (month-first)."""
    parts = text.str.extract(_PARTS)
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    return (first > 12).to_numpy(dtype=bool), (second > 12).to_numpy(dtype=bool)


def order_of(day_first: int, month_first: int) -> tuple[str | None, bool]:
    """The order the telling values vote for (the more of them), and whether they mix both."""
    if not day_first and not month_first:
        return None, False
    return ("mdy" if month_first > day_first else "dmy"), bool(day_first and month_first)


def ordered_formats(formats: Sequence[str], order: str) -> tuple[str, ...]:
    """The profile's layouts for one order: month-first swaps day and month in the day-first
    layouts; year-first keeps only the layouts that start with the year."""
    if order == "mdy":
        out = []
        for f in formats:
            if f.find("%d") != -1 and f.find("%m") != -1 and f.find("%d") < f.find("%m") and "%Y%m%d" not in f:
                f = f.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
            out.append(f)
        return tuple(out)
    if order == "ymd":
        return tuple(f for f in formats if f.startswith("%Y"))
    return tuple(formats)


def parse_dates(s: pd.Series, formats: Sequence[str] | None = None, order: str = "dmy") -> DateColumn:
    """Day-first text, ISO text, packed text, real dates and Excel serials -> naive datetimes,
    each within 2000–2100 (a date outside is reported, never carried into the figures).
    ``order`` "mdy" reads text dates month-first (never both in one column)."""
    formats = ordered_formats(tuple(formats) if formats else default_formats(), order)
    none = np.zeros(len(s), dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert(VIETNAM).dt.tz_localize(None)
        return _bounded(s, s.notna().to_numpy(), none)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values, bad = _numbers(pd.to_numeric(s, errors="coerce"), s.notna().to_numpy())
        return _bounded(values, s.notna().to_numpy(), none, bad)
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    text = pc.utf8_trim_whitespace(_arrow_text(uniques))
    short = pc.fill_null(pc.match_substring_regex(text, _TWO_DIGIT_YEAR), False)
    if pc.any(short).as_py():
        # RE2 rewrites take one digit after the backslash: "\120" is group 1, then "20".
        text = pc.if_else(short, pc.replace_substring_regex(text, _TWO_DIGIT_YEAR, r"\120\2\3"), text)
    # "NULL" and "None" are how database dumps write an empty cell, "--/--/----" how a form does.
    text = pc.if_else(pc.fill_null(pc.is_in(pc.utf8_lower(text), value_set=pa.array(NULLS)), False), "", text)
    text = pc.replace_substring_regex(text, r"^[\s\-–—./]*$", "")
    text = _spelled_out(text)
    filled = pc.fill_null(pc.not_equal(text, ""), False)
    parsed = _serial_text(text)
    for fmt in _likely_formats(text, formats):
        if not pc.any(pc.and_(filled, pc.is_null(parsed))).as_py():
            break
        parsed = pc.coalesce(parsed, pc.strptime(text, format=fmt, unit="s", error_is_null=True))
    parsed = _reject_overflow(text, parsed, order == "mdy")
    years = pc.year(parsed)
    plausible = pc.fill_null(pc.and_(pc.greater_equal(years, MIN_YEAR), pc.less_equal(years, MAX_YEAR)), True)
    out_u = np.append(np.asarray(pc.invert(plausible).to_numpy(zero_copy_only=False), dtype=bool), False)
    parsed = pc.if_else(plausible, parsed, pa.scalar(None, parsed.type))
    result = pd.Series(parsed.to_pandas(), dtype="datetime64[ns]")
    todo = (result.isna() & pd.Series(filled.to_numpy(zero_copy_only=False)) & ~pd.Series(out_u[:-1])).to_numpy()
    if todo.any():
        rest = pd.Series(text.to_pandas()[todo])
        later, late_out = _iso_or_serial(rest)
        result[np.flatnonzero(todo)] = later.to_numpy()
        out_u[np.flatnonzero(todo)] = late_out
    bad_u = (result.isna() & pd.Series(filled.to_numpy(zero_copy_only=False))).to_numpy() & ~out_u[:-1]
    values = np.append(result.to_numpy(), np.datetime64("NaT"))[codes]
    short_u = np.append(np.asarray(short.to_numpy(zero_copy_only=False), dtype=bool), False)
    return DateColumn(pd.Series(values, index=s.index, dtype="datetime64[ns]"), np.append(bad_u, False)[codes],
                      out_u[codes], short_u[codes] & ~np.isnat(values))


NULLS = ("null", "none", "nan", "nat")


_WEEKDAY = r"^(?i:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|chủ\s+nhật|cn|t[2-7])\s*,?\s*"


def _spelled_out(text):
    """Date text as Vietnamese systems also write it, brought to a layout strptime reads: a
    weekday in front ("Thứ Bảy, 13/01/2024"), a non-breaking space, "SA"/"CH" for AM/PM."""
    import pyarrow.compute as pc

    text = pc.replace_substring(text, "\u00a0", " ")
    text = pc.replace_substring_regex(text, _WEEKDAY, "")
    text = pc.replace_substring_regex(text, r"\s+(?:SA|sa|Sa)$", " AM")
    return pc.replace_substring_regex(text, r"\s+(?:CH|ch|Ch)$", " PM")


def _bounded(values: pd.Series, filled: np.ndarray, none: np.ndarray, bad: np.ndarray | None = None) -> DateColumn:
    """Real dates (or numbers read as dates) kept only within the plausible years."""
    years = pd.Series(values).dt.year.to_numpy() if pd.api.types.is_datetime64_any_dtype(values.dtype) else None
    if years is None:
        years = np.full(len(values), np.nan)
    outside = filled & ~np.isnan(years) & ((years < MIN_YEAR) | (years > MAX_YEAR))
    kept = values.where(~outside)
    kept = kept.astype("datetime64[ns]")
    invalid = bad if bad is not None else none
    return DateColumn(kept, invalid & ~outside, outside, none)


def _iso_or_serial(rest: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The few cells no layout read: ISO with a UTC offset (to Vietnam time), other ISO forms,
    numbers written with a decimal part; and which of them fall outside the plausible years."""
    out = pd.Series(pd.NaT, index=rest.index, dtype="datetime64[ns]")
    # A leading minus is no date (pandas' ISO parser overflows on "-1" or "-2024-03-04" instead
    # of leaving it unparsed): such a cell stays unread, a finding at its position.
    signed = rest.str.lstrip().str.startswith(("-", "−"), na=False)
    # A month or a year alone ("2024-03", "2024") is no day: never silently the 1st.
    signed |= rest.str.fullmatch(r"\s*\d{4}(?:[-/.]\d{1,2})?\s*", na=False)
    offset = rest.str.contains(_OFFSET, regex=True, na=False) & ~signed
    if offset.any():
        aware = _iso(rest[offset], utc=True)
        out[offset] = aware.dt.tz_convert(VIETNAM).dt.tz_localize(None).astype("datetime64[ns]")
    plain = ~offset & ~signed
    if plain.any():
        out[plain] = _iso(rest[plain])
    nums = pd.to_numeric(rest, errors="coerce")
    serial = out.isna() & nums.between(1, LAST_SERIAL) & ~signed  # "2024" is a year, not a serial day
    ok = serial & nums.between(SERIAL_MIN, SERIAL_MAX + 1)
    out[ok] = (EXCEL_EPOCH + pd.to_timedelta(nums[ok], unit="D")).dt.round("s")
    years = out.dt.year
    outside = ((years.notna() & ((years < MIN_YEAR) | (years > MAX_YEAR))) | (serial & ~ok)).to_numpy()
    return out.where(~outside), outside


def _iso(text: pd.Series, utc: bool = False) -> pd.Series:
    """ISO 8601 text parsed, a cell that overflows the parser left unread (cell by cell then), and
    a year no nanosecond timestamp holds ("/1" is the year 1 to pandas 3) left unread too."""
    parsed = _iso_parsed(text, utc)
    years = parsed.dt.year
    return parsed.where(years.between(1678, 2261) | years.isna())


def _iso_parsed(text: pd.Series, utc: bool) -> pd.Series:
    try:
        return pd.to_datetime(text, format="ISO8601", errors="coerce", utc=utc)
    except (ValueError, OverflowError):  # OutOfBoundsDatetime is a ValueError
        def one(v: object) -> object:
            try:
                return pd.to_datetime(v, format="ISO8601", errors="coerce", utc=utc)
            except (ValueError, OverflowError):
                return pd.NaT
        parsed = pd.Series([one(v) for v in text], index=text.index)
        return pd.to_datetime(parsed, errors="coerce", utc=utc)


def _arrow_text(values):
    """Distinct cells as an Arrow string array; a cell that is not text (a number) as its str."""
    import pyarrow as pa

    if hasattr(values, "__arrow_array__") and pd.api.types.is_string_dtype(values.dtype):
        arr = values.__arrow_array__()
        return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return pa.array(pd.Series(values, dtype=object).astype("string"), type=pa.large_string())


def _serial_text(text):
    """Cells holding an Excel serial day number as text (a real date cell read as text) -> timestamps."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # Four digits alone are a year ("2024"), never the serial of a day in 1905: left for the
    # checks to call no date.
    numeric = pc.fill_null(pc.match_substring_regex(text, r"^(\d{1,3}|\d{5,7})(\.\d+)?$|^\d{4}\.\d+$"), False)
    if not pc.any(numeric).as_py():
        return pa.nulls(len(text), pa.timestamp("s"))
    days = pc.cast(pc.if_else(numeric, text, pa.scalar(None, pa.string())), pa.float64())
    ok = pc.fill_null(pc.and_(pc.greater_equal(days, 1), pc.less_equal(days, LAST_SERIAL)), False)
    seconds = pc.cast(pc.round(pc.multiply(pc.subtract(days, 25569), 86400)), pa.int64())
    stamps = pc.cast(seconds, pa.timestamp("s"))
    return pc.if_else(ok, stamps, pa.scalar(None, pa.timestamp("s")))


def _reject_overflow(text, parsed, month_first: bool = False):
    """Arrow's strptime rolls 31/02 over to 02/03: a date whose day or month differs from the text is invalid.

    The anchored day-first pattern is tried on every value; the others only on the values it did
    not match, so a column of ordinary dates costs one regex pass.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    day = pa.nulls(len(text), pa.int64())
    month = pa.nulls(len(text), pa.int64())
    patterns: tuple[str, ...] = (_DAY_FIRST, _AFTER_TIME, _ISO, _PACKED)
    if month_first:  # the same patterns with the day and the month's places swapped
        patterns = tuple(p.replace("?P<d>", "?P<x>").replace("?P<m>", "?P<d>").replace("?P<x>", "?P<m>")
                         if p in (_DAY_FIRST, _AFTER_TIME) else p for p in patterns)
    for pattern in patterns:
        todo = pc.and_(pc.is_null(day), pc.is_valid(parsed))
        if not pc.any(todo).as_py():
            break
        parts = pc.extract_regex(pc.if_else(todo, text, pa.scalar(None, text.type)), pattern)
        day = pc.coalesce(day, pc.cast(pc.struct_field(parts, "d"), pa.int64()))
        month = pc.coalesce(month, pc.cast(pc.struct_field(parts, "m"), pa.int64()))
    wrong = pc.or_(pc.not_equal(day, pc.day(parsed)), pc.not_equal(month, pc.month(parsed)))
    return pc.if_else(pc.fill_null(wrong, False), pa.scalar(None, parsed.type), parsed)


def _likely_formats(text, formats: Sequence[str]) -> list[str]:
    """Date layouts, the one that reads a sample of the cells first, so most cells parse on the first try."""
    import pyarrow.compute as pc

    sample = pc.filter(text, pc.invert(pc.fill_null(pc.match_substring_regex(text, r"^[\d.]*$"), True))).slice(0, 100)
    if len(sample):
        for f in formats:
            if pc.strptime(sample, format=f, unit="s", error_is_null=True).null_count == 0:
                return [f] + [x for x in formats if x != f]
    return list(formats)


def _numbers(nums: pd.Series, filled: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Number cells: Excel serial days, or packed dates stored as numbers (20240102081000).

    A serial outside the plausible years is left as a date nobody could mean (its year is
    checked by the caller), never turned into a timestamp pandas cannot hold.
    """
    out = pd.Series(pd.NaT, index=nums.index, dtype="datetime64[ns]")
    serial = nums.between(SERIAL_MIN, SERIAL_MAX + 1)
    out[serial] = (EXCEL_EPOCH + pd.to_timedelta(nums[serial], unit="D")).dt.round("s")
    whole = nums.notna() & ~nums.between(1, LAST_SERIAL) & (nums % 1 == 0) & (nums > 0)
    if whole.any():
        text = nums[whole].astype("int64").astype(str)
        for length, fmt in _PACKED_LENGTHS.items():
            sel = text.str.len() == length
            if sel.any():
                packed = pd.to_datetime(text[sel], format=fmt, errors="coerce")
                years = packed.dt.year
                out[text[sel].index] = packed.where((years >= MIN_YEAR) & (years <= MAX_YEAR))
    # Any other number (1234567, 15): not a date anyone could mean in a case log.
    return out, filled & out.isna().to_numpy()


_HOUR = (r"^\s*(?:\d{4}-\d{2}-\d{2}[ T]|\d{1,2}/\d{1,2}/\d{2,4}\s+)?(\d"
         r"{1,2})\s*(?:[:hg]|giờ|gio)\s*(\d{1,2})?\s*(?:'|phút|phut|p)?"
         r"\s*(?::\s*(\d{1,2}))?\s*([ap]\.?m\.?|sa|ch)?\s*$")


def parse_hours(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """A column of hours ("08:00", "8h30", "14 giờ 15", "2:30 PM", an Excel time or a date-time
    whose time is taken) -> time since midnight, and which filled cells are not hours."""
    out = pd.Series(pd.NaT, index=s.index, dtype="timedelta64[ns]")
    filled = (s.notna() & (s.astype("string").str.strip() != "")).to_numpy(dtype=bool, na_value=False)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        out = s - s.dt.normalize()
        return out, filled & out.isna().to_numpy()
    boolean = pd.api.types.is_bool_dtype(s.dtype)
    nums = pd.Series(np.nan, index=s.index) if boolean else pd.to_numeric(s, errors="coerce")
    fraction = nums.notna() & (nums >= 0) & (nums < 1)  # an Excel time: a fraction of a day
    out[fraction] = pd.to_timedelta((nums[fraction] * 86400).round(), unit="s")
    text = s.astype("string").str.strip().str.lower()
    parts = text.str.extract(_HOUR)
    hour = pd.to_numeric(parts[0], errors="coerce")
    minute = pd.to_numeric(parts[1], errors="coerce").fillna(0)
    second = pd.to_numeric(parts[2], errors="coerce").fillna(0)
    pm = parts[3].fillna("").str.startswith(("p", "c"))  # CH (chiều), SA (sáng)
    am = parts[3].fillna("").str.startswith(("a", "s"))
    hour = hour.where(~(pm & (hour < 12)), hour + 12).where(~(am & (hour == 12)), 0)
    ok = hour.notna() & (hour < 24) & (minute < 60) & (second < 60) & out.isna()
    out[ok] = pd.to_timedelta(hour[ok] * 3600 + minute[ok] * 60 + second[ok], unit="s")
    objects = s.map(lambda v: v if hasattr(v, "hour") and hasattr(v, "minute") else None)
    timed = objects.notna() & out.isna()
    if timed.any():
        out[timed] = pd.to_timedelta([f"{v.hour}:{v.minute}:{getattr(v, 'second', 0)}" for v in objects[timed]])
    return out, filled & out.isna().to_numpy()


def with_hours(values: object, clock: pd.Series) -> pd.Series:
    """A date column with the hour of its companion column, where the date carries none."""
    dates = pd.Series(values, index=clock.index, dtype="datetime64[ns]")
    at_midnight = dates.notna() & (dates == dates.dt.normalize()) & clock.notna()
    return dates.where(~at_midnight, dates.dt.normalize() + clock)
