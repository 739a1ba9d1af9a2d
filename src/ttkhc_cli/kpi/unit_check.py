"""Whose figures these are: the units the logs name against the plan's unit.

A document must never carry a unit's name that contradicts what its logs say. Each file names
its unit (banner, unit column, or the user's --unit); this module compares them with the plan's
unit once and decides what every output shows: the name at the head, the warnings, and whether
a report may be written at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ttkhc_cli.domain import units
from ttkhc_cli.domain.periods import Period
from ttkhc_cli.ingest.catalogue import message
from ttkhc_cli.ingest.findings import WARNING, Finding
from ttkhc_cli.ingest.log import Log
from ttkhc_cli.kpi.plan import LoadedTargets, Plan, TargetFile

# The same on paper, where a command-line option means nothing to the reader.
ON_PAPER = {**units.READ_FROM, "option": "theo tên đơn vị nhập khi lập báo cáo"}


@dataclass(frozen=True)
class Named:
    """A table that names its unit."""

    file: str
    sheet: str | None
    unit: str
    source: str  # banner, column or option
    says: str | None = None  # the file's own word (banner or column) when --unit overrides it


@dataclass(frozen=True)
class UnitCheck:
    plan_unit: str
    sample: bool  # the plan is the bundled sample plan (no --targets, none found)
    consolidating: bool  # the plan is of a district or province that sums its units
    named: list[Named] = field(default_factory=list)
    units: list[str] = field(default_factory=list)  # the distinct units the case log names, as first written
    unnamed: list[str] = field(default_factory=list)  # case files that name no unit

    @property
    def plan_text(self) -> str:
        """The plan's unit as messages name it: the sample plan is said to be the sample."""
        return f"{self.plan_unit} (kế hoạch mẫu đi kèm công cụ)" if self.sample else self.plan_unit

    @property
    def groups(self) -> list[str]:
        """The units the figures sum: the named ones, and the files that name none when others do."""
        return self.units + ([UNNAMED] if self.units and self.unnamed else [])

    @property
    def several(self) -> bool:
        return len(self.groups) > 1

    @property
    def mismatched(self) -> list[Named]:
        """Tables naming a unit that is not the plan's (a consolidating plan's units are its own)."""
        if self.consolidating:
            return []
        return [n for n in self.named if not units.same(n.unit, self.plan_unit)]

    @property
    def heading(self) -> str:
        """The unit the figures are of, as outputs head them: never the sample plan's commune for
        a log that does not name it."""
        if self.consolidating:
            return self.plan_unit
        if not self.units:
            return SAMPLE_HEADING if self.sample else self.plan_unit
        if len(self.groups) == 1:
            return self.plan_unit if units.same(self.units[0], self.plan_unit) else self.units[0]
        return f"{len(self.groups)} đơn vị: {', '.join(self.groups)}"

    def findings(self, by: str | None = None) -> list[Finding]:
        """A warning per table of another unit (once per file), per file naming no unit among
        files that do, and one when units are summed."""
        out = []
        seen: set[tuple[str, str]] = set()
        for n in self.mismatched:
            if (n.file, n.unit) in seen:
                continue
            seen.add((n.file, n.unit))
            code = "unit-mismatch" if n.source != "option" else "unit-option-mismatch"
            out.append(Finding(code, WARNING, n.file, n.sheet, None, None, None, n.unit,
                               message(code, value=n.unit, where=units.READ_FROM[n.source], plan=self.plan_text)))
        if self.units:
            for f in self.unnamed:
                out.append(Finding("unit-unnamed", WARNING, f, None, None, None, None, None,
                                   message("unit-unnamed", names=", ".join(self.units))))
        if self.several and by != "unit" and not self.consolidating:
            out.append(Finding("several-units", WARNING, None, None, None, None, None, None,
                               message("several-units", count=len(self.groups), names=", ".join(self.groups))))
        return out

    def consolidated_note(self, by: str | None = None) -> str | None:
        """Said when a district's or province's plan sums its units (not a warning: its figure)."""
        if not (self.consolidating and self.several) or by == "unit":
            return None
        return (f"Số liệu của {self.plan_unit} gộp {len(self.groups)} đơn vị: {', '.join(self.groups)}; tính riêng "
                "từng đơn vị bằng --by unit")

    def sample_note(self) -> str | None:
        """Said when the bundled sample plan judges a log that names no unit of its own."""
        if not self.sample or self.units:
            return None
        return (f"Chỉ tiêu được so với kế hoạch mẫu năm 2024 của {self.plan_unit} đi kèm công cụ, không phải kế "
                "hoạch của đơn vị; lập kế hoạch của đơn vị bằng: ttkhc init --unit \"UBND xã …\" --year …")

    def report_refusal(self) -> str | None:
        """Why a report cannot be written with these names, or None."""
        if self.several and not self.consolidating:
            return (f"các tệp là của {len(self.groups)} đơn vị ({', '.join(self.groups)}) mà kế hoạch là của "
                    f"{self.plan_text}: báo cáo tổng hợp cần kế hoạch của đơn vị tổng hợp (ttkhc init --level huyện "
                    "hoặc --level tỉnh, rồi --targets)")
        wrong = [n for n in self.mismatched if n.source != "option"]  # --unit: the user's word
        if wrong:
            n = wrong[0]
            return (f"{n.file}: tệp là của {n.unit} ({units.READ_FROM[n.source]}), kế hoạch là của {self.plan_text}; "
                    "không lập báo cáo mang tên đơn vị khác: dùng --targets với kế hoạch của đơn vị "
                    "(lập bằng: ttkhc init), hoặc --unit nếu tệp ghi sai tên đơn vị")
        return None


# What outputs head the figures with when the sample plan judges a log that names no unit: a blank
# to fill in, never the sample's commune.
SAMPLE_HEADING = "(đơn vị chưa rõ · kế hoạch mẫu)"
UNNAMED = "(tệp không ghi đơn vị)"
SAMPLE_WARNING = ("KẾ HOẠCH MẪU, KHÔNG DÙNG ĐỂ GỬI: sổ không ghi tên đơn vị và chỉ tiêu được so với kế hoạch mẫu "
                  "năm 2024 của UBND xã Đắk Tô Re đi kèm công cụ. Lập kế hoạch của đơn vị bằng ttkhc init rồi lập lại "
                  "báo cáo với --targets.")


def check(loaded: LoadedTargets, logs: list[Log]) -> UnitCheck:
    """Compare the units the logs name with the plan's unit. A plan of a district or province
    whose logs are all of lower units (its communes) consolidates them: their names are its own."""
    sample = loaded.bundled
    plan = loaded.file.plan
    named: list[Named] = []
    for log in logs:
        for info in log.files:
            if info.unit:
                named.append(Named(info.file, info.sheet, info.unit, info.unit_from or "banner", info.says))
            for u in info.units:
                named.append(Named(info.file, info.sheet, u, "column"))
    distinct: dict[str, str] = {}
    for n in named:
        if log_is_cases(n, logs):
            distinct.setdefault(units.key(n.unit), n.unit)
    found = list(distinct.values())
    own = _TIERS[plan.unit_level]
    consolidating = (not sample and own > 0 and bool(found) and not any(units.same(u, plan.unit) for u in found)
                     and all((units.tier(u) or 0) < own for u in found))
    unnamed = [i.file for log in logs if log.source == "cases" for i in log.files if not i.unit and not i.units]
    return UnitCheck(plan_unit=plan.unit, sample=sample, consolidating=consolidating, named=named, units=found,
                     unnamed=list(dict.fromkeys(unnamed)))


def log_is_cases(n: Named, logs: list[Log]) -> bool:
    """Whether a named table belongs to the case log (the feedback and documents logs name the
    same unit; only the case log's units are the figures' units)."""
    return any(log.source == "cases" and any(i.file == n.file and i.sheet == n.sheet for i in log.files)
               for log in logs)


_TIERS = {"xã": 0, "huyện": 1, "tỉnh": 2}


def period_years(period: Period) -> list[int]:
    """The calendar years a period's days fall in; a Nghị định 09 period that starts on 15/12 of
    the year before belongs to its last year."""
    first = period.start.year
    if period.window == "nd09" and period.start.month == 12 and period.start.day >= 15:
        first += 1
    return list(range(min(first, period.end.year), period.end.year + 1))


def year_findings(plan: TargetFile, period: Period | None) -> list[Finding]:
    """A warning when the period is not (only) of the plan's year: a 2025 log judged against the
    2024 plan's targets."""
    if period is None:
        return []
    years = period_years(period)
    if years == [plan.plan.year]:
        return []
    shown = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    label = (period.label if period.window != "all"
             else f"của dữ liệu ({period.start:%d/%m/%Y}–{period.end:%d/%m/%Y})")
    return [Finding("plan-year", WARNING, None, None, None, None, None, period.label,
                    message("plan-year", period=label, years=shown, year=plan.plan.year))]


NOTICE_CODES = ("unit-mismatch", "unit-option-mismatch", "unit-unnamed", "several-units", "plan-year")


def notices(whose: UnitCheck, findings: list[Finding], plan_targets: bool = True, by: str | None = None) -> list[str]:
    """The lines said at the end of a run, where they are seen: whose figures these are and
    against which plan (the warnings above, once each, and, when the plan's targets judge the
    figures, the sample-plan note)."""
    out = [f"Cảnh báo: {f.file + ': ' if f.file else ''}{f.message}" for f in findings if f.code in NOTICE_CODES]
    for note in (whose.consolidated_note(by), whose.sample_note() if plan_targets else None):
        if note:
            out.append(f"Lưu ý: {note}")
    return out


def superior(plan: Plan) -> str | None:
    """The body above the plan's unit, as a document's head names it: a commune's district (its
    province where districts are gone), a district's province."""
    above = {"xã": plan.district or plan.province, "huyện": plan.province}.get(plan.unit_level)
    if not above:
        return None
    return above if units.fold(above).startswith(("ubnd ", "uy ban nhan dan ")) else f"UBND {above}"
