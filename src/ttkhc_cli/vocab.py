"""The words exports use for flags and categories, folded to a small set of codes.

Each parser takes one cell value and returns a code, ``None`` for an empty cell, or
``INVALID`` when the text is not one it knows: an unknown value is reported, never guessed.
Filters in target files go through the same parsers, so "Trực tuyến" and "online" are one.
"""

from __future__ import annotations

import re
from typing import Callable

from ttkhc_cli.textfold import fold

INVALID = object()

_CHECKMARKS = {"✓", "✔", "☑", "☒", "✗", "√"}
_TRUE = {"co", "x", "v", "1", "true", "yes", "y", "dung", "dat", "roi", "ok", "t"}
_FALSE = {"khong", "0", "false", "no", "n", "chua", "sai", "f", "k"}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or fold(value) == "" and str(value).strip() not in _CHECKMARKS


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
    if "buu" in key:
        return "postal"
    if "truc tiep" in key or "mot cua" in key or "tai quay" in key or "tai bo phan" in key:
        return "direct"
    return INVALID


STATUSES = ("received", "processing", "supplement", "completed", "returned", "rejected", "withdrawn", "stopped")
TERMINAL = frozenset({"completed", "returned", "rejected", "withdrawn", "stopped"})
COMPLETED = frozenset({"completed", "returned"})

_STATUS_RULES: tuple[tuple[str, str], ...] = (
    (r"\brut\b", "withdrawn"),
    (r"\b(dung|tam dung|huy)\b.*\b(xu ly|giai quyet|ho so)\b|^(dung|huy)$", "stopped"),
    (r"khong (duoc )?tiep nhan|tu choi|\btra lai\b|khong du dieu kien|khong giai quyet", "rejected"),
    (r"\bcho tra ket qua\b", "completed"),
    (r"\b(da )?tra ket qua\b|^da tra\b|\bda giao ket qua\b", "returned"),
    (r"\bbo sung\b", "supplement"),
    (r"\bnghia vu tai chinh\b", "processing"),
    (r"^(da )?(xu ly xong|hoan thanh|giai quyet xong)|\bda (xu ly|giai quyet)\b|\bco ket qua\b|\bket thuc\b", "completed"),
    (r"dang ky|^moi\b", "received"),
    (r"\b(dang|cho|chua)\b|chuyen xu ly|trinh ky|phe duyet|tham dinh|xu ly", "processing"),
    (r"tiep nhan", "received"),
)
_STATUS_COMPILED = tuple((re.compile(p), code) for p, code in _STATUS_RULES)


def parse_status(value: object) -> object:
    """A system's status text -> one of STATUSES (the first rule that matches wins)."""
    if _blank(value):
        return None
    key = fold(value)
    if key.replace(" ", "_") in STATUSES:
        return key.replace(" ", "_")
    for pattern, code in _STATUS_COMPILED:
        if pattern.search(key):
            return code
    return INVALID


TIMINGS = ("early", "on_time", "late", "pending_in_time", "pending_overdue")


def parse_timing(value: object) -> object:
    """Trước hạn / Đúng hạn / Quá hạn / Trễ hạn / Trong hạn -> timing codes."""
    if _blank(value):
        return None
    key = fold(value)
    if key.replace(" ", "_") in TIMINGS:
        return key.replace(" ", "_")
    if "truoc han" in key or "som han" in key:
        return "early"
    if "dung han" in key:
        return "on_time"
    if "qua han" in key or "tre han" in key or "cham" in key or "tre" == key:
        return "late"
    if "trong han" in key or "con han" in key or "chua den han" in key or "chua qua han" in key:
        return "pending_in_time"
    return INVALID


def parse_level(value: object) -> object:
    """Cấp xã / huyện / tỉnh (with their synonyms) -> xa / huyen / tinh."""
    if _blank(value):
        return None
    key = fold(value)
    if re.search(r"\b(huyen|quan|thi xa|thanh pho)\b", key):
        return "huyen"
    if re.search(r"\b(xa|phuong|thi tran)\b", key):
        return "xa"
    if re.search(r"\b(tinh|so|trung uong)\b", key):
        return "tinh"
    return INVALID


RATINGS = ("very_satisfied", "satisfied", "neutral", "unsatisfied")


def parse_rating(value: object) -> object:
    """Rất hài lòng / Hài lòng / Bình thường / Không hài lòng -> rating codes."""
    if _blank(value):
        return None
    key = fold(value)
    if key.replace(" ", "_") in RATINGS:
        return key.replace(" ", "_")
    if "khong hai long" in key or "chua hai long" in key:
        return "unsatisfied"
    if "rat hai long" in key:
        return "very_satisfied"
    if "hai long" in key:
        return "satisfied"
    if "binh thuong" in key or "chap nhan" in key:
        return "neutral"
    return INVALID


def parse_secrecy(value: object) -> object:
    """Độ mật: Thường (or empty) / Mật / Tối mật / Tuyệt mật -> normal / secret / top_secret."""
    if _blank(value):
        return "normal"
    key = fold(value)
    if key in {"normal", "secret", "top_secret"}:
        return key
    if key in {"thuong", "khong", "khong mat", "binh thuong"}:
        return "normal"
    if "toi mat" in key or "tuyet mat" in key:
        return "top_secret"
    if key == "mat" or key.endswith(" mat"):
        return "secret"
    return INVALID


def parse_direction(value: object) -> object:
    """Văn bản đến / Văn bản đi -> incoming / outgoing."""
    if _blank(value):
        return None
    key = fold(value)
    if key in {"incoming", "outgoing"}:
        return key
    if re.search(r"\bden\b", key):
        return "incoming"
    if re.search(r"\bdi\b", key):
        return "outgoing"
    return INVALID


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

CODES: dict[str, tuple[str, ...]] = {
    "channel": ("online", "direct", "postal"),
    "status": STATUSES,
    "timing": TIMINGS,
    "level": ("xa", "huyen", "tinh"),
    "rating": RATINGS,
    "secrecy": ("normal", "secret", "top_secret"),
    "direction": ("incoming", "outgoing"),
}
