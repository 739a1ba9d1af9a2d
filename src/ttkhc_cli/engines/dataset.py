"""A Parquet dataset of canonical logs: what `ttkhc convert` writes and the SQL engines read.

    DATASET/
      manifest.json                     every source converted: file, SHA-256, unit, rows, columns
      cases/unit=<u>/year=<y>/month=<m>/part-<source>.parquet
      feedback/…, documents/…           the other logs, partitioned the same way
      findings/part-<source>.parquet    the checks' findings, with the unit

A source is a file converted for a unit; converting it again replaces its parts (the files named
``part-<source>``) and its manifest entry, never adds a second copy. Every file is written under
a temporary name and renamed, and the manifest last, so a dataset is never half-updated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.ingest.findings import Finding, summary
from ttkhc_cli.ingest.log import FileInfo, Log
from ttkhc_cli.io.checksum import sha256

MANIFEST = "manifest.json"
FINDING_COLUMNS = ("code", "severity", "file", "sheet", "row", "column", "header", "value", "message", "unit", "source")
FORMAT = "ttkhc-dataset"
VERSION = 1
LOGS = ("cases", "feedback", "documents")
PARTITION_DATE = {"cases": "received_at", "feedback": "received_at", "documents": "date"}
NO_UNIT = "(không ghi)"


def is_dataset(path: Path) -> bool:
    return path.is_dir() and (path / MANIFEST).is_file()


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


def _remove_parts(root: Path, sid: str) -> None:
    for old in root.rglob(f"part-{sid}.parquet"):
        old.unlink()
    for d in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(d.iterdir()):
            d.rmdir()


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
    """Write one source's logs and findings into the dataset, replacing an earlier conversion."""
    root.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = (read_manifest(root) if (root / MANIFEST).exists()
                                else {"format": FORMAT, "version": VERSION, "sources": {}})
    sid = source_id(file, unit)
    digest = sha256(file)
    _refuse_other_unit(manifest, sid, file, digest, unit)
    replaced = sid in manifest["sources"]
    _remove_parts(root, sid)
    entry: dict[str, Any] = {"file": str(file), "sha256": digest, "unit": unit,
                             "converted_at": dt.datetime.now().replace(microsecond=0).isoformat(), "logs": {}}
    for log in logs:
        frame = _canonical(log.frame, unit, log.source)
        date_col = PARTITION_DATE[log.source]
        dates = frame[date_col] if date_col in frame else pd.Series(pd.NaT, index=frame.index)
        keys = pd.DataFrame({"unit": frame["unit"].astype(object).where(frame["unit"].notna(), None),
                             "year": dates.dt.year, "month": dates.dt.month})
        for (u, y, m), part in frame.groupby([keys["unit"].fillna(""), keys["year"].fillna(-1),
                                              keys["month"].fillna(-1)], sort=True, dropna=False):
            where = (root / log.source / f"unit={_part_value(u)}" / f"year={int(y) if y >= 0 else '__none__'}"
                     / f"month={int(m) if m >= 0 else '__none__'}" / f"part-{sid}.parquet")
            _write_parquet(part, where)
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
    _write_atomic(root / "findings" / f"part-{sid}.parquet", lambda p: pq.write_table(table, p, compression="zstd"))
    entry["findings"] = summary(findings)
    manifest["sources"][sid] = entry
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    _write_atomic(root / MANIFEST, lambda p: p.write_text(text, encoding="utf-8"))
    return Converted(sid, str(file), unit, {k: v["rows"] for k, v in entry["logs"].items()}, entry["findings"],
                     replaced)


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

    @property
    def used(self) -> int:
        return self.rows_used


@dataclass
class Dataset:
    root: Path
    logs: dict[str, DatasetLog]
    findings: dict[str, Any]  # counts by severity and code, over every source
    bad_files: list[str]  # Parquet files that cannot be read: reported, left out


def open_dataset(root: Path) -> Dataset:
    """The dataset's logs as the manifest describes them; unreadable part files are named and left out."""
    import pyarrow.parquet as pq

    manifest = read_manifest(root)
    per_log: dict[str, dict[str, Any]] = {}
    errors, warnings = 0, 0
    by_code: dict[str, int] = {}
    for entry in manifest["sources"].values():
        f = entry.get("findings") or {}
        errors += int(f.get("error", 0))
        warnings += int(f.get("warning", 0))
        for code, n in (f.get("by_code") or {}).items():
            by_code[code] = by_code.get(code, 0) + int(n)
        for name, info in (entry.get("logs") or {}).items():
            acc = per_log.setdefault(name, {"read": 0, "used": 0, "excluded": {}, "present": set(), "files": []})
            rows = info.get("rows", {})
            acc["read"] += int(rows.get("read", 0))
            acc["used"] += int(rows.get("used", 0))
            for reason, n in (rows.get("excluded") or {}).items():
                acc["excluded"][reason] = acc["excluded"].get(reason, 0) + int(n)
            acc["present"] |= set(info.get("present", []))
            for fi in info.get("files", []):
                acc["files"].append(FileInfo(file=fi["file"], sheet=fi.get("sheet"), header_row=fi.get("header_row", 1),
                                             notes=list(fi.get("notes", [])), mapping=[], profile=fi.get("profile", ""),
                                             present=set(fi.get("present", [])),
                                             unit=fi.get("unit") or entry.get("unit"),
                                             unit_from=fi.get("unit_from") or ("option" if entry.get("unit") else None),
                                             units=list(fi.get("units") or [])))
    logs: dict[str, DatasetLog] = {}
    bad: list[str] = []
    for name, acc in per_log.items():
        good = []
        for part in sorted((root / name).rglob("*.parquet")):
            if part.name.startswith("."):
                continue
            try:
                pq.read_metadata(part)
                good.append(str(part))
            except Exception:  # noqa: BLE001 - any unreadable footer: named, not fatal
                bad.append(str(part))
        if not good:
            continue
        present = acc["present"] | {"_file", "_sheet", "_row"}
        logs[name] = DatasetLog(name, acc["files"], acc["read"], acc["used"], acc["excluded"], present, good)
    return Dataset(root, logs, {"error": errors, "warning": warnings, "by_code": dict(sorted(by_code.items()))}, bad)


def read_findings(root: Path, cap: int = 5000) -> list[Finding]:
    """The dataset's findings as they were found when each source was converted (the first
    ``cap``: the report lists them, the counts say how many there are)."""
    import pyarrow.parquet as pq

    out: list[Finding] = []
    for part in sorted((root / "findings").glob("part-*.parquet")):
        try:
            rows = pq.read_table(part).to_pylist()
        except (OSError, ValueError):  # an unreadable part (ArrowInvalid is a ValueError): open_dataset says so
            continue
        for r in rows:
            out.append(Finding(r["code"], r["severity"], r["file"], r["sheet"], r["row"], r["column"], r["header"],
                               r["value"], r["message"]))
            if len(out) >= cap:
                return out
    return out
