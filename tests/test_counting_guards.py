"""Counting rules that a change to the code could break silently: each test here fails then.

(Found by mutating the code: before these tests, flipping any of these rules kept the suite green.)
"""

from __future__ import annotations

from caselog import done, ind, run, write
from dumps import dumped_report

from ttkhc_cli import api


def test_completed_status_without_a_date_is_resolved_but_not_judged(tmp_path):
    rows = [{"received_at": "02/01/2024", "due_at": "05/01/2024", "status": "Đã trả kết quả"},
            done("02/01/2024", "03/01/2024", due="05/01/2024")]
    result = run(tmp_path, rows, period="2024-Q1")
    assert ind(result, "IV.1") == (1, 1, "pass")  # neither on time nor late: not in the ratio
    _, report = dumped_report(api.validate_files(api.Request((tmp_path / "log.csv",))))
    found = [(f["code"], f["row"], f["column"], f["value"]) for f in report["findings"]
             if f["code"] == "completed-without-date"]
    assert found == [("completed-without-date", 3, "E", "Đã trả kết quả")]
    data = api.build_report(api.Request((tmp_path / "log.csv",), period="2024-Q1"))
    assert data.form06[-1][2] == 1 and data.form06_note.startswith("1 hồ sơ không đánh giá được tiến độ")


def test_the_same_dossier_still_pending_is_overdue_not_dropped(tmp_path):
    rows = [{"received_at": "02/01/2024", "due_at": "05/01/2024", "status": "Đang xử lý"},
            done("02/01/2024", "03/01/2024", due="05/01/2024")]
    data = api.build_report(api.Request((write(tmp_path / "a.csv", rows),), period="2024-Q1"))
    assert data.form06[-1][10:] == [1, 0, 1]  # pending: 1, in time 0, overdue 1


def test_withdrawn_before_the_appointment_is_on_time_not_early(tmp_path):
    rows = [{"received_at": "01/04/2024", "due_at": "05/04/2024", "status": "Công dân yêu cầu rút hồ sơ",
             "completed_at": "02/04/2024"},
            done("01/04/2024", "02/04/2024", due="05/04/2024")]
    data = api.build_report(api.Request((write(tmp_path / "a.csv", rows),), period="2024-Q2"))
    assert data.form06[-1][6:10] == [2, 1, 1, 0]  # resolved 2: early 1 (the completed), on time 1 (withdrawn)


def test_a_blank_fee_is_not_a_payment_either_way(tmp_path):
    rows = [done("02/01/2024", "03/01/2024", fee="", paid_online="Có"),
            done("02/01/2024", "03/01/2024", fee="10000", paid_online="Có"),
            done("02/01/2024", "03/01/2024", fee="10000", paid_online="Không")]
    assert ind(run(tmp_path, rows, period="2024-Q1"), "I.1") == (1, 2, "pass")  # 50 % ≥ 45: blank fee left out
