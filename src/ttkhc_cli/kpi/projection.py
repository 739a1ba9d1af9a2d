"""The pace to year end: where a yearly indicator stands at a date inside the year, and what the
rest of the year's dossiers must reach for the year to meet its target.

Targets are yearly; an office acts month by month. At an as-of date inside the year: the
year-to-date figure (from the year's first day, in the plan's window), the figure at the year's
end if the rest of the year goes at the same rate, and the rate the remaining dossiers must
reach. How many dossiers remain is an estimate from the log itself: the same months of the
previous year when the log holds them, else the pace so far (dossiers per day since the year
began). It is said to be an estimate, and an indicator the year can no longer meet is said so.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from ttkhc_cli.domain import labels, periods
from ttkhc_cli.kpi import compute as C
from ttkhc_cli.kpi import describe
from ttkhc_cli.kpi.plan import Indicator, LoadedTargets
from ttkhc_cli.kpi.results import FAIL, PASS, Projection
from ttkhc_cli.kpi.worklist import changeable


def year_of(period: periods.Period) -> periods.Period:
    """The plan year holding the period's end, in the period's window (nd09: 15/12–14/12)."""
    window = period.window if period.window in periods.WINDOWS else "calendar"
    late_december = window == "nd09" and period.end.month == 12 and period.end.day >= 15
    return periods.parse_period(str(period.end.year + 1 if late_december else period.end.year), window)


def applies(period: periods.Period, as_of: dt.date) -> bool:
    """On by default for a year-to-date period (from the year's first day) judged before its end."""
    year = year_of(period)
    return period.start == year.start and as_of < year.end


def projections(targets: LoadedTargets, sources: C.Sources, period: periods.Period, as_of: dt.date,
                today: dt.date | None, make_engine: C.EngineFactory) -> list[Projection]:
    """Every counted yearly indicator's pace at ``as_of``: year to date, at the same rate, needed."""
    year = year_of(period)
    if not year.start <= as_of < year.end:
        return []
    ytd = periods.Period(f"Lũy kế {year.label}", year.start, as_of, year.window)
    now = C.compute(targets, sources, ytd, as_of, None, today, make_engine=make_engine)
    rest, basis = _remaining(targets, sources, year, as_of, now.indicators, today, make_engine)
    by_id = {i.id: i for i in targets.file.indicators}
    out = []
    for r in now.indicators:
        ind = by_id[r.id]
        if r.status not in (PASS, FAIL) or r.numerator is None or not r.denominator or ind.count.source == "manual":
            continue
        out.append(_projection(ind, r.numerator, r.denominator, rest.get(r.id, 0), basis, as_of))
    return out


def _remaining(targets: LoadedTargets, sources: C.Sources, year: periods.Period, as_of: dt.date,
               now: list, today: dt.date | None, make_engine: C.EngineFactory) -> tuple[dict[str, int], str]:
    """Each indicator's denominator from the day after ``as_of`` to the year's end: as in the same
    days of the previous year when the log holds them, else at the pace so far."""
    start, end = as_of + dt.timedelta(days=1), year.end
    span = C.data_span(sources)
    before = (_year_back(start), _year_back(end))
    if span is not None and span.start <= before[0] and span.end >= before[1]:
        last = periods.Period("cùng kỳ năm trước", before[0], before[1], year.window)
        counted = C.compute(targets, sources, last, before[1], None, today, make_engine=make_engine)
        return ({i.id: i.denominator or 0 for i in counted.indicators},
                f"theo cùng kỳ năm trước, {before[0]:%d/%m/%Y}–{before[1]:%d/%m/%Y}")
    elapsed = (as_of - year.start).days + 1
    left = (end - as_of).days
    return ({i.id: round((i.denominator or 0) * left / elapsed) for i in now},
            f"theo nhịp {elapsed} ngày từ đầu năm")


def _year_back(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29/02
        return day.replace(year=day.year - 1, day=28)


def _projection(ind: Indicator, num: int, den: int, rest: int, basis: str, as_of: dt.date) -> Projection:
    target = ind.target
    goal = Fraction(str(target.value)) / 100
    total = den + rest
    ceiling = target.op in ("<=", "<")
    behind = den - num if changeable(ind) else 0  # received dossiers the office can still complete
    if target.op in (">=", "="):
        need = math.ceil(goal * total) - num
    elif target.op == ">":
        need = math.floor(goal * total) + 1 - num
    elif target.op == "<=":
        need = math.floor(goal * total) - num  # at most this many more
    else:
        need = math.ceil(goal * total) - 1 - num
    # Reachable when the dossiers to come, and those received that can still be completed, suffice;
    # already met whatever comes when nothing more is needed.
    reachable = need <= rest + behind if not ceiling else need >= 0
    need_rate = None if rest == 0 else float(Fraction(max(min(need, rest), 0), rest) * 100)
    ytd = float(Fraction(num * 100, den))
    said = _sentence(ind, ytd, as_of, need, need_rate, reachable, num, den, rest)
    rest_said = f"khoảng {labels.count(rest)} {_who(ind)} từ nay đến cuối năm, ước tính {basis}"
    text, short = f"{said} ({rest_said}).", f"{said}."
    return Projection(id=ind.id, short=ind.short_name, as_of=as_of, numerator=num, denominator=den, rate=round(ytd, 2),
                      remaining=rest, remaining_basis=basis, projected=round(ytd, 2),
                      needed=None if need_rate is None else round(need_rate, 2), reachable=reachable, text=text,
                      brief=short)


def _about(x: float) -> str:
    """A rough figure: one decimal ("khoảng 36,4%"), never rounded up to a whole 100%."""
    shown = min(math.floor(x * 10 + 0.5) / 10, 99.9) if x < 100 else 100.0
    return f"{shown:.1f}".replace(".", ",") + "%"


def _pct(x: float) -> str:
    return f"{x:.2f}".replace(".", ",") + "%"


def _who(ind: Indicator) -> str:
    """The dossiers the rate is over: "hồ sơ có phí, lệ phí"."""
    noun = describe.NOUNS.get(ind.count.source, "hồ sơ")
    what = describe.phrase(ind.count.denominator_node(), ind.count.source) if ind.count.denominator else ""
    return " ".join(x for x in (noun, what) if x)


def _sentence(ind: Indicator, ytd: float, as_of: dt.date, need: int, need_rate: float | None, reachable: bool,
              num: int, den: int, rest: int) -> str:
    """The pace in one sentence, without its estimate of the dossiers to come (said after it)."""
    target = f"{ind.target.value:g}%"
    head = (f"{ind.id}: lũy kế đến {as_of:%d/%m/%Y} đạt {_pct(ytd)}; nếu giữ nhịp này, cả năm đạt khoảng "
            f"{_about(ytd)}")
    noun = describe.NOUNS.get(ind.count.source, "hồ sơ")
    did = describe.phrase(ind.count.numerator_node(), ind.count.source) if ind.count.numerator else ""
    who = _who(ind)
    if ind.target.op in ("<=", "<"):
        if not reachable:
            return f"{head}; đã vượt {target} cả năm, không còn đạt được"
        share = "" if need_rate is None else f"không quá {_about(need_rate)} "
        return f"{head}; để không vượt {target} cả năm, từ nay {share}{who} {did}"
    if not reachable:
        best = float(Fraction((num + rest) * 100, den + rest)) if den + rest else 0.0
        return (f"{head}; không còn đạt được {target} cả năm: kể cả mọi {who} còn lại đều {did} thì cả năm chỉ "
                f"khoảng {_pct(best)}")
    if need <= 0:
        return f"{head}; đã chắc đạt {target} cả năm, dù các {who} từ nay thế nào"
    if need > rest:  # only with the received dossiers completed too
        return (f"{head}; để đạt {target} cả năm, cần hoàn thiện thêm {labels.count(need - rest)} {noun} đã tiếp "
                f"nhận còn thiếu, và mọi {noun} từ nay đều {did}")
    return f"{head}; để đạt {target} cả năm, từ nay cần khoảng {_about(need_rate or 0)} {who} {did}"
