"""The Vietnamese words every output uses for codes: one place, so the terminal, CSV, Markdown
and the Excel report never disagree (ĐẠT / KHÔNG ĐẠT, "≥ 45%", the source and window names)."""

from __future__ import annotations

import re
from typing import Any

STATUS = {"pass": "ĐẠT", "fail": "KHÔNG ĐẠT", "no_data": "CHƯA CÓ DỮ LIỆU", "not_applicable": "KHÔNG ÁP DỤNG"}
STATUS_COUNTED = {"pass": "đạt", "fail": "không đạt", "no_data": "chưa có dữ liệu", "not_applicable": "không áp dụng"}


def status_counts(statuses: Any, noun: str = "") -> str:
    """ "9 đạt, 4 không đạt, 1 chưa có dữ liệu" (and "1 không áp dụng" when there is one)."""
    said = list(statuses)
    parts = [f"{sum(1 for s in said if s == k)}{' ' + noun if noun and k == 'pass' else ''} {w}"
             for k, w in STATUS_COUNTED.items() if k != "not_applicable" or k in said]
    return ", ".join(parts)
OPS = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}
SOURCES = {
    "cases": "Sổ theo dõi hồ sơ",
    "feedback": "Sổ phản ánh, kiến nghị",
    "documents": "Sổ văn bản",
    "manual": "Số liệu nhập tay",
}
WINDOWS = {
    "calendar": "theo tháng dương lịch",
    "nd09": "theo Nghị định 09/2019 (ngày 15 đến ngày 14)",
    "dates": "theo ngày chọn",
    "all": "toàn bộ dữ liệu",
}
SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo"}


def target(t: Any) -> str:
    """A threshold as the plan prints it: "≥ 45%", "= 100%" (from a result's threshold or the
    target file's JSON)."""
    op, value = (t["op"], t["value"]) if isinstance(t, dict) else (t.op, t.value)
    return f"{OPS[op]} {value:g}%"


def count(n: int | None) -> str:
    """A count as Vietnamese text writes it, with a dot between thousands ("1.501"); JSON and CSV
    keep plain numbers, Excel cells stay numbers."""
    return "" if n is None else f"{n:,}".replace(",", ".")


def ratio(numerator: int | None, denominator: int | None) -> str:
    """ "1.448/1.480" (nothing when there is no figure)."""
    return "" if denominator is None else f"{count(numerator)}/{count(denominator)}"


# How each log's rows are named where they are listed (explain, the report's worklist): a document
# is not a dossier, its number is not a dossier code, its date is not a receipt.
ROW_WORDS = {
    "cases": {"noun": "hồ sơ", "id": "Mã hồ sơ", "date": "Tiếp nhận", "what": "Thủ tục"},
    "feedback": {"noun": "phản ánh, kiến nghị", "id": "Mã PAKN", "date": "Tiếp nhận", "what": "Nội dung"},
    "documents": {"noun": "văn bản", "id": "Số, ký hiệu", "date": "Ngày văn bản", "what": "Trích yếu"},
}


def row_words(source: str) -> dict[str, str]:
    return ROW_WORDS.get(source, ROW_WORDS["cases"])


_OPTION = re.compile(r"\s*\(--[\w-]+\)")


def without_options(text: str) -> str:
    """A note as paper says it: the command-line option that would supply a figure ("chưa nhập
    số liệu (--inputs)") is for the screen, not for a report the chairman signs."""
    return _OPTION.sub("", text)
