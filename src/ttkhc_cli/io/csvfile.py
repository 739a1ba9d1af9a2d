"""CSV exports: encoding and separator found, banner lines skipped, Arrow's multi-threaded reader,
and every row kept at the line an editor shows."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.domain.folding import column_letter
from ttkhc_cli.io import headers
from ttkhc_cli.io.table import (
    CellProblem,
    RawTable,
    ReadOptions,
    examples,
    first_line,
    source_name,
)

SUFFIXES = {".csv", ".txt", ".tsv"}
# A cell of a few megabytes (a pasted document) is data, not a reason to stop reading.
csv.field_size_limit(1 << 30)
ENCODINGS = ("utf-8", "cp1258", "latin-1")


def where_binary(head: bytes) -> str:
    """Where the first NUL byte of a text-looking file is, as a reader finds it in an editor."""
    pos = head.find(b"\x00")
    if pos < 0:
        return ""
    line = head.count(b"\n", 0, pos) + 1
    column = pos - (head.rfind(b"\n", 0, pos) + 1) + 1
    return f" 0x00 ở dòng {line}, ký tự thứ {column}, byte thứ {pos + 1}"


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
        # UTF-16 saved without its byte-order mark: every other byte of Latin text is zero.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even < len(head) // 50:
            return "utf-16-le"
        if even > len(head) // 4 and odd < len(head) // 50:
            return "utf-16-be"
        raise InputFileError(f"{shown}: không phải tệp văn bản CSV (có byte nhị phân{where_binary(head)})")
    for enc in ENCODINGS:
        try:
            head.decode(enc)
            return enc
        except UnicodeDecodeError as exc:
            if enc == "utf-8" and exc.start >= len(head) - 3:
                return enc  # a character cut at the end of the sample
    return "latin-1"  # pragma: no cover - latin-1 decodes any byte


PER_FILE_CAP = 200  # lines named one by one; a file with more is not a UTF-8 file with strays


def _mostly_utf8(raw: bytes) -> tuple[bytes, list[int]] | None:
    """A UTF-8 file with a few lines that are not (a line pasted from a legacy file): the text as
    UTF-8, each such line decoded as Windows-1258, and those lines' numbers. None when the file
    is not UTF-8 at all (no line uses UTF-8's letters, or the strays are many)."""
    lines = re.split(rb"(\r\n|\r|\n)", raw.removeprefix(b"\xef\xbb\xbf"))
    out, bad, utf8_letters = [], [], 0
    for i in range(0, len(lines), 2):
        chunk = lines[i]
        try:
            out.append(chunk.decode("utf-8"))
            utf8_letters += not chunk.isascii()
        except UnicodeDecodeError:
            out.append(chunk.decode("cp1258", errors="replace"))
            bad.append(i // 2 + 1)
        if i + 1 < len(lines):
            out.append(lines[i + 1].decode("ascii"))
    if not bad or utf8_letters == 0 or len(bad) > min(PER_FILE_CAP, utf8_letters):
        return None
    return "".join(out).encode("utf-8"), bad


def _text_of(raw: bytes, encoding: str, shown: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "utf-8":
            return raw.decode("cp1258", errors="replace")
        raise InputFileError(f"{shown}: không giải mã được bằng bảng mã {encoding}; dùng --encoding") from None


SEPARATORS = (";", ",", "\t", "|")
SEPARATOR_NAMES = {",": "dấu phẩy", ";": "dấu chấm phẩy", "\t": "tab", "|": "dấu |"}


def separators(lines: list[str]) -> list[str]:
    """Candidate separators, the likeliest first: the one that splits the most lines into the same
    number of fields (at least two). A title line above the table ("Danh sách hồ sơ, từ ngày …,
    đơn vị: …") is one line among many, so its commas do not decide."""
    ranked = []
    for order, sep in enumerate(SEPARATORS):
        counts: dict[int, int] = {}
        for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=sep):
            if len(row) >= 2 and any(c.strip() for c in row):
                counts[len(row)] = counts.get(len(row), 0) + 1
        if counts:
            width, lines_alike = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            ranked.append((-lines_alike, -width, order, sep))
    return [sep for *_, sep in sorted(ranked)] or [","]


def read(p: Path, shown: str, source: str, options: ReadOptions, match: headers.Match) -> list[RawTable]:
    with p.open("rb") as fh:
        head = fh.read(1 << 20)
    encoding = _encoding(head, shown, options.encoding)
    utf8 = encoding in ("utf-8", "utf-8-sig")
    # UTF-8 files are handed to Arrow by path (it maps the file and skips a BOM); others are
    # decoded here and passed on as UTF-8.
    source_data: Path | bytes = p if utf8 else _text_of(p.read_bytes(), encoding, shown).encode("utf-8")
    mixed: list[int] = []
    if encoding in ("cp1258", "latin-1") and options.encoding is None:  # not UTF-8 at the start: a stray line?
        repaired = _mostly_utf8(p.read_bytes())
        if repaired is not None:
            encoding, utf8 = "utf-8", True
            source_data, mixed = repaired
    sample = head if isinstance(source_data, Path) else source_data[: 1 << 20]
    head_lines = lines_of(sample.decode("utf-8", errors="ignore").lstrip("\ufeff"))[: headers.SCAN_ROWS]
    sep, guess, ends, grid = _find_table(head_lines, shown, source, options, match)
    data_start = ends[guess.row]  # lines, not records: a header cell may span two lines
    width = max(len(guess.labels), 1)
    import pyarrow as pa

    try:
        df, rows, faulty = _parse_csv(source_data, sep, data_start, width)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        if not (utf8 and options.encoding is None and ("utf8" in str(exc).lower().replace("-", "")
                                                       or isinstance(exc, UnicodeDecodeError))):
            raise InputFileError(f"{shown}: không đọc được CSV ({first_line(exc)})") from None
        # Arrow checks UTF-8 as it reads: a UTF-8 file with a few lines in a legacy code page (one
        # pasted from an old file), each read in that code page and named; else a file that only
        # looked like UTF-8 at its start.
        repaired = _mostly_utf8(p.read_bytes())
        if repaired is not None:
            source_data, mixed = repaired
        else:
            encoding = "cp1258"
            source_data = _text_of(p.read_bytes(), encoding, shown).encode("utf-8")
        df, rows, faulty = _parse_csv(source_data, sep, data_start, width)
    notes = [f"bảng mã {encoding}, dấu phân cách {SEPARATOR_NAMES[sep]}"]
    if guess.row + 1 - guess.rows > 0:
        notes.append(f"bỏ qua {guess.row + 1 - guess.rows} dòng phía trên tiêu đề")
    problems = [CellProblem("unclosed-quote", line, None, None) for line in faulty]
    problems += [CellProblem("line-not-utf8", line, None, None) for line in mixed[:PER_FILE_CAP]]
    return [RawTable(
        file=shown, sheet=None, header_row=(ends[guess.row - 1] if guess.row else 0) + 1, labels=list(guess.labels),
        groups=list(guess.groups), letters=[column_letter(i) for i in range(df.shape[1])], data=df, rows=rows,
        notes=notes, cell_problems=problems, banner=headers.banner_lines(grid, guess),
    )]


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def lines_of(text: str) -> list[str]:
    """A CSV text's lines as a CSV reader (Arrow's, Python's) ends them: at CR, LF or CRLF only.
    ``str.splitlines`` also breaks at Unicode line and paragraph separators, form feeds, vertical
    tabs and the file/group/record separators, which are characters inside a cell: the header
    would be looked for on other lines than the data is read from."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _breaks(data: bytes, start: int = 0, end: int | None = None) -> int:
    """How many line ends (CR, LF or CRLF) the bytes hold between two offsets."""
    chunk = data[start:end]
    return chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")


def _find_table(lines: list[str], shown: str, source: str, options: ReadOptions,
                match: headers.Match) -> tuple[str, headers.HeaderGuess, list[int], list[list[str | None]]]:
    """The separator and header row: each candidate separator in turn, until one gives a header
    that names known fields (a separator that leaves the whole header in one cell names none)."""
    candidates = [options.delimiter] if options.delimiter else separators(lines)
    for sep in candidates:
        grid, ends = _records(lines, sep)
        forced = _record_at(ends, options.header_row) if options.header_row else None
        guess = headers.guess(grid, match, forced)
        if guess is not None:
            return sep, guess, ends, grid
    tried = ", ".join(SEPARATOR_NAMES[s] for s in candidates)
    if options.header_row:
        raise InputFileError(
            f"{shown}: dòng {options.header_row} không phải dòng tiêu đề của {source_name(source)} "
            f"(đã tách cột bằng {tried}); kiểm tra --header-row, --delimiter hoặc dùng --columns"
        )
    raise InputFileError(
        f"{shown}: không tìm thấy dòng tiêu đề của {source_name(source)} "
        f"(cần các cột như {examples(source)}; đã tách cột bằng {tried}); "
        "dùng --header-row, --delimiter hoặc --columns"
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


def _parse_csv(source: Path | bytes, sep: str, data_start: int,
               width: int) -> tuple[pd.DataFrame, np.ndarray, list[int]]:
    """Arrow's multi-threaded CSV reader, every cell as text, with each row's line number, and
    the lines whose quote was never closed.

    Rows with another number of cells than the header (a totals line "Tổng cộng", a note) are
    handed back by Arrow; they are parsed here, padded to the header's width and put back at
    their own line, so that no row disappears and line numbers stay true. A quote opened and
    never closed makes a CSV reader swallow every line after it into one cell: when Arrow's
    records do not add up to the file's lines that way, the file is read again line by line
    (``_careful``), and the faulty line is read as written and reported.
    """
    table_rows = _arrow_rows(source, sep, data_start, width)
    if table_rows is not None:
        return (*table_rows, [])
    data = source.read_bytes() if isinstance(source, Path) else source
    return _careful(data.decode("utf-8").lstrip("\ufeff"), sep, data_start, width)


def _arrow_rows(source: Path | bytes, sep: str, data_start: int,
                width: int) -> tuple[pd.DataFrame, np.ndarray] | None:
    """The fast read; None when a record swallowed whole lines of other records."""
    import pyarrow as pa

    size = source.stat().st_size if isinstance(source, Path) else len(source)
    try:
        return _arrow_rows_in_blocks(source, sep, data_start, width, _CSV_BLOCK)
    except pa.ArrowInvalid as exc:
        # A cell larger than a block (a pasted document in a note): blocks as large as the file.
        if "straddl" not in str(exc) or size <= _CSV_BLOCK:
            raise
        return _arrow_rows_in_blocks(source, sep, data_start, width, min(size + 1, (1 << 31) - 1))


def _arrow_rows_in_blocks(source: Path | bytes, sep: str, data_start: int, width: int,
                          block: int) -> tuple[pd.DataFrame, np.ndarray] | None:
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
            read_options=pacsv.ReadOptions(skip_rows=data_start, column_names=names, block_size=block),
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
    spans = _row_spans(table)
    df = table.to_pandas()
    del table
    df.columns = range(width)
    first = data_start + 1
    if any("\n" in text or text.count('"') % 2 for text in odd) or \
            (spans is not None and (_swallowed(df, spans, sep, width)
                                    or _continues_on_records(source, data_start, spans, sep, width))):
        return None
    if not odd:
        return df, _place(first, spans, len(df), [])
    data = source.read_bytes() if isinstance(source, Path) else source
    lines, cursor, start = [], 0, _line_offset(data, data_start)
    for text in odd:
        needle = text.encode("utf-8")
        pos = data.find(needle, max(cursor, start))
        lines.append(_breaks(data, 0, pos) + 1 if pos >= 0 else None)
        cursor = pos + len(needle) if pos >= 0 else cursor
    end = first + len(df) + len(odd) + (int(spans.sum()) - len(df) if spans is not None else 0)
    taken = [(ln, text.count("\n") + 1) for ln, text in zip(lines, odd) if ln is not None]
    rows = _place(first, spans, len(df), taken)
    extra = []
    for text, ln in zip(odd, lines):
        read = next(csv.reader([text], delimiter=sep), [])
        cells: list[str | None] = [c if c != "" else None for c in read]
        extra.append(((cells + [None] * width)[:width], ln if ln is not None else end))
    add = pd.DataFrame([c for c, _ in extra], columns=range(width), dtype="str")
    out = pd.concat([df, add], ignore_index=True)
    all_rows = np.concatenate([rows, np.array([ln for _, ln in extra])])
    order = np.argsort(all_rows, kind="stable")
    return out.iloc[order].reset_index(drop=True), all_rows[order]


# A quoted cell with line breaks (an address, a note, a pasted letter) may span many lines; a
# quote never closed is told from it by the lines it would swallow that are records of their own.
# The span is bounded only so that a file of one column (no line looks like a record) is not
# scanned to its end for every stray quote.
MAX_SPAN = 5000


def _usual_width(lines: list[str], sep: str, width: int) -> int:
    """How many fields a record of the data has at least: the header's width, unless few lines
    reach it (a system that writes rows shorter than its header, trailing empty fields left out);
    then the fewest separators that a quarter of the lines have. A line inside a multi-line cell
    holding separators is one line among many, and says nothing."""
    counts: dict[int, int] = {}
    total = 0
    for line in lines[:2000]:
        if line.strip():
            n = line.count(sep)
            counts[n] = counts.get(n, 0) + 1
            total += 1
    if not total or 4 * sum(v for c, v in counts.items() if c >= width - 1) >= total:
        return width
    common = [c for c, v in counts.items() if c > 0 and 4 * v >= total]
    return min(common) + 1 if common else width


def _looks_like_record(line: str, sep: str, width: int) -> bool:
    """A line that is a whole record of its own: as many separators as the header, quotes
    balanced, and something in two of its fields (a line of bare separators, as in a quoted
    address or a note, is no evidence of a record)."""
    if line.count(sep) < max(width - 1, 1) or line.count('"') % 2:
        return False
    return sum(1 for f in line.split(sep) if f.strip(' "\t')) >= min(2, width)


def _swallowed(df: pd.DataFrame, spans: np.ndarray, sep: str, width: int) -> bool:
    """Whether a cell spanning lines holds lines that are records of their own, or too many lines."""
    if int(spans.max()) > MAX_SPAN:
        return True
    for c in df.columns:
        cells = df[c][spans > 1].dropna()
        for text in cells[cells.str.contains("\n", regex=False)]:
            if any(_looks_like_record(line, sep, width) for line in text.split("\n")[1:]):
                return True
    return False


def _continues_on_records(source: Path | bytes, data_start: int, spans: np.ndarray, sep: str, width: int) -> bool:
    """Whether a record read over several lines goes on over a line that, whole, is a record of
    its own: a stray quote paired with the next line's first quote, which swallows that line
    into one cell (the cell's text alone does not show it: the line is cut at the quote)."""
    data = source.read_bytes() if isinstance(source, Path) else source
    lines = lines_of(data.decode("utf-8", errors="replace").lstrip("\ufeff"))
    width = _usual_width(lines[data_start:], sep, width)
    starts = data_start + np.cumsum(spans) - spans
    for r in np.flatnonzero(spans > 1):
        for ln in range(int(starts[r]) + 1, int(starts[r] + spans[r])):
            if ln < len(lines) and _looks_like_record(lines[ln], sep, width):
                return True
    return False


def _careful(text: str, sep: str, data_start: int, width: int) -> tuple[pd.DataFrame, np.ndarray, list[int]]:
    """Line by line: a quoted cell may continue on the next lines (up to MAX_SPAN) until its
    quote closes, unless the next line is a record of its own; then the quote was never closed,
    the line is read as written (its quotes as plain characters) and reported."""
    lines = lines_of(text)
    usual = _usual_width(lines[data_start:], sep, width)
    records: list[list[str | None]] = []
    numbers: list[int] = []
    faulty: list[int] = []
    i = data_start
    while i < len(lines):
        line = lines[i].rstrip("\r")
        end, joined = i + 1, line
        quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL
        if line.count('"') % 2:
            closed = False
            while (end < len(lines) and end - i < MAX_SPAN
                   and not _looks_like_record(lines[end].rstrip("\r"), sep, usual)):
                joined += "\n" + lines[end].rstrip("\r")
                end += 1
                if joined.count('"') % 2 == 0:
                    closed = True
                    break
            if not closed:
                end, joined, quoting = i + 1, line, csv.QUOTE_NONE
                faulty.append(i + 1)
        try:
            cells = next(csv.reader([joined], delimiter=sep, quoting=quoting), [])
        except csv.Error:  # a line break outside quotes after all: read the first line as written
            end, joined, quoting = i + 1, line, csv.QUOTE_NONE
            faulty.append(i + 1)
            cells = next(csv.reader([joined], delimiter=sep, quoting=quoting), [])
        if quoting == csv.QUOTE_NONE:  # the stray quote is not part of any value
            cells = [c.replace('"', "").strip() for c in cells]
        records.append([c if c != "" else None for c in (cells + [None] * width)[:width]])
        numbers.append(i + 1)
        i = end
    df = pd.DataFrame(records, columns=range(width), dtype="str") if records else pd.DataFrame(columns=range(width))
    return df, np.array(numbers, dtype=np.int64), faulty


def _row_spans(table: Any) -> np.ndarray | None:
    """How many lines each data row of an Arrow table of text takes: 1, plus the line breaks
    inside its quoted cells.

    None in the usual case of no cell holding a line break, known from one pass over each
    column's text bytes (the cells' own memory, already read); only a column that holds one is
    searched cell by cell.
    """
    spans = None
    for cells in table.columns:
        if not any(ch.buffers()[2] is not None and _has_line_break(ch.buffers()[2]) for ch in cells.chunks):
            continue
        found = _count(cells, "\n") + _count(cells, "\r") - _count(cells, "\r\n")  # lines end at LF, CR, CRLF
        spans = (np.ones(table.num_rows, dtype=np.int64) if spans is None else spans) + found
    return spans


def _has_line_break(buffer: Any) -> bool:
    """Whether a text buffer holds LF or CR (two comparisons: np.isin's set logic costs more than
    the search on a small file's cells)."""
    data = np.frombuffer(buffer, dtype=np.uint8)
    return bool((data == 10).any() or (data == 13).any())


def _count(cells: Any, text: str) -> np.ndarray:
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(pc.count_substring(cells, text), 0).to_numpy(zero_copy_only=False))


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
    if line == 0:
        return 0
    for n, m in enumerate(re.finditer(rb"\r\n|\r|\n", data), start=1):
        if n == line:
            return m.end()
    return len(data)
