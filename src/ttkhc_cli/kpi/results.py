"""The results the tool hands on, as typed models: what `compute` and `validate` print as JSON.

Renderers read attributes, not string keys, and the JSON Schema users script against is
generated from these classes (`ttkhc compute --schema`). ``model_dump(mode="json")`` is the
JSON the commands print; keys that only some runs have (groups, findings, mapping…) are left
out when absent rather than printed as null, as they always were (and the schema says so).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ttkhc_cli.domain.periods import Period
from ttkhc_cli.kpi.plan import TimingRules

Status = Literal["pass", "fail", "no_data", "not_applicable"]
PASS: Status = "pass"
FAIL: Status = "fail"
NO_DATA: Status = "no_data"
NOT_APPLICABLE: Status = "not_applicable"  # the plan says the indicator is not for its unit's level


class Model(BaseModel):
    """A result: immutable, no stray keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _absent(value: Any) -> bool:
    return value is None


def _optional() -> Any:
    """A part only some runs have (groups, findings, mapping…): left out of the JSON when absent."""
    return Field(default=None, exclude_if=_absent)


class PeriodInfo(Model):
    label: str
    start: dt.date
    end: dt.date
    window: str

    @classmethod
    def of(cls, period: Period) -> PeriodInfo:
        return cls(label=period.label, start=period.start, end=period.end, window=period.window)


class PlanInfo(Model):
    file: str
    unit: str
    title: str
    year: int


class Threshold(Model):
    op: str
    value: float


class Gap(Model):
    """How far a failing indicator is from its target, in dossiers an office can act on."""

    dossiers: int
    text: str


class IndicatorResult(Model):
    """One indicator's figure for a period (or a group): the row of every table."""

    id: str
    name: str
    short: str
    section: str
    source: str
    lead: str | None
    target: Threshold
    value: float | None
    numerator: int | None
    denominator: int | None
    status: Status
    note: str | None
    gap: Gap | None = _optional()  # failing indicators only


class RowCounts(Model):
    """Rows read = used + excluded (each reason counted)."""

    read: int
    used: int
    excluded: dict[str, int]


class FindingCounts(Model):
    error: int
    warning: int
    by_code: dict[str, int]


class Group(Model):
    key: str
    period: PeriodInfo | None = _optional()  # months only
    indicators: list[IndicatorResult]


class Groups(Model):
    by: str
    items: list[Group]


class FileRead(Model):
    """A file (and sheet) read: where its header was, which export profile, what the reader noticed."""

    file: str
    sheet: str | None
    header_row: int
    profile: str
    notes: list[str]
    profile_label: str | None = _optional()  # the export profile's short Vietnamese name
    unit: str | None = _optional()  # the unit the file is of: its banner's, its unit column's or --unit
    unit_from: Literal["option", "column", "banner"] | None = _optional()
    units: list[str] | None = _optional()  # a unit column's names, when it holds several


class MappedColumn(Model):
    file: str
    sheet: str | None
    header: str
    column: str
    field: str | None
    rule: str
    suggestion: str | None
    date_order: str | None = None  # a date column's order: dmy, mdy or ymd


class Coverage(Model):
    """Whether the logs given can compute an indicator, and what they lack."""

    id: str
    short: str
    source: str
    computable: bool
    needs: list[str]
    note: str | None


class Projection(Model):
    """A yearly indicator's pace at a date inside the year (kpi.projection)."""

    id: str
    short: str
    as_of: dt.date
    numerator: int  # year to date
    denominator: int
    rate: float  # year to date, %
    remaining: int  # the dossiers (of the denominator) estimated from the as-of day to the year's end
    remaining_basis: str  # how: the same days of the previous year, or the pace so far
    projected: float  # the year's figure if the rest of the year goes at the same rate, %
    needed: float | None  # the rate the remaining dossiers must reach (for a ceiling: may not pass), %
    reachable: bool
    text: str
    brief: str  # the sentence without its estimate of the dossiers to come (said once for all)

    def at_risk(self) -> bool:
        """Out of reach, or needing of the rest of the year more than the year so far gave."""
        return not self.reachable or (self.needed is not None and self.needed > self.rate)


class ComputeResult(Model):
    """What `ttkhc compute --format json` prints."""

    targets: PlanInfo
    period: PeriodInfo
    as_of: dt.date
    timing: TimingRules
    rows: RowCounts
    sources: dict[str, RowCounts]
    indicators: list[IndicatorResult]
    findings: FindingCounts | None = _optional()
    groups: Groups | None = _optional()
    mapping: list[MappedColumn] | None = _optional()
    files: list[FileRead] | None = _optional()
    coverage: list[Coverage] | None = _optional()
    # Whose figures: the unit they are of (the plan's, the log's own, or "3 đơn vị: …"), the units
    # the logs name, and the warnings about them and the plan, said at the end of the output.
    unit: str | None = _optional()
    units: list[str] | None = _optional()
    notices: list[str] | None = _optional()
    # The pace to year end, for a year-to-date period (or --projection): an estimate
    projection: list[Projection] | None = _optional()

    def indicator(self, ident: str) -> IndicatorResult:
        return next(i for i in self.indicators if i.id == ident)

    def exit_code(self) -> int:
        """1 when any indicator with data fails or the logs have errors (so CI can use it), else 0."""
        failed = any(i.status == FAIL for i in self.indicators)
        return 1 if failed or (self.findings is not None and self.findings.error) else 0


class FindingOut(Model):
    """One finding in the user's coordinates: file, sheet, Excel row, column letter and header."""

    code: str
    severity: Literal["error", "warning"]
    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    header: str | None
    value: str | int | float | bool | None
    message: str


class SeverityCounts(Model):
    error: int
    warning: int


class ValidationReport(Model):
    """What `ttkhc validate --format json` prints."""

    rows: RowCounts
    sources: dict[str, RowCounts]
    counts: SeverityCounts
    files: list[FileRead]
    mapping: list[MappedColumn]
    findings: list[FindingOut]
    coverage: list[Coverage]


class YearToDate(Model):
    period: PeriodInfo
    indicators: list[IndicatorResult]


class IndicatorNote(Model):
    """How an indicator is counted, as the report's notes sheet states it."""

    id: str
    name: str
    basis: str | None
    lead: str | None
    support: str | None
    target: str
    source: str
    period_by: str
    denominator: str | None
    numerator: str | None
    formula: str | None
    sentence: str = ""  # the rule in Vietnamese


class InputFile(Model):
    role: str
    file: str
    sha256: str


class ReadingNote(FileRead):
    """A file read, with the log it fed (case log, feedback, documents)."""

    log: str


class ExplainedDossier(Model):
    """A dossier of an indicator's denominator: where it is (file, sheet, Excel row) and what it is."""

    file: str | None
    sheet: str | None
    row: int | None
    id: str | None = None
    procedure: str | None = None
    department: str | None = None
    officer: str | None = None
    received_at: str | None = None
    due_at: str | None = None
    end_at: str | None = None
    timing: str | None = None
    summary: str | None = None
    in_numerator: bool


class Explanation(Model):
    """What `ttkhc explain` prints: the indicator's figure and the dossiers behind it."""

    indicator: IndicatorResult
    period: PeriodInfo
    as_of: dt.date
    which: Literal["missing", "all"]
    count: int
    dossiers: list[ExplainedDossier]
    index: IndexIndicator | None = _optional()  # the points, when the indicator is a service index's
    notices: list[str] | None = _optional()  # whose logs and which plan (said at the end)


class ActionItem(Model):
    """A failing indicator on the report's "Việc cần làm" sheet: its gap and the dossiers behind it."""

    indicator: IndicatorResult
    dossiers: list[ExplainedDossier]  # the first ones (the sheet caps the list)
    total: int  # every dossier of the denominator not in the numerator


# ------------------------------------------------------------------ the national service index (QĐ 766)

class IndexWhatIf(Model):
    """What more dossiers would give an indicator its full points, and what they would add."""

    id: str
    short: str
    dossiers: int
    points: float
    per_dossier: float
    reaches_full: bool
    task: str  # what to do, without the points (a table shows them in their own column)
    text: str


class IndexIndicator(Model):
    """One indicator of the index: its rate, counts and points (None when it has no figure)."""

    id: str
    name: str
    short: str
    group: str
    max_points: float
    full_at: float
    when_empty: Literal["zero", "full"]
    scaled_by: str | None  # the indicator whose rate multiplies this one's (3.3 by 1.4): the rate shown is the product
    kind: Literal["data", "entered", "missing"]  # counted from the logs, entered, or left out
    rate: float | None
    numerator: int | None
    denominator: int | None
    points: float | None
    note: str | None
    estimate: str | None  # why the figure is only an estimate of the portal's (a proxy, a disputed split)
    # "denominator": the numerator is counted from the log, the denominator entered (--inputs)
    entered_part: Literal["denominator"] | None = _optional()
    what_if: IndexWhatIf | None = _optional()


class IndexGroup(Model):
    id: str
    name: str
    short: str
    max_points: float
    points: float
    scored_max: float  # the maximum of the indicators that have a figure
    complete: bool
    estimate: bool


class IndexTotal(Model):
    points: float
    scored_max: float
    data_max: float
    entered_max: float
    missing_max: float
    total_max: float
    text: str


class DefinitionInfo(Model):
    id: str
    title: str
    short: str
    basis: str
    version: str
    file: str


class IndexMonth(Model):
    period: PeriodInfo
    groups: list[IndexGroup]
    total: IndexTotal


class IndexReading(Model):
    """A counting rule the definition follows where the formula document is silent or ambiguous."""

    id: str
    indicators: list[str]
    fd: str  # the formula document's line
    reading: str
    alternative: str | None


class IndexResult(Model):
    """What `ttkhc index --format json` prints."""

    definition: DefinitionInfo
    unit: str
    period: PeriodInfo
    as_of: dt.date
    timing: TimingRules
    readings: list[IndexReading]  # the definition's readings, which the figures follow
    rows: RowCounts
    sources: dict[str, RowCounts]
    indicators: list[IndexIndicator]
    groups: list[IndexGroup]
    total: IndexTotal
    actions: list[IndexWhatIf]
    months: list[IndexMonth] | None = _optional()
    findings: FindingCounts | None = _optional()

    notices: list[str] | None = _optional()  # whose logs and which plan (said at the end)

    def exit_code(self) -> int:
        """1 when the logs have errors (the score rests on them), else 0."""
        return 1 if self.findings is not None and self.findings.error else 0


Explanation.model_rebuild()
