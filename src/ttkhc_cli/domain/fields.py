"""Canonical fields of the three logs, their Vietnamese labels, kinds and header aliases.

Reference §2 lists the headers seen in provincial exports. Aliases are compared after
``textfold.fold`` with spaces removed, so "NGÀY HẸN TRẢ", "ngay hen tra" and "NgayHenTra"
are one key. Labels are what the user sees in messages ("thiếu cột Ngày hẹn trả").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ttkhc_cli.domain.text import fold

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
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Derived:
    """A field computed from others; ``requires`` is a list of any-of groups of raw fields."""

    name: str
    label: str
    kind: Kind
    requires: tuple[tuple[str, ...], ...] = field(default=())


CASE_FIELDS: tuple[Field, ...] = (
    Field("case_id", "Mã hồ sơ", "id", (
        "Mã hồ sơ", "Số hồ sơ", "Mã HS", "Số HS", "Số biên nhận", "Mã số hồ sơ", "Số phiếu",
        "Mã biên nhận", "Số biên nhận hồ sơ", "MaHoSo", "SoHoSo", "dossierNo", "dossierCode",
    )),
    Field("procedure_code", "Mã thủ tục", "text", (
        "Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính", "MaTTHC", "MaThuTuc", "procedureCode",
    )),
    Field("procedure_name", "Tên thủ tục", "text", (
        "Tên TTHC", "Tên thủ tục", "Thủ tục", "Tên thủ tục hành chính", "Thủ tục hành chính",
        "TTHC", "Tên dịch vụ công", "Dịch vụ công", "Tên dịch vụ", "TenTTHC", "TenThuTuc", "procedureName",
    )),
    Field("field", "Lĩnh vực", "text", ("Lĩnh vực", "Tên lĩnh vực", "LinhVuc", "TenLinhVuc")),
    Field("department", "Bộ phận", "text", (
        "Bộ phận", "Bộ phận xử lý", "Đơn vị", "Đơn vị xử lý", "Cơ quan thụ lý", "Phòng ban",
        "Cơ quan giải quyết", "Đơn vị thụ lý", "Bộ phận chuyên môn", "Phòng ban xử lý", "Cơ quan xử lý",
        "DonVi", "DonViXuLy",
    )),
    Field("officer", "Cán bộ xử lý", "text", (
        "Cán bộ xử lý", "Người xử lý", "Chuyên viên", "Cán bộ thụ lý", "Công chức xử lý",
        "Người thụ lý", "Cán bộ tiếp nhận", "NguoiXuLy", "CanBoXuLy",
    )),
    Field("level", "Cấp thực hiện", "level", ("Cấp", "Cấp thực hiện", "Cấp giải quyết", "CapThucHien")),
    Field("applicant", "Người nộp", "text", (
        "Người nộp", "Tên người nộp", "Chủ hồ sơ", "Người đứng tên", "Tổ chức, cá nhân",
        "Tên tổ chức, cá nhân", "Người nộp hồ sơ", "Người đăng ký", "Tổ chức/Cá nhân", "Họ tên người nộp",
        "Họ và tên", "ChuHoSo",
    )),
    Field("submitted_at", "Ngày nộp", "date", (
        "Ngày nộp", "Ngày gửi", "Ngày đăng ký", "Ngày nộp hồ sơ", "Thời gian nộp", "NgayNopHoSo",
        "NgayNop", "NgayDangKy",
    )),
    Field("received_at", "Ngày tiếp nhận", "date", (
        "Ngày tiếp nhận", "Ngày nhận", "Ngày nhận hồ sơ", "Thời gian tiếp nhận", "Ngày giờ tiếp nhận",
        "Thời gian nhận",
        "Ngày tiếp nhận hồ sơ", "NgayTiepNhan", "NgayNhan",
    )),
    Field("due_at", "Ngày hẹn trả", "date", (
        "Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hạn xử lý", "Hạn giải quyết", "Ngày hẹn",
        "Hẹn trả", "Hẹn trả kết quả", "Thời hạn trả kết quả", "Ngày hết hạn", "Ngày hẹn trả KQ", "Hạn trả",
        "Hạn trả kết quả", "Hạn hoàn thành", "NgayHenTra",
        "HanXuLy", "HanGiaiQuyet",
    )),
    Field("processing_days", "Thời hạn giải quyết (ngày làm việc)", "number", (
        "Thời hạn giải quyết", "Số ngày giải quyết", "Thời gian giải quyết",
        "Thời hạn giải quyết (ngày)", "Thời gian giải quyết (ngày)", "Số ngày xử lý",
        "Số ngày làm việc", "ThoiHanGiaiQuyet", "SoNgayGiaiQuyet",
    )),
    Field("completed_at", "Ngày có kết quả", "date", (
        "Ngày có kết quả", "Ngày hoàn thành", "Ngày kết thúc xử lý", "Ngày xử lý xong",
        "Ngày giải quyết xong", "Ngày kết thúc", "Ngày hoàn thành xử lý", "Ngày ký",
        "Ngày có kết quả xử lý", "NgayKetThucXuLy", "NgayHoanThanh", "NgayCoKetQua",
    )),
    Field("returned_at", "Ngày trả kết quả", "date", (
        "Ngày trả", "Ngày trả kết quả", "Ngày đã trả", "Ngày trả kết quả thực tế",
        "Ngày trả thực tế", "Ngày trả KQ", "NgayTra", "NgayTraKetQua",
    )),
    Field("channel", "Kênh nộp", "channel", (
        "Kênh nộp", "Hình thức nộp", "Kênh thực hiện", "Hình thức tiếp nhận", "Kênh tiếp nhận",
        "Hình thức nộp hồ sơ", "Nguồn hồ sơ", "Kênh", "KenhThucHien", "HinhThucNop",
    )),
    Field("online_flag", "Trực tuyến", "flag", (
        "Trực tuyến", "Nộp trực tuyến", "Hồ sơ trực tuyến", "Là hồ sơ trực tuyến", "LaHoSoTrucTuyen",
    )),
    Field("status", "Trạng thái", "status", (
        "Trạng thái", "Tình trạng", "Trạng thái hồ sơ", "Tình trạng hồ sơ", "Trạng thái xử lý",
        "Tình trạng xử lý", "TrangThaiHoSo", "TrangThai",
    )),
    Field("timing_reported", "Tiến độ (theo hệ thống)", "timing", (
        "Tiến độ", "Tiến độ xử lý", "Tình hình giải quyết", "Đúng hạn/Quá hạn",
        "Trạng thái hạn", "Tình trạng hạn", "Đánh giá tiến độ", "Hạn", "TienDo",
    )),
    Field("fee", "Phí, lệ phí", "money", (
        "Phí", "Lệ phí", "Có phí", "Phí, lệ phí", "Phí lệ phí", "Số tiền", "Số tiền phí",
        "Tổng phí", "Tổng tiền", "Phí/Lệ phí", "LePhi", "PhiLePhi",
    )),
    Field("paid_online", "Thanh toán trực tuyến", "flag", (
        "Thanh toán trực tuyến", "Đã thanh toán trực tuyến", "Thanh toán TT", "TT trực tuyến",
        "Thanh toán online", "Hình thức thanh toán", "DuocThanhToanTrucTuyen", "ThanhToanTrucTuyen",
    )),
    Field("dossier_digitised", "Số hóa hồ sơ", "flag", (
        "Số hóa", "Số hóa hồ sơ", "Số hoá hồ sơ", "Hồ sơ số hóa", "Đã số hóa hồ sơ",
        "Số hóa thành phần hồ sơ", "HoSoCoThanhPhanSoHoa",
    )),
    Field("result_digitised", "Số hóa kết quả", "flag", (
        "Số hóa kết quả", "Kết quả số hóa", "Đã số hóa kết quả", "Số hóa kết quả giải quyết",
        "KetQuaSoHoa", "DaSoHoaKetQua",
    )),
    Field("e_result", "Kết quả điện tử", "flag", (
        "Kết quả điện tử", "Cấp kết quả điện tử", "Đã ký số", "Ký số", "Bản điện tử",
        "Kết quả bản điện tử", "KetQuaDienTu",
    )),
    Field("synced", "Đồng bộ DVCQG", "flag", (
        "Đồng bộ", "Đồng bộ DVCQG", "Đã đồng bộ", "Đồng bộ Cổng DVCQG", "Đồng bộ cổng DVC quốc gia",
        "Đồng bộ lên DVCQG", "DongBo", "DaDongBo",
    )),
    Field("data_reused", "Tái sử dụng dữ liệu", "flag", (
        "Tái sử dụng", "Khai thác dữ liệu", "Sử dụng lại dữ liệu", "Tái sử dụng dữ liệu",
        "Khai thác, sử dụng lại dữ liệu", "TaiSuDung",
    )),
    Field("rating", "Đánh giá", "rating", (
        "Đánh giá", "Mức độ hài lòng", "Kết quả đánh giá", "Đánh giá hài lòng", "DanhGia",
    )),
    Field("supplement_count", "Số lần bổ sung", "number", (
        "Số lần bổ sung", "Số lần yêu cầu bổ sung", "SoLanBoSung",
    )),
    Field("late_reason", "Lý do quá hạn", "text", (
        "Lý do quá hạn", "Lý do trễ hạn", "Lý do chậm", "Nguyên nhân quá hạn", "LyDoQuaHan",
    )),
    Field("apology", "Phiếu xin lỗi", "flag", (
        "Phiếu xin lỗi", "Đã xin lỗi", "Xin lỗi", "Văn bản xin lỗi", "Thư xin lỗi",
    )),
)

FEEDBACK_FIELDS: tuple[Field, ...] = (
    Field("feedback_id", "Mã PAKN", "id", (
        "Mã PAKN", "Số PAKN", "Mã phản ánh", "Số phản ánh", "Mã phản ánh kiến nghị",
    )),
    Field("received_at", "Ngày tiếp nhận", "date", (
        "Ngày tiếp nhận", "Ngày nhận", "Ngày gửi", "Ngày phản ánh",
    )),
    Field("due_at", "Hạn xử lý", "date", ("Hạn xử lý", "Hạn trả lời", "Hạn giải quyết", "Ngày hẹn trả")),
    Field("handled_at", "Ngày xử lý xong", "date", (
        "Ngày xử lý xong", "Ngày trả lời", "Ngày hoàn thành", "Ngày xử lý", "Ngày kết thúc",
    )),
    Field("status", "Trạng thái", "status", ("Trạng thái", "Tình trạng")),
    Field("content", "Nội dung", "text", ("Nội dung", "Tiêu đề", "Nội dung phản ánh", "Nội dung PAKN")),
    Field("department", "Bộ phận", "text", ("Bộ phận", "Đơn vị", "Đơn vị xử lý", "Bộ phận xử lý")),
)

DOCUMENT_FIELDS: tuple[Field, ...] = (
    Field("document_id", "Số, ký hiệu", "id", (
        "Số, ký hiệu", "Số ký hiệu", "Số/Ký hiệu", "Số văn bản", "Ký hiệu", "Số hiệu",
    )),
    Field("date", "Ngày văn bản", "date", ("Ngày văn bản", "Ngày đến", "Ngày ban hành", "Ngày", "Ngày đi")),
    Field("direction", "Loại văn bản", "direction", ("Loại", "Loại văn bản", "Văn bản đến/đi", "Đến/Đi")),
    Field("secrecy", "Độ mật", "secrecy", ("Độ mật", "Mức độ mật", "Độ bảo mật")),
    Field("electronic", "Xử lý trên môi trường mạng", "flag", (
        "Xử lý trên môi trường mạng", "Văn bản điện tử", "Ký số", "Xử lý trên mạng",
        "Điện tử", "Xử lý điện tử",
    )),
    Field("department", "Bộ phận", "text", ("Bộ phận", "Đơn vị", "Đơn vị xử lý", "Nơi nhận")),
    Field("summary", "Trích yếu", "text", ("Trích yếu", "Trích yếu nội dung", "Nội dung")),
)

# Without these a case log cannot be counted at all: a missing one is an error, not a warning.
ESSENTIAL = ("case_id", "received_at")

FIELDS: dict[str, tuple[Field, ...]] = {
    "cases": CASE_FIELDS,
    "feedback": FEEDBACK_FIELDS,
    "documents": DOCUMENT_FIELDS,
}

_END = ("status", "completed_at", "returned_at")
_DUE = ("due_at", "processing_days", "_procedure_days")
DERIVED: dict[str, tuple[Derived, ...]] = {
    "cases": (
        Derived("completed", "Hồ sơ đã có kết quả", "flag", (("status", "completed_at", "returned_at"),)),
        Derived("resolved", "Hồ sơ đã giải quyết", "flag", (_END,)),
        Derived("pending", "Hồ sơ đang giải quyết", "flag", (_END,)),
        Derived("end_at", "Ngày kết thúc", "date", (("completed_at", "returned_at"),)),
        Derived("timing", "Tiến độ", "timing", (_DUE, _END)),
        Derived("returns_document", "Thủ tục có kết quả là giấy tờ", "flag", ()),
        Derived("online", "Hồ sơ trực tuyến", "flag", (("channel", "online_flag"),)),
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


def alias_table(source: str) -> dict[str, str]:
    """Folded alias -> canonical field name for one log."""
    table: dict[str, str] = {}
    for f in FIELDS[source]:
        table[alias_key(f.label)] = f.name
        table[alias_key(f.name)] = f.name
        for a in f.aliases:
            table[alias_key(a)] = f.name
    return table
