"""Checks of a canonical case log: what a careful clerk would catch before trusting the figures.

Every finding carries the file, sheet, Excel row and column letter with the original header,
the cell's value and a plain Vietnamese message; codes are stable for filtering and counting.
"""

from __future__ import annotations

import numpy as np

from ttkhc_cli.domain import codes
from ttkhc_cli.domain import fields as F
from ttkhc_cli.ingest.findings import (
    ERROR,
    Finding,
)
from ttkhc_cli.ingest.log import Log, row_findings


def check(log: Log, plan_year: int) -> list[Finding]:
    """Cell and row checks of any log: the same care for the feedback and documents logs as for
    the case log."""
    by_source = {"cases": check_cases, "feedback": check_feedback, "documents": check_documents}
    return by_source[log.source](log, plan_year)


def _far_dates(log: Log, plan_year: int) -> list[Finding]:
    """Dates more than a year from the plan's year: a typing slip (2042 for 2024) more often than not."""
    out: list[Finding] = []
    for name in (x.name for x in F.FIELDS[log.source] if x.kind == "date"):
        if name in log.frame:
            years = log.frame[name].dt.year
            far = (years.notna() & ((years < plan_year - 1) | (years > plan_year + 1))).to_numpy()
            out += row_findings(log, far, name, "date-out-of-range", year=plan_year)
    return out


def _before(log: Log, later: str, earlier: str, code: str) -> list[Finding]:
    f = log.frame
    if later not in f or earlier not in f:
        return []
    mask = (f[later].dt.floor("D") < f[earlier].dt.floor("D")).to_numpy()
    label = F.label(log.source, later)
    return row_findings(log, mask, later, code, label=label[:1].lower() + label[1:])


def check_cases(log: Log, plan_year: int) -> list[Finding]:
    """Cell and row checks of a case log; dates far from the plan's year are flagged."""
    f = log.frame
    out: list[Finding] = []
    out += _before(log, "completed_at", "received_at", "completed-before-received")
    out += _before(log, "due_at", "received_at", "due-before-received")
    out += _before(log, "supplement_requested_at", "received_at", "supplement-before-received")
    out += _before(log, "supplement_received_at", "supplement_requested_at", "supplement-received-before-requested")
    out += _far_dates(log, plan_year)
    if "fee" in f:
        out += row_findings(log, (f["fee"] < 0).to_numpy(), "fee", "negative-fee")
    if "case_id" in f:
        out += row_findings(log, f["case_id"].isna().to_numpy(), "case_id", "missing-id", label="mã hồ sơ")
    if "processing_days" in f:
        days = f["processing_days"]
        out += row_findings(log, ((days < 0) | (days > 365)).to_numpy(), "processing_days",
                            "implausible-processing-days")
    if "status" in f:
        out += _status_and_dates(log)
    return out


def _status_and_dates(log: Log) -> list[Finding]:
    """A status that says the dossier ended without the date it ended, or dates the status denies."""
    f = log.frame
    status = f["status"]
    out: list[Finding] = []
    results = [c for c in ("completed_at", "returned_at") if c in f]
    if results:
        has_result = np.logical_or.reduce([f[c].notna().to_numpy() for c in results])
        out += row_findings(log, status.isin(codes.COMPLETED).to_numpy() & ~has_result, "status",
                            "completed-without-date")
        out += row_findings(log, status.isin(codes.PENDING).to_numpy() & has_result, "status",
                            "date-without-completed-status")
    ends = [c for c in ("completed_at", "returned_at", "rejected_at", "withdrawn_at") if c in f]
    has_end = np.logical_or.reduce([f[c].notna().to_numpy() for c in ends]) if ends else np.zeros(len(f), bool)
    stopped = status.isin({"rejected", "withdrawn", "stopped"}).to_numpy()
    out += row_findings(log, stopped & ~has_end, "status", "resolved-without-date")
    return out


def check_feedback(log: Log, plan_year: int) -> list[Finding]:
    """A feedback log: dates in order, dates near the plan's year, an id on every row."""
    out = _before(log, "handled_at", "received_at", "handled-before-received")
    out += _before(log, "due_at", "received_at", "due-before-received")
    out += _far_dates(log, plan_year)
    if "feedback_id" in log.frame:
        out += row_findings(log, log.frame["feedback_id"].isna().to_numpy(), "feedback_id", "missing-id",
                            label="mã phản ánh, kiến nghị")
    return out


def check_documents(log: Log, plan_year: int) -> list[Finding]:
    """A documents log: dates near the plan's year."""
    return _far_dates(log, plan_year)


def ordered(findings: list[Finding]) -> list[Finding]:
    """Errors first; within each, file-wide findings, then by file, sheet and row as Excel shows them."""
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.row is not None, f.file or "", f.sheet or "",
                                           f.row or 0, f.column or ""))


__all__ = ["check", "check_cases", "ordered"]
