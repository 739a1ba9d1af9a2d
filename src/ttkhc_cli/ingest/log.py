"""One canonical table from one or many exports: read → map → normalise, rows accounted for.

Several files (one per month or per commune) are combined; every row keeps its file, sheet
and Excel row. When the same dossier appears twice (overlapping monthly exports), the later
row is kept, since later exports carry the later state, and the earlier is counted as excluded.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ttkhc_cli.domain import codes, units
from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.ingest import profiles as P
from ttkhc_cli.ingest.catalogue import entry, message
from ttkhc_cli.ingest.findings import (
    PER_COLUMN_CAP,
    WARNING,
    Finding,
    capped,
    cell_value,
)
from ttkhc_cli.ingest.mapping import Cells, Mapped, Matcher, map_headers
from ttkhc_cli.ingest.normalise import EXCLUDE_DUPLICATE, RAW, Settings, all_distinct, normalise, read_settings
from ttkhc_cli.io.checksum import sha256
from ttkhc_cli.io.read import ReadOptions, read
from ttkhc_cli.io.table import RawTable, run_of, stack


@dataclass
class FileInfo:
    file: str
    sheet: str | None
    header_row: int
    notes: list[str]
    mapping: list[Mapped]
    profile: str = P.COMMON  # the export profile the file was read with
    profile_title: str = ""
    profile_label: str = ""  # its short Vietnamese name ("mẫu xuất OpenCPS")
    present: set[str] = field(default_factory=set)  # the fields this table has
    unit: str | None = None  # the unit the table is of (one name), when it says or is told
    unit_from: str | None = None  # where that comes from: "option" (--unit), "column" or "banner"
    units: list[str] = field(default_factory=list)  # a unit column's names, when it holds several
    says: str | None = None  # the table's own unit (banner or column) when --unit overrides it

    @property
    def place(self) -> str:
        return self.file + (f" [{self.sheet}]" if self.sheet else "")


@dataclass
class Log:
    """A canonical log (cases, feedback or documents) with its row accounting and findings."""

    source: str
    frame: pd.DataFrame
    files: list[FileInfo]
    read: int
    excluded: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    present: set[str] = field(default_factory=set)

    @property
    def used(self) -> int:
        return len(self.frame)

    def column_of(self, file: str, field_name: str) -> tuple[str | None, str | None]:
        """The Excel column letter and original header of a field in one file."""
        for info in self.files:
            if info.file == file:
                for m in info.mapping:
                    if m.field == field_name:
                        return m.column, m.header
        return None, None

    def files_json(self) -> list[dict[str, Any]]:
        """Each file read: its sheet, header row, export profile and reading notes."""
        return [{"file": i.file, "sheet": i.sheet, "header_row": i.header_row, "profile": i.profile,
                 "profile_label": i.profile_label or i.profile, "notes": i.notes, "unit": i.unit,
                 "unit_from": i.unit_from, "units": i.units or None}
                for i in self.files]

    def rows_json(self) -> dict[str, Any]:
        return {"read": self.read, "used": self.used, "excluded": dict(self.excluded)}

    def mapping_json(self) -> list[dict[str, Any]]:
        out = []
        for info in self.files:
            for m in info.mapping:
                if m.rule == "blank":
                    continue
                out.append({
                    "file": info.file, "sheet": info.sheet, "header": m.header, "column": m.column,
                    "field": m.field, "rule": m.rule, "suggestion": m.suggestion, "date_order": m.order,
                })
        return out

    @property
    def has_ids(self) -> bool:
        """Whether the log has a dossier code column (some registers have none)."""
        return F.FIELDS[self.source][0].name in self.present


def read_log(paths: Sequence[str | Path], source: str = "cases", options: ReadOptions = ReadOptions(),
         overrides: dict[str, list[str]] | None = None, on_step: Callable[[str], None] | None = None,
         profile: P.Profile | None = None, unit: str | Sequence[str] | None = None) -> Log:
    """Read, map and normalise every file; combine them into one log (``on_step`` hears each file).

    Each file is read with its own export profile, recognised from its header, unless ``profile``
    names one for every file. Each table's unit is ``unit`` when given (the user's word for every
    file), else its unit column's, else its banner's; a table without a unit column gets one
    from the other two, so that files of several units split by unit like a unit column does.
    """
    parts, files, findings, distinct = [], [], [], []
    read_total = 0
    excluded: dict[str, int] = {}
    present: set[str] = set()
    findings += _same_files(paths)
    finder = Matcher(profile or P.union(), source, overrides, options.date_order)
    matchers: dict[str, Matcher] = {}  # by profile name

    def matcher_of(chosen: P.Profile) -> Matcher:
        # One matcher per profile for the run: building one expands the profile's vocabulary,
        # the bulk of a small file's time when a thousand files come at once.
        if chosen.name not in matchers:
            matchers[chosen.name] = Matcher(chosen, source, overrides, options.date_order)
        return matchers[chosen.name]

    def take(tables: list[tuple[RawTable, str | None, P.Profile]]) -> list[Read]:
        """Map and normalise tables of one header and profile; each is mapped and read as if
        alone, the tables that read alike normalised as one, and all kept in their order."""
        matcher = matcher_of(tables[0][2])
        if len(tables) == 1:
            raw = tables[0][0]
            return read_alike(tables, raw, [_units_by_cells(raw, map_headers(raw, matcher), overrides)], None)
        raw = stack([t for t, _, _ in tables])
        cells = Cells(raw.data, matcher.profile.date_formats)
        own = [_units_by_cells(t, map_headers(t, matcher, cells.at(part.start)), overrides)
               for (t, _, _), part in zip(tables, raw.parts)]
        settings = [read_settings(t, m, source) for (t, _, _), m in zip(tables, own)]
        # Files saved with other regional settings (one writes 13/01, another 01/13; one 1.500,
        # another 1,500), or whose cells tell another mapping: each kind read in its own way,
        # wherever its files lie among the others (a days-late column is blank in a month
        # without a late dossier: such files come and go).
        alike: dict[tuple[object, ...], list[int]] = {}
        for i, (m, s) in enumerate(zip(own, settings)):
            alike.setdefault((_reading(m), tuple(sorted(s.items()))), []).append(i)
        slots: list[Read | None] = [None] * len(tables)
        for group in alike.values():
            if len(group) == 1:
                run = tables[group[0]][0]
            elif group[-1] - group[0] == len(group) - 1:  # neighbours: a slice of the stack
                run = run_of(raw, group[0], group[-1] + 1)
            else:
                run = stack([tables[i][0] for i in group])
            got = read_alike([tables[i] for i in group], run, [own[i] for i in group], settings[group[0]])
            for i, one in zip(group, got):
                slots[i] = one
        return [one for one in slots if one is not None]

    def read_alike(tables: list[tuple[RawTable, str | None, P.Profile]], raw: RawTable,
                   mapped_each: list[list[Mapped]], settings: Settings | None) -> list[Read]:
        """Normalise tables that read alike as one (a stack, or one table): each keeps its own
        file, mapping, findings and notes."""
        nonlocal read_total
        chosen = tables[0][2]
        norm = normalise(raw, mapped_each[0], source, chosen, settings)
        del raw  # the raw cells are the largest object of a run: free them before the next table
        out, start = [], 0
        for (table, own, _), mapped, found, kept, left in zip(tables, mapped_each, norm.part_findings, norm.part_rows,
                                                              norm.part_excluded):
            frame = norm.frame if len(tables) == 1 else norm.frame.iloc[start:start + kept].reset_index(drop=True)
            start += kept
            info = FileInfo(table.file, table.sheet, table.header_row, [*table.notes, *_order_notes(mapped, options)],
                            mapped, chosen.name, chosen.title, chosen.label, set(norm.present))
            said = _mapping_findings(table.file, table.sheet, table.header_row, mapped, source)
            out.append(Read(info, _own_unit(info, frame, table.banner, own, source), [*said, *found], left))
        read_total += norm.read
        distinct.append(norm.ids_distinct)
        return out

    def keep(reads: list[Read]) -> None:
        for one in reads:
            findings.extend(one.findings)
            parts.append(one.frame)
            files.append(one.info)
            present.update(one.info.present)
            for k, v in one.excluded.items():  # in the files' order, as each read alone
                excluded[k] = excluded.get(k, 0) + v

    # Small tables with one header (monthly files of one system) are read as one stack: a
    # thousand two-row files cost one parse per column, not a thousand. Two systems' files
    # that come in turn (two communes' months, sorted by name) wait in a stack each; every
    # table keeps its place.
    slots: list[list[Read]] = []
    waiting: dict[tuple[object, ...], list[tuple[int, tuple[RawTable, str | None, P.Profile]]]] = {}
    waiting_rows: dict[tuple[object, ...], int] = {}

    def flush(key: tuple[object, ...]) -> None:
        tables = waiting.pop(key)
        waiting_rows.pop(key)
        for (slot, _), got in zip(tables, take([t for _, t in tables])):
            slots[slot] = [got]

    for nth, path in enumerate(paths):
        own = unit if unit is None or isinstance(unit, str) else unit[nth]
        if on_step:
            on_step(f"Đang đọc {path}")
        for raw in read(path, source, options, finder.field_of):
            chosen = profile or P.detect([*raw.labels, *(g for g in raw.groups if g)])[0]
            slots.append([])
            if len(raw.data) > STACK_TABLE_ROWS:
                slots[-1] = take([(raw, own, chosen)])
                del raw
                continue
            key = (chosen.name, raw.shape_key())
            if key in waiting and waiting_rows[key] + len(raw.data) > STACK_ROWS:
                flush(key)
            elif key not in waiting and len(waiting) >= STACKS_AT_ONCE:
                flush(next(iter(waiting)))  # the stack waiting longest
            waiting.setdefault(key, []).append((len(slots) - 1, (raw, own, chosen)))
            waiting_rows[key] = waiting_rows.get(key, 0) + len(raw.data)
            del raw
    while waiting:
        flush(next(iter(waiting)))
    for one in slots:
        keep(one)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    log = Log(source, frame, files, read_total, excluded, findings, present)
    log.findings += _overrides_unused(overrides, log)
    log.findings += _columns_missing_in_some(log)
    if not log.has_ids:
        log.findings.append(_no_ids(log))
    elif distinct != [True]:  # several files, or one with a repeated id: look for duplicates
        _dedupe(log)
    return log


@dataclass
class Read:
    """One table as read: its file's account, its rows, its findings (mapping's first)."""

    info: FileInfo
    frame: pd.DataFrame
    findings: list[Finding]
    excluded: dict[str, int]  # its rows left out, by reason


def _reading(mapped: list[Mapped]) -> tuple[object, ...]:
    """What of a table's mapping decides how its cells are read: tables of a stack are read as
    one only when theirs are the same (the examples a finding shows may differ; a column no field
    reads, set aside in one file for its dates and in another as blank, decides nothing)."""
    return tuple((m.index, m.field, m.rule, m.role, m.order) for m in mapped if m.field)


# Each table of a stack decides for itself (date order, decimal mark, the content checks of
# map_headers, the unit column, the day-count blank rule): a stack only shares the parsing.
STACK_TABLE_ROWS = 5_000  # a table this small is stacked with the next ones of its header
STACK_ROWS = 100_000  # at most this many rows in one stack
STACKS_AT_ONCE = 8  # stacks of other headers waiting at once (files of several systems in turn)


def _units_by_cells(raw: RawTable, mapped: list[Mapped], overrides: dict[str, list[str]] | None) -> list[Mapped]:
    """A department column whose every cell names a unit ("Đơn vị": "UBND xã Đắk Rơ Va", "Xã Tân
    Lập", "Phường 3") is the unit column, whether it was read as the department or set aside as a
    second one; a department column it displaced is used again."""
    if any(m.field == "unit" for m in mapped) or "department" in (overrides or {}):
        return mapped
    # A column set aside as a second department is the unit only when headed "Đơn vị" and naming
    # one unit: an agency column of a dossier passed up ("UBND huyện …" on some rows) is no unit.
    candidates = [m for m in mapped if m.field == "department"
                  or (m.rule == "duplicate" and m.suggestion == "department" and units.fold(m.header) == "don vi")]
    found = next((m for m in candidates if _names_units(raw.data[m.index], m.field == "department")), None)
    if found is None:
        return mapped
    displaced = found.field == "department"
    out = []
    for m in mapped:
        if m is found:
            out.append(dataclasses.replace(m, field="unit", rule="content", suggestion=None))
        elif displaced and m.rule == "duplicate" and m.suggestion == "department":
            out.append(dataclasses.replace(m, field="department", rule="alias", suggestion=None))
            displaced = False  # one displaced column comes back
        else:
            out.append(m)
    return out


def _names_units(column: pd.Series, several: bool) -> bool:
    """Every distinct cell (of the first ``SAMPLE_NAMES``) names a unit (a department is no
    "Xã …" and no "UBND …"); only one unit unless ``several`` may be."""
    cells = column.dropna().astype(str).str.strip()
    names = [v for v in cells.unique()[:SAMPLE_NAMES] if v]
    if not several and len({units.key(v) for v in names}) > 1:
        return False
    return bool(names) and all(units.names_unit(v) for v in names)


SAMPLE_NAMES = 200  # distinct cells looked at to tell a unit column from a department column


def _own_unit(info: FileInfo, frame: pd.DataFrame, banner: list[str], given: str | None,
              source: str) -> pd.DataFrame:
    """The unit of one table: ``given`` (--unit), else its unit column's one name, else its
    banner's; filled into the table's unit column when it has none (or when given). Returns
    the table with it."""
    names = [] if "unit" not in frame else [str(x) for x in frame["unit"].dropna().unique()]
    if given:
        info.unit, info.unit_from = given, "option"
        info.says = names[0] if len(names) == 1 else units.from_banner(banner)
    elif len(names) == 1:
        info.unit, info.unit_from = names[0], "column"
    elif len(names) > 1:
        info.unit_from, info.units = "column", sorted(names)
        return frame
    elif (named := units.from_banner(banner)) is not None:
        info.unit, info.unit_from = named, "banner"
    if info.unit is not None and info.unit_from != "column":
        # One name for every row, held once (a categorical, like the other text columns).
        frame = frame.assign(unit=_constant(info.unit, frame.index))
        info.present.add("unit")
    tier = units.tier(info.unit)
    if info.unit is not None and tier is not None and "level" not in frame and source == "cases":
        # A log without a level column is its unit's own level: a commune's dossiers stay commune
        # level when a province's plan counts them (the plan's own level is the default otherwise).
        frame = frame.assign(level=_constant(codes.LEVELS[tier], frame.index))
        info.present.add("level")
    return frame


def _constant(value: str, index: pd.Index) -> pd.Series:
    return pd.Series(pd.Categorical.from_codes(np.zeros(len(index), dtype=np.int8), [value]), index=index)


def read_raw(path: str | Path, source: str = "cases", options: ReadOptions = ReadOptions()) -> list[RawTable]:
    """One file's raw table(s), the header found with every profile's knowledge (no mapping yet)."""
    return read(path, source, options, Matcher(P.union(), source).field_of)


def _same_files(paths: Sequence[str | Path]) -> list[Finding]:
    """The same file given twice is refused (its dossiers would count twice); two files with the
    same content are said (a copy saved under another name), once."""
    if len(paths) < 2:
        return []
    seen: dict[object, str] = {}
    for path in paths:
        try:
            key = os.path.realpath(path), os.stat(path).st_ino
        except OSError:
            continue  # the reader says what is wrong with it
        if key[0] in seen or key in seen:
            raise InputFileError(f"{path}: tệp được đưa vào hai lần (cùng tệp với {seen.get(key[0], seen.get(key))})")
        seen[key[0]] = seen[key] = str(path)
    out: list[Finding] = []
    digests: dict[str, str] = {}
    for path in paths:
        try:
            digest = sha256(path)
        except OSError:
            continue
        if digest in digests:
            out.append(Finding("identical-files", WARNING, str(path), None, None, None, None, None,
                               message("identical-files", other=digests[digest])))
        digests.setdefault(digest, str(path))
    return out


def _columns_missing_in_some(log: Log) -> list[Finding]:
    """A column some tables have and another lacks: that table's rows cannot reach a numerator
    that needs it; said per table (the indicators then leave those rows out, see kpi.compute)."""
    if len(log.files) < 2:
        return []
    out = []
    for info in log.files:
        lacking = sorted(log.present - info.present, key=[f.name for f in F.FIELDS[log.source]].index)
        if lacking:
            names = ", ".join(F.label(log.source, x) for x in lacking)
            out.append(Finding("missing-column-in-file", WARNING, info.file, info.sheet, None, None, None, None,
                               message("missing-column-in-file", names=names)))
    return out


def _no_ids(log: Log) -> Finding:
    label = F.label(log.source, F.FIELDS[log.source][0].name)
    return Finding("no-id-column", WARNING, files_of(log), None, None, None, None, None,
                   message("no-id-column", label=label))


ORDER_WORDS = {"mdy": "tháng trước (tháng/ngày/năm)", "ymd": "năm trước (năm/tháng/ngày)",
               "dmy": "ngày trước (ngày/tháng/năm)"}


def _order_notes(mapped: list[Mapped], options: ReadOptions) -> list[str]:
    """Say how text dates were read when it is not the usual day-first (or the user chose it)."""
    by_order: dict[str, list[str]] = {}
    for m in mapped:
        if m.field and m.order in ORDER_WORDS:
            by_order.setdefault(m.order, []).append(m.column)
    out = []
    for order, columns in by_order.items():
        if order != "dmy" or options.date_order:
            how = "theo --date-order" if options.date_order else "nhận từ giá trị các ô"
            out.append(f"ngày viết {ORDER_WORDS[order]}, {how}: cột {', '.join(columns)}")
    return out


def _mapping_findings(file: str, sheet: str | None, header_row: int, mapped: list[Mapped],
                      source: str) -> list[Finding]:
    out = []
    for m in mapped:
        if m.rule == "duplicate":
            out.append(Finding("duplicate-header", WARNING, file, sheet, header_row, m.column, m.header, m.header,
                               message("duplicate-header", label=F.label(source, m.suggestion or ""))))
        elif m.rule == "not-dates":
            out.append(Finding("header-not-date", WARNING, file, sheet, header_row, m.column, m.header, m.header,
                               message("header-not-date", label=F.label(source, m.suggestion or ""))))
        if m.field and m.other:
            out.append(Finding("header-rows-disagree", WARNING, file, sheet, header_row, m.column, m.header, m.header,
                               message("header-rows-disagree", label=F.label(source, m.field),
                                       other=F.label(source, m.other))))
        if m.field and m.mixed:
            out.append(Finding("date-order-mixed", WARNING, file, sheet, header_row, m.column, m.header, m.header,
                               message("date-order-mixed", order=ORDER_WORDS.get(m.order or "dmy", ""))))
        if m.rule == "not-codes":
            out.append(Finding("header-not-codes", WARNING, file, sheet, header_row, m.column, m.header, m.header,
                               message("header-not-codes", label=F.label(source, m.suggestion or ""),
                                       examples=", ".join(f"«{v}»" for v in m.examples))))
        elif m.rule == "unused-dates":
            out.append(Finding("unused-date-column", WARNING, file, sheet, header_row, m.column, m.header, m.header,
                               message("unused-date-column")))
        elif m.rule == "unmapped" and m.suggestion:
            out.append(Finding("unmapped-header", WARNING, file, sheet, header_row, m.column, m.header, m.header,
                               message("unmapped-header", label=F.label(source, m.suggestion), field=m.suggestion)))
    return out


def _overrides_unused(overrides: dict[str, list[str]] | None, log: Log) -> list[Finding]:
    """--columns entries no header of the files matched: said, never dropped silently. For the
    case log every entry of its fields; for the other logs (read from other sheets, which the
    map may not be meant for) only an entry of a field of their own that they lack: a field the
    case log has too ("department") is the case log's to say."""
    source = log.source
    kinds = {f.name for f in F.FIELDS[source]}
    applied = {m.field for info in log.files for m in info.mapping if m.rule == "override"}
    shared = {f.name for f in F.FIELDS["cases"]} if source != "cases" else set()
    out = []
    for name, heads in (overrides or {}).items():
        if name not in kinds or name in applied or name in shared or (source != "cases" and name in log.present):
            continue
        shown = ", ".join(f"«{h}»" for h in heads)
        out.append(Finding("column-map-unused", WARNING, files_of(log), None, None, None, None, shown,
                           message("column-map-unused", value=shown, field=name, label=F.label(source, name))))
    return out


def _dedupe(log: Log) -> None:
    id_field = F.FIELDS[log.source][0].name
    frame = log.frame
    if id_field not in frame or frame.empty:
        return
    ids = frame[id_field]
    if all_distinct(ids):
        return  # the usual case, every id once: one hash pass, no second one to mark duplicates
    # A code is a dossier's within its unit: two communes' files may both hold "…-0001".
    key = ids
    if "unit" in frame and frame["unit"].nunique(dropna=True) > 1:
        # A row of no unit (a file without a banner beside files with one) is one unit, "":
        # pandas gives a missing unit's text as missing, which made its key missing (never a duplicate).
        unit = frame["unit"].astype(object).where(frame["unit"].notna(), "").astype(str)
        key = ids.astype(object).where(ids.isna(), ids.astype(str) + "\x00" + unit)
        if all_distinct(key):
            return
    dup = (key.notna() & key.duplicated(keep="last")).to_numpy()
    kept = frame[ids.notna()].assign(_key=key).drop_duplicates("_key", keep="last").set_index("_key")
    label = F.label(log.source, id_field)

    def one(i: int) -> Finding:
        later = kept.loc[key.iat[i]]
        file, sheet, row = frame.at[i, "_file"], frame.at[i, "_sheet"], int(frame.at[i, "_row"])
        letter, header = log.column_of(file, id_field)
        return Finding("duplicate-id", WARNING, file, sheet, row, letter, header, ids.iat[i],
                       message("duplicate-id", label=label, value=ids.iat[i], later_row=int(later["_row"]),
                               later_file=later["_file"]))

    log.findings += capped(dup.nonzero()[0], one, lambda n: Finding(
        "duplicate-id", WARNING, None, None, None, None, label, None, f"… và {n} dòng khác trùng {label}"))
    log.excluded[EXCLUDE_DUPLICATE] = log.excluded.get(EXCLUDE_DUPLICATE, 0) + int(dup.sum())
    log.frame = frame[~dup].reset_index(drop=True)


def files_of(log: Log) -> str:
    """The log's files as one text, for findings about the whole log."""
    return ", ".join(dict.fromkeys(f.file for f in log.files))


def row_findings(log: Log, mask: np.ndarray, field_name: str, code: str, **params: object) -> list[Finding]:
    """One finding per row of ``mask`` (capped), at the row's file, sheet, Excel row and the field's
    column; severity and message are the code's (``params`` fill its template)."""
    frame = log.frame
    severity = entry(code).severity
    rows = np.flatnonzero(mask)
    if not len(rows):
        return []
    shown = dict(zip(rows[:PER_COLUMN_CAP].tolist(), raw_values(log, field_name, rows[:PER_COLUMN_CAP])))

    def one(i: int) -> Finding:
        file = frame.at[i, "_file"]
        letter, header = log.column_of(file, field_name)
        value = cell_value(shown.get(i))
        return Finding(code, severity, file, frame.at[i, "_sheet"], int(frame.at[i, "_row"]),
                       letter, header, value, message(code, value=value, **params))

    return capped(rows, one, lambda n: Finding(
        code, severity, files_of(log), None, None, None, None, None, f"… và {n} dòng khác cùng lỗi"))


def raw_values(log: Log, field_name: str, rows: np.ndarray) -> list[object]:
    """A field's cells at ``rows`` as typed ("Đang chờ", "-5.000") where the log keeps them, else
    its values (dates as dates)."""
    frame = log.frame
    name = RAW + field_name if RAW + field_name in frame else field_name
    if name not in frame:
        return [None] * len(rows)
    return frame[name].iloc[rows].astype(object).tolist()
