"""The system's own timing ("Đúng hạn", "Quá hạn") judged against the plan's timing rules.

A log that carries the system's verdict lets the office see where the tool and its system
disagree, dossier by dossier, before it compares their rates. The compiled plan derives the log
once (at the latest date it holds) and returns only the rows to name, the first of each kind
and how many there are: nothing proportional to the log is held in Python.
"""

from __future__ import annotations

import pandas as pd

from ttkhc_cli.ingest.catalogue import message
from ttkhc_cli.ingest.findings import (
    PER_COLUMN_CAP,
    WARNING,
    Finding,
    capped,
    cell_value,
)
from ttkhc_cli.ingest.log import Log, files_of, raw_values
from ttkhc_cli.kpi.compute import Counter

_WORDS = {True: "quá hạn", False: "không quá hạn"}
# A resolved dossier both the plan and the system judge (early, on time or late) and on which
# they disagree about lateness. Where the dates cannot judge, the timing is the system's own.
MISMATCH = ("due_at IS NOT NULL AND end_at IS NOT NULL AND timing IN ('early', 'on_time', 'late') "
            "AND timing_reported IN ('early', 'on_time', 'late') AND (timing = 'late') <> (timing_reported = 'late')")
# A dossier whose appointment cannot be known: no due date, no processing time, no system timing.
UNJUDGED = "timing IS NULL AND (resolved OR pending)"
COLUMNS = ("_pos", "timing", "timing_reported", "due_at", "end_at")  # what the findings say


def as_of_for(log: Log) -> pd.Timestamp | None:
    """The day the checks judge the log at: the latest date it holds (None: no date at all)."""
    f = log.frame
    ends = [f[c].max() for c in ("received_at", "completed_at", "returned_at") if c in f]
    ends = [d for d in ends if pd.notna(d)]
    return None if f.empty or not ends else max(ends)


def findings(log: Log, engine: Counter | None) -> list[Finding]:
    """The timing findings of a case log, from ``engine`` built at ``as_of_for(log)``: both kinds
    of row picked in one pass over the derived log."""
    if engine is None:
        return []
    kinds = {"unjudged": UNJUDGED}
    if "timing_reported" in log.frame:
        kinds["mismatch"] = MISMATCH
    found = engine.kinds("cases", kinds, COLUMNS, PER_COLUMN_CAP)
    out = mismatches(log, *found["mismatch"]) if "mismatch" in found else []
    return out + unjudged(log, *found["unjudged"])


def mismatches(log: Log, rows: pd.DataFrame, total: int) -> list[Finding]:
    """One warning per resolved dossier the system calls late and the plan's rules do not, or the
    other way round (capped per column, with the count of the rest): ``rows`` are the first of
    the ``total``."""
    places = rows["_pos"].to_numpy()
    shown = raw_values(log, "timing_reported", places)
    f = log.frame
    files, sheets, lines = (f[c].take(places).to_numpy() for c in ("_file", "_sheet", "_row"))  # the few shown

    def one(k: int) -> Finding:
        r = rows.iloc[k]
        letter, header = log.column_of(files[k], "timing_reported")
        value = cell_value(shown[k])
        theirs, ours = r["timing_reported"] == "late", r["timing"] == "late"
        return Finding("timing-mismatch", WARNING, files[k], sheets[k], int(lines[k]), letter, header, value,
                       message("timing-mismatch", value=value, theirs=_WORDS[bool(theirs)],
                               ours=_WORDS[bool(ours)], due=cell_value(pd.Timestamp(r["due_at"])),
                               end=cell_value(pd.Timestamp(r["end_at"]))))

    return capped(range(len(rows)), one, lambda n: Finding(
        "timing-mismatch", WARNING, files_of(log), None, None, None, None, None,
        f"… và {n} hồ sơ khác hệ thống đánh giá tiến độ khác với quy tắc của kế hoạch"), total)


def unjudged(log: Log, rows: pd.DataFrame, total: int) -> list[Finding]:
    """Dossiers whose appointment cannot be known (no due date, no processing time for their
    procedure, no timing from the system): left out of on-time rates and Biểu 06, named here."""
    places = rows["_pos"].to_numpy()
    f = log.frame
    files, sheets, lines = (f[c].take(places).to_numpy() for c in ("_file", "_sheet", "_row"))  # the few shown

    def one(k: int) -> Finding:
        letter, header = log.column_of(files[k], "due_at")
        return Finding("no-appointment", WARNING, files[k], sheets[k], int(lines[k]), letter, header, None,
                       message("no-appointment"))

    return capped(range(len(rows)), one, lambda n: Finding(
        "no-appointment", WARNING, files_of(log), None, None, None, None, None,
        f"… và {n} hồ sơ khác không xác định được hạn giải quyết"), total)
