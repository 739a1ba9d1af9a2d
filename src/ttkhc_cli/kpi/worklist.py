"""Each officer's list of what falls due: the dossiers to act on before and after their deadline.

Catching a dossier before its appointment is the only way to keep the on-time rate; a dossier
resolved late owes the citizen an apology (the plan enforces it); and the dossiers behind a
failing indicator that an officer can still change (not yet synced, not digitised, no
electronic result) are the ones to finish. At an as-of date, per officer (and department):

- due soon: still open, not waiting for the citizen, due within N working days;
- overdue: still open, past the appointment;
- late without an apology: resolved late in the period, with no apology recorded;
- to complete: in a failing indicator's denominator and not its numerator, where the
  numerator asks for something still in the office's hands.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from ttkhc_cli.domain import labels
from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.domain.collation import vi_key
from ttkhc_cli.domain.folding import fold
from ttkhc_cli.domain.periods import Period
from ttkhc_cli.kpi import rules
from ttkhc_cli.kpi.compute import Counter
from ttkhc_cli.kpi.plan import Indicator
from ttkhc_cli.kpi.results import FAIL, IndicatorResult

NO_OFFICER = "(không ghi cán bộ)"
# What an officer can still do for a dossier already received: sync it, digitise it, issue its
# electronic result, reuse data. Payment, channel and timing are past changing.
CHANGEABLE = frozenset({"synced", "dossier_digitised", "result_digitised", "e_result", "data_reused", "data_store"})
PAST = frozenset({"timing", "paid_online", "channel", "online", "online_flag", "rating", "fee"})
Kind = Literal["due_soon", "overdue", "late_no_apology", "to_complete"]
KIND_WORDS = {"due_soon": "đến hạn", "overdue": "đã quá hạn", "late_no_apology": "trễ hạn chưa có phiếu xin lỗi",
              "to_complete": "cần hoàn thiện cho chỉ tiêu"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkItem(_Model):
    kind: Kind
    id: Optional[str]
    procedure: Optional[str]
    received_at: Optional[dt.datetime]
    due_at: Optional[dt.datetime]
    indicator: Optional[str] = None  # for to_complete: the indicator and what it lacks
    lacks: Optional[str] = None
    file: Optional[str] = None
    sheet: Optional[str] = None
    row: Optional[int] = None


class OfficerList(_Model):
    officer: str
    department: Optional[str]
    counts: dict[str, int]
    items: list[WorkItem]
    message: str  # a short text for a chat message


class Worklist(_Model):
    """What `ttkhc worklist --format json` prints."""

    unit: str
    as_of: dt.date
    within: int  # working days
    due_by: dt.date  # the last day "due soon" reaches
    period: str
    officers: list[OfficerList]
    notes: list[str]


def build(engine: Counter, results: list[IndicatorResult], period: Period, calendar: WorkCalendar, within: int = 2,
          officer: str | None = None, unit: str = "") -> Worklist:
    frame = engine.derived("cases")
    present = engine.sources.case_log().present  # the derived log names every field, blank or not
    as_of = engine.as_of
    due_by = calendar.due_dates(pd.Series([pd.Timestamp(as_of)]), pd.Series([float(within)])).iloc[0].date()
    notes: list[str] = []
    who = _column(frame, "officer").fillna(NO_OFFICER).astype(str)
    dept = _column(frame, "department")
    due_day = frame["due_at"].dt.floor("D")
    pending = frame["pending"].to_numpy() & ~frame.get("waiting", pd.Series(False, index=frame.index)).to_numpy()
    soon = pending & (frame["timing"] == "pending_in_time").to_numpy() & (
        due_day <= pd.Timestamp(due_by)).to_numpy() & (due_day >= pd.Timestamp(as_of)).to_numpy()
    overdue = (frame["timing"] == "pending_overdue").to_numpy()
    end_day = frame["end_at"].dt.floor("D")
    late = ((frame["timing"] == "late") & (end_day >= pd.Timestamp(period.start))
            & (end_day <= pd.Timestamp(period.end))).to_numpy()
    if "apology" in present:
        late_no = late & ~frame["apology"].fillna(False).to_numpy(dtype=bool)
    else:
        late_no = np.zeros(len(frame), dtype=bool)
        if late.any():
            notes.append("sổ không có cột Phiếu xin lỗi: chưa biết hồ sơ trễ hạn nào đã có phiếu xin lỗi")
    kinds: list[tuple[Kind, np.ndarray, str | None, str | None]] = [
        ("due_soon", soon, None, None), ("overdue", overdue, None, None), ("late_no_apology", late_no, None, None)]
    kinds += _to_complete(engine, results, period, frame["_pos"].to_numpy())
    if "officer" not in present:
        notes.append("sổ không có cột Cán bộ xử lý: danh sách gộp chung")
    lists = []
    anything = np.logical_or.reduce([m for _, m, _, _ in kinds])
    names = sorted(set(who[anything]), key=lambda k: (k == NO_OFFICER, vi_key(k)))
    for name in names:
        if officer is not None and fold(name) != fold(officer):
            continue
        mine = (who == name).to_numpy()
        items: list[WorkItem] = []
        for kind, mask, ident, lacks in kinds:
            for i in np.flatnonzero(mine & mask):
                items.append(_item(frame, int(i), kind, ident, lacks))
        counts: dict[str, int] = {}
        for it in items:
            counts[it.kind] = counts.get(it.kind, 0) + 1
        depts = dept[mine].dropna().astype(str).unique()
        lists.append(OfficerList(officer=name, department=", ".join(sorted(depts, key=vi_key)) or None,
                                 counts=counts, items=items,
                                 message=message(name, items, within, due_by)))
    if officer is not None and not lists:
        everyone = sorted({str(n) for n in who.unique() if n != NO_OFFICER}, key=vi_key)
        if fold(officer) in {fold(n) for n in everyone}:
            notes.append(f"cán bộ {officer} không có hồ sơ nào cần làm")
        else:
            known = f" (có: {', '.join(everyone)})" if everyone else ""
            notes.append(f"không có cán bộ {officer!r} trong sổ{known}")
    return Worklist(unit=unit, as_of=as_of, within=within, due_by=due_by, period=period.label, officers=lists,
                    notes=notes)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name].astype(object) if name in frame else pd.Series(None, index=frame.index, dtype=object)


def _to_complete(engine: Counter, results: list[IndicatorResult], period: Period,
                 places: np.ndarray) -> list[tuple[Kind, np.ndarray, str | None, str | None]]:
    """For each failing case indicator whose numerator asks for something the office can still
    do, the dossiers of its denominator not yet in its numerator."""
    from ttkhc_cli.kpi import describe

    out: list[tuple[Kind, np.ndarray, str | None, str | None]] = []
    failing = {r.id for r in results if r.status == FAIL}
    for ind in engine.targets.file.indicators:
        if ind.id not in failing or ind.count.per != "dossier" or not changeable(ind):
            continue
        missing, _ = engine.listed(ind, period)
        lacks = describe.phrase(ind.count.numerator_node(), "cases")
        out.append(("to_complete", np.isin(places, missing["_pos"].to_numpy()), f"{ind.id} {ind.short_name}", lacks))
    return out


def changeable(ind: Indicator) -> bool:
    """Whether a case indicator's received dossiers can still enter its numerator (synced,
    digitised, an electronic result issued later), unlike a payment or a timing."""
    if ind.count.source != "cases":  # a figure typed in (manual) has no rule to parse
        return False
    named = rules.fields_of(ind.count.numerator_node())
    return bool(named & CHANGEABLE) and not named & PAST


def _item(frame: pd.DataFrame, i: int, kind: Kind, ident: str | None, lacks: str | None) -> WorkItem:
    row = frame.iloc[i]

    def value(name: str) -> object:
        v = row.get(name) if name in frame else None
        return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v

    def when(name: str) -> dt.datetime | None:
        v = value(name)
        return None if v is None else pd.Timestamp(v).to_pydatetime()

    line: object = value("_row")
    return WorkItem(kind=kind, id=_text(value("case_id")), procedure=_text(value("procedure_name")),
                    received_at=when("received_at"), due_at=when("due_at"), indicator=ident, lacks=lacks,
                    file=_text(value("_file")), sheet=_text(value("_sheet")),
                    row=None if line is None else int(str(line)))


def _text(v: object) -> str | None:
    return None if v is None else str(v)


def message(name: str, items: list[WorkItem], within: int, due_by: dt.date) -> str:
    """One officer's list as a chat message: the counts, then the first dossiers of each kind."""
    who = "Anh/chị" if name == NO_OFFICER else f"Anh/chị {name}"
    heads = {"due_soon": f"đến hạn trong {within} ngày làm việc (đến {due_by:%d/%m/%Y})", "overdue": "đã quá hạn",
             "late_no_apology": "trễ hạn chưa có phiếu xin lỗi"}
    groups: list[tuple[str, list[WorkItem]]] = [(heads[k], [it for it in items if it.kind == k]) for k in heads]
    for ident in dict.fromkeys(it.indicator for it in items if it.kind == "to_complete"):
        groups.append((f"cần hoàn thiện cho chỉ tiêu {ident}",
                       [it for it in items if it.kind == "to_complete" and it.indicator == ident]))
    parts = []
    for head, mine in groups:
        if not mine:
            continue
        shown = []
        for it in mine[:5]:
            label = it.id or (f"dòng {it.row}" if it.row else "?")
            if it.due_at is not None and it.kind in ("due_soon", "overdue"):
                label += f" hạn {it.due_at:%d/%m}"
            shown.append(label)
        more = f" và {labels.count(len(mine) - 5)} hồ sơ khác" if len(mine) > 5 else ""
        parts.append(f"{labels.count(len(mine))} hồ sơ {head}: {', '.join(shown)}{more}")
    if not parts:
        return f"{who} không có hồ sơ cần làm."
    return f"{who} có " + "; ".join(parts) + "."
