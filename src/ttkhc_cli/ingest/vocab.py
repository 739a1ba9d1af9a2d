"""The words exports use for flags and categories, read into a small set of codes.

The words live in the export profiles (data); this module only knows how to match them. A
cell's code is the one whose phrase, found as whole words in the cell, is the longest, so
"Chờ trả kết quả" (waiting for hand-over) is not "Trả kết quả" and "Tạm dừng xử lý" (paused)
is not "Dừng xử lý". Words are matched, never substrings: "Trực tiếp (công dân mang hồ sơ đến)"
holds "mang", not "mạng". A cell typed with diacritics is compared with diacritics; one typed
without is compared without. An unknown or ambiguous value is reported, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ttkhc_cli.domain.folding import fold

INVALID = object()
NONE_CODE = "none"  # a word the system writes for "no value" (a paused dossier's timing)
_RESERVED = {"blank", "true_first", "false_first", "unsure", NONE_CODE}
_NOTHING = re.compile(r"^[\s\-–—./]*$")
_WORDS = re.compile(r"[^\w]+", re.UNICODE)


_NULL_WORDS = {"null", "none", "nan", "nat"}  # how database dumps write an empty cell


def blank(value: object) -> bool:
    """An empty cell, or one holding only a dash, dot or slash (how exports write "nothing"), or
    a database dump's "NULL"."""
    if value is None or (isinstance(value, float) and value != value):
        return True
    text = str(value)
    return bool(_NOTHING.match(text)) or text.strip().lower() in _NULL_WORDS


def cell_text(value: object) -> str:
    """A cell as text: numbers without a spurious ".0" (Excel stores 2 as 2.0)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _lower(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().lower()


def _tokens(text: str) -> tuple[str, ...]:
    """Words of a lowercased text, diacritics kept (Vietnamese letters are word characters)."""
    return tuple(w for w in _WORDS.split(text.replace("_", " ")) if w)


def _folded(text: str) -> tuple[str, ...]:
    return tuple(fold(text).split())


def _has_marks(text: str) -> bool:
    """Whether a cell was typed with Vietnamese letters or symbols (then words keep their marks)."""
    return not text.isascii()


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(words[i:i + n] == phrase for i in range(len(words) - n + 1))


@dataclass(frozen=True)
class Tier:
    """One source of words (a field's own, a profile's, the common one): phrase → code."""

    phrases: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]  # (words, folded words, code)
    symbols: tuple[tuple[str, str], ...] = ()  # cells that are a symbol, not words: ("✓", "true")

    @classmethod
    def of(cls, words: Mapping[str, Sequence[str]]) -> Tier:
        out, symbols = [], []
        for code, phrases in words.items():
            if code in _RESERVED - {NONE_CODE}:
                continue
            for p in phrases:
                low = _lower(str(p))
                if low and _tokens(low):
                    out.append((_tokens(low), _folded(low), code))
                elif low:
                    symbols.append((low, code))
        return cls(tuple(out), tuple(symbols))

    def match(self, text: str) -> str | None | object:
        """The code of the longest phrase the text holds as whole words; INVALID when two codes tie.

        Returns None when no phrase is found (the next tier is asked).
        """
        for symbol, code in self.symbols:
            if text == symbol:
                return code
        marked = _has_marks(text)
        words = _tokens(text) if marked else _folded(text)
        if not words:
            return None
        best: dict[str, int] = {}
        exact: object = None
        for plain, folded, code in self.phrases:
            phrase = plain if marked else folded
            if not phrase:
                continue
            if phrase == words:
                exact = code if exact in (None, code) else INVALID
            elif _contains(words, phrase):
                best[code] = max(best.get(code, 0), len(phrase))
        if exact is not None:
            return exact
        if not best:
            return None
        top = max(best.values())
        codes = [c for c, n in best.items() if n == top]
        return codes[0] if len(codes) == 1 else INVALID


@dataclass(frozen=True)
class Vocabulary:
    """The words of one kind's codes, in tiers: a field's own words first, then the profile's,
    then the common ones. The first tier that recognises a cell decides."""

    kind: str
    tiers: tuple[Tier, ...]
    blank_code: str | None = None
    true_first: tuple[str, ...] = ()
    false_first: tuple[str, ...] = ()
    unsure: Tier = field(default_factory=lambda: Tier(()))

    @classmethod
    def build(cls, kind: str, layers: Sequence[Mapping[str, Sequence[str] | str]]) -> Vocabulary:
        """A vocabulary from word tables, most specific first (the reserved keys of each are merged)."""
        blank_code = next((str(x["blank"]) for x in layers if "blank" in x), None)
        true_first = tuple(w for x in layers for w in x.get("true_first", ()))
        false_first = tuple(w for x in layers for w in x.get("false_first", ()))
        unsure = Tier.of({"maybe": [w for x in layers for w in x.get("unsure", ())]})
        tiers = tuple(Tier.of({k: v for k, v in x.items() if not isinstance(v, str)}) for x in layers)
        return cls(kind, tiers, blank_code, tuple(_lower(w) for w in true_first),
                   tuple(_lower(w) for w in false_first), unsure)

    def code(self, value: object) -> object:
        """The code of a cell: a code, None for an empty cell (or a known "no value"), or INVALID."""
        if blank(value):
            return self._blank()
        text = _lower(cell_text(value))
        if self.kind == "flag":
            return self._flag(text)
        for tier in self.tiers:
            found = tier.match(text)
            if found is not None:
                return None if found == NONE_CODE else found
        return INVALID

    def _blank(self) -> object:
        if self.kind == "flag":
            return False  # a blank flag cell means "no" (reference §3)
        return self.blank_code

    def _flag(self, text: str) -> object:
        """Yes or no: whole-cell words, then the first word ("Đã thanh toán"), then words inside."""
        if self.unsure.match(text) is not None:
            return INVALID
        words = _tokens(text) if _has_marks(text) else _folded(text)
        for tier in self.tiers:
            exact = tier.match(text)
            if exact is not None and exact is not INVALID and _is_whole(tier, words, exact):
                return exact == "true"
        first = words[0] if words else ""
        marked = _has_marks(text)
        if first in (self.true_first if marked else tuple(fold(w) for w in self.true_first)):
            return True
        if first in (self.false_first if marked else tuple(fold(w) for w in self.false_first)):
            return False
        for tier in self.tiers:
            found = tier.match(text)
            if found is INVALID:
                return INVALID
            if found is not None:
                return found == "true"
        return INVALID


def _is_whole(tier: Tier, words: tuple[str, ...], code: object) -> bool:
    """Whether the cell is exactly one of the tier's phrases for ``code``."""
    return any((plain == words or folded == words) and c == code for plain, folded, c in tier.phrases)


Parser = Callable[[object], object]


@lru_cache(maxsize=256)
def _cached(kind: str, key: tuple) -> Vocabulary:
    return Vocabulary.build(kind, [dict(layer) for layer in key])


def vocabulary(kind: str, layers: Sequence[Mapping[str, Sequence[str] | str]]) -> Vocabulary:
    """A vocabulary, built once per distinct set of word tables."""
    key = tuple(tuple((k, tuple(v) if not isinstance(v, str) else v) for k, v in layer.items()) for layer in layers)
    return _cached(kind, key)
