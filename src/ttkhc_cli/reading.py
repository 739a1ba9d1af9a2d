"""Reading exports as they come: .xlsx/.xlsm/.xls/.ods (fastexcel), .csv, .parquet.

The result is a raw table: the data cells under the header, their header labels, the Excel
column letters and the Excel row number of every row, so that every later message can point
at the cell as the user sees it. Nothing here interprets values; ``normalise`` does.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ttkhc_cli import headers, readahead
from ttkhc_cli.errors import InputFileError
from ttkhc_cli.fields import FIELDS, alias_table
from ttkhc_cli.textfold import column_letter

EXCEL_SUFFIXES = readahead.EXCEL_SUFFIXES
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
ENCODINGS = ("utf-8", "cp1258", "latin-1")
# fastexcel logs a warning for every all-empty column it reads as text; that is expected here.
logging.getLogger("fastexcel").setLevel(logging.ERROR)
SOURCE_NAMES = {"cases": "sổ theo dõi hồ sơ", "feedback": "sổ phản ánh, kiến nghị", "documents": "sổ văn bản"}


@dataclass
class RawTable:
    """The data cells under a header, with the positions the user sees in Excel."""

    file: str
    sheet: str | None
    header_row: int  # Excel row number of the (last) header row
    labels: list[str]  # header text per column, as printed (two-row headers joined)
    letters: list[str]  # Excel column letter per column
    data: pd.DataFrame  # columns 0..n-1, raw values
    rows: np.ndarray  # Excel row number (CSV: line number) of each data row
    notes: list[str] = field(default_factory=list)
    numeric_columns: set[int] = field(default_factory=set)  # columns Excel stored as numbers


@dataclass(frozen=True)
class ReadOptions:
    sheet: str | None = None
    header_row: int | None = None  # Excel row number given by the user
    encoding: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()  # (header key, field) pairs from --columns


def read(path: str | Path, source: str = "cases", options: ReadOptions = ReadOptions()) -> RawTable:
    """Read one file's table for ``source`` (cases, feedback or documents)."""
    p = Path(path)
    shown = str(path)
    if not p.exists():
        raise InputFileError(f"{shown}: không tìm thấy tệp")
    if p.is_dir():
        raise InputFileError(f"{shown}: là một thư mục, không phải tệp dữ liệu")
    if p.stat().st_size == 0:
        raise InputFileError(f"{shown}: tệp rỗng (0 byte)")
    suffix = p.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(p, shown, source, options)
    if suffix in CSV_SUFFIXES:
        return _read_csv(p, shown, source, options)
    if suffix == ".parquet":
        return _read_parquet(p, shown, source)
    raise InputFileError(
        f"{shown}: không đọc được định dạng {suffix or '(không có đuôi)'}; "
        "dùng .xlsx, .xls, .ods, .csv hoặc .parquet"
    )


# ---------------------------------------------------------------- Excel


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
            f"{shown}: không phải bảng tính Excel hợp lệ hoặc tệp bị hỏng ({_first_line(exc)})"
        ) from None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__


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


def _read_excel(p: Path, shown: str, source: str, options: ReadOptions) -> RawTable:
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
            g = headers.guess(_GRIDS[(str(p), p.stat().st_mtime, name)], source, forced, dict(options.aliases))
            if g and (best is None or g.score > best[0].score):
                best, loaded = (g, name), (name, df, offset)
            del df
    except InputFileError:
        raise
    except Exception as exc:
        raise InputFileError(f"{shown}: không đọc được bảng tính ({_first_line(exc)})") from None
    if best is None:
        if empty:
            raise InputFileError(f"{shown}: bảng tính trống, không có dữ liệu")
        raise InputFileError(
            f"{shown}: không tìm thấy dòng tiêu đề của {SOURCE_NAMES[source]} "
            f"(cần các cột như {_examples(source)}); dùng --header-row hoặc --columns"
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
    rows = np.arange(data_start + 1, data_start + 1 + len(df))
    numeric = _numeric_id_columns(p, sheet_name, data_start, labels, offset, source)
    return RawTable(
        file=shown, sheet=sheet_name, header_row=guess.row + 1, labels=labels,
        letters=[column_letter(i) for i in abs_idx], data=df, rows=rows, notes=notes,
        numeric_columns=numeric,
    )


def _numeric_id_columns(p: Path, sheet: str, data_start: int, labels: list[str], offset: int,
                        source: str) -> set[int]:
    """Id columns whose first cells Excel stored as numbers (leading zeros lost on export).

    The whole-sheet read turns every cell of a column with a text header into text, so the cell
    types of the first data rows are read from the sheet's XML itself (.xlsx only): a streamed
    peek at a few rows, where openpyxl would first load every shared string of the workbook.
    """
    if p.suffix.lower() not in {".xlsx", ".xlsm"}:
        return set()
    table = alias_table(source)
    id_field = FIELDS[source][0].name
    cols = {column_letter(offset + j): j for j, lab in enumerate(labels)
            if lab and headers.match_field(lab, table) == id_field}
    if not cols:
        return set()
    try:
        return {cols[c] for c in xlsx_numeric_cells(p, sheet, data_start + 1, data_start + 50) if c in cols}
    except Exception:  # a workbook whose XML cannot be peeked at is simply not checked
        return set()


def xlsx_numeric_cells(p: Path, sheet: str, first_row: int, last_row: int) -> set[str]:
    """Column letters holding a number cell within Excel rows first_row..last_row of a sheet."""
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
        found: set[str] = set()
        with z.open(name) as fh:
            for _, el in ET.iterparse(fh):
                if el.tag.endswith("}c"):
                    ref = el.get("r", "")
                    m = re.match(r"([A-Z]+)(\d+)", ref)
                    if m and first_row <= int(m.group(2)) <= last_row and el.get("t", "n") == "n" \
                            and el.find("m:v", ns) is not None:
                        found.add(m.group(1))
                elif el.tag.endswith("}row"):
                    if int(el.get("r", "0")) >= last_row:
                        break
                    el.clear()
        return found


def find_sheet(path: str | Path, source: str) -> str | None:
    """The sheet of a workbook that holds the ``source`` log, recognised by its id column."""
    p = Path(path)
    if p.suffix.lower() not in EXCEL_SUFFIXES or not p.exists():
        return None
    id_field = FIELDS[source][0].name
    table = alias_table(source)
    try:
        reader = _open_workbook(p, str(path))
        for name in reader.sheet_names:
            g = headers.guess(_grid_of(p, name), source)
            if g and id_field in {headers.match_field(x, table) for x in g.labels if x}:
                return name
    except Exception:  # a sheet that cannot be read is simply not that log
        return None
    return None


def _examples(source: str) -> str:
    return {
        "cases": "Mã hồ sơ, Ngày tiếp nhận, Ngày hẹn trả",
        "feedback": "Mã PAKN, Ngày tiếp nhận, Hạn xử lý",
        "documents": "Số, ký hiệu, Ngày văn bản, Độ mật",
    }[source]


# ---------------------------------------------------------------- CSV


def _encoding(raw: bytes, shown: str, given: str | None) -> str:
    """The file's encoding: given, a BOM, UTF-8 if its start decodes, else Windows-1258 / latin-1."""
    if given:
        try:
            "".encode(given)
        except LookupError:
            raise InputFileError(f"{shown}: không biết bảng mã {given!r}") from None
        return given
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = raw[:65536]
    if b"\x00" in head:
        raise InputFileError(f"{shown}: không phải tệp văn bản CSV (có byte nhị phân)")
    for enc in ENCODINGS:
        try:
            head.decode(enc)
            return enc
        except UnicodeDecodeError as exc:
            if enc == "utf-8" and exc.start >= len(head) - 3:
                return enc  # a character cut at the end of the sample
    return "latin-1"  # pragma: no cover - latin-1 decodes any byte


def _text_of(raw: bytes, encoding: str, shown: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "utf-8":
            return raw.decode("cp1258", errors="replace")
        raise InputFileError(f"{shown}: không giải mã được bằng bảng mã {encoding}; dùng --encoding") from None


def _sniff_sep(lines: list[str]) -> str:
    best, best_score = ",", -1
    for sep in (",", ";", "\t", "|"):
        counts = [ln.count(sep) for ln in lines if ln.strip()]
        score = max(counts, default=0)
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_csv(p: Path, shown: str, source: str, options: ReadOptions) -> RawTable:
    with p.open("rb") as fh:
        head = fh.read(1 << 20)
    encoding = _encoding(head, shown, options.encoding)
    utf8 = encoding in ("utf-8", "utf-8-sig")
    # UTF-8 files are handed to Arrow by path (it maps the file and skips a BOM); others are
    # decoded here and passed on as UTF-8.
    source_data: Path | bytes = p if utf8 else _text_of(p.read_bytes(), encoding, shown).encode("utf-8")
    sample = head if utf8 else source_data[: 1 << 20]
    head_lines = sample.decode("utf-8", errors="ignore").lstrip("\ufeff").splitlines()[: headers.SCAN_ROWS]
    sep = _sniff_sep(head_lines)
    grid, ends = _records(head_lines, sep)
    forced = _record_at(ends, options.header_row) if options.header_row else None
    guess = headers.guess(grid, source, forced, dict(options.aliases))
    if guess is None:
        raise InputFileError(
            f"{shown}: không tìm thấy dòng tiêu đề của {SOURCE_NAMES[source]} "
            f"(cần các cột như {_examples(source)}); dùng --header-row hoặc --columns"
        )
    data_start = ends[guess.row]  # lines, not records: a header cell may span two lines
    width = max(len(guess.labels), 1)
    try:
        df, rows = _parse_csv(source_data, sep, data_start, width)
    except Exception as exc:
        if not (utf8 and options.encoding is None and "utf8" in str(exc).lower().replace("-", "")):
            raise InputFileError(f"{shown}: không đọc được CSV ({_first_line(exc)})") from None
        # Arrow checks UTF-8 as it reads: a file that only looked like UTF-8 at its start.
        encoding = "cp1258"
        df, rows = _parse_csv(_text_of(p.read_bytes(), encoding, shown).encode("utf-8"), sep, data_start, width)
    notes = [f"bảng mã {encoding}, dấu phân cách {_sep_name(sep)}"]
    if guess.row + 1 - guess.rows > 0:
        notes.append(f"bỏ qua {guess.row + 1 - guess.rows} dòng phía trên tiêu đề")
    return RawTable(
        file=shown, sheet=None, header_row=(ends[guess.row - 1] if guess.row else 0) + 1, labels=list(guess.labels),
        letters=[column_letter(i) for i in range(df.shape[1])], data=df, rows=rows, notes=notes,
    )


def _records(lines: list[str], sep: str) -> tuple[list[list[str | None]], list[int]]:
    """The first records of a CSV file, and the line each of them ends on.

    Arrow skips lines, not records, before the data; a quoted header cell with a line break
    ("Ngày\ntiếp nhận") makes the two differ.
    """
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=sep)
    grid, ends = [], []
    for row in reader:
        grid.append([c if c.strip() else None for c in row])
        ends.append(reader.line_num)
    return grid, ends


def _record_at(ends: list[int], line: int) -> int:
    """The record that holds a 1-based line (--header-row is given as an editor shows it)."""
    return next((i for i, end in enumerate(ends) if line <= end), line - 1)


# Arrow reads CSV in parallel blocks; each block becomes a chunk of every column. 8 MiB blocks
# keep the read parallel while leaving few enough chunks for the column kernels that follow.
# Cells are read as large_string, the layout of pandas' Arrow-backed "str" columns: handing the
# table to pandas is then free, where plain string columns would each be copied (a third of the
# time of a million-row read).
_CSV_BLOCK = 8 << 20


def _parse_csv(source: Path | bytes, sep: str, data_start: int, width: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Arrow's multi-threaded CSV reader, every cell as text, with each row's line number.

    Rows with another number of cells than the header (a totals line "Tổng cộng", a note) are
    handed back by Arrow; they are parsed here, padded to the header's width and put back at
    their own line, so that no row disappears and line numbers stay true.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]

    def arrow_read(newlines_in_values: bool):
        odd: list[str] = []

        def keep_aside(row) -> str:
            odd.append(row.text)
            return "skip"

        table = pacsv.read_csv(
            str(source) if isinstance(source, Path) else io.BytesIO(source),
            read_options=pacsv.ReadOptions(skip_rows=data_start, column_names=names, block_size=_CSV_BLOCK),
            parse_options=pacsv.ParseOptions(delimiter=sep, invalid_row_handler=keep_aside, ignore_empty_lines=False,
                                             newlines_in_values=newlines_in_values),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                 strings_can_be_null=True, null_values=[""],
                                                 quoted_strings_can_be_null=True),
        )
        return table, odd

    # Cells spanning lines (a quoted address with a line break) are rare, and allowing for them
    # makes Arrow's read a third slower: read without, and again with them when Arrow reports
    # that a quoted line break fell on the boundary of two blocks (within a block it reads it).
    try:
        table, odd = arrow_read(False)
    except pa.ArrowInvalid as exc:
        if "out of sync" not in str(exc):
            raise
        table, odd = arrow_read(True)
    df = table.to_pandas()
    del table
    df.columns = range(width)
    first = data_start + 1
    spans = _row_spans(df)
    if not odd:
        return df, _place(first, spans, len(df), [])
    data = source.read_bytes() if isinstance(source, Path) else source
    lines, cursor, start = [], 0, _line_offset(data, data_start)
    for text in odd:
        needle = text.encode("utf-8")
        pos = data.find(needle, max(cursor, start))
        lines.append(data.count(b"\n", 0, pos) + 1 if pos >= 0 else None)
        cursor = pos + len(needle) if pos >= 0 else cursor
    end = first + len(df) + len(odd) + (int(spans.sum()) - len(df) if spans is not None else 0)
    taken = [(ln, text.count("\n") + 1) for ln, text in zip(lines, odd) if ln is not None]
    rows = _place(first, spans, len(df), taken)
    extra = []
    for text, ln in zip(odd, lines):
        cells = next(csv.reader([text], delimiter=sep), [])
        cells = (cells + [None] * width)[:width]
        extra.append(([c if c != "" else None for c in cells], ln if ln is not None else end))
    add = pd.DataFrame([c for c, _ in extra], columns=range(width), dtype="str")
    out = pd.concat([df, add], ignore_index=True)
    all_rows = np.concatenate([rows, np.array([ln for _, ln in extra])])
    order = np.argsort(all_rows, kind="stable")
    return out.iloc[order].reset_index(drop=True), all_rows[order]


def _row_spans(df: pd.DataFrame) -> np.ndarray | None:
    """How many lines each data row takes: 1, plus the line breaks inside its quoted cells.

    None in the usual case of no cell holding a line break, known from one pass over each
    column's text bytes (the cells' own memory, already read); only a column that holds one is
    searched cell by cell.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    spans = None
    for c in df.columns:
        if not pd.api.types.is_string_dtype(df[c].dtype):
            continue
        cells = arrow_cells(df[c])
        chunks = cells.chunks if isinstance(cells, pa.ChunkedArray) else [cells]
        if not any(ch.buffers()[2] is not None and np.count_nonzero(np.frombuffer(ch.buffers()[2], dtype=np.uint8) == 10)
                   for ch in chunks):
            continue
        found = np.asarray(pc.fill_null(pc.count_substring(cells, "\n"), 0).to_numpy(zero_copy_only=False))
        spans = (np.ones(len(df), dtype=np.int64) if spans is None else spans) + found
    return spans


def arrow_cells(s: pd.Series):
    """A text column's cells as Arrow data (pandas' Arrow-backed strings as they are, not copied)."""
    import pyarrow as pa

    if hasattr(s.array, "__arrow_array__") and pd.api.types.is_string_dtype(s.dtype):
        return s.array.__arrow_array__()
    return pa.array(s, type=pa.large_string(), from_pandas=True)


def _place(first: int, spans: np.ndarray | None, n: int, taken: list[tuple[int, int]]) -> np.ndarray:
    """The line of each data row, given how many lines each takes and the lines other rows hold.

    Rows fill the lines from ``first`` on in order, skipping the lines in ``taken`` ((line, span)
    of the rows Arrow handed back): the k-th free line is found by a sorted search, not a loop.
    """
    starts = np.arange(n, dtype=np.int64) if spans is None else np.cumsum(spans) - spans
    if not taken:
        return first + starts
    held = np.sort(np.array([ln + k for ln, span in taken for k in range(span)], dtype=np.int64))
    free_before = held - first - np.arange(len(held))
    return first + starts + np.searchsorted(free_before, starts, side="right")


def _line_offset(data: bytes, line: int) -> int:
    """Byte offset of the start of a 0-based line."""
    pos = 0
    for _ in range(line):
        nxt = data.find(b"\n", pos)
        if nxt < 0:
            return len(data)
        pos = nxt + 1
    return pos


def _sep_name(sep: str) -> str:
    return {",": "dấu phẩy", ";": "dấu chấm phẩy", "\t": "tab", "|": "dấu |"}[sep]


# ---------------------------------------------------------------- Parquet


def _read_parquet(p: Path, shown: str, source: str) -> RawTable:
    try:
        df = pd.read_parquet(p)
    except Exception as exc:
        raise InputFileError(f"{shown}: không phải tệp Parquet hợp lệ ({_first_line(exc)})") from None
    labels = [str(c) for c in df.columns]
    table = alias_table(source)
    if not any(headers.match_field(x, table) for x in labels):
        raise InputFileError(
            f"{shown}: không tìm thấy cột nào của {SOURCE_NAMES[source]} (cần các cột như {_examples(source)})"
        )
    df.columns = range(df.shape[1])
    numeric = {j for j in range(df.shape[1]) if pd.api.types.is_numeric_dtype(df[j]) and not pd.api.types.is_bool_dtype(df[j])}
    return RawTable(
        file=shown, sheet=None, header_row=1, labels=labels,
        letters=[column_letter(i) for i in range(df.shape[1])], data=df,
        rows=np.arange(2, 2 + len(df)), numeric_columns=numeric,
    )


__all__ = ["RawTable", "ReadOptions", "read"]
