"""What a printed report looks like, read back from its PDF (pdfplumber): pages, the sheet each
belongs to (from the page header), the tables on it (from the cell borders) and their rows, so
that tests can say whether the paper is what an office can send: tables filling the printable
width, no header or single row left alone on a page, every cell's text printed whole.

LibreOffice draws a cell border as a black line (a cell's fill is a rectangle without a stroke,
a chart's lines are grey or coloured); a table's header row is filled with the report's header
colour.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

MARGIN = 36.0  # the sheets' left and right margins (0.5 in)
HEADER_FILL = (0.906, 0.933, 0.969)  # #E7EEF7
BODY_TOP = 45.0  # below the page header
HEADER_BOTTOM = 32.0  # the page header's line (a chart at the top of a page starts below it)
FOOTER = 40.0  # above the page footer


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(path: Path, folder: Path) -> Path:
    """``path`` printed to PDF by LibreOffice headless, in ``folder``."""
    run = subprocess.run([soffice() or "soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                          str(path)], capture_output=True, text=True, timeout=600)
    pdf = folder / (path.stem + ".pdf")
    assert pdf.exists(), run.stderr
    return pdf


@dataclass
class Row:
    top: float
    bottom: float
    header: bool
    text: str = ""


@dataclass
class Table:
    x0: float
    x1: float
    rows: list[Row] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.rows[0].top

    @property
    def bottom(self) -> float:
        return self.rows[-1].bottom


@dataclass
class Page:
    number: int
    width: float
    height: float
    title: str  # the page header's right-hand text: the sheet's title
    words: list[dict]
    tables: list[Table]

    @property
    def printable(self) -> float:
        return self.width - 2 * MARGIN

    def body_words(self) -> list[dict]:
        return [w for w in self.words if w["top"] > BODY_TOP and w["bottom"] < self.height - FOOTER]


def _close(a: float, b: float, tol: float = 1.5) -> bool:
    return abs(a - b) <= tol


def _black(colour: object) -> bool:
    """A cell border's colour (the charts draw in grey and in their series' colours)."""
    values = colour if isinstance(colour, (tuple, list)) else (colour,)
    return all(isinstance(c, (int, float)) and float(c) == 0.0 for c in values)


def _is_header_fill(colour: object) -> bool:
    if not isinstance(colour, (tuple, list)) or len(colour) != 3:
        return False
    return all(abs(float(c) - h) < 0.01 for c, h in zip(colour, HEADER_FILL))


def _tables(page: object, words: list[dict]) -> list[Table]:
    """The tables of a page: runs of rows between horizontal borders of the same extent."""
    borders = [e for e in page.edges  # type: ignore[attr-defined]
               if e["object_type"] == "line" and e["orientation"] in ("h", "v") and _black(e.get("stroking_color"))]
    verticals = [e for e in borders if e["orientation"] == "v"]
    # a row's border is drawn cell by cell: what matters is the height each is drawn at
    heights = {round(e["top"], 1) for e in borders if e["orientation"] == "h" and e["x1"] - e["x0"] >= 3}
    tops: list[float] = []
    for top in sorted(heights):  # a border drawn twice, a hair apart, is one line
        if not tops or top - tops[-1] > 1.0:
            tops.append(top)
    fills = [r for r in page.rects if _is_header_fill(r.get("non_stroking_color"))]  # type: ignore[attr-defined]
    tables: list[Table] = []
    for a, b in zip(tops, tops[1:]):
        sides = [v for v in verticals if v["top"] <= a + 1 and v["bottom"] >= b - 1]
        if len(sides) < 2:
            continue  # no cell between these lines: the gap between two tables
        x0, x1 = min(v["x0"] for v in sides), max(v["x1"] for v in sides)
        header = any(f["top"] <= a + 1.5 and f["bottom"] >= b - 1.5 for f in fills)
        text = " ".join(w["text"] for w in words if a - 1 <= w["top"] < b - 1 and x0 - 1 <= w["x0"] <= x1)
        row = Row(a, b, header, text)
        if tables and _close(tables[-1].bottom, a) and _close(tables[-1].x0, x0, 3) and _close(tables[-1].x1, x1, 3):
            tables[-1].rows.append(row)
        else:
            tables.append(Table(x0, x1, [row]))
    return tables


def _borders_x(page: object) -> list[tuple[float, float, float]]:
    return sorted({(round(e["x0"], 1), e["top"], e["bottom"]) for e in page.edges  # type: ignore[attr-defined]
                   if e["object_type"] == "line" and e["orientation"] == "v"})


def _split_at_borders(words: list[dict], borders: list[tuple[float, float, float]]) -> list[dict]:
    """Words cut where a cell border runs between two of their characters (a number right-aligned
    in one cell and the text of the next would otherwise read as one word)."""
    out = []
    for w in words:
        chars = w.pop("chars")
        mid = (w["top"] + w["bottom"]) / 2
        here = [x for x, top, bottom in borders if top <= mid <= bottom]
        start = 0
        for k in range(1, len(chars) + 1):
            if k == len(chars) or any(chars[k - 1]["x1"] - 0.5 <= x <= chars[k]["x0"] + 0.5 for x in here):
                part = chars[start:k]
                out.append({**w, "text": "".join(c["text"] for c in part), "x0": part[0]["x0"], "x1": part[-1]["x1"]})
                start = k
    return out


def read(pdf: Path) -> list[Page]:
    import pdfplumber

    pages = []
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            words = _split_at_borders(page.extract_words(return_chars=True), _borders_x(page))
            head = [w for w in words if w["top"] < HEADER_BOTTOM and w["x0"] > page.width / 2]
            pages.append(Page(n, page.width, page.height, " ".join(w["text"] for w in head), words,
                              _tables(page, words)))
    return pages


def problems(pages: list[Page], min_fill: float = 0.85) -> list[str]:
    """What would keep the printed pages from being sent: each problem with its page."""
    found = []
    for k, page in enumerate(pages):
        where = f"trang {page.number} ({page.title})"
        if page.tables:
            widest = max(t.x1 - t.x0 for t in page.tables)
            if widest < min_fill * page.printable:
                found.append(f"{where}: bảng rộng {widest / page.printable:.0%} khổ in")
        previous = pages[k - 1] if k else None
        for t in page.tables:
            repeated = {r.text for pt in (previous.tables if previous else []) for r in pt.rows}
            lead = next((k for k, r in enumerate(t.rows) if not (r.header or r.text in repeated)), len(t.rows))
            data = t.rows[lead:] if t is page.tables[0] else [r for r in t.rows if not r.header]
            if t.rows[-1].header:
                found.append(f"{where}: dòng tiêu đề cuối trang, không có dữ liệu dưới")
            before = previous.tables[-1] if previous is not None and previous.tables else None
            if (before is not None and t is page.tables[0] and not t.rows[0].header and _first_in_body(page, t)
                    and any(r.header for r in before.rows) and not before.rows[-1].header
                    and _last_in_body(previous, before)):  # (a header alone at the foot is said above)
                found.append(f"{where}: bảng sang trang không có dòng tiêu đề ({t.rows[0].text[:40]})")
            continued = (previous is not None and previous.tables and t is page.tables[0]
                         and t.rows[0].header and _first_in_body(page, t)
                         and any(r.header and r.text == t.rows[0].text for pt in previous.tables for r in pt.rows))
            if continued and len(data) == 1 and not _ends_table(page, t):
                continue
            if continued and len(data) == 1:
                found.append(f"{where}: một dòng lẻ của bảng sang trang ({data[0].text[:40]})")
    return found


def _first_in_body(page: Page, table: Table) -> bool:
    return not any(w["bottom"] <= table.top + 1 for w in page.body_words())


def _last_in_body(page: Page, table: Table) -> bool:
    """Nothing is printed under the table on its page: what follows it is on the next page."""
    return not any(w["top"] >= table.bottom - 1 for w in page.body_words())


def _ends_table(page: Page, table: Table) -> bool:
    """The table's last row is its last (it does not run on to the next page)."""
    return table.bottom < page.height - FOOTER - 30


_TOKEN = re.compile(r"[\s\-/–—]+")


def tokens(text: str) -> Counter[str]:
    return Counter(t for t in _TOKEN.split(text) if t)


def missing_words(cells: list[str], pages: list[Page]) -> Counter[str]:
    """The words of ``cells`` the pages do not print (a text cut by its row or its column)."""
    printed: Counter[str] = Counter()
    for page in pages:
        printed.update(tokens(" ".join(w["text"] for w in page.body_words())))
    wanted: Counter[str] = Counter()
    for text in cells:
        wanted.update(tokens(text))
    return wanted - printed


def sheet_texts(workbook: Path, sheet: str) -> list[str]:
    """The text cells of a sheet as they print: inside its print area, outside hidden rows."""
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    ws = wb[sheet]
    last = ws.max_row
    if ws.print_area:
        last = int(re.findall(r"\$(\d+)", ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area)[-1])
    out = []
    for row in ws.iter_rows(min_row=1, max_row=last):
        for cell in row:
            if isinstance(cell.value, str) and not ws.row_dimensions[cell.row].hidden:
                out.append(cell.value)
    return out


def header_title(workbook: Path, sheet: str) -> str:
    """The right-hand page header of a sheet as it prints (its codes removed)."""
    import openpyxl

    text = openpyxl.load_workbook(workbook)[sheet].oddHeader.right.text or ""
    return re.sub(r"&\"[^\"]*\"|&\d+", "", text).replace("&&", "&").strip()


def cut_text(workbook: Path, pages: list[Page]) -> dict[str, Counter[str]]:
    """Per sheet, the words its cells hold that its printed pages do not show."""
    import openpyxl

    out = {}
    for sheet in openpyxl.load_workbook(workbook, read_only=True).sheetnames:
        title = " ".join(header_title(workbook, sheet).split())
        mine = [p for p in pages if p.title == title]
        assert mine, f"{sheet}: no printed page has the header {title!r}"
        missing = missing_words(sheet_texts(workbook, sheet), mine)
        if missing:
            out[sheet] = missing
    return out
