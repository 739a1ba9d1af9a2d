"""Turning raw cells into canonical values: day-first dates, flags, channels, statuses, money.

Values are parsed once per distinct value (a million rows hold a few thousand distinct cells),
so the cost stays near the read's. An unknown value becomes an error finding for that cell and
an empty value in the table: it is reported, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain.text import fold
from ttkhc_cli.ingest import vocab
from ttkhc_cli.ingest.findings import ERROR, WARNING, Finding, capped, cell_value
from ttkhc_cli.ingest.mapping import Mapped
from ttkhc_cli.io.headers import is_numbering_row, is_totals_label
from ttkhc_cli.io.table import RawTable, arrow_cells

DATE_FORMATS = (
    "%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y", "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S", "%d.%m.%Y", "%H:%M %d/%m/%Y", "%H:%M:%S %d/%m/%Y", "%d/%m/%y",
    "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %I:%M:%S %p", "%d/%m/%Y %I:%M %p", "%Y/%m/%d", "%Y/%m/%d %H:%M:%S",
)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
KIND_NAMES = {
    "date": "ngày", "flag": "giá trị có/không", "channel": "kênh nộp", "status": "trạng thái",
    "timing": "tiến độ", "level": "cấp", "rating": "mức độ hài lòng", "secrecy": "độ mật",
    "direction": "loại văn bản", "money": "số tiền", "number": "số",
}

EXCLUDE_BLANK = "dòng trống"
EXCLUDE_NUMBERING = "dòng đánh số cột"
EXCLUDE_HEADER = "dòng tiêu đề lặp lại"
EXCLUDE_TOTALS = "dòng tổng cộng"
EXCLUDE_NOT_RECORD = "dòng không phải hồ sơ (ghi chú, chữ ký…: không có ngày)"
EXCLUDE_DUPLICATE = "trùng mã hồ sơ (giữ dòng sau cùng)"


@dataclass
class Normalised:
    frame: pd.DataFrame  # canonical columns + _file, _sheet, _row
    read: int
    excluded: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    present: set[str] = field(default_factory=set)
    # Every id of the table appears once: found beside the column parsers, on the other core,
    # so that combining the log does not hash a million ids a second time to look for duplicates.
    ids_distinct: bool = False


def _is_empty(s: pd.Series) -> np.ndarray:
    """Empty cells: missing or "" (a cell of spaces only is read as blank by each field's parser)."""
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        import pyarrow.compute as pc

        empty = pc.fill_null(pc.equal(pc.binary_length(arrow_cells(s)), 0), True)
        return np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool)
    return s.isna().to_numpy(dtype=bool)


def _by_unique(s: pd.Series, fn: Callable[[object], object]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Apply ``fn`` to each distinct value: per-row codes, per-value results and invalid marks.

    Code -1 (an empty cell) reads the last slot, which holds ``fn(None)``; callers turn the
    per-value results into typed arrays and index them with the codes, so a million rows
    never go through Python objects.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    bad = np.zeros(len(uniques) + 1, dtype=bool)
    for i, u in enumerate([*uniques, None]):
        r = fn(u)
        if r is vocab.INVALID:
            bad[i] = i < len(uniques)
            r = None
        results[i] = r
    return codes, results, bad


def _categorical(codes: np.ndarray, results: np.ndarray) -> pd.Categorical:
    """Per-row values as a Categorical: codes such as "online" held once, cheap to compare later."""
    small, names = pd.factorize(pd.Series(results, dtype=object), use_na_sentinel=True)
    return pd.Categorical.from_codes(small[codes], categories=pd.Index(names, dtype=object))


def _floats(codes: np.ndarray, results: np.ndarray) -> np.ndarray:
    return np.array([np.nan if r is None else float(r) for r in results], dtype=float)[codes]


def parse_dates(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Day-first text, ISO text, real dates and Excel serials -> naive datetimes (never month-first).

    Text is parsed once per distinct value with Arrow's vectorised strptime, trying first the
    format that reads a sample of the column.
    """
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        out = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return out.astype("datetime64[ns]"), np.zeros(len(s), dtype=bool)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return _serials(pd.to_numeric(s, errors="coerce"), s.notna().to_numpy())
    import pyarrow.compute as pc

    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    text = pc.utf8_trim_whitespace(_arrow_text(uniques))
    filled = pc.fill_null(pc.not_equal(text, ""), False)
    parsed = _serial_text(text)
    for fmt in _likely_formats(text):
        if not pc.any(pc.and_(filled, pc.is_null(parsed))).as_py():
            break
        parsed = pc.coalesce(parsed, pc.strptime(text, format=fmt, unit="s", error_is_null=True))
    parsed = _reject_overflow(text, parsed)
    result = pd.Series(parsed.to_pandas(), dtype="datetime64[ns]")
    todo = (result.isna() & pd.Series(filled.to_numpy(zero_copy_only=False))).to_numpy()
    if todo.any():
        rest = pd.Series(text.to_pandas()[todo])
        iso = pd.to_datetime(rest, format="ISO8601", errors="coerce")
        nums = pd.to_numeric(rest, errors="coerce")
        ok = iso.isna() & nums.between(1, 2958465)
        iso[ok] = (EXCEL_EPOCH + pd.to_timedelta(nums[ok], unit="D")).dt.round("s")
        result[np.flatnonzero(todo)] = iso.to_numpy()
    bad_u = (result.isna() & pd.Series(filled.to_numpy(zero_copy_only=False))).to_numpy()
    values = np.append(result.to_numpy(), np.datetime64("NaT"))[codes]
    bad = np.append(bad_u, False)[codes]
    return pd.Series(values, index=s.index, dtype="datetime64[ns]"), bad


def _arrow_text(values):
    """Distinct cells as an Arrow string array; a cell that is not text (a number) as its str."""
    import pyarrow as pa

    if hasattr(values, "__arrow_array__") and pd.api.types.is_string_dtype(values.dtype):
        arr = values.__arrow_array__()
        return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return pa.array(pd.Series(values, dtype=object).astype("string"), type=pa.large_string())


# Where the day and month sit in a date's text: at the start (day-first), after a time
# ("07:30 02/01/2024"), or ISO. Text is trimmed first, so the common case is an anchored match.
_DAY_FIRST = r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-]\d{2,4}"
_AFTER_TIME = r"\s(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-]\d{2,4}"
_ISO = r"^\d{4}[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"


def _serial_text(text):
    """Cells holding an Excel serial day number as text (a real date cell read as text) -> timestamps."""
    import pyarrow as pa
    import pyarrow.compute as pc

    numeric = pc.fill_null(pc.match_substring_regex(text, r"^\d{1,7}(\.\d+)?$"), False)
    if not pc.any(numeric).as_py():
        return pa.nulls(len(text), pa.timestamp("s"))
    days = pc.cast(pc.if_else(numeric, text, pa.scalar(None, pa.string())), pa.float64())
    ok = pc.fill_null(pc.and_(pc.greater_equal(days, 1), pc.less_equal(days, 2958465)), False)
    seconds = pc.cast(pc.round(pc.multiply(pc.subtract(days, 25569), 86400)), pa.int64())
    stamps = pc.cast(seconds, pa.timestamp("s"))
    return pc.if_else(ok, stamps, pa.scalar(None, pa.timestamp("s")))


def _reject_overflow(text, parsed):
    """Arrow's strptime rolls 31/02 over to 02/03: a date whose day or month differs from the text is invalid.

    The anchored day-first pattern is tried on every value; the other two only on the values
    it did not match, so a column of ordinary dates costs one regex pass.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    day = pa.nulls(len(text), pa.int64())
    month = pa.nulls(len(text), pa.int64())
    for pattern in (_DAY_FIRST, _AFTER_TIME, _ISO):
        todo = pc.and_(pc.is_null(day), pc.is_valid(parsed))
        if not pc.any(todo).as_py():
            break
        parts = pc.extract_regex(pc.if_else(todo, text, pa.scalar(None, text.type)), pattern)
        day = pc.coalesce(day, pc.cast(pc.struct_field(parts, "d"), pa.int64()))
        month = pc.coalesce(month, pc.cast(pc.struct_field(parts, "m"), pa.int64()))
    wrong = pc.or_(pc.not_equal(day, pc.day(parsed)), pc.not_equal(month, pc.month(parsed)))
    return pc.if_else(pc.fill_null(wrong, False), pa.scalar(None, parsed.type), parsed)


def _likely_formats(text) -> list[str]:
    """Date formats, the one that reads a sample of the cells first, so most cells parse on the first try."""
    import pyarrow.compute as pc

    sample = pc.filter(text, pc.invert(pc.fill_null(pc.match_substring_regex(text, r"^[\d.]*$"), True))).slice(0, 100)
    if len(sample):
        for f in DATE_FORMATS:
            if pc.strptime(sample, format=f, unit="s", error_is_null=True).null_count == 0:
                return [f] + [x for x in DATE_FORMATS if x != f]
    return list(DATE_FORMATS)


def _serials(nums: pd.Series, filled: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    ok = nums.between(1, 2958465)
    out = pd.Series(pd.NaT, index=nums.index, dtype="datetime64[ns]")
    out[ok] = (EXCEL_EPOCH + pd.to_timedelta(nums[ok], unit="D")).round("s")
    return out, filled & ~ok.to_numpy()


_MONEY_WORDS = re.compile(r"(vnđ|vnd|đồng|đ|dong|d)\s*$|^\s*(vnđ|vnd)", re.IGNORECASE)


def parse_money(value: object) -> object:
    """'50.000', '50,000 đ', '50000', 50000 -> 50000.0; 'Miễn phí'/'Không' -> 0; 'Có' -> 1."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = unicodedata.normalize("NFC", str(value)).strip()
    if not text or text in {"-", "—"}:
        return None
    key = fold(text)
    if key in {"mien phi", "mien", "khong", "khong co", "0 d", "khong thu phi"}:
        return 0.0
    if key in {"co", "x", "co phi", "co thu phi"}:
        return 1.0
    core = _MONEY_WORDS.sub("", text).strip().replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", core):
        return float(re.sub(r"[.,]", "", core))
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+,\d+", core):
        return float(core.replace(".", "").replace(",", "."))
    if re.fullmatch(r"-?\d+([.,]\d+)?", core):
        return float(core.replace(",", "."))
    return vocab.INVALID


def parse_number(value: object) -> object:
    """A processing time or count: 15, "15", "15 ngày", "15 ngày làm việc" -> 15.0."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if not text:
        return None
    m = re.match(r"^(\d+(?:[.,]\d+)?)(.*)$", text)
    if m and (not m.group(2).strip() or fold(m.group(2)).startswith("ngay")):
        return float(m.group(1).replace(",", "."))
    return vocab.INVALID




def _column_findings(raw: RawTable, m: Mapped, bad: np.ndarray, values: pd.Series,
                     code: str, message: str, severity: str = ERROR) -> list[Finding]:
    def one(i: int) -> Finding:
        v = cell_value(values.iloc[i])
        return Finding(code, severity, raw.file, raw.sheet, int(raw.rows[i]), m.column, m.header, v,
                       message.format(value=v))

    return capped(np.flatnonzero(bad), one, lambda n: Finding(
        code, severity, raw.file, raw.sheet, None, m.column, m.header, None,
        f"… và {n} ô khác cùng lỗi trong cột này"))


def _text_col(col: pd.Series) -> bool:
    return col.dtype == object or pd.api.types.is_string_dtype(col.dtype)


# Why a row is not a record; codes index this tuple (0: the row is a record).
REASONS = (None, EXCLUDE_BLANK, EXCLUDE_NUMBERING, EXCLUDE_HEADER, EXCLUDE_TOTALS, EXCLUDE_NOT_RECORD)
_CODE = {r: i for i, r in enumerate(REASONS)}


def _count_filled(empty: list[np.ndarray], n: int) -> np.ndarray:
    """Filled cells per row, summed column by column (a row-wise sum of a bool matrix is slower)."""
    filled = np.zeros(n, dtype=np.int16)
    for column in empty:
        filled += ~column
    return filled


def exclusions(raw: RawTable, mapped: list[Mapped]) -> tuple[np.ndarray, list[np.ndarray]]:
    """The reason code (into ``REASONS``) of each row, and which cells of each column are empty.

    Totals rows are sparse ("Tổng cộng" and a count or two), so only rows with far fewer
    filled cells than usual are read for a totals label; a repeated header is a row whose first
    two mapped cells are header labels. Both checks stay vectorised over a million rows.
    """
    df = raw.data
    n = len(df)
    reason = np.zeros(n, dtype=np.int8)
    empty = [_is_empty(df[c]) for c in df.columns]
    if n == 0:
        return reason, empty
    filled = _count_filled(empty, n)
    reason[filled == 0] = _CODE[EXCLUDE_BLANK]
    if is_numbering_row(list(df.iloc[0])):
        reason[0] = _CODE[EXCLUDE_NUMBERING]
    typical = np.median(filled[filled > 0]) if (filled > 0).any() else 0
    sparse = (filled > 0) & (filled <= max(3, typical * 0.6)) & (reason == 0)
    for i in np.flatnonzero(sparse):
        cells = [v for v in df.iloc[i].tolist() if v is not None and not (isinstance(v, float) and v != v)][:3]
        if any(is_totals_label(v) for v in cells):
            reason[i] = _CODE[EXCLUDE_TOTALS]
    heads = [m for m in mapped if m.field][:2]
    if len(heads) == 2 and all(_text_col(df[m.index]) for m in heads):
        reason[_repeated_headers(df, heads) & (reason == 0)] = _CODE[EXCLUDE_HEADER]
    return reason, empty


def _repeated_headers(df: pd.DataFrame, heads: list[Mapped]) -> np.ndarray:
    """Rows whose cells under ``heads`` repeat those headers (any case, any surrounding spaces).

    A fast substring search on the first column finds the few candidate rows; only those are
    compared exactly, so a million rows cost one Arrow kernel, not two string pipelines.
    """
    first = heads[0]
    label = first.header.strip()
    hits = df[first.index].str.contains(label, case=False, regex=False, na=False).to_numpy(dtype=bool)
    out = np.zeros(len(df), dtype=bool)
    rows = np.flatnonzero(hits)
    if len(rows) == 0:
        return out
    same = np.logical_and.reduce([
        (df[m.index].iloc[rows].astype("string").str.strip().str.lower() == m.header.strip().lower())
        .fillna(False).to_numpy(dtype=bool)
        for m in heads
    ])
    out[rows[same]] = True
    return out


def normalise(raw: RawTable, mapped: list[Mapped], source: str) -> Normalised:
    """Parse every mapped column of one raw table into the canonical frame."""
    kinds = {f.name: f.kind for f in F.FIELDS[source]}
    findings: list[Finding] = []
    cols: dict[str, object] = {}
    used = [m for m in mapped if m.field is not None]
    # The row checks and the columns are independent and their kernels (Arrow, numpy, pandas)
    # release the GIL: two at a time.
    with ThreadPoolExecutor(max_workers=2) as pool:
        rows = pool.submit(exclusions, raw, mapped)
        parsed = list(pool.map(lambda m: _column_task(raw.data[m.index], kinds[m.field]), used))
        reason, empty = rows.result()
    keep = reason == 0
    for m, (values, bad, code, _) in zip(used, parsed):
        series = raw.data[m.index]
        kind = kinds[m.field]
        cols[m.field] = values
        if code:
            msg = f"{{value!r}} không phải {KIND_NAMES.get(kind, kind)} hợp lệ"
            if kind == "date":
                msg += " (dùng ngày/tháng/năm)"
            findings += _column_findings(raw, m, bad & keep, series, code, msg)
        if kind == "id" and m.index in raw.numeric_columns:
            findings.append(Finding(
                "numeric-id", WARNING, raw.file, raw.sheet, None, m.column, m.header, None,
                "mã hồ sơ được lưu dạng số trong Excel: các số 0 ở đầu (nếu có) đã mất; "
                "hãy định dạng cột là Văn bản khi xuất",
            ))
    frame = pd.DataFrame(cols, index=raw.data.index)
    # Rows that carry no record: no id and no date at all (notes, signatures under the table).
    id_field = F.FIELDS[source][0].name
    dates = [f for f, k in kinds.items() if k == "date" and f in frame]
    if dates:
        no_date = np.logical_and.reduce([frame[d].isna().to_numpy() for d in dates])
        no_id = frame[id_field].isna().to_numpy() if id_field in frame else np.ones(len(frame), bool)
        mapped_cols = [m.index for m in mapped if m.field]
        few = _count_filled([empty[c] for c in mapped_cols], len(frame)) <= 1
        reason[keep & no_date & (no_id | few)] = _CODE[EXCLUDE_NOT_RECORD]
    keep = reason == 0
    if not keep.all():
        kept_rows = set(raw.rows[keep].tolist())
        findings = [f for f in findings if f.row is None or f.row in kept_rows]
        frame = frame[keep]
    frame = frame.reset_index(drop=True)
    frame["_file"] = raw.file
    frame["_sheet"] = raw.sheet
    frame["_row"] = raw.rows[keep]
    counts = np.bincount(reason, minlength=len(REASONS))
    excluded = {REASONS[i]: int(c) for i, c in enumerate(counts) if i and c}
    distinct = [d for m, (_, _, _, d) in zip(used, parsed) if kinds[m.field] == "id"]
    return Normalised(frame, len(raw.data), excluded, findings, {m.field for m in mapped if m.field},
                      distinct == [True])


def all_distinct(values: pd.Series) -> bool:
    """No value (blanks aside) appears twice: one hash pass."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return len(uniques) == int((codes >= 0).sum())


def _column_task(series: pd.Series, kind: str) -> tuple[object, np.ndarray, str | None, bool | None]:
    """One column parsed; for the id column, also whether every id in it is distinct."""
    values, bad, code = _parse_column(series, kind)
    return values, bad, code, (all_distinct(values) if kind == "id" else None)


def _parse_column(series: pd.Series, kind: str) -> tuple[object, np.ndarray, str | None]:
    if kind == "date":
        values, bad = parse_dates(series)
        return values, bad, "invalid-date"
    parser = vocab.PARSERS.get(kind) or {"money": parse_money, "number": parse_number}.get(kind)
    if parser is None:
        return _text_values(series, distinct=kind != "id"), np.zeros(len(series), dtype=bool), None
    codes, results, bad = _by_unique(series, parser)
    if kind == "flag":  # blank or unreadable: "no"
        values = np.array([r is True for r in results], dtype=bool)[codes]
    elif kind in ("money", "number"):
        values = _floats(codes, results)
    else:
        values = _categorical(codes, results)
    return values, bad[codes], f"invalid-{kind}"


def _text_values(series: pd.Series, distinct: bool = True) -> pd.Series:
    """Text cells stripped and in NFC; whole-number floats (ids stored as numbers) without '.0'.

    Low-cardinality columns (procedure, department, officer) are cleaned once per distinct
    value and kept as categoricals, so a million rows hold each name once; id columns, where
    every value is distinct, are cleaned directly with Arrow's string kernels.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if pd.api.types.is_float_dtype(series.dtype):
        whole = series.notna() & (series % 1 == 0)
        series = series.astype(object).where(~whole, series[whole].astype("int64").astype(str) if whole.any() else series)
    if distinct:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        values = pa.array(np.asarray(uniques, dtype=object), type=pa.string())
    else:
        values = pa.array(series.astype("string"), type=pa.string())
    values = pc.utf8_trim_whitespace(values)
    if not pc.all(pc.fill_null(pc.string_is_ascii(values), True)).as_py():
        values = pc.utf8_normalize(values, "NFC")
    values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    if not distinct:
        return pd.Series(pd.array(values, dtype="str"), index=series.index)
    # Cleaning can make two raw values one (" Tư pháp" and "Tư pháp"): factorize again.
    again, names = pd.factorize(pd.Series(values.to_pandas(), dtype="str"), use_na_sentinel=True)
    final = np.where(codes >= 0, np.append(again, -1)[codes], -1)
    return pd.Series(pd.Categorical.from_codes(final, categories=pd.Index(names, dtype="str")), index=series.index)
