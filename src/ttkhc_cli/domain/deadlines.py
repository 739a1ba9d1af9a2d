"""The deadline of an Appendix II task, read from its printed timing text.

Plans print a task's timing in a few forms: a date ("Trước ngày 20/2/2024"), a month ("Tháng
02/2024"), a quarter ("Quý I/2024"), recurring ("Thường xuyên", "Hàng quý, năm và đột xuất"),
"Theo Kế hoạch", or a trigger ("Sau khi có Văn bản triển khai của UBND tỉnh"). A tracker needs
the kind and, where there is one, the day it falls due.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from ttkhc_cli.domain.folding import fold

Kind = Literal["date", "month", "quarter", "recurring", "trigger", "plan"]
Every = Literal["continuous", "monthly", "quarterly", "yearly"]
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class Parsed:
    kind: Kind
    due: dt.date | None = None  # the last day it may be done on (date, month, quarter)
    every: Every | None = None  # for recurring tasks


def parse(text: str | None, year: int) -> Parsed | None:
    """The deadline a timing text states; None when it states none of the known forms."""
    if not text or not text.strip():
        return None
    words = fold(text)  # lowercase words without diacritics or punctuation: "thang 02 2024"
    if re.search(r"\b(sau khi|ngay khi|khi co van ban|khi co huong dan|khi co chi dao)\b", words):
        return Parsed("trigger")
    day = re.search(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", text)
    if day:
        d, m, y = (int(x) for x in day.groups())
        try:
            due = dt.date(y, m, d)
        except ValueError:
            return None
        # "Trước ngày 20/2" means by the 19th; "Ngày 20/2", "chậm nhất 20/2", "hạn 20/2" the 20th.
        return Parsed("date", due - dt.timedelta(days=1) if re.search(r"\btruoc\b", words) else due)
    month = re.search(r"\bthang\s+(\d{1,2})\b(?:\s+(?:nam\s+)?(\d{4})\b)?", words)
    if month:  # "Tháng 02/2024"; without its year, the plan's
        m, y = int(month.group(1)), int(month.group(2) or year)
        if 1 <= m <= 12:
            return Parsed("month", dt.date(y, m, calendar.monthrange(y, m)[1]))
    quarter = re.search(r"\bquy\s+(iv|iii|ii|i|[1-4])\b(?:\s+(?:nam\s+)?(\d{4})\b)?", words)
    if quarter:
        q = ROMAN.get(quarter.group(1)) or int(quarter.group(1))
        y = int(quarter.group(2) or year)
        m = 3 * q
        return Parsed("quarter", dt.date(y, m, calendar.monthrange(y, m)[1]))
    if "theo ke hoach" in words:
        return Parsed("plan")
    for phrase, every in (("hang thang", "monthly"), ("hang quy", "quarterly"), ("dinh ky quy", "quarterly"),
                          ("hang nam", "yearly"), ("thuong xuyen", "continuous"), ("lien tuc", "continuous")):
        if phrase in words:
            return Parsed("recurring", every=every)  # type: ignore[arg-type]  # a literal of Every
    return None
