"""Workbooks (.xlsx, .xlsm, .xls, .ods): each sheet parsed once by calamine (fastexcel), the
header found in its first rows, leading empty rows kept so that row i is Excel row i + 1."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.domain.fields import FIELDS
from ttkhc_cli.domain.text import column_letter
from ttkhc_cli.io import headers, readahead
from ttkhc_cli.io.table import RawTable, ReadOptions, examples, first_line, source_name

SUFFIXES = readahead.EXCEL_SUFFIXES
# fastexcel logs a warning for every all-empty column it reads as text; that is expected here.
logging.getLogger("fastexcel").setLevel(logging.ERROR)


def _open_workbook(p: Path, shown: str):
    import fastexcel

    with p.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0") and p.suffix.lower() in {".xlsx", ".xlsm"}:
        # An OLE container named .xlsx: a password-protected workbook (its package is stored
        # encrypted), or an old .xls file that was renamed.
        if "EncryptedPackage".encode("utf-16-le") in p.read_bytes():
            raise InputFileError(f"{shown}: tệp Excel có mật khẩu (đã mã hóa); hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại")
        raise InputFileError(f"{shown}: là tệp Excel 97-2003 nhưng mang đuôi {p.suffix}; hãy đổi đuôi thành .xls")
    try:
        return fastexcel.read_excel(str(p))
    except Exception as exc:  # fastexcel raises several error types for broken files
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise InputFileError(f"{shown}: tệp Excel có mật khẩu; hãy bỏ mật khẩu rồi lưu lại") from None
        raise InputFileError(
            f"{shown}: không phải bảng tính Excel hợp lệ hoặc tệp bị hỏng ({first_line(exc)})"
        ) from None


def _load_sheet(path: str, name: str) -> tuple[pd.DataFrame, int]:
    """A whole sheet as raw cells, leading empty rows kept so that row i is Excel row i + 1.

    calamine parses the whole sheet on every load, even for a few rows, so a sheet is loaded
    once and its header found in its first rows; those first rows are kept for the run (see
    ``_grid_of``) so that finding the PAKN or documents sheet later does not parse it again.
    Returns the cells and the 0-based index of the first column (calamine drops leading
    empty columns).
    """
    batch, first = readahead.take(path, name) or readahead.whole_sheet(_open_workbook(Path(path), path), name)
    df = batch.to_pandas() if batch is not None else pd.DataFrame()
    df.columns = range(df.shape[1])
    return df, first


_GRIDS: dict[tuple[str, float, str], list[list[object]]] = {}


def _sheet(p: Path, name: str) -> tuple[pd.DataFrame, int]:
    df, offset = _load_sheet(str(p), name)
    _GRIDS[(str(p), p.stat().st_mtime, name)] = _grid(df, offset)
    return df, offset


def _grid_of(p: Path, name: str) -> list[list[object]]:
    """The first rows of a sheet, from the run's earlier read of it when there was one."""
    key = (str(p), p.stat().st_mtime, name)
    if key not in _GRIDS:
        _sheet(p, name)
    return _GRIDS[key]


def _grid(df: pd.DataFrame, offset: int) -> list[list[object]]:
    head = df.head(headers.SCAN_ROWS)
    return [[None] * offset + [None if pd.isna(v) else v for v in row] for row in head.itertuples(index=False)]


def read(p: Path, shown: str, source: str, options: ReadOptions, match: headers.Match) -> RawTable:
    reader = _open_workbook(p, shown)
    names = list(reader.sheet_names)
    if options.sheet is not None:
        if options.sheet not in names:
            raise InputFileError(
                f"{shown}: không có trang tính {options.sheet!r}; các trang tính: {', '.join(names)}"
            )
        names = [options.sheet]
    forced = options.header_row - 1 if options.header_row else None
    best: tuple[headers.HeaderGuess, str] | None = None
    loaded: tuple[str, pd.DataFrame, int] | None = None  # the best sheet's cells, kept to avoid a reload
    empty = True
    try:
        for name in names:
            df, offset = _sheet(p, name)
            empty = empty and df.empty
            g = headers.guess(_GRIDS[(str(p), p.stat().st_mtime, name)], match, forced)
            if g and (best is None or g.score > best[0].score):
                best, loaded = (g, name), (name, df, offset)
            del df
    except InputFileError:
        raise
    except Exception as exc:
        raise InputFileError(f"{shown}: không đọc được bảng tính ({first_line(exc)})") from None
    if best is None:
        if empty:
            raise InputFileError(f"{shown}: bảng tính trống, không có dữ liệu")
        if options.header_row:
            raise InputFileError(
                f"{shown}: dòng {options.header_row} không phải dòng tiêu đề của {source_name(source)} "
                f"(cần các cột như {examples(source)}); kiểm tra --header-row, --sheet hoặc dùng --columns"
            )
        raise InputFileError(
            f"{shown}: không tìm thấy dòng tiêu đề của {source_name(source)} "
            f"(cần các cột như {examples(source)}); dùng --header-row hoặc --columns"
        )
    guess, sheet_name = best
    notes = []
    if len(reader.sheet_names) > 1 and options.sheet is None:
        notes.append(f"chọn trang tính {sheet_name!r} (khớp {guess.score} cột)")
    data_start = guess.row + 1
    if guess.row + 1 - guess.rows > 0:
        notes.append(f"bỏ qua {guess.row + 1 - guess.rows} dòng phía trên tiêu đề")
    _, full, offset = loaded
    del loaded
    df = full.iloc[data_start:].reset_index(drop=True)
    del full
    width = len(guess.labels)
    abs_idx = [offset + j for j in range(df.shape[1])]
    labels = [guess.labels[i] if i < width else "" for i in abs_idx]
    groups = [guess.groups[i] if i < width else None for i in abs_idx]
    rows = np.arange(data_start + 1, data_start + 1 + len(df))
    numeric = _numeric_id_cells(p, sheet_name, data_start, labels, groups, offset, source, match)
    return RawTable(
        file=shown, sheet=sheet_name, header_row=guess.row + 1, labels=labels, groups=groups,
        letters=[column_letter(i) for i in abs_idx], data=df, rows=rows, notes=notes,
        numeric_rows=numeric,
    )


def _numeric_id_cells(p: Path, sheet: str, data_start: int, labels: list[str], groups: list[str | None],
                      offset: int, source: str, match: headers.Match) -> dict[int, set[int]]:
    """The Excel rows where an id column's cell is stored as a number (leading zeros lost on export).

    The whole-sheet read turns every cell of a column with a text header into text, so the cell
    types of the first data rows are read from the sheet's XML itself (.xlsx only): a streamed
    peek at a few rows, where openpyxl would first load every shared string of the workbook.
    Rows, not columns, so that a numbering row under the header (1, 2, 3…) is not taken for ids.
    """
    if p.suffix.lower() not in {".xlsx", ".xlsm"}:
        return {}
    id_field = FIELDS[source][0].name
    cols = {column_letter(offset + j): j for j, (lab, grp) in enumerate(zip(labels, groups))
            if lab and match(lab, grp) == id_field}
    if not cols:
        return {}
    try:
        cells = xlsx_numeric_cells(p, sheet, data_start + 1, data_start + 50)
    except Exception:  # noqa: BLE001 - a workbook whose XML cannot be peeked at is simply not checked
        return {}
    return {cols[c]: rows for c, rows in cells.items() if c in cols}


def xlsx_numeric_cells(p: Path, sheet: str, first_row: int, last_row: int) -> dict[str, set[int]]:
    """Column letter → Excel rows holding a number cell, within rows first_row..last_row of a sheet."""
    import re
    import xml.etree.ElementTree as ET
    import zipfile

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    with zipfile.ZipFile(p) as z:
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rid = next(s.get(f"{{{ns['r']}}}id") for s in wb.iterfind("m:sheets/m:sheet", ns) if s.get("name") == sheet)
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        found: dict[str, set[int]] = {}
        with z.open(name) as fh:
            for _, el in ET.iterparse(fh):
                if el.tag.endswith("}c"):
                    ref = el.get("r", "")
                    m = re.match(r"([A-Z]+)(\d+)", ref)
                    if m and first_row <= int(m.group(2)) <= last_row and el.get("t", "n") == "n" \
                            and el.find("m:v", ns) is not None:
                        found.setdefault(m.group(1), set()).add(int(m.group(2)))
                elif el.tag.endswith("}row"):
                    if int(el.get("r", "0")) >= last_row:
                        break
                    el.clear()
        return found


def find_sheet(path: str | Path, source: str, match: headers.Match) -> str | None:
    """The sheet of a workbook that holds the ``source`` log, recognised by its id column."""
    p = Path(path)
    if p.suffix.lower() not in SUFFIXES or not p.exists():
        return None
    id_field = FIELDS[source][0].name
    try:
        reader = _open_workbook(p, str(path))
        for name in reader.sheet_names:
            g = headers.guess(_grid_of(p, name), match)
            if g and id_field in {match(x, grp) for x, grp in zip(g.labels, g.groups) if x}:
                return name
    except Exception:  # noqa: BLE001 - a sheet that cannot be read is simply not that log
        return None
    return None
