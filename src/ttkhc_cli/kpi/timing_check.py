"""The system's own timing ("Đúng hạn", "Quá hạn") judged against the plan's timing rules.

A log that carries the system's verdict lets the office see where the tool and its system
disagree, dossier by dossier, before it compares their rates. One vectorised pass: the log is
derived once (at the latest date it holds) and the rows that disagree are picked by a mask.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.ingest.catalogue import message
from ttkhc_cli.ingest.findings import (
    PER_COLUMN_CAP,
    WARNING,
    Finding,
    capped,
    cell_value,
)
from ttkhc_cli.ingest.log import Log, files_of, raw_values
from ttkhc_cli.kpi import derive
from ttkhc_cli.kpi.plan import TargetFile

_LATE = {"late", "pending_overdue"}
_KNOWN = {"early", "on_time", "late"}
_WORDS = {True: "quá hạn", False: "không quá hạn"}


def findings(log: Log, targets: TargetFile, calendar: WorkCalendar) -> list[Finding]:
    """The timing findings of a case log, from one derivation at the latest date it holds."""
    f = log.frame
    ends = [f[c].max() for c in ("received_at", "completed_at", "returned_at") if c in f]
    ends = [d for d in ends if pd.notna(d)]
    if f.empty or not ends:
        return []
    d = derive.cases(f, log.present, max(ends).date(), calendar, derive.rules_of(targets))
    return mismatches(log, d) + unjudged(log, d)


def mismatches(log: Log, d: pd.DataFrame) -> list[Finding]:
    """One warning per resolved dossier the system calls late and the plan's rules do not, or the
    other way round (capped per column, with the count of the rest)."""
    f = log.frame
    if "timing_reported" not in f:
        return []
    theirs = f["timing_reported"].astype(object)
    ours_late = d["timing"].isin(["late"]).to_numpy()
    ours_known = d["timing"].isin(list(_KNOWN)).to_numpy()
    # Where the dates cannot judge, the timing is the system's own: nothing to compare.
    judged = d["due_at"].notna().to_numpy() & d["end_at"].notna().to_numpy()
    theirs_late = theirs.isin(_LATE).to_numpy()
    mismatch = judged & ours_known & theirs.isin(list(_KNOWN)).to_numpy() & (ours_late != theirs_late)
    picked = np.flatnonzero(mismatch)
    shown = dict(zip(picked[:PER_COLUMN_CAP].tolist(), raw_values(log, "timing_reported", picked[:PER_COLUMN_CAP])))
    files, sheets, rows = f["_file"].to_numpy(), f["_sheet"].to_numpy(), f["_row"].to_numpy()
    due, end = d["due_at"].to_numpy(), d["end_at"].to_numpy()

    def one(i: int) -> Finding:
        letter, header = log.column_of(files[i], "timing_reported")
        value = cell_value(shown.get(i))
        return Finding("timing-mismatch", WARNING, files[i], sheets[i], int(rows[i]), letter, header, value,
                       message("timing-mismatch", value=value, theirs=_WORDS[bool(theirs_late[i])],
                               ours=_WORDS[bool(ours_late[i])], due=cell_value(pd.Timestamp(due[i])),
                               end=cell_value(pd.Timestamp(end[i]))))

    return capped(picked, one, lambda n: Finding(
        "timing-mismatch", WARNING, files_of(log), None, None, None, None, None,
        f"… và {n} hồ sơ khác hệ thống đánh giá tiến độ khác với quy tắc của kế hoạch"))


def unjudged(log: Log, d: pd.DataFrame) -> list[Finding]:
    """Dossiers whose appointment cannot be known (no due date, no processing time for their
    procedure, no timing from the system): left out of on-time rates and Biểu 06, named here."""
    f = log.frame
    mask = (d["timing"].isna() & (d["resolved"] | d["pending"])).to_numpy()
    picked = np.flatnonzero(mask)
    files, sheets, rows = f["_file"].to_numpy(), f["_sheet"].to_numpy(), f["_row"].to_numpy()

    def one(i: int) -> Finding:
        letter, header = log.column_of(files[i], "due_at")
        return Finding("no-appointment", WARNING, files[i], sheets[i], int(rows[i]), letter, header, None,
                       message("no-appointment"))

    return capped(picked, one, lambda n: Finding(
        "no-appointment", WARNING, files_of(log), None, None, None, None, None,
        f"… và {n} hồ sơ khác không xác định được hạn giải quyết"))
