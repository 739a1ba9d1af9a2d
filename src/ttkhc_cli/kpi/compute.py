"""Computing every indicator of a target file: numerator, denominator, figure and verdict.

The verdict is exact (fractions, not rounded floats); the figure shown is rounded to two
decimals but never across the threshold, so a failing 94.996 % shows as 94.99 %, not 95.00 %.
A zero denominator or a missing column is "no data" with its reason: never a pass, never a crash.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.domain.collation import vi_key
from ttkhc_cli.domain.errors import EmptyPeriodError
from ttkhc_cli.domain.periods import Period, named_span
from ttkhc_cli.ingest.log import Log
from ttkhc_cli.kpi import describe
from ttkhc_cli.kpi.inputs import Entered
from ttkhc_cli.kpi.needs import missing_for
from ttkhc_cli.kpi.plan import Indicator, LoadedTargets, Target
from ttkhc_cli.kpi.results import (
    FAIL,
    NO_DATA,
    NOT_APPLICABLE,
    PASS,
    ComputeResult,
    FindingCounts,
    Gap,
    Group,
    Groups,
    IndicatorResult,
    PeriodInfo,
    PlanInfo,
    RowCounts,
    Threshold,
)

BY_FIELDS = {
    "department": "department", "procedure": "procedure_name", "field": "field",
    "officer": "officer", "file": "_file", "month": None, "unit": "unit", "province": "province",
}
SOURCE_HINTS = {
    "feedback": "chưa có sổ phản ánh, kiến nghị (--feedback)",
    "documents": "chưa có sổ văn bản (--documents) hoặc số liệu nhập (--inputs)",
    "manual": "chưa nhập số liệu (--inputs)",
    "cases": "chưa có sổ theo dõi hồ sơ",
}
MISSING_GROUP = "(không ghi)"


@dataclass
class Sources:
    cases: Log | None = None
    feedback: Log | None = None
    documents: Log | None = None
    inputs: Entered = field(default_factory=lambda: Entered({}))

    def log(self, source: str) -> Log | None:
        return getattr(self, source, None) if source != "manual" else None

    def case_log(self) -> Log:
        """The case log, which every run reads (the other logs are optional)."""
        if self.cases is None:
            raise ValueError("no case log was read")
        return self.cases

    def logs(self) -> list[Log]:
        """The logs read, case log first."""
        return [log for log in (self.cases, self.feedback, self.documents) if log is not None]


def display_value(numerator: int, denominator: int, target: Target) -> float:
    """The percentage to two decimals, truncated toward the exact value where rounding would cross the threshold."""
    exact = Fraction(numerator * 100, denominator)
    rounded = Fraction(math.floor(exact * 100 + Fraction(1, 2)), 100)
    if target.holds(rounded) != target.met(numerator, denominator):
        goal = Fraction(str(target.value))
        scaled = exact * 100
        rounded = Fraction(math.floor(scaled) if exact < goal else math.ceil(scaled), 100)
    return float(rounded)


# The dates that make the span of the data (the period when none is given), every engine alike.
SPAN_COLUMNS = {"cases": ("received_at", "completed_at", "returned_at", "submitted_at"),
                "feedback": ("received_at", "handled_at"), "documents": ("date",)}


def data_span(sources: Sources) -> Period | None:
    """The period covering every date of the logs: the default when no --period is given."""
    dates = []
    for log in sources.logs():
        for c in SPAN_COLUMNS[log.source]:
            if c in log.frame and log.frame[c].notna().any():
                dates += [log.frame[c].min(), log.frame[c].max()]
    if not dates:
        return None
    start, end = min(dates).date(), max(dates).date()
    return Period("toàn bộ dữ liệu", start, end, "all")


def default_period(sources: Sources) -> Period | None:
    """The period when none is asked for: the data's span, named as a month, quarter, half or
    year when it is one."""
    span = data_span(sources)
    return None if span is None else named_span(span.start, span.end)


def require_dossiers(sources: Sources, period: Period) -> None:
    """A period that holds no dossier at all is an input problem (a wrong --period, the wrong
    file), not a result of "no data" everywhere: stop and say what the data covers."""
    log = sources.cases
    if log is None:
        return
    if log.frame.empty:
        raise EmptyPeriodError(f"không có hồ sơ nào trong kỳ {period.label} "
                               f"({period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}); sổ không có dòng hồ sơ nào")
    outside_span(data_span(sources), period)
    f = log.frame
    received = f["received_at"] if "received_at" in f else f.get("submitted_at")
    if received is None:
        return
    end = pd.Series(pd.NaT, index=f.index, dtype="datetime64[ns]")
    for c in ("completed_at", "returned_at", "rejected_at", "withdrawn_at"):
        if c in f:
            end = end.fillna(f[c])
    start, stop = pd.Timestamp(period.start), pd.Timestamp(period.end) + pd.Timedelta(days=1)
    alive = (received < stop) & (end.isna() | (end >= start))
    if alive.any():
        return
    span = data_span(Sources(cases=log))
    covers = f"; dữ liệu từ {span.start:%d/%m/%Y} đến {span.end:%d/%m/%Y}" if span else ""
    raise EmptyPeriodError(f"không có hồ sơ nào trong kỳ {period.label} "
                           f"({period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}){covers}")


def outside_span(span: Period | None, period: Period) -> None:
    """A period that begins after the last date the logs hold, or ends before the first, is an
    input error: pending dossiers do not make a later year "covered"."""
    if span is None or (span.start <= period.end and period.start <= span.end):
        return
    raise EmptyPeriodError(f"kỳ {period.label} ({period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}) nằm ngoài dữ liệu: "
                           f"các sổ có ngày từ {span.start:%d/%m/%Y} đến {span.end:%d/%m/%Y}")


def default_as_of(period: Period, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return min(period.end, today)


class Counter:
    """What every engine shares: an indicator's figure from its counts, and why it has none.

    An engine (the compiled plan on DuckDB or Spark, ``ttkhc_cli.engines``) only counts and
    lists: ``counts`` gives the numerator and denominator of each indicator, for the whole
    period or per group; ``listed`` and ``derived`` give the rows behind them. Entered figures,
    missing columns, tables left out and verdicts are decided here, once for all.
    """

    name = "sql"

    def __init__(self, targets: LoadedTargets, sources: Sources, as_of: dt.date):
        self.targets = targets
        self.sources = sources
        self.as_of = as_of
        # Which tables each indicator leaves out, by its id: the same in every period and group.
        self._lacking: dict[str, list[Any]] = {}

    # -- what an engine provides
    def countable(self, source: str) -> bool:
        raise NotImplementedError

    def counts(self, inds: list[Indicator], period: Period,
               by: str | None = None) -> dict[str | None, dict[str, tuple[int, int]]]:
        """(numerator, denominator) per indicator id; per group key when ``by`` (sorted, missing last),
        with only the indicators whose log can be split by that group."""
        raise NotImplementedError

    def splittable(self, by: str) -> set[str]:
        """The logs that have the column ``by`` groups on."""
        raise NotImplementedError

    def derived(self, source: str) -> pd.DataFrame:
        """The log with its derived columns, in the log's order (the report's Biểu 06 and late
        list, the worklist read it)."""
        raise NotImplementedError

    def kinds(self, source: str, kinds: dict[str, str], columns: tuple[str, ...],
              limit: int) -> dict[str, tuple[pd.DataFrame, int]]:
        """Per kind of row (a name and a condition over the derived columns), its first rows in the
        log's order and how many there are, in one pass."""
        raise NotImplementedError

    def form06(self, period: Period, by_unit: bool, no_sector: str, no_unit: str) -> pd.DataFrame:
        """Biểu 06's counts per sector (and unit): one row per group with its columns and the
        dossiers whose timing cannot be judged (``unknown``)."""
        raise NotImplementedError

    def late_rows(self, period: Period) -> pd.DataFrame:
        """The derived rows resolved late in the period or pending overdue at the as-of date."""
        raise NotImplementedError

    def units(self) -> list[str]:
        """The units the case log names."""
        raise NotImplementedError

    def listed(self, ind: Indicator, period: Period, everything: bool = False,
               limit: int | None = None) -> tuple[pd.DataFrame, int]:
        """The derived rows of an indicator's denominator not in its numerator (``everything``:
        all, ``_in`` marking those in), in file and row order, at most ``limit``; and the total."""
        raise NotImplementedError

    # -- shared
    def has_days(self) -> bool:
        return any(p.processing_days is not None for p in self.targets.file.procedures)

    def missing(self, ind: Indicator) -> list[str]:
        """Labels of the columns the indicator needs that its log lacks."""
        log = self.sources.log(ind.count.source)
        assert log is not None
        return [alternatives(log.source, g) for g in missing_for(ind.count, log.present, self.has_days())]

    def lacking(self, ind: Indicator) -> list[Any]:
        """The tables of a log made of several that lack a column this indicator needs (their rows
        can never reach its numerator, so they are left out of its denominator too)."""
        if ind.id not in self._lacking:
            self._lacking[ind.id] = self._tables_lacking(ind)
        return self._lacking[ind.id]

    def _tables_lacking(self, ind: Indicator) -> list[Any]:
        log = self.sources.log(ind.count.source)
        if log is None or len(log.files) < 2:
            return []
        has_days = self.has_days()
        lacks: dict[frozenset[str], bool] = {}  # by the columns a table has: a thousand files share a few
        out = []
        for info in log.files:
            key = frozenset(info.present)
            if key not in lacks:
                lacks[key] = bool(missing_for(ind.count, info.present, has_days))
            if lacks[key]:
                out.append(info)
        return out

    def partial_note(self, ind: Indicator) -> str | None:
        """Which tables the indicator leaves out, and the column each lacks."""
        lacking = self.lacking(ind)
        if not lacking:
            return None
        source = ind.count.source
        parts = [f"{info.place} (thiếu cột " + ", ".join(alternatives(source, g) for g in
                                                         missing_for(ind.count, info.present, self.has_days())) + ")"
                 for info in lacking]
        return "không tính hồ sơ của " + "; ".join(parts)

    def to_count(self, ind: Indicator, period: Period) -> bool:
        """Whether the figure comes from counting a log (not entered, not missing)."""
        src = ind.count.source
        if src == "manual" or not self.countable(src):
            return False
        return not self.missing(ind)

    def results(self, period: Period) -> list[IndicatorResult]:
        inds = self.targets.file.indicators
        counted = self.counts([i for i in inds if self.to_count(i, period)], period)[None]
        return [self.result(i, period, counted.get(i.id)) for i in inds]

    def group_results(self, period: Period, by: str) -> list[Group]:
        inds = self.targets.file.indicators
        counted = self.counts([i for i in inds if self.to_count(i, period)], period, by)
        split = self.splittable(by)
        items = []
        for key, figures in counted.items():
            row = [_ungrouped(i) if i.count.source == "manual" or i.count.source not in split
                   else self.result(i, period, figures.get(i.id)) for i in inds]
            items.append(Group(key=str(key), indicators=row))
        return items

    def result(self, ind: Indicator, period: Period, counted: tuple[int, int] | None) -> IndicatorResult:
        return IndicatorResult(**_head(ind), **self._figure(ind, period, counted))

    def _figure(self, ind: Indicator, period: Period, counted: tuple[int, int] | None) -> dict[str, Any]:
        level = self.targets.file.plan.unit_level
        if not ind.applies(level):
            levels = ", ".join(ind.applies_to or [])
            return {"value": None, "numerator": None, "denominator": None, "status": NOT_APPLICABLE,
                    "note": f"không áp dụng cho đơn vị cấp {level} (chỉ tiêu của cấp {levels})"}
        src = ind.count.source
        figure = self.sources.inputs.get(ind.id, period)
        entered = self.sources.inputs.other_periods(ind.id)
        if src == "manual" or (not self.countable(src) and (figure is not None or entered)):
            if figure is None and entered:
                return _no_data(f"số liệu nhập là của kỳ {', '.join(entered)}, không phải kỳ này")
            if figure is None or figure.numerator is None:
                return _no_data(SOURCE_HINTS["manual"])
            return _with_gap(ind, _verdict(figure.numerator, figure.denominator, ind.target,
                                           "số liệu nhập tay" + (f": {figure.note}" if figure.note else "")))
        if not self.countable(src):
            return _no_data(SOURCE_HINTS[src])
        missing = self.missing(ind)
        if missing:
            return _no_data("thiếu cột " + ", ".join(missing))
        num, den = counted if counted is not None else (0, 0)
        partial = "; ".join(x for x in (self.partial_note(ind), self.synced_note(ind)) if x) or None
        if den == 0:
            return _no_data(partial or describe.no_data_note(ind), num, den)
        return _with_gap(ind, _verdict(num, den, ind.target, partial))

    def synced_note(self, ind: Indicator) -> str | None:
        """Whether a count the portal makes of synced dossiers only could follow it here."""
        if ind.count.synced is None:
            return None
        log = self.sources.log(ind.count.source)
        if log is not None and "synced" in log.present:
            return ("chỉ tính hồ sơ đã đồng bộ lên Cổng DVCQG" if ind.count.synced == "population"
                    else "tử số chỉ tính hồ sơ đã đồng bộ lên Cổng DVCQG")
        return "sổ không có cột đồng bộ DVCQG: tính mọi hồ sơ (Cổng DVCQG chỉ tính hồ sơ đã đồng bộ)"


def alternatives(source: str, group: tuple[str, ...]) -> str:
    """A group of columns any one of which would do, as the user reads it ("A hoặc B")."""
    return " hoặc ".join(F.label(source, x) for x in group if not x.startswith("_"))


def group_column(by: str, present: set[str]) -> str | None:
    """The column a group splits a log on (procedure: the name, else the code); None when the log
    lacks it (or for months, which are periods, not a column)."""
    if by == "procedure":
        return next((c for c in ("procedure_name", "procedure_code") if c in present), None)
    column = BY_FIELDS.get(by)
    return column if column is not None and column in present else None


def group_order(keys: Any) -> list[str]:
    """Group keys as every output lists them: in Vietnamese alphabetical order (Đ after D), the
    rows without a value last."""
    return sorted((str(k) for k in keys), key=lambda k: (k == MISSING_GROUP, vi_key(k)))


def _with_gap(ind: Indicator, figure: dict[str, Any]) -> dict[str, Any]:
    """A failing figure with the dossiers it lacks (``gap``)."""
    if figure["status"] != FAIL:
        return figure
    n = describe.gap(ind.target, figure["numerator"], figure["denominator"])
    return {**figure, "gap": Gap(dossiers=n, text=describe.gap_text(ind, n))} if n else figure


def _no_data(reason: str, num: int | None = None, den: int | None = None) -> dict[str, Any]:
    return {"value": None, "numerator": num, "denominator": den, "status": NO_DATA, "note": reason}


def _verdict(num: int, den: int, target: Target, note: str | None) -> dict[str, Any]:
    if den == 0:
        return _no_data("mẫu số bằng 0", num, den)
    return {
        "value": display_value(num, den, target), "numerator": num, "denominator": den,
        "status": PASS if target.met(num, den) else FAIL, "note": note,
    }


def calendar_for(targets: LoadedTargets) -> WorkCalendar:
    cal = targets.file.calendar
    return _calendar(tuple(cal.extra_holidays), tuple(cal.working_days))


@lru_cache(maxsize=8)
def _calendar(extra: tuple[dt.date, ...], working: tuple[dt.date, ...]) -> WorkCalendar:
    return WorkCalendar(extra, working)


def compute(targets: LoadedTargets, sources: Sources, period: Period | None = None,
            as_of: dt.date | None = None, by: str | None = None, today: dt.date | None = None,
            findings: dict[str, Any] | None = None, engine: Counter | None = None,
            make_engine: EngineFactory | None = None) -> ComputeResult:
    """Every indicator for the period (default: the whole data), optionally per group.

    ``findings`` are the validation counts shown with the result; ``make_engine`` builds the
    engine at an as-of date (and for months, at theirs); an ``engine`` already built at the same
    as-of date can be passed instead, to reuse it.
    """
    period = period or default_period(sources) or Period("toàn bộ dữ liệu", dt.date(targets.file.plan.year, 1, 1),
                                                   dt.date(targets.file.plan.year, 12, 31), "all")
    if make_engine is None and (engine is None or by == "month"):
        raise ValueError("compute needs make_engine: an engine for each as-of date")
    if engine is None:
        assert make_engine is not None
        engine = make_engine(targets, sources, as_of or default_as_of(period, today))
    plan = targets.file.plan
    return ComputeResult(
        targets=PlanInfo(file=targets.path, unit=plan.unit, title=plan.title, year=plan.year),
        period=PeriodInfo.of(period),
        as_of=engine.as_of,
        timing=targets.file.timing,
        rows=RowCounts(**(sources.cases.rows_json() if sources.cases else {"read": 0, "used": 0, "excluded": {}})),
        sources={name: RowCounts(**log.rows_json()) for name in ("cases", "feedback", "documents")
                 if (log := sources.log(name)) is not None},
        indicators=engine.results(period),
        findings=FindingCounts(**findings) if findings is not None else None,
        groups=groups(targets, sources, engine, period, by, today, make_engine) if by else None,
    )


EngineFactory = Callable[[LoadedTargets, Sources, dt.date], Counter]


def groups(targets: LoadedTargets, sources: Sources, engine: Counter, period: Period, by: str,
           today: dt.date | None, make_engine: EngineFactory | None) -> Groups:
    """The same indicators per group: a department, procedure, sector, officer, file or month."""
    if by != "month":
        return Groups(by=by, items=engine.group_results(period, by))
    items: list[Group] = []
    months = period.months()
    events = _EventDays(sources, engine) if len(months) > QUIET_MONTHS_FROM else None
    last: tuple[Period, dt.date, list[IndicatorResult]] | None = None
    for month in months:
        as_of = default_as_of(month, today)
        if events is not None and last is not None and events.none_between(last[0].start, month.end) \
                and events.none_between(min(last[1], as_of), max(last[1], as_of)):
            per_month = last[2]  # nothing happened in either month nor between their as-of days
        else:
            assert make_engine is not None  # compute refuses months without it
            sub = make_engine(targets, sources, as_of)
            per_month = [_ungrouped(i) if i.count.source == "manual" else r
                         for i, r in zip(targets.file.indicators, sub.results(month))]
            if events is not None:
                events.add(sub)
        items.append(Group(key=month.label, period=PeriodInfo.of(month), indicators=per_month))
        last = (month, as_of, per_month)
    return Groups(by=by, items=items)


# Months are counted one by one up to this many; beyond (a log whose dates span decades), a
# month in which nothing happened takes the figures of the month before instead of a new count,
# so that the work grows with the data, not with the length of the period.
QUIET_MONTHS_FROM = 24
EVENTS_ROWS_AT_MOST = 200_000


class _EventDays:
    """Every day on which something in the logs happens: any date of any log, and the derived
    dates (appointments computed from processing days, moved by waits) of each engine built.

    An engine's derived data depends on its as-of date only through comparisons with these
    dates, and a month's counts only through the dates that fall in it; so two consecutive
    months count the same when no event day falls in either, nor between their as-of days.
    Logs not held in memory (a dataset) give no events: every month is counted."""

    def __init__(self, sources: Sources, engine: Counter):
        self.days = np.array([], dtype="datetime64[D]")
        self.usable = True
        for log in sources.logs():
            # A dataset's log is not in memory; a large one is not pulled out of an SQL engine.
            if log.frame is None or (log.frame.empty and log.used) or log.used > EVENTS_ROWS_AT_MOST:
                self.usable = False
                return
            self._take(log.frame)
        self.add(engine)

    def _take(self, frame: pd.DataFrame) -> None:
        cols = [frame[c] for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c].dtype)]
        if cols:
            days = np.concatenate([c.dropna().to_numpy().astype("datetime64[D]") for c in cols])
            self.days = np.unique(np.concatenate([self.days, days]))

    def add(self, engine: Counter) -> None:
        if not self.usable:
            return
        for source in ("cases", "feedback", "documents"):
            try:
                frame = engine.derived(source)
            except (KeyError, NotImplementedError):
                continue
            if frame is not None:
                self._take(frame)

    def none_between(self, first: dt.date, last: dt.date) -> bool:
        """Whether no event day lies from ``first`` to ``last``, both included."""
        if not self.usable:
            return False
        lo = np.searchsorted(self.days, np.datetime64(first, "D"), side="left")
        hi = np.searchsorted(self.days, np.datetime64(last, "D"), side="right")
        return bool(lo == hi)


def _head(ind: Indicator) -> dict[str, Any]:
    """What every result row says about its indicator, whatever its figure."""
    return {
        "id": ind.id,
        "name": ind.name,
        "short": ind.short_name,
        "section": ind.section,
        "source": ind.count.source,
        "lead": ind.lead,
        "target": Threshold(op=ind.target.op, value=ind.target.value),
    }


def _ungrouped(ind: Indicator) -> IndicatorResult:
    """An indicator whose figure cannot be split by the chosen group (an entered figure, say)."""
    return IndicatorResult(**_head(ind), **_no_data("không chia được theo nhóm này"))
