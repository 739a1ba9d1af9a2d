"""Workbooks (.xlsx, .xlsm, .xls, .ods): each sheet parsed once by calamine (fastexcel), the
header found in its first rows, leading empty rows kept so that row i is Excel row i + 1.

A workbook may hold its log over several sheets (one per month, "Tháng 1", "Tháng 2"…): every
visible sheet with the same header as the best one is read, and each is named in the output.
Hidden sheets (often a stale copy) are skipped unless named with --sheet.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.domain.fields import FIELDS
from ttkhc_cli.domain.folding import column_letter
from ttkhc_cli.io import headers, readahead, xlsx_parts
from ttkhc_cli.io.scratch import run_dir
from ttkhc_cli.io.table import (
    CellProblem,
    RawTable,
    ReadOptions,
    examples,
    first_line,
    source_name,
)

SUFFIXES = readahead.EXCEL_SUFFIXES
XML_SUFFIXES = {".xlsx", ".xlsm"}
# fastexcel logs a warning for every all-empty column it reads as text; that is expected here.
logging.getLogger("fastexcel").setLevel(logging.ERROR)


def _open_workbook(p: Path, shown: str):
    import fastexcel

    with p.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0") and p.suffix.lower() in XML_SUFFIXES:
        # An OLE container named .xlsx: a password-protected workbook (its package is stored
        # encrypted), or an old .xls file that was renamed.
        if "EncryptedPackage".encode("utf-16-le") in p.read_bytes():
            raise InputFileError(
                f"{shown}: tệp Excel có mật khẩu (đã mã hóa); hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại"
            )
        raise InputFileError(f"{shown}: là tệp Excel 97-2003 nhưng mang đuôi {p.suffix}; hãy đổi đuôi thành .xls")
    try:
        return fastexcel.read_excel(str(p))
    except (fastexcel.FastExcelError, OSError) as exc:
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise InputFileError(f"{shown}: tệp Excel có mật khẩu; hãy bỏ mật khẩu rồi lưu lại") from None
        raise InputFileError(
            f"{shown}: không phải bảng tính Excel hợp lệ hoặc tệp bị hỏng ({first_line(exc)})"
        ) from None


class CellsUnreadable(Exception):
    """calamine panicked on a cell (a Rust panic reaches Python as a BaseException)."""


def _sheet_errors() -> tuple[type[Exception], ...]:
    import fastexcel

    return (fastexcel.FastExcelError, OSError, CellsUnreadable)


def _load_sheet(path: str, name: str) -> tuple[pd.DataFrame, int, bool]:
    """A whole sheet as raw cells, leading empty rows kept so that row i is Excel row i + 1.

    calamine parses the whole sheet on every load, even for a few rows, so a sheet is loaded
    once and its header found in its first rows; those first rows are kept for the run (see
    ``_grid_of``) so that finding the PAKN or documents sheet later does not parse it again.
    Returns the cells, the 0-based index of the first column (calamine drops leading empty
    columns) and whether the sheet is visible.
    """
    taken = readahead.take(path, name)
    if taken is not None:
        batch, first, visible = taken
    else:
        try:
            batch, first, visible = readahead.whole_sheet(_open_workbook(Path(path), path), name)
        except BaseException as exc:
            if type(exc).__name__ != "PanicException":  # calamine's Rust panic, raised as a BaseException
                raise
            raise CellsUnreadable("có ô thư viện đọc Excel không đọc được, thường là một số âm rất lớn trong ô "
                                  "định dạng ngày: sửa ô đó trong Excel rồi lưu lại") from None
    df = batch.to_pandas() if batch is not None else pd.DataFrame()
    df.columns = range(df.shape[1])
    return df, first, visible


_GRIDS: dict[tuple[str, float, str], list[list[object]]] = {}


def _key(p: Path, name: str) -> tuple[str, float, str]:
    return (str(p), p.stat().st_mtime, name)


def _sheet(p: Path, name: str, rows: int = headers.SCAN_ROWS, source: Path | None = None
           ) -> tuple[pd.DataFrame, int, bool]:
    df, offset, visible = _load_sheet(str(source or p), name)
    _GRIDS[_key(p, name)] = _grid(df, offset, rows)
    return df, offset, visible


def _grid_of(p: Path, name: str) -> list[list[object]]:
    """The first rows of a sheet, from the run's earlier read of it when there was one."""
    if _key(p, name) not in _GRIDS:
        _sheet(p, name)
    return _GRIDS[_key(p, name)]


def _grid(df: pd.DataFrame, offset: int, rows: int) -> list[list[object]]:
    head = df.head(max(rows, headers.SCAN_ROWS))
    return [[None] * offset + [None if pd.isna(v) else v for v in row] for row in head.itertuples(index=False)]


def _parts(p: Path, shown: str) -> dict[str, xlsx_parts.SheetParts]:
    if p.suffix.lower() not in XML_SUFFIXES:
        return {}
    try:
        return xlsx_parts.sheets(p)
    except xlsx_parts.DAMAGED:
        return {}  # calamine will say what is wrong with the package


def _within_budget(p: Path, shown: str) -> None:
    """Refuse, before any library parses it, a package that would exhaust memory: a part that
    inflates to gigabytes (a decompression bomb), an OpenDocument sheet repeated past the budget;
    a damaged package is one line naming what is damaged."""
    with p.open("rb") as fh:
        head = fh.read(4)
    if head != b"PK\x03\x04" or not _zip_index(p):
        return  # not a package at all: the reader says so
    try:
        found = xlsx_parts.bomb(p)
        extent = xlsx_parts.ods_absurd(p) if p.suffix.lower() == ".ods" else None
    except xlsx_parts.DAMAGED as exc:
        raise InputFileError(f"{shown}: tệp bị hỏng, không đọc được ({xlsx_parts.damage(exc)})") from None
    if found:
        raise InputFileError(f"{shown}: tệp nén bất thường ({found}); không đọc để tránh hết bộ nhớ "
                             "(tệp hỏng hoặc không phải sổ xuất từ hệ thống)")
    if extent:
        raise InputFileError(f"{shown}: trang tính lặp dòng, cột tới {extent}, vượt quá giới hạn đọc; "
                             "hãy mở bằng LibreOffice, xóa các dòng thừa ở cuối rồi lưu lại")


def _zip_index(p: Path) -> bool:
    """Whether the file has a readable zip index (a truncated file has none)."""
    import zipfile

    try:
        with zipfile.ZipFile(p):
            return True
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def read(p: Path, shown: str, source: str, options: ReadOptions, match: headers.Match) -> list[RawTable]:
    _within_budget(p, shown)
    reader = _open_workbook(p, shown)
    names = list(reader.sheet_names)
    parts = _parts(p, shown)
    notes: list[str] = []
    if options.sheet is not None:
        names = [sheet_named(options.sheet, names, shown)]
    forced = options.header_row - 1 if options.header_row else None
    found: list[tuple[headers.HeaderGuess, str, pd.DataFrame, int]] = []
    hidden: list[str] = []
    empty = True
    for name in names:
        source_file = p
        if name in parts:
            try:
                peeked = xlsx_parts.peek(p, parts[name])
            except xlsx_parts.DAMAGED as exc:
                raise InputFileError(f"{shown}: tệp bị hỏng, không đọc được trang tính {name!r} "
                                     f"({xlsx_parts.damage(exc)})") from None
            _refuse_absurd_extent(p, shown, peeked)
            if parts[name].hidden and options.sheet is None:
                hidden.append(name)
                continue
            if peeked.stray or peeked.unreadable:
                # Cells far from the table are left out (calamine would size the sheet at all of them),
                # and numbers it cannot convert (they are reported as cells, by _cell_problems).
                source_file = xlsx_parts.without_strays(p, peeked, run_dir())
            if peeked.stray:
                refs = ", ".join(peeked.stray_refs[:3]) + (" …" if len(peeked.stray_refs) > 3 else "")
                notes.append(f"bỏ qua {len(peeked.stray)} ô lạc xa bảng ở trang tính {name!r} ({refs})")
        try:
            df, offset, visible = _sheet(p, name, (forced or 0) + 2, source_file)
        except _sheet_errors() as exc:
            raise InputFileError(f"{shown}: không đọc được trang tính {name!r} ({first_line(exc)})") from None
        if not visible and options.sheet is None:
            hidden.append(name)
            continue
        empty = empty and df.empty
        g = headers.guess(_GRIDS[_key(p, name)], match, forced)
        if g:
            found.append((g, name, df, offset))
        del df
    if hidden:
        notes.append(f"bỏ qua trang tính ẩn {', '.join(repr(h) for h in hidden)} (dùng --sheet để đọc)")
    if not found:
        _only_hidden(p, shown, source, hidden, match, forced, parts)
        _no_header(shown, source, options, empty)
    chosen = _together(found, match, options.one_sheet)
    if len(names) > 1 and options.sheet is None:
        names = [repr(name) for _, name, _, _ in chosen]
        used = ", ".join(names) if len(names) <= 4 else f"{names[0]} … {names[-1]}, {len(names)} trang tính"
        what = "cùng tiêu đề, đọc chung thành một sổ" if len(chosen) > 1 else f"khớp {chosen[0][0].score} cột"
        notes.append(f"đọc trang tính {used} ({what})")
    return [
        _table(p, shown, source, match, g, name, df, offset, parts.get(name), notes) for g, name, df, offset in chosen
    ]


def sheet_named(asked: str, names: list[str], shown: str) -> str:
    """The sheet --sheet names: exactly, else the one whose name is the same once Unicode forms
    (a letter typed with or without its combining mark), case and surrounding spaces are set
    aside. None alike: refused, listing the names as written (quotes show stray spaces)."""
    import unicodedata

    if asked in names:
        return asked

    def key(name: str) -> str:
        return " ".join(unicodedata.normalize("NFC", name).casefold().split())

    alike = [n for n in names if key(n) == key(asked)]
    if len(alike) == 1:
        return alike[0]
    listed = ", ".join(f"«{n}»" for n in names)
    if alike:
        which = ", ".join(map(repr, alike))
        raise InputFileError(f"{shown}: có {len(alike)} trang tính trông giống «{asked}» ({which}, khác nhau ở dấu "
                             "cách, chữ hoa hoặc cách gõ dấu); ghi --sheet đúng như một trong các tên đó")
    raise InputFileError(f"{shown}: không có trang tính «{asked}»; các trang tính: {listed}")


def _only_hidden(p: Path, shown: str, source: str, hidden: list[str], match: headers.Match, forced: int | None,
                 parts: dict[str, xlsx_parts.SheetParts]) -> None:
    """No visible sheet holds the log: if a hidden one does, say to name it with --sheet."""
    for name in hidden:
        if name in parts and xlsx_parts.too_wide(parts[name]):
            continue
        try:
            _sheet(p, name, (forced or 0) + 2)
        except _sheet_errors():
            continue
        if headers.guess(_GRIDS[_key(p, name)], match, forced):
            raise InputFileError(f"{shown}: {source_name(source)} chỉ có ở trang tính ẩn «{name}»; đọc trang tính đó "
                                 f"bằng --sheet \"{name}\" (hoặc bỏ ẩn nó trong Excel)")


def _no_header(shown: str, source: str, options: ReadOptions, empty: bool) -> None:
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


def _refuse_absurd_extent(p: Path, shown: str, parts: xlsx_parts.SheetParts) -> None:
    """A stray cell far from the table (XFD1048576) makes calamine size the sheet at billions of
    cells and abort the process: refused before reading, with the cell to clear."""
    area = xlsx_parts.too_wide(parts)
    if area:
        raise InputFileError(
            f"{shown}: trang tính {parts.name!r} ghi vùng dữ liệu {area}, quá lớn so với tệp "
            f"({p.stat().st_size // 1024 or 1} KB): thường do một ô lạc ở xa bảng; hãy xóa các ô thừa "
            "ở cuối trang tính trong Excel rồi lưu lại"
        )


def _header_fields(g: headers.HeaderGuess, match: headers.Match) -> tuple:
    return tuple(match(x, grp) for x, grp in zip(g.labels, g.groups) if x)


def _together(found: list, match: headers.Match, one_sheet: bool) -> list:
    """The best sheet, and every other sheet with the same header (the log split by month)."""
    best = max(found, key=lambda item: item[0].score)
    if one_sheet:
        return [best]
    same = _header_fields(best[0], match)
    return [
        item
        for item in found
        if item is best or (_header_fields(item[0], match) == same and item[0].row == best[0].row)
    ]


def _table(
    p: Path,
    shown: str,
    source: str,
    match: headers.Match,
    guess: headers.HeaderGuess,
    sheet: str,
    full: pd.DataFrame,
    offset: int,
    parts: xlsx_parts.SheetParts | None,
    notes: list[str],
) -> RawTable:
    notes = list(notes)
    data_start = guess.row + 1
    if guess.row + 1 - guess.rows > 0:
        notes.append(f"bỏ qua {guess.row + 1 - guess.rows} dòng phía trên tiêu đề")
    df = full.iloc[data_start:].reset_index(drop=True)
    width = len(guess.labels)
    abs_idx = [offset + j for j in range(df.shape[1])]
    labels = [guess.labels[i] if i < width else "" for i in abs_idx]
    groups = [guess.groups[i] if i < width else None for i in abs_idx]
    rows = np.arange(data_start + 1, data_start + 1 + len(df))
    problems: list[CellProblem] = []
    if parts is not None and parts.scanned:
        problems = _cell_problems(df, parts, data_start, offset)
        if parts.merges:
            df = _fill_merges(df, parts.merges, data_start, offset)
    numeric = _numeric_id_cells(p, parts, data_start, labels, groups, offset, source, match)
    return RawTable(
        file=shown,
        sheet=sheet,
        header_row=guess.row + 1,
        labels=labels,
        groups=groups,
        letters=[column_letter(i) for i in abs_idx],
        data=df,
        rows=rows,
        notes=notes,
        numeric_rows=numeric,
        cell_problems=problems,
        banner=headers.banner_lines(_grid_of(p, sheet), guess),
    )


def _fill_merges(
    df: pd.DataFrame, merges: list[tuple[int, int, int, int]], data_start: int, offset: int
) -> pd.DataFrame:
    """A value merged down over several data rows belongs to each of them (Excel shows it so)."""
    df = df.copy()
    for r1, c1, r2, _ in merges:
        col = c1 - offset
        # A range drawn past the last row (down to where the sheet ends) holds the rows it covers.
        top, bottom = r1 - data_start, min(r2 - data_start, len(df) - 1)
        if bottom <= top or col < 0 or col >= df.shape[1] or top < 0:
            continue
        df.iloc[top + 1 : bottom + 1, col] = df.iat[top, col]
    return df


def _cell_problems(df: pd.DataFrame, parts: xlsx_parts.SheetParts, data_start: int, offset: int) -> list[CellProblem]:
    """Cells calamine reads as blanks that are not: Excel errors, uncalculated formulas, and
    numbers formatted as dates that no date can be."""
    out: list[CellProblem] = []
    for r, c, value in parts.errors:
        if r >= data_start and 0 <= c - offset < df.shape[1]:
            out.append(CellProblem("excel-error", r + 1, c - offset, value))
    for r, c in parts.formulas:
        if r >= data_start and 0 <= c - offset < df.shape[1]:
            out.append(CellProblem("uncalculated-formula", r + 1, c - offset, None))
    for r, c, number in parts.beyond:
        if r >= data_start and 0 <= c - offset < df.shape[1] and pd.isna(df.iat[r - data_start, c - offset]):
            out.append(CellProblem("date-beyond-calendar", r + 1, c - offset, number))
    return out


def _numeric_id_cells(
    p: Path,
    parts: xlsx_parts.SheetParts | None,
    data_start: int,
    labels: list[str],
    groups: list[str | None],
    offset: int,
    source: str,
    match: headers.Match,
) -> dict[int, set[int] | None]:
    """The Excel rows where an id column's cell is stored as a number (leading zeros lost on export).

    The whole-sheet read turns every cell of a column with a text header into text, so the cell
    types of the first data rows are read from the sheet's XML itself (.xlsx only). Rows, not
    columns, so that a numbering row under the header (1, 2, 3…) is not taken for ids.
    """
    if parts is None:
        return {}
    id_field = FIELDS[source][0].name
    cols = {
        column_letter(offset + j): j
        for j, (lab, grp) in enumerate(zip(labels, groups))
        if lab and match(lab, grp) == id_field
    }
    if not cols:
        return {}
    try:
        cells = xlsx_parts.numeric_cells(p, parts.path, data_start + 1, data_start + 50)
    except (KeyError, OSError, xlsx_parts.ET.ParseError):
        return {}  # a package whose XML cannot be peeked at is simply not checked
    return {cols[c]: set(rows) for c, rows in cells.items() if c in cols}


def find_sheet(path: str | Path, source: str, match: headers.Match) -> str | None:
    """The visible sheet of a workbook that holds the ``source`` log, recognised by its id column."""
    p = Path(path)
    if p.suffix.lower() not in SUFFIXES or not p.exists():
        return None
    id_field = FIELDS[source][0].name
    try:
        reader = _open_workbook(p, str(path))
        hidden = {n for n, s in _parts(p, str(path)).items() if s.hidden}
        for name in reader.sheet_names:
            if name in hidden:
                continue
            g = headers.guess(_grid_of(p, name), match)
            if g and id_field in {match(x, grp) for x, grp in zip(g.labels, g.groups) if x}:
                return name
    except (InputFileError, *_sheet_errors()):  # type: ignore[misc]  # unreadable: simply not that log
        return None
    return None
