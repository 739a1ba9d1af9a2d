"""One as-of cut-off, clipped months, empty periods, entered figures per period, and every log
checked with the same care (issue: counting rules)."""

from __future__ import annotations

import datetime as dt
import json

from caselog import done, write
from dumps import computed, dumped_report

from ttkhc_cli import api


def _ind(result, ident):
    i = next(x for x in result["indicators"] if x["id"] == ident)
    return i["numerator"], i["denominator"]


def test_as_of_is_one_cut_off_for_every_indicator(tmp_path):
    rows = [done("02/01/2024", "03/01/2024", channel="Trực tuyến"),
            done("20/03/2024", "21/03/2024", channel="Trực tuyến"),
            {"received_at": "25/03/2024", "status": "Đang xử lý", "channel": "Trực tiếp"}]
    path = write(tmp_path / "a.csv", rows)
    full = computed(api.Request((path,), period="2024-Q1"))
    assert _ind(full, "I.2") == (2, 3)
    cut = computed(api.Request((path,), period="2024-Q1", as_of="15/03/2024"))
    assert _ind(cut, "I.2") == (1, 1)  # dossiers received after 15/03 do not count at that date


def test_as_of_before_the_period_is_an_error_and_after_today_a_warning(tmp_path, invoke):
    path = write(tmp_path / "a.csv", [done("02/01/2024", "03/01/2024")])
    before = invoke("compute", path, "--period", "2024-Q1", "--as-of", "31/12/2023")
    assert before.exit_code == 2
    assert before.stderr.strip() == "Lỗi: --as-of 31/12/2023 trước ngày đầu kỳ 2024-Q1 (01/01/2024)"
    future = api.prepare(api.Request((path,), period="2024-Q1", as_of="31/03/2024", today=dt.date(2024, 3, 1)))
    warned = [f for f in future.findings if f.code == "as-of-future"]
    assert len(warned) == 1 and warned[0].severity == "warning"


def test_months_of_a_from_to_range_are_clipped(tmp_path):
    rows = [
        done("05/02/2024", "06/02/2024", channel="Trực tiếp"),
        done("25/02/2024", "26/02/2024", channel="Trực tiếp"),
    ]
    path = write(tmp_path / "a.csv", rows)
    result = computed(api.Request((path,), date_from="01/02/2024", date_to="20/02/2024", by="month"))
    (feb,) = result["groups"]["items"]
    assert feb["period"]["end"] == "2024-02-20"
    assert _ind(feb, "I.2") == (0, 1)  # the dossier of 25/02 is outside the range


def test_a_period_without_any_dossier_is_an_input_error(tmp_path, invoke):
    path = write(tmp_path / "a.csv", [done("02/01/2024", "03/01/2024"), done("27/12/2024", "30/12/2024")])
    for command in (["compute"], ["report", "-o", tmp_path / "r.xlsx"]):
        result = invoke(command[0], path, "--period", "2024-06", *command[1:])  # a month inside the data, empty
        assert result.exit_code == 2
        assert result.stderr.strip() == (
            "Lỗi: không có hồ sơ nào trong kỳ 2024-06 (01/06/2024–30/06/2024); dữ liệu từ 02/01/2024 đến 30/12/2024"
        )
        result = invoke(command[0], path, "--period", "2025-Q1", *command[1:])  # after the last date the log holds
        assert result.exit_code == 2
        assert result.stderr.strip() == (
            "Lỗi: kỳ 2025-Q1 (01/01/2025–31/03/2025) nằm ngoài dữ liệu: các sổ có ngày từ 02/01/2024 đến 30/12/2024"
        )
    assert not (tmp_path / "r.xlsx").exists()


def test_a_dossier_pending_through_a_period_makes_it_not_empty(tmp_path):
    # The quarter's only dossier was received before it and is still pending (the log runs on to April).
    path = write(tmp_path / "a.csv", [{"received_at": "20/12/2023", "status": "Đang xử lý", "due_at": "30/12/2023"},
                                      done("02/04/2024", "03/04/2024")])
    result = computed(api.Request((path,), period="2024-Q1"))
    assert result["period"]["label"] == "2024-Q1"


def _feedback(tmp_path, rows):
    path = tmp_path / "pakn.csv"
    path.write_text(
        "Mã PAKN,Ngày tiếp nhận,Hạn xử lý,Ngày xử lý xong,Trạng thái\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return path


def test_the_feedback_log_is_checked_like_the_case_log(tmp_path, invoke):
    cases = write(tmp_path / "a.csv", [done("02/01/2024", "03/01/2024")])
    pakn = _feedback(
        tmp_path,
        [
            "P1,02/01/2024,20/01/2024,10/01/2024,Đã xử lý",
            "P2,31/02/2024,20/03/2024,,Đang xử lý",
            "P3,05/01/2024,20/01/2024,03/01/2024,Đã xử lý",
        ],
    )
    result = invoke("compute", cases, "--feedback", pakn, "--period", "2024-Q1", "--format", "json")
    data = json.loads(result.stdout)
    assert data["findings"]["error"] == 2  # 31/02 is not a date; handled before received
    assert result.exit_code == 1
    checked = invoke("validate", cases, "--feedback", pakn, "--format", "json")
    assert checked.exit_code == 1
    report = json.loads(checked.stdout)
    got = {(f["code"], f["file"], f["row"], f["value"]) for f in report["findings"] if f["file"] == str(pakn)}
    assert ("invalid-date", str(pakn), 3, "31/02/2024") in got
    assert ("handled-before-received", str(pakn), 4, "03/01/2024") in got
    assert report["sources"]["feedback"] == {"read": 3, "used": 3, "excluded": {}}


def test_findings_show_the_cell_as_typed(tmp_path):
    rows = [
        {"received_at": "02/01/2024", "status": "Đã trả kết quả"},
        {"received_at": "03/01/2024", "completed_at": "04/01/2024", "status": "Đang chờ ký"},
        done("04/01/2024", "05/01/2024", fee="-5.000"),
    ]
    _, report = dumped_report(api.validate_files(api.Request((write(tmp_path / "a.csv", rows),))))
    values = {f["code"]: f["value"] for f in report["findings"]}
    assert values["completed-without-date"] == "Đã trả kết quả"
    assert values["date-without-completed-status"] == "Đang chờ ký"
    assert values["negative-fee"] == "-5.000"


def test_timing_mismatches_are_found_in_one_pass_with_the_cell_as_written(tmp_path):
    header = "Mã hồ sơ,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái,Tiến độ"
    lines = [header]
    for i in range(3000):  # 3000 disagreements: capped at 2000 findings and a count of the rest
        lines.append(f"HS{i},02/01/2024 08:00,05/01/2024 17:00,05/01/2024 17:30,Đã trả kết quả,Đúng hạn")
    lines.append("HS-ok,02/01/2024 08:00,05/01/2024 17:00,05/01/2024 10:00,Đã trả kết quả,Đúng hạn")
    path = tmp_path / "a.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, report = dumped_report(api.validate_files(api.Request((path,))))
    found = [f for f in report["findings"] if f["code"] == "timing-mismatch"]
    assert len(found) == 2001
    first = next(f for f in found if f["row"] == 2)
    assert first["value"] == "Đúng hạn" and first["column"] == "F"
    assert first["message"] == (
        "hệ thống ghi 'Đúng hạn' (không quá hạn), theo quy tắc của kế hoạch thì quá hạn "
        "(hẹn 05/01/2024 17:00, kết thúc 05/01/2024 17:30)"
    )
    rest = next(f for f in found if f["row"] is None)
    assert rest["message"] == "… và 1000 hồ sơ khác hệ thống đánh giá tiến độ khác với quy tắc của kế hoạch"


def test_both_kinds_of_timing_finding_are_capped_apart_in_log_order(tmp_path):
    header = "Mã hồ sơ,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái,Tiến độ"
    lines = [header]
    for i in range(2100):  # no appointment and no timing of the system: cannot be judged
        lines.append(f"U{i},02/01/2024 08:00,,05/01/2024 17:30,Đã trả kết quả,")
        if i < 5:  # and a few the system judges otherwise, between them
            lines.append(f"M{i},02/01/2024 08:00,05/01/2024 17:00,05/01/2024 17:30,Đã trả kết quả,Đúng hạn")
    path = tmp_path / "a.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, report = dumped_report(api.validate_files(api.Request((path,))))
    unjudged = [f for f in report["findings"] if f["code"] == "no-appointment"]
    mismatch = [f for f in report["findings"] if f["code"] == "timing-mismatch"]
    assert [f["row"] for f in mismatch] == [3, 5, 7, 9, 11]
    assert len(unjudged) == 2001
    rows = [f["row"] for f in unjudged if f["row"] is not None]
    assert rows == sorted(rows) and rows[:3] == [2, 4, 6]
    (rest,) = [f for f in unjudged if f["row"] is None]
    assert rest["message"] == "… và 100 hồ sơ khác không xác định được hạn giải quyết"
