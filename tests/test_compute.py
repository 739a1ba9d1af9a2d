"""Every Appendix I indicator counted on small hand-made logs, with the edge cases that matter."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from caselog import done, ind, run, write
from dumps import dumped

from ttkhc_cli import api
from ttkhc_cli.kpi import plan as plan_file
from ttkhc_cli.kpi.compute import display_value
from ttkhc_cli.kpi.plan import Target

# A timing needs an appointment, or what computes one, or the system's own verdict: any of them.
DUE_MISSING = "thiếu cột Ngày hẹn trả hoặc Thời hạn giải quyết (ngày làm việc) hoặc Tiến độ (theo hệ thống)"

Q1 = {"period": "2024-Q1"}


def test_i1_online_payment_counts_only_dossiers_with_a_fee(tmp_path):
    rows = [
        done("02/01/2024", "02/01/2024", fee="50.000", paid_online="Có"),
        done("02/01/2024", "02/01/2024", fee="20,000 đ", paid_online="x"),
        done("03/01/2024", "03/01/2024", fee="2000", paid_online="Không"),
        done("03/01/2024", "03/01/2024", fee="2000", paid_online=""),
        done("04/01/2024", "04/01/2024", fee="0", paid_online="Có"),  # no fee: not a payment
        done("04/01/2024", "04/01/2024", fee="", paid_online=""),
    ]
    assert ind(run(tmp_path, rows, **Q1), "I.1") == (2, 4, "pass")  # 50 % >= 45


@pytest.mark.parametrize("online,expected", [(5, "pass"), (4, "fail")])
def test_i2_online_dossiers_exactly_at_threshold(tmp_path, online, expected):
    rows = [done("02/01/2024", "03/01/2024", channel="Trực tuyến" if i < online else "") for i in range(10)]
    assert ind(run(tmp_path, rows, **Q1), "I.2") == (online, 10, expected)


def test_i3_digitised_dossier_and_result_among_completed(tmp_path):
    rows = [done("02/01/2024", "03/01/2024", dossier_digitised="x", result_digitised="x") for _ in range(4)]
    rows.append(done("02/01/2024", "03/01/2024", dossier_digitised="x", result_digitised=""))
    rows.append(
        {"received_at": "05/01/2024", "status": "Đang xử lý", "dossier_digitised": "x", "result_digitised": "x"}
    )
    assert ind(run(tmp_path, rows, **Q1), "I.3") == (4, 5, "pass")  # exactly 80 %


def test_i4_a_100_target_missed_by_one_case(tmp_path):
    rows = [done("02/01/2024", "03/01/2024", synced="Có" if i else "Không") for i in range(20)]
    result = run(tmp_path, rows, **Q1)
    assert ind(result, "I.4") == (19, 20, "fail")
    assert next(i for i in result["indicators"] if i["id"] == "I.4")["value"] == 95.0


def test_ii_levels(tmp_path):
    rows = [
        done("02/01/2024", "03/01/2024", level="Cấp huyện", result_digitised="x" if i < 2 else "") for i in range(3)
    ]
    rows += [done("02/01/2024", "03/01/2024", level="xã", result_digitised="x" if i < 3 else "") for i in range(4)]
    # The district's plan counts its district-level results (II.1 applies to huyện and tỉnh).
    text = plan_file.bundled_path().read_text(encoding="utf-8").replace("unit_level: xã", "unit_level: huyện")
    (tmp_path / "huyen.yaml").write_text(text, encoding="utf-8")
    result = run(tmp_path, rows, targets_file=tmp_path / "huyen.yaml", **Q1)
    assert ind(result, "II.1") == (2, 3, "fail")
    assert ind(result, "II.2") == (3, 4, "pass")
    result = run(tmp_path, rows, **Q1)  # the commune's plan: not applicable, neither pass, fail nor no data
    assert ind(result, "II.1") == (None, None, "not_applicable")


def test_ii1_is_not_applicable_in_a_communes_plan(tmp_path):
    rows = [done("02/01/2024", "03/01/2024", result_digitised="x")]
    result = run(tmp_path, rows, **Q1)
    i = next(x for x in result["indicators"] if x["id"] == "II.1")
    assert (i["status"], i["value"], i["note"]) == ("not_applicable", None,
                                                    "không áp dụng cho đơn vị cấp xã (chỉ tiêu của cấp huyện, tỉnh)")
    assert ind(result, "II.2") == (1, 1, "pass")


def test_iii2_and_iii3_electronic_results(tmp_path):
    rows = [
        done("02/01/2024", "02/01/2024", procedure_name="Chứng thực bản sao từ bản chính", e_result="Có"),
        done("02/01/2024", "02/01/2024", procedure_name="CHUNG THUC BAN SAO tu ban chinh", e_result="Không"),
        done("02/01/2024", "02/01/2024", procedure_name="Chứng thực bản sao điện tử", e_result="Có"),
        done("02/01/2024", "02/01/2024", procedure_name="Đăng ký khai sinh", e_result="Có"),
    ]
    result = run(tmp_path, rows, **Q1)
    assert ind(result, "III.3") == (2, 3, "fail")
    assert ind(result, "III.2") == (3, 4, "fail")


def test_iii2_procedures_without_a_document_are_left_out(tmp_path):
    text = (
        plan_file.bundled_path()
        .read_text(encoding="utf-8")
        .replace("procedures: []", 'procedures:\n  - name: "Tiếp công dân"\n    returns_document: false')
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    rows = [
        done("02/01/2024", "02/01/2024", procedure_name="Đăng ký khai sinh", e_result="Có"),
        done("02/01/2024", "02/01/2024", procedure_name="Tiếp công dân", e_result=""),
    ]
    assert ind(run(tmp_path, rows, targets_file=plan, **Q1), "III.2") == (1, 1, "pass")


def test_iii4_reuse_and_iii6_satisfaction(tmp_path):
    rows = [
        done("02/01/2024", "03/01/2024", data_reused="Có" if i % 2 else "", rating=r)
        for i, r in enumerate(["Rất hài lòng"] * 5 + ["Hài lòng"] * 4 + ["Không hài lòng"] + [""] * 2)
    ]
    result = run(tmp_path, rows, **Q1)
    assert ind(result, "III.4") == (6, 12, "pass")
    assert ind(result, "III.6") == (9, 10, "pass")  # exactly 90 %, unrated left out


def test_iv_resolved_on_time_with_withdrawn_and_pending(tmp_path):
    rows = [
        done("02/01/2024", "03/01/2024", due="05/01/2024"),  # early
        done("02/01/2024", "05/01/2024 17:00", due="05/01/2024"),  # on the due day
        done("02/01/2024", "08/01/2024", due="05/01/2024"),  # late
        {
            "received_at": "02/01/2024",
            "completed_at": "04/01/2024",
            "due_at": "05/01/2024",
            "status": "Công dân yêu cầu rút hồ sơ",
        },  # withdrawn before due: on time
        {
            "received_at": "02/01/2024",
            "completed_at": "09/01/2024",
            "due_at": "05/01/2024",
            "status": "Từ chối giải quyết",
        },  # rejected after due: late
        {"received_at": "02/01/2024", "due_at": "05/01/2024", "status": "Đang xử lý"},  # pending: not in a
        {
            "received_at": "02/01/2024",
            "completed_at": "09/01/2024",
            "due_at": "05/01/2024",
            "status": "Không được tiếp nhận",
        },  # refused at the desk: never received, in no population (FD 2.1)
    ]
    result = run(tmp_path, rows, **Q1)
    assert ind(result, "IV.1") == (3, 5, "fail")
    assert ind(result, "IV.2") == (3, 5, "fail")


def test_pending_overdue_is_judged_at_as_of(tmp_path):
    from test_timing_rules import derive

    from ttkhc_cli.ingest import log as ingest

    rows = [
        {"received_at": "02/01/2024", "due_at": "10/01/2024", "status": "Đang xử lý"},
        done("02/01/2024", "20/01/2024", due="10/01/2024"),
    ]
    log = ingest.read_log([write(tmp_path / "a.csv", rows)])
    at_5 = derive(log, as_of=dt.date(2024, 1, 5))
    at_15 = derive(log, as_of=dt.date(2024, 1, 15))
    assert list(at_5["timing"]) == ["pending_in_time", "pending_in_time"]
    assert list(at_15["timing"]) == ["pending_overdue", "pending_overdue"]  # completed 20/01: pending on 15/01


def test_cases_straddling_a_period_boundary(tmp_path):
    rows = [
        done(
            "29/03/2024",
            "02/04/2024",
            due="05/04/2024",
            channel="Trực tuyến",
            dossier_digitised="x",
            result_digitised="x",
        ),
        done("01/03/2024", "05/03/2024", due="08/03/2024", channel=""),
    ]
    q1 = run(tmp_path, rows, period="2024-Q1")
    q2 = run(tmp_path, rows, period="2024-Q2")
    assert ind(q1, "I.2") == (1, 2, "pass")  # both received in Q1
    assert ind(q1, "I.3") == (0, 1, "fail")  # only the March completion
    assert ind(q2, "I.3") == (1, 1, "pass")
    assert ind(q1, "IV.1") == (1, 1, "pass") and ind(q2, "IV.1") == (1, 1, "pass")
    assert ind(q2, "I.2")[2] == "no_data"


def test_nd09_windows_across_a_year_end(tmp_path):
    rows = [
        done("20/12/2023", "22/12/2023", channel="Trực tuyến"),
        done("10/01/2024", "11/01/2024", channel=""),
        done("15/03/2024", "15/03/2024", channel="Trực tuyến"),
    ]
    nd09 = run(tmp_path, rows, period="2024-Q1", window="nd09")
    cal = run(tmp_path, rows, period="2024-Q1")
    assert nd09["period"] == {"label": "2024-Q1", "start": "2023-12-15", "end": "2024-03-14", "window": "nd09"}
    assert ind(nd09, "I.2") == (1, 2, "pass")  # 20/12/2023 and 10/01/2024
    assert ind(cal, "I.2") == (1, 2, "pass")  # 10/01/2024 and 15/03/2024
    year = run(tmp_path, rows, period="2024", window="nd09")
    assert ind(year, "I.2") == (2, 3, "pass")


@pytest.mark.parametrize(
    "received,completed,expected",
    [
        ("07/02/2024 09:00", "19/02/2024", (1, 1)),  # Tết 08–14/02: 3 working days end on 19/02
        ("07/02/2024 09:00", "20/02/2024", (0, 1)),
        ("26/04/2024 10:00", "04/05/2024", (1, 1)),  # 29/04 swapped with Saturday 04/05
        ("26/04/2024 10:00", "06/05/2024", (0, 1)),
    ],
)
def test_due_date_in_working_days_across_tet_and_the_may_swap(tmp_path, received, completed, expected):
    rows = [done(received, completed, processing_days="3")]
    result = run(tmp_path, rows, period="2024")
    num, den, _ = ind(result, "IV.1")
    assert (num, den) == expected


def test_target_file_adds_holidays_the_package_does_not_know(tmp_path):
    text = (
        plan_file.bundled_path()
        .read_text(encoding="utf-8")
        .replace("  extra_holidays: []", "  extra_holidays: [2024-02-19]")
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    rows = [done("07/02/2024 09:00", "20/02/2024", processing_days="3")]
    assert ind(run(tmp_path, rows, targets_file=plan, period="2024"), "IV.1") == (1, 1, "pass")


def test_missing_column_is_no_data_with_its_reason(tmp_path):
    rows = [done("02/01/2024", "03/01/2024")]
    result = run(tmp_path, rows, **Q1)
    iv = next(i for i in result["indicators"] if i["id"] == "IV.1")
    assert (iv["status"], iv["note"]) == ("no_data", DUE_MISSING)
    i1 = next(i for i in result["indicators"] if i["id"] == "I.1")
    assert i1["note"] == "thiếu cột Phí, lệ phí, Thanh toán trực tuyến"


def test_feedback_on_time(tmp_path):
    fb = tmp_path / "pakn.csv"
    fb.write_text(
        "Mã PAKN,Ngày tiếp nhận,Hạn xử lý,Ngày xử lý xong\n"
        "P1,02/01/2024,10/01/2024,09/01/2024\n"  # handled on time
        "P2,02/01/2024,10/01/2024,12/01/2024\n"  # handled late
        "P3,20/03/2024,05/04/2024,\n"  # pending, still within its deadline at 31/03
        "P4,01/02/2024,20/02/2024,\n"  # pending and overdue
        "P5,01/03/2024,,15/03/2024\n",  # no deadline: 15 working days -> 22/03
        encoding="utf-8",
    )
    rows = [done("02/01/2024", "03/01/2024")]
    result = run(tmp_path, rows, feedback=fb, **Q1)
    assert ind(result, "III.5") == (3, 5, "fail")
    assert result["sources"]["feedback"] == {"read": 5, "used": 5, "excluded": {}}


def test_documents_and_entered_figures(tmp_path):
    docs = tmp_path / "vb.csv"
    docs.write_text(
        '"Số, ký hiệu",Ngày văn bản,Độ mật,Xử lý trên môi trường mạng\n'
        "1/UBND,02/01/2024,Thường,Có\n2/UBND,03/01/2024,Mật,Không\n3/UBND,04/01/2024,,Có\n",
        encoding="utf-8",
    )
    inputs = tmp_path / "in.yaml"
    inputs.write_text("period: 2024-Q1\nIII.1: {numerator: 11, denominator: 12}\n", encoding="utf-8")
    rows = [done("02/01/2024", "03/01/2024")]
    result = run(tmp_path, rows, documents=docs, inputs_file=inputs, **Q1)
    assert ind(result, "V.1") == (2, 2, "pass")  # the secret document is left out
    assert ind(result, "III.1") == (11, 12, "fail")
    # A quarter's figure is not a month's: it counts only for its own period.
    january = run(tmp_path, rows, documents=docs, inputs_file=inputs, period="2024-01")
    iii1 = next(i for i in january["indicators"] if i["id"] == "III.1")
    assert (iii1["status"], iii1["note"]) == ("no_data", "số liệu nhập là của kỳ 2024-Q1, không phải kỳ này")
    no_docs = run(tmp_path, rows, inputs_file=inputs, **Q1)
    v1 = next(i for i in no_docs["indicators"] if i["id"] == "V.1")
    assert v1["note"] == "chưa có sổ văn bản (--documents) hoặc số liệu nhập (--inputs)"


def test_entered_figure_errors(tmp_path, invoke):
    rows = [done("02/01/2024", "03/01/2024")]
    log = write(tmp_path / "log.csv", rows)
    inputs = tmp_path / "in.yaml"
    inputs.write_text(
        "period: 2024\nIII.1: {numerator: 13, denominator: 12}\nX.9: {numerator: 1, denominator: 1}\n"
        "V.1: {numerator: 1, denominator: 1}\n",
        encoding="utf-8",
    )
    result = invoke("compute", log, "--inputs", inputs)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Lỗi: {inputs}:2: III.1: tử số 13 lớn hơn mẫu số 12",
        f"Lỗi: {inputs}:3: X.9: không có chỉ tiêu này trong tệp chỉ tiêu (có: I.1, I.2, I.3, I.4, II.1, II.2, III.1, "
        "III.2, III.3, III.4, III.5, III.6, IV.1, IV.2, V.1)",
    ]
    inputs.write_text("III.1: {numerator: 1, denominator: 1}\n", encoding="utf-8")
    assert invoke("compute", log, "--inputs", inputs).stderr.splitlines() == [
        f"Lỗi: {inputs}:1: III.1: cần ghi số liệu này của kỳ nào (period: 2024, 2024-Q1 hoặc 2024-03)"
    ]


@pytest.mark.parametrize(
    "num,den,op,value,shown,met",
    [
        (23749, 25000, ">=", 95, 94.99, False),  # 94.996 % never shows as 95.00 %
        (199999, 200000, "=", 100, 99.99, False),
        (19, 20, ">=", 95, 95.0, True),
        (1, 3, ">=", 33.33, 33.33, True),
        (5002, 100000, "<=", 5, 5.01, False),
        (1, 8, ">=", 12, 12.5, True),
    ],
)
def test_display_never_crosses_the_threshold(num, den, op, value, shown, met):
    t = Target(op=op, value=value)
    assert t.met(num, den) is met
    assert display_value(num, den, t) == shown


def test_default_period_is_the_data_and_as_of_its_end(tmp_path):
    rows = [done("02/01/2024", "03/01/2024"), done("05/02/2024", "06/02/2024")]
    result = run(tmp_path, rows)
    assert result["period"] == {"label": "toàn bộ dữ liệu", "start": "2024-01-02", "end": "2024-02-06", "window": "all"}
    assert result["as_of"] == "2024-02-06"


def test_as_of_defaults_to_today_for_an_unfinished_period(tmp_path):
    from ttkhc_cli.domain.periods import parse_period as parse
    from ttkhc_cli.kpi import compute as C

    assert C.default_as_of(parse("2024-Q1"), dt.date(2024, 2, 10)) == dt.date(2024, 2, 10)
    assert C.default_as_of(parse("2024-Q1"), dt.date(2024, 5, 1)) == dt.date(2024, 3, 31)


def test_breakdown_by_department(tmp_path):
    rows = [
        done("02/01/2024", "03/01/2024", department="Tư pháp", channel="Trực tuyến"),
        done("02/01/2024", "03/01/2024", department="Tư pháp", channel=""),
        done("02/01/2024", "03/01/2024", department="Địa chính", channel="Trực tuyến"),
    ]
    result = run(tmp_path, rows, by="department", **Q1)
    groups = {g["key"]: g for g in result["groups"]["items"]}
    assert set(groups) == {"Tư pháp", "Địa chính"}
    i2 = {k: next(i for i in g["indicators"] if i["id"] == "I.2") for k, g in groups.items()}
    assert (i2["Tư pháp"]["numerator"], i2["Tư pháp"]["denominator"], i2["Tư pháp"]["status"]) == (1, 2, "pass")
    assert (i2["Địa chính"]["numerator"], i2["Địa chính"]["denominator"]) == (1, 1)


def test_breakdown_by_month(tmp_path):
    rows = [done("02/01/2024", "03/01/2024", channel="Trực tuyến"), done("05/02/2024", "06/02/2024", channel="")]
    result = run(tmp_path, rows, by="month", **Q1)
    keys = [g["key"] for g in result["groups"]["items"]]
    assert keys == ["2024-01", "2024-02", "2024-03"]
    i2 = [next(i for i in g["indicators"] if i["id"] == "I.2") for g in result["groups"]["items"]]
    assert [(i["numerator"], i["denominator"]) for i in i2] == [(1, 1), (0, 1), (0, 0)]


def test_another_plan_needs_no_code_change(tmp_path):
    from conftest import ROOT

    rows = [
        done("02/01/2025", "03/01/2025", channel="Trực tuyến", due="05/01/2025"),
        done("03/01/2025", "04/01/2025", channel="Bưu chính", due="03/01/2025"),
        done("04/01/2025", "06/01/2025", channel="", due="10/01/2025"),
    ]
    result = run(tmp_path, rows, targets_file=ROOT / "targets" / "vi-du-tinh-2026.yaml", period="2025-Q1")
    assert result["period"]["window"] == "nd09"
    assert ind(result, "I.1") == (1, 2, "fail")  # this plan leaves postal dossiers out; 50 % < 80 %
    assert ind(result, "II.1") == (2, 3, "fail")  # counted by receipt: the late 03/01 dossier is in


# ------------------------------------------------------------------ CLI


def test_cli_json_equals_library_result(tmp_path, invoke):
    rows = [done("02/01/2024", "03/01/2024", channel="Trực tuyến", due="05/01/2024")]
    log = write(tmp_path / "log.csv", rows)
    result = invoke("compute", log, "--period", "2024-Q1", "--by", "department", "--format", "json")
    assert json.loads(result.stdout) == dumped(
        api.compute_files(api.Request((log,), period="2024-Q1", by="department"))
    )


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_cli_formats_and_exit_1_on_failure(tmp_path, invoke, fmt):
    rows = [done("02/01/2024", "03/01/2024", channel="")]
    log = write(tmp_path / "log.csv", rows)
    result = invoke("compute", log, "--period", "2024-Q1", "--format", fmt)
    assert result.exit_code == 1
    out = result.stdout
    if fmt == "json":
        assert json.loads(out)["indicators"][1]["status"] == "fail"
    elif fmt == "csv":
        assert out.splitlines()[0] == "Mã,Chỉ tiêu,Kết quả (%),Tử số,Mẫu số,Chỉ tiêu giao,Đánh giá,Ghi chú"
        assert "I.2,Hồ sơ trực tuyến,0.00,0,1,≥ 50%,KHÔNG ĐẠT," in out
    elif fmt == "markdown":
        assert "| I.2 | Hồ sơ trực tuyến | 0,00 | 0 | 1 | ≥ 50% | KHÔNG ĐẠT |  |" in out
    else:
        assert "KHÔNG ĐẠT" in out and "CHƯA CÓ DỮ LIỆU" in out
        assert ("(đơn vị chưa rõ · kế hoạch mẫu) · Kỳ: Quý I năm 2024 [2024-Q1] (01/01/2024–31/03/2024, theo tháng "
                "dương lịch)") in out
        assert "Đã đọc 2 dòng sổ theo dõi hồ sơ: dùng 1, loại 1 (dòng trống: 1)" not in out


def test_cli_exit_0_when_everything_with_data_passes(tmp_path, invoke):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        """\
plan: {issuer: UBND xã A, unit: UBND xã A, year: 2024, title: Kế hoạch}
sections: [{id: I, title: Mục I}]
indicators:
  - id: I.2
    section: I
    name: Tỷ lệ hồ sơ trực tuyến
    target: {op: ">=", value: 50}
    count: {source: cases, period_by: received, denominator: all, numerator: online}
  - id: I.9
    section: I
    name: Chỉ tiêu chưa có dữ liệu
    target: {op: "=", value: 100}
    count: {source: feedback, period_by: received, denominator: all, numerator: on_time}
""",
        encoding="utf-8",
    )
    log = write(tmp_path / "log.csv", [done("02/01/2024", "03/01/2024", channel="Trực tuyến")])
    result = invoke("compute", log, "--targets", plan)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["--period", "2024-Q5"],
            "Lỗi: kỳ báo cáo '2024-Q5' không hợp lệ; dùng dạng 2024-03, 2024-Q1, 2024-H1 hoặc 2024",
        ),
        (["--period", "2024", "--from", "01/01/2024"], "Lỗi: dùng --period hoặc --from/--to, không dùng cả hai"),
        (
            ["--as-of", "31/13/2024"],
            "Lỗi: --as-of '31/13/2024' không phải ngày hợp lệ; dùng dd/mm/yyyy hoặc yyyy-mm-dd",
        ),
    ],
)
def test_cli_usage_errors_exit_2(tmp_path, invoke, args, message):
    log = write(tmp_path / "log.csv", [done("02/01/2024", "03/01/2024")])
    result = invoke("compute", log, *args)
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_cli_output_file_is_written_atomically(tmp_path, invoke):
    log = write(tmp_path / "log.csv", [done("02/01/2024", "03/01/2024", channel="")])
    out = tmp_path / "kq.json"
    result = invoke("compute", log, "--format", "json", "-o", out)
    assert result.exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["rows"]["used"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kq")] == []


def test_sample_data_workbook_holds_all_three_logs(invoke):
    from conftest import ROOT

    result = invoke(
        "compute",
        ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx",
        "--inputs",
        ROOT / "sample_data" / "so-lieu-nhap-2024.yaml",
        "--format",
        "json",
    )
    data = json.loads(result.stdout)
    assert set(data["sources"]) == {"cases", "feedback", "documents"}
    statuses = {i["id"]: i["status"] for i in data["indicators"]}
    assert "pass" in statuses.values() and "fail" in statuses.values()
    assert statuses["III.5"] != "no_data" and statuses["V.1"] != "no_data" and statuses["III.1"] != "no_data"
    assert result.exit_code == 1


def test_show_mapping_goes_to_stderr(tmp_path, invoke):
    log = write(tmp_path / "log.csv", [done("02/01/2024", "03/01/2024", channel="")])
    result = invoke("compute", log, "--show-mapping", "--format", "json")
    assert "mapping" not in json.loads(result.stdout)
    assert "Ánh xạ cột" in result.stderr and "Ngày tiếp nhận (received_at)" in result.stderr


@pytest.mark.parametrize("command", ["compute", "validate", "report", "targets"])
def test_every_command_has_help_with_an_example(invoke, command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Ví dụ" in result.stdout


def test_processing_time_from_the_target_files_procedures(tmp_path):
    text = (
        plan_file.bundled_path()
        .read_text(encoding="utf-8")
        .replace(
            "procedures: []",
            'procedures:\n  - code: "1.004873"\n    name: Xác nhận tình trạng hôn nhân\n    processing_days: 3',
        )
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    rows = [
        done("07/02/2024 09:00", "19/02/2024", procedure_name="XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"),  # due 19/02
        done("07/02/2024 09:00", "20/02/2024", procedure_name="Xác nhận tình trạng hôn nhân"),
    ]
    assert ind(run(tmp_path, rows, targets_file=plan, period="2024"), "IV.1") == (1, 2, "fail")
    no_table = run(tmp_path, rows, period="2024")
    assert next(i for i in no_table["indicators"] if i["id"] == "IV.1")["note"] == DUE_MISSING


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_log_of_a_header_and_no_dossier_has_no_data(invoke, tmp_path, suffix):
    """DuckDB's COUNT_IF over no rows is NULL, not 0: compute stopped with an internal error."""
    header = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Hình thức nộp"]
    path = tmp_path / f"so{suffix}"
    if suffix == ".csv":
        path.write_text(",".join(header) + "\n", encoding="utf-8")
    else:
        import pandas as pd

        pd.DataFrame(columns=header).to_excel(path, index=False)
    res = invoke("compute", path, "--format", "json", "-q")
    assert res.exit_code == 0, res.output
    iv1 = next(i for i in json.loads(res.stdout)["indicators"] if i["id"] == "IV.1")
    assert (iv1["status"], iv1["numerator"], iv1["denominator"]) == ("no_data", 0, 0)
    for command in (["index"], ["report", "-o", tmp_path / "bc.xlsx"], ["compute", "--by", "month"]):
        assert invoke(*command, path, "-q").exit_code in (0, 1)
