"""The national service index (QĐ 766/QĐ-TTg): its definition as data, and a unit's score.

The definition file holds the groups, each indicator's maximum, the rate that earns full points,
what a zero denominator scores and the counting rule (the target-file rule language). It is
turned into a target file so that the same engines count it; this module only turns the counts
into points: ``points_max × min(1, rate / full_at)``, as the national portal scores them.

Points are exact fractions until shown (two decimals, as the portal shows them); a group's
points are the sum of its indicators' shown points, so the figures on screen add up.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ttkhc_cli.domain.errors import TargetFileError
from ttkhc_cli.domain.periods import Period
from ttkhc_cli.io import yamlfile
from ttkhc_cli.kpi.inputs import Entered
from ttkhc_cli.kpi.plan import Count, Indicator, Section, Target, TargetFile, TimingRules
from ttkhc_cli.kpi.results import (
    IndexGroup,
    IndexIndicator,
    IndexTotal,
    IndexWhatIf,
    IndicatorResult,
)

DEFAULT = "qd766-2022"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IndexInfo(_Strict):
    id: str
    title: str
    short: str
    basis: str
    version: str
    total: float = Field(default=100, gt=0)


class IndexGroupDef(_Strict):
    id: str
    name: str
    short: Optional[str] = None  # for narrow tables (months across a screen)
    points: float = Field(ge=0)


class Fallback(_Strict):
    count: Count
    estimate: str


class IndexIndicatorDef(_Strict):
    id: str
    group: str
    name: str
    short: str
    points: float = Field(ge=0)
    # The rate (in %) from which the indicator earns its full points; 100 = linear.
    full_at: float = Field(gt=0, le=100)
    when_empty: Literal["zero", "full"] = "zero"
    # true: a figure only national systems hold, entered whole (--inputs). denominator: the
    # numerator is counted from the log (the procedures with such dossiers), the denominator (the
    # national catalogue's count) is entered. unless_empty: entered, except that a log with nothing
    # to count in the period (no PAKN received) scores as the portal scores an empty denominator.
    entered: Union[bool, Literal["denominator", "unless_empty"]] = False
    estimate: Optional[str] = None
    scaled_by: Optional[str] = None
    count: Optional[Count] = None
    # A second rule for logs that lack a column the first needs (most exports carry no ratings):
    # counted only then, and said to be an estimate, with its reason.
    fallback: Optional[Fallback] = None
    action: str


FALLBACK_SUFFIX = " (ước tính)"


class Reading(_Strict):
    """A counting rule the definition follows where the formula document (FD) is silent, ambiguous
    or differs from the portal: its FD line, the reading taken and the alternative."""

    id: str
    indicators: list[str]
    fd: str
    reading: str
    alternative: Optional[str] = None


class IndexDefinition(_Strict):
    index: IndexInfo
    timing: TimingRules = Field(default_factory=TimingRules)
    readings: list[Reading] = Field(default_factory=list)
    groups: list[IndexGroupDef]
    indicators: list[IndexIndicatorDef]

    def partial(self) -> frozenset[str]:
        """The indicators for which a denominator alone is entered."""
        return frozenset(i.id for i in self.indicators if i.entered == "denominator")

    def indicator(self, ident: str) -> IndexIndicatorDef:
        return next(i for i in self.indicators if i.id == ident)

    def as_targets(self, base: TargetFile, year: int) -> TargetFile:
        """The index as a target file: the engines count it like a plan. The unit, its calendar and
        procedures come from the unit's own target file; the timing rules from the index."""
        plan = base.plan.model_copy(update={"year": year, "title": self.index.short, "window": "calendar"})
        return TargetFile(
            plan=plan,
            sections=[Section(id=g.id, title=g.name) for g in self.groups],
            indicators=[
                Indicator(
                    id=ident, section=i.group, name=i.name, short=i.short, unit="%",
                    target=Target(op=">=", value=i.full_at, text=f"Đạt điểm tối đa khi từ {i.full_at:g}%"),
                    basis=self.index.basis, count=count,
                )
                for i in self.indicators
                for ident, count in [(i.id, i.count or Count(source="manual"))]
                + ([(i.id + FALLBACK_SUFFIX, i.fallback.count)] if i.fallback else [])
            ],
            procedures=base.procedures,
            calendar=base.calendar,
            timing=self.timing,
        )


class LoadedDefinition(BaseModel):
    model_config = ConfigDict(frozen=True)
    path: str
    definition: IndexDefinition


def bundled() -> list[str]:
    """The definitions shipped with the tool, by name."""
    return sorted(p.stem for p in _folder().glob("*.yaml"))


def _folder() -> Path:
    return Path(__file__).resolve().parents[1] / "indices"


def load_definition(name: str | Path | None = None) -> LoadedDefinition:
    """A bundled definition by name (``qd766-2022``) or a definition file, validated; read once
    per run (the index's target file, its entered figures and its scoring each need it), again
    only when the file has changed."""
    given = str(name) if name is not None else DEFAULT
    path = _folder() / f"{given}.yaml" if given in bundled() else Path(given)
    try:
        stamp = path.stat()
        key: tuple | None = (given, str(path.resolve()), stamp.st_mtime_ns, stamp.st_size)
    except OSError:
        key = None  # a missing file: its message comes from the reader, not cached
    if key is not None and key in _LOADED:
        return _LOADED[key]
    loaded = _load_definition(given, path)
    if key is not None:
        _LOADED[key] = loaded
    return loaded


_LOADED: dict[tuple, LoadedDefinition] = {}


def _load_definition(given: str, path: Path) -> LoadedDefinition:
    shown = given if given in bundled() else str(path)
    if given not in bundled() and path.suffix.lower() not in (".yaml", ".yml"):
        known = ", ".join(bundled())
        raise TargetFileError(shown, [f"{shown}: không có bộ chỉ số tên này (có: {known}) và không phải tệp .yaml"])
    try:
        data, lines = yamlfile.read(path, shown, "tệp định nghĩa chỉ số")
    except yamlfile.YamlFileError as exc:
        raise TargetFileError(shown, [str(exc)]) from None
    if not isinstance(data, dict):
        raise TargetFileError(shown, [f"{shown}: tệp định nghĩa chỉ số phải là một bảng khóa "
                                      "(index, groups, indicators)"])
    try:
        definition = IndexDefinition.model_validate(data)
    except ValidationError as exc:
        raise TargetFileError(shown, yamlfile.validation_problems(exc, data, lines, shown, IndexDefinition)) from None
    found = problems(definition, lines, shown)
    if found:
        raise TargetFileError(shown, found)
    return LoadedDefinition(path=shown, definition=definition)


def problems(d: IndexDefinition, lines: dict, shown: str) -> list[str]:
    """What the schema cannot check: ids, groups that add up, rules and scaling that hold together;
    one line per problem, at the line of the key concerned."""
    out: list[str] = []

    def say(path: tuple, text: str) -> None:
        line = yamlfile.line_of(path, lines)
        out.append(f"{shown}:{line}: {text}" if line else f"{shown}: {text}")

    ids = [i.id for i in d.indicators]
    groups = {g.id for g in d.groups}
    by_id = {i.id: i for i in d.indicators}
    for k, ind in enumerate(d.indicators):
        at = ("indicators", k)
        if ids.index(ind.id) != k:
            say((*at, "id"), f"{ind.id} → id: mã chỉ số bị lặp")
        if ind.group not in groups:
            say((*at, "group"), f"{ind.id} → group: không có nhóm {ind.group!r} trong groups "
                                f"(có: {', '.join(sorted(groups))})")
        if ind.entered is True and ind.count is not None:
            say((*at, "count"), f"{ind.id} → count: chỉ số nhập tay (entered: true) không có count")
        if ind.entered is not True and ind.count is None:
            say(at, f"{ind.id}: thiếu count (cách đếm) hoặc entered: true")
        if ind.entered == "denominator" and ind.count is not None and ind.count.per != "procedure":
            say((*at, "count", "per"), f"{ind.id} → count.per: chỉ nhập mẫu số (entered: denominator) khi tử số "
                                       "đếm thủ tục (per: procedure)")
        if ind.fallback is not None and ind.count is None:
            say((*at, "fallback"), f"{ind.id} → fallback: chỉ số không có count thì không có cách đếm thay thế")
        if ind.count is not None and ind.count.source == "manual":
            say((*at, "count", "source"), f"{ind.id} → count.source: manual — dùng entered: true cho số liệu nhập")
        if ind.scaled_by is not None:
            other = by_id.get(ind.scaled_by)
            if other is None or other.id == ind.id:
                say((*at, "scaled_by"), f"{ind.id} → scaled_by: không có chỉ số {ind.scaled_by!r} khác để nhân")
            elif other.scaled_by is not None:
                say((*at, "scaled_by"), f"{ind.id} → scaled_by: chỉ số {other.id} cũng được nhân với chỉ số khác; "
                                        "chỉ nhân với chỉ số không nhân với chỉ số nào")
    for k, r in enumerate(d.readings):
        for ident in r.indicators:
            if ident not in by_id:
                say(("readings", k, "indicators"), f"readings → {r.id}: không có chỉ số {ident!r}")
    for k, g in enumerate(d.groups):
        total = sum(i.points for i in d.indicators if i.group == g.id)
        if not math.isclose(total, g.points):
            say(("groups", k, "points"), f"nhóm {g.id}: điểm các chỉ số cộng lại {number(total)}, khác điểm của "
                                         f"nhóm {number(g.points)}")
    whole = sum(g.points for g in d.groups)
    if not math.isclose(whole, d.index.total):
        say(("index", "total"), f"index → total: {number(d.index.total)} khác tổng điểm các nhóm {number(whole)}")
    return out


# ------------------------------------------------------------------ scoring

def _points(ind: IndexIndicatorDef, rate: Fraction) -> Fraction:
    """``points × min(1, rate / full_at)``, the rate as a fraction (0.5 = 50 %)."""
    full = Fraction(str(ind.full_at)) / 100
    return Fraction(str(ind.points)) * min(Fraction(1), rate / full)


def shown(x: Fraction) -> float:
    """Two decimals, half up, as the portal shows points and rates."""
    return math.floor(x * 100 + Fraction(1, 2)) / 100


def number(x: float, decimals: int = 2) -> str:
    """A figure as Vietnamese write it, with a decimal comma: whole numbers bare (12), the rest
    with two decimals, as the portal shows points (56,10; 0,40)."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.{decimals}f}".replace(".", ",")


class _Figure:
    """An indicator's counts for a period: from the log, or entered (``part``: only that part)."""

    def __init__(self, num: int | None, den: int | None, kind: str, note: str | None, part: str | None = None):
        self.num, self.den, self.kind, self.note, self.part = num, den, kind, note, part


def _figure(ind: IndexIndicatorDef, counted: IndicatorResult | None, inputs: Entered, period: Period) -> _Figure:
    entered = inputs.get(ind.id, period)
    if entered is not None and entered.numerator is None:
        return _partial(ind, counted, entered.denominator, entered.note)
    if entered is not None:
        note = "số liệu nhập" + (f": {entered.note}" if entered.note else "")
        if ind.entered is not True and counted is not None and counted.denominator:
            note += f" (thay cho {counted.numerator}/{counted.denominator} tính từ sổ)"
        return _Figure(entered.numerator, entered.denominator, "entered", note)
    if ind.entered == "denominator":
        if counted is None or counted.numerator is None:
            return _Figure(None, None, "missing", counted.note if counted is not None else None)
        return _Figure(None, None, "missing", f"tử số tính từ sổ: {counted.numerator} {ind.action}; "
                                              f"{DENOMINATOR_NOT_ENTERED}")
    if ind.entered == "unless_empty" and counted is not None and counted.denominator == 0:
        return _Figure(0, 0, "data", "không có phản ánh, kiến nghị nào tiếp nhận trong kỳ")
    if ind.entered == "unless_empty" and counted is not None and counted.denominator:
        return _Figure(None, None, "missing", f"{NOT_ENTERED} ({counted.denominator} PAKN tiếp nhận trong kỳ)")
    if ind.entered:
        others = inputs.other_periods(ind.id)
        why = (f"số liệu nhập là của kỳ {', '.join(others)}, không phải kỳ này" if others
               else NOT_ENTERED)
        return _Figure(None, None, "missing", why)
    if counted is None or counted.denominator is None:
        return _Figure(None, None, "missing", counted.note if counted is not None else None)
    return _Figure(counted.numerator, counted.denominator, "data", counted.note if counted.denominator else None)


def _partial(ind: IndexIndicatorDef, counted: IndicatorResult | None, den: int, note: str | None) -> _Figure:
    """The numerator counted from the log over an entered denominator (the catalogue's count)."""
    if counted is None or counted.numerator is None:
        why = counted.note if counted is not None and counted.note else "không tính được tử số từ sổ"
        return _Figure(None, None, "missing", why)
    said = (f"tử số tính từ sổ ({counted.numerator} {ind.action}), mẫu số nhập ({den})"
            + (f": {note}" if note else ""))
    if counted.numerator > den:
        said += "; tử số lớn hơn mẫu số nhập: kiểm tra lại mẫu số"
    return _Figure(counted.numerator, den, "entered", said, "denominator")


def _counted(ind: IndexIndicatorDef, results: dict[str, IndicatorResult]) -> tuple[IndicatorResult | None, str | None]:
    """The indicator's counts by its rule, or by its fallback when the log lacks a column the
    rule needs (with the estimate's reason)."""
    main = results.get(ind.id)
    if ind.fallback is None or (main is not None and main.denominator is not None):
        return main, None
    second = results.get(ind.id + FALLBACK_SUFFIX)
    if second is None or second.denominator is None:
        return main, None
    return second, ind.fallback.estimate


def score(definition: IndexDefinition, results: list[IndicatorResult], inputs: Entered,
          period: Period) -> tuple[list[IndexIndicator], list[IndexGroup], IndexTotal]:
    """Every indicator's rate and points, each group's points, and the total with what it covers."""
    by_id = {r.id: r for r in results}
    counted = {i.id: _counted(i, by_id) for i in definition.indicators}
    figures = {i.id: _figure(i, counted[i.id][0], inputs, period) for i in definition.indicators}
    rows = [_scored(i, figures[i.id], figures.get(i.scaled_by) if i.scaled_by else None, definition,
                    counted[i.id][1] if figures[i.id].kind == "data" else None)
            for i in definition.indicators]
    rows = [_with_dependants(definition, row, figures) for row in rows]
    groups = [_group(g, [r for r in rows if r.group == g.id]) for g in definition.groups]
    return rows, groups, _total(definition, rows)


def _scored(ind: IndexIndicatorDef, fig: _Figure, scale: _Figure | None,
            definition: IndexDefinition, fallback: str | None = None) -> IndexIndicator:
    estimate = None if fig.kind == "entered" and ind.entered is not True and fig.part is None else ind.estimate
    if fallback is not None:
        estimate = "; ".join(x for x in (estimate, fallback) if x)
    head: dict[str, Any] = {
        "id": ind.id, "name": ind.name, "short": ind.short, "group": ind.group, "max_points": ind.points,
        "full_at": ind.full_at, "when_empty": ind.when_empty, "scaled_by": ind.scaled_by,
        # an entered figure is the portal's own: the estimate's reason (a proxy) no longer holds
        "estimate": estimate,
        "entered_part": fig.part,
    }
    if fig.kind == "missing" or fig.num is None or fig.den is None:
        return IndexIndicator(**head, kind="missing", rate=None, numerator=None, denominator=None, points=None,
                              note=fig.note or "không tính được")
    head.update(kind=fig.kind, numerator=fig.num, denominator=fig.den)
    if fig.den == 0:
        pts = Fraction(str(ind.points)) if ind.when_empty == "full" else Fraction(0)
        note = ("mẫu số bằng 0: " + ("đủ điểm" if ind.when_empty == "full" else "0 điểm")
                + ", như Cổng DVCQG chấm")
        return IndexIndicator(**head, rate=None, points=shown(pts), note=note)
    rate = Fraction(fig.num, fig.den)
    notes = [fig.note] if fig.note else []
    if scale is not None:
        factor = _scale(scale)
        other = definition.indicator(ind.scaled_by or "")
        if factor is None:
            notes.append(f"chưa nhân với tỷ lệ {other.id} {other.short}: chưa có số liệu")
        else:
            notes.append(f"{number(shown(rate * 100))}% × {number(shown(factor * 100))}% "
                         f"(tỷ lệ {other.id} {other.short})")
            rate *= factor
    pts = _points(ind, rate)
    what_if = _what_if(ind, fig.num, fig.den, _scale(scale) if scale is not None else None, pts)
    return IndexIndicator(**head, rate=shown(rate * 100), points=shown(pts), note="; ".join(notes) or None,
                          what_if=what_if)


def _with_dependants(definition: IndexDefinition, row: IndexIndicator,
                     figures: dict[str, _Figure]) -> IndexIndicator:
    """A what-if that also raises the indicators scaled by this one (more dossiers synced raise
    3.3 too): their gain is added to its points."""
    w = row.what_if
    if w is None or row.numerator is None or not row.denominator:
        return row
    extra = Fraction(0)
    exact = Fraction(0)
    for dep in (i for i in definition.indicators if i.scaled_by == row.id):
        fig = figures[dep.id]
        if fig.kind == "missing" or fig.num is None or not fig.den:
            continue
        rate = Fraction(fig.num, fig.den)
        before = _points(dep, rate * Fraction(row.numerator, row.denominator))
        after = _points(dep, rate * Fraction(row.numerator + w.dossiers, row.denominator))
        extra += Fraction(str(shown(after))) - Fraction(str(shown(before)))
        exact += after - before
    if not extra:
        return row
    gain = Fraction(str(w.points)) + extra
    ind = definition.indicator(row.id)
    text = f"thêm {w.dossiers} {ind.action}: +{number(shown(gain))} điểm (kể cả chỉ số nhân với tỷ lệ này)"
    per = Fraction(str(w.per_dossier)) + exact / w.dossiers
    return row.model_copy(update={"what_if": w.model_copy(update={
        "points": shown(gain), "per_dossier": round(float(per), 4), "text": text})})


def _scale(fig: _Figure) -> Fraction | None:
    if fig.kind == "missing" or fig.num is None or not fig.den:
        return None
    return Fraction(fig.num, fig.den)


def _what_if(ind: IndexIndicatorDef, num: int, den: int, scale: Fraction | None,
             now: Fraction) -> IndexWhatIf | None:
    """How many more dossiers (of those already counted below the line) would give full points,
    and what they would add. When full points are out of reach (a rate scaled by another that is
    too low), all of them, and what that adds."""
    top = Fraction(str(ind.points))
    if now >= top:
        return None
    factor = scale if scale is not None else Fraction(1)
    if factor == 0:
        return None
    need = Fraction(str(ind.full_at)) / 100 * den / factor - num
    more = min(max(1, math.ceil(need)), den - num)
    if more <= 0:
        return None
    after = _points(ind, Fraction(num + more, den) * factor)
    # the gain as the shown points differ (1,98 → 2: +0,02), so that the figures on screen add up
    gain = Fraction(str(shown(after))) - Fraction(str(shown(now)))
    if gain <= 0:
        return None  # less than what two decimals show: nothing worth a line
    full = after >= top
    task = f"thêm {more} {ind.action}" + ("" if full else " (chưa đủ điểm tối đa)")
    text = f"thêm {more} {ind.action}: +{number(shown(gain))} điểm" + ("" if full else " (chưa đủ điểm tối đa)")
    # ranked by the exact gain: rounding must not put 0,005 ahead of 0,004
    exact = after - now
    return IndexWhatIf(id=ind.id, short=ind.short, dossiers=more, points=shown(gain),
                       per_dossier=round(float(exact / more), 4), reaches_full=full, task=task, text=text)


def _group(g: IndexGroupDef, rows: list[IndexIndicator]) -> IndexGroup:
    scored = [r for r in rows if r.points is not None]
    return IndexGroup(
        id=g.id, name=g.name, short=g.short or g.name, max_points=g.points,
        points=round(sum(r.points for r in scored if r.points is not None), 2),
        scored_max=sum(r.max_points for r in scored),
        complete=len(scored) == len(rows),
        estimate=any(r.estimate for r in rows),
    )


def _total(definition: IndexDefinition, rows: list[IndexIndicator]) -> IndexTotal:
    points = round(sum(r.points for r in rows if r.points is not None), 2)
    data = sum(r.max_points for r in rows if r.kind == "data")
    entered = sum(r.max_points for r in rows if r.kind == "entered")
    missing = sum(r.max_points for r in rows if r.kind == "missing")
    top = definition.index.total
    scored = data + entered
    if not scored:
        text = f"chưa tính được chỉ số nào: sổ thiếu các cột cần cho chỉ số; {number(top)} điểm chưa có số liệu"
        return IndexTotal(points=0, scored_max=0, data_max=0, entered_max=0, missing_max=missing, total_max=top,
                          text=text)
    if not missing:
        text = f"{number(points)}/{number(top)} điểm"
    elif not entered:
        text = f"{number(points)}/{number(scored)} điểm tính được từ dữ liệu của đơn vị"
    else:
        text = (f"{number(points)}/{number(scored)} điểm ({number(data)} điểm tính từ dữ liệu của đơn vị, "
                f"{number(entered)} điểm từ số liệu nhập)")
    if missing:
        text += f"; {number(missing)}/{number(top)} điểm chưa có số liệu"
    return IndexTotal(points=points, scored_max=scored, data_max=data, entered_max=entered, missing_max=missing,
                      total_max=top, text=text)


def actions(rows: list[IndexIndicator]) -> list[IndexWhatIf]:
    """The what-if list, the most points per dossier first: what an office can act on first (its
    own dossiers: entered national figures are not on it)."""
    items = [r.what_if for r in rows if r.what_if is not None and r.kind == "data"]
    return sorted(items, key=lambda w: (-w.per_dossier, -w.points, w.id))


NOT_ENTERED = "số liệu quốc gia, chưa nhập"
DENOMINATOR_NOT_ENTERED = "chưa nhập mẫu số (số thủ tục theo danh mục quốc gia)"


def notes(rows: list[IndexIndicator]) -> list[str]:
    """The notes under the index, each said once for every indicator it applies to ("1.1, 1.2,
    5.3: số liệu quốc gia, chưa nhập"), then why some figures are only estimates."""
    said: dict[str, list[str]] = {}
    for r in rows:
        if r.note:
            said.setdefault(r.note, []).append(r.id)
    estimates: dict[str, list[str]] = {}
    for r in rows:
        if r.estimate and r.points is not None:
            estimates.setdefault(r.estimate, []).append(r.id)
    return ([f"{', '.join(ids)}: {text}" for text, ids in said.items()]
            + [f"Ước tính ({', '.join(ids)}): {text}" for text, ids in estimates.items()])
