"""Turning raw cells into canonical values: day-first dates, flags, channels, statuses, money.

Values are parsed once per distinct value (a million rows hold a few thousand distinct cells),
so the cost stays near the read's. An unknown value becomes an error finding for that cell and
an empty value in the table: it is reported, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from ttkhc_cli import fields as F
from ttkhc_cli import vocab
from ttkhc_cli.findings import ERROR, PER_COLUMN_CAP, WARNING, Finding
from ttkhc_cli.headers import is_numbering_row, is_totals_label
from ttkhc_cli.mapping import Mapped
from ttkhc_cli.reading import RawTable
from ttkhc_cli.textfold import fold

DATE_FORMATS = (
    "%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y", "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S", "%d.%m.%Y", "%H:%M %d/%m/%Y", "%H:%M:%S %d/%m/%Y", "%d/%m/%y",
    "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f",
)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
KIND_NAMES = {
    "date": "ngày", "flag": "có/không", "channel": "kênh nộp", "status": "trạng thái",
    "timing": "tiến độ", "level": "cấp", "rating": "mức độ hài lòng", "secrecy": "độ mật",
    "direction": "loại văn bản", "money": "số tiền", "number": "số",
}

EXCLUDE_BLANK = "dòng trống"
EXCLUDE_NUMBERING = "dòng đánh số cột"
EXCLUDE_HEADER = "dòng tiêu đề lặp lại"
EXCLUDE_TOTALS = "dòng tổng cộng"
EXCLUDE_NOT_RECORD = "dòng không phải hồ sơ (không có mã, không có ngày)"
EXCLUDE_DUPLICATE = "trùng mã hồ sơ (giữ dòng sau cùng)"


@dataclass
class Normalised:
    frame: pd.DataFrame  # canonical columns + _file, _sheet, _row
    read: int
    excluded: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    present: set[str] = field(default_factory=set)


def _is_empty(s: pd.Series) -> np.ndarray:
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        return (s.isna() | (s.astype("string").str.strip() == "")).to_numpy(dtype=bool)
    return s.isna().to_numpy(dtype=bool)


def _by_unique(s: pd.Series, fn: Callable[[object], object]) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``fn`` to each distinct value; return per-row results and an invalid mask."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    bad = np.zeros(len(uniques) + 1, dtype=bool)
    for i, u in enumerate(uniques):
        r = fn(u)
        if r is vocab.INVALID:
            bad[i] = True
            r = None
        results[i] = r
    results[-1] = fn(None)
    if results[-1] is vocab.INVALID:
        results[-1] = None
    return results[codes], bad[codes]


def parse_dates(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Day-first text, ISO text, real dates and Excel serials -> naive datetimes (never month-first)."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        out = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return out.astype("datetime64[ns]"), np.zeros(len(s), dtype=bool)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return _serials(pd.to_numeric(s, errors="coerce"), s.notna().to_numpy())
    codes, uniques = pd.factorize(s.astype("string").str.strip(), use_na_sentinel=True)
    text = pd.Series(uniques, dtype="string")
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna() & text.notna() & (text != "")
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    todo = parsed.isna() & text.notna() & (text != "")
    if todo.any():
        nums = pd.to_numeric(text[todo], errors="coerce")
        ok = nums.between(1, 2958465)
        parsed[nums[ok].index] = EXCEL_EPOCH + pd.to_timedelta(nums[ok], unit="D")
    bad_u = (parsed.isna() & text.notna() & (text != "")).to_numpy()
    values = np.append(parsed.to_numpy(), np.datetime64("NaT"))[codes]
    bad = np.append(bad_u, False)[codes]
    return pd.Series(values, index=s.index, dtype="datetime64[ns]"), bad


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


def _text(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    t = unicodedata.normalize("NFC", str(value)).strip()
    return t or None


def _column_findings(raw: RawTable, m: Mapped, bad: np.ndarray, values: pd.Series,
                     code: str, message: str, severity: str = ERROR) -> list[Finding]:
    idx = np.flatnonzero(bad)
    out = [
        Finding(code, severity, raw.file, raw.sheet, int(raw.rows[i]), m.column, m.header,
                _plain(values.iloc[i]), message.format(value=_plain(values.iloc[i])))
        for i in idx[:PER_COLUMN_CAP]
    ]
    if len(idx) > PER_COLUMN_CAP:
        out.append(Finding(code, severity, raw.file, raw.sheet, None, m.column, m.header, None,
                           f"… và {len(idx) - PER_COLUMN_CAP} ô khác cùng lỗi trong cột này"))
    return out


def _plain(v: object) -> object:
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, (np.generic,)):
        return v.item()
    return v if isinstance(v, (str, int, float, bool)) else str(v)


def exclusions(raw: RawTable, mapped: list[Mapped]) -> pd.Series:
    """The reason each non-record row is left out (None for rows that are records)."""
    df = raw.data
    n = len(df)
    reason = pd.Series([None] * n, dtype=object)
    if n == 0:
        return reason
    empty = np.column_stack([_is_empty(df[c]) for c in df.columns]) if df.shape[1] else np.ones((n, 1), bool)
    reason[empty.all(axis=1)] = EXCLUDE_BLANK
    if is_numbering_row(list(df.iloc[0])):
        reason[0] = EXCLUDE_NUMBERING
    labels = {F.alias_key(m.header) for m in mapped if m.field}
    text_cols = [m.index for m in mapped if m.field][:3] or list(df.columns[:3])
    for c in list(df.columns[:2]) + text_cols:
        col = df[c]
        if not (col.dtype == object or pd.api.types.is_string_dtype(col.dtype)):
            continue
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        is_total = np.append(np.array([is_totals_label(u) for u in uniques], dtype=bool), False)[codes]
        is_head = np.append(np.array([F.alias_key(u) in labels for u in uniques], dtype=bool), False)[codes]
        reason[pd.isna(reason) & is_total] = EXCLUDE_TOTALS
        reason[pd.isna(reason) & is_head] = EXCLUDE_HEADER
    return reason


def normalise(raw: RawTable, mapped: list[Mapped], source: str) -> Normalised:
    """Parse every mapped column of one raw table into the canonical frame."""
    kinds = {f.name: f.kind for f in F.FIELDS[source]}
    reason = exclusions(raw, mapped)
    keep = reason.isna().to_numpy()
    findings: list[Finding] = []
    cols: dict[str, object] = {}
    for m in mapped:
        if m.field is None:
            continue
        series = raw.data[m.index]
        kind = kinds[m.field]
        values, bad, code = _parse_column(series, kind)
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
        reason[pd.isna(reason) & no_date & no_id] = EXCLUDE_NOT_RECORD
    keep = reason.isna().to_numpy()
    if not keep.all():
        kept_rows = set(raw.rows[keep].tolist())
        findings = [f for f in findings if f.row is None or f.row in kept_rows]
    frame = frame[keep].copy()
    frame["_file"] = raw.file
    frame["_sheet"] = raw.sheet
    frame["_row"] = raw.rows[keep]
    excluded = reason[~keep].value_counts().to_dict()
    return Normalised(frame.reset_index(drop=True), len(raw.data), excluded, findings,
                      {m.field for m in mapped if m.field})


def _parse_column(series: pd.Series, kind: str) -> tuple[object, np.ndarray, str | None]:
    if kind == "date":
        values, bad = parse_dates(series)
        return values, bad, "invalid-date"
    if kind in vocab.PARSERS:
        parser = vocab.PARSERS[kind]
        values, bad = _by_unique(series, parser)
        if kind == "flag":
            values = pd.array(values, dtype="boolean").fillna(False).to_numpy(dtype=bool)
        return values, bad, f"invalid-{kind}"
    if kind == "money":
        values, bad = _by_unique(series, parse_money)
        return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float), bad, "invalid-money"
    if kind == "number":
        values, bad = _by_unique(series, parse_number)
        return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float), bad, "invalid-number"
    values, _ = _by_unique(series, _text)
    return values, np.zeros(len(series), dtype=bool), None
