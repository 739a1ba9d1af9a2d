"""Vietnamese working days: due dates counted the way one-stop systems count them.

The receipt day is not counted; Saturdays, Sundays and public holidays (with the extended Tết
days and swapped working Saturdays) are skipped. The ``holidays`` package's Vietnam calendar
reproduces public systems' own test cases; a target file adds days it does not know yet.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from typing import Iterable

import numpy as np
import pandas as pd


class WorkCalendar:
    def __init__(self, extra_holidays: Iterable[dt.date] = (), working_days: Iterable[dt.date] = ()):
        import holidays

        self._cal = holidays.Vietnam()
        self._extra = tuple(extra_holidays)
        self._work = tuple(working_days)
        for d in self._extra:
            self._cal[d] = "Ngày nghỉ (theo tệp chỉ tiêu)"
        self._cal.weekend_workdays.update(self._work)
        self.add = lru_cache(maxsize=None)(self._add)

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

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        if end <= start:
            return 0
        n, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                n += 1
        return n


def ceil_days(x: float) -> int:
    return int(math.ceil(x))
