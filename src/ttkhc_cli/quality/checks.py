"""Checks of a canonical case log: what a careful clerk would catch before trusting the figures.

Every finding carries the file, sheet, Excel row and column letter with the original header,
the cell's value and a plain Vietnamese message; codes are stable for filtering and counting.
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ttkhc_cli.domain import codes
from ttkhc_cli.domain import fields as F
from ttkhc_cli.ingest.findings import (
    ERROR,
    WARNING,
    Finding,
    count_by_severity,
)
from ttkhc_cli.ingest.log import Log, row_findings


def check_cases(log: Log, plan_year: int) -> list[Finding]:
    """Cell and row checks of a case log; dates far from the plan's year are flagged."""
    f = log.frame
    out: list[Finding] = []
    day = lambda c: f[c].dt.floor("D") if c in f else None  # noqa: E731
    rec, done, due = day("received_at"), day("completed_at"), day("due_at")
    if rec is not None and done is not None:
        out += row_findings(log, (done < rec).to_numpy(), "completed_at", "completed-before-received", ERROR,
                     "ngày có kết quả {value} trước ngày tiếp nhận")
    if rec is not None and due is not None:
        out += row_findings(log, (due < rec).to_numpy(), "due_at", "due-before-received", ERROR,
                     "ngày hẹn trả {value} trước ngày tiếp nhận")
    year = plan_year
    for name in (x.name for x in F.CASE_FIELDS if x.kind == "date"):
        if name in f:
            years = f[name].dt.year
            far = (years.notna() & ((years < year - 1) | (years > year + 1))).to_numpy()
            out += row_findings(log, far, name, "date-out-of-range", WARNING,
                         f"ngày {{value}} cách xa năm kế hoạch {year}")
    if "fee" in f:
        out += row_findings(log, (f["fee"] < 0).to_numpy(), "fee", "negative-fee", ERROR, "phí, lệ phí âm: {value}")
    if "case_id" in f:
        out += row_findings(log, f["case_id"].isna().to_numpy(), "case_id", "missing-id", WARNING, "dòng không có mã hồ sơ")
    if "status" in f:
        ends = [c for c in ("completed_at", "returned_at") if c in f]
        has_end = np.logical_or.reduce([f[c].notna().to_numpy() for c in ends]) if ends else np.zeros(len(f), bool)
        status = f["status"]
        if ends:
            out += row_findings(log, status.isin(codes.COMPLETED).to_numpy() & ~has_end, "status", "completed-without-date",
                         WARNING, "trạng thái đã có kết quả ({value}) nhưng không có ngày có kết quả")
            open_ = status.isin({"received", "processing", "supplement"}).to_numpy()
            out += row_findings(log, open_ & has_end, "status", "date-without-completed-status", WARNING,
                         "có ngày có kết quả nhưng trạng thái là {value}")
    return out


def ordered(findings: list[Finding]) -> list[Finding]:
    """Errors first; within each, file-wide findings, then by file, sheet and row as Excel shows them."""
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.row is not None, f.file or "", f.sheet or "",
                                           f.row or 0, f.column or ""))


def report_json(log: Log, findings: Iterable[Finding]) -> dict[str, Any]:
    """The validation report: what `ttkhc validate --format json` prints."""
    findings = list(findings)
    return {
        "rows": log.rows_json(),
        "counts": count_by_severity(findings),
        "files": log.files_json(),
        "mapping": log.mapping_json(),
        "findings": [x.to_json() for x in findings],
    }


__all__ = ["check_cases", "ordered", "report_json"]
