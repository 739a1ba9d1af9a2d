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
from dataclasses import dataclass, field
from pathlib import Path

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
SCAN_LIMIT = 64 << 20  # uncompressed sheet XML scanned whole up to this size
MAX_COLUMNS = 1000  # no log has more; XFD (16,384) means a stray cell far from the table
MAX_CELLS = 200_000_000
_REF = re.compile(rb'<c r="([A-Z]+)(\d+)"')
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
    scanned: bool = False


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
    """Fill in what the sheet's XML says: its claimed extent always; merges, error cells and
    uncalculated formulas when the sheet is small enough to scan whole."""
    with zipfile.ZipFile(p) as z, z.open(parts.path) as fh:
        if parts.size > SCAN_LIMIT:
            parts.extent = _extent(fh.read(1 << 16), b"")
            return parts
        xml = fh.read()
    parts.extent = _extent(xml[: 1 << 16], xml[-(1 << 16):])
    parts.merges = [(int(r1) - 1, column_index(c1.decode()), int(r2) - 1, column_index(c2.decode()))
                    for c1, r1, c2, r2 in _MERGE.findall(xml)]
    parts.errors = _error_cells(xml)
    parts.formulas = _empty_formulas(xml)
    parts.scanned = True
    return parts


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


def too_wide(parts: SheetParts) -> str | None:
    """The claimed extent when it is absurd (a stray cell far from the table), else None."""
    if parts.extent is None:
        return None
    rows, cols = parts.extent
    if cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        last = f"{_letters(cols - 1)}{rows}"
        return f"A1:{last}"
    return None


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


def _empty_formulas(xml: bytes) -> list[tuple[int, int]]:
    """Cells holding a formula and no value: saved by a program that does not calculate."""
    out = []
    pos = xml.find(b"<f")
    while pos >= 0:
        end = xml.find(b"</c>", pos)
        body = xml[pos:end] if end > 0 else xml[pos:]
        cell = _cell_before(xml, pos)
        if cell and not re.search(rb"<v>[^<]+</v>", body):
            out.append(cell)
        pos = xml.find(b"<f", end if end > 0 else pos + 2)
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
