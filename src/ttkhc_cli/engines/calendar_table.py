"""The working-day calendar as a table, so that SQL counts due dates in working days.

One row per day: whether it is a working day (the ``holidays`` calendar with the target file's
extra holidays and swapped working Saturdays, the same ``WorkCalendar``) and ``wi``, the number
of working days up to and including it. The n-th working day after a day d is the working day
whose index is wi(d) + n, and the working days in (a, b] number wi(b) − wi(a): two joins.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.io import textcache

FIRST_YEAR, LAST_YEAR = 1999, 2101  # dates outside 2000–2100 are refused when logs are read


def calendar_table(calendar: WorkCalendar, first: int, last: int) -> pa.Table:
    """Every day of the years ``first``..``last`` with its working flag and running index. The
    flags are kept between runs (``io.textcache``, with the ``holidays`` version): a run that
    finds them does not compute Vietnam's lunar holidays again."""
    import numpy as np

    first, last = max(first, FIRST_YEAR), min(last, LAST_YEAR)
    start, stop = dt.date(first, 1, 1), dt.date(last, 12, 31)
    flags = textcache.cached("calendar", (calendar.identity(), first, last), lambda: _flags(calendar, start, stop))
    working = np.frombuffer(flags.encode("ascii"), dtype=np.uint8) == ord("1")
    days = np.arange(np.datetime64(start, "D"), np.datetime64(stop, "D") + 1)
    return pa.table({"day": pa.array(days, pa.date32()), "working": pa.array(working),
                     "wi": pa.array(np.cumsum(working, dtype=np.int64))})


def _flags(calendar: WorkCalendar, start: dt.date, stop: dt.date) -> str:
    """One character per day from ``start`` to ``stop``: 1 for a working day, 0 for a day off."""
    out = []
    day = start
    while day <= stop:
        out.append("1" if calendar.is_working_day(day) else "0")
        day += dt.timedelta(days=1)
    return "".join(out)


def years_around(low: dt.date | None, high: dt.date | None) -> tuple[int, int]:
    """The years a log's dates need: one before (a dossier received late in December of the year
    before) and two after (a processing time of up to 365 working days)."""
    if low is None or high is None:
        year = dt.date.today().year
        return year - 1, year + 1
    return low.year - 1, high.year + 2


WORKDAYS_SQL = "SELECT wi, day FROM calendar WHERE working"
