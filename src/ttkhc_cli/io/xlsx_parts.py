"""What calamine does not tell about an .xlsx sheet, read from its XML: hidden sheets, the extent a
sheet claims, merged cells, Excel error cells, formulas saved without their value, and which id
cells are numbers.

A cell under a vertical merge, an error cell (#N/A) and a formula nobody calculated all come out
of calamine as blanks; a log must not read them as "no". The XML of a sheet holding a commune's
register is small and is scanned whole; a system's export of a hundred thousand rows has none of
these, and only its first part is peeked at (decompressing a 1 GB sheet costs as much as reading
it).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
SCAN_LIMIT = 64 << 20  # uncompressed sheet XML scanned whole up to this size
BIG_SCAN_LIMIT = 512 << 20  # a larger sheet claiming an absurd extent is parsed whole up to this size
MAX_CELLS = 50_000_000  # the grid calamine may size a sheet at (it allocates every cell of the extent)
ROW_GAP, COLUMN_GAP = 1000, 50  # blank rows (columns) beyond which a lone cell is stray, not the table's
# Package budget: a part that inflates beyond this, or far more than real data compresses, is a bomb.
MAX_PART = 4 << 30
MAX_RATIO, RATIO_FLOOR = 200, 64 << 20
_REF = re.compile(rb'<c r="([A-Z]+)(\d+)"')
# A cell reference that may lie far from any table, in any spelling XML allows (either quote,
# spaces around "=", any letter case, a character reference inside), and a cell with no reference
# (its place follows the one before): either sends the sheet to the real parse below.
_FAR_REF = re.compile(rb'\br\s*=\s*["\']\s*(?:[A-Za-z]{3,}\d|[A-Za-z]{2}\d{5,}|[A-Za-z]\d{6,}|[^"\']*&)')
_NO_REF = re.compile(rb'<(?:[\w.-]+:)?c(?=[\s/>])(?![^>]*\br\s*=)')
_CELL_REF = re.compile(r"^\s*([A-Za-z]{1,3})(\d{1,7})\s*$")
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def column_index(letters: str) -> int:
    """0-based index of an Excel column letter (A -> 0, AA -> 26)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass
class SheetParts:
    name: str
    path: str  # the part inside the package
    size: int  # uncompressed bytes
    hidden: bool
    extent: tuple[int, int] | None = None  # (rows, columns) the sheet claims, when it says
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based r1, c1, r2, c2
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # 0-based row, column, "#N/A"
    formulas: list[tuple[int, int]] = field(default_factory=list)  # formulas saved without a value
    beyond: list[tuple[int, int, str]] = field(default_factory=list)  # numbers outside every date's serial
    unreadable: list[tuple[int, int]] = field(default_factory=list)  # byte spans of cells calamine cannot read
    scanned: bool = False
    stray: list[tuple[int, int]] = field(default_factory=list)  # byte spans of cells far from the table
    stray_refs: list[str] = field(default_factory=list)  # those cells' references (A1 style)


def sheets(p: Path) -> dict[str, SheetParts]:
    """Every sheet of a workbook with its visibility and size, from the package's index (cheap)."""
    with zipfile.ZipFile(p) as z:
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        out = {}
        for s in wb.iterfind("m:sheets/m:sheet", NS):
            target = targets.get(s.get(f"{{{NS['r']}}}id"), "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            try:
                size = z.getinfo(part).file_size
            except KeyError:
                continue
            name = s.get("name", "")
            out[name] = SheetParts(name, part, size, s.get("state", "visible") != "visible")
        return out


def peek(p: Path, parts: SheetParts) -> SheetParts:
    """Fill in what the sheet's XML says: the extent of its cells always; merges, error cells and
    uncalculated formulas when the sheet is small enough to scan whole. A sheet whose cells may
    lie far from the table is parsed with a real XML parser: its stray cells are found (to be
    left out of the read) and the extent is that of the table."""
    with zipfile.ZipFile(p) as z, z.open(parts.path) as fh:
        if parts.size > SCAN_LIMIT:
            # A system's large export: only a sheet whose <dimension> claims an absurd extent is
            # parsed whole (up to a limit; beyond it, the claim stands and the sheet is refused).
            claimed = _extent(fh.read(1 << 16), b"")
            if not _absurd(claimed) or parts.size > BIG_SCAN_LIMIT:
                parts.extent = claimed if _absurd(claimed) else None
                return parts
            fh.seek(0)
        xml = fh.read()
    if _FAR_REF.search(xml) or _NO_REF.search(xml):
        parts.extent, parts.stray, parts.stray_refs = _cells(xml)
    else:
        parts.extent = _extent(b"", xml[-(1 << 16):])
    parts.merges = [(int(r1) - 1, column_index(c1.decode()), int(r2) - 1, column_index(c2.decode()))
                    for c1, r1, c2, r2 in _MERGE.findall(xml)]
    parts.errors = _error_cells(xml)
    parts.formulas = _empty_formulas(xml)
    parts.beyond, parts.unreadable = _beyond_dates(xml)
    parts.scanned = True
    return parts


def _cells(xml: bytes) -> tuple[tuple[int, int] | None, list[tuple[int, int]], list[str]]:
    """Every cell's place, as calamine will read it (its reference, else the next column of its
    row; a row's number, else the next row), through expat. The table is the cells up to the first
    wide gap of blank rows or columns; the cells beyond are stray. Returns the table's extent and
    the stray cells' byte spans and references."""
    parser = expat.ParserCreate(namespace_separator=" ")
    cells: list[tuple[int, int, int]] = []  # row, column (1-based), byte offset of the start tag
    place = {"row": 0, "col": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "row":
            r = attrs.get("r", "").strip()
            place["row"] = int(r) if r.isdigit() else place["row"] + 1
            place["col"] = 0
        elif local == "c":
            m = _CELL_REF.match(attrs.get("r", ""))
            if m:
                row, col = int(m.group(2)), column_index(m.group(1).upper()) + 1
            else:
                row, col = place["row"], place["col"] + 1
            place["col"] = col
            cells.append((row, col, parser.CurrentByteIndex))

    parser.StartElementHandler = start
    parser.Parse(xml, True)
    if not cells:
        return None, [], []
    last_row = _edge(sorted({r for r, _, _ in cells}), ROW_GAP)
    last_col = _edge(sorted({c for _, c, _ in cells}), COLUMN_GAP)
    stray = [(r, c, at) for r, c, at in cells if r > last_row or c > last_col]
    spans = [(at, _cell_end(xml, at)) for _, _, at in stray]
    refs = [f"{_letters(c - 1)}{r}" for r, c, _ in stray]
    return (last_row, last_col), spans, refs


def _edge(values: list[int], gap: int) -> int:
    """The last value before the first gap wider than ``gap`` (or than the values before it)."""
    last = values[0]
    for n, v in enumerate(values[1:], start=1):
        if v - last > max(gap, n):
            break
        last = v
    return last


def _cell_end(xml: bytes, start: int) -> int:
    """The byte after a cell element that starts at ``start`` (``<c …/>`` or ``<c …>…</c>``)."""
    close = xml.find(b">", start)
    if xml[close - 1:close] == b"/":
        return close + 1
    depth, pos = 1, close + 1
    name = re.match(rb"<([\w.:-]+)", xml[start:]).group(1)  # type: ignore[union-attr]
    while depth:
        nxt = re.compile(rb"<(/?)" + re.escape(name) + rb"(?=[\s/>])").search(xml, pos)
        if nxt is None:
            return len(xml)
        tag_end = xml.find(b">", nxt.start())
        if nxt.group(1):
            depth -= 1
        elif xml[tag_end - 1:tag_end] != b"/":
            depth += 1
        pos = tag_end + 1
    return pos


def without_strays(p: Path, parts: SheetParts, folder: Path) -> Path:
    """A copy of the workbook whose sheet lacks its stray cells and the cells calamine cannot read
    (the input is never changed): what calamine reads instead of sizing the sheet at billions of
    cells, or of aborting on a number no date can be."""
    out = folder / p.name
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == parts.path:
                kept, at = [], 0
                for start, end in sorted(parts.stray + parts.unreadable):
                    kept.append(data[at:start])
                    at = end
                kept.append(data[at:])
                data = b"".join(kept)
            dst.writestr(item, data)
    return out


# What a damaged package raises from the standard library's zip and XML readers.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, KeyError,
           OSError, ET.ParseError, expat.ExpatError)


def damage(exc: BaseException) -> str:
    """A damaged package's reason, in Vietnamese."""
    text = str(exc).lower()
    if "encrypt" in text or "password" in text:
        return "một phần của tệp được mã hóa"
    if "crc" in text or "bad magic" in text or isinstance(exc, (zlib.error, EOFError)):
        return "dữ liệu nén bị hỏng"
    if "compression" in text:
        return "kiểu nén không được hỗ trợ"
    if isinstance(exc, (ET.ParseError, expat.ExpatError)):
        return "nội dung XML bị hỏng"
    return "cấu trúc tệp bị hỏng"


def ods_absurd(p: Path) -> str | None:
    """An OpenDocument sheet whose repeated rows or columns expand beyond the budget (a few KB that
    say "this row, a million times"), as the extent it claims; None when it is sane."""
    with zipfile.ZipFile(p) as z:
        try:
            info = z.getinfo("content.xml")
        except KeyError:
            return None
        if info.file_size > SCAN_LIMIT:
            return None
        xml = z.read(info)
    if b"-repeated" not in xml:
        return None
    parser = expat.ParserCreate(namespace_separator=" ")
    state = {"rows": 0, "row_rep": 1, "width": 0, "cols": 0, "filled_to": 0, "content_rows": 0, "worst": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        rep = next((v for k, v in attrs.items() if k.endswith("repeated")), "1")
        count = int(rep) if rep.isdigit() else 1
        if local == "table":
            state.update(rows=0, content_rows=0, width=0)
        elif local == "table-row":
            state.update(row_rep=count, cols=0, filled_to=0)
        elif local in ("table-cell", "covered-table-cell"):
            filled = any(k.rpartition(" ")[2] in ("value", "date-value", "string-value", "value-type") for k in attrs)
            state["cols"] += count
            if filled:
                state["filled_to"] = state["cols"]
        elif local == "p":
            state["filled_to"] = max(state["filled_to"], state["cols"])

    def end(name: str) -> None:
        local = name.rpartition(" ")[2]
        if local == "table-row":
            state["rows"] += state["row_rep"]
            if state["filled_to"]:
                state["content_rows"] = state["rows"]
                state["width"] = max(state["width"], state["filled_to"])
            state["worst"] = max(state["worst"], state["content_rows"] * state["width"])

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.Parse(xml, True)
    return f"{state['worst']:,} ô".replace(",", ".") if state["worst"] > MAX_CELLS else None


def bomb(p: Path) -> str | None:
    """A part of the package that inflates far beyond what data compresses to (a few KB that
    expand to gigabytes), named with its sizes; None for an ordinary package."""
    with zipfile.ZipFile(p) as z:
        total = 0
        for item in z.infolist():
            total += item.file_size
            ratio = item.file_size / max(item.compress_size, 1)
            if item.file_size > MAX_PART or (item.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
                return f"{item.filename} nén {item.compress_size // 1024 or 1} KB thành {item.file_size >> 20} MB"
        if total > MAX_PART:
            return f"các phần của tệp giải nén thành {total >> 20} MB"
    return None


def _extent(head: bytes, tail: bytes) -> tuple[int, int] | None:
    """(rows, columns) from the <dimension> element, or from the last cell of the sheet."""
    best: tuple[int, int] | None = None
    m = _DIMENSION.search(head)
    if m and m.group(3):
        best = (int(m.group(4)), column_index(m.group(3).decode()) + 1)
    last = list(_REF.finditer(tail))
    if last:
        cell = (int(last[-1].group(2)), column_index(last[-1].group(1).decode()) + 1)
        best = cell if best is None else (max(best[0], cell[0]), max(best[1], cell[1]))
    return best


def _absurd(extent: tuple[int, int] | None) -> bool:
    return extent is not None and extent[0] * extent[1] > MAX_CELLS


def too_wide(parts: SheetParts) -> str | None:
    """The table's extent when it is absurd even without its stray cells (calamine would size the
    sheet at more cells than memory holds), else None. A claimed <dimension> alone is harmless:
    calamine sizes a sheet by its cells."""
    if parts.extent is None:
        return None
    rows, cols = parts.extent
    return f"A1:{_letters(cols - 1)}{rows}" if _absurd(parts.extent) else None


def _letters(index: int) -> str:
    out, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _cell_before(xml: bytes, pos: int) -> tuple[int, int] | None:
    start = xml.rfind(b"<c ", 0, pos)
    m = _REF.match(xml, start) if start >= 0 else None
    return (int(m.group(2)) - 1, column_index(m.group(1).decode())) if m else None


def _error_cells(xml: bytes) -> list[tuple[int, int, str]]:
    out = []
    pos = xml.find(b't="e"')
    while pos >= 0:
        cell = _cell_before(xml, pos)
        end = xml.find(b"</c>", pos)
        value = re.search(rb"<v>([^<]*)</v>", xml[pos:end]) if end > 0 else None
        if cell:
            out.append((*cell, value.group(1).decode(errors="replace") if value else "#ERROR"))
        pos = xml.find(b't="e"', pos + 5)
    return out


# A number Excel could show as a date only between 1900 and 9999 (serials 0 to 2958465): one
# beyond it, in a cell formatted as a date, is read by calamine as a blank.
_BIG_OR_NEGATIVE = re.compile(rb"<(?:[\w.-]+:)?v>\s*(-[0-9.]+(?:[eE][+-]?[0-9]+)?|[0-9.]+[eE]\+?[0-9]+"
                              rb"|[0-9]{7,}(?:\.[0-9]*)?)\s*</(?:[\w.-]+:)?v>")
LAST_SERIAL = 2958465


# calamine's date conversion panics (the process prints a Rust backtrace) on a date-formatted
# cell below about -1e11 days: such cells are left out of what it reads, and reported.
PANICS_BELOW = -1e10


def _beyond_dates(xml: bytes) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """Cells holding a number no date can be (0-based row, column, the number as written): a
    cell the reader hands back blank is one of them formatted as a date, a value lost otherwise.
    And the byte spans of those the reader cannot be given at all."""
    out, spans = [], []
    for m in _BIG_OR_NEGATIVE.finditer(xml):
        try:
            number = float(m.group(1))
        except ValueError:
            continue
        if (number < 0 or number > LAST_SERIAL + 1) and (cell := _cell_before(xml, m.start())):
            out.append((*cell, m.group(1).decode()))
            if number < PANICS_BELOW:
                start, end = xml.rfind(b"<c ", 0, m.start()), xml.find(b"</c>", m.end())
                if start >= 0 and end > 0:
                    spans.append((start, end + 4))
    return out, spans


_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f(?=[\s/>])")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?=[\s/>])")


def _empty_formulas(xml: bytes) -> list[tuple[int, int]]:
    """Cells holding a formula and no value at all: saved by a program that does not calculate.

    Only a cell's own formula element (``<f>``) counts, within the sheet's cells: a data
    validation's ``<formula1>``, a conditional format's ``<formula>`` or an autofilter are not
    cells. A cached empty value (``<v></v>``, ``<v/>``: a formula whose result is "") is a value.
    """
    start = xml.find(b"sheetData")
    stop = xml.rfind(b"sheetData")
    out = []
    for m in _FORMULA.finditer(xml, start if start >= 0 else 0, stop if stop > start else len(xml)):
        pos = m.start()
        end = xml.find(b"</c>", pos)
        nxt = xml.find(b"<c", pos)
        if end < 0 or (0 <= nxt < end and xml[nxt + 2:nxt + 3] in (b" ", b">")):
            end = nxt if nxt >= 0 else len(xml)  # a self-closed cell follows: this one ended before
        cell = _cell_before(xml, pos)
        if cell and not _VALUE.search(xml, pos, end):
            out.append(cell)
    return out


def numeric_cells(p: Path, part: str, first_row: int, last_row: int) -> dict[str, set[int]]:
    """Column letter → Excel rows holding a number cell, within rows first_row..last_row (a
    streamed peek at the sheet's first rows, where openpyxl would load every shared string)."""
    found: dict[str, set[int]] = {}
    with zipfile.ZipFile(p) as z, z.open(part) as fh:
        for _, el in ET.iterparse(fh):
            if el.tag.endswith("}c"):
                m = re.match(r"([A-Z]+)(\d+)", el.get("r", ""))
                if m and first_row <= int(m.group(2)) <= last_row and el.get("t", "n") == "n" \
                        and el.find("m:v", NS) is not None:
                    found.setdefault(m.group(1), set()).add(int(m.group(2)))
            elif el.tag.endswith("}row"):
                if int(el.get("r", "0")) >= last_row:
                    break
                el.clear()
    return found
