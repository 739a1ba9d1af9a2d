"""Finding the header row of an export: banners above it, grouped two-row headers, numbering rows.

Exports put a title banner ("DANH SÁCH HỒ SƠ…", "Từ ngày … đến ngày …") above the header and
sometimes split it over two rows with merged cells ("Ngày, tháng, năm" over "Nhận hồ sơ | Hẹn
trả kết quả | Trả kết quả"). The header is the row (or pair of rows) whose cells name the most
fields. What names a field is the caller's knowledge (the export profiles), passed in as
``match``; reading the whole sheet waits until the header is found (the two-pass approach
readxl's maintainers advise).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ttkhc_cli.domain.folding import fold

SCAN_ROWS = 40
# A header names at least two fields: one cell that happens to say "lệ phí" is not a header.
MIN_FIELDS = 2
# match(label, group) -> the field the header names, or None.
Match = Callable[[str, "str | None"], "str | None"]


@dataclass(frozen=True)
class HeaderGuess:
    row: int  # 0-based index in the grid of the (last) header row
    rows: int  # 1 or 2 header rows
    labels: list[str]  # one label per column ("" where blank): the lower cell of a two-row header
    groups: list[str | None]  # the group above each label in a two-row header (None: no group)
    score: int


def _cell(grid: Sequence[Sequence[object]], r: int, c: int) -> str:
    if r >= len(grid) or c >= len(grid[r]):
        return ""
    v = grid[r][c]
    return "" if v is None else str(v).strip()


def _score(labels: list[str], groups: list[str | None], match: Match) -> int:
    return len({f for f in (match(x, g) for x, g in zip(labels, groups) if x) if f})


def two_rows(grid: Sequence[Sequence[object]], r: int, width: int) -> tuple[list[str], list[str | None]]:
    """Labels and groups of a two-row header: the top cell is carried across its merge and is the
    group of the cells below it; a column with nothing below is labelled by its top cell."""
    labels: list[str] = []
    groups: list[str | None] = []
    parent = ""
    for c in range(width):
        top, below = _cell(grid, r, c), _cell(grid, r + 1, c)
        if top:
            parent = top
        if below:
            labels.append(below)
            groups.append(parent or None)
        else:
            labels.append(top)
            groups.append(None)
            if not top:
                parent = ""
    return labels, groups


def guess(grid: Sequence[Sequence[object]], match: Match, forced_row: int | None = None) -> HeaderGuess | None:
    """The most plausible header in the first rows of a grid, or None when nothing matches.

    ``forced_row`` (0-based) is a row the user named: the header is that row, or a two-row
    header it is part of (either of its rows may be named).
    """
    width = max((len(r) for r in grid), default=0)
    tops = range(len(grid)) if forced_row is None else [forced_row - 1, forced_row]
    best: HeaderGuess | None = None
    for r in tops:
        if r < 0 or r >= len(grid):
            continue
        for opt in _options(grid, r, width, match):
            named = forced_row is None or forced_row in (opt.row - opt.rows + 1, opt.row)
            if named and (best is None or opt.score > best.score):
                best = opt
    if best is None or best.score < MIN_FIELDS:
        return None
    return best


def _options(grid: Sequence[Sequence[object]], r: int, width: int, match: Match) -> list[HeaderGuess]:
    """Row r as a header, and rows r and r + 1 as a two-row header when the lower one looks like one."""
    one = [_cell(grid, r, c) for c in range(width)]
    none: list[str | None] = [None] * width
    options = [HeaderGuess(r, 1, one, none, _score(one, none, match))]
    if r + 1 < len(grid) and sum(bool(x) for x in one) >= 2 and _looks_like_subheader(grid, r + 1, width):
        labels, groups = two_rows(grid, r, width)
        lower = [_cell(grid, r + 1, c) for c in range(width)]
        two = _score(labels, groups, match)
        below = _score(lower, none, match)
        # Two rows when they name more fields than the lower row alone, or when the lower row is
        # a program's names for the labels above it (a Vietnamese row over API keys: one header
        # with two labels per column).
        bilingual = _identifiers(lower) and options[0].score >= MIN_FIELDS and below >= MIN_FIELDS
        if bilingual:
            options.insert(0, HeaderGuess(r + 1, 2, labels, groups, max(two, below, options[0].score)))
        elif two > below:
            # On a tie the two rows win when the lower one names fields itself under a group that
            # spans several columns: its labels ("Sớm hạn | Đúng hạn | Trễ hạn" under "Tiến độ")
            # are not to be lost.
            spanning = any(not _cell(grid, r, c) and _cell(grid, r + 1, c) and groups[c] for c in range(width))
            # …or names more columns ("Ngày | Giờ" under "Thời gian nhận đơn": the hours are columns too).
            more = _mapped(labels, groups, match) > _mapped(one, none, match)
            first = two >= options[0].score and spanning and (below or more)
            options.insert(0 if first else 1, HeaderGuess(r + 1, 2, labels, groups, two))
    return options


def _mapped(labels: list[str], groups: list[str | None], match: Match) -> int:
    """How many columns a header's labels name a field for."""
    return sum(1 for x, g in zip(labels, groups) if x and match(x, g))


def _identifiers(cells: list[str]) -> bool:
    """Whether most labels of a row are a program's names (dossierNo, NgayTiepNhan, ma_ho_so)."""
    filled = [c for c in cells if c]
    names = [c for c in filled if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.\[\]]*", c) and not c.isupper()]
    return len(filled) >= 2 and len(names) * 2 > len(filled)


def _looks_like_subheader(grid: Sequence[Sequence[object]], r: int, width: int) -> bool:
    """A row of text labels (not data, not column numbers) below a possible header row."""
    cells = [_cell(grid, r, c) for c in range(width)]
    filled = [c for c in cells if c]
    if not filled:
        return False
    # A row with a date, a number or a dossier code is data, however many of its cells are words
    # that name fields ("Trực tuyến", "Số hóa"): the first dossier is never taken for a header.
    return not any(_is_number(c) or _is_dateish(c) or _is_code(c) for c in filled)


def _is_code(text: str) -> bool:
    """A dossier code or a number with separators ("000.00.22.H35-240101-0001", "HS-01", "HS0001")."""
    t = text.strip()
    return len(t) >= 3 and " " not in t and bool(re.fullmatch(r"[\w.\-/]*\d[\w.\-/]*", t)) \
        and sum(ch.isdigit() for ch in t) >= 2


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"\(?-?\d+(\.\d+)?\)?", text.strip()))


def _is_dateish(text: str) -> bool:
    return bool(re.match(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", text))


def banner_lines(grid: Sequence[Sequence[object]], guess: HeaderGuess) -> list[str]:
    """The text of the rows above the header (the banner: unit, title, period), cell by cell,
    so that the log's own unit can be read from it."""
    first = guess.row + 1 - guess.rows
    out: list[str] = []
    for r in range(min(first, len(grid))):
        out += [str(v).strip() for v in grid[r] if v is not None and str(v).strip()]
    return out


def is_numbering_row(values: list[object]) -> bool:
    """The row "(1) (2) (3)…" or "1 2 3…" that forms print under their header."""
    filled = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if len(filled) < 3:
        return False
    nums = []
    for v in filled:
        m = re.fullmatch(r"\(?(\d+)(?:\.0)?\)?", v)
        if not m:
            return False
        nums.append(int(m.group(1)))
    return nums == sorted(nums) and len(set(nums)) == len(nums) and nums[0] <= 2


_TOTALS = re.compile(r"^(tong cong|tong so|tong|cong|total)( \d+.*| ho so.*| hs.*)?$|^(tong cong|tong so) ")
_CODE_LIKE = re.compile(r"^\s*\w+[-_/.]\d")


def is_totals_label(value: object) -> bool:
    """ "Tổng cộng", "Tổng số: 1.500 hồ sơ", "Cộng" — not "Công dân…", a procedure name, nor a
    dossier code that happens to start with the letters (CONG-001)."""
    return not _CODE_LIKE.match(str(value)) and bool(_TOTALS.match(fold(value)))


_NOTE = re.compile(r"^(ghi chu|chu thich|chu y|luu y|nguoi lap|nguoi ghi|nguoi ky|nguoi duyet|thu truong|lanh dao|"
                   r"xac nhan|ky ten|can bo lap|ke toan|chu tich|pho chu tich|tm |kt |ngay thang nam|note|notes)\b")


def is_note_label(value: object) -> bool:
    """A cell that labels a note or a signature under a table ("Ghi chú:", "Người lập biểu",
    "Thủ trưởng đơn vị"), or any short label ending with a colon — not a dossier code."""
    text = str(value).strip()
    if not text or _CODE_LIKE.match(text):
        return False
    return text.endswith(":") or bool(_NOTE.match(fold(text)))
