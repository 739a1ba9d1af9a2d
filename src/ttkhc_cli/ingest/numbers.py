"""Money and counts as offices write them: "50.000", "50,000 đ", "15.000,50", "15 ngày", "Miễn phí".

Vietnamese Windows writes 15.000,50 (thousands dots, decimal comma); other systems write
15,000.50. The decimal mark is decided per column from the values that say it plainly (both
marks in one value, or one mark followed by one or two digits); a column that shows both
conventions is reported. "15.000" alone is fifteen thousand unless the column's decimal mark
is the dot.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ttkhc_cli.domain.folding import fold
from ttkhc_cli.ingest import vocab

_MONEY_WORDS = re.compile(r"(vnđ|vnd|đồng|đ|dong|d)\s*$|^\s*(vnđ|vnd)", re.IGNORECASE)
_GROUPED = re.compile(r"-?\d{1,3}(?P<t>[.,])\d{3}((?P=t)\d{3})*")
_BOTH = re.compile(r"-?\d{1,3}(?P<t>[.,])\d{3}((?P=t)\d{3})*(?P<d>[.,])\d+")
_PLAIN = re.compile(r"-?\d+((?P<d>[.,])\d+)?")
_FREE = {"mien phi", "mien", "khong", "khong co", "0 d", "khong thu phi"}
_SOME = {"co", "x", "co phi", "co thu phi"}


def _core(text: str) -> str:
    return _MONEY_WORDS.sub("", text).strip().replace(" ", "").replace("\u00a0", "")


def decimal_vote(text: str) -> str | None:
    """The decimal mark a value shows plainly ("," or "."), or None when it does not say."""
    core = _core(unicodedata.normalize("NFC", str(text)).strip())
    both = _BOTH.fullmatch(core)
    if both and both.group("t") != both.group("d"):
        return both.group("d")
    if _GROUPED.fullmatch(core):
        if len(re.findall(r"[.,]", core)) > 1:  # 1.250.000: the dot groups thousands
            return "," if core.count(".") else "."
        return None  # 15.000: fifteen thousand, or fifteen with three decimals
    plain = _PLAIN.fullmatch(core)
    return plain.group("d") if plain and plain.group("d") else None


def decimal_mark(values: Iterable[object]) -> tuple[str | None, bool]:
    """A column's decimal mark from its values, and whether it mixes both conventions."""
    votes = {",": 0, ".": 0}
    for v in values:
        if isinstance(v, str):
            mark = decimal_vote(v)
            if mark:
                votes[mark] += 1
    if not any(votes.values()):
        return None, False
    mark = "," if votes[","] >= votes["."] else "."
    return mark, bool(votes[","] and votes["."])


def parse_money(value: object, decimal: str | None = None) -> object:
    """'50.000', '50,000 đ', '50000', 50000 -> 50000.0; 'Miễn phí'/'Không' -> 0; 'Có' -> 1.

    ``decimal`` is the column's decimal mark when known; it decides "15.000" (fifteen, when the
    dot is the column's decimal mark; fifteen thousand otherwise).
    """
    if vocab.blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = unicodedata.normalize("NFC", str(value)).strip()
    key = fold(text)
    if key in _FREE:
        return 0.0
    if key in _SOME:
        return 1.0
    return _number(_core(text), decimal)


def _number(core: str, decimal: str | None) -> object:
    both = _BOTH.fullmatch(core)
    if both and both.group("t") != both.group("d"):
        return float(core.replace(both.group("t"), "").replace(both.group("d"), "."))
    grouped = _GROUPED.fullmatch(core)
    if grouped:
        sep = grouped.group("t")
        if decimal == sep and core.count(sep) == 1:
            return float(core.replace(sep, "."))
        return float(core.replace(sep, ""))
    if _PLAIN.fullmatch(core):
        return float(core.replace(",", "."))
    return vocab.INVALID


def parse_number(value: object, decimal: str | None = None) -> object:
    """A processing time or count: 15, "15", "15 ngày", "15 ngày làm việc", "1,5" -> a float."""
    if vocab.blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if not text:
        return None
    m = re.match(r"^(-?[\d.,]*\d)(.*)$", text)
    if m and (not m.group(2).strip() or fold(m.group(2)).startswith("ngay")):
        return _number(m.group(1), decimal)
    return vocab.INVALID
