"""Canonical fields of the three logs: names, Vietnamese labels and kinds.

The names are what target files count on; the labels are what the user sees in messages
("thiếu cột Ngày hẹn trả"). Which headers name a field is knowledge about exports, kept as data
in the export profiles (``ttkhc_cli/profiles``), not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ttkhc_cli.domain.folding import fold

Kind = Literal[
    "id", "text", "date", "flag", "money", "number",
    "channel", "status", "timing", "level", "rating", "secrecy", "direction",
]
Source = Literal["cases", "feedback", "documents"]


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind


@dataclass(frozen=True)
class Derived:
    """A field computed from others; ``requires`` is a list of any-of groups of raw fields."""

    name: str
    label: str
    kind: Kind
    requires: tuple[tuple[str, ...], ...] = field(default=())


CASE_FIELDS: tuple[Field, ...] = (
    Field("case_id", "Mã hồ sơ", "id"),
    Field("procedure_code", "Mã thủ tục", "text"),
    Field("procedure_name", "Tên thủ tục", "text"),
    Field("field", "Lĩnh vực", "text"),
    Field("department", "Bộ phận", "text"),
    Field("officer", "Cán bộ xử lý", "text"),
    Field("unit", "Đơn vị (xã, phường)", "text"),
    Field("province", "Tỉnh, thành phố", "text"),
    Field("level", "Cấp thực hiện", "level"),
    Field("applicant", "Người nộp", "text"),
    Field("submitted_at", "Ngày nộp", "date"),
    Field("received_at", "Ngày tiếp nhận", "date"),
    Field("due_at", "Ngày hẹn trả", "date"),
    Field("extended_due_at", "Ngày gia hạn", "date"),
    Field("processing_days", "Thời hạn giải quyết (ngày làm việc)", "number"),
    Field("completed_at", "Ngày có kết quả", "date"),
    Field("returned_at", "Ngày trả kết quả", "date"),
    Field("rejected_at", "Ngày từ chối", "date"),
    Field("withdrawn_at", "Ngày rút hồ sơ", "date"),
    Field("supplement_requested_at", "Ngày yêu cầu bổ sung", "date"),
    Field("supplement_received_at", "Ngày nhận bổ sung", "date"),
    Field("channel", "Kênh nộp", "channel"),
    Field("online_flag", "Trực tuyến", "flag"),
    Field("postal_flag", "Qua bưu chính", "flag"),
    Field("status", "Trạng thái", "status"),
    Field("timing_reported", "Tiến độ (theo hệ thống)", "timing"),
    Field("fee", "Phí, lệ phí", "money"),
    Field("paid_online", "Thanh toán trực tuyến", "flag"),
    Field("dossier_digitised", "Số hóa hồ sơ", "flag"),
    Field("result_digitised", "Số hóa kết quả", "flag"),
    Field("e_result", "Kết quả điện tử", "flag"),
    Field("synced", "Đồng bộ DVCQG", "flag"),
    Field("data_reused", "Tái sử dụng dữ liệu", "flag"),
    Field("data_store", "Kho dữ liệu cá nhân", "flag"),
    Field("population_data", "Dữ liệu dân cư (VNeID)", "flag"),
    Field("population_db", "Kết nối CSDL dân cư", "flag"),
    Field("rating", "Đánh giá", "rating"),
    Field("supplement_count", "Số lần bổ sung", "number"),
    Field("late_reason", "Lý do quá hạn", "text"),
    Field("apology", "Phiếu xin lỗi", "flag"),
)

FEEDBACK_FIELDS: tuple[Field, ...] = (
    Field("feedback_id", "Mã PAKN", "id"),
    Field("received_at", "Ngày tiếp nhận", "date"),
    Field("due_at", "Hạn xử lý", "date"),
    Field("handled_at", "Ngày xử lý xong", "date"),
    Field("status", "Trạng thái", "status"),
    Field("content", "Nội dung", "text"),
    Field("department", "Bộ phận", "text"),
)

DOCUMENT_FIELDS: tuple[Field, ...] = (
    Field("document_id", "Số, ký hiệu", "id"),
    Field("date", "Ngày văn bản", "date"),
    Field("direction", "Loại văn bản", "direction"),
    Field("secrecy", "Độ mật", "secrecy"),
    Field("electronic", "Xử lý trên môi trường mạng", "flag"),
    Field("department", "Bộ phận", "text"),
    Field("summary", "Trích yếu", "text"),
)

# Without this a case log cannot be counted at all: missing, it is an error, not a warning. (A log
# without dossier codes is usable: its rows are known by file and row.)
ESSENTIAL = ("received_at",)

FIELDS: dict[str, tuple[Field, ...]] = {
    "cases": CASE_FIELDS,
    "feedback": FEEDBACK_FIELDS,
    "documents": DOCUMENT_FIELDS,
}

_END = ("status", "completed_at", "returned_at", "rejected_at", "withdrawn_at")
# A dossier's timing is judged from its appointment, or taken from the system's own verdict.
_DUE = ("due_at", "processing_days", "_procedure_days", "timing_reported")
DERIVED: dict[str, tuple[Derived, ...]] = {
    "cases": (
        Derived("completed", "Hồ sơ đã có kết quả", "flag", (("status", "completed_at", "returned_at"),)),
        Derived("resolved", "Hồ sơ đã giải quyết", "flag", (_END,)),
        Derived("pending", "Hồ sơ đang giải quyết", "flag", (_END,)),
        Derived("end_at", "Ngày kết thúc", "date", (("completed_at", "returned_at", "rejected_at", "withdrawn_at"),)),
        Derived("timing", "Tiến độ", "timing", (_DUE, _END)),
        Derived("returns_document", "Thủ tục có kết quả là giấy tờ", "flag", ()),
        Derived("online", "Hồ sơ trực tuyến", "flag", (("channel", "online_flag", "postal_flag"),)),
    ),
    "feedback": (
        Derived("handled", "PAKN đã xử lý", "flag", (("handled_at", "status"),)),
        Derived("on_time", "PAKN xử lý đúng hạn", "flag", (("received_at", "due_at"), ("handled_at", "status"))),
    ),
    "documents": (
        Derived("secret", "Văn bản mật", "flag", (("secrecy",),)),
        Derived("incoming", "Văn bản đến", "flag", (("direction",),)),
    ),
}


def field_index(source: str) -> dict[str, Field | Derived]:
    """All fields a filter over ``source`` may name, raw and derived."""
    out: dict[str, Field | Derived] = {f.name: f for f in FIELDS[source]}
    out.update({d.name: d for d in DERIVED[source]})
    return out


def label(source: str, name: str) -> str:
    f = field_index(source).get(name)
    if f is not None:
        return f.label
    if name == "_procedure_days":
        return "Thời hạn giải quyết"
    return name


def alias_key(header: object) -> str:
    """The key headers and aliases are compared by: folded, without spaces."""
    return fold(header).replace(" ", "")
