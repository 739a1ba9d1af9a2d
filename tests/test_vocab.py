"""The words exports use, read into codes; an unknown word is invalid, never guessed."""

from __future__ import annotations

import pandas as pd
import pytest

from ttkhc_cli.ingest import profiles, vocab
from ttkhc_cli.ingest.normalise import parse_dates, parse_money, parse_number

STATUS = {
    "Mới đăng ký": "received",
    "Được tiếp nhận": "received",
    "Không được tiếp nhận": "not_received",
    "Từ chối tiếp nhận": "not_received",
    "Từ chối giải quyết": "rejected",
    "Đang xử lý": "processing",
    "Yêu cầu bổ sung giấy tờ": "waiting_supplement",
    "Chờ bổ sung": "waiting_supplement",
    "Yêu cầu thực hiện nghĩa vụ tài chính": "processing",
    "Công dân yêu cầu rút hồ sơ": "withdrawn",
    "Dừng xử lý": "stopped",
    "Hủy": "withdrawn",
    "Tạm dừng xử lý": "paused",
    "Đã xử lý xong": "completed",
    "Hoàn thành": "completed",
    "Đã giải quyết - Trước hạn": "completed",
    "Chờ trả kết quả": "completed",
    "Đã trả kết quả": "returned",
    "Từ chối": "rejected",
    "Trả lại hồ sơ": "rejected",
    "Đang giải quyết": "processing",
    "ĐÃ TRẢ KẾT QUẢ": "returned",
}


@pytest.mark.parametrize("text,code", STATUS.items())
def test_statuses(text, code):
    assert profiles.parse_status(text) == code


@pytest.mark.parametrize(
    "text,value",
    [
        ("Có", True),
        ("có", True),
        ("x", True),
        ("X", True),
        ("✓", True),
        (1, True),
        (1.0, True),
        ("1", True),
        ("True", True),
        ("Yes", True),
        ("Đã thanh toán", True),
        ("Đã số hóa", True),
        ("Có (VNPT Pay)", True),
        ("Không", False),
        ("", False),
        (None, False),
        (0, False),
        ("0", False),
        ("False", False),
        ("No", False),
        ("Chưa thanh toán", False),
        ("Chưa", False),
        ("Miễn phí", False),
        ("-", False),
        ("Thành công", True),
        ("Thất bại", False),
    ],
)
def test_flags(text, value):
    assert profiles.parse_flag(text) is value


@pytest.mark.parametrize("text", ["có lẽ", "maybe", 2, "?", "Chưa rõ"])
def test_unknown_flags_are_invalid(text):
    assert profiles.parse_flag(text) is vocab.INVALID


@pytest.mark.parametrize(
    "text,code",
    [
        ("Trực tuyến", "online"),
        ("Trực tuyến toàn trình", "online"),
        ("Trực tuyến một phần", "online"),
        ("Nộp trực tuyến", "online"),
        ("DVC mức độ 4", "online"),
        ("Trực tiếp", "direct"),
        ("Tại bộ phận một cửa", "direct"),
        ("Bưu chính công ích", "postal"),
        ("Qua bưu điện", "postal"),
        ("Qua dịch vụ BCCI", "postal"),
        (1, "direct"),
        (2, "online"),
        (3, "postal"),
        ("2", "online"),
        ("", "direct"),
        (None, "direct"),
    ],
)
def test_channels(text, code):
    assert profiles.parse_channel(text) == code


def test_other_vocabularies():
    assert [profiles.parse_timing(x) for x in ("Trước hạn", "Đúng hạn", "Quá hạn", "Trễ hạn", "Trong hạn")] == [
        "early",
        "on_time",
        "late",
        "late",
        "pending_in_time",
    ]
    assert [profiles.parse_level(x) for x in ("Cấp xã", "Phường", "Thị trấn", "Cấp huyện", "Thị xã", "Tỉnh")] == [
        "xa",
        "xa",
        "xa",
        "huyen",
        "huyen",
        "tinh",
    ]
    assert [profiles.parse_rating(x) for x in ("Rất hài lòng", "Hài lòng", "Không hài lòng", "Bình thường")] == [
        "very_satisfied",
        "satisfied",
        "unsatisfied",
        "neutral",
    ]
    assert [profiles.parse_secrecy(x) for x in ("", "Thường", "Mật", "Tối mật", "Tuyệt mật")] == [
        "normal",
        "normal",
        "secret",
        "top_secret",
        "top_secret",
    ]
    assert [profiles.parse_direction(x) for x in ("Văn bản đến", "Văn bản đi")] == ["incoming", "outgoing"]
    assert profiles.parse_status("xyz") is vocab.INVALID


@pytest.mark.parametrize(
    "text,value",
    [
        ("50.000", 50000.0),
        ("50,000 đ", 50000.0),
        ("50000", 50000.0),
        ("1.250.000 VNĐ", 1250000.0),
        (50000, 50000.0),
        ("Miễn phí", 0.0),
        ("0", 0.0),
        ("", None),
        (None, None),
        ("12,5", 12.5),
    ],
)
def test_money(text, value):
    assert parse_money(text) == value


def test_numbers():
    assert [parse_number(x) for x in ("15", "15 ngày", "15 ngày làm việc", 3, "", "abc")] == [
        15.0,
        15.0,
        15.0,
        3.0,
        None,
        vocab.INVALID,
    ]


def test_dates_are_day_first_and_strict():
    cells = pd.Series(
        [
            "05/01/2024",
            "5/1/2024 07:32",
            "05-01-2024",
            "05.01.2024",
            "2024-01-05 14:30:00",
            "2024/01/05",
            "05/01/2024 02:30 PM",
            "45296",
            "31/02/2024",
            "13/13/2024",
            "abc",
            None,
        ]
    )
    values, bad = parse_dates(cells)
    assert [v.strftime("%d/%m/%Y %H:%M") if pd.notna(v) else None for v in values] == [
        "05/01/2024 00:00",
        "05/01/2024 07:32",
        "05/01/2024 00:00",
        "05/01/2024 00:00",
        "05/01/2024 14:30",
        "05/01/2024 00:00",
        "05/01/2024 14:30",
        "05/01/2024 00:00",
        None,
        None,
        None,
        None,
    ]
    assert list(bad) == [False] * 8 + [True, True, True, False]


def test_impossible_dates_are_errors_wherever_the_date_sits():
    """31/02 rolls over to 02/03 in strptime; it must be an error in every layout, never a date."""
    cells = pd.Series(
        [
            "07:30 31/02/2024",
            "07:30 29/02/2024",
            "2023-02-29",
            "2024-02-29 10:00:00",
            "  31/04/2024  ",
            "30/04/2024 16:30",
            "29/02/2023 08:00",
        ]
    )
    values, bad = parse_dates(cells)
    assert [v.strftime("%d/%m/%Y %H:%M") if pd.notna(v) else None for v in values] == [
        None,
        "29/02/2024 07:30",
        None,
        "29/02/2024 10:00",
        None,
        "30/04/2024 16:30",
        None,
    ]
    assert list(bad) == [True, False, True, False, True, False, True]


def test_no_header_alias_names_two_fields_within_a_profile():
    from ttkhc_cli.domain import fields as F
    from ttkhc_cli.ingest import profiles

    for profile in profiles.bundled().values():
        for source, spec in profile.logs.items():
            seen: dict[str, str] = {}
            for name, col in spec.columns.items():
                for alias in (*col.aliases, *col.parts, *col.presence):
                    key = F.alias_key(alias)
                    assert seen.setdefault(key, name) == name, (profile.name, source, alias, seen[key], name)


@pytest.mark.parametrize("text,value", [("Trực tuyến", True), ("Chuyển khoản", True), ("Tiền mặt", False)])
def test_payment_method_words_read_as_paid_online(text, value):
    assert profiles.parse_flag(text) is value
