"""Entered figures (--inputs) for indicators no log holds, each for the period it counts.

    period: 2024                 # the period of the figures below that do not name their own
    III.1: {numerator: 12, denominator: 12, note: Quy định đã cập nhật / cần cập nhật}
    V.1:
      - {period: 2024-Q1, numerator: 40, denominator: 40}
      - {period: 2024-Q2, numerator: 38, denominator: 39}

A figure counts only for its own period: a year's figure is not a quarter's, and is not shown
for one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ttkhc_cli.domain import periods
from ttkhc_cli.domain.errors import UsageError
from ttkhc_cli.io import yamlfile
from ttkhc_cli.kpi.plan import TargetFile

_KEYS = {"numerator", "denominator", "note", "period"}


@dataclass(frozen=True)
class Figure:
    numerator: int | None  # None: only the denominator is entered (its numerator is counted)
    denominator: int
    period: periods.Period
    note: str | None = None

    def fits(self, period: periods.Period) -> bool:
        """Whether the figure counts for ``period``: the same days, or (when no period was asked)
        a period that holds the whole span of the data."""
        if period.window == "all":
            return self.period.start <= period.start and period.end <= self.period.end
        return (self.period.start, self.period.end) == (period.start, period.end)


@dataclass(frozen=True)
class Entered:
    """Every entered figure, by indicator."""

    figures: dict[str, list[Figure]]

    def get(self, indicator_id: str, period: periods.Period) -> Figure | None:
        return next((f for f in self.figures.get(indicator_id, []) if f.fits(period)), None)

    def other_periods(self, indicator_id: str) -> list[str]:
        """The periods an indicator has figures for (to say why none counts for this one)."""
        return [f.period.label for f in self.figures.get(indicator_id, [])]

    def __bool__(self) -> bool:
        return bool(self.figures)


def load_entered(path: str | Path | None, targets: TargetFile, index: bool = False,
                 partial: frozenset[str] = frozenset()) -> Entered:
    """The entered figures, each checked against the plan's indicators (or, with ``index``, the
    service index's). ``partial``: the indicators whose numerator is counted from the log, for
    which a denominator alone may be entered (the catalogue's count of procedures)."""
    if path is None:
        return Entered({})
    shown = str(path)
    data, lines = yamlfile.read_input(path, "tệp số liệu nhập")
    if data is None:
        return Entered({})
    if not isinstance(data, dict):
        raise UsageError(f"{shown}: cần dạng period: 2024 và III.1: {{numerator: 12, denominator: 12}}")
    window = targets.plan.window
    default = _period(data.get("period"), window, f"{shown}:{lines.get(('period',), '?')}: period")
    known = {i.id for i in targets.indicators}
    out: dict[str, list[Figure]] = {}
    problems: list[str] = []
    for key, value in data.items():
        if key == "period":
            continue
        where = f"{shown}:{lines.get((key,), '?')}: {key}"
        if str(key) not in known:
            listed = ", ".join(i.id for i in targets.indicators)
            problems.append(f"{where}: không có chỉ số này trong bộ chỉ số (có: {listed})" if index
                            else f"{where}: không có chỉ tiêu này trong tệp chỉ tiêu (có: {listed})")
            continue
        for item in value if isinstance(value, list) else [value]:
            try:
                out.setdefault(str(key), []).append(_figure(item, default, window, where, str(key) in partial))
            except UsageError as exc:
                problems.append(str(exc))
    if problems:
        raise UsageError("\n".join(problems))
    return Entered(out)


def _period(value: Any, window: str, where: str) -> periods.Period | None:
    if value is None:
        return None
    try:
        return periods.parse_period(str(value), window)
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None


def _figure(item: Any, default: periods.Period | None, window: str, where: str, partial: bool = False) -> Figure:
    needed = {"denominator"} if partial else {"numerator", "denominator"}
    if not isinstance(item, dict) or not needed <= set(item) or set(item) - _KEYS:
        if partial:
            raise UsageError(f"{where}: cần denominator (tử số tính từ sổ; có thể ghi cả numerator), "
                             "và period, note nếu muốn")
        raise UsageError(f"{where}: cần numerator, denominator (và period, note nếu muốn)")
    num, den = item.get("numerator"), item["denominator"]
    if not all(isinstance(x, int) and not isinstance(x, bool) and 0 <= x <= 10**9
               for x in (num, den) if x is not None or not partial):
        raise UsageError(f"{where}: numerator và denominator phải là số nguyên không âm")
    if num is not None and num > den:
        raise UsageError(f"{where}: tử số {num} lớn hơn mẫu số {den}")
    period = _period(item.get("period"), window, f"{where} → period") or default
    if period is None:
        raise UsageError(f"{where}: cần ghi số liệu này của kỳ nào (period: 2024, 2024-Q1 hoặc 2024-03)")
    return Figure(num, den, period, item.get("note"))
