"""Dates as exports write them: day-first text, ISO, yyyyMMddHHmmss, Excel serials and real dates.

Text is parsed once per distinct value with Arrow's vectorised strptime, trying first the layout
that reads a sample of the column; the layouts come from the export profile. A day-first date is
never read month-first, and 31/02 is an error, never 02/03. A time of day is kept: it decides
whether a result at 17:30 met a 17:00 appointment. Times with a UTC offset are turned into
Vietnam time, the clock every one-stop system shows.
"""

from __future__ import annotations

from typing import Sequence

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


def parse_dates(s: pd.Series, formats: Sequence[str] | None = None) -> tuple[pd.Series, np.ndarray]:
    """Day-first text, ISO text, packed text, real dates and Excel serials -> naive datetimes.

    Returns the dates and which filled cells could not be read as one.
    """
    formats = tuple(formats) if formats else default_formats()
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert(VIETNAM).dt.tz_localize(None)
        return s.astype("datetime64[ns]"), np.zeros(len(s), dtype=bool)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return _numbers(pd.to_numeric(s, errors="coerce"), s.notna().to_numpy())
    import pyarrow.compute as pc

    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    text = pc.utf8_trim_whitespace(_arrow_text(uniques))
    filled = pc.fill_null(pc.not_equal(text, ""), False)
    parsed = _serial_text(text)
    for fmt in _likely_formats(text, formats):
        if not pc.any(pc.and_(filled, pc.is_null(parsed))).as_py():
            break
        parsed = pc.coalesce(parsed, pc.strptime(text, format=fmt, unit="s", error_is_null=True))
    parsed = _reject_overflow(text, parsed)
    result = pd.Series(parsed.to_pandas(), dtype="datetime64[ns]")
    todo = (result.isna() & pd.Series(filled.to_numpy(zero_copy_only=False))).to_numpy()
    if todo.any():
        rest = pd.Series(text.to_pandas()[todo])
        result[np.flatnonzero(todo)] = _iso_or_serial(rest).to_numpy()
    bad_u = (result.isna() & pd.Series(filled.to_numpy(zero_copy_only=False))).to_numpy()
    values = np.append(result.to_numpy(), np.datetime64("NaT"))[codes]
    bad = np.append(bad_u, False)[codes]
    return pd.Series(values, index=s.index, dtype="datetime64[ns]"), bad


def _iso_or_serial(rest: pd.Series) -> pd.Series:
    """The few cells no layout read: ISO with a UTC offset (to Vietnam time), other ISO forms,
    numbers written with a decimal part."""
    out = pd.Series(pd.NaT, index=rest.index, dtype="datetime64[ns]")
    offset = rest.str.contains(_OFFSET, regex=True, na=False)
    if offset.any():
        aware = pd.to_datetime(rest[offset], format="ISO8601", errors="coerce", utc=True)
        out[offset] = aware.dt.tz_convert(VIETNAM).dt.tz_localize(None).astype("datetime64[ns]")
    plain = ~offset
    if plain.any():
        out[plain] = pd.to_datetime(rest[plain], format="ISO8601", errors="coerce")
    nums = pd.to_numeric(rest, errors="coerce")
    ok = out.isna() & nums.between(1, LAST_SERIAL)
    out[ok] = (EXCEL_EPOCH + pd.to_timedelta(nums[ok], unit="D")).dt.round("s")
    return out


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

    numeric = pc.fill_null(pc.match_substring_regex(text, r"^\d{1,7}(\.\d+)?$"), False)
    if not pc.any(numeric).as_py():
        return pa.nulls(len(text), pa.timestamp("s"))
    days = pc.cast(pc.if_else(numeric, text, pa.scalar(None, pa.string())), pa.float64())
    ok = pc.fill_null(pc.and_(pc.greater_equal(days, 1), pc.less_equal(days, LAST_SERIAL)), False)
    seconds = pc.cast(pc.round(pc.multiply(pc.subtract(days, 25569), 86400)), pa.int64())
    stamps = pc.cast(seconds, pa.timestamp("s"))
    return pc.if_else(ok, stamps, pa.scalar(None, pa.timestamp("s")))


def _reject_overflow(text, parsed):
    """Arrow's strptime rolls 31/02 over to 02/03: a date whose day or month differs from the text is invalid.

    The anchored day-first pattern is tried on every value; the others only on the values it did
    not match, so a column of ordinary dates costs one regex pass.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    day = pa.nulls(len(text), pa.int64())
    month = pa.nulls(len(text), pa.int64())
    for pattern in (_DAY_FIRST, _AFTER_TIME, _ISO, _PACKED):
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
    """Number cells: Excel serial days, or packed dates stored as numbers (20240102081000)."""
    out = pd.Series(pd.NaT, index=nums.index, dtype="datetime64[ns]")
    serial = nums.between(1, LAST_SERIAL)
    out[serial] = (EXCEL_EPOCH + pd.to_timedelta(nums[serial], unit="D")).round("s")
    whole = nums.notna() & ~serial & (nums % 1 == 0) & (nums > 0)
    if whole.any():
        text = nums[whole].astype("int64").astype(str)
        for length, fmt in _PACKED_LENGTHS.items():
            sel = text.str.len() == length
            if sel.any():
                out[text[sel].index] = pd.to_datetime(text[sel], format=fmt, errors="coerce")
    return out, filled & out.isna().to_numpy()
