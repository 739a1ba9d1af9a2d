"""The words exports use for flags and categories, folded to a small set of codes.

Each parser takes one cell value and returns a code, ``None`` for an empty cell, or
``INVALID`` when the text is not one it knows: an unknown value is reported, never guessed.
Filters in target files go through the same parsers, so "Trực tuyến" and "online" are one.
"""

from __future__ import annotations

import re
from typing import Callable

from ttkhc_cli.domain.codes import (
    DIRECTIONS,
    LEVELS,
    RATINGS,
    SECRECY,
    STATUSES,
    TIMINGS,
)
from ttkhc_cli.domain.text import fold

INVALID = object()

_CHECKMARKS = {"✓", "✔", "☑", "☒", "✗", "√"}
_TRUE = {"co", "x", "v", "1", "true", "yes", "y", "dung", "dat", "roi", "ok", "t", "thanh cong",
         # a payment-method column read as "paid online":
         "truc tuyen", "online", "chuyen khoan", "vi dien tu", "the", "qr", "cong thanh toan"}
_FALSE = {"khong", "0", "false", "no", "n", "chua", "sai", "f", "k", "mien phi", "khong thu phi", "mien",
          "that bai", "loi", "tien mat", "truc tiep"}


_NOTHING = re.compile(r"^[\s\-–—./]*$")


def _blank(value: object) -> bool:
    """An empty cell, or one holding only a dash, dot or slash (how exports write "nothing")."""
    return value is None or (isinstance(value, float) and value != value) or bool(_NOTHING.match(str(value)))


def parse_flag(value: object) -> object:
    """Có/Không, Đã/Chưa, x/blank, 1/0, True/False, "Đã thanh toán"... -> True/False."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value == value:
        return True if value == 1 else False if value == 0 else INVALID
    if _blank(value):
        return False
    raw = str(value).strip()
    if raw in _CHECKMARKS:
        return raw not in {"☒", "✗"}
    key = fold(raw)
    if key in _TRUE or key in {"1 0"}:
        return True
    if key in _FALSE or key == "0 0":
        return False
    first = key.split(" ", 1)[0]
    if key.startswith(("co le", "co the", "chua ro", "khong ro", "da huy")):
        return INVALID  # "maybe", "unclear": not a yes or a no
    if first in {"da", "co"}:
        return True
    if first in {"chua", "khong"}:
        return False
    return INVALID


_CHANNEL_CODES = {"1": "direct", "2": "online", "3": "postal"}


def parse_channel(value: object) -> object:
    """Channel text or code 1/2/3 -> online/direct/postal; empty means direct (reference §2)."""
    if isinstance(value, (int, float)) and value == value and not isinstance(value, bool):
        return _CHANNEL_CODES.get(str(int(value)) if float(value).is_integer() else "", INVALID)
    if _blank(value):
        return "direct"
    key = fold(value)
    if key in _CHANNEL_CODES or key in {"1 0", "2 0", "3 0"}:
        return _CHANNEL_CODES[key[0]]
    if key in {"online", "direct", "postal"}:
        return key
    if "truc tuyen" in key or "online" in key or "dvc" in key or "dich vu cong" in key or "mang" in key:
        return "online"
    if "buu" in key or "bcci" in key:
        return "postal"
    if "truc tiep" in key or "mot cua" in key or "tai quay" in key or "tai bo phan" in key:
        return "direct"
    return INVALID


def _rules(*pairs: tuple[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p), code) for p, code in pairs)


def _coded(value: object, codes: tuple[str, ...], rules, blank: object = None) -> object:
    """The code for a cell: a code itself, else the first rule whose pattern the folded text matches."""
    if _blank(value):
        return blank
    key = fold(value)
    if key.replace(" ", "_") in codes:
        return key.replace(" ", "_")
    for pattern, code in rules:
        if pattern.search(key):
            return code
    return INVALID


_STATUS = _rules(
    (r"\brut\b", "withdrawn"),
    (r"\b(dung|tam dung|huy)\b.*\b(xu ly|giai quyet|ho so)\b|^(dung|huy|da huy)$", "stopped"),
    (r"khong (duoc )?tiep nhan|tu choi|\btra lai\b|khong du dieu kien|khong giai quyet", "rejected"),
    (r"\bcho tra ket qua\b", "completed"),
    (r"\b(da )?tra ket qua\b|^da tra\b|\bda giao ket qua\b", "returned"),
    (r"\bbo sung\b", "supplement"),
    (r"\bnghia vu tai chinh\b", "processing"),
    (r"^(da )?(xu ly xong|hoan thanh|giai quyet xong)|\bda (xu ly|giai quyet|hoan thanh)\b|\bco ket qua\b|\bket thuc\b",
     "completed"),
    (r"dang ky|^moi\b", "received"),
    (r"\b(dang|cho|chua)\b|chuyen xu ly|trinh ky|phe duyet|tham dinh|xu ly|giai quyet", "processing"),
    (r"tiep nhan", "received"),
)
_TIMING = _rules(
    (r"truoc han|som han", "early"),
    (r"dung han", "on_time"),
    (r"qua han|tre han|\bcham\b|^tre$", "late"),
    (r"trong han|con han|chua den han|chua qua han", "pending_in_time"),
)
_LEVEL = _rules(
    (r"\b(huyen|quan|thi xa|thanh pho)\b", "huyen"),
    (r"\b(xa|phuong|thi tran)\b", "xa"),
    (r"\b(tinh|so|trung uong)\b", "tinh"),
)
_RATING = _rules(
    (r"khong hai long|chua hai long", "unsatisfied"),
    (r"rat hai long", "very_satisfied"),
    (r"hai long", "satisfied"),
    (r"binh thuong|chap nhan", "neutral"),
)
_SECRECY = _rules(
    (r"^(thuong|khong|khong mat|binh thuong)$", "normal"),
    (r"toi mat|tuyet mat", "top_secret"),
    (r"(^| )mat$", "secret"),
)
_DIRECTION = _rules((r"\bden\b", "incoming"), (r"\bdi\b", "outgoing"))


def parse_status(value: object) -> object:
    """A system's status text -> one of STATUSES (the first rule that matches wins)."""
    return _coded(value, STATUSES, _STATUS)


def parse_timing(value: object) -> object:
    """Trước hạn / Đúng hạn / Quá hạn / Trễ hạn / Trong hạn -> timing codes."""
    return _coded(value, TIMINGS, _TIMING)


def parse_level(value: object) -> object:
    """Cấp xã / huyện / tỉnh (with their synonyms) -> xa / huyen / tinh."""
    return _coded(value, LEVELS, _LEVEL)


def parse_rating(value: object) -> object:
    """Rất hài lòng / Hài lòng / Bình thường / Không hài lòng -> rating codes."""
    return _coded(value, RATINGS, _RATING)


def parse_secrecy(value: object) -> object:
    """Độ mật: Thường (or empty) / Mật / Tối mật / Tuyệt mật -> normal / secret / top_secret."""
    return _coded(value, SECRECY, _SECRECY, blank="normal")


def parse_direction(value: object) -> object:
    """Văn bản đến / Văn bản đi -> incoming / outgoing."""
    return _coded(value, DIRECTIONS, _DIRECTION)


PARSERS: dict[str, Callable[[object], object]] = {
    "flag": parse_flag,
    "channel": parse_channel,
    "status": parse_status,
    "timing": parse_timing,
    "level": parse_level,
    "rating": parse_rating,
    "secrecy": parse_secrecy,
    "direction": parse_direction,
}
