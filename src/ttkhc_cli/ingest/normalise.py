"""Turning raw cells into canonical values: day-first dates, flags, channels, statuses, money.

Values are parsed once per distinct value (a million rows hold a few thousand distinct cells),
so the cost stays near the read's. An unknown value becomes an error finding for that cell and
an empty value in the table: it is reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ttkhc_cli.domain import fields as F
from ttkhc_cli.ingest import profiles, vocab
from ttkhc_cli.ingest.catalogue import entry, message
from ttkhc_cli.ingest.dates import MAX_YEAR, MIN_YEAR, ORDERS, parse_dates, parse_hours, with_hours
from ttkhc_cli.ingest.findings import ERROR, WARNING, Finding, capped, cell_value
from ttkhc_cli.ingest.mapping import Mapped
from ttkhc_cli.ingest.numbers import decimal_mark, parse_money, parse_number
from ttkhc_cli.ingest.profiles import Profile
from ttkhc_cli.io.headers import is_note_label, is_numbering_row, is_totals_label
from ttkhc_cli.io.table import Part, RawTable, arrow_cells

RAW = "_raw:"  # the column holding a coded field's cells as typed (see ingest.log.raw_values)
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
    # A stack's parts (see io.table.stack): each one's findings and its rows kept in ``frame``.
    part_findings: list[list[Finding]] = field(default_factory=list)
    part_rows: list[int] = field(default_factory=list)
    part_excluded: list[dict[str, int]] = field(default_factory=list)  # each part's, as ``excluded``


def _is_empty(s: pd.Series) -> np.ndarray:
    """Empty cells: missing or "" (a cell of spaces only is read as blank by each field's parser)."""
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        import pyarrow.compute as pc

        empty = pc.fill_null(pc.equal(pc.binary_length(arrow_cells(s)), 0), True)
        return np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool)
    return s.isna().to_numpy(dtype=bool)


def _present(s: pd.Series) -> np.ndarray:
    """Cells that hold something (a link, a code), a cell that says no ("Không", "0") excepted."""
    held = ~_is_empty(s)
    codes, results, _ = _by_unique(s, lambda v: profiles.parse_flag(v) is False)
    said_no = results[codes].astype(bool)
    return held & ~said_no


def _by_unique(s: pd.Series, fn: Callable[[object], object],
               raw: list | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Apply ``fn`` to each distinct value: per-row codes, per-value results and invalid marks.

    Code -1 (an empty cell) reads the last slot, which holds ``fn(None)``; callers turn the
    per-value results into typed arrays and index them with the codes, so a million rows
    never go through Python objects. ``raw`` receives the cells as typed, as a categorical.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if raw is not None:
        raw.append(_typed(codes, uniques))
    results = np.empty(len(uniques) + 1, dtype=object)
    bad = np.zeros(len(uniques) + 1, dtype=bool)
    for i, u in enumerate([*uniques, None]):
        r = fn(u)
        if r is vocab.INVALID:
            bad[i] = i < len(uniques)
            r = None
        results[i] = r
    return codes, results, bad


def _typed(codes: np.ndarray, uniques) -> pd.Categorical:
    """Cells as the user typed them (for findings), held once per distinct value."""
    names = pd.Index([vocab.cell_text(u) for u in uniques], dtype=object)
    if names.has_duplicates:  # 2 and 2.0 typed in one column: both shown as "2"
        again, names = pd.factorize(pd.Series(names, dtype=object))
        codes = np.where(codes >= 0, np.append(again, -1)[codes], -1)
        names = pd.Index(names, dtype=object)
    return pd.Categorical.from_codes(codes, categories=names)


def _categorical(codes: np.ndarray, results: np.ndarray) -> pd.Categorical:
    """Per-row values as a Categorical: codes such as "online" held once, cheap to compare later."""
    small, names = pd.factorize(pd.Series(results, dtype=object), use_na_sentinel=True)
    return pd.Categorical.from_codes(small[codes], categories=pd.Index(names, dtype=object))


def _floats(codes: np.ndarray, results: np.ndarray) -> np.ndarray:
    return np.array([np.nan if r is None else float(r) for r in results], dtype=float)[codes]


def _column_findings(raw: RawTable, m: Mapped, bad: np.ndarray | None, values: pd.Series,
                     code: str, params: dict[str, object], part: Part) -> list[Finding]:
    """One finding per bad cell of a column in one part of the table (capped per part, as for a
    file read alone); ``bad`` None: one finding about the column."""
    severity = entry(code).severity
    file, sheet = part.table.file, part.table.sheet
    if bad is None:
        return [Finding(code, severity, file, sheet, None, m.column, m.header, None, message(code, **params))]

    def one(i: int) -> Finding:
        v = cell_value(values.iloc[i])
        return Finding(code, severity, file, sheet, int(raw.rows[i]), m.column, m.header, v,
                       message(code, value=v, **params))

    return capped(part.start + np.flatnonzero(bad[part.start:part.stop]), one, lambda n: Finding(
        code, severity, file, sheet, None, m.column, m.header, None,
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


def exclusions(raw: RawTable, mapped: list[Mapped], id_field: str = "case_id") -> tuple[np.ndarray, list[np.ndarray]]:
    """The reason code (into ``REASONS``) of each row, and which cells of each column are empty.

    A totals row is known by its shape, not by a word alone: a totals label ("Tổng cộng",
    "Tổng số: 1.500 hồ sơ", "Cộng"), no dossier code (or the label in its place), and nothing
    else but numbers (the sums) or very little; "CONG-001" is a dossier code. A repeated header
    is a row whose first two mapped cells are header labels. Every check is vectorised, so a
    million rows (or a three-column log where every row is short) cost a few kernel passes.
    """
    df = raw.data
    n = len(df)
    reason = np.zeros(n, dtype=np.int8)
    empty = [_is_empty(df[c]) for c in df.columns]
    if n == 0:
        return reason, empty
    filled = _count_filled(empty, n)
    reason[filled == 0] = _CODE[EXCLUDE_BLANK]
    parts = raw.pieces()
    for part in parts:  # each file's first row (a stack holds several)
        if part.stop > part.start and is_numbering_row(list(df.iloc[part.start])):
            reason[part.start] = _CODE[EXCLUDE_NUMBERING]
    ids = [m.index for m in mapped if m.field == id_field]
    totals = _totals_rows(df, empty, filled, ids[0] if ids else None, parts)
    reason[totals & (reason == 0)] = _CODE[EXCLUDE_TOTALS]
    heads = [m for m in mapped if m.field][:2]
    if len(heads) == 2 and all(_text_col(df[m.index]) for m in heads):
        reason[_repeated_headers(df, heads) & (reason == 0)] = _CODE[EXCLUDE_HEADER]
    return reason, empty


# The start of a totals label, precomposed or decomposed: "Tổng", "TỔNG", "Cộng", "total".
_TOTALS_START = r"(?i)^\s*(t[oôồổỗốộ]\p{M}*ng|c[oôồổỗốộ]\p{M}*ng|total)"
_NUMBERISH = re.compile(r"^[\d\s.,()%-]*$")


def _totals_rows(df: pd.DataFrame, empty: list[np.ndarray], filled: np.ndarray, id_col: int | None,
                 parts: list[Part]) -> np.ndarray:
    """Rows shaped like a totals row (see ``exclusions``). A row with a dossier code that is no
    totals label is a dossier whatever its other cells say, so the id column is looked at
    first: only the rows it leaves (no code, or a label for one; a few in a real export) are
    searched for a label, column by column, by one Arrow regex each, and checked one by one."""
    n = len(df)
    if id_col is None:
        rows = np.arange(n)
    else:
        rows = np.flatnonzero(empty[id_col] | _labels(df[id_col], np.arange(n)))
    label_col = np.full(n, -1)
    for c in df.columns:
        at = rows[label_col[rows] < 0]
        if len(at):
            label_col[at[_labels(df[c], at)]] = c
    out = np.zeros(len(df), dtype=bool)
    starts = np.array([p.start for p in parts])
    for i in np.flatnonzero(label_col >= 0):
        part = parts[int(np.searchsorted(starts, i, side="right")) - 1]
        own = filled[part.start:part.stop]  # what a row of its own file typically fills
        typical = np.median(own[own > 0]) if (own > 0).any() else 0
        c = label_col[i]
        if id_col is not None and c != id_col and not empty[id_col][i]:
            continue  # the row has a dossier code: a dossier, whatever its other cells say
        others = [df.iat[i, j] for j in range(df.shape[1]) if j != c and not empty[j][i]]
        out[i] = filled[i] <= max(3, typical * 0.6) or all(_NUMBERISH.match(str(v)) for v in others)
    return out


def _labels(col: pd.Series, at: np.ndarray) -> np.ndarray:
    """Which of the cells at ``at`` hold a totals label: an Arrow regex over those cells, then
    the label rule on its few hits."""
    import pyarrow.compute as pc

    out = np.zeros(len(at), dtype=bool)
    if not _text_col(col) or not len(at):
        return out
    cells = arrow_cells(col)
    if len(at) < len(col):
        cells = pc.take(cells, at)
    hits = pc.fill_null(pc.match_substring_regex(cells, _TOTALS_START), False).to_numpy(zero_copy_only=False)
    for j in np.flatnonzero(np.asarray(hits, dtype=bool)):
        out[j] = is_totals_label(col.iat[int(at[j])])
    return out


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
    same = np.logical_and.reduce(
        [
            (df[m.index].iloc[rows].astype("string").str.strip().str.lower() == m.header.strip().lower())
            .fillna(False)
            .to_numpy(dtype=bool)
            for m in heads
        ]
    )
    out[rows[same]] = True
    return out


THREADS_FROM_ROWS = 20_000


def normalise(raw: RawTable, mapped: list[Mapped], source: str, profile: Profile | None = None,
              settings: Settings | None = None) -> Normalised:
    """Parse every mapped column of one raw table into the canonical frame, with the words and
    date layouts of the file's export profile; ``settings`` the column settings every table of
    a stack has alike (``read_settings``), else they are read from the cells."""
    profile = profile or profiles.common()
    kinds = {f.name: f.kind for f in F.FIELDS[source]}
    by_field: dict[str, list[Mapped]] = {}
    for m in mapped:
        if m.field is not None:
            by_field.setdefault(m.field, []).append(m)
    def task(item: tuple[str, list[Mapped]]) -> FieldValues:
        return _field_task(raw, item[0], item[1], kinds[item[0]], profile, source, settings)

    if len(raw.data) < THREADS_FROM_ROWS:  # a small table: threads would cost more than they save
        reason, empty = exclusions(raw, mapped, F.FIELDS[source][0].name)
        parsed = [task(item) for item in by_field.items()]
    else:
        # The row checks and the columns are independent and their kernels (Arrow, numpy, pandas)
        # release the GIL: two at a time.
        with ThreadPoolExecutor(max_workers=2) as pool:
            rows = pool.submit(exclusions, raw, mapped, F.FIELDS[source][0].name)
            parsed = list(pool.map(task, by_field.items()))
            reason, empty = rows.result()
    keep = reason == 0
    cols: dict[str, object] = {}
    for name, got in zip(by_field, parsed):
        cols[name] = got.values
        if got.typed is not None:
            cols[RAW + name] = got.typed
    frame = pd.DataFrame(cols, index=raw.data.index)
    # Rows that carry no record: no id and no date at all (notes, signatures under the table).
    id_field = F.FIELDS[source][0].name
    dates = [f for f, k in kinds.items() if k == "date" and f in frame]
    if dates:
        no_date = np.logical_and.reduce([frame[d].isna().to_numpy() for d in dates])
        no_id = frame[id_field].isna().to_numpy() if id_field in frame else np.ones(len(frame), bool)
        mapped_cols = [m.index for m in mapped if m.field]
        few = _count_filled([empty[c] for c in mapped_cols], len(frame)) <= 1
        # A dated-less row whose "code" is a label ("Ghi chú:", "Người lập biểu") is a note.
        labelled = np.zeros(len(frame), dtype=bool)
        for i in np.flatnonzero(keep & no_date & ~no_id & ~few):
            labelled[i] = is_note_label(frame[id_field].iat[i])
        reason[keep & no_date & (no_id | few | labelled)] = _CODE[EXCLUDE_NOT_RECORD]
    recorded = reason == 0
    pieces = raw.pieces()
    by_part = [_part_findings(raw, part, by_field, parsed, keep, recorded, mapped, source) for part in pieces]
    if not recorded.all():
        frame = frame[recorded]
    frame = frame.reset_index(drop=True)
    kept = [int(recorded[p.start:p.stop].sum()) for p in pieces]
    if len(pieces) == 1:
        frame["_file"] = raw.file
        frame["_sheet"] = raw.sheet
    else:
        # Object columns: pandas would make a column of names and Nones a text column, a CSV's
        # sheet (None) becoming NaN.
        frame["_file"] = pd.Series(np.repeat(np.array([p.table.file for p in pieces], dtype=object), kept),
                                   index=frame.index, dtype=object)
        frame["_sheet"] = pd.Series(np.repeat(np.array([p.table.sheet for p in pieces], dtype=object), kept),
                                    index=frame.index, dtype=object)
    frame["_row"] = raw.rows[recorded]
    excluded = _reasons(reason)
    each = [excluded] if len(pieces) == 1 else [_reasons(reason[p.start:p.stop]) for p in pieces]
    distinct = [got.distinct for name, got in zip(by_field, parsed) if kinds[name] == "id"]
    return Normalised(frame, len(raw.data), excluded, [f for part in by_part for f in part],
                      set(by_field), distinct == [True], by_part, kept, each)


def _reasons(reason: np.ndarray) -> dict[str, int]:
    """The rows left out, by reason, in the catalogue's order."""
    counts = np.bincount(reason, minlength=len(REASONS))
    return {str(REASONS[i]): int(c) for i, c in enumerate(counts) if i and c}


def _part_findings(raw: RawTable, part: Part, by_field: dict[str, list[Mapped]], parsed: list[FieldValues],
                   keep: np.ndarray, recorded: np.ndarray, mapped: list[Mapped], source: str) -> list[Finding]:
    """One part's findings, in the order a file read alone has them; none at a row that is no
    record (a totals row's sums are no invalid money)."""
    findings: list[Finding] = []
    for got in parsed:
        for m, bad, code, params in got.problems:
            findings += _column_findings(
                raw, m, bad & keep if bad is not None else None, raw.data[m.index], code, params, part
            )
    own = slice(part.start, part.stop)
    findings += _numeric_ids(part.table, by_field.get(F.FIELDS[source][0].name, []), keep[own])
    findings += _cell_problems(part.table, mapped)
    if not recorded[own].all():
        kept_rows = set(raw.rows[own][recorded[own]].tolist())
        findings = [f for f in findings if f.row is None or f.row in kept_rows]
    return findings


# From this many ids, DuckDB's parallel hash counts them (0.1 s for a million codes, where
# pandas' factorize takes 0.4 to 0.5 s); a small log is not worth a connection.
HASHED_IN_DUCKDB = 100_000


def all_distinct(values: pd.Series) -> bool:
    """No value (blanks aside) appears twice: one hash pass."""
    if len(values) >= HASHED_IN_DUCKDB and hasattr(values.array, "__arrow_array__") \
            and pd.api.types.is_string_dtype(values.dtype):
        import duckdb
        import pyarrow as pa

        con = duckdb.connect()
        try:
            con.register("ids", pa.table({"v": arrow_cells(values)}))
            row = con.execute("SELECT count(DISTINCT v) = count(v) FROM ids").fetchone()
            return bool(row[0]) if row is not None else True
        finally:
            con.close()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return len(uniques) == int((codes >= 0).sum())


# column, bad cells (None: the column itself), finding code, values for the code's message
Problem = tuple[Mapped, "np.ndarray | None", str, dict[str, object]]


@dataclass
class FieldValues:
    values: object
    problems: list[Problem]
    distinct: bool | None = None  # for the id field: every id once
    typed: pd.Categorical | None = None  # a coded field's cells as typed


def _field_task(raw: RawTable, name: str, cols: list[Mapped], kind: str, profile: Profile, source: str,
                settings: Settings | None = None) -> FieldValues:
    """One field's values from its column(s); for the id field, also whether every id is distinct."""
    first = cols[0]
    if first.rule == "presence":  # a link to the result file: "yes" when the cell holds anything
        return FieldValues(_present(raw.data[first.index]), [])
    if first.rule == "timing-columns":
        return _timing_from_counts(raw, cols)
    if first.rule == "part":  # phí + lệ phí: the dossier's fee is their sum
        parts, problems = [], []
        for m in cols:
            money = parsed_kind(m, kind)
            assert money is not None
            values, more, _ = _parse_column(raw.data[m.index], money, profile, source, name, m, settings)
            parts.append(pd.Series(values, index=raw.data.index))
            problems += more
        return FieldValues(pd.concat(parts, axis=1).sum(axis=1, min_count=1).to_numpy(), problems)
    hours = [m for m in cols if m.rule == "hour"]
    if hours:
        first = next(m for m in cols if m.rule != "hour")
    values, problems, typed = _parse_column(raw.data[first.index], kind, profile, source, name, first, settings)
    if hours:
        clock, bad = parse_hours(raw.data[hours[0].index])
        values = with_hours(values, clock)
        problems.append((hours[0], bad, "invalid-date", {}))
    return FieldValues(values, problems, all_distinct(values) if kind == "id" else None, typed)


# What a column's cells decide as a whole, by column index: a number column's decimal mark (and
# whether it mixes both), whether a column of days late counts a blank as none.
Settings = dict[int, "tuple[str | None, bool] | bool"]


def read_settings(raw: RawTable, mapped: list[Mapped], source: str) -> Settings:
    """The settings of every mapped column that has one, read from its cells: a table of a stack
    is read with its own, never its neighbours' (one file writes 1.500,5, another 1,500.5)."""
    kinds = {f.name: f.kind for f in F.FIELDS[source]}
    out: Settings = {}
    for m in mapped:
        kind = parsed_kind(m, kinds.get(m.field or ""))
        if kind is not None:
            setting = column_setting(raw.data[m.index], kind, m)
            if setting is not None:
                out[m.index] = setting
    return out


# Columns whose cells ``_field_task`` reads otherwise than as values of their field's kind: a
# link's presence, a timing told by one column per outcome, a date's hour.
_NOT_VALUES = ("presence", "timing-columns", "hour")


def parsed_kind(m: Mapped, field_kind: str | None) -> str | None:
    """The kind a mapped column's cells are parsed as (None: not parsed as values): a fee's part
    is money; the one rule for ``_field_task`` and ``read_settings``."""
    if m.field is None or m.rule in _NOT_VALUES:
        return None
    return "money" if m.rule == "part" else field_kind


def column_setting(series: pd.Series, kind: str, m: Mapped) -> tuple[str | None, bool] | bool | None:
    """The setting one column's cells decide (see ``Settings``); None for a column without one."""
    if kind in ("money", "number"):
        return decimal_mark(pd.factorize(series, use_na_sentinel=True)[1])
    if kind == "timing" and m.role in DAY_ROLES:
        # A column of days late filled in only for the late dossiers: a blank is no day late.
        return bool((series.astype("string").str.strip().fillna("") != "").any())
    return None


def _parse_column(
    series: pd.Series, kind: str, profile: Profile, source: str, name: str, m: Mapped,
    settings: Settings | None = None,
) -> tuple[object, list[Problem], pd.Categorical | None]:
    setting = settings.get(m.index) if settings is not None else column_setting(series, kind, m)
    if kind == "date":
        dates = parse_dates(series, profile.date_formats, m.order if m.order in ORDERS else "dmy")
        return (
            dates.values,
            [
                (m, dates.invalid, "invalid-date", {}),
                (m, dates.implausible, "implausible-date", {"low": MIN_YEAR, "high": MAX_YEAR}),
                (m, dates.two_digit, "two-digit-year", {}),
            ],
            None,
        )
    if kind in ("id", "text"):
        return _text_values(series, distinct=kind != "id"), [], None
    problems: list[Problem] = []
    if kind in ("money", "number"):
        mark, mixed = setting if isinstance(setting, tuple) else (None, False)
        if mixed:
            problems.append((m, None, "mixed-number-format", {"mark": "phẩy" if mark == "," else "chấm"}))
        parse = parse_money if kind == "money" else parse_number
        parser: Callable[[object], object] = lambda v: parse(v, mark)
    elif kind == "timing":
        parser = _timing_parser(profile.vocabulary(kind, source, name).code, m.role, bool(setting))
    else:
        parser = profile.vocabulary(kind, source, name).code
    typed: list[pd.Categorical] = []
    codes, results, bad = _by_unique(series, parser, typed)
    if kind == "flag":  # blank or unreadable: "no"
        values: object = np.array([r is True for r in results], dtype=bool)[codes]
    elif kind in ("money", "number"):
        values = _floats(codes, results)
    else:
        values = _categorical(codes, results)
    return values, problems + [(m, bad[codes], f"invalid-{kind}", {})], typed[0]


DAY_ROLES = ("late_days", "early_days")


def _timing_parser(words: Callable[[object], object], role: str | None, blank_on_time: bool = False
                   ) -> Callable[[object], object]:
    """Timing as words ("Quá hạn 2 ngày"), or as a number of days: late above zero, on time at
    zero, early below (a column of days early, ``early_days``, the other way round). In a column
    of day counts, "2 ngày" is 2 and, when ``blank_on_time``, a blank is 0."""
    sign = -1 if role == "early_days" else 1
    days_column = role in DAY_ROLES

    def parse(value: object) -> object:
        if vocab.blank(value):
            return "on_time" if blank_on_time else words(value)
        text = str(value).strip() if not isinstance(value, (int, float)) else None
        if days_column and text is not None and not _SIGNED_NUMBER.match(text) and profiles.parse_flag(value) is True:
            return "late" if sign > 0 else "early"  # a tick in the column: late (or early)
        if isinstance(value, bool) or (text is not None and not days_column and not _SIGNED_NUMBER.match(text)):
            return words(value)
        days = parse_number(value if text is None else text.replace("−", "-").lstrip("+").replace(" ", "", 1)
                            if _SIGNED_NUMBER.match(text) else text)
        if not isinstance(days, float):
            return words(value)
        days *= sign
        return "late" if days > 0 else ("on_time" if days == 0 else "early")

    return parse


_SIGNED_NUMBER = re.compile(r"^[+\-−]?\s*\d+([.,]\d+)?$")


def _count_or_tick(value: object) -> object:
    number = parse_number(value)
    if number is not vocab.INVALID:
        return number
    return True if profiles.parse_flag(value) is True else vocab.INVALID


def _timing_from_counts(raw: RawTable, cols: list[Mapped]) -> FieldValues:
    """Registers that keep timing as day counts under "Trước hạn | Đúng hạn | Quá hạn": the column
    that holds a number (0 included) is the dossier's timing; '-' or blank elsewhere."""
    code = np.full(len(raw.data), None, dtype=object)
    problems: list[Problem] = []
    for m in cols:
        # A day count (0 included) or a tick ("x", "✓") marks the dossier's column.
        counts, results, bad = _by_unique(raw.data[m.index], _count_or_tick)
        has = np.array([r is not None for r in results], dtype=bool)[counts]
        code = np.where((code == None) & has, np.array(m.role, dtype=object), code)  # noqa: E711 - elementwise
        problems.append((m, bad[counts], "invalid-number", {}))
    return FieldValues(
        pd.Categorical(code, categories=[c for c in ("early", "on_time", "late") if c in code]), problems
    )


def _cell_problems(raw: RawTable, mapped: list[Mapped]) -> list[Finding]:
    """Cells the reader saw hold something it could not read (an Excel error, a formula without
    its value), in columns the log uses: each an error at its cell, never taken for a blank."""
    used = {m.index: m for m in mapped if m.field}
    out = []
    for c in raw.cell_problems:
        if c.column is None:
            out.append(Finding(c.code, entry(c.code).severity, raw.file, raw.sheet, c.row, None, None, c.value,
                               message(c.code, value=c.value)))
        elif c.column in used:
            m = used[c.column]
            out.append(
                Finding(
                    c.code,
                    ERROR,
                    raw.file,
                    raw.sheet,
                    c.row,
                    m.column,
                    m.header,
                    c.value,
                    message(c.code, value=c.value),
                )
            )
    return out


def _numeric_ids(raw: RawTable, id_cols: list[Mapped], keep: np.ndarray) -> list[Finding]:
    """Ids Excel stored as numbers lose leading zeros: said once, for the rows that are records."""
    out = []
    for m in id_cols:
        if m.index not in raw.numeric_rows:
            continue
        rows = raw.numeric_rows[m.index]
        if rows is None or np.isin(raw.rows[keep], list(rows)).any():
            out.append(
                Finding(
                    "numeric-id",
                    WARNING,
                    raw.file,
                    raw.sheet,
                    None,
                    m.column,
                    m.header,
                    None,
                    message("numeric-id"),
                )
            )
    return out


_STR_IS_NULLABLE = int(pd.__version__.split(".")[0]) >= 3  # pandas 3's "str" keeps missing values missing


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
        series = series.astype(object).where(
            ~whole, series[whole].astype("int64").astype(str) if whole.any() else series
        )
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
        if _STR_IS_NULLABLE:
            return pd.Series(pd.array(values, dtype="str"), index=series.index)
        # pandas 2's "str" is Python's str: an empty id would become the text "None".
        return pd.Series(values.to_pandas(), index=series.index, dtype=object)
    # Cleaning can make two raw values one (" Tư pháp" and "Tư pháp"): factorize again.
    again, names = pd.factorize(pd.Series(values.to_pandas(), dtype="str" if _STR_IS_NULLABLE else object),
                                use_na_sentinel=True)
    final = np.where(codes >= 0, np.append(again, -1)[codes], -1)
    return pd.Series(pd.Categorical.from_codes(final, categories=pd.Index(names, dtype="str")), index=series.index)
