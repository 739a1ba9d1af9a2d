"""Vietnamese alphabetical order: Đ after D, Ă and Â after A, tones after the letters.

Sorting by code points puts "Địa chính" after "Văn phòng" (Đ is U+0110, past every ASCII
letter). Lists an office reads (departments, units, sectors) follow the Vietnamese alphabet:
a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, then the tone (none, huyền, sắc,
hỏi, ngã, nặng) only where the letters are the same.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(ALPHABET)}
# The five tone marks, in the order dictionaries list them (no mark first).
_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}


@lru_cache(maxsize=65536)
def vi_key(text: str) -> tuple:
    """A sort key: letters by the Vietnamese alphabet, case ignored, then tones, then the text."""
    letters: list[tuple[int, int | str]] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", text).lower():
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        tone = next((_TONES[m] for m in marks if m in _TONES), 0)
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in _TONES))
        letters.append((0, _RANK[letter]) if letter in _RANK else (1 if letter.isalnum() else -1, letter))
        tones.append(tone)
    return tuple(letters), tuple(tones), text
