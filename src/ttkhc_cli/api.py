"""High-level calls shared by the CLI and by programs: files and options in, plain data out.

`ttkhc compute --format json` prints exactly what ``compute_files`` returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from ttkhc_cli import compute as C
from ttkhc_cli import ingest, inputs, mapping, periods, targets, validate
from ttkhc_cli.errors import UsageError
from ttkhc_cli.findings import Finding, count_by_severity
from ttkhc_cli.reading import ReadOptions, find_sheet

PathLike = str | Path


def resolve_period(plan_window: str, period: str | None = None, window: str | None = None,
                   date_from: str | None = None, date_to: str | None = None) -> periods.Period | None:
    window = window or plan_window
    if period and (date_from or date_to):
        raise UsageError("dùng --period hoặc --from/--to, không dùng cả hai")
    if period:
        return periods.parse(period, window)
    if date_from or date_to:
        if not (date_from and date_to):
            raise UsageError("cần cả --from và --to")
        return periods.between(periods.parse_date(date_from, "--from"), periods.parse_date(date_to, "--to"))
    return None


def load_sources(files: Sequence[PathLike], plan: targets.TargetFile, *, feedback: PathLike | None = None,
                 documents: PathLike | None = None, inputs_file: PathLike | None = None,
                 columns: PathLike | None = None, read_options: ReadOptions = ReadOptions(),
                 on_step: Callable[[str], None] | None = None) -> C.Sources:
    """Read the case log(s) and the other logs; a workbook's own PAKN / documents sheets are found by their headers."""
    overrides = mapping.load_overrides(columns)
    cases = ingest.load(files, "cases", read_options, overrides, on_step)
    extra = {}
    for source, given in (("feedback", feedback), ("documents", documents)):
        if given is not None:
            extra[source] = ingest.load([given], source, ReadOptions(encoding=read_options.encoding), overrides, on_step)
            continue
        for f in files:
            sheet = find_sheet(f, source)
            if sheet is not None and sheet != cases.files[0].sheet:
                extra[source] = ingest.load([f], source, ReadOptions(sheet=sheet), overrides)
                break
    return C.Sources(cases=cases, feedback=extra.get("feedback"), documents=extra.get("documents"),
                     inputs=inputs.load(inputs_file, plan))


@dataclass
class Prepared:
    """What `compute` and `report` both start from: the plan, the period asked for, the logs."""

    targets: targets.LoadedTargets
    period: periods.Period | None
    as_of: dt.date | None
    sources: C.Sources
    findings: list[Finding]


def prepare(files: Sequence[PathLike], *, targets_file: PathLike | None = None, period: str | None = None,
            window: str | None = None, date_from: str | None = None, date_to: str | None = None,
            as_of: str | dt.date | None = None, feedback: PathLike | None = None,
            documents: PathLike | None = None, inputs_file: PathLike | None = None,
            columns: PathLike | None = None, read_options: ReadOptions = ReadOptions(),
            on_step: Callable[[str], None] | None = None) -> Prepared:
    """Load the target file, read the period options (before any file is read), read and check the logs."""
    loaded = targets.load(targets_file)
    plan = loaded.file
    the_period = resolve_period(plan.plan.window, period, window, date_from, date_to)
    if isinstance(as_of, str):
        as_of = periods.parse_date(as_of, "--as-of")
    sources = load_sources(files, plan, feedback=feedback, documents=documents, inputs_file=inputs_file,
                           columns=columns, read_options=read_options, on_step=on_step)
    if on_step:
        on_step("Đang kiểm tra và tính chỉ tiêu")
    findings = validate.validate(sources.cases, plan, C.calendar_for(loaded))
    return Prepared(loaded, the_period, as_of, sources, findings)


def compute_files(files: Sequence[PathLike], *, targets_file: PathLike | None = None, period: str | None = None,
                  window: str | None = None, date_from: str | None = None, date_to: str | None = None,
                  as_of: str | dt.date | None = None, by: str | None = None, feedback: PathLike | None = None,
                  documents: PathLike | None = None, inputs_file: PathLike | None = None,
                  columns: PathLike | None = None, read_options: ReadOptions = ReadOptions(),
                  today: dt.date | None = None, on_step: Callable[[str], None] | None = None,
                  keep_mapping: bool = False) -> dict[str, Any]:
    """Everything `ttkhc compute` does, as one call returning the JSON-ready result.

    With ``keep_mapping`` the result also carries the case log's header mapping ("mapping").
    """
    if by is not None and by not in C.BY_FIELDS:
        raise UsageError(f"--by {by!r} không hợp lệ; dùng {', '.join(C.BY_FIELDS)}")
    p = prepare(files, targets_file=targets_file, period=period, window=window, date_from=date_from,
                date_to=date_to, as_of=as_of, feedback=feedback, documents=documents, inputs_file=inputs_file,
                columns=columns, read_options=read_options, on_step=on_step)
    result = C.compute(p.targets, p.sources, p.period, p.as_of, by, today, count_by_severity(p.findings))
    if keep_mapping:
        result["mapping"] = p.sources.cases.mapping_json()
    return result
