"""The raw table every reader returns, the options they take, and the words they share.

A raw table is the data cells under a header, their header labels, the Excel column letters
and the Excel row number of every row, so that every later message can point at the cell as
the user sees it. Nothing here interprets values; ``ingest`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

SOURCE_NAMES = {"cases": "sổ theo dõi hồ sơ", "feedback": "sổ phản ánh, kiến nghị", "documents": "sổ văn bản"}
_EXAMPLES = {
    "cases": "Mã hồ sơ, Ngày tiếp nhận, Ngày hẹn trả",
    "feedback": "Mã PAKN, Ngày tiếp nhận, Hạn xử lý",
    "documents": "Số, ký hiệu, Ngày văn bản, Độ mật",
}


@dataclass(frozen=True)
class CellProblem:
    """A cell the reader could not give a value for although it holds something (an Excel error,
    a formula saved without its value): reported at its place, never read as a blank."""

    code: str
    row: int  # Excel row number (CSV: line number)
    column: int | None  # index into the table's columns; None for the whole row
    value: str | None  # the message is the finding catalogue's (ingest.catalogue)


@dataclass
class RawTable:
    """The data cells under a header, with the positions the user sees in Excel."""

    file: str
    sheet: str | None
    header_row: int  # Excel row number of the (last) header row
    labels: list[str]  # header text per column (the lower cell of a two-row header)
    letters: list[str]  # Excel column letter per column
    data: pd.DataFrame  # columns 0..n-1, raw values
    rows: np.ndarray  # Excel row number (CSV: line number) of each data row
    groups: list[str | None] = field(default_factory=list)  # the group above each label, if any
    notes: list[str] = field(default_factory=list)
    # Id columns whose cells the file stores as numbers: column index -> Excel rows (None: all rows).
    numeric_rows: dict[int, set[int] | None] = field(default_factory=dict)
    cell_problems: list[CellProblem] = field(default_factory=list)
    banner: list[str] = field(default_factory=list)  # the text above the header ("UBND XÃ …", title)

    def header(self, index: int) -> str:
        """A column's header as the user sees it: "Ngày, tháng, năm › Nhận hồ sơ"."""
        group = self.groups[index] if index < len(self.groups) else None
        return f"{group} › {self.labels[index]}" if group else self.labels[index]


@dataclass(frozen=True)
class ReadOptions:
    sheet: str | None = None
    header_row: int | None = None  # Excel row number given by the user
    encoding: str | None = None
    delimiter: str | None = None  # CSV separator given by the user
    one_sheet: bool = False  # read only the best sheet, not every sheet with the same header
    date_order: str | None = None  # --date-order: dmy, mdy or ymd for every text date (None: from the values)


def source_name(source: str) -> str:
    return SOURCE_NAMES[source]


def examples(source: str) -> str:
    """Headers a log of ``source`` usually has, for "header not found" messages."""
    return _EXAMPLES[source]


def first_line(exc: BaseException) -> str:
    """A library error's first line, short enough for a one-line message."""
    return str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__


def arrow_cells(s: pd.Series):
    """A text column's cells as Arrow data (pandas' Arrow-backed strings as they are, not copied)."""
    import pyarrow as pa

    if hasattr(s.array, "__arrow_array__") and pd.api.types.is_string_dtype(s.dtype):
        return s.array.__arrow_array__()
    return pa.array(s, type=pa.large_string(), from_pandas=True)
