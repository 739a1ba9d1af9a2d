"""Spreadsheets that are not workbooks: an HTML table and an Excel 2003 XML (SpreadsheetML) file,
both often saved by web systems under an .xls name.

Each table becomes a grid of text cells, with merged cells (colspan, rowspan, MergeAcross,
MergeDown) repeated over the cells they cover, as a spreadsheet shows them; the header is then
found as in a workbook, and a row's number is its row in the table.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd

from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.domain.folding import column_letter
from ttkhc_cli.io import headers
from ttkhc_cli.io.table import RawTable, ReadOptions, examples, first_line, source_name

SS = "urn:schemas-microsoft-com:office:spreadsheet"


def html_tables(p: Path, shown: str) -> list[tuple[str, pd.DataFrame]]:
    """Every table of an HTML file as text cells, read by lxml's lenient HTML parser.

    pandas' read_html would turn "0012" into 12 (its cells go through number inference); the
    cells are taken as text here, and colspan / rowspan repeated over the cells they cover.
    """
    import lxml.html

    try:
        doc = lxml.html.fromstring(_decoded(p))
    except (ValueError, lxml.etree.ParserError) as exc:
        raise InputFileError(f"{shown}: là trang HTML nhưng không đọc được ({first_line(exc)})") from None
    out = []
    for k, table in enumerate(doc.iter("table"), start=1):
        grid: dict[tuple[int, int], str] = {}
        for r, tr in enumerate(table.iter("tr")):
            c = 0
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                while (r, c) in grid:
                    c += 1
                value = " ".join(cell.text_content().split())
                span_c = _span(cell.get("colspan"))
                span_r = _span(cell.get("rowspan"))
                for dr in range(span_r):
                    for dc in range(span_c):
                        grid[(r + dr, c + dc)] = value
                c += span_c
        if grid:
            rows, cols = max(k_[0] for k_ in grid) + 1, max(k_[1] for k_ in grid) + 1
            frame = pd.DataFrame([[grid.get((i, j)) or None for j in range(cols)] for i in range(rows)], dtype=object)
            out.append((f"bảng {k}", frame))
    if not out:
        raise InputFileError(f"{shown}: là trang HTML nhưng không có bảng nào")
    return out


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), 1000)
    except ValueError:
        return 1


def _decoded(p: Path) -> str:
    raw = p.read_bytes()
    for enc in ("utf-8-sig", "utf-16", "cp1258"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def spreadsheetml_tables(p: Path, shown: str) -> list[tuple[str, pd.DataFrame]]:
    """Every worksheet of an Excel 2003 XML file as text cells (ss:Index skips, merges repeated)."""
    try:
        root = ET.parse(p).getroot()
    except ET.ParseError as exc:
        raise InputFileError(f"{shown}: tệp XML của Excel 2003 bị hỏng ({first_line(exc)})") from None
    out: list[tuple[str, pd.DataFrame]] = []
    for ws in root.iter(f"{{{SS}}}Worksheet"):
        grid: dict[tuple[int, int], str] = {}
        r = 0
        for table in ws.iter(f"{{{SS}}}Table"):
            for row in table.iter(f"{{{SS}}}Row"):
                r = int(row.get(f"{{{SS}}}Index", r + 1))
                c = 0
                for cell in row.iter(f"{{{SS}}}Cell"):
                    c = int(cell.get(f"{{{SS}}}Index", c + 1))
                    data = cell.find(f"{{{SS}}}Data")
                    value = "".join(data.itertext()).strip() if data is not None else ""
                    across = int(cell.get(f"{{{SS}}}MergeAcross", 0))
                    down = int(cell.get(f"{{{SS}}}MergeDown", 0))
                    for dr in range(down + 1):
                        for dc in range(across + 1):
                            if value:
                                grid.setdefault((r + dr, c + dc), value)
                    c += across
        if grid:
            rows, cols = max(k[0] for k in grid), max(k[1] for k in grid)
            if rows * cols > 50_000_000:
                raise InputFileError(f"{shown}: trang tính quá lớn ({rows} dòng × {cols} cột)")
            frame = pd.DataFrame([[grid.get((i, j)) for j in range(1, cols + 1)] for i in range(1, rows + 1)],
                                 dtype=object)
            out.append((ws.get(f"{{{SS}}}Name", f"trang {len(out) + 1}"), frame))
    return out


def read_tables(p: Path, shown: str, source: str, options: ReadOptions, match: headers.Match,
                tables: list[tuple[str, pd.DataFrame]], what: str) -> list[RawTable]:
    """The table whose header names the most fields (or the one named by --sheet)."""
    if options.sheet is not None:
        tables = [t for t in tables if t[0] == options.sheet]
        if not tables:
            raise InputFileError(f"{shown}: không có bảng {options.sheet!r}")
    forced = options.header_row - 1 if options.header_row else None
    best = None
    for name, frame in tables:
        grid = [[None if v is None else v for v in row] for row in frame.head(max(headers.SCAN_ROWS, (forced or 0) + 2))
                .itertuples(index=False)]
        g = headers.guess(grid, match, forced)
        if g and (best is None or g.score > best[0].score):
            best = (g, name, frame, grid)
    if best is None:
        raise InputFileError(
            f"{shown}: không tìm thấy dòng tiêu đề của {source_name(source)} trong {what} "
            f"(cần các cột như {examples(source)}); dùng --header-row hoặc --columns"
        )
    g, name, frame, grid = best
    data = frame.iloc[g.row + 1:].reset_index(drop=True)
    data.columns = range(data.shape[1])
    width = len(g.labels)
    notes = [f"đọc {name}"]
    return [RawTable(
        file=shown, sheet=name, header_row=g.row + 1,
        labels=[g.labels[i] if i < width else "" for i in range(data.shape[1])],
        groups=[g.groups[i] if i < width else None for i in range(data.shape[1])],
        letters=[column_letter(i) for i in range(data.shape[1])], data=data,
        rows=np.arange(g.row + 2, g.row + 2 + len(data)), notes=notes, banner=headers.banner_lines(grid, g),
    )]
