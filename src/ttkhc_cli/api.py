"""The library's front door: one request in, plain data out, for the CLI and for programs.

A ``Request`` says everything one run is asked to do (files, plan, period, logs, read options);
the CLI builds it once from its arguments and passes it down. `ttkhc compute --format json`
prints exactly what ``compute_files`` returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ttkhc_cli.domain import periods
from ttkhc_cli.domain.errors import UsageError
from ttkhc_cli.ingest import log as ingest
from ttkhc_cli.ingest import mapping, profiles
from ttkhc_cli.ingest.catalogue import message
from ttkhc_cli.ingest.findings import WARNING, Finding, count_by_severity, summary
from ttkhc_cli.io.excel import find_sheet
from ttkhc_cli.io.table import ReadOptions
from ttkhc_cli.kpi import compute as C
from ttkhc_cli.kpi import coverage, inputs, timing_check
from ttkhc_cli.kpi import plan as plan_file
from ttkhc_cli.kpi import report_data as R
from ttkhc_cli.kpi.results import (
    ComputeResult,
    FileRead,
    FindingOut,
    MappedColumn,
    RowCounts,
    SeverityCounts,
    ValidationReport,
)
from ttkhc_cli.quality import checks

Step = Callable[[str], None]


@dataclass(frozen=True)
class Request:
    """What one run is asked to do. Paths are kept as given, so messages show them as typed."""

    files: tuple[Path, ...]
    targets_file: Path | None = None
    period: str | None = None
    window: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    as_of: dt.date | str | None = None
    by: str | None = None
    feedback: Path | None = None
    documents: Path | None = None
    inputs_file: Path | None = None
    columns: Path | None = None
    read: ReadOptions = field(default_factory=ReadOptions)
    profile: str | None = None  # an export profile's name or file (None: recognised per file)
    today: dt.date | None = None
    engine: str | None = None  # pandas, duckdb or spark (None: chosen by the data's size)
    spark_master: str = "local[*]"

    def __post_init__(self) -> None:
        object.__setattr__(self, "files", tuple(Path(f) for f in self.files))
        for name in ("targets_file", "feedback", "documents", "inputs_file", "columns"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, Path(value))

    def inputs(self) -> list[Path]:
        """Every file the run reads: an output may replace none of them."""
        others = (self.feedback, self.documents, self.inputs_file, self.targets_file, self.columns)
        return [*self.files, *(p for p in others if p is not None)]


def resolve_period(plan_window: str, request: Request) -> periods.Period | None:
    """The period the options ask for, in the plan's window unless --window says otherwise."""
    window = request.window or plan_window
    if request.period and (request.date_from or request.date_to):
        raise UsageError("dùng --period hoặc --from/--to, không dùng cả hai")
    if request.period:
        return periods.parse_period(request.period, window)
    if request.date_from or request.date_to:
        if not (request.date_from and request.date_to):
            raise UsageError("cần cả --from và --to")
        return periods.between(periods.parse_date(request.date_from, "--from"),
                               periods.parse_date(request.date_to, "--to"))
    return None


def load_sources(request: Request, plan: plan_file.TargetFile, on_step: Step | None = None) -> C.Sources:
    """Read the case log(s) and the other logs; a workbook's own PAKN / documents sheets are found by their headers."""
    overrides = mapping.read_column_map(request.columns)
    profile = profiles.resolve(request.profile)
    cases = ingest.read_log(request.files, "cases", request.read, overrides, on_step, profile)
    extra = {}
    for source, given in (("feedback", request.feedback), ("documents", request.documents)):
        if given is not None:
            options = ReadOptions(encoding=request.read.encoding, delimiter=request.read.delimiter)
            extra[source] = ingest.read_log([given], source, options, overrides, on_step, profile)
            continue
        finder = mapping.Matcher(profile or profiles.union(), source, overrides)
        for f in request.files:
            sheet = find_sheet(f, source, finder.field_of)
            if sheet is not None and sheet != cases.files[0].sheet:
                extra[source] = ingest.read_log([f], source, ReadOptions(sheet=sheet), overrides, profile=profile)
                break
    return C.Sources(cases=cases, feedback=extra.get("feedback"), documents=extra.get("documents"),
                     inputs=inputs.load_entered(request.inputs_file, plan))


@dataclass
class Prepared:
    """What `compute` and `report` both start from: the plan, the period asked for, the logs."""

    targets: plan_file.LoadedTargets
    period: periods.Period | None
    as_of: dt.date | None
    sources: C.Sources
    findings: list[Finding]


def prepare(request: Request, on_step: Step | None = None) -> Prepared:
    """Load the target file, read the period options (before any file is read), read and check the logs."""
    loaded = plan_file.load_plan(request.targets_file)
    plan = loaded.file
    the_period = resolve_period(plan.plan.window, request)
    as_of = request.as_of
    if isinstance(as_of, str):
        as_of = periods.parse_date(as_of, "--as-of")
    today = request.today or dt.date.today()
    if the_period is not None and as_of is not None and as_of < the_period.start:
        raise UsageError(f"--as-of {as_of:%d/%m/%Y} trước ngày đầu kỳ {the_period.label} ({the_period.start:%d/%m/%Y})")
    sources = load_sources(request, plan, on_step)
    if the_period is not None:
        C.require_dossiers(sources, the_period)
    if on_step:
        on_step("Đang kiểm tra và tính chỉ tiêu")
    findings = checks.ordered([f for log in sources.logs() for f in validation(log, loaded)])
    if as_of is not None and as_of > today:
        shown = as_of.strftime("%d/%m/%Y")
        findings.append(Finding("as-of-future", WARNING, None, None, None, None, None, shown,
                                message("as-of-future", value=shown)))
    return Prepared(loaded, the_period, as_of, sources, findings)


ENGINES = ("pandas", "duckdb", "spark")
LARGE = 200_000  # rows from which the DuckDB engine counts faster than pandas, start-up included


def engine_factory(request: Request, targets: plan_file.LoadedTargets, sources: C.Sources) -> C.EngineFactory:
    """The engine the request names, or the one that suits the data: pandas for a commune's
    files, DuckDB from a few hundred thousand dossiers."""
    name = request.engine
    if name is None:
        rows = sum(len(log.frame) for log in sources.logs())
        name = "duckdb" if rows >= LARGE else "pandas"
    if name not in ENGINES:
        raise UsageError(f"--engine {name!r} không hợp lệ; dùng {', '.join(ENGINES)}")
    if name == "pandas":
        return C.pandas_engine
    if name == "spark":
        from ttkhc_cli.engines.spark import SparkBackend
        from ttkhc_cli.engines.spark import engine_factory as spark_engines

        return spark_engines(SparkBackend.of_sources(sources, C.calendar_for(targets), request.spark_master))
    from ttkhc_cli.engines import duck

    return duck.engine_factory(duck.DuckBackend(duck.tables_of(sources), C.calendar_for(targets)))


def validation(log: ingest.Log, loaded: plan_file.LoadedTargets) -> list[Finding]:
    """Every finding of a log: reading and mapping, what the plan needs of it, cell and row checks."""
    plan = loaded.file
    found = list(log.findings) + coverage.missing_columns(log, plan) + checks.check(log, plan.plan.year)
    if log.source == "cases":
        found += timing_check.findings(log, plan, C.calendar_for(loaded))
    return checks.ordered(found)


def compute_files(request: Request, on_step: Step | None = None, keep_mapping: bool = False) -> ComputeResult:
    """Everything `ttkhc compute` does, as one call returning the typed result.

    With ``keep_mapping`` the result also carries the case log's header mapping ("mapping").
    """
    if request.by is not None and request.by not in C.BY_FIELDS:
        raise UsageError(f"--by {request.by!r} không hợp lệ; dùng {', '.join(C.BY_FIELDS)}")
    p = prepare(request, on_step)
    make = engine_factory(request, p.targets, p.sources)
    result = C.compute(p.targets, p.sources, p.period, p.as_of, request.by, request.today,
                       summary(p.findings), make_engine=make)
    if keep_mapping:
        cases = p.sources.case_log()
        result = result.model_copy(update={
            "mapping": [MappedColumn(**m) for m in cases.mapping_json()],
            "files": [FileRead(**f) for f in cases.files_json()],
            "coverage": coverage.coverage(cases, p.targets.file),
        })
    return result


def validate_files(request: Request) -> tuple[ingest.Log, ValidationReport]:
    """Everything `ttkhc validate` does: every log read (the case log, and the feedback and
    documents logs given or found as sheets of its workbook) with its findings (JSON-ready),
    ending with what the files can feed: each indicator of the plan, computable or not."""
    loaded = plan_file.load_plan(request.targets_file)
    sources = load_sources(request, loaded.file)
    logs = sources.logs()
    found = checks.ordered([f for log in logs for f in validation(log, loaded)])
    cases = sources.case_log()
    report = ValidationReport(
        rows=RowCounts(**cases.rows_json()),
        sources={x.source: RowCounts(**x.rows_json()) for x in logs},
        counts=SeverityCounts(**count_by_severity(found)),
        files=[FileRead(**f) for x in logs for f in x.files_json()],
        mapping=[MappedColumn(**m) for m in cases.mapping_json()],
        findings=[FindingOut(**f.to_json()) for f in found],
        coverage=coverage.coverage(cases, loaded.file, logs[1:]),
    )
    return cases, report


def build_report(request: Request, on_step: Step | None = None) -> R.ReportData:
    """Everything the quarterly report shows, computed once from the same sources as `compute`."""
    prep = prepare(request, on_step)
    roles = [("Sổ theo dõi hồ sơ", f) for f in request.files]
    roles += [
        (label, f)
        for label, f in (
            ("Sổ phản ánh, kiến nghị", request.feedback),
            ("Sổ văn bản", request.documents),
            ("Số liệu nhập tay", request.inputs_file),
            ("Tệp chỉ tiêu", request.targets_file),
            ("Ánh xạ cột", request.columns),
        )
        if f is not None
    ]
    make = engine_factory(request, prep.targets, prep.sources)
    return R.collect(prep.targets, prep.sources, prep.findings, prep.period, prep.as_of, roles, request.today,
                     make_engine=make)
