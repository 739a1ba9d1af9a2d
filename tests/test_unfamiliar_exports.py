"""Layouts no reference lists, read with no --columns help (issue: the next systems' exports).

The thirty dossiers of ``tests/support/exports.py`` in each layout (``tests/support/unfamiliar.py``
writes them). Worked out once, as in ``test_real_exports``:

- IV.1 (resolved on time, b/a): 26 resolved (D1–D24 completed, D25 withdrawn, D26 refused); on
  time: D1–D20 (completed early or on the due day at 10:00 against a 17:00 appointment) and D25,
  D26 (ended the day after receipt) = 22. Where D16 and D17 finish at 17:30 on the due day and the
  hour is in its own column, they are late: 20/26.
- I.2 (online): the odd dossiers, 15/30.
- Where the outcome is only in day counts (no appointment), each ended dossier's count says it:
  the late ones D21–D24 carry 2 days late, the others 0 (or, signed, -2 for early ones).

Each class of the issue has at least two layouts, in words other than the issue's examples.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import unfamiliar as U
from hypothesis import given, settings
from hypothesis import strategies as st

from ttkhc_cli.domain.folding import fold
from ttkhc_cli.ingest import profiles as P
from ttkhc_cli.ingest.mapping import Matcher, map_headers
from ttkhc_cli.io.table import RawTable

ON_TIME = (22, 26)
LATE_BY_HOUR = (20, 26)
ONLINE = (15, 30)
SIGNATURE = [["", "", "Người lập sổ", "", "Lãnh đạo đơn vị"], ["", "", "(Ký và ghi rõ họ tên)", "", "(Ký, đóng dấu)"],
             ["", "", "Lê Thị Mai", "", "Phạm Văn An"]]

LAYOUTS: dict[str, tuple[dict, dict[str, tuple[int, int]]]] = {
    # 1. The head word's modifier decides: the post's state and the signature's are not the dossier's.
    "head-post": (dict(columns=[("Số hồ sơ", "code"), ("Ngày tiếp nhận", "received"), ("Ngày hẹn trả", "due"),
                                ("Ngày hoàn thành", "ended"), ("Tình trạng chuyển phát", "post_state"),
                                ("Kết quả xử lý", "status")]), {"IV.1": ON_TIME}),
    "head-sign": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Hạn trả", "due"),
                                ("Ngày kết thúc", "ended"), ("Trạng thái ký số", "sign_state"),
                                ("Tình trạng giải quyết", "status")]), {"IV.1": ON_TIME}),
    # 2. Planned and actual.
    "planned-paren": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"),
                                    ("Ngày giao kết quả (dự kiến)", "due"), ("Ngày giao kết quả", "ended"),
                                    ("Trạng thái", "status")]), {"IV.1": ON_TIME}),
    "planned-camel": (dict(columns=[("dossierNo", "code"), ("receiveDate", "received"),
                                    ("expectedReturnDate", "due"), ("actualReturnDate", "ended"),
                                    ("dossierStatusText", "status")], banner=()), {"IV.1": ON_TIME}),
    "planned-must": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"),
                                   ("Ngày phải có kết quả", "due"), ("Ngày có kết quả", "ended"),
                                   ("Trạng thái", "status")]), {"IV.1": ON_TIME}),
    # 3. Outcome dates, no status column.
    "outcomes-a": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày hẹn trả", "due"),
                                 ("Ngày công dân xin rút", "withdrawn"), ("Ngày hồ sơ bị trả lại", "rejected"),
                                 ("Ngày chuyển kết quả sang Một cửa", "completed"),
                                 ("Ngày trao kết quả cho tổ chức, cá nhân", "returned")]), {"IV.1": ON_TIME}),
    "outcomes-b": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày hẹn trả", "due"),
                                 ("Ngày hủy hồ sơ", "withdrawn"), ("Ngày không giải quyết", "rejected"),
                                 ("Ngày phòng chuyên môn trả KQ về BPMC", "completed"),
                                 ("Ngày trả cho người nộp", "returned")]), {"IV.1": ON_TIME}),
    # 4. Timing only as day counts.
    "days-late": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày trả", "ended"),
                                ("Số ngày chậm trả", "late_days")]), {"IV.1": ON_TIME}),
    "days-signed": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày trả", "ended"),
                                  ("Số ngày sớm/muộn so với hẹn", "signed_days")]), {"IV.1": ON_TIME}),
    "days-group-csv": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày trả", "ended"),
                                     (("Thời gian giải quyết (ngày)", "Sớm hạn"), "early_count"),
                                     (("Thời gian giải quyết (ngày)", "Đúng hạn"), "on_time_count"),
                                     (("Thời gian giải quyết (ngày)", "Trễ hạn"), "late_count")]),
                       {"IV.1": ON_TIME}),
    # 5. Date and hour apart.
    "hour-group": (dict(columns=[("Mã hồ sơ", "code"), (("Nhận hồ sơ", "Ngày tháng"), "received_day"),
                                 (("Nhận hồ sơ", "Giờ phút"), "received_hour"),
                                 (("Hẹn trả kết quả", "Ngày tháng"), "due_day"),
                                 (("Hẹn trả kết quả", "Giờ phút"), "due_hour_h"),
                                 (("Có kết quả", "Ngày tháng"), "ended_day"),
                                 (("Có kết quả", "Giờ phút"), "ended_hour_h"), ("Trạng thái", "status")]),
                   {"IV.1": LATE_BY_HOUR}),
    "hour-side-csv": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received_day"), ("Giờ nhận", "received_hour"),
                                    ("Ngày hẹn", "due_day"), ("Giờ hẹn", "due_hour"), ("Ngày xong", "ended_day"),
                                    ("Giờ xong", "ended_hour_evening"), ("Trạng thái", "status")]),
                      {"IV.1": LATE_BY_HOUR}),
    # 6. A Vietnamese label row over a row of the system's names.
    "bilingual-pascal": (dict(columns=[("Số hồ sơ", "code"), ("Ngày tiếp nhận", "received"), ("Hẹn trả", "due"),
                                       ("Ngày kết thúc xử lý", "ended"), ("Trạng thái", "status"),
                                       ("Kênh thực hiện", "online")],
                              extra_header=["MaHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy",
                                            "TrangThaiHoSo", "KenhThucHien"]), {"IV.1": ON_TIME, "I.2": ONLINE}),
    "bilingual-camel": (dict(columns=[("Mã biên nhận", "code"), ("Thời gian nhận", "received"),
                                      ("Thời hạn trả", "due"), ("Thời gian xong", "ended"), ("Tình trạng", "status"),
                                      ("Nguồn hồ sơ", "online")],
                             extra_header=["dossierNo", "receiveDate", "dueDate", "releaseDate", "dossierStatusText",
                                           "channel"]), {"IV.1": ON_TIME, "I.2": ONLINE}),
    # 7. Abbreviations and synonyms anywhere in a header.
    "abbreviations": (dict(columns=[("Số BN", "code"), ("Ngày TN HS", "received"), ("Hạn trả KQ", "due"),
                                    ("Ngày có KQ", "ended"), ("TT HS", "status"), ("HT nộp HS", "online")]),
                      {"IV.1": ON_TIME, "I.2": ONLINE}),
    "synonyms": (dict(columns=[("Số phiếu nhận", "code"), ("Ngày nhận hồ sơ", "received"),
                               ("Ngày hẹn giao kết quả", "due"), ("Ngày có kết quả giải quyết", "ended"),
                               ("Tình trạng hiện tại", "status"), ("Cách thức gửi hồ sơ", "online")]),
                 {"IV.1": ON_TIME, "I.2": ONLINE}),
    # 8. Rows under the table (a signature block in the sparse date columns, a total, a note).
    "footer-signature": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày hẹn trả", "due"),
                                       ("Ngày rút", "withdrawn"), ("Ngày từ chối", "rejected"),
                                       ("Ngày hoàn thành", "completed")],
                              footer=[[], ["Cộng: 30 hồ sơ"], *[["", "", "", *r[2:]] for r in SIGNATURE]]),
                         {"IV.1": ON_TIME}),
    "footer-note": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày hẹn trả", "due"),
                                  ("Ngày hoàn thành", "completed"), ("Ngày rút hồ sơ", "withdrawn"),
                                  ("Ngày từ chối", "rejected")],
                         footer=[["Ghi chú:", "", "", "", "Chỉ ghi khi hồ sơ bị rút", "Chỉ ghi khi từ chối"],
                                 *[["", "", "", "", r[2], r[4]] for r in SIGNATURE]]),
                    {"IV.1": ON_TIME}),
    # 9. Month-first dates (Excel under US regional settings).
    "us-csv": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày tiếp nhận", "us_received"), ("Ngày hẹn trả", "us_due"),
                             ("Ngày hoàn thành", "us_ended"), ("Trạng thái", "status")]), {"IV.1": ON_TIME}),
    "us-12h-csv": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày tiếp nhận", "us12_received"),
                                 ("Ngày hẹn trả", "us12_due"), ("Ngày có kết quả", "us12_ended"),
                                 ("Trạng thái", "status")]), {"IV.1": ON_TIME}),
    # Found by an independent review: the same classes in further words.
    "first-row-of-flags": (dict(columns=[("Mã HS", "code"), ("Ngày tiếp nhận", "received"), ("Ngày hẹn trả", "due"),
                                         ("Ngày có kết quả", "ended"), ("Trạng thái", "status"),
                                         ("Nộp qua", "online"), ("Hồ sơ trực tuyến", "online_tick")]),
                           {"IV.1": ON_TIME, "I.2": ONLINE}),
    "days-late-sparse": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày trả", "ended"),
                                       ("Số ngày chậm", "late_days_sparse")]), {"IV.1": ON_TIME}),
    "days-late-words": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày trả", "ended"),
                                      ("Trễ hạn (ngày)", "late_days_text")]), {"IV.1": ON_TIME}),
    "late-ticks": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày trả", "ended"),
                                 ("Quá hạn", "late_tick")]), {"IV.1": ON_TIME}),
    "deadline-word": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Hạn chót trả KQ", "due"),
                                    ("Ngày thực trả", "ended"), ("Trạng thái", "status")]), {"IV.1": ON_TIME}),
    "time-cells": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Hạn trả (ngày)", "due_day"),
                                 ("Hạn trả (giờ)", "due_time_cell"), ("Ngày xong", "ended_day"),
                                 ("Giờ xong", "ended_time_cell"), ("Trạng thái", "status")]),
                   {"IV.1": LATE_BY_HOUR}),
    "channel-by-cells-null": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày sinh người nộp", "birth"),
                                            ("Ngày nhận", "received"), ("Ngày hẹn trả", "due"),
                                            ("Ngày có kết quả", "completed"), ("Ngày trả", "null_returned"),
                                            ("Ngày rút", "withdrawn"), ("Ngày từ chối", "rejected"),
                                            ("Gửi bằng", "online")]), {"IV.1": ON_TIME, "I.2": ONLINE}),
    # A second independent review: numbers are no channel, a head about the fee is not the
    # channel, a date group over "Ngày | Giờ", ticks in the timing group, other date spellings.
    "near-misses": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày hẹn trả", "due"),
                                  ("Ngày có kết quả", "ended"), ("Trạng thái", "status"),
                                  ("Số bản sao cần chứng thực", "copies"), ("Hình thức nộp lệ phí", "fee_method"),
                                  ("Nơi nộp hồ sơ", "online")]), {"IV.1": ON_TIME, "I.2": ONLINE}),
    "date-group-hours": (dict(columns=[("Mã hồ sơ", "code"), (("Thời gian nhận đơn", "Ngày"), "received_day"),
                                       (("Thời gian nhận đơn", "Giờ"), "received_hour"),
                                       (("Thời gian hẹn trả KQ", "Ngày"), "due_day"),
                                       (("Thời gian hẹn trả KQ", "Giờ"), "due_hour"),
                                       (("Thời gian có KQ", "Ngày"), "ended_day"),
                                       (("Thời gian có KQ", "Giờ"), "ended_hour_evening"), ("Trạng thái", "status")]),
                         {"IV.1": LATE_BY_HOUR}),
    "timing-ticks": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày trả", "ended"),
                                   (("Thời điểm trả so với hẹn", "Trước hẹn (x)"), "early_tick"),
                                   (("Thời điểm trả so với hẹn", "Đúng hẹn (x)"), "on_time_tick"),
                                   (("Thời điểm trả so với hẹn", "Quá hẹn (x)"), "late_tick_group")]),
                     {"IV.1": ON_TIME}),
    "date-spellings-csv": (dict(columns=[("Mã hồ sơ", "code"), ("Ngày nhận", "received_sa"),
                                         ("Ngày hẹn trả", "due_weekday"), ("Ngày có kết quả", "ended_words"),
                                         ("Trạng thái", "status")]), {"IV.1": ON_TIME}),
}


def _write(tmp_path: Path, name: str) -> Path:
    kwargs, _ = LAYOUTS[name]
    suffix = ".csv" if name.endswith("csv") else ".xlsx"
    return U.write(tmp_path / f"{name}{suffix}", **kwargs)


def _json(invoke, *args) -> dict:
    result = invoke(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _figures(data: dict) -> dict[str, tuple[int, int]]:
    return {i["id"]: (i["numerator"], i["denominator"]) for i in data["indicators"]}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_layout_gives_the_hand_worked_figures(tmp_path, invoke, name):
    data = _json(invoke, "compute", _write(tmp_path, name), "--period", "2024-Q1")
    got = _figures(data)
    for indicator, expected in LAYOUTS[name][1].items():
        assert got[indicator] == expected, indicator
    assert data["rows"]["used"] == 30
    assert data["findings"]["error"] == 0, data["findings"]


def _mapping(invoke, path: Path, *extra: str) -> tuple[dict[str, dict], dict]:
    data = _json(invoke, "validate", path, *extra)
    return {m["header"]: m for m in data["mapping"]}, data


def test_a_qualified_head_word_is_not_the_status_nor_its_duplicate(tmp_path, invoke):
    mapping, _ = _mapping(invoke, _write(tmp_path, "head-sign"))
    assert mapping["Trạng thái ký số"]["field"] is None
    assert mapping["Trạng thái ký số"]["rule"] == "unmapped"  # not "duplicate": it never was a status
    assert mapping["Tình trạng giải quyết"]["field"] == "status"


def test_a_column_of_statuses_under_an_unknown_header_is_the_status(tmp_path, invoke):
    mapping, _ = _mapping(invoke, _write(tmp_path, "head-post"))
    assert (mapping["Kết quả xử lý"]["field"], mapping["Kết quả xử lý"]["rule"]) == ("status", "content")
    assert mapping["Tình trạng chuyển phát"]["field"] is None


def test_a_status_header_over_cells_that_are_not_statuses_is_set_aside_and_said(tmp_path, invoke):
    path = U.write(tmp_path / "s.xlsx", [("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày hẹn trả", "due"),
                                          ("Ngày hoàn thành", "ended"), ("Trạng thái", "post_state")])
    mapping, data = _mapping(invoke, path)
    assert (mapping["Trạng thái"]["field"], mapping["Trạng thái"]["rule"]) == (None, "not-codes")
    said = [f for f in data["findings"] if f["code"] == "header-not-codes"]
    assert [(f["column"], f["row"]) for f in said] == [("E", 4)]
    assert not [f for f in data["findings"] if f["code"] == "invalid-status"]
    assert _figures(_json(invoke, "compute", path, "--period", "2024-Q1"))["IV.1"] == ON_TIME


def test_a_planned_date_is_the_appointment_and_an_actual_one_the_return(tmp_path, invoke):
    mapping, _ = _mapping(invoke, _write(tmp_path, "planned-camel"))
    assert mapping["expectedReturnDate"]["field"] == "due_at"
    assert mapping["actualReturnDate"]["field"] == "returned_at"


def test_the_result_handed_back_to_the_desk_is_the_end_of_processing(tmp_path, invoke):
    mapping, _ = _mapping(invoke, _write(tmp_path, "outcomes-b"))
    assert mapping["Ngày phòng chuyên môn trả KQ về BPMC"]["field"] == "completed_at"
    assert mapping["Ngày trả cho người nộp"]["field"] == "returned_at"
    assert mapping["Ngày không giải quyết"]["field"] == "rejected_at"


def test_a_numeric_timing_column_named_with_columns_is_days_late(tmp_path, invoke):
    path = U.write(tmp_path / "d.xlsx", [("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày trả", "ended"),
                                          ("Đánh giá", "late_days")])
    columns = tmp_path / "cot.yaml"
    columns.write_text('columns:\n  timing_reported: "Đánh giá"\n', encoding="utf-8")
    data = _json(invoke, "compute", path, "--period", "2024-Q1", "--columns", columns)
    assert _figures(data)["IV.1"] == ON_TIME
    assert data["findings"]["error"] == 0


def test_the_two_header_rows_under_a_banner_and_a_blank_row_are_one_header(tmp_path, invoke):
    mapping, data = _mapping(invoke, _write(tmp_path, "days-group-csv"))
    assert data["files"][0]["header_row"] == 5
    assert mapping["Thời gian giải quyết (ngày) › Trễ hạn"]["field"] == "timing_reported"


def test_the_hour_column_goes_with_its_date(tmp_path, invoke):
    mapping, _ = _mapping(invoke, _write(tmp_path, "hour-side-csv"))
    assert [(mapping[h]["field"], mapping[h]["rule"]) for h in ("Giờ nhận", "Giờ hẹn", "Giờ xong")] == [
        ("received_at", "hour"), ("due_at", "hour"), ("completed_at", "hour")]


def test_two_header_rows_that_name_different_fields_are_said_and_the_cells_choose(tmp_path, invoke):
    path = U.write(tmp_path / "b.xlsx", [("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Tình trạng", "due"),
                                          ("Ngày xong", "ended"), ("Trạng thái", "status")],
                   extra_header=["dossierNo", "receiveDate", "dueDate", "releaseDate", "dossierStatusText"])
    mapping, data = _mapping(invoke, path)
    assert mapping["Tình trạng › dueDate"]["field"] == "due_at"
    said = [f for f in data["findings"] if f["code"] == "header-rows-disagree"]
    assert [f["column"] for f in said] == ["C"]
    assert said[0]["message"] == ("dòng trên và dòng dưới chỉ Ngày hẹn trả và Trạng thái: dùng Ngày hẹn trả theo "
                                  "nội dung ô (dùng --columns nếu cần)")
    assert _figures(_json(invoke, "compute", path, "--period", "2024-Q1"))["IV.1"] == ON_TIME


def test_month_first_dates_are_read_from_their_values_and_said(tmp_path, invoke):
    path = _write(tmp_path, "us-csv")
    mapping, data = _mapping(invoke, path)
    assert {mapping[h]["date_order"] for h in ("Ngày tiếp nhận", "Ngày hẹn trả", "Ngày hoàn thành")} == {"mdy"}
    assert "ngày viết tháng trước (tháng/ngày/năm), nhận từ giá trị các ô: cột B, C, D" in data["files"][0]["notes"]


def test_a_column_whose_values_do_not_tell_follows_the_file(tmp_path, invoke):
    # Every receipt falls on 2–31 January: "1/2/2024" could be either, "1/13/2024" could not.
    early = [d for d in U.DOSSIERS if d.received.day <= 12]
    path = U.write(tmp_path / "u.csv", [("Mã hồ sơ", "code"), ("Ngày nhận", "us_day_received"),
                                         ("Ngày hẹn trả", "us_due"), ("Trạng thái", "status")], dossiers=early)
    mapping, _ = _mapping(invoke, path)
    assert mapping["Ngày nhận"]["date_order"] == "mdy"


def test_date_order_can_be_forced_and_a_mixed_column_is_said(tmp_path, invoke):
    path = _write(tmp_path, "us-csv")
    data = _json(invoke, "compute", path, "--period", "2024-Q1", "--date-order", "mdy")
    assert _figures(data)["IV.1"] == ON_TIME
    mixed = tmp_path / "m.csv"
    lines = mixed.read_text(encoding="utf-8-sig").splitlines() if mixed.exists() else []
    text = path.read_text(encoding="utf-8-sig").replace("1/13/2024 8:00", "13/01/2024 08:00")
    mixed.write_text(text, encoding="utf-8")
    assert not lines
    mapping, found = _mapping(invoke, mixed)
    assert mapping["Ngày tiếp nhận"]["date_order"] == "mdy"
    assert [f["column"] for f in found["findings"] if f["code"] == "date-order-mixed"] == ["B"]


def test_another_systems_letters_and_channel_codes_are_read_with_its_profile(tmp_path, invoke):
    profile = tmp_path / "phan-mem.yaml"
    profile.write_text(
        "name: phan-mem-chu\ntitle: Phần mềm ghi mã chữ\n"
        "detect: {headers: [MaTT, MaKenh], min: 2}\n"
        "logs:\n  cases:\n    columns:\n"
        "      status:\n        aliases: [MaTT]\n"
        "        values: {completed: [H], returned: [T], withdrawn: [R], rejected: [K], processing: [X],\n"
        "                 waiting_supplement: [B]}\n"
        "      channel:\n        aliases: [MaKenh]\n"
        "        values: {online: ['01'], direct: ['02'], postal: ['03']}\n", encoding="utf-8")
    path = U.write(tmp_path / "k.csv", [("SoHS", "code"), ("NgayNhan", "received"), ("NgayHen", "due"),
                                         ("NgayXong", "ended"), ("MaTT", "letter_status"),
                                         ("MaKenh", "channel_code")], banner=())
    data = _json(invoke, "compute", path, "--period", "2024-Q1", "--profile", profile)
    assert (_figures(data)["IV.1"], _figures(data)["I.2"]) == (ON_TIME, ONLINE)
    assert data["findings"]["error"] == 0


def test_a_system_of_its_own_codes_is_read_with_its_profile(tmp_path, invoke):
    profile = tmp_path / "he-thong.yaml"
    profile.write_text(
        "name: he-thong-rieng\ntitle: Phần mềm riêng\n"
        "logs:\n  cases:\n    columns:\n      status:\n        aliases: [Mã trạng thái]\n"
        "        values: {received: ['0'], processing: ['1'], waiting_supplement: ['2'], rejected: ['3'],\n"
        "                 completed: ['4'], returned: ['5'], withdrawn: ['6']}\n", encoding="utf-8")
    path = U.write(tmp_path / "c.xlsx", [("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày hẹn trả", "due"),
                                          ("Ngày kết thúc", "ended"), ("Mã trạng thái", "code_status")])
    data = _json(invoke, "compute", path, "--period", "2024-Q1", "--profile", profile)
    assert _figures(data)["IV.1"] == ON_TIME
    assert data["findings"]["error"] == 0
    # Without the profile, 0–6 are not the national codes: the column is set aside, never misread.
    mapping, _ = _mapping(invoke, path)
    assert mapping["Mã trạng thái"]["field"] is None


def test_a_column_of_dates_that_names_no_field_is_said_and_offered(tmp_path, invoke):
    path = U.write(tmp_path / "n.xlsx", [("Mã hồ sơ", "code"), ("Ngày nhận", "received"),
                                          ("Ngày cán bộ ký", "ended"), ("Trạng thái", "status")])
    mapping, data = _mapping(invoke, path)
    assert mapping["Ngày cán bộ ký"]["rule"] == "unused-dates"
    said = [f for f in data["findings"] if f["code"] == "unused-date-column"]
    assert [f["column"] for f in said] == ["C"]
    hint = [f["message"] for f in data["findings"] if f["code"] == "missing-column" and "IV.1" in f["message"]]
    assert hint and hint[0].endswith("có thể là cột C «Ngày cán bộ ký» của tệp (chỉ định bằng --columns)")


# ------------------------------------------------------------------ properties of the words

MATCHER = Matcher(P.common(), "cases")
PLANNED = [w for m in P.common().layers[0].logs["cases"].modifiers.values() if "returned_at" in m.turns
           and m.turns["returned_at"] == "due_at" for w in m.words]
RETURN_HEADERS = ["Ngày trả kết quả", "Ngày trả KQ", "Ngày giao kết quả", "Ngày trả"]


def _spelled(text: str, strip: bool, upper: bool) -> str:
    text = fold(text) if strip else text
    return text.upper() if upper else text


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(RETURN_HEADERS), st.sampled_from(PLANNED), st.booleans(), st.booleans(),
       st.sampled_from(["{h} {m}", "{h} ({m})", "{m}: {h}", "{h} - {m}"]))
def test_a_return_header_with_a_planned_modifier_is_the_appointment(head, modifier, strip, upper, form):
    header = _spelled(form.format(h=head, m=modifier), strip, upper)
    assert MATCHER.field_of(header) == "due_at", header


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(RETURN_HEADERS), st.booleans(), st.booleans())
def test_a_return_header_with_an_actual_modifier_stays_the_return(head, strip, upper):
    header = _spelled(f"{head} thực tế", strip, upper)
    assert MATCHER.field_of(header) == "returned_at", header


ABBREVIATED = {"Ngày TN": "received_at", "Ngày TN HS": "received_at", "Ngày có KQ": "completed_at",
               "Hạn trả KQ": "due_at", "Kênh TN": "channel", "TT HS": "status", "Số HS": "case_id",
               "Ngày trả KQ về BPMC": "completed_at", "Ngày trả KQ cho CD": "returned_at",
               "Số hóa TPHS": "dossier_digitised", "Số hóa KQGQ": "result_digitised"}


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(ABBREVIATED)), st.booleans(), st.booleans())
def test_an_abbreviated_header_names_the_field_of_its_words(header, strip, upper):
    assert MATCHER.field_of(_spelled(header, strip, upper)) == ABBREVIATED[header]


NOT_STATUSES = st.lists(st.sampled_from(["Đã gửi", "Chưa gửi", "Có", "Không", "x", "Đã ký", "12.000", "Bưu điện",
                                         "Nguyễn Văn A", "Lưu kho"]), min_size=8, max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["Trạng thái", "Tình trạng", "Trạng thái hồ sơ", "TT HS", "Status"]), NOT_STATUSES)
def test_a_header_whose_cells_contradict_its_field_is_never_kept_as_it(header, cells):
    import pandas as pd

    n = len(cells)
    data = pd.DataFrame({0: [f"HS{i}" for i in range(n)], 1: ["02/01/2024"] * n, 2: cells})
    raw = RawTable(file="t.csv", sheet=None, header_row=1, labels=["Mã hồ sơ", "Ngày nhận", header],
                   letters=["A", "B", "C"], data=data, rows=pd.Series(range(2, n + 2)).to_numpy())
    mapped = map_headers(raw, MATCHER)
    assert mapped[2].field != "status", (header, cells)


def test_a_row_of_data_is_never_a_second_header_row(tmp_path, invoke):
    _, data = _mapping(invoke, _write(tmp_path, "first-row-of-flags"))
    assert data["files"][0]["header_row"] == 4
    assert data["rows"]["read"] == 30


def test_the_actual_time_taken_is_not_the_time_allowed(tmp_path, invoke):
    path = U.write(tmp_path / "a.xlsx", [("Mã hồ sơ", "code"), ("Ngày nhận", "received"), ("Ngày trả", "ended"),
                                          ("Số ngày giải quyết thực tế", "late_days"), ("Trạng thái", "status")])
    mapping, _ = _mapping(invoke, path)
    assert mapping["Số ngày giải quyết thực tế"]["field"] is None
    figures = _json(invoke, "compute", path, "--period", "2024-Q1")
    assert _figures(figures)["IV.1"] == (None, None)  # no appointment, no allowed time: not guessed


def test_a_dated_header_is_never_the_applicant(tmp_path, invoke):
    mapping, _ = _mapping(invoke, _write(tmp_path, "channel-by-cells-null"))
    assert mapping["Ngày sinh người nộp"]["field"] is None
    assert (mapping["Gửi bằng"]["field"], mapping["Gửi bằng"]["rule"]) == ("channel", "content")


def test_a_date_and_its_hour_in_one_header_is_one_date_time(tmp_path, invoke):
    path = U.write(tmp_path / "a.csv", [("Mã hồ sơ", "code"), ("Ngày, giờ nhận", "received"),
                                         ("Ngày/giờ hẹn trả", "due"), ("Ngày, giờ có kết quả", "ended"),
                                         ("Trạng thái", "status")])
    mapping, data = _mapping(invoke, path)
    assert [mapping[h]["field"] for h in ("Ngày, giờ nhận", "Ngày/giờ hẹn trả", "Ngày, giờ có kết quả")] == [
        "received_at", "due_at", "completed_at"]
    assert not [f for f in data["findings"] if f["code"] == "duplicate-header"]


def test_numbers_and_a_fee_method_are_not_the_channel(tmp_path, invoke):
    mapping, _ = _mapping(invoke, _write(tmp_path, "near-misses"))
    assert mapping["Số bản sao cần chứng thực"]["field"] is None
    assert mapping["Hình thức nộp lệ phí"]["field"] is None
    assert mapping["Nơi nộp hồ sơ"]["field"] == "channel"
