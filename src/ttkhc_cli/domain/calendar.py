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
