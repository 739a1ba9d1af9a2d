"""Derived fields, judged at an as-of date: completed, resolved, pending, end date, timing.

A log is exported at one moment; a period's figures are judged at its end. A dossier whose
status is terminal but whose end date falls after the as-of date was still pending then.
Reference §3–§4 give the rules: blank status columns fall back to the dates; withdrawn or
rejected dossiers ended by their due date count as on time; pending ones are in time while
their due date has not passed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ttkhc_cli.domain import codes
from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.domain.text import fold

LEVEL_CODES = {"xã": "xa", "huyện": "huyen", "tỉnh": "tinh"}


def _col(frame: pd.DataFrame, name: str, dtype: str = "object") -> pd.Series:
    if name in frame:
        return frame[name]
    if dtype == "datetime64[ns]":
        return pd.Series(pd.NaT, index=frame.index, dtype=dtype)
    if dtype == "float":
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.Series(None, index=frame.index, dtype=object)


def _day(s: pd.Series) -> pd.Series:
    return s.dt.floor("D")


def procedure_lookup(frame: pd.DataFrame, procedures: list) -> tuple[pd.Series, pd.Series]:
    """Processing days and returns-document per row, from the target file's procedures table.

    A procedure is recognised by its code, else by its name (both without diacritics or case);
    each distinct code or name is looked up once.
    """
    days = pd.Series(np.nan, index=frame.index, dtype=float)
    returns = pd.Series(True, index=frame.index, dtype=bool)
    if not procedures:
        return days, returns
    which = np.full(len(frame), -1)  # index into ``procedures`` per row
    for column, key in (("procedure_code", "code"), ("procedure_name", "name")):
        table = {fold(getattr(p, key)): i for i, p in enumerate(procedures) if getattr(p, key)}
        if column not in frame or not table:
            continue
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
        hits = np.array([table.get(fold(u), -1) for u in uniques] + [-1])[codes]
        which = np.where(which >= 0, which, hits)
    day_of = np.array([p.processing_days if p.processing_days is not None else np.nan for p in procedures] + [np.nan])
    doc_of = np.array([p.returns_document for p in procedures] + [True])
    return (pd.Series(day_of[which], index=frame.index, dtype=float),
            pd.Series(doc_of[which], index=frame.index, dtype=bool))


def cases(frame: pd.DataFrame, present: set[str], as_of: dt.date, calendar: WorkCalendar,
          unit_level: str = "xã", procedures: list | None = None) -> pd.DataFrame:
    """The case log with its derived columns at ``as_of`` (end of that day)."""
    out = frame.copy(deep=False)  # copy-on-write: columns are shared until one is replaced
    cutoff = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    received = _col(frame, "received_at", "datetime64[ns]")
    if "received_at" not in present and "submitted_at" in present:
        received = frame["submitted_at"]
    completed_at = _col(frame, "completed_at", "datetime64[ns]")
    returned_at = _col(frame, "returned_at", "datetime64[ns]")
    end_at = completed_at.fillna(returned_at)
    for other in ("rejected_at", "withdrawn_at"):
        if other in frame:
            end_at = end_at.fillna(frame[other])
    ended_by_cutoff = end_at.isna() | (end_at < cutoff)
    status = _col(frame, "status")
    if "status" in present:
        is_terminal = status.isin(codes.TERMINAL).to_numpy()
        is_completed = status.isin(codes.COMPLETED).to_numpy()
        # A blank status with a completion date is a completed dossier, as in a log without status.
        blank = status.isna().to_numpy()
        is_completed = is_completed | (blank & end_at.notna().to_numpy())
        is_terminal = is_terminal | (blank & end_at.notna().to_numpy())
    else:
        is_completed = end_at.notna().to_numpy()
        is_terminal = is_completed
    ended = ended_by_cutoff.to_numpy()
    out["end_at"] = end_at
    out["completed"] = is_completed & ended & end_at.notna().to_numpy()
    out["resolved"] = is_terminal & ended
    received_by = (received < cutoff).to_numpy() & received.notna().to_numpy()
    out["pending"] = received_by & ~out["resolved"].to_numpy()
    out["received_at"] = received

    proc_days, returns = procedure_lookup(frame, procedures or [])
    days = _col(frame, "processing_days", "float").fillna(proc_days)
    due = _col(frame, "due_at", "datetime64[ns]")
    if due.isna().any() and days.notna().any():
        due = due.fillna(calendar.due_dates(received, days))
    out["due_at"] = due
    out["timing"] = timing(out, status, as_of)
    if "timing_reported" in present:
        out["timing"] = _reported_where_unjudged(out, frame["timing_reported"])
    out["returns_document"] = returns.to_numpy()

    if "channel" in present:
        channel = frame["channel"]
    elif "online_flag" in present or "postal_flag" in present:
        online = _col(frame, "online_flag").fillna(False).to_numpy(dtype=bool)
        postal = _col(frame, "postal_flag").fillna(False).to_numpy(dtype=bool)
        channel = _coded([online, postal, ~online & ~postal], ["online", "postal", "direct"], frame.index)
    else:
        channel = pd.Series(None, index=frame.index, dtype=object)
    out["channel"] = channel
    out["online"] = (channel == "online").to_numpy(dtype=bool)
    out["level"] = _levels(_col(frame, "level"), LEVEL_CODES.get(unit_level, "xa"))
    return out


def timing(out: pd.DataFrame, status: pd.Series, as_of: dt.date) -> pd.Series:
    """early / on_time / late for resolved dossiers, pending_in_time / pending_overdue for the rest."""
    due = _day(out["due_at"])
    end = _day(out["end_at"])
    resolved = out["resolved"].to_numpy()
    pending = out["pending"].to_numpy()
    has_due = due.notna().to_numpy()
    has_end = end.notna().to_numpy()
    stopped = status.isin({"withdrawn", "rejected", "stopped"}).to_numpy()
    early = (end < due).to_numpy()
    same = (end == due).to_numpy()
    late = (end > due).to_numpy()
    in_time = (due >= pd.Timestamp(as_of)).to_numpy()
    conds = [
        resolved & has_due & has_end & stopped & (early | same),
        resolved & has_due & has_end & stopped & late,
        resolved & has_due & has_end & early,
        resolved & has_due & has_end & same,
        resolved & has_due & has_end & late,
        pending & has_due & in_time,
        pending & has_due & ~in_time,
    ]
    choices = ["on_time", "late", "early", "on_time", "late", "pending_in_time", "pending_overdue"]
    return _coded(conds, choices, out.index)


def _reported_where_unjudged(out: pd.DataFrame, reported: pd.Series) -> pd.Series:
    """The system's own timing for dossiers the dates cannot judge (a register that keeps only
    "Trước hạn | Đúng hạn | Quá hạn"): early, on time or late once resolved; in time or overdue
    while pending."""
    ours = out["timing"]
    resolved = out["resolved"].to_numpy()
    pending = out["pending"].to_numpy()
    unjudged = ours.isna().to_numpy()
    theirs = reported.astype(object)
    late = theirs.isin(["late", "pending_overdue"]).to_numpy()
    known = theirs.notna().to_numpy()
    conds = [~unjudged, unjudged & resolved & known & late, unjudged & resolved & known,
             unjudged & pending & known & late, unjudged & pending & known]
    choices = [ours.astype(object).to_numpy(), "late", theirs.replace({"pending_in_time": "on_time"}).to_numpy(),
               "pending_overdue", "pending_in_time"]
    values = np.select(conds, choices, default=None)
    return pd.Series(pd.Categorical(values, categories=list(codes.TIMINGS)), index=out.index)


def _coded(conds: list[np.ndarray], choices: list[str], index: pd.Index) -> pd.Series:
    """The first true condition's code per row (none: missing), as a categorical.

    Choosing integer codes and naming them once costs a few milliseconds over a million rows,
    where choosing the strings themselves costs a Python object per row.
    """
    names = list(dict.fromkeys(choices))
    codes = np.select(conds, [names.index(c) for c in choices], default=-1)
    return pd.Series(pd.Categorical.from_codes(codes, categories=names), index=index)


def _levels(level: pd.Series, own: str) -> pd.Series:
    """Each dossier's level; a blank cell (or no level column) is the unit's own level."""
    if level.isna().all():
        return pd.Series(pd.Categorical.from_codes(np.zeros(len(level), dtype=np.int8), categories=[own]),
                         index=level.index)
    cat = level.astype("category")
    if own not in cat.cat.categories:
        cat = cat.cat.add_categories([own])
    return cat.fillna(own)


def feedback(frame: pd.DataFrame, present: set[str], as_of: dt.date, calendar: WorkCalendar,
             deadline_days: int) -> pd.DataFrame:
    """Feedback handled by its deadline, or pending and still within it (reference §3, III.5)."""
    out = frame.copy(deep=False)  # copy-on-write: columns are shared until one is replaced
    cutoff = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    received = _col(frame, "received_at", "datetime64[ns]")
    handled_at = _col(frame, "handled_at", "datetime64[ns]")
    due = _col(frame, "due_at", "datetime64[ns]")
    if due.isna().any():
        default = pd.Series(float(deadline_days), index=frame.index)
        due = due.fillna(calendar.due_dates(received, default))
    status = _col(frame, "status")
    by_status = status.isin(codes.TERMINAL) & handled_at.isna()
    handled = (handled_at.notna() & (handled_at < cutoff)) | by_status
    out["due_at"] = due
    out["handled"] = handled.to_numpy()
    on_time_handled = handled & (by_status | (_day(handled_at) <= _day(due)))
    on_time_pending = ~handled & (_day(due) >= pd.Timestamp(as_of))
    out["on_time"] = (on_time_handled | on_time_pending).to_numpy() & due.notna().to_numpy()
    return out


def documents(frame: pd.DataFrame, present: set[str]) -> pd.DataFrame:
    out = frame.copy(deep=False)  # copy-on-write: columns are shared until one is replaced
    secrecy = _col(frame, "secrecy").fillna("normal")
    out["secret"] = (secrecy != "normal").to_numpy()
    out["incoming"] = (_col(frame, "direction") == "incoming").to_numpy()
    return out
