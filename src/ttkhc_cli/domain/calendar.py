"""Vietnamese working days: due dates counted the way one-stop systems count them.

The receipt day is not counted; Saturdays, Sundays and public holidays (with the extended Tết
days and swapped working Saturdays) are skipped. The ``holidays`` package's Vietnam calendar
reproduces public systems' own test cases; a target file adds days it does not know yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd


class WorkCalendar:
    def __init__(self, extra_holidays: Iterable[dt.date] = (), working_days: Iterable[dt.date] = ()):
        self._extra = tuple(extra_holidays)
        self._work = tuple(working_days)
        self.__cal: Any = None  # holidays.Vietnam, imported on first use
        self.add = lru_cache(maxsize=None)(self._add)

    def identity(self) -> tuple[tuple[dt.date, ...], tuple[dt.date, ...]]:
        """What makes this calendar differ from the package's: the plan's extra days off and
        swapped working days (two calendars with the same identity have the same working days)."""
        return self._extra, self._work

    @property
    def _cal(self):
        """The package's calendar, built on first use: most logs carry their due dates."""
        if self.__cal is None:
            import holidays

            cal = holidays.Vietnam()
            for d in self._extra:
                cal[d] = "Ngày nghỉ (theo tệp chỉ tiêu)"
            cal.weekend_workdays.update(self._work)
            self.__cal = cal
        return self.__cal

    def _add(self, start: dt.date, days: int) -> dt.date:
        return self._cal.get_nth_working_day(start, days)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._work:
            return True
        return self._cal.is_working_day(day)

    def due_dates(self, received: pd.Series, days: pd.Series) -> pd.Series:
        """Due date = the n-th working day after the receipt day, per row (NaT where unknown)."""
        ok = received.notna() & days.notna() & (days >= 0)
        out = pd.Series(pd.NaT, index=received.index, dtype="datetime64[ns]")
        if not ok.any():
            return out
        pairs = pd.DataFrame({"d": received[ok].dt.normalize(), "n": np.ceil(days[ok]).astype(int)})
        uniq = pairs.drop_duplicates()
        lookup = {
            (d, n): pd.Timestamp(self.add(d.date(), int(n)))
            for d, n in zip(uniq["d"], uniq["n"])
        }
        out[ok] = [lookup[(d, n)] for d, n in zip(pairs["d"], pairs["n"])]
        return out

    def days_late(self, due: pd.Series, end: pd.Series) -> pd.Series:
        """Working days after the due day up to the end day, per row."""
        return self.working_days_after(due, end)

    def working_days_after(self, due: pd.Series, end: pd.Series) -> pd.Series:
        """Working days after the first day up to and including the second, per row (vectorised
        with numpy): the days a dossier was late, or the days it waited for its citizen."""
        ok = due.notna() & end.notna()
        out = pd.Series(np.nan, index=due.index, dtype=float)
        if not ok.any():
            return out
        d = due[ok].dt.normalize().to_numpy().astype("datetime64[D]")
        e = end[ok].dt.normalize().to_numpy().astype("datetime64[D]")
        years = range(int(str(d.min())[:4]), int(str(e.max())[:4]) + 1)
        offs = self._days_off(years)
        begin, stop = d + 1, e + 1
        stop = np.maximum(stop, begin)
        n = np.busday_count(begin, stop, holidays=offs)
        sats = np.array(sorted(x for x in self._saturdays(years)), dtype="datetime64[D]")
        if len(sats):
            n = n + (np.searchsorted(sats, stop) - np.searchsorted(sats, begin))
        out[ok] = n
        return out

    def _days_off(self, years: range) -> np.ndarray:
        for y in years:
            self._cal.get(dt.date(y, 1, 1))  # makes the package fill that year
        days = {d for d in self._cal if d.year in years} | set(self._extra)
        return np.array(sorted(days), dtype="datetime64[D]")

    def _saturdays(self, years: range) -> set[dt.date]:
        """Weekend days declared working days (swaps), known to the package or the target file."""
        for y in years:
            self._cal.get(dt.date(y, 1, 1))
        return {d for d in set(self._cal.weekend_workdays) | set(self._work) if d.year in years}
