"""The quarterly report's content: every table of the workbook as plain data, before any styling.

Kept apart from the Excel writer so that each figure can be tested against `compute`, and so
that the writer only lays out what this module decided.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from ttkhc_cli import __version__
from ttkhc_cli.domain import periods
from ttkhc_cli.domain.collation import vi_key
from ttkhc_cli.domain.labels import target as target_label
from ttkhc_cli.ingest.findings import Finding, summary
from ttkhc_cli.io.checksum import sha256
from ttkhc_cli.kpi import compute as C
from ttkhc_cli.kpi import describe, explain
from ttkhc_cli.kpi.plan import LoadedTargets
from ttkhc_cli.kpi.projection import year_of
from ttkhc_cli.kpi.results import (
    ActionItem,
    ComputeResult,
    ExplainedDossier,
    FindingOut,
    Group,
    Groups,
    IndexResult,
    IndicatorNote,
    IndicatorResult,
    InputFile,
    PeriodInfo,
    Projection,
    ReadingNote,
    YearToDate,
)
from ttkhc_cli.kpi.tasks import TasksResult
from ttkhc_cli.kpi.worklist import Worklist

FORM06_COLUMNS = (
    "STT", "Lĩnh vực, công việc giải quyết theo cấp",
    "Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước",
    "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn",
    "Tổng số", "Trong hạn", "Quá hạn",
)
NO_SECTOR = "(không ghi lĩnh vực)"
LATE_COLUMNS = ("Mã hồ sơ", "Thủ tục", "Bộ phận", "Cán bộ xử lý", "Ngày tiếp nhận", "Ngày hẹn trả",
                "Ngày có kết quả", "Tình trạng", "Số ngày làm việc quá hạn", "Lý do quá hạn", "Phiếu xin lỗi")


class ReportData(BaseModel):
    """Everything the workbook shows, decided here; the writer only lays it out."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    unit: str
    plan_title: str
    plan_reference: str = ""  # the plan as the báo cáo cites it (its number and date, when known)
    targets_file: str
    period: periods.Period
    as_of: dt.date
    result: ComputeResult  # the whole period, as `compute --format json` (groups by department apart)
    months: list[Group]  # per month of the period
    trend: list[Group]  # per month of the year to date
    year_to_date: YearToDate | None
    by_department: Groups
    by_file: Groups | None
    form06: list[list[Any]]  # rows of Biểu 06, the total row last
    form06_note: str | None
    form06_groups: list[int] = Field(default_factory=list)  # rows of Biểu 06 that head a unit's group
    late: pd.DataFrame
    findings: list[FindingOut]
    indicators: list[IndicatorNote]  # the target file's indicators with how they are counted
    inputs: list[InputFile]  # input files with their SHA-256
    reading: list[ReadingNote] = Field(default_factory=list)  # how each log's files were read
    timing_rules: list[str] = Field(default_factory=list)  # the plan's timing rules, in sentences
    actions: list[ActionItem] = Field(default_factory=list)  # failing indicators, gap and dossiers
    by_unit: Groups | None = None  # when the case log holds several units (communes, wards)
    index: IndexResult | None = None  # the national service index (QĐ 766), month by month
    tasks: TasksResult | None = None  # Appendix II's tasks and the reporting calendar at the as-of date
    projection: list[Projection] | None = None  # the pace to year end, at an as-of inside the year
    worklist: Worklist | None = None  # each officer's dossiers to act on at the as-of date
    unit_notes: list[str] = Field(default_factory=list)  # whose files, which plan, and the warnings about them
    superior: str | None = None  # the body above the unit, printed over its name ("UBND huyện …")
    warning: str | None = None  # said in red under the head of every signed sheet (the sample plan's figures)
    place: str | None = None  # the place of the date line ("Đắk Rơ Va, ngày … tháng … năm …")
    recipients: list[str] | None = None  # "Nơi nhận" of the báo cáo, from the plan
    generated: dt.datetime = Field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    version: str = __version__


NO_UNIT = "(không ghi đơn vị)"


def form06(engine: C.Counter, period: periods.Period,
           by_unit: bool = False) -> tuple[list[list[Any]], str | None, list[int]]:
    """Biểu 06/VPCP/KSTT by sector; 3 = 4 + 5 + 6, 7 = 8 + 9 + 10, 11 = 12 + 13, 3 = 7 + 11 by construction.

    The engine counts it at the period's end (``sqlplan.form06_query`` holds the rule: dossiers
    received before the period and not resolved before it began are carried over, column 6;
    those whose timing cannot be judged cannot be placed in columns 8–13 and are left out with a
    note). ``by_unit`` gives one row group per unit (its total, then its sectors), as the
    provincial form has it; the third value lists the rows that head a group.
    """
    counts = engine.form06(period, by_unit, NO_SECTOR, NO_UNIT)
    cols = [c for c in counts.columns if c not in ("u", "sector", "unknown")]  # the form's columns, in order
    unknown = int(counts["unknown"].sum()) if len(counts) else 0
    table = counts[counts[["online", "direct", "carried"]].sum(axis=1) > 0]  # groups with a dossier on the form
    rows: list[list[Any]] = []
    heads: list[int] = []
    if by_unit:
        for k, name in enumerate(sorted(set(table["u"]), key=vi_key), start=1):
            sub, total = _sector_rows(table[table["u"] == name], cols)
            heads.append(len(rows))
            rows.append(_form_row(_roman(k), str(name), total))
            rows += sub
    else:
        rows, _ = _sector_rows(table, cols)
    total = table[cols].sum() if len(table) else pd.Series(0, index=cols)
    rows.append(_form_row("", "Tổng cộng", total))
    note = None
    if unknown:
        note = (f"{unknown} hồ sơ không đánh giá được tiến độ (thiếu ngày hẹn trả, hoặc đã có kết quả mà không "
                "ghi ngày) không đưa vào biểu")
    return rows, note, heads


def _sector_rows(table: pd.DataFrame, cols: list[str]) -> tuple[list[list[Any]], pd.Series]:
    """One row per sector (Vietnamese order, the unnamed sector last) and their total."""
    sums = table.groupby("sector", sort=False)[cols].sum()
    sums = sums.loc[sorted(sums.index, key=lambda k: (k == NO_SECTOR, vi_key(k)))]
    rows = [_form_row(n, name, r) for n, (name, r) in enumerate(sums.iterrows(), start=1)]
    return rows, (sums.sum() if len(sums) else pd.Series(0, index=cols))


def _roman(n: int) -> str:
    """I, II, III… for the unit groups of Biểu 06."""
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def _form_row(n: Any, name: str, r: pd.Series) -> list[Any]:
    c4, c5, c6 = int(r["online"]), int(r["direct"]), int(r["carried"])
    c8, c9, c10 = int(r["early"]), int(r["on_time"]), int(r["late"])
    c12, c13 = int(r["in_time"]), int(r["overdue"])
    return [n, name, c4 + c5 + c6, c4, c5, c6, c8 + c9 + c10, c8, c9, c10, c12 + c13, c12, c13]


def late_cases(engine: C.Counter, period: periods.Period, by_unit: bool = False) -> pd.DataFrame:
    """Dossiers resolved late in the period or pending overdue at its end, with their working
    days late (the engine selects and counts them, ``sqlplan.late_query``): the list to act on
    (with ``by_unit``, each dossier's unit first and the list ordered by unit)."""
    rows = engine.late_rows(period)
    get = lambda c: rows[c] if c in rows else pd.Series(None, index=rows.index, dtype=object)
    proc = get("procedure_name")
    proc = proc.where(proc.notna(), get("procedure_code"))
    out = pd.DataFrame({
        "Mã hồ sơ": get("case_id"),
        "Thủ tục": proc,
        "Bộ phận": get("department"),
        "Cán bộ xử lý": get("officer"),
        "Ngày tiếp nhận": rows["received_at"],
        "Ngày hẹn trả": rows["due_at"],
        "Ngày có kết quả": rows["end_at"].where(rows["resolved"]),
        "Tình trạng": np.where(rows["resolved"], "Đã giải quyết quá hạn", "Đang giải quyết, quá hạn"),
        "Số ngày làm việc quá hạn": rows["late_days"],
        "Lý do quá hạn": get("late_reason"),
        "Phiếu xin lỗi": get("apology").map({True: "Có", False: "Chưa"}) if "apology" in rows else None,
    })
    if not by_unit:
        return out.sort_values(["Ngày hẹn trả", "Mã hồ sơ"], kind="stable").reset_index(drop=True)
    out.insert(0, "Đơn vị", get("unit").astype(object))
    order = out["Đơn vị"].map(lambda v: vi_key(str(v)) if v is not None and v == v else ("~",))
    return (out.assign(_u=order).sort_values(["_u", "Ngày hẹn trả", "Mã hồ sơ"], kind="stable")
            .drop(columns="_u").reset_index(drop=True))


def indicator_notes(loaded: LoadedTargets) -> list[IndicatorNote]:
    return [IndicatorNote(id=i.id, name=i.name, basis=i.basis, lead=i.lead, support=i.support,
                          target=target_label(i.target), source=i.count.source,
                          period_by=i.count.period_by, denominator=i.count.denominator,
                          numerator=i.count.numerator, formula=i.formula, sentence=describe.sentence(i))
            for i in loaded.file.indicators]


ACTION_CAP = 15  # dossiers listed per failing indicator on the "Việc cần làm" sheet


def actions(loaded: LoadedTargets, sources: C.Sources, engine: C.Counter, result: ComputeResult,
            period: periods.Period) -> list[ActionItem]:
    """Each failing indicator with the first dossiers that fail it and how many do (when the logs
    are files: a province's dataset has `explain` per unit)."""
    in_files = sources.cases is not None and len(sources.cases.frame) > 0
    out = []
    for figure, ind in zip(result.indicators, loaded.file.indicators):
        if figure.status != "fail":
            continue
        rows: list[dict] = []
        total = 0
        if in_files and ind.count.source != "manual" and engine.to_count(ind, period):
            rows, total = explain.dossiers(engine, ind, period, limit=ACTION_CAP)
        out.append(ActionItem(indicator=figure, dossiers=[ExplainedDossier(**r) for r in rows], total=total))
    return out


def _items(result: ComputeResult) -> list[Group]:
    return result.groups.items if result.groups is not None else []


def year_start(period: periods.Period) -> periods.Period:
    """From the start of the period's year (in its window) to the period's end."""
    first = year_of(period)
    return periods.Period(f"Lũy kế {first.label}", first.start, period.end, period.window)


def collect(
    loaded: LoadedTargets,
    sources: C.Sources,
    findings: list[Finding],
    period: periods.Period | None,
    as_of: dt.date | None,
    roles: list[tuple[str, Path]],
    today: dt.date | None,
    make_engine: C.EngineFactory,
) -> ReportData:
    """Everything the report shows, computed once from the same sources as `compute`.

    ``roles`` names each input file (case log, feedback log, target file…) for the notes sheet.
    """
    plan = loaded.file
    the_period = period or C.default_period(sources) or periods.parse_period(str(plan.plan.year))
    as_of = as_of or C.default_as_of(the_period, today)
    # Each table is computed once: the case log is derived once at the period's as-of date (for
    # the indicators, the departments, the files, Biểu 06 and the late list), and the period's
    # months are taken from the year-to-date months (same months, same as-of dates).
    engine = make_engine(loaded, sources, as_of)
    whole = C.compute(loaded, sources, the_period, as_of, "department", today, summary(findings), engine,
                      make_engine)
    assert whole.groups is not None
    by_dept, result = whole.groups, whole.model_copy(update={"groups": None})
    ytd_period = year_start(the_period) if the_period.window in periods.WINDOWS else None
    labels = [m.label for m in the_period.months()]
    ytd_inds: list[IndicatorResult] | None = None
    if ytd_period is not None:
        ytd = C.compute(loaded, sources, ytd_period, as_of, "month", today, make_engine=make_engine)
        trend, ytd_inds = _items(ytd), ytd.indicators
        months = [m for m in trend if m.key in labels]
    else:
        months = _items(C.compute(loaded, sources, the_period, as_of, "month", today, make_engine=make_engine))
        trend = months
    files_seen = {f.file for f in sources.case_log().files}
    by_file = (
        C.compute(loaded, sources, the_period, as_of, "file", today, engine=engine).groups
        if len(files_seen) > 1
        else None
    )
    several = len(engine.units()) > 1
    rows06, note06, heads06 = form06(engine, the_period, several)
    by_unit = C.compute(loaded, sources, the_period, as_of, "unit", today, engine=engine).groups if several else None
    return ReportData(
        unit=plan.plan.unit,
        plan_title=plan.plan.title,
        plan_reference=plan.plan.reference(),
        targets_file=loaded.path,
        period=the_period,
        as_of=as_of,
        result=result,
        months=months,
        trend=trend,
        year_to_date=YearToDate(period=PeriodInfo.of(ytd_period), indicators=ytd_inds)
        if ytd_period is not None and ytd_inds
        else None,
        by_department=by_dept,
        by_file=by_file,
        form06=rows06,
        form06_note=note06,
        form06_groups=heads06,
        late=late_cases(engine, the_period, several),
        findings=[FindingOut(**f.to_json()) for f in findings],
        indicators=indicator_notes(loaded),
        inputs=[InputFile(role=role, file=str(f), sha256=sha256(f)) for role, f in roles],
        timing_rules=loaded.file.timing.sentences(),
        actions=actions(loaded, sources, engine, result, the_period),
        by_unit=by_unit,
        reading=[
            ReadingNote(**f, log=name)
            for name in ("cases", "feedback", "documents")
            if (log := sources.log(name)) is not None
            for f in log.files_json()
        ],
    )
