"""Every finding code, once: its severity, Vietnamese title, what it means and its message.

Codes are stable (scripts filter on them, the README lists them), so a finding can only carry a
code this catalogue knows (``Finding`` checks), and the README's table is generated from here.
Messages are templates filled with the finding's own values ({value} is the cell as typed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Entry:
    code: str
    severity: str
    title: str
    description: str
    template: str


def _entries(*rows: tuple[str, str, str, str, str]) -> dict[str, Entry]:
    return {r[0]: Entry(*r) for r in rows}


_KINDS = {
    "flag": "giá trị có/không", "channel": "kênh nộp", "status": "trạng thái", "timing": "tiến độ",
    "level": "cấp", "rating": "mức độ hài lòng", "secrecy": "độ mật", "direction": "loại văn bản",
    "money": "số tiền", "number": "số",
}

CATALOGUE: dict[str, Entry] = _entries(
    # Reading the file
    ("unclosed-quote", ERROR, "Dấu nháy không đóng",
     "Một dòng CSV mở dấu nháy kép mà không đóng; dòng được đọc lại bỏ dấu nháy, các dòng sau vẫn đọc.",
     'dòng có dấu nháy kép (") mở mà không đóng: đọc dòng này bỏ dấu nháy; các dòng sau vẫn được đọc'),
    ("excel-error", ERROR, "Ô lỗi Excel",
     "Ô chứa lỗi công thức (#N/A, #VALUE!…): không có giá trị, không bị coi là ô trống.",
     "ô lỗi Excel {value}: không có giá trị; sửa công thức trong Excel rồi lưu lại"),
    ("uncalculated-formula", ERROR, "Công thức chưa tính",
     "Tệp do chương trình không tính công thức tạo ra: ô có công thức nhưng không có kết quả.",
     "ô có công thức chưa được tính; mở tệp bằng Excel và lưu lại"),
    ("identical-files", WARNING, "Hai tệp giống hệt nhau",
     "Cùng một nội dung được đưa vào hai lần dưới hai tên: hồ sơ có thể bị tính hai lần.",
     "nội dung giống hệt tệp {other}: các hồ sơ có thể bị tính hai lần"),
    # Columns
    ("missing-column", WARNING, "Thiếu cột",
     "Sổ không có cột mà một chỉ tiêu cần; là lỗi nếu đó là cột thiết yếu (mã hồ sơ, ngày tiếp nhận).",
     "thiếu cột {labels}{what}{hint}"),
    ("missing-column-in-file", WARNING, "Một tệp thiếu cột",
     "Khi đọc nhiều tệp, một tệp thiếu cột mà tệp khác có; hồ sơ của tệp đó không vào chỉ tiêu cần cột này.",
     "tệp này thiếu cột {names} mà tệp khác có: hồ sơ của tệp này không được tính vào các chỉ tiêu cần cột đó"),
    ("no-id-column", WARNING, "Không có cột mã",
     "Sổ không có cột mã hồ sơ: mỗi dòng được nhận biết bằng tệp và số dòng, không kiểm tra được trùng.",
     "sổ không có cột {label}: mỗi dòng được nhận biết bằng tệp và số dòng; không kiểm tra được hồ sơ trùng"),
    ("duplicate-header", WARNING, "Cột trùng nghĩa",
     "Hai cột cùng nghĩa (ví dụ hai cột ngày tiếp nhận); dùng cột hợp hơn, bỏ qua cột kia.",
     "cột trùng nghĩa với một cột trước ({label}); bỏ qua cột này"),
    ("header-not-date", WARNING, "Tiêu đề như ngày mà ô không phải ngày",
     "Tiêu đề giống một cột ngày nhưng nội dung các ô không phải ngày; cột không được dùng.",
     "tiêu đề giống {label} nhưng các ô không phải ngày; không dùng cột này (dùng --columns nếu cần)"),
    ("date-order-mixed", WARNING, "Cột ngày lẫn hai cách viết",
     "Trong cùng một cột có ngày viết ngày trước (31/01/2024) và ngày viết tháng trước (01/31/2024); cột được "
     "đọc theo cách viết của phần lớn các ô, các ô viết cách kia là lỗi (không bao giờ đọc lẫn hai cách).",
     "cột có cả ngày viết ngày trước (31/01) và tháng trước (01/31): đọc {order} như phần lớn các ô, các ô "
     "khác báo lỗi; dùng --date-order để chọn cách đọc"),
    ("header-rows-disagree", WARNING, "Hai dòng tiêu đề chỉ hai trường khác nhau",
     "Cột có hai dòng tiêu đề (ví dụ tiêu đề tiếng Việt trên tên cột của phần mềm) chỉ hai trường khác nhau; "
     "công cụ chọn theo nội dung ô và nói rõ trường còn lại.",
     "dòng trên và dòng dưới chỉ {label} và {other}: dùng {label} theo nội dung ô (dùng --columns nếu cần)"),
    ("unused-date-column", WARNING, "Cột ngày không dùng",
     "Cột có tiêu đề chứa chữ ngày và các ô là ngày, nhưng tiêu đề không chỉ trường ngày nào công cụ biết; cột "
     "không được dùng.",
     "cột này có ngày nhưng tiêu đề không chỉ ngày nào của hồ sơ công cụ biết; không dùng "
     "(nếu là ngày tiếp nhận, hẹn trả, có kết quả… hãy chỉ định bằng --columns)"),
    ("header-not-codes", WARNING, "Tiêu đề không khớp nội dung ô",
     "Tiêu đề giống một trường có mã (trạng thái, kênh nộp, tiến độ) nhưng phần lớn ô không phải mã của "
     "trường đó; cột không được dùng.",
     "tiêu đề giống {label} nhưng phần lớn ô không phải {label} (ví dụ {examples}); không dùng cột này (nếu đúng "
     "là {label}, thêm các chữ này vào mẫu xuất --profile, hoặc dùng --columns)"),
    ("unmapped-header", WARNING, "Cột chưa nhận ra",
     "Tiêu đề gần giống một trường nhưng không đủ chắc; chỉ định bằng --columns nếu đúng.",
     "không nhận ra cột này; có phải là {label} ({field})? Dùng --columns để chỉ định"),
    ("numeric-id", WARNING, "Mã hồ sơ lưu dạng số",
     "Excel lưu mã hồ sơ như số: các số 0 ở đầu đã mất, mã có thể không khớp với hệ thống.",
     "mã hồ sơ được lưu dạng số trong Excel: các số 0 ở đầu (nếu có) đã mất; "
     "hãy định dạng cột là Văn bản khi xuất"),
    ("mixed-number-format", WARNING, "Số ghi theo hai kiểu",
     "Một cột số có cả 15.000,50 và 15,000.50; dấu thập phân được chọn theo số đông.",
     "cột ghi số theo hai kiểu (15.000,50 và 15,000.50); đọc dấu {mark} là dấu thập phân"),
    # Cells
    ("date-beyond-calendar", ERROR, "Số ngày ngoài lịch",
     "Ô định dạng ngày ghi một số mà không ngày nào có (âm, hoặc sau năm 9999): Excel hiện ô này là ####; "
     "ngày không được dùng, hồ sơ vẫn được đếm.",
     "ô định dạng ngày ghi số {value}, không phải ngày nào (Excel hiện ####): sửa lại ngày"),
    ("line-not-utf8", WARNING, "Dòng không theo bảng mã UTF-8",
     "Tệp CSV ghi theo UTF-8 có một dòng ghi theo bảng mã cũ (thường do dán từ tệp khác): dòng được đọc theo "
     "Windows-1258; kiểm tra chữ có dấu của dòng này.",
     "dòng không theo bảng mã UTF-8 như phần còn lại của tệp: đã đọc theo Windows-1258, kiểm tra chữ có dấu"),
    ("column-map-unused", WARNING, "Ánh xạ cột không dùng được",
     "Một mục của tệp --columns không khớp tiêu đề nào của tệp sổ (gõ khác tiêu đề, hoặc tiêu đề thuộc tệp "
     "khác): trường được nhận theo cách thường, như không có mục này.",
     "--columns: {field}: {value} không có trong tiêu đề của tệp; {label} được nhận như không có mục này "
     "(xem tiêu đề bằng --show-mapping)"),
    ("invalid-date", ERROR, "Ngày không đọc được",
     "Ô không phải ngày theo các cách ghi đã biết (ngày/tháng/năm, số ngày Excel, ISO).",
     "{value!r} không phải ngày hợp lệ (dùng ngày/tháng/năm)"),
    ("implausible-date", ERROR, "Năm ngoài khoảng hợp lý",
     "Ngày có năm ngoài khoảng 2000–2100 (thường là gõ nhầm); ngày không được dùng.",
     "{value!r} nằm ngoài khoảng năm {low}–{high}: không dùng ngày này (gõ nhầm năm?)"),
    ("two-digit-year", WARNING, "Năm ghi 2 chữ số",
     "Năm chỉ có hai chữ số được đọc là 20xx.",
     "năm ghi 2 chữ số ({value}): đọc là năm 20xx"),
    *[(f"invalid-{kind}", ERROR, f"Không phải {name} hợp lệ",
       f"Ô không đọc được thành {name} theo các cách ghi đã biết.",
       f"{{value!r}} không phải {name} hợp lệ") for kind, name in _KINDS.items()],
    # Rows
    ("duplicate-id", WARNING, "Trùng mã hồ sơ",
     "Hai dòng cùng mã; dùng dòng sau cùng (bản cập nhật mới nhất), dòng trước không được tính.",
     "{label} {value!r} trùng với dòng {later_row} ({later_file}); dùng dòng sau cùng"),
    ("missing-id", WARNING, "Dòng không có mã",
     "Dòng có dữ liệu nhưng ô mã trống.",
     "dòng không có {label}"),
    ("completed-before-received", ERROR, "Có kết quả trước khi tiếp nhận",
     "Ngày có kết quả sớm hơn ngày tiếp nhận.",
     "ngày có kết quả {value} trước ngày tiếp nhận"),
    ("due-before-received", ERROR, "Hẹn trả trước khi tiếp nhận",
     "Ngày hẹn trả (hạn xử lý) sớm hơn ngày tiếp nhận.",
     "{label} {value} trước ngày tiếp nhận"),
    ("supplement-before-received", WARNING, "Yêu cầu bổ sung trước khi tiếp nhận",
     "Ngày yêu cầu bổ sung sớm hơn ngày tiếp nhận (thường là gõ nhầm năm): ngày này không được dùng "
     "để lùi hạn giải quyết; hồ sơ đang ở trạng thái chờ bổ sung vẫn được dừng tính thời gian theo "
     "trạng thái.",
     "ngày yêu cầu bổ sung {value} trước ngày tiếp nhận: ngày này không được dùng để lùi hạn giải quyết"),
    ("supplement-received-before-requested", WARNING, "Nhận bổ sung trước khi yêu cầu",
     "Ngày nhận hồ sơ bổ sung sớm hơn ngày yêu cầu bổ sung: thời gian chờ bổ sung không được trừ "
     "khi tính hạn giải quyết.",
     "ngày nhận bổ sung {value} trước ngày yêu cầu bổ sung: không trừ thời gian chờ bổ sung"),
    ("handled-before-received", ERROR, "Xử lý xong trước khi tiếp nhận",
     "Phản ánh, kiến nghị có ngày xử lý xong sớm hơn ngày tiếp nhận.",
     "ngày xử lý xong {value} trước ngày tiếp nhận"),
    ("date-out-of-range", WARNING, "Ngày xa năm kế hoạch",
     "Ngày cách năm của kế hoạch hơn một năm: thường là gõ nhầm năm.",
     "ngày {value} cách xa năm kế hoạch {year}"),
    ("negative-fee", ERROR, "Phí âm", "Phí, lệ phí nhỏ hơn 0.", "phí, lệ phí âm: {value}"),
    ("implausible-processing-days", WARNING, "Thời hạn giải quyết bất thường",
     "Thời hạn giải quyết âm hoặc trên 365 ngày: không dùng để tính ngày hẹn trả.",
     "thời hạn giải quyết {value} ngày nằm ngoài 0–365: không dùng để tính ngày hẹn trả"),
    ("completed-without-date", WARNING, "Đã có kết quả mà không có ngày",
     "Trạng thái nói hồ sơ đã có kết quả nhưng không có ngày có kết quả: hồ sơ được tính là đã giải quyết "
     "nhưng không đánh giá được đúng hạn hay quá hạn (không vào các chỉ tiêu đúng hạn và Biểu 06).",
     "trạng thái đã có kết quả ({value}) nhưng không có ngày có kết quả"),
    ("date-without-completed-status", WARNING, "Có ngày kết quả mà trạng thái chưa xong",
     "Có ngày có kết quả nhưng trạng thái là đang giải quyết: ngày được tin theo.",
     "có ngày có kết quả nhưng trạng thái là {value}"),
    ("resolved-without-date", WARNING, "Kết thúc mà không có ngày",
     "Hồ sơ bị từ chối, rút hoặc dừng nhưng không có ngày kết thúc: không xếp được vào kỳ nào.",
     "trạng thái {value} nhưng không có ngày kết thúc: hồ sơ không được xếp vào kỳ nào"),
    # Timing
    ("timing-mismatch", WARNING, "Hệ thống đánh giá tiến độ khác",
     "Cột tiến độ của hệ thống (đúng hạn/quá hạn) khác với kết quả theo quy tắc của kế hoạch.",
     "hệ thống ghi {value!r} ({theirs}), theo quy tắc của kế hoạch thì {ours} (hẹn {due}, kết thúc {end})"),
    ("no-appointment", WARNING, "Không xác định được hạn",
     "Không có ngày hẹn trả và không có thời hạn giải quyết: hồ sơ không vào các chỉ tiêu đúng hạn.",
     "không xác định được hạn giải quyết (không có ngày hẹn trả, không có thời hạn giải quyết của thủ tục): "
     "không tính vào các chỉ tiêu đúng hạn và Biểu 06"),
    # The run
    ("unreadable-part", WARNING, "Tệp của bộ dữ liệu không đọc được",
     "Một tệp Parquet trong bộ dữ liệu (ttkhc convert) bị hỏng hoặc dở dang: không tính, các tệp khác vẫn tính.",
     "tệp {value} của bộ dữ liệu không đọc được: không tính vào kết quả"),
    ("extra-part", WARNING, "Tệp lạ trong bộ dữ liệu",
     "Một tệp Parquet trong thư mục bộ dữ liệu không có trong danh mục (manifest.json): một bản sao chép vào, "
     "hoặc phần dở dang của một lần chuyển bị ngắt. Không tính, để số liệu không bị đếm hai lần.",
     "tệp {value} không có trong danh mục của bộ dữ liệu: không tính vào kết quả (xóa tệp, hoặc chuyển lại "
     "bằng ttkhc convert)"),
    # Whose log, which plan
    ("unit-mismatch", WARNING, "Sổ của đơn vị khác",
     "Tệp ghi tên một đơn vị khác đơn vị của kế hoạch (so không kể dấu, hoa thường, chữ UBND và cấp): "
     "số liệu bị so với chỉ tiêu của đơn vị khác; báo cáo không được lập.",
     "tệp là của {value} ({where}), kế hoạch là của {plan}: dùng --targets với kế hoạch của đơn vị "
     "(ttkhc init) hoặc --unit"),
    ("unit-option-mismatch", WARNING, "--unit khác đơn vị của kế hoạch",
     "--unit nói tệp là của một đơn vị khác đơn vị của kế hoạch: số liệu được so với chỉ tiêu của đơn vị khác.",
     "tệp được ghi là của {value} ({where}), kế hoạch là của {plan}: dùng --targets với kế hoạch của {value} "
     "(ttkhc init)"),
    ("unit-unnamed", WARNING, "Tệp không ghi đơn vị",
     "Khi đọc nhiều tệp, một tệp không ghi tên đơn vị (dòng UBND… phía trên bảng, cột đơn vị) trong khi tệp "
     "khác có ghi: không biết hồ sơ của tệp này thuộc đơn vị nào.",
     "tệp không ghi tên đơn vị, các tệp khác là của {names}: ghi rõ bằng --unit cho từng tệp"),
    ("several-units", WARNING, "Số liệu của nhiều đơn vị",
     "Các tệp (hoặc cột đơn vị) thuộc nhiều đơn vị: số liệu chung là của cả các đơn vị; tính riêng bằng --by unit.",
     "số liệu gộp {count} đơn vị: {names}; tính riêng từng đơn vị bằng --by unit"),
    ("plan-year", WARNING, "Kỳ khác năm kế hoạch",
     "Kỳ tính thuộc năm khác năm của kế hoạch: chỉ tiêu giao của năm kế hoạch được dùng cho năm khác.",
     "kỳ {period} thuộc năm {years}, kế hoạch là năm {year}: dùng --targets với kế hoạch năm {years} "
     "(ttkhc init --year …)"),
    ("as-of-future", WARNING, "Ngày xét sau hôm nay",
     "--as-of là một ngày chưa đến: hồ sơ đang giải quyết được xét quá hạn tại ngày đó.",
     "--as-of {value} sau hôm nay: hồ sơ đang giải quyết được xét tại một ngày chưa đến"),
)

def entry(code: str) -> Entry:
    """The catalogue's entry; an unknown code is a programming error, said at once."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise ValueError(f"finding code {code!r} is not in the catalogue") from None


def message(code: str, **values: Any) -> str:
    """The code's message with this finding's values."""
    return entry(code).template.format(**values)


def markdown() -> str:
    """The README's table of codes (generated, and a test keeps it so)."""
    lines = ["| Mã | Mức | Ý nghĩa |", "|---|---|---|"]
    for e in CATALOGUE.values():
        level = "lỗi" if e.severity == ERROR else "cảnh báo"
        lines.append(f"| `{e.code}` | {level} | **{e.title}.** {e.description} |")
    return "\n".join(lines)
