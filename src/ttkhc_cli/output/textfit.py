"""How wide text is in Times New Roman, and how many lines it wraps to in a cell of a given width.

The report is set in Times New Roman (Liberation Serif, metric-compatible, where LibreOffice prints
it). Row heights and column widths computed from these advance widths match what LibreOffice and
Excel lay out, where a count of characters padded every row by a line or cut one. The table holds
the advance widths (1/1000 em) of ASCII and the other characters the report writes; a Vietnamese
letter with its marks is as wide as its base letter (the marks sit above or below it), which
``unicodedata`` gives. Generated from LiberationSerif-{Regular,Bold,Italic}.ttf with fontTools.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

CHARS = "".join(map(chr, range(32, 127))) + "đĐ–—«»•…≥≤×°“”‘’№·"  # ASCII, then the others the report writes
WIDTHS = {
    "regular": (
        250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500,
        500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722,
        722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333,
        278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
        500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541, 500, 722, 500, 1000, 500,
        500, 350, 1000, 549, 549, 564, 400, 444, 444, 333, 333, 954, 250
    ),
    "bold": (
        250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500,
        500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778,
        778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333,
        278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
        556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520, 556, 722, 500, 1000, 500,
        500, 350, 1000, 549, 549, 570, 400, 500, 500, 333, 333, 1005, 250
    ),
    "italic": (
        250, 333, 420, 500, 500, 833, 778, 214, 333, 333, 500, 675, 250, 333, 250, 278, 500, 500, 500, 500,
        500, 500, 500, 500, 500, 500, 333, 333, 675, 675, 675, 500, 920, 611, 611, 667, 722, 611, 611, 722,
        722, 333, 444, 667, 556, 833, 667, 722, 611, 722, 611, 500, 556, 722, 611, 833, 611, 556, 556, 389,
        278, 389, 422, 500, 333, 500, 500, 444, 500, 444, 278, 500, 500, 278, 278, 444, 278, 722, 500, 500,
        500, 500, 389, 389, 278, 500, 444, 667, 444, 444, 389, 400, 275, 400, 541, 500, 722, 500, 889, 500,
        500, 350, 889, 549, 549, 675, 400, 556, 556, 333, 333, 943, 250
    ),
}

EM = 1000
UNKNOWN = 1000  # a character outside the table (CJK, symbols): a full em, never narrower than drawn
_INDEX = {ch: k for k, ch in enumerate(CHARS)}

# How a column width (Excel's unit: characters of the default font's digit) becomes points.
# LibreOffice, measured on A4 with Times New Roman 11 as the default font: 5.5 pt per unit plus
# 3.9 pt; Excel: (7 px per unit + 5 px) at 96 dpi. Text wraps by the narrower of the two.
POINTS_PER_UNIT = 5.25
POINTS_PER_COLUMN = 3.75
LIBREOFFICE_PER_UNIT = 5.5
LIBREOFFICE_PER_COLUMN = 3.9
CELL_PADDING = 4.0  # points a cell keeps free of text, left and right together
LINE_FACTOR = 1.15  # a wrapped line's height, in font sizes (Times New Roman's ascent and descent)


def _style(bold: bool, italic: bool) -> str:
    return "bold" if bold else "italic" if italic else "regular"


@lru_cache(maxsize=4096)
def _char(ch: str, style: str) -> int:
    k = _INDEX.get(ch)
    if k is None:
        base = unicodedata.normalize("NFD", ch)[:1]
        if unicodedata.combining(ch):
            return 0
        k = _INDEX.get(base)
        if k is None:
            return UNKNOWN if unicodedata.east_asian_width(ch) in ("W", "F") or not ch.isprintable() else 600
    return WIDTHS[style][k]


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """The width of one line of ``text`` in points at ``size`` points."""
    return _units(text, _style(bold, italic)) * size / EM


@lru_cache(maxsize=65536)
def _units(text: str, style: str) -> int:
    """A text's width in the font's units: a sheet measures the same words (procedures, units,
    statuses) row after row, each once here."""
    return sum(_char(ch, style) for ch in text)


def column_points(units: float) -> float:
    """A column's width in points as it prints (the narrower of Excel and LibreOffice)."""
    return units * POINTS_PER_UNIT + POINTS_PER_COLUMN


def units_for(points: float) -> float:
    """The column width (Excel units) LibreOffice prints ``points`` wide."""
    return max((points - LIBREOFFICE_PER_COLUMN) / LIBREOFFICE_PER_UNIT, 0.0)


@lru_cache(maxsize=65536)
def line_count(text: str, width: float, size: float, bold: bool = False, italic: bool = False) -> int:
    """The lines ``text`` takes in a cell ``width`` points wide, wrapped at spaces as the
    spreadsheets do (a word longer than the line is broken inside), each paragraph on new lines."""
    room = max(width - CELL_PADDING, size)
    space = text_width(" ", size, bold, italic)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            w = text_width(word, size, bold, italic)
            if used and used + space + w > room:
                lines += 1
                used = 0.0
            used += (space if used else 0.0) + w
            while used > room:  # a word wider than the cell: the spreadsheets break it
                lines += 1
                used -= room
    return lines


def line_height(size: float) -> float:
    """The height of one wrapped line at ``size`` points."""
    return size * LINE_FACTOR


_SEPARATORS = "/\\_-.:"


def breakable(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` with a line break inside each word wider than a cell ``width`` points wide, after
    a separator where there is one (a path, a file name, a ratio): the spreadsheets never break a
    word of their own accord, they cut it."""
    room = max(width - CELL_PADDING, size)
    words = []
    for word in text.split(" "):
        lines = []
        while text_width(word, size, bold) > room:
            cut = 1
            while cut < len(word) and text_width(word[:cut + 1], size, bold) <= room:
                cut += 1
            after = max((word.rfind(s, 0, cut) for s in _SEPARATORS), default=-1)
            cut = after + 1 if after > 0 else cut
            lines.append(word[:cut])
            word = word[cut:]
        words.append("\n".join([*lines, word]))
    return " ".join(words)
