"""Derived fields, judged at an as-of date: completed, resolved, pending, end, appointment, timing.

A log is exported at one moment; a period's figures are judged at its end. A dossier whose
status is terminal but whose end date falls after the as-of date was still pending then.
Reference §3–§4 and exports.md §5 give the rules, and the plan's ``timing`` block chooses where
official systems differ: whether the appointment's hour counts, which date ends processing,
whether an extension replaces the appointment, whether the clock stops while a dossier waits for
its citizen, and how many supplement requests are allowed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ttkhc_cli.domain import codes
from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.domain.folding import fold
from ttkhc_cli.kpi.plan import TargetFile, TimingRules

LEVEL_CODES = {"xã": "xa", "huyện": "huyen", "tỉnh": "tinh"}
MAX_PROCESSING_DAYS = 365


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


@dataclass(frozen=True)
class CaseRules:
    """What the derivation needs of the plan: its timing rules, its level and its procedures."""

    timing: TimingRules = field(default_factory=TimingRules)
    unit_level: str = "xã"
    procedures: tuple = ()


def rules_of(plan: TargetFile) -> CaseRules:
    return CaseRules(plan.timing, plan.plan.unit_level, tuple(plan.procedures))


def cases(frame: pd.DataFrame, present: set[str], as_of: dt.date, calendar: WorkCalendar,
          rules: CaseRules = CaseRules()) -> pd.DataFrame:
    """The case log with its derived columns at ``as_of`` (the end of that day).

    completed / resolved / pending, end_at (the end the plan judges), due_at (the appointment the
    plan judges: given, or computed from the processing time in working days, extended when the
    plan says so, and moved by the time the dossier waited for its citizen), timing, online,
    level, returns_document.
    """
    timing_rules = rules.timing
    out = frame.copy(deep=False)  # copy-on-write: columns are shared until one is replaced
    cutoff = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    received = _col(frame, "received_at", "datetime64[ns]")
    if "received_at" not in present and "submitted_at" in present:
        received = frame["submitted_at"]
    status = _col(frame, "status")
    has_status = "status" in present
    end_at = _end_of(frame, status, has_status, timing_rules.end)
    ended = (end_at.isna() | (end_at < cutoff)).to_numpy()
    if has_status:
        blank = status.isna().to_numpy() & end_at.notna().to_numpy()
        terminal = status.isin(codes.TERMINAL).to_numpy() | blank
        completed = status.isin(codes.COMPLETED).to_numpy() | blank
        if timing_rules.end == "handover":  # a result not yet handed over is still pending
            completed &= _col(frame, "returned_at", "datetime64[ns]").notna().to_numpy() | blank
            terminal &= ~(status.isin(codes.COMPLETED).to_numpy() & ~completed)
    else:
        terminal = end_at.notna().to_numpy()
        stopped_by_date = np.zeros(len(frame), dtype=bool)
        for other in ("rejected_at", "withdrawn_at"):
            if other in frame:
                stopped_by_date |= frame[other].notna().to_numpy()
        completed = terminal & ~stopped_by_date
    out["end_at"] = end_at
    out["completed"] = completed & ended & end_at.notna().to_numpy()
    out["resolved"] = terminal & ended
    # Never received (refused at the desk): neither pending nor resolved, so it has no timing.
    received_by = ((received < cutoff).to_numpy() & received.notna().to_numpy()
                   & ~(status == codes.NOT_RECEIVED).to_numpy())
    out["pending"] = received_by & ~out["resolved"].to_numpy()
    out["received_at"] = received

    proc_days, returns = procedure_lookup(frame, list(rules.procedures))
    due, computed = _appointment(frame, received, proc_days, calendar, timing_rules)
    waiting = _waiting(frame, status, as_of, out["pending"].to_numpy(), timing_rules)
    due = _after_waits(frame, due, computed, calendar, as_of, timing_rules)
    out["due_at"] = due
    out["waiting"] = waiting
    out["timing"] = timing(out, status, as_of, timing_rules, _col(frame, "supplement_count", "float"))
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
    out["level"] = _levels(_col(frame, "level"), LEVEL_CODES.get(rules.unit_level, "xa"))
    return out


_STOPPED = {"withdrawn", "rejected", "stopped"}


def _end_of(frame: pd.DataFrame, status: pd.Series, has_status: bool, rule: str) -> pd.Series:
    """The end the plan judges. processing: the result (Đã xử lý xong) first, else the hand-over,
    else the rejection or withdrawal; handover: the hand-over, else the rejection or withdrawal,
    else (for a dossier stopped without a result) the end of processing."""
    completed_at = _col(frame, "completed_at", "datetime64[ns]")
    returned_at = _col(frame, "returned_at", "datetime64[ns]")
    others = [frame[c] for c in ("rejected_at", "withdrawn_at") if c in frame]
    if rule == "handover":
        end = returned_at
        for other in others:
            end = end.fillna(other)
        stopped = status.isin(_STOPPED) if has_status else pd.Series(False, index=frame.index)
        return end.fillna(completed_at.where(stopped))
    end = completed_at.fillna(returned_at)
    for other in others:
        end = end.fillna(other)
    return end


def _appointment(frame: pd.DataFrame, received: pd.Series, proc_days: pd.Series, calendar: WorkCalendar,
                 rules: TimingRules) -> tuple[pd.Series, np.ndarray]:
    """The appointment as given, else received + the processing time in working days (the receipt
    day not counted); and which appointments were computed so."""
    due = _col(frame, "due_at", "datetime64[ns]")
    if rules.extension == "replace" and "extended_due_at" in frame:
        due = frame["extended_due_at"].fillna(due)
    days = _col(frame, "processing_days", "float").fillna(proc_days)
    # A processing time beyond a year is a typing slip (reported by the checks), not a deadline
    # to count day by day into the next century.
    days = days.where((days >= 0) & (days <= MAX_PROCESSING_DAYS))
    missing = due.isna().to_numpy()
    if missing.any() and days.notna().any():
        due = due.fillna(calendar.due_dates(received, days))
    computed = missing & due.notna().to_numpy()
    return due, computed


def _waiting(frame: pd.DataFrame, status: pd.Series, as_of: dt.date, pending: np.ndarray,
             rules: TimingRules) -> np.ndarray:
    """Pending dossiers whose clock is stopped at ``as_of``: waiting for the citizen's supplement,
    or paused (by status, or by a supplement requested and not yet received at that date)."""
    if rules.waiting == "clock_runs":
        return np.zeros(len(frame), dtype=bool)
    cutoff = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    asked = _col(frame, "supplement_requested_at", "datetime64[ns]")
    back = _col(frame, "supplement_received_at", "datetime64[ns]")
    # The status is the export's: a request dated after the as-of day had not been made then.
    by_status = status.isin({"waiting_supplement", "paused"}).to_numpy() & ~(asked >= cutoff).to_numpy()
    by_dates = ((asked < cutoff) & (back.isna() | (back >= cutoff))).to_numpy()
    return pending & (by_status | by_dates)


def _after_waits(frame: pd.DataFrame, due: pd.Series, computed: np.ndarray, calendar: WorkCalendar,
                 as_of: dt.date, rules: TimingRules) -> pd.Series:
    """The appointment moved by the time the dossier waited for its citizen's supplement (the clock
    stops): in working days when the appointment was computed in working days, else as elapsed."""
    if rules.waiting == "clock_runs" or not {"supplement_requested_at", "supplement_received_at"} <= set(frame):
        return due
    cutoff = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    asked, back = frame["supplement_requested_at"], frame["supplement_received_at"]
    waited = (asked.notna() & back.notna() & (back >= asked) & (back < cutoff) & due.notna()).to_numpy()
    if not waited.any():
        return due
    out = due.copy()
    elapsed = waited & ~computed
    out[elapsed] = due[elapsed] + (back[elapsed] - asked[elapsed])
    in_days = waited & computed
    if in_days.any():
        days = calendar.working_days_after(asked[in_days], back[in_days])
        out[in_days] = calendar.due_dates(due[in_days], days)
    return out


def _has_time(s: pd.Series) -> np.ndarray:
    """Values that carry an hour (not midnight: a cell holding only a date)."""
    return (s.notna() & (s != s.dt.floor("D"))).to_numpy()


def timing(out: pd.DataFrame, status: pd.Series, as_of: dt.date, rules: TimingRules = TimingRules(),
           supplements: pd.Series | None = None) -> pd.Series:
    """early / on_time / late for resolved dossiers, pending_in_time / pending_overdue for the rest.

    Early: ended on a day before the appointment's day. On time: on that day, by its hour when
    both carry one and the plan compares date-times. Late: after. A dossier withdrawn, rejected
    or stopped by its appointment is on time (the report form's note), after it late. A pending
    dossier is in time while its appointment's day has not passed, or while its clock is stopped;
    more supplement requests than the plan allows make a dossier late.
    """
    due, end = out["due_at"], out["end_at"]
    due_day, end_day = _day(due), _day(end)
    resolved = out["resolved"].to_numpy()
    pending = out["pending"].to_numpy()
    judged = due.notna().to_numpy() & end.notna().to_numpy() & resolved
    timed = _has_time(due) & _has_time(end) if rules.compare == "datetime" else np.zeros(len(out), dtype=bool)
    before_day = (end_day < due_day).to_numpy()
    same_day = (end_day == due_day).to_numpy()
    by_hour = np.where(timed, (end <= due).to_numpy(), True)
    in_time = before_day | (same_day & by_hour)
    stopped = status.isin(_STOPPED).to_numpy()
    too_many = np.zeros(len(out), dtype=bool)
    if rules.max_supplements is not None and supplements is not None:
        # The count is the export's too: with its last request dated after the as-of day, those
        # requests had not all been made then.
        later = (out["supplement_requested_at"] >= pd.Timestamp(as_of) + pd.Timedelta(days=1)).to_numpy() \
            if "supplement_requested_at" in out else np.zeros(len(out), dtype=bool)
        too_many = (supplements > rules.max_supplements).fillna(False).to_numpy() & ~later
    waiting = out["waiting"].to_numpy() if "waiting" in out else np.zeros(len(out), dtype=bool)
    ended_too_many = too_many if rules.supplements_late == "always" else np.zeros(len(out), dtype=bool)
    open_too_many = too_many if rules.supplements_late == "always" else too_many & waiting
    if rules.waiting == "request" and "supplement_requested_at" in out:
        # Judged at the request: in time only if the supplement was asked for by the appointment.
        asked = out["supplement_requested_at"]
        waiting = waiting & (asked.isna() | (asked <= due)).to_numpy()
    has_due = due.notna().to_numpy()
    last = pd.Timestamp(as_of)
    if rules.open_end == "moment":  # an appointment with an hour on the last day has passed by its end
        not_passed = ((due_day > last) | ((due_day == last) & (due == due_day))).to_numpy()
    else:
        not_passed = (due_day >= last).to_numpy()
    conds = [
        judged & ended_too_many,
        judged & stopped & in_time,
        judged & stopped,
        judged & before_day,
        judged & in_time,
        judged,
        pending & has_due & open_too_many,
        pending & has_due & (waiting | not_passed),
        pending & has_due,
    ]
    choices = ["late", "on_time", "late", "early", "on_time", "late", "pending_overdue", "pending_in_time",
               "pending_overdue"]
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
    values = np.select(conds, choices, default=None)  # type: ignore[call-overload]  # mixed arrays and codes
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
