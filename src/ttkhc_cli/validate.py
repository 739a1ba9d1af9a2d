"""Checks of a canonical case log: what a careful clerk would catch before trusting the figures.

Every finding carries the file, sheet, Excel row and column letter with the original header,
the cell's value and a plain Vietnamese message; codes are stable for filtering and counting.
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd

from ttkhc_cli import derive
from ttkhc_cli import fields as F
from ttkhc_cli import vocab
from ttkhc_cli.evaluate import missing_for
from ttkhc_cli.findings import ERROR, WARNING, Finding, capped, cell_value, count_by_severity
from ttkhc_cli.ingest import Log
from ttkhc_cli.targets import TargetFile
from ttkhc_cli.workdays import WorkCalendar

ESSENTIAL = ("case_id", "received_at")


def missing_columns(log: Log, targets: TargetFile) -> list[Finding]:
    """Columns the target file's indicators need that the log lacks, naming those indicators."""
    has_days = any(p.processing_days is not None for p in targets.procedures)
    needs: dict[tuple[str, ...], list[str]] = {}
    for ind in targets.indicators:
        if ind.count.source == log.source:
            for group in missing_for(ind.count, log.present, has_days):
                needs.setdefault(group, []).append(ind.id)
    if log.source == "cases":
        for name in ESSENTIAL:
            if name not in log.present and not any(name in g for g in needs):
                needs[(name,)] = []
    out = []
    for group, ids in needs.items():
        labels = " hoặc ".join(F.label(log.source, x) for x in group)
        severity = ERROR if any(x in ESSENTIAL for x in group) else WARNING
        what = f"; chỉ tiêu {', '.join(ids)} sẽ là 'chưa có dữ liệu'" if ids else ""
        out.append(Finding("missing-column", severity, _files(log), None, None, None, None, None,
                           f"thiếu cột {labels}{what}"))
    return out


def _files(log: Log) -> str:
    return ", ".join(dict.fromkeys(f.file for f in log.files))


def _rows(log: Log, mask: np.ndarray, field_name: str, code: str, severity: str,
          message: str, value_field: str | None = None) -> list[Finding]:
    frame = log.frame
    column = value_field or field_name

    def one(i: int) -> Finding:
        file = frame.at[i, "_file"]
        letter, header = log.column_of(file, field_name)
        value = cell_value(frame.at[i, column]) if column in frame else None
        return Finding(code, severity, file, frame.at[i, "_sheet"], int(frame.at[i, "_row"]),
                       letter, header, value, message.format(value=value))

    return capped(np.flatnonzero(mask), one, lambda n: Finding(
        code, severity, _files(log), None, None, None, None, None, f"… và {n} dòng khác cùng lỗi"))


def check_cases(log: Log, targets: TargetFile, calendar: WorkCalendar) -> list[Finding]:
    f = log.frame
    out: list[Finding] = []
    day = lambda c: f[c].dt.floor("D") if c in f else None  # noqa: E731
    rec, done, due = day("received_at"), day("completed_at"), day("due_at")
    if rec is not None and done is not None:
        out += _rows(log, (done < rec).to_numpy(), "completed_at", "completed-before-received", ERROR,
                     "ngày có kết quả {value} trước ngày tiếp nhận")
    if rec is not None and due is not None:
        out += _rows(log, (due < rec).to_numpy(), "due_at", "due-before-received", ERROR,
                     "ngày hẹn trả {value} trước ngày tiếp nhận")
    year = targets.plan.year
    for name in (x.name for x in F.CASE_FIELDS if x.kind == "date"):
        if name in f:
            years = f[name].dt.year
            far = (years.notna() & ((years < year - 1) | (years > year + 1))).to_numpy()
            out += _rows(log, far, name, "date-out-of-range", WARNING,
                         f"ngày {{value}} cách xa năm kế hoạch {year}")
    if "fee" in f:
        out += _rows(log, (f["fee"] < 0).to_numpy(), "fee", "negative-fee", ERROR, "phí, lệ phí âm: {value}")
    if "case_id" in f:
        out += _rows(log, f["case_id"].isna().to_numpy(), "case_id", "missing-id", WARNING, "dòng không có mã hồ sơ")
    if "status" in f:
        ends = [c for c in ("completed_at", "returned_at") if c in f]
        has_end = np.logical_or.reduce([f[c].notna().to_numpy() for c in ends]) if ends else np.zeros(len(f), bool)
        status = f["status"]
        if ends:
            out += _rows(log, status.isin(vocab.COMPLETED).to_numpy() & ~has_end, "status", "completed-without-date",
                         WARNING, "trạng thái đã có kết quả ({value}) nhưng không có ngày có kết quả")
            open_ = status.isin({"received", "processing", "supplement"}).to_numpy()
            out += _rows(log, open_ & has_end, "status", "date-without-completed-status", WARNING,
                         "có ngày có kết quả nhưng trạng thái là {value}")
    if "timing_reported" in f:
        out += _timing_mismatch(log, targets, calendar)
    return out


def _timing_mismatch(log: Log, targets: TargetFile, calendar: WorkCalendar) -> list[Finding]:
    f = log.frame
    dates = [f[c].max() for c in ("received_at", "completed_at", "returned_at") if c in f]
    dates = [d for d in dates if pd.notna(d)]
    if not dates:
        return []
    as_of = max(dates).date()
    d = derive.cases(f, log.present, as_of, calendar, targets.plan.unit_level, targets.procedures)
    ours_late = d["timing"].isin({"late"}).to_numpy()
    ours_known = d["timing"].isin({"early", "on_time", "late"}).to_numpy()
    theirs = f["timing_reported"]
    theirs_late = theirs.isin({"late", "pending_overdue"}).to_numpy()
    theirs_known = theirs.isin({"early", "on_time", "late"}).to_numpy()
    mismatch = ours_known & theirs_known & (ours_late != theirs_late)
    words = {True: "quá hạn", False: "không quá hạn"}
    out = []
    for f_ in _rows(log, mismatch, "timing_reported", "timing-mismatch", WARNING, "{value}"):
        if f_.row is None:
            out.append(f_)
            continue
        i = int(np.flatnonzero((f["_row"] == f_.row).to_numpy() & (f["_file"] == f_.file).to_numpy())[0])
        out.append(Finding(f_.code, f_.severity, f_.file, f_.sheet, f_.row, f_.column, f_.header, f_.value,
                           f"hệ thống ghi {words[bool(theirs_late[i])]}, tính theo ngày thì "
                           f"{words[bool(ours_late[i])]} (hẹn {cell_value(d['due_at'].iat[i])}, kết thúc {cell_value(d['end_at'].iat[i])})"))
    return out


def validate(log: Log, targets: TargetFile, calendar: WorkCalendar | None = None) -> list[Finding]:
    """All findings of a log: reading and mapping, missing columns, cell and row checks."""
    calendar = calendar or WorkCalendar(targets.calendar.extra_holidays, targets.calendar.working_days)
    out = list(log.findings) + missing_columns(log, targets)
    if log.source == "cases":
        out += check_cases(log, targets, calendar)
    # Errors first; within each, file-wide findings, then by file, sheet and row as Excel shows them.
    return sorted(out, key=lambda f: (f.severity != ERROR, f.row is not None, f.file or "", f.sheet or "",
                                      f.row or 0, f.column or ""))


def report_json(log: Log, findings: Iterable[Finding]) -> dict[str, Any]:
    """The validation report: what `ttkhc validate --format json` prints."""
    findings = list(findings)
    return {
        "rows": log.rows_json(),
        "counts": count_by_severity(findings),
        "files": [{"file": i.file, "sheet": i.sheet, "header_row": i.header_row, "notes": i.notes} for i in log.files],
        "mapping": log.mapping_json(),
        "findings": [x.to_json() for x in findings],
    }


__all__ = ["validate", "report_json", "missing_columns", "check_cases"]
