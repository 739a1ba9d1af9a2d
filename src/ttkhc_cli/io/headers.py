"""Finding the header row of an export: banners above it, merged two-row headers, numbering rows.

Exports put a title banner ("DANH SÁCH HỒ SƠ…", "Từ ngày … đến ngày …") above the header and
sometimes split it over two rows with merged cells ("Ngày" over "Tiếp nhận | Hẹn trả"). The
header is the row (or pair of rows) whose cells match the most known column names; reading
the whole sheet waits until it is found (the two-pass approach readxl's maintainers advise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ttkhc_cli.domain.fields import alias_key, alias_table
from ttkhc_cli.domain.text import fold

SCAN_ROWS = 40
_PAREN = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class HeaderGuess:
    row: int  # 0-based index in the grid of the (last) header row
    rows: int  # 1 or 2 header rows
    labels: list[str]  # one label per column ("" where blank), two-row labels combined
    score: int


def match_field(label: str, table: dict[str, str]) -> str | None:
    """The field a header names: exactly by alias, or with a parenthetical note removed."""
    key = alias_key(label)
    if key in table:
        return table[key]
    bare = alias_key(_PAREN.sub(" ", label))
    if bare and bare in table:
        return table[bare]
    return None


def _cell(grid: list[list[object]], r: int, c: int) -> str:
    if r >= len(grid) or c >= len(grid[r]):
        return ""
    v = grid[r][c]
    return "" if v is None else str(v).strip()


def _score(labels: list[str], table: dict[str, str]) -> int:
    return len({f for f in (match_field(x, table) for x in labels if x) if f})


def combine_two_rows(grid: list[list[object]], r: int, width: int) -> list[str]:
    """Labels of a two-row header: the top cell (carried across its merge) joined to the one below."""
    labels, parent = [], ""
    for c in range(width):
        top, below = _cell(grid, r, c), _cell(grid, r + 1, c)
        if top:
            parent = top
        if below:
            labels.append(f"{parent} {below}".strip() if parent else below)
        else:
            labels.append(top)
            if not top:
                parent = ""
    return labels


def _best_two_row(grid, r: int, width: int, table) -> list[str]:
    """Per column, the better of the combined label and the lower label alone."""
    combined = combine_two_rows(grid, r, width)
    out = []
    for c in range(width):
        below = _cell(grid, r + 1, c)
        if below and match_field(below, table) and not match_field(combined[c], table):
            out.append(below)
        else:
            out.append(combined[c])
    return out


def guess(grid: list[list[object]], source: str = "cases", forced_row: int | None = None,
          extra: dict[str, str] | None = None) -> HeaderGuess | None:
    """The most plausible header in the first rows of a grid, or None when nothing matches.

    ``extra`` adds header keys the user mapped with --columns, so that a header the built-in
    aliases do not know still counts toward finding its row.
    """
    table = {**alias_table(source), **(extra or {})}
    width = max((len(r) for r in grid), default=0)
    candidates = range(len(grid)) if forced_row is None else [forced_row]
    best: HeaderGuess | None = None
    for r in candidates:
        if r >= len(grid):
            continue
        one = [_cell(grid, r, c) for c in range(width)]
        options = [HeaderGuess(r, 1, one, _score(one, table))]
        if r + 1 < len(grid) and sum(bool(x) for x in one) >= 2 and _looks_like_subheader(grid, r + 1, width):
            two = _best_two_row(grid, r, width, table)
            lower = [_cell(grid, r + 1, c) for c in range(width)]
            # Two rows only when they name more fields than the lower row alone.
            if _score(two, table) > _score(lower, table):
                options.append(HeaderGuess(r + 1, 2, two, _score(two, table)))
        for opt in options:
            if best is None or opt.score > best.score:
                best = opt
    if best is None or (forced_row is None and best.score < 2):
        return None
    return best


def _looks_like_subheader(grid, r: int, width: int) -> bool:
    """A row of text labels (not data, not column numbers) below a possible header row."""
    cells = [_cell(grid, r, c) for c in range(width)]
    filled = [c for c in cells if c]
    if not filled:
        return False
    return not any(_is_number(c) for c in filled) and not all(_is_dateish(c) for c in filled)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"\(?-?\d+(\.\d+)?\)?", text.strip()))


def _is_dateish(text: str) -> bool:
    return bool(re.match(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", text))


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


def is_totals_label(value: object) -> bool:
    """ "Tổng cộng", "Tổng số: 1.500 hồ sơ", "Cộng" — not "Công dân…" nor a procedure name."""
    return bool(_TOTALS.match(fold(value)))
