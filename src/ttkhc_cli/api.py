"""The library's front door: one request in, plain data out, for the CLI and for programs.

A ``Request`` says everything one run is asked to do (files, plan, period, logs, read options);
the CLI builds it once from its arguments and passes it down. `ttkhc compute --format json`
prints exactly what ``compute_files`` returns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ttkhc_cli.domain import periods, units
from ttkhc_cli.domain.errors import InputFileError, UsageError
from ttkhc_cli.ingest import log as ingest
from ttkhc_cli.ingest import mapping, profiles
from ttkhc_cli.ingest.catalogue import message
from ttkhc_cli.ingest.findings import WARNING, Finding, count_by_severity, summary
from ttkhc_cli.io.excel import find_sheet
from ttkhc_cli.io.table import ReadOptions
from ttkhc_cli.kpi import compute as C
from ttkhc_cli.kpi import coverage, inputs, service_index, timing_check, unit_check
from ttkhc_cli.kpi import plan as plan_file
from ttkhc_cli.kpi import report_data as R
from ttkhc_cli.kpi.results import (
    ComputeResult,
    DefinitionInfo,
    ExplainedDossier,
    Explanation,
    FileRead,
    FindingOut,
    IndexMonth,
    IndexReading,
    IndexResult,
    MappedColumn,
    PeriodInfo,
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
    memory_limit: str | None = None  # DuckDB's (it spills to disk beyond it), e.g. "2GB"
    definition: str | None = None  # a service index (bundled name or file): counted instead of the plan
    index_inputs: Path | None = None  # the index's entered figures, for the report's index sheet
    units: tuple[str, ...] = ()  # --unit: the unit of every file (one name), or of each file in order
    tasks_file: Path | None = None  # the office's state of Appendix II's tasks (--tasks)
    projection: bool | None = None  # the pace to year end (None: for a year-to-date period)

    def unit_of_files(self) -> str | list[str] | None:
        """What --unit says of the case files: one unit for all, one per file, or nothing."""
        if not self.units:
            return None
        if any(not u.strip() for u in self.units):
            raise UsageError("--unit cần tên đơn vị, ví dụ --unit \"UBND xã Đắk Rơ Va\"")
        if len(self.units) == 1:
            return self.units[0]
        if len(self.units) != len(self.files):
            raise UsageError(f"--unit được cho {len(self.units)} lần cho {len(self.files)} tệp: cho một lần (mọi tệp "
                             "cùng đơn vị) hoặc mỗi tệp một lần, theo thứ tự các tệp")
        return list(self.units)

    def __post_init__(self) -> None:
        object.__setattr__(self, "files", tuple(Path(f) for f in self.files))
        for name in ("targets_file", "feedback", "documents", "inputs_file", "columns", "index_inputs", "tasks_file"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, Path(value))

    def inputs(self) -> list[Path]:
        """Every file or folder the run reads, whatever the option (a dataset's folder protects
        its manifest and parts): an output may replace none of them."""
        others = (self.feedback, self.documents, self.inputs_file, self.targets_file, self.columns, self.index_inputs,
                  self.tasks_file)
        named = [Path(n) for n in (self.profile, self.definition) if n and Path(n).exists()]  # a file, not a name
        return [*self.files, *(p for p in others if p is not None), *named]


def resolve_period(plan_window: str, request: Request) -> periods.Period | None:
    """The period the options ask for, in the plan's window unless --window says otherwise."""
    window = request.window or plan_window
    if request.period is not None and not request.period.strip():
        raise UsageError("--period trống: ghi kỳ như 2024, 2024-Q1 hoặc 2024-03, hoặc bỏ --period để tính cả "
                         "khoảng thời gian của dữ liệu")
    for option, value in (("--from", request.date_from), ("--to", request.date_to)):
        if value is not None and not value.strip():
            raise UsageError(f"{option} trống: ghi ngày dạng dd/mm/yyyy, ví dụ {option} 01/01/2024")
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
    given_unit = request.unit_of_files()
    cases = ingest.read_log(request.files, "cases", request.read, overrides, on_step, profile, given_unit)
    one = given_unit if isinstance(given_unit, str) else None
    extra = {}
    for source, given in (("feedback", request.feedback), ("documents", request.documents)):
        if given is not None:
            options = ReadOptions(encoding=request.read.encoding, delimiter=request.read.delimiter)
            extra[source] = ingest.read_log([given], source, options, overrides, on_step, profile, one)
            continue
        finder = mapping.Matcher(profile or profiles.union(), source, overrides)
        for k, f in enumerate(request.files):
            sheet = find_sheet(f, source, finder.field_of)
            if sheet is not None and sheet != cases.files[0].sheet:
                own = given_unit[k] if isinstance(given_unit, list) else one
                extra[source] = ingest.read_log([f], source, ReadOptions(sheet=sheet), overrides, profile=profile,
                                                unit=own)
                break
    return C.Sources(cases=cases, feedback=extra.get("feedback"), documents=extra.get("documents"),
                     inputs=inputs.load_entered(request.inputs_file, plan, index=request.definition is not None,
                                                partial=_partial(request)))


def _partial(request: Request) -> frozenset[str]:
    """The index's indicators for which --inputs may give the denominator alone."""
    if request.definition is None:
        return frozenset()
    return service_index.load_definition(request.definition).definition.partial()


@dataclass
class Prepared:
    """What `compute` and `report` both start from: the plan, the period asked for, the logs."""

    targets: plan_file.LoadedTargets
    period: periods.Period | None
    as_of: dt.date | None
    sources: C.Sources
    findings: list[Finding]
    units: unit_check.UnitCheck
    make: C.EngineFactory  # the engine over these logs, at any as-of date


def load_targets(request: Request) -> plan_file.LoadedTargets:
    """The target file, or the service index the request names, as the plan the engines count."""
    loaded = plan_file.load_plan(request.targets_file)
    if request.definition is None:
        return loaded
    return index_targets(request, loaded)[1]


def index_targets(request: Request,
                  base: plan_file.LoadedTargets) -> tuple[service_index.LoadedDefinition, plan_file.LoadedTargets]:
    """The index definition, and the index as a target file for the unit of ``base`` (its calendar
    and procedures), in the year of the period asked for."""
    loaded = service_index.load_definition(request.definition)
    period = resolve_period("calendar", request)
    year = period.start.year if period is not None else base.file.plan.year
    return loaded, plan_file.LoadedTargets(path=loaded.path, file=loaded.definition.as_targets(base.file, year),
                                           bundled=base.bundled)


def prepare(request: Request, on_step: Step | None = None) -> Prepared:
    """Load the target file, read the period options (before any file is read), read and check the logs."""
    loaded = load_targets(request)
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
    whose = unit_check.check(loaded, sources.logs())
    make = engine_factory(request, loaded, sources)
    findings = checks.ordered([f for log in sources.logs() for f in validation(log, loaded, make)])
    findings += whose.findings(request.by)
    findings += unit_check.year_findings(loaded.file, the_period or C.data_span(sources))
    if as_of is not None and as_of > today:
        shown = as_of.strftime("%d/%m/%Y")
        findings.append(Finding("as-of-future", WARNING, None, None, None, None, None, shown,
                                message("as-of-future", value=shown)))
    return Prepared(loaded, the_period, as_of, sources, findings, whose, make)


ENGINES = ("duckdb", "spark")
LARGE = 200_000  # dossiers from which a report leaves the officers' lists to `ttkhc worklist`


def engine_factory(request: Request, targets: plan_file.LoadedTargets, sources: C.Sources) -> C.EngineFactory:
    """The engine the request names: the compiled plan on DuckDB in this process (the default, for
    a commune's workbook as for a million dossiers), or on Spark."""
    name = request.engine or "duckdb"
    if name not in ENGINES:
        raise UsageError(f"--engine {name!r} không hợp lệ; dùng {', '.join(ENGINES)}")
    if name == "spark":
        from ttkhc_cli.engines.spark import SparkBackend
        from ttkhc_cli.engines.spark import engine_factory as spark_engines

        return spark_engines(SparkBackend.of_sources(sources, C.calendar_for(targets), request.spark_master))
    from ttkhc_cli.engines import duck

    return duck.engine_factory(duck.DuckBackend(duck.tables_of(sources), C.calendar_for(targets),
                                                request.memory_limit))


def explain_files(request: Request, ident: str, everything: bool = False,
                  on_step: Step | None = None) -> Explanation:
    """`ttkhc explain`: the dossiers of an indicator's denominator that are not in its numerator
    (or all of them, each marked), with their file, sheet and Excel row. An id the plan does not
    have but the bundled service index does (2.1, 3.6…) is explained as the index's."""
    from ttkhc_cli.kpi import explain

    if request.definition is None and _only_in_index(request, ident):
        request = dataclasses.replace(request, definition=service_index.DEFAULT)
    p = prepare(request, on_step)
    plan = p.targets.file
    ind = next((i for i in plan.indicators if i.id == ident), None)
    if ind is None:
        known = ", ".join(i.id for i in plan.indicators)
        raise UsageError(f"không có chỉ tiêu {ident!r} trong tệp chỉ tiêu (có: {known})")
    period = p.period or C.default_period(p.sources) or periods.parse_period(str(plan.plan.year))
    as_of = p.as_of or C.default_as_of(period, request.today)
    engine = p.make(p.targets, p.sources, as_of)
    second = next((i for i in plan.indicators if i.id == ident + service_index.FALLBACK_SUFFIX), None)
    if second is not None and not engine.to_count(ind, period) and engine.to_count(second, period):
        ind = second  # the index counts this one by its second rule (a log without ratings): explain that
    figure = engine.results(period)[plan.indicators.index(ind)]
    if ind.count.source == "manual" or not engine.to_count(ind, period):
        noun = "chỉ số" if request.definition is not None else "chỉ tiêu"
        raise UsageError(f"{noun} {ident} không tính từ sổ ({figure.note or 'số liệu nhập tay'}): "
                         "không có hồ sơ để liệt kê")
    rows, _ = explain.dossiers(engine, ind, period, everything)
    scored = None
    if request.definition is not None:
        definition = service_index.load_definition(request.definition).definition
        scored = next(r for r in service_index.score(definition, engine.results(period), p.sources.inputs,
                                                     period)[0] if r.id == ident)
    return Explanation(indicator=figure, period=PeriodInfo.of(period), as_of=as_of,
                       which="all" if everything else "missing", count=len(rows),
                       dossiers=[ExplainedDossier(**r) for r in rows], index=scored,
                       notices=unit_check.notices(p.units, p.findings, plan_targets=request.definition is None)
                       or None)


def worklist_files(request: Request, within: int = 2, officer: str | None = None,
                   on_step: Step | None = None) -> Any:
    """`ttkhc worklist`: each officer's dossiers to act on at the as-of date (default today, or
    the period's end): due within ``within`` working days, overdue, resolved late without an
    apology, and those a failing indicator still lacks. The period (default: from the year's
    first day to the as-of date) bounds the late ones and the indicators."""
    from ttkhc_cli.kpi import projection, worklist

    p = prepare(request, on_step)
    today = request.today or dt.date.today()
    if p.period is not None:
        as_of = p.as_of or C.default_as_of(p.period, today)
        period = p.period
    else:
        as_of = p.as_of or today
        span = C.data_span(p.sources)
        if span is not None and as_of > span.end and p.as_of is None:
            as_of = span.end  # an old log: judged at its last date, not today
        year = projection.year_of(periods.Period("", as_of, as_of, p.targets.file.plan.window))
        period = periods.Period(f"Từ đầu năm đến {as_of:%d/%m/%Y}", year.start, as_of, year.window)
    calendar = C.calendar_for(p.targets)
    engine = p.make(p.targets, p.sources, as_of)
    return worklist.build(engine, engine.results(period), period, calendar, within, officer, p.units.heading)


def _only_in_index(request: Request, ident: str) -> bool:
    """Whether an id names an indicator of the bundled service index and none of the plan."""
    if any(i.id == ident for i in plan_file.load_plan(request.targets_file).file.indicators):
        return False
    return any(i.id == ident for i in service_index.load_definition().definition.indicators)


# ------------------------------------------------------------------ datasets (ttkhc convert)

def dataset_of(request: Request) -> Path | None:
    """The dataset directory a request reads, if its one input is one (``ttkhc convert`` wrote it)."""
    from ttkhc_cli.engines.dataset import is_dataset

    dirs = [f for f in request.files if f.is_dir()]
    if not dirs:
        return None
    if not is_dataset(dirs[0]):
        raise InputFileError(f"{dirs[0]}: là một thư mục, không phải tệp dữ liệu (thư mục đọc được là bộ dữ liệu "
                             "do ttkhc convert tạo, có manifest.json)")
    if len(request.files) > 1:
        raise UsageError(f"{dirs[0]}: một bộ dữ liệu được đọc một mình, không kèm tệp hay bộ khác")
    return dirs[0]


def convert_files(request: Request, out: Path, unit: str | None, on_step: Step | None = None) -> list[Any]:
    """`ttkhc convert`: each file read, mapped, normalised and checked as `compute` does, then written
    to the dataset as one source (replacing an earlier conversion of the same file and unit)."""
    from ttkhc_cli.engines import dataset

    loaded = plan_file.load_plan(request.targets_file)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: đã có và không phải thư mục; --output của convert là một thư mục")
    dataset.refuse_foreign(out)  # first here, to stop before reading; again under the lock
    done = []
    for f in request.files:
        if f.is_dir():
            raise UsageError(f"{f}: là thư mục; convert đọc các tệp sổ (.xlsx, .csv, .parquet…)")
        single = dataclasses.replace(request, files=(f,), units=(unit,) if unit else ())
        sources = load_sources(single, loaded.file, on_step)
        logs = sources.logs()
        found = checks.ordered([x for log in logs for x in validation(log, loaded)])
        if on_step:
            on_step(f"Đang ghi {f.name} vào {out}")
        own = {i.unit for i in sources.case_log().files if i.unit}
        done.append(dataset.write_source(out, f, unit or (own.pop() if len(own) == 1 else None), logs, found))
    return done


def dataset_findings(root: Path) -> dict[str, Any]:
    """A dataset's findings counted per unit, code and severity (DuckDB over the findings files)."""
    import duckdb
    from sqlglot import exp

    from ttkhc_cli.engines import dataset

    ds = dataset.open_dataset(root)
    parts = ds.findings_parts
    rows: list[dict[str, Any]] = []
    if parts:
        scan = dataset.parquet_scan(parts)
        query = exp.select(
            exp.alias_(exp.func("COALESCE", exp.column("unit"), exp.Literal.string(dataset.NO_UNIT)), "unit"),
            "code", "severity", exp.alias_(exp.func("COUNT", exp.Star()), "n"),
        ).from_(scan).group_by("1", "2", "3").order_by("1", "3", "2")
        for unit, code, severity, n in duckdb.connect().execute(query.sql("duckdb")).fetchall():
            rows.append({"unit": unit, "code": code, "severity": severity, "count": int(n)})
    return {"dataset": str(root), "by_unit": rows, "unreadable": ds.bad_files, "extra": ds.extra_files,
            "rows": {name: log.rows_json() for name, log in ds.logs.items()}}


@dataclass
class OpenedDataset:
    """A converted dataset ready to count: its logs, the engine factory over its Parquet files, the
    period asked for (or its span) and its findings."""

    root: Path
    loaded: plan_file.LoadedTargets
    sources: C.Sources
    make: C.EngineFactory
    period: periods.Period
    as_of: dt.date | None
    counts: dict[str, Any]  # findings by severity and code (the manifest's)
    units: unit_check.UnitCheck
    dataset: Any  # engines.dataset.Dataset: what the manifest names, read


def _open_dataset(request: Request, root: Path, on_step: Step | None) -> OpenedDataset:
    from ttkhc_cli.engines import dataset
    from ttkhc_cli.engines.sqlengine import Table

    loaded = load_targets(request)
    the_period = resolve_period(loaded.file.plan.window, request)
    as_of = periods.parse_date(request.as_of, "--as-of") if isinstance(request.as_of, str) else request.as_of
    if on_step:
        on_step(f"Đang mở bộ dữ liệu {root}")
    ds = dataset.open_dataset(root)
    if "cases" not in ds.logs:
        raise InputFileError(f"{root}: bộ dữ liệu không có sổ theo dõi hồ sơ nào đọc được")
    sources = C.Sources(
        cases=ds.logs.get("cases"),
        feedback=ds.logs.get("feedback"),
        documents=ds.logs.get("documents"),
        inputs=inputs.load_entered(request.inputs_file, loaded.file),
    )
    tables = [Table(name, log.present, parquet=log.parquet, ranked=log.ranked if log.duplicates else [],
                    columns=log.columns) for name, log in ds.logs.items()]
    calendar = C.calendar_for(loaded)
    name = request.engine or "duckdb"
    if name not in ENGINES:
        raise UsageError(f"--engine {name!r} không hợp lệ; dùng {', '.join(ENGINES)}")
    if name == "spark":
        from ttkhc_cli.engines.spark import SparkBackend
        from ttkhc_cli.engines.spark import engine_factory as spark_engines

        backend: Any = SparkBackend(tables, calendar, request.spark_master)
        make = spark_engines(backend)
    else:
        from ttkhc_cli.engines import duck

        backend = duck.DuckBackend(tables, calendar, request.memory_limit)
        make = duck.engine_factory(backend)
    low, high = backend.span()
    if the_period is None:
        if low is None:
            raise InputFileError(f"{root}: bộ dữ liệu không có ngày nào để xác định kỳ; dùng --period")
        the_period = periods.named_span(low, high)
    elif low is not None and high is not None:
        C.outside_span(periods.Period("toàn bộ dữ liệu", low, high, "all"), the_period)
    findings = dict(ds.findings)
    by_code = dict(findings["by_code"])
    for code, files in (("unreadable-part", ds.bad_files), ("extra-part", ds.extra_files)):
        if files:
            by_code[code] = len(files)
            findings["warning"] += len(files)
    findings["by_code"] = dict(sorted(by_code.items()))
    return OpenedDataset(root, loaded, sources, make, the_period, as_of, findings,
                         unit_check.check(loaded, sources.logs()), ds)


def _compute_dataset(request: Request, root: Path, on_step: Step | None, by_month: bool = False) -> ComputeResult:
    """Compute on a dataset; ``by_month`` splits a period of several months by month (the index)."""
    d = _open_dataset(request, root, on_step)
    if on_step:
        on_step("Đang tính chỉ tiêu")
    by = "month" if by_month and len(d.period.months()) > 1 else request.by
    result = C.compute(d.loaded, d.sources, d.period, d.as_of, by, request.today, d.counts, make_engine=d.make)
    said = d.units.findings(by) + unit_check.year_findings(d.loaded.file, d.period)
    return result.model_copy(update={"unit": d.units.heading, "units": d.units.units or None,
                                     "notices": unit_check.notices(d.units, said, by=by) or None})


def _dataset_report_prep(request: Request, root: Path, on_step: Step | None) -> tuple[Prepared, C.EngineFactory]:
    """What a report on a converted dataset starts from: its findings read back from the
    dataset's findings files, with the unit and plan checks of a run on files."""
    from ttkhc_cli.engines import dataset

    d = _open_dataset(request, root, on_step)
    found = dataset.read_findings(d.dataset) + dataset.part_findings(d.dataset)
    found += d.units.findings() + unit_check.year_findings(d.loaded.file, d.period)
    return Prepared(d.loaded, d.period, d.as_of, d.sources, found, d.units, d.make), d.make


def validation(log: ingest.Log, loaded: plan_file.LoadedTargets, make: C.EngineFactory | None = None) -> list[Finding]:
    """Every finding of a log: reading and mapping, what the plan needs of it, cell and row checks,
    and the timing checks, which the compiled plan judges (``make``: the run's engine, else a
    DuckDB one over this log)."""
    plan = loaded.file
    found = list(log.findings) + coverage.missing_columns(log, plan) + checks.check(log, _checked_year(log, loaded))
    if log.source == "cases":
        found += timing_check.findings(log, _checking_engine(log, loaded, make))
    return checks.ordered(found)


def _checking_engine(log: ingest.Log, loaded: plan_file.LoadedTargets, make: C.EngineFactory | None) -> Any:
    """The engine the timing checks read the case log through, at the latest date it holds."""
    day = timing_check.as_of_for(log)
    if day is None:
        return None
    alone = C.Sources(cases=log)
    if make is None:
        from ttkhc_cli.engines import duck

        make = duck.engine_factory(duck.DuckBackend(duck.tables_of(alone), C.calendar_for(loaded)))
    return make(loaded, alone, day.date())


def _checked_year(log: ingest.Log, loaded: plan_file.LoadedTargets) -> int:
    """The year dates are checked against (a date years away is a typing slip): the plan's, or
    under the sample plan (another unit's year) the year most of the log's dossiers were received."""
    year = loaded.file.plan.year
    received = log.frame.get("received_at") if log.source == "cases" else None
    if not loaded.bundled or received is None or not received.notna().any():
        return year
    return int(received.dt.year.mode().iloc[0])


def compute_files(request: Request, on_step: Step | None = None, keep_mapping: bool = False) -> ComputeResult:
    """Everything `ttkhc compute` does, as one call returning the typed result.

    With ``keep_mapping`` the result also carries the case log's header mapping ("mapping").
    """
    if request.by is not None and request.by not in C.BY_FIELDS:
        raise UsageError(f"--by {request.by!r} không hợp lệ; dùng {', '.join(C.BY_FIELDS)}")
    root = dataset_of(request)
    if root is not None:
        return _compute_dataset(request, root, on_step)
    p = prepare(request, on_step)
    make = p.make
    result = C.compute(
        p.targets, p.sources, p.period, p.as_of, request.by, request.today, summary(p.findings), make_engine=make
    )
    result = result.model_copy(update=whose_figures(p, request.by))
    result = _with_projection(request, p, result, make)
    if keep_mapping:
        cases = p.sources.case_log()
        result = result.model_copy(
            update={
                "mapping": [MappedColumn(**m) for m in cases.mapping_json()],
                "files": [FileRead(**f) for f in cases.files_json()],
                "coverage": coverage.coverage(cases, p.targets.file),
            }
        )
    return result


def _with_projection(request: Request, p: Prepared, result: ComputeResult, make: C.EngineFactory) -> ComputeResult:
    """The pace to year end: asked for (--projection), or by default for a year-to-date period."""
    from ttkhc_cli.kpi import projection

    period = periods.Period(result.period.label, result.period.start, result.period.end, result.period.window)
    wanted = request.projection if request.projection is not None else projection.applies(period, result.as_of)
    if not wanted:
        return result
    found = projection.projections(p.targets, p.sources, period, result.as_of, request.today, make)
    return result.model_copy(update={"projection": found})


def whose_figures(p: Prepared, by: str | None = None) -> dict[str, Any]:
    """The result's unit, the units its logs name and the notices about them."""
    return {"unit": p.units.heading, "units": p.units.units or None,
            "notices": unit_check.notices(p.units, p.findings, by=by) or None}


BLANK_UNIT = "……………………………"  # a unit the logs do not name, under the sample plan: a blank to fill in


def report_unit_notes(p: Prepared) -> list[str]:
    """What the report's notes say of its unit and plan: whose files, which plan, the notices."""
    out = [f"Đơn vị của báo cáo: {p.units.heading}; kế hoạch: {p.targets.file.plan.title} của "
           f"{p.targets.file.plan.unit} ({p.targets.path})."]
    for n in p.units.named:
        said = f" (tệp ghi {n.says})" if n.says and not units.same(n.says, n.unit) else ""
        out.append(f"{n.file}{' [' + n.sheet + ']' if n.sheet else ''}: đơn vị {n.unit}, "
                   f"{unit_check.ON_PAPER[n.source]}{said}.")
    return out + [x.split(": ", 1)[1] for x in unit_check.notices(p.units, p.findings, by="unit")]


def validate_files(request: Request) -> tuple[ingest.Log, ValidationReport]:
    """Everything `ttkhc validate` does: every log read (the case log, and the feedback and
    documents logs given or found as sheets of its workbook) with its findings (JSON-ready),
    ending with what the files can feed: each indicator of the plan, computable or not."""
    loaded = load_targets(request)  # the plan, or the service index's definition (--definition)
    sources = load_sources(request, loaded.file)
    logs = sources.logs()
    found = checks.ordered([f for log in logs for f in validation(log, loaded)])
    found += unit_check.check(loaded, logs).findings()
    found += unit_check.year_findings(loaded.file, C.data_span(sources))
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
    """Everything the quarterly report shows, computed once from the same sources as `compute`;
    with the service index's sheet (``request.definition``, "none" for none) from the same logs."""
    plain = dataclasses.replace(request, definition=None)
    root = dataset_of(request)
    if root is not None:
        prep, make = _dataset_report_prep(plain, root, on_step)
        roles = [("Bộ dữ liệu (manifest)", root / "manifest.json")]
    else:
        prep = prepare(plain, on_step)
        make = prep.make
        roles = [("Sổ theo dõi hồ sơ", f) for f in request.files]
    roles += [
        (label, f)
        for label, f in (
            ("Sổ phản ánh, kiến nghị", request.feedback),
            ("Sổ văn bản", request.documents),
            ("Số liệu nhập tay", request.inputs_file),
            ("Tệp chỉ tiêu", request.targets_file),
            ("Ánh xạ cột", request.columns),
            ("Tình trạng nhiệm vụ", request.tasks_file),
        )
        if f is not None
    ]
    refusal = prep.units.report_refusal()
    if refusal is not None:
        raise UsageError(refusal)
    # A report of several units is a consolidation: it shows them (ranking, Biểu 06 by unit).
    prep.findings = [f for f in prep.findings if f.code != "several-units"]
    data = R.collect(
        prep.targets, prep.sources, prep.findings, prep.period, prep.as_of, roles, request.today, make_engine=make
    )
    own = prep.units.heading == prep.targets.file.plan.unit  # the plan's superior and place are its unit's
    plan = prep.targets.file.plan
    unknown = prep.units.heading == unit_check.SAMPLE_HEADING
    data = data.model_copy(update={"unit": BLANK_UNIT if unknown else prep.units.heading,
                                   "warning": unit_check.SAMPLE_WARNING if unknown else None,
                                   "unit_notes": report_unit_notes(prep),
                                   "superior": unit_check.superior(plan) if own else None,
                                   "place": (plan.place or units.place_of(plan.unit)) if own else None,
                                   "recipients": plan.recipients if own else None,
                                   "result": data.result.model_copy(update=whose_figures(prep, "unit")),
                                   "tasks": _tasks_at(request, prep.targets, data.as_of),
                                   "projection": _report_projection(prep, data, make),
                                   "worklist": _report_worklist(prep, data) if root is None else None})
    if request.definition == "none":
        return data
    if on_step:
        on_step("Đang tính chỉ số phục vụ (QĐ 766)")
    asked = dataclasses.replace(request, definition=request.definition or service_index.DEFAULT)
    loaded, targets = index_targets(asked, prep.targets)
    sources = dataclasses.replace(prep.sources, inputs=inputs.load_entered(
        request.index_inputs, targets.file, index=True, partial=loaded.definition.partial()))
    # The same logs and working days: the run's engine counts the index too.
    same_calendar = C.calendar_for(targets) is C.calendar_for(prep.targets)
    index = score_index(loaded, targets, sources, data.period, prep.as_of, request.today, None,
                        make if root is not None or same_calendar else engine_factory(request, targets, sources))
    return data.model_copy(update={"index": index})


def _report_projection(prep: Prepared, data: R.ReportData, make: C.EngineFactory) -> Any:
    """The pace to year end at the report's as-of date, when that date is inside the year."""
    from ttkhc_cli.kpi import projection

    year = projection.year_of(data.period)
    if not year.start <= data.as_of < year.end:
        return None
    return projection.projections(prep.targets, prep.sources, data.period, data.as_of, None, make) or None


def _report_worklist(prep: Prepared, data: R.ReportData) -> Any:
    """Each officer's list at the report's as-of date (files of a commune's size: a province's
    dataset has its own worklist command per unit)."""
    from ttkhc_cli.kpi import worklist

    if sum(len(log.frame) for log in prep.sources.logs()) >= LARGE:
        return None
    calendar = C.calendar_for(prep.targets)
    engine = prep.make(prep.targets, prep.sources, data.as_of)
    return worklist.build(engine, data.result.indicators, data.period, calendar, unit=data.unit)


def _tasks_at(request: Request, targets: plan_file.LoadedTargets, as_of: dt.date) -> Any:
    """Appendix II's tasks at the report's as-of date, with the office's states when --tasks gives them."""
    from ttkhc_cli.kpi import tasks

    states = tasks.load_states(request.tasks_file, targets.file)
    return tasks.tasks_result(targets.path, targets.file, states, as_of, tracked=request.tasks_file is not None)


# ------------------------------------------------------------------ the service index (QĐ 766)

def index_files(request: Request, on_step: Step | None = None) -> IndexResult:
    """Everything `ttkhc index` does: the index counted on the logs (or a dataset), scored, with
    the what-if list."""
    if request.definition is None:
        request = dataclasses.replace(request, definition=service_index.DEFAULT)
    if request.by is not None:
        raise UsageError("ttkhc index không chia theo --by; chỉ số tính cho cả đơn vị")
    loaded = service_index.load_definition(request.definition)
    root = dataset_of(request)
    if root is not None:
        result = _compute_dataset(request, root, on_step, by_month=True)
        targets = index_targets(request, plan_file.load_plan(request.targets_file))[1]
        inputs_of = inputs.load_entered(request.inputs_file, targets.file, index=True,
                                        partial=loaded.definition.partial())
        unit = targets.file.plan.unit if request.targets_file is not None else ""
        return index_result(loaded, unit, result, inputs_of)
    p = prepare(request, on_step)
    if p.period is not None:
        _require_received(p.sources, p.period)
    make = p.make
    scored = score_index(loaded, p.targets, p.sources, p.period, p.as_of, request.today, summary(p.findings), make)
    said = unit_check.notices(p.units, p.findings, plan_targets=False)
    return scored.model_copy(update={"unit": _unit(p), "notices": said or None})


def _unit(p: Prepared) -> str:
    """The unit the score is of: the log's own (banner, unit column or --unit), else the target
    file's when one was given; never the bundled plan's commune for someone else's log."""
    if p.units.units:
        return p.units.heading
    return "" if p.targets.bundled else p.targets.file.plan.unit


def _require_received(sources: C.Sources, period: periods.Period) -> None:
    """The index counts dossiers received in the period: a period with none is an input problem
    (a mistyped --period), not a score."""
    from ttkhc_cli.domain.errors import EmptyPeriodError

    frame = sources.case_log().frame
    received = frame.get("received_at")
    if received is None or frame.empty:
        return
    day = received.dt.floor("D")
    if ((day >= str(period.start)) & (day <= str(period.end))).any():
        return
    span = C.data_span(sources)
    covers = f"; dữ liệu từ {span.start:%d/%m/%Y} đến {span.end:%d/%m/%Y}" if span else ""
    raise EmptyPeriodError(f"không có hồ sơ nào tiếp nhận trong kỳ {period.label} "
                           f"({period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}){covers}")


def score_index(loaded: service_index.LoadedDefinition, targets: plan_file.LoadedTargets, sources: C.Sources,
                period: periods.Period | None,
                as_of: dt.date | None, today: dt.date | None, findings: dict[str, Any] | None,
                make: C.EngineFactory) -> IndexResult:
    """The index for the period, and month by month when the period has several (the portal
    scores months)."""
    period = period or C.default_period(sources) or periods.parse_period(str(targets.file.plan.year))
    by = "month" if len(period.months()) > 1 else None
    result = C.compute(targets, sources, period, as_of, by, today, findings, make_engine=make)
    return index_result(loaded, targets.file.plan.unit, result, sources.inputs)


def index_result(loaded: service_index.LoadedDefinition, unit: str, result: ComputeResult,
                 entered: inputs.Entered) -> IndexResult:
    """The counts of a compute over the index's target file, turned into points (month by month
    when the result has months)."""
    S = service_index
    definition = loaded.definition
    p = result.period
    rows, groups, total = S.score(definition, result.indicators, entered,
                                  periods.Period(p.label, p.start, p.end, p.window))
    months = None
    if result.groups is not None:
        months = []
        for item in result.groups.items:
            when = item.period
            assert when is not None
            month = periods.Period(when.label, when.start, when.end, when.window)
            _, month_groups, month_total = S.score(definition, item.indicators, entered, month)
            months.append(IndexMonth(period=when, groups=month_groups, total=month_total))
    info = definition.index
    return IndexResult(
        definition=DefinitionInfo(id=info.id, title=info.title, short=info.short, basis=info.basis,
                                  version=info.version, file=loaded.path),
        unit=unit, period=result.period, as_of=result.as_of, timing=definition.timing,
        readings=[IndexReading(**r.model_dump()) for r in definition.readings],
        rows=result.rows, sources=result.sources, indicators=rows, groups=groups, total=total,
        actions=S.actions(rows), months=months,
        findings=result.findings,
    )


# ------------------------------------------------------------------ ttkhc sql

def indicator_sql(targets_file: Path | None, dialect: str, period: str | None, window: str | None,
                  as_of: str | None, by: str | None, indicator: str | None, calendar_csv: Path | None) -> str:
    """The compiled SQL of each indicator against the canonical schema (tables ``cases``,
    ``feedback``, ``documents``, ``calendar`` and the view ``workdays``), in the given dialect."""
    import sqlglot
    from sqlglot import exp

    from ttkhc_cli.domain import fields as F
    from ttkhc_cli.domain.labels import target as target_text
    from ttkhc_cli.engines import sqlplan
    from ttkhc_cli.engines.calendar_table import WORKDAYS_SQL, calendar_table, years_around

    loaded = plan_file.load_plan(targets_file)
    plan = loaded.file
    request = Request((), period=period, window=window)
    the_period = resolve_period(plan.plan.window, request) or periods.parse_period(str(plan.plan.year),
                                                                                  window or plan.plan.window)
    day = periods.parse_date(as_of, "--as-of") if as_of else the_period.end
    inds = [i for i in plan.indicators if indicator is None or i.id == indicator]
    if indicator is not None and not inds:
        raise UsageError(f"--indicator {indicator!r}: không có chỉ tiêu này (có: "
                         f"{', '.join(i.id for i in plan.indicators)})")
    workdays = sqlglot.transpile(f"CREATE VIEW workdays AS {WORKDAYS_SQL}", read="duckdb", write=dialect)[0]
    out = [f"-- ttkhc sql: {plan.plan.title}",
           f"-- Kỳ {the_period.label} ({the_period.start:%d/%m/%Y}–{the_period.end:%d/%m/%Y}), "
           f"hồ sơ đang giải quyết xét tại ngày {day:%d/%m/%Y} · phương ngữ {dialect}",
           "-- Bảng: cases, feedback, documents (lược đồ của ttkhc convert), calendar(day, working, wi).",
           f"{workdays};", ""]
    for ind in inds:
        src = ind.count.source
        head = f"-- {ind.id} · {ind.short_name} · {target_text(ind.target)}"
        if src == "manual":
            out += [head + " · số liệu nhập tay (--inputs), không tính từ dữ liệu", ""]
            continue
        present = {f.name for f in F.FIELDS[src]} | set(sqlplan.EXTRA_COLUMNS) - {"_pos"}  # a dataset has no _pos
        q = sqlplan.count_query(plan, src, [ind], the_period, day, present, src, by)
        if q is None:
            out += [head + f" · sổ {src} không chia được theo {by}", ""]
            continue
        tree = q.tree
        names = {"d0": "denominator", "n0": "numerator", "g": by or "g"}
        for alias in tree.find_all(exp.Alias):
            if alias.alias in names:
                alias.set("alias", exp.to_identifier(names[alias.alias]))
        if by:
            group = tree.args.get("group")
            if group is not None:
                group.set("expressions", [exp.column(by)])
        rules = f"-- mẫu số: {ind.count.denominator or 'all'} · tử số: {ind.count.numerator or 'all'}"
        out += [head, rules, sqlplan.for_dialect(tree, dialect).sql(dialect=dialect, pretty=True) + ";", ""]
    if calendar_csv is not None:
        from ttkhc_cli.output.files import atomic_output

        table = calendar_table(C.calendar_for(loaded), *years_around(the_period.start, the_period.end))
        with atomic_output(calendar_csv, [targets_file] if targets_file else []) as tmp:
            import pyarrow.csv as pacsv

            pacsv.write_csv(table, tmp)
    return "\n".join(out)
