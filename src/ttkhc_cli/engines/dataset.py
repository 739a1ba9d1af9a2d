"""A Parquet dataset of canonical logs: what `ttkhc convert` writes and the SQL engines read.

    DATASET/
      manifest.json                     every source converted: file, SHA-256, unit, rows, columns
      cases/unit=<u>/year=<y>/month=<m>/part-<source>.parquet
      feedback/…, documents/…           the other logs, partitioned the same way
      findings/part-<source>.parquet    the checks' findings, with the unit

A source is a file converted for a unit; converting it again replaces its parts and its manifest
entry, never adds a second copy. The manifest is the dataset's truth: only the parts it lists are
read (another Parquet file in the folder, a stray copy, is reported and left out), and a dossier
converted from two sources counts once, from the later conversion (the rule of two files).

A conversion is a transaction under a lock on the folder: the new parts are written under new
names (``part-<source>-<generation>``) beside the old ones, the manifest is swapped atomically,
and only then are the old parts removed. An interrupted conversion leaves the dataset as it was
(its new parts are strays, removed by the next conversion of the same source); two conversions
at once wait for each other instead of losing one's manifest entry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain.errors import InputFileError, UsageError
from ttkhc_cli.ingest.findings import WARNING, Finding, summary
from ttkhc_cli.ingest.log import FileInfo, Log
from ttkhc_cli.ingest.normalise import EXCLUDE_DUPLICATE
from ttkhc_cli.io.checksum import sha256
from ttkhc_cli.io.lock import locked

MANIFEST = "manifest.json"
FINDING_COLUMNS = ("code", "severity", "file", "sheet", "row", "column", "header", "value", "message", "unit", "source")
FORMAT = "ttkhc-dataset"
VERSION = 2  # 2: the manifest names each source's parts
LOGS = ("cases", "feedback", "documents")
PARTITION_DATE = {"cases": "received_at", "feedback": "received_at", "documents": "date"}
NO_UNIT = "(không ghi)"


def is_dataset(path: Path) -> bool:
    return path.is_dir() and (path / MANIFEST).is_file()


def refuse_foreign(root: Path, locked: bool = False) -> None:
    """A folder that holds other files than a dataset is never written into. Before the lock, a
    folder another conversion is making (its lock there, no manifest yet) is let through; under
    the lock no one else is writing, so files without a manifest are foreign (or the rest of a
    conversion that was killed) and refused."""
    from ttkhc_cli.io.lock import LOCK_NAME

    if not root.is_dir() or is_dataset(root):
        return
    others = any(p.name != LOCK_NAME for p in root.iterdir())
    if others and (locked or not (root / LOCK_NAME).exists()):
        raise UsageError(f"{root}: thư mục đã có tệp khác, không phải bộ dữ liệu của ttkhc; chọn thư mục trống")


def source_id(file: Path, unit: str | None) -> str:
    """A source's identity: the same file converted for the same unit is the same source."""
    key = f"{unit or ''}\0{file.resolve()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


_DTYPES = {"date": "datetime64[us]", "flag": "boolean", "money": "float64", "number": "float64"}


def _canonical(frame: pd.DataFrame, unit: str | None, source: str = "cases") -> pd.DataFrame:
    """The frame as stored: every canonical field (a column the export lacks is an empty column of
    its type, so a warehouse can run `ttkhc sql` on the files as they are), categories as text, the
    raw-cell columns dropped, the unit filled."""
    out = {}
    for c in frame.columns:
        if str(c).startswith("_raw:"):
            continue
        col = frame[c]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype(object).where(col.notna(), None).astype("string")
        out[c] = col
    df = pd.DataFrame(out, index=frame.index)
    for f in F.FIELDS[source]:
        if f.name not in df:
            dtype = _DTYPES.get(f.kind, "string")
            df[f.name] = pd.Series(pd.array([None] * len(df), dtype=dtype), index=df.index)
    if unit is not None:
        df["unit"] = pd.Series(unit, index=df.index, dtype="string")
    elif "unit" not in df:
        df["unit"] = pd.Series(None, index=df.index, dtype="string")
    return df.reset_index(drop=True)


def _part_value(value: object) -> str:
    return urllib.parse.quote(str(value), safe="") if value not in (None, "") else "__none__"


def _write_atomic(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    # Microsecond times: the unit every engine reads (Spark refuses nanoseconds).
    _write_atomic(path, lambda p: pq.write_table(table, p, compression="zstd", coerce_timestamps="us",
                                                 allow_truncated_timestamps=True))


def _generation() -> str:
    """A new name for one conversion's parts: unique across processes and runs."""
    return f"{time.time_ns():x}{os.getpid():x}"


def _parts_of(root: Path, sid: str, entry: dict[str, Any]) -> list[Path]:
    """Every part a source's manifest entry names (a dataset of version 1 named none: its parts
    are ``part-<source>.parquet``)."""
    listed = entry.get("parts")
    if isinstance(listed, dict):
        names = [n for log in listed.values() if isinstance(log, list) for n in log]
        names += [entry["findings_part"]] if isinstance(entry.get("findings_part"), str) else []
        return [root / n for n in names if isinstance(n, str)]
    return list(root.rglob(f"part-{sid}.parquet"))


def _remove(root: Path, files: list[Path]) -> None:
    """Remove files (already gone is fine) and the partition folders left empty."""
    for f in files:
        with contextlib.suppress(FileNotFoundError):
            f.unlink()
    for d in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(d.iterdir()):
            d.rmdir()


def _strays_of(root: Path, sid: str, keep: set[Path]) -> list[Path]:
    """A source's parts the manifest does not name: left by an interrupted conversion."""
    return [p for p in root.rglob(f"part-{sid}*.parquet") if p not in keep]


@dataclass
class Converted:
    source: str
    file: str
    unit: str | None
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    findings: dict[str, Any] = field(default_factory=dict)
    replaced: bool = False


def _refuse_other_unit(manifest: dict[str, Any], sid: str, file: Path, digest: str, unit: str | None) -> None:
    """The same content converted under two unit names would count its dossiers twice, once for
    a unit they are not of: refused, naming the earlier conversion."""
    from ttkhc_cli.domain import units

    for other_id, other in manifest["sources"].items():
        if other_id == sid or other.get("sha256") != digest:
            continue
        if not units.same(other.get("unit"), unit) and (other.get("unit") or unit):
            before = other.get("unit") or "(không ghi đơn vị)"
            raise InputFileError(
                f"{file}: nội dung giống hệt tệp {other.get('file')} đã chuyển cho đơn vị {before}; một sổ không "
                f"thể là của hai đơn vị ({unit or '(không ghi đơn vị)'} và {before}): kiểm tra --unit, hoặc chuyển "
                "vào thư mục mới")


def write_source(root: Path, file: Path, unit: str | None, logs: list[Log], findings: list[Finding]) -> Converted:
    """Write one source's logs and findings into the dataset, replacing an earlier conversion:
    new parts first, then the manifest swapped, then the old parts removed, all under the lock."""
    with locked(root):
        refuse_foreign(root, locked=True)
        return _write_source(root, file, unit, logs, findings)


def _write_source(root: Path, file: Path, unit: str | None, logs: list[Log], findings: list[Finding]) -> Converted:
    manifest: dict[str, Any] = (read_manifest(root) if (root / MANIFEST).exists()
                                else {"format": FORMAT, "version": VERSION, "sources": {}})
    sources = _sources(manifest, root / MANIFEST)
    sid = source_id(file, unit)
    digest = sha256(file)
    _refuse_other_unit(manifest, sid, file, digest, unit)
    before = sources.get(sid)
    old = _parts_of(root, sid, before) if before else []
    gen = _generation()
    entry: dict[str, Any] = {"file": str(file), "sha256": digest, "unit": unit,
                             "converted_at": dt.datetime.now().replace(microsecond=0).isoformat(),
                             "sequence": 1 + max((_sequence(e) for e in sources.values()), default=0),
                             "logs": {}, "parts": {}}
    for log in logs:
        frame = _canonical(log.frame, unit, log.source)
        date_col = PARTITION_DATE[log.source]
        dates = frame[date_col] if date_col in frame else pd.Series(pd.NaT, index=frame.index)
        keys = pd.DataFrame({"unit": frame["unit"].astype(object).where(frame["unit"].notna(), None),
                             "year": dates.dt.year, "month": dates.dt.month})
        written = []
        for (u, y, m), part in frame.groupby([keys["unit"].fillna(""), keys["year"].fillna(-1),
                                              keys["month"].fillna(-1)], sort=True, dropna=False):
            rel = (Path(log.source) / f"unit={_part_value(u)}" / f"year={int(y) if y >= 0 else '__none__'}"
                   / f"month={int(m) if m >= 0 else '__none__'}" / f"part-{sid}-{gen}.parquet")
            _write_parquet(part, root / rel)
            written.append(rel.as_posix())
        entry["parts"][log.source] = written
        entry["logs"][log.source] = {
            "rows": log.rows_json(),
            "present": sorted(log.present | ({"unit"} if unit is not None or "unit" in log.present else set())),
            "files": [{"file": i.file, "sheet": i.sheet, "header_row": i.header_row, "profile": i.profile,
                       "notes": i.notes, "present": sorted(i.present), "unit": i.unit, "unit_from": i.unit_from,
                       "units": i.units} for i in log.files],
        }
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{**f.to_json(), "unit": unit, "source": sid} for f in findings]
    for r in rows:
        r["value"] = None if r["value"] is None else str(r["value"])
    # A fixed schema, so that a source without findings still has typed (not null) columns.
    schema = pa.schema([(c, pa.int64() if c == "row" else pa.string()) for c in FINDING_COLUMNS])
    table = pa.Table.from_pylist(rows, schema=schema)
    entry["findings_part"] = f"findings/part-{sid}-{gen}.parquet"
    _write_atomic(root / entry["findings_part"], lambda p: pq.write_table(table, p, compression="zstd"))
    entry["findings"] = summary(findings)
    manifest["sources"][sid] = entry
    manifest["version"] = VERSION
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    _write_atomic(root / MANIFEST, lambda p: p.write_text(text, encoding="utf-8"))
    kept = set(_parts_of(root, sid, entry))
    _remove(root, [p for p in old if p not in kept] + _strays_of(root, sid, kept | set(old)))
    return Converted(sid, str(file), unit, {k: v["rows"] for k, v in entry["logs"].items()}, entry["findings"],
                     before is not None)


def _sequence(entry: dict[str, Any]) -> int:
    value = entry.get("sequence")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def read_manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputFileError(f"{path}: không đọc được danh mục của bộ dữ liệu ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("sources"), dict):
        raise InputFileError(f"{path}: không phải danh mục bộ dữ liệu của ttkhc (tạo bằng: ttkhc convert)")
    return data


# ------------------------------------------------------------------ reading a dataset back

class DatasetLog(Log):
    """A log that lives in Parquet files: its rows are counted by SQL, not held in memory."""

    def __init__(self, source: str, files: list[FileInfo], read: int, used: int, excluded: dict[str, int],
                 present: set[str], parquet: list[str]):
        super().__init__(source=source, frame=pd.DataFrame(), files=files, read=read, excluded=excluded,
                         present=present)
        self.rows_used = used
        self.parquet = parquet
        self.ranked: list[tuple[int, str]] = [(0, p) for p in parquet]  # (the source's order, the part)
        self.duplicates = 0  # rows repeating a dossier of a later source: left out by the engines
        self.columns: list[str] = []  # the parts' columns

    @property
    def used(self) -> int:
        return self.rows_used


@dataclass
class Dataset:
    root: Path
    logs: dict[str, DatasetLog]
    findings: dict[str, Any]  # counts by severity and code, over every source
    bad_files: list[str]  # parts that cannot be read or are of another schema: reported, left out
    extra_files: list[str] = field(default_factory=list)  # Parquet files the manifest does not name: left out
    findings_parts: list[str] = field(default_factory=list)  # the sources' findings files, in order


def _sources(manifest: dict[str, Any], path: Path) -> dict[str, dict[str, Any]]:
    """The manifest's sources, each checked for the types the tool reads from it: a value of
    another type is named by its key, never an internal error later."""
    def bad(key: str, what: str) -> InputFileError:
        return InputFileError(f"{path}: khóa {key} phải là {what}; danh mục bị sửa hoặc hỏng (chuyển lại bằng "
                              "ttkhc convert vào thư mục mới)")

    def count(value: object, key: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise bad(key, "một số nguyên không âm")

    for sid, entry in manifest["sources"].items():
        at = f"sources.{sid}"
        if not isinstance(entry, dict):
            raise bad(at, "một bảng")
        logs = entry.get("logs", {})
        if not isinstance(logs, dict):
            raise bad(f"{at}.logs", "một bảng")
        for name, info in logs.items():
            if not isinstance(info, dict) or not isinstance(info.get("rows", {}), dict):
                raise bad(f"{at}.logs.{name}", "một bảng có rows")
            rows = info.get("rows", {})
            for k in ("read", "used"):
                count(rows.get(k, 0), f"{at}.logs.{name}.rows.{k}")
            excluded = rows.get("excluded") or {}
            if not isinstance(excluded, dict):
                raise bad(f"{at}.logs.{name}.rows.excluded", "một bảng")
            for reason, n in excluded.items():
                count(n, f"{at}.logs.{name}.rows.excluded.{reason}")
            files = info.get("files", [])
            if not isinstance(info.get("present", []), list) or not isinstance(files, list) \
                    or not all(isinstance(fi, dict) and isinstance(fi.get("file"), str) for fi in files):
                raise bad(f"{at}.logs.{name}.files", "một danh sách tệp")
        parts = entry.get("parts")
        if parts is not None and not (isinstance(parts, dict) and all(
                isinstance(v, list) and all(isinstance(x, str) for x in v) for v in parts.values())):
            raise bad(f"{at}.parts", "một bảng các danh sách tệp")
        found = entry.get("findings") or {}
        if not isinstance(found, dict) or not isinstance(found.get("by_code") or {}, dict):
            raise bad(f"{at}.findings", "một bảng")
        for k in ("error", "warning"):
            count(found.get(k, 0), f"{at}.findings.{k}")
        for code, n in (found.get("by_code") or {}).items():
            count(n, f"{at}.findings.by_code.{code}")
    return manifest["sources"]


# The Arrow types a field of each kind may be stored as (another is a part of another schema).
_STORED = {
    "date": lambda t: pa_types().is_timestamp(t) or pa_types().is_date(t) or pa_types().is_null(t),
    "flag": lambda t: pa_types().is_boolean(t) or pa_types().is_null(t),
    "money": lambda t: pa_types().is_floating(t) or pa_types().is_integer(t) or pa_types().is_null(t),
    "number": lambda t: pa_types().is_floating(t) or pa_types().is_integer(t) or pa_types().is_null(t),
}


def pa_types() -> Any:
    import pyarrow.types

    return pyarrow.types


def _schema_problem(source: str, schema: Any) -> str | None:
    """Why a part cannot be read with the others (a field stored as another type), or None."""
    kinds = {f.name: f.kind for f in F.FIELDS[source]}
    for col in schema:
        kind = kinds.get(col.name)
        ok = _STORED.get(kind or "", lambda t: pa_types().is_string(t) or pa_types().is_large_string(t)
                         or pa_types().is_null(t) or pa_types().is_dictionary(t))
        if kind is not None and not ok(col.type):
            return f"cột {col.name} có kiểu {col.type}"
    return None


@dataclass
class _LogParts:
    read: int = 0
    used: int = 0
    excluded: dict[str, int] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)
    files: list[FileInfo] = field(default_factory=list)
    ranked: list[tuple[int, str]] = field(default_factory=list)  # (the source's order, a part's path)


def open_dataset(root: Path) -> Dataset:
    """The dataset's logs as the manifest describes them. Only the parts it names are read; a part
    that cannot be read, or stored in another schema, is named and left out; a Parquet file it
    does not name is named and left out; a dossier of two sources counts once, from the later."""
    import pyarrow.parquet as pq

    manifest = read_manifest(root)
    sources = _sources(manifest, root / MANIFEST)
    order = sorted(sources, key=lambda sid: (_sequence(sources[sid]), str(sources[sid].get("converted_at", "")), sid))
    per_log: dict[str, _LogParts] = {}
    errors, warnings = 0, 0
    by_code: dict[str, int] = {}
    named: set[Path] = set()
    findings_parts: list[str] = []
    for rank, sid in enumerate(order):
        entry = sources[sid]
        f = entry.get("findings") or {}
        errors += int(f.get("error", 0))
        warnings += int(f.get("warning", 0))
        for code, n in (f.get("by_code") or {}).items():
            by_code[code] = by_code.get(code, 0) + int(n)
        listed = entry.get("parts")
        for name, info in (entry.get("logs") or {}).items():
            acc = per_log.setdefault(name, _LogParts())
            rows = info.get("rows", {})
            acc.read += int(rows.get("read", 0))
            acc.used += int(rows.get("used", 0))
            for reason, n in (rows.get("excluded") or {}).items():
                acc.excluded[reason] = acc.excluded.get(reason, 0) + int(n)
            acc.present |= set(info.get("present", []))
            for fi in info.get("files", []):
                acc.files.append(FileInfo(file=fi["file"], sheet=fi.get("sheet"), header_row=fi.get("header_row", 1),
                                          notes=list(fi.get("notes", [])), mapping=[], profile=fi.get("profile", ""),
                                          present=set(fi.get("present", [])),
                                          unit=fi.get("unit") or entry.get("unit"),
                                          unit_from=fi.get("unit_from") or ("option" if entry.get("unit") else None),
                                          units=list(fi.get("units") or [])))
            paths = ([root / n for n in listed.get(name, [])] if isinstance(listed, dict)
                     else sorted((root / name).rglob(f"part-{sid}.parquet")))
            named |= set(paths)
            acc.ranked += [(rank, str(p)) for p in paths]
        found_at = ([root / entry["findings_part"]] if isinstance(entry.get("findings_part"), str)
                    else sorted((root / "findings").glob(f"part-{sid}.parquet")))
        findings_parts += [str(p) for p in found_at]
        named |= set(found_at)
    logs: dict[str, DatasetLog] = {}
    bad: list[str] = []
    for name, acc in per_log.items():
        good: list[tuple[int, str]] = []
        columns: dict[str, None] = {}
        for rank, part in acc.ranked:
            try:
                schema = pq.read_schema(part)
                problem = _schema_problem(name, schema)
            except Exception:  # noqa: BLE001 - a missing file or any unreadable footer: named, not fatal
                problem = "unreadable"
            if problem is None:
                good.append((rank, part))
                columns.update(dict.fromkeys(schema.names))
            else:
                bad.append(part)
        if not good:
            continue
        present = acc.present | {"_file", "_sheet", "_row"}
        log = DatasetLog(name, acc.files, acc.read, acc.used, acc.excluded, present, [p for _, p in good])
        log.ranked = good
        log.columns = list(columns)
        log.duplicates = _duplicates_across(name, good)
        if log.duplicates:
            log.rows_used -= log.duplicates
            log.excluded[EXCLUDE_DUPLICATE] = log.excluded.get(EXCLUDE_DUPLICATE, 0) + log.duplicates
            by_code["duplicate-id"] = by_code.get("duplicate-id", 0) + log.duplicates
            warnings += log.duplicates
        logs[name] = log
    readable = []
    for part in findings_parts:  # a findings part the manifest names but that is gone or damaged: named
        try:
            pq.read_schema(part)
            readable.append(part)
        except Exception:  # noqa: BLE001 - a missing file or any unreadable footer: named, not fatal
            bad.append(part)
    extra = sorted(str(p) for p in root.rglob("*.parquet") if p not in named and not p.name.startswith("."))
    return Dataset(root, logs, {"error": errors, "warning": warnings, "by_code": dict(sorted(by_code.items()))},
                   bad, extra, readable)


def _duplicates_across(source: str, parts: list[tuple[int, str]]) -> int:
    """How many rows repeat a dossier (its id within its unit) of another source: one source's
    rows are unique already (convert kept the later of two), so a dossier can repeat only in a
    unit two sources share. The units of each part are read first (one column, cheap); only the
    rows of shared units are counted, under a memory limit: ten million dossiers of a hundred
    communes converted one by one share none, and need no count."""
    if len({rank for rank, _ in parts}) < 2:
        return 0
    import duckdb
    from sqlglot import exp

    from ttkhc_cli.engines.duck import default_memory_limit
    from ttkhc_cli.io.scratch import run_dir

    rank_of = {path: rank for rank, path in parts}
    con = duckdb.connect()
    con.execute("SET memory_limit = ?", [default_memory_limit()])
    con.execute("SET temp_directory = ?", [str(run_dir() / "duckdb")])
    try:
        ranks_of: dict[object, set[int]] = {}
        unknown = []
        for path, rank in rank_of.items():  # a part of one unit says so in its statistics
            one = _single_unit(path)
            if one is None:
                unknown.append(path)
            else:
                ranks_of.setdefault(one[0], set()).add(rank)
        if unknown:
            units = exp.select(exp.column("filename"), exp.column("unit")).distinct().from_(
                parquet_scan(unknown, True))
            for path, unit in con.execute(units.sql("duckdb")).fetchall():
                ranks_of.setdefault(unit, set()).add(rank_of.get(path, -1))
        shared = [u for u, ranks in ranks_of.items() if len(ranks) > 1]
        if not shared:
            return 0
        id_field = F.FIELDS[source][0].name
        named = [u for u in shared if u is not None]
        inside: list[exp.Expr] = []
        if named:
            inside.append(exp.column("unit").isin(*[exp.Literal.string(str(u)) for u in named]))
        if None in shared:
            inside.append(exp.column("unit").is_(exp.null()))
        key = exp.Tuple(expressions=[exp.column(id_field), exp.column("unit")])
        query = exp.select(exp.Sub(this=exp.func("COUNT", exp.column(id_field)),
                                   expression=exp.Count(this=exp.Distinct(expressions=[key])))).from_(
            parquet_scan([p for _, p in parts])).where(exp.or_(*inside))
        return int(con.execute(query.sql("duckdb")).fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


def _single_unit(path: str) -> tuple[object] | None:
    """The one unit of a part whose every row group has the same unit (from the Parquet
    statistics, no data read); None when the statistics do not say."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
        at = meta.schema.names.index("unit")
        seen = set()
        for g in range(meta.num_row_groups):
            stats = meta.row_group(g).column(at).statistics
            if stats is None or not stats.has_min_max or stats.null_count or stats.min != stats.max:
                return None
            seen.add(stats.min)
    except (OSError, ValueError, KeyError, IndexError):
        return None
    return (seen.pop(),) if len(seen) == 1 else None


def parquet_scan(paths: list[str], filename: bool = False) -> Any:
    """``read_parquet`` over a dataset's parts (by name, columns by name), with each row's file
    when asked: the one scan every query over a dataset reads."""
    from sqlglot import exp

    options = [exp.EQ(this=exp.column("union_by_name"), expression=exp.true())]
    if filename:
        options.append(exp.EQ(this=exp.column("filename"), expression=exp.true()))
    return exp.func("read_parquet", exp.Array(expressions=[exp.Literal.string(p) for p in paths]), *options)


def read_findings(ds: Dataset, cap: int = 5000) -> list[Finding]:
    """The dataset's findings as they were found when each source was converted (the first
    ``cap``: the report lists them, the counts say how many there are)."""
    import pyarrow.parquet as pq

    out: list[Finding] = []
    for part in ds.findings_parts:
        try:
            rows = pq.read_table(part, columns=list(FINDING_COLUMNS)).to_pylist()
        except (OSError, ValueError, KeyError):  # unreadable (ArrowInvalid is a ValueError): open_dataset says so
            continue
        for r in rows:
            out.append(Finding(r["code"], r["severity"], r["file"], r["sheet"], r["row"], r["column"], r["header"],
                               r["value"], r["message"]))
            if len(out) >= cap:
                return out
    return out


def part_findings(ds: Dataset) -> list[Finding]:
    """One finding per part left out: unreadable or of another schema, or not in the manifest."""
    from ttkhc_cli.ingest.catalogue import message

    return [Finding(code, WARNING, part, None, None, None, None, part, message(code, value=part))
            for code, files in (("unreadable-part", ds.bad_files), ("extra-part", ds.extra_files)) for part in files]
