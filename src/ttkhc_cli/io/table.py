"""The raw table every reader returns, the options they take, and the words they share.

A raw table is the data cells under a header, their header labels, the Excel column letters
and the Excel row number of every row, so that every later message can point at the cell as
the user sees it. Nothing here interprets values; ``ingest`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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
    # A stack of same-header tables (see ``stack``): each one's place in ``data``; empty for one table.
    parts: list[Part] = field(default_factory=list)

    def pieces(self) -> list[Part]:
        """The tables this one holds, each with its rows' span: itself alone, or a stack's parts."""
        return self.parts or [Part(self, 0, len(self.data))]

    def shape_key(self) -> tuple[object, ...]:
        """What tables must share to be read as one: header labels, groups, letters and the
        cells' types (a column of numbers in one file and of text in another is not stacked)."""
        return (tuple(self.labels), tuple(self.groups), tuple(self.letters),
                tuple(str(t) for t in self.data.dtypes))

    def header(self, index: int) -> str:
        """A column's header as the user sees it: "Ngày, tháng, năm › Nhận hồ sơ"."""
        group = self.groups[index] if index < len(self.groups) else None
        return f"{group} › {self.labels[index]}" if group else self.labels[index]


@dataclass(frozen=True)
class Part:
    """One table inside a stack: its file, sheet, header row, notes and cell problems (its cells
    live in the stack's ``data``, rows ``start`` to ``stop``)."""

    table: RawTable
    start: int
    stop: int


def stack(tables: list[RawTable]) -> RawTable:
    """Tables with one header (``shape_key``) as one, so that a thousand monthly files cost one
    mapping and one parse of each column, not a thousand: every row keeps its file, sheet and
    Excel row through its part."""
    if len(tables) == 1:
        return tables[0]
    first = tables[0]
    parts, start = [], 0
    for t in tables:
        parts.append(Part(replace(t, data=t.data.iloc[:0]), start, start + len(t.data)))
        start += len(t.data)
    data = pd.concat([t.data for t in tables], ignore_index=True)
    data = pd.DataFrame({c: _one_chunk(data[c]) for c in data.columns})
    return replace(first, data=data, rows=np.concatenate([t.rows for t in tables]), notes=[],
                   numeric_rows={}, cell_problems=[], banner=[], parts=parts)


def run_of(stacked: RawTable, first: int, last: int) -> RawTable:
    """A stack's parts ``first`` to ``last - 1`` as a stack of their own: their rows are a slice
    of the stack's (no copy), each part keeping its file."""
    if first == 0 and last == len(stacked.parts):
        return stacked
    parts = stacked.parts[first:last]
    start, stop = parts[0].start, parts[-1].stop
    return replace(stacked, data=stacked.data.iloc[start:stop].reset_index(drop=True),
                   rows=stacked.rows[start:stop],
                   parts=[Part(p.table, p.start - start, p.stop - start) for p in parts])


def _one_chunk(s: pd.Series) -> pd.Series:
    """A column of Arrow cells in one chunk: Arrow's kernels run once per chunk (a regex is
    compiled for each), and a stack of a thousand files would hold a thousand chunks."""
    import pyarrow as pa

    cells = s.array.__arrow_array__() if hasattr(s.array, "__arrow_array__") else None
    if not isinstance(cells, pa.ChunkedArray) or cells.num_chunks < 2:
        return s
    return pd.Series(type(s.array)(pa.chunked_array([cells.combine_chunks()])), index=s.index, name=s.name)


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
