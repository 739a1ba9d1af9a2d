"""Vietnamese-aware text folding, so headers and values match however they were typed.

Exports spell the same header as "NGÀY HẸN TRẢ", "Ngày hẹn trả" or "ngay hen tra", in NFC or
NFD, with stray punctuation and double spaces. Everything that compares text goes through
``fold`` so that the comparison is without diacritics, case, punctuation or extra spaces.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def fold(text: object) -> str:
    """Fold text to lowercase ASCII words separated by single spaces ('' for empty)."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text)).replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return _NON_WORD.sub(" ", s).strip()




def column_letter(index: int) -> str:
    """Excel column letter for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
