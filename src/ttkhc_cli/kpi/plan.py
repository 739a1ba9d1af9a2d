"""The target file: the plan's Appendix I (and II) as data, validated with pydantic.

A new year's plan is a new YAML file, never a code change. Every number, name and legal
reference lives in the file; the code only knows how to count what the file describes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ttkhc_cli.domain import deadlines
from ttkhc_cli.domain.errors import TargetFileError
from ttkhc_cli.io import yamlfile
from ttkhc_cli.io.yamlfile import YamlProblem, load_with_lines, validation_problems
from ttkhc_cli.kpi import rules

OPS = (">=", "<=", "=", ">", "<")
SOURCES = ("cases", "feedback", "documents", "manual")
# processed: resolved in the period, or still open at its end ("đã và đang xử lý trong kỳ").
BASES = ("received", "completed", "resolved", "processed", "none")
DEFAULT_PLAN = "dak-to-re-2024.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _one_of(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f'"{value}" không phải một trong {", ".join(allowed)}')
    return value


class Target(_Strict):
    op: str
    value: float
    text: Optional[str] = None

    @field_validator("op")
    @classmethod
    def _op(cls, v: str) -> str:
        return _one_of(v, OPS)

    @field_validator("value")
    @classmethod
    def _value(cls, v: float) -> float:
        if not 0 <= v <= 100:
            raise ValueError(f"ngưỡng {v:g} nằm ngoài khoảng 0–100")
        return v

    def met(self, numerator: int, denominator: int) -> bool:
        """Exact verdict: compares numerator/denominator with the threshold as fractions."""
        return self.holds(Fraction(numerator * 100, denominator))

    def holds(self, percent: Fraction) -> bool:
        """Whether a percentage (as an exact fraction) meets the threshold."""
        goal = Fraction(str(self.value))
        return {
            ">=": percent >= goal, "<=": percent <= goal, "=": percent == goal,
            ">": percent > goal, "<": percent < goal,
        }[self.op]

    def label(self) -> str:
        return f"{self.op} {self.value:g}"


class Count(_Strict):
    source: str
    period_by: str = "received"
    denominator: Optional[str] = None
    numerator: Optional[str] = None
    # procedure: the figures count procedures (by code, else name) that have such dossiers, not
    # the dossiers themselves (the index's "thủ tục có hồ sơ trực tuyến").
    per: Literal["dossier", "procedure"] = "dossier"
    # The portal counts what was synced to it: population (only synced dossiers in both figures)
    # or numerator (only synced dossiers in the numerator); applied when the log says which
    # dossiers were synced, said in the note when it does not.
    synced: Optional[Literal["population", "numerator"]] = None

    @field_validator("source")
    @classmethod
    def _source(cls, v: str) -> str:
        return _one_of(v, SOURCES)

    @field_validator("period_by")
    @classmethod
    def _basis(cls, v: str) -> str:
        return _one_of(v, BASES)

    @model_validator(mode="after")
    def _filters(self) -> Count:
        if self.source == "manual":
            if self.numerator or self.denominator:
                raise ValueError("chỉ tiêu nhập tay (source: manual) không có numerator/denominator")
            return self
        for key in ("denominator", "numerator"):
            text = getattr(self, key)
            if text is None:
                raise ValueError(f"thiếu khóa {key}")
            try:
                rules.parse_rule(text, self.source)
            except rules.FilterError as exc:
                raise ValueError(f"{key}: {exc}") from None
        return self

    def denominator_node(self) -> rules.Node:
        return self._node(self.denominator)

    def numerator_node(self) -> rules.Node:
        return self._node(self.numerator)

    def _node(self, text: str | None) -> rules.Node:
        """A filter as a tree; a figure typed in (``manual``) has no log to filter: all."""
        if self.source == "manual" or not text:
            return rules.All()
        return rules.parse_rule(text, self.source)

    def fields(self) -> set[str]:
        """Every field the count's filters name."""
        return rules.fields_of(self.denominator_node()) | rules.fields_of(self.numerator_node())

    def drops_not_received(self) -> bool:
        """Whether dossiers never received are left out (``codes.NOT_RECEIVED``): always for a case
        count, unless its filters name that status (a count of dossiers refused at the desk)."""
        if self.source != "cases":
            return False
        named = rules.values_named(self.denominator_node(), "status") | rules.values_named(self.numerator_node(),
                                                                                            "status")
        return "not_received" not in named


class Indicator(_Strict):
    id: str
    section: str
    name: str
    short: Optional[str] = None
    formula: Optional[str] = None
    lead: Optional[str] = None
    support: Optional[str] = None
    unit: str = "%"
    target: Target
    basis: Optional[str] = None
    count: Count
    # The unit levels the indicator applies to (a district-level indicator in a commune's plan is
    # "không áp dụng" there, not "no data"); absent: every level.
    applies_to: Optional[list[Literal["xã", "huyện", "tỉnh"]]] = None

    @property
    def short_name(self) -> str:
        return self.short or self.name

    def applies(self, level: str) -> bool:
        return self.applies_to is None or level in self.applies_to


class Section(_Strict):
    id: str
    title: str


class Deadline(_Strict):
    """When an Appendix II task falls due: a date (``due``, also the last day of a month or
    quarter), recurring (``every``), on a trigger with no date, or "theo kế hoạch"."""

    kind: Literal["date", "month", "quarter", "recurring", "trigger", "plan"]
    due: Optional[dt.date] = None
    every: Optional[Literal["continuous", "monthly", "quarterly", "yearly"]] = None

    @model_validator(mode="after")
    def _complete(self) -> Deadline:
        if self.kind in ("date", "month", "quarter") and self.due is None:
            raise ValueError(f"deadline kind {self.kind} cần due (ngày hết hạn)")
        if self.kind == "recurring" and self.every is None:
            raise ValueError("deadline kind recurring cần every (continuous, monthly, quarterly, yearly)")
        return self


class Task(_Strict):
    # An id the office's tasks file names the task by; absent: its number in Appendix II order.
    id: Optional[str] = None
    section: str
    group: Optional[str] = None
    stt: Optional[str] = None
    content: str
    lead: Optional[str] = None
    support: Optional[str] = None
    output: Optional[str] = None
    timing: Optional[str] = None
    # The deadline as data; absent: read from ``timing`` where it is one of the known forms.
    deadline: Optional[Deadline] = None

    @field_validator("stt", "id", mode="before")
    @classmethod
    def _stt(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v

    def due(self, year: int) -> Optional[Deadline]:
        """The deadline: the plan's, else read from the printed timing (None: not a known form)."""
        if self.deadline is not None:
            return self.deadline
        got = deadlines.parse(self.timing, year)
        return None if got is None else Deadline(kind=got.kind, due=got.due, every=got.every)


class ReportDuty(_Strict):
    """A periodic report the plan requires: what, to whom, every which period, by which day of
    the period's last month (Nghị định 09/2019: the data window ends on the 14th, the report is
    due on the 15th)."""

    name: str
    to: str
    every: Literal["month", "quarter", "half", "year"]
    due_day: int = Field(default=15, ge=1, le=31)
    # The data window; absent: the plan's own (plan.window), so the report covers what it reports.
    window: Optional[Literal["calendar", "nd09"]] = None
    basis: Optional[str] = None


class Procedure(_Strict):
    """A procedure the log may name: its processing time and whether it returns a document."""

    code: Optional[str] = None
    name: Optional[str] = None
    processing_days: Optional[float] = Field(default=None, ge=0, le=365)
    returns_document: bool = True

    @model_validator(mode="after")
    def _key(self) -> Procedure:
        if not self.code and not self.name:
            raise ValueError("cần code hoặc name")
        return self


class CalendarOverrides(_Strict):
    """Days the holidays package does not know yet: extra days off, swapped working Saturdays."""

    extra_holidays: list[dt.date] = Field(default_factory=list)
    working_days: list[dt.date] = Field(default_factory=list)


class Plan(_Strict):
    issuer: str
    unit: str
    unit_level: Literal["xã", "huyện", "tỉnh"] = "xã"
    # The unit's superior bodies and place name: the head of Biểu 06 ("UBND HUYỆN …" over the unit)
    # and the date line of a signed page ("Đắk Rơ Va, ngày … tháng … năm …").
    district: Optional[str] = None
    province: Optional[str] = None
    place: Optional[str] = None
    year: int = Field(ge=2000, le=2100)
    title: str
    number: Optional[str] = None
    date: Optional[dt.date] = None
    implements: Optional[str] = None
    window: Literal["calendar", "nd09"] = "calendar"
    feedback_deadline_days: int = Field(default=15, ge=1, le=365)
    # "Nơi nhận" of the báo cáo (report -o ….docx); absent: the body above the unit and the
    # unit's leaders, then "Lưu: VT."
    recipients: Optional[list[str]] = None

    def reference(self) -> str:
        """The plan as a report cites it: "Kế hoạch số 12/KH-UBND ngày 05/02/2024 của Ủy ban nhân dân
        xã … về cải cách …" when the file gives its number or date, else its title."""
        title = unicodedata.normalize("NFC", self.title.strip())
        number = re.sub(r"^(?i:số)\s*", "", (self.number or "").strip())
        if not number and not self.date or (number and number in title):
            return title  # nothing to add, or the title says it already
        said = " ".join(part for part in (f"số {number}" if number else "",
                                          f"ngày {self.date:%d/%m/%Y}" if self.date else "") if part)
        head, rest = title[:9], title[9:].strip()
        if head == "Kế hoạch " and rest and not rest.isupper():
            rest = rest[:1].lower() + rest[1:] if rest[1:2].islower() else rest
            return f"Kế hoạch {said} của {self.issuer} {rest if rest.startswith('về ') else 'về ' + rest}"
        return f"{title} ({said})"


class TimingRules(_Strict):
    """How the plan judges a dossier's timing. Official systems differ (exports.md §5); the file
    says which rule its figures follow, so that they can agree with a given system on purpose."""

    # datetime: when both the end and the appointment carry an hour, a result at 17:30 against a
    # 17:00 appointment is late; date: calendar days only.
    compare: Literal["datetime", "date"] = "datetime"
    # processing: the end of processing (result, else hand-over, else rejection or withdrawal);
    # handover: the day the result was handed over (a completed dossier not yet handed over is
    # still pending).
    end: Literal["processing", "handover"] = "processing"
    # An extended appointment (Ngày gia hạn) replaces the original only when "replace": an
    # extension granted after the fact does not make a late dossier on time.
    extension: Literal["ignore", "replace"] = "ignore"
    # clock_stops: a dossier waiting for the citizen's supplement, or paused, is within time while
    # it waits, and the time it waited is added to its appointment; request: the same, except that
    # a waiting dossier is judged at the moment the supplement was requested (the national index);
    # clock_runs: no allowance.
    waiting: Literal["clock_stops", "request", "clock_runs"] = "clock_stops"
    # More supplement requests than this make a dossier late (the national index: 1).
    max_supplements: Optional[int] = Field(default=None, ge=0, le=100)
    # Which dossiers max_supplements makes late: always (every dossier, ended or not); waiting (only
    # a dossier still waiting for its citizen at the period's end; one that has ended is judged by
    # its dates, its supplement time taken off: the national index's formula document, FD 2.1).
    supplements_late: Literal["always", "waiting"] = "always"
    # A dossier still open at the period's end ends on the period's last day ("ngày cuối kỳ báo
    # cáo", FD 2.1). day: that day carries no hour, so it is compared with the appointment's day
    # (as compare: datetime does whenever one side has no hour), and a dossier due at 16:30 on the
    # last day is in time; moment: the period ends at its last moment, so that dossier is overdue.
    open_end: Literal["day", "moment"] = "day"

    def sentences(self) -> list[str]:
        """The rules in Vietnamese sentences, for the report's notes and the README."""
        out = [
            {
                "datetime": "So sánh ngày giờ: khi cả thời điểm kết thúc và ngày hẹn trả đều có giờ, kết quả lúc 17:30 "
                "với hẹn trả 17:00 là quá hạn; khi một trong hai chỉ có ngày thì so sánh theo ngày.",
                "date": "So sánh theo ngày: kết quả trong ngày hẹn trả là đúng hạn, dù sau giờ hẹn.",
            }[self.compare],
            {
                "processing": "Thời điểm kết thúc là ngày có kết quả (đã xử lý xong); không có thì ngày trả kết quả; "
                "không có nữa thì ngày từ chối, dừng xử lý hoặc rút hồ sơ.",
                "handover": "Thời điểm kết thúc là ngày trả kết quả cho người dân; hồ sơ đã có kết quả nhưng chưa trả "
                "vẫn là hồ sơ đang giải quyết.",
            }[self.end],
            {
                "ignore": "Ngày gia hạn không thay ngày hẹn trả: gia hạn sau khi đã quá hạn không làm hồ sơ "
                "thành đúng hạn.",
                "replace": "Ngày gia hạn (nếu có) thay cho ngày hẹn trả.",
            }[self.extension],
            {
                "clock_stops": "Hồ sơ đang chờ công dân bổ sung hoặc đang tạm dừng được tính là trong hạn "
                "khi đang chờ; "
                "thời gian chờ bổ sung được cộng vào ngày hẹn trả (theo ngày làm việc khi ngày hẹn được "
                "tính từ thời hạn giải quyết).",
                "request": "Hồ sơ đang chờ công dân bổ sung được xét tại thời điểm yêu cầu bổ sung (trong hạn nếu yêu "
                "cầu trước hạn); thời gian chờ bổ sung được cộng vào ngày hẹn trả.",
                "clock_runs": "Thời gian chờ công dân bổ sung không được trừ: hồ sơ đang chờ vẫn bị xét "
                "theo ngày hẹn trả.",
            }[self.waiting],
        ]
        if self.max_supplements is not None:
            if self.supplements_late == "waiting":
                out.append(f"Hồ sơ đang chờ công dân bổ sung mà đã bị yêu cầu bổ sung quá {self.max_supplements} lần "
                           "được tính là quá hạn; hồ sơ đã kết thúc được xét theo ngày, thời gian chờ bổ sung được "
                           "trừ ra.")
            else:
                out.append(f"Hồ sơ bị yêu cầu bổ sung quá {self.max_supplements} lần được tính là quá hạn.")
        out.append({
            "day": "Hồ sơ chưa kết thúc được xét đến ngày cuối kỳ: trong hạn nếu ngày hẹn trả chưa qua (hẹn trả "
                   "trong ngày cuối kỳ vẫn là trong hạn).",
            "moment": "Hồ sơ chưa kết thúc được xét đến thời điểm cuối kỳ: hẹn trả lúc 16:30 ngày cuối kỳ là quá hạn.",
        }[self.open_end])
        out.append("Hồ sơ không được tiếp nhận không được tính vào các chỉ tiêu và Biểu 06.")
        out.append("Hồ sơ rút, bị từ chối hoặc dừng xử lý kết thúc trước hoặc đúng hạn được tính là đúng hạn.")
        out.append(
            "Hồ sơ không xác định được hạn giải quyết (không có ngày hẹn trả, không có thời hạn giải quyết) "
            "không được tính vào các chỉ tiêu đúng hạn và Biểu 06."
        )
        return out


class TargetFile(_Strict):
    plan: Plan
    sections: list[Section]
    indicators: list[Indicator]
    tasks: list[Task] = Field(default_factory=list)
    reporting: list[ReportDuty] = Field(default_factory=list)
    procedures: list[Procedure] = Field(default_factory=list)
    calendar: CalendarOverrides = Field(default_factory=CalendarOverrides)
    timing: TimingRules = Field(default_factory=TimingRules)

    @model_validator(mode="after")
    def _ids(self) -> TargetFile:
        problems = []
        seen: set[str] = set()
        sections = {s.id for s in self.sections}
        for i in self.indicators:
            if i.id in seen:
                problems.append(f"{i.id} → id: mã chỉ tiêu bị lặp")
            seen.add(i.id)
            if i.section not in sections:
                problems.append(f"{i.id} → section: không có mục {i.section!r} trong sections")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def indicator(self, indicator_id: str) -> Indicator:
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        raise KeyError(indicator_id)


class LoadedTargets(BaseModel):
    """A validated target file with where it came from (shown in reports)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    path: str
    file: TargetFile
    bundled: bool = False  # the sample plan shipped with the tool (no --targets, none found)


def bundled_path() -> Path:
    """The seed plan's file shipped inside the package: the default when --targets is absent."""
    return Path(__file__).resolve().parents[1] / "plans" / DEFAULT_PLAN


# A plan in the working folder is used without --targets: targets.yaml first, else ke-hoach*.yaml.
OWN_NAMES = ("targets.yaml", "targets.yml")
OWN_GLOBS = ("ke-hoach*.yaml", "ke-hoach*.yml")


def discover(folder: Path, year: int | None = None) -> Path | None:
    """The unit's own plan in ``folder``, when --targets is not given: ``targets.yaml`` if there,
    else the one ``ke-hoach*.yaml``; of several, the one whose name holds the year asked for
    (``ke-hoach-2025.yaml`` for --period 2025-Q1). None when the folder holds no plan; a usage
    error when it holds several and nothing chooses one."""
    for name in OWN_NAMES:
        if (folder / name).is_file():
            return Path(name) if folder == Path.cwd() else folder / name
    found = sorted({p for g in OWN_GLOBS for p in folder.glob(g) if p.is_file()})
    if len(found) > 1 and year is not None:
        chosen = [p for p in found if str(year) in p.name]
        found = chosen if len(chosen) == 1 else found
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise TargetFileError(str(folder), [
            f"thư mục {folder} có {len(found)} tệp kế hoạch ({names}): chọn một bằng --targets"
            + ("" if year is None else f" (không tệp nào, hoặc nhiều tệp, mang năm {year} trong tên)")])
    if not found:
        return None
    return Path(found[0].name) if folder == Path.cwd() else found[0]


def load_plan(path: str | Path | None = None) -> LoadedTargets:
    """Read and validate a target file; every problem is reported together."""
    p = Path(path) if path is not None else bundled_path()
    shown = str(path) if path is not None else f"(mặc định) {DEFAULT_PLAN}"
    try:
        data, lines = yamlfile.read(p, shown, "tệp chỉ tiêu")
    except yamlfile.YamlFileError as exc:
        raise TargetFileError(shown, [str(exc)]) from None
    return LoadedTargets(path=shown, file=validated(data, lines, shown), bundled=path is None)


def parse_plan(text: str, shown: str) -> TargetFile:
    """A target file's text, validated (for programs that hold the text, not a file)."""
    try:
        data, lines = load_with_lines(text)
    except YamlProblem as exc:
        where = f"{shown}:{exc.line}" if exc.line else shown
        raise TargetFileError(shown, [f"{where}: {exc}"]) from None
    return validated(data, lines, shown)


def validated(data: Any, lines: dict, shown: str) -> TargetFile:
    if not isinstance(data, dict):
        raise TargetFileError(
            shown, [f"{shown}: tệp chỉ tiêu phải là một bảng khóa: giá trị (plan, sections, indicators…)"]
        )
    try:
        return TargetFile.model_validate(data)
    except ValidationError as exc:
        raise TargetFileError(shown, validation_problems(exc, data, lines, shown, TargetFile)) from None


def to_json(loaded: LoadedTargets) -> dict[str, Any]:
    """The plan as plain data: what `ttkhc targets show --format json` prints."""
    f = loaded.file
    sections = {s.id: s.title for s in f.sections}
    return {
        "file": loaded.path,
        "plan": f.plan.model_dump(mode="json"),
        "sections": [s.model_dump(mode="json") for s in f.sections],
        "indicators": [
            {
                "id": i.id,
                "name": i.name,
                "short": i.short_name,
                "section": i.section,
                "section_title": sections.get(i.section),
                "unit": i.unit,
                "target": {"op": i.target.op, "value": i.target.value},
                "target_text": i.target.text,
                "lead": i.lead,
                "support": i.support,
                "basis": i.basis,
                "formula": i.formula,
                "source": i.count.source,
                "count": i.count.model_dump(mode="json", exclude={"source"}),
            }
            for i in f.indicators
        ],
        "tasks": [{**t.model_dump(mode="json"), "id": t.id or str(n),
                   "deadline": (d.model_dump(mode="json") if (d := t.due(f.plan.year)) else None)}
                  for n, t in enumerate(f.tasks, start=1)],
        "reporting": [d.model_dump(mode="json") for d in f.reporting],
        "procedures": [p.model_dump(mode="json") for p in f.procedures],
        "calendar": f.calendar.model_dump(mode="json"),
    }
