"""The 766 index counted as the formula document (FD, "Mô tả công thức tính chỉ số 766") says,
one hand-worked log per counting rule, through ``ttkhc index --format json``.

Every dossier's expected treatment is written beside it, with the FD line it follows quoted in
the test's comment. The month is March 2024 (31/03 is a Sunday; the period ends that day).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ttkhc_cli.kpi import service_index

C, K = "Có", "Không"
DONE, OPEN, WAIT = "Đã trả kết quả", "Đang xử lý", "Yêu cầu bổ sung giấy tờ"


def write(path: Path, head: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(head)
        w.writerows(rows)
    return path


def index(invoke, *args, period: str = "2024-03") -> dict:
    res = invoke("index", *args, "--period", period, "-f", "json")
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


def got(data: dict, ident: str) -> tuple:
    i = next(x for x in data["indicators"] if x["id"] == ident)
    return i["numerator"], i["denominator"], i["points"]


def row(data: dict, ident: str) -> dict:
    return next(x for x in data["indicators"] if x["id"] == ident)


# ------------------------------------------------------------------ 1. not received is not refused

def test_a_dossier_not_received_is_in_no_population(tmp_path, invoke):
    # FD 2.1: "… Từ chối, Dừng xử lý, Đã xử lý xong, Đã trả kết quả, Công dân yêu cầu rút hồ sơ
    # - chỉ tính các hồ sơ đã được tiếp nhận"
    head = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày từ chối", "Trạng thái",
            "Kênh nộp"]
    rows = [
        ["A1", "04/03/2024 08:00", "08/03/2024 17:00", "07/03/2024 10:00", "", DONE, "Trực tuyến"],  # on time
        ["A2", "05/03/2024 08:00", "08/03/2024 17:00", "11/03/2024 10:00", "", DONE, "Trực tiếp"],   # late
        # refused after reception, before its appointment: a received dossier, on time
        ["A3", "06/03/2024 08:00", "12/03/2024 17:00", "", "07/03/2024 09:00", "Từ chối giải quyết", "Trực tiếp"],
        # refused at the desk: never received; in none of the figures below
        ["A4", "06/03/2024 08:00", "12/03/2024 17:00", "", "06/03/2024 09:00", "Không được tiếp nhận", "Trực tuyến"],
        ["A5", "07/03/2024 08:00", "12/03/2024 17:00", "", "07/03/2024 08:30", "Từ chối tiếp nhận", "Trực tiếp"],
    ]
    path = write(tmp_path / "a.csv", head, rows)
    data = index(invoke, path)
    assert got(data, "2.1")[:2] == (2, 3)          # A1, A3 of A1–A3 (20 × 2/3 = 13.33)
    assert got(data, "2.1")[2] == 13.33
    assert got(data, "5.4")[:2] == (2, 3)
    res = invoke("compute", path, "--period", "2024-03", "-f", "json")
    plan = {i["id"]: i for i in json.loads(res.stdout)["indicators"]}
    assert (plan["I.2"]["numerator"], plan["I.2"]["denominator"]) == (1, 3)  # the plan's own, alike
    assert (plan["IV.1"]["numerator"], plan["IV.1"]["denominator"]) == (2, 3)
    report = tmp_path / "r.xlsx"
    invoke("report", path, "--period", "2024-03", "-o", report)
    from openpyxl import load_workbook

    ws = load_workbook(report, read_only=True)["Biểu 06"]
    total = next(r for r in ws.iter_rows(values_only=True) if "Tổng cộng" in r)
    assert total[2] == 3  # Biểu 06's received: A1–A3


# ------------------------------------------------------------------ 2 and 3. supplements, the open dossier's end

SUPP_HEAD = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Ngày yêu cầu bổ sung",
             "Ngày nhận bổ sung", "Số lần bổ sung"]
SUPP = [
    # ended after two requests; its last wait 05/03 09:00 → 08/03 09:00 moves 07/03 17:00 to
    # 10/03 17:00; finished 09/03: on time (FD: "Nếu hồ sơ kết thúc xử lý có 'Yêu cầu bổ sung' →
    # Thực hiện trừ thời gian bổ sung hồ sơ của công dân")
    ["B1", "01/03/2024 08:00", "07/03/2024 17:00", "09/03/2024 10:00", DONE, "05/03/2024 09:00",
     "08/03/2024 09:00", "2"],
    # still waiting after its second request: late (FD: "… trừ trường hợp 'Yêu cầu bổ sung hồ sơ'
    # hơn 01 lần thì tính quá hạn")
    ["B2", "12/03/2024 08:00", "18/03/2024 17:00", "", WAIT, "14/03/2024 09:00", "", "2"],
    # waiting after one request made before its appointment: judged at the request, in time
    ["B3", "12/03/2024 08:00", "18/03/2024 17:00", "", WAIT, "14/03/2024 09:00", "", "1"],
    # open, due on the period's last day at 16:30: the end is "ngày cuối kỳ báo cáo", a day: in time
    ["B4", "25/03/2024 08:00", "31/03/2024 16:30", "", OPEN, "", "", ""],
    # open, due 29/03, but it waited 26/03 → 28/03 for its citizen: due 31/03 17:00, in time
    ["B5", "25/03/2024 08:00", "29/03/2024 17:00", "", OPEN, "26/03/2024 09:00", "28/03/2024 09:00", "1"],
    # open, due 29/03 17:00 without any wait: overdue at the period's end
    ["B6", "25/03/2024 08:00", "29/03/2024 17:00", "", OPEN, "", "", ""],
]


def test_more_than_one_request_makes_late_only_a_dossier_still_waiting(tmp_path, invoke):
    data = index(invoke, write(tmp_path / "b.csv", SUPP_HEAD, SUPP))
    assert got(data, "2.1")[:2] == (4, 6)  # B1, B3, B4, B5; B2 (waiting, twice) and B6 late
    assert data["timing"]["supplements_late"] == "waiting" and data["timing"]["max_supplements"] == 1
    explained = invoke("explain", "2.1", tmp_path / "b.csv", "--period", "2024-03", "--all", "-f", "json")
    marks = {d["id"]: d["in_numerator"] for d in json.loads(explained.stdout)["dossiers"]}
    assert marks == {"B1": True, "B2": False, "B3": True, "B4": True, "B5": True, "B6": False}


def test_the_open_dossiers_reading_is_in_the_definition_and_can_be_changed(tmp_path, invoke):
    path = write(tmp_path / "b.csv", SUPP_HEAD, SUPP)
    data = index(invoke, path)
    readings = {r["id"]: r for r in data["readings"]}
    assert "ngày cuối kỳ báo cáo" in readings["open-end"]["fd"]
    assert "open_end: moment" in readings["open-end"]["alternative"]
    assert readings["supplements"]["indicators"] == ["2.1", "5.4"]
    # the alternative reading, as a revision of the definition: B4 (16:30 on the last day) is late,
    # and so is B5, whose appointment the wait moved to 17:00 on the last day
    text = (service_index._folder() / "qd766-2022.yaml").read_text(encoding="utf-8")
    moment = tmp_path / "moment.yaml"
    moment.write_text(text.replace("  open_end: day", "  open_end: moment"), encoding="utf-8")
    assert got(index(invoke, path, "--definition", moment), "2.1")[:2] == (2, 6)


# ------------------------------------------------------------------ 4 and 5. 3.3 needs an electronic result; the file decides

def test_an_online_dossier_counts_in_3_3_with_its_electronic_result(tmp_path, invoke):
    # FD 3.3: "KenhThucHien = 2 (Trực tuyến), và (2) cấp kết quả giải quyết điện tử đối với TTHC
    # yêu cầu trả kết quả bằng văn bản giấy tờ (có mã kết quả + đường links kết quả)"
    head = ["Mã hồ sơ", "Tên thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái",
            "Kênh nộp", "Kết quả điện tử"]
    rows = [
        ["C1", "Đăng ký khai sinh", "04/03/2024", "08/03/2024", "07/03/2024", DONE, "Trực tuyến", C],  # counts
        ["C2", "Đăng ký khai sinh", "04/03/2024", "08/03/2024", "07/03/2024", DONE, "Trực tuyến", K],  # no result
        ["C3", "Đăng ký khai sinh", "04/03/2024", "08/03/2024", "", OPEN, "Trực tuyến", K],  # open: no result yet
        # a procedure that returns no paper result: the channel alone
        ["C4", "Xác nhận tình trạng hôn nhân", "04/03/2024", "08/03/2024", "07/03/2024", DONE, "Trực tuyến", K],
        ["C5", "Đăng ký khai sinh", "04/03/2024", "08/03/2024", "07/03/2024", DONE, "Trực tiếp", C],
    ]
    path = write(tmp_path / "c.csv", head, rows)
    plan = tmp_path / "ke-hoach.yaml"
    text = (Path(service_index.__file__).parents[1] / "plans" / "dak-to-re-2024.yaml").read_text(encoding="utf-8")
    plan.write_text(text.replace("procedures: []", "procedures:\n  - {name: Xác nhận tình trạng hôn nhân, "
                                                   "returns_document: false}"), encoding="utf-8")
    data = index(invoke, path, "--targets", plan)
    three = row(data, "3.3")
    assert (three["numerator"], three["denominator"]) == (2, 5)  # C1 and C4 of five; no sync column: × 100 %
    assert three["points"] == 4.8  # 40 % of the 50 % that earns 6 points
    assert "sổ không có cột đồng bộ DVCQG" in three["note"]


def test_the_result_file_link_decides_over_an_electronic_result_flag(tmp_path, invoke):
    # FD 4.1: "… có link file kết quả giải quyết đính kèm"; 4.2: "Có file đính kèm trong kết quả xử lý"
    head = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Kết quả điện tử",
            "Đường dẫn tệp kết quả", "Số hóa hồ sơ"]
    rows = [
        ["D1", "04/03/2024", "08/03/2024", "07/03/2024", DONE, C, "https://dvc.example.vn/kq/D1.pdf", C],  # a file
        ["D2", "04/03/2024", "08/03/2024", "07/03/2024", DONE, C, "", C],      # flagged, no file: not counted
        ["D3", "04/03/2024", "08/03/2024", "07/03/2024", DONE, K, "https://dvc.example.vn/kq/D3.pdf", K],  # a file
        ["D4", "04/03/2024", "08/03/2024", "07/03/2024", DONE, C, "Không", C],  # the cell says no
    ]
    data = index(invoke, write(tmp_path / "d.csv", head, rows))
    assert got(data, "4.1")[:2] == (2, 4)  # D1, D3
    assert got(data, "4.2")[:2] == (1, 4)  # digitised with a result file: D1
    res = invoke("validate", tmp_path / "d.csv", "-f", "json")
    mapping = {m["header"]: (m["field"], m["rule"]) for m in json.loads(res.stdout)["mapping"]}
    assert mapping["Đường dẫn tệp kết quả"] == ("e_result", "presence")
    assert mapping["Kết quả điện tử"] == (None, "duplicate")


# ------------------------------------------------------------------ 6. 4.5b by any of FD's signs

def test_population_data_by_any_sign(tmp_path, invoke):
    # FD 4.5: "… có 'taikhoanduocxacthucvoiVNeID' hoặc 'DuoclaytukhoDMQG', 'MaCSDL' của CSDL Dân cư"
    head = ["MaHoSo", "TenTTHC", "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "TaiKhoanDuocXacThucVoiVNeID",
            "DuocLayTuKhoDMQG", "MaCSDL"]
    rows = [
        ["E1", "Đăng ký khai sinh", "20240304080000", "20240308170000", "4", "1", "0", ""],    # VNeID
        ["E2", "Đăng ký khai tử", "20240304080000", "20240308170000", "4", "0", "1", ""],      # DMQG store
        ["E3", "Đăng ký khai tử", "20240304080000", "20240308170000", "4", "0", "0", "7"],     # a database link
        ["E4", "Chứng thực bản sao", "20240304080000", "20240308170000", "4", "0", "0", ""],   # none
    ]
    data = index(invoke, write(tmp_path / "e.csv", head, rows))
    assert got(data, "4.5b") == (3, 4, 1.5)  # 2 × 3/4
    # 4.5a: the procedures with such dossiers are counted (2: khai sinh, khai tử); the catalogue's
    # denominator is entered
    assert row(data, "4.5a")["kind"] == "missing"
    assert "tử số tính từ sổ: 2 thủ tục có hồ sơ dùng dữ liệu dân cư; chưa nhập mẫu số" in row(data, "4.5a")["note"]


# ------------------------------------------------------------------ 7. 5.2: PAKN handled in the period

def test_feedback_handled_in_the_period_not_received_in_it(tmp_path, invoke):
    # FD 5.2: "PAKN được coi là đã xử lý trong kỳ nếu thời gian kết thúc của bước tương ứng với
    # trạng thái đã xử lý nằm trong kỳ báo cáo"; "… đã và đang xử lý trong kỳ"
    cases = write(tmp_path / "cases.csv", ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái"],
                  [["F0", "04/03/2024", "08/03/2024", OPEN]])
    pakn = write(tmp_path / "pakn.csv", ["Mã PAKN", "Ngày tiếp nhận", "Hạn xử lý", "Ngày xử lý xong", "Nội dung"], [
        ["P1", "20/02/2024", "05/03/2024", "04/03/2024", "Hỏi"],   # received in February, handled in March on time
        ["P2", "20/02/2024", "01/03/2024", "06/03/2024", "Hỏi"],   # handled in March, late
        ["P3", "25/03/2024", "12/04/2024", "", "Hỏi"],             # in progress at the end of March, in time
        ["P4", "05/02/2024", "26/02/2024", "20/02/2024", "Hỏi"],   # handled in February: not March's
        ["P5", "10/04/2024", "30/04/2024", "", "Hỏi"],             # received in April: not yet one
    ])
    data = index(invoke, cases, "--feedback", pakn)
    assert got(data, "5.2") == (2, 3, 4.0)  # P1, P3 of P1–P3; 6 × 2/3
    # 5.3: PAKN first received in March (P3): the likes are the portal's, to be entered
    assert row(data, "5.3")["kind"] == "missing" and "1 PAKN tiếp nhận trong kỳ" in row(data, "5.3")["note"]


def test_no_feedback_received_in_the_period_scores_5_3_in_full(tmp_path, invoke):
    # FD 5.3: "… ÷ PAKN có ngày tiếp nhận lần đầu trong kỳ"; the portal scores 0/0 with full points
    cases = write(tmp_path / "cases.csv", ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái"],
                  [["F0", "04/03/2024", "08/03/2024", OPEN]])
    pakn = write(tmp_path / "pakn.csv", ["Mã PAKN", "Ngày tiếp nhận", "Hạn xử lý", "Ngày xử lý xong", "Nội dung"],
                 [["P4", "05/02/2024", "26/02/2024", "20/02/2024", "Hỏi"]])
    five = row(index(invoke, cases, "--feedback", pakn), "5.3")
    assert (five["kind"], five["denominator"], five["points"]) == ("data", 0, 6.0)
    without = row(index(invoke, cases), "5.3")  # no feedback log: nothing known, the figure is entered
    assert without["kind"] == "missing"


# ------------------------------------------------------------------ 8. the portal counts what was synced

def test_only_synced_dossiers_where_the_log_says_which(tmp_path, invoke):
    # FD's numerators of 3.6, 4.1, 4.4, 4.5 say "hồ sơ đồng bộ"; the data of 2.1, 3.3, 4.1–4.4 is the
    # synced dossiers'. 1.4 keeps the unit's own received count.
    head = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Phí, lệ phí",
            "Thanh toán trực tuyến", "Kết quả điện tử", "Đồng bộ DVCQG"]
    rows = [
        ["G1", "04/03/2024", "08/03/2024", "07/03/2024", DONE, "50000", C, C, C],
        ["G2", "04/03/2024", "08/03/2024", "11/03/2024", DONE, "50000", C, C, K],  # late, not synced: out of 2.1
        ["G3", "04/03/2024", "08/03/2024", "07/03/2024", DONE, "50000", K, K, C],
        ["G4", "04/03/2024", "08/03/2024", "07/03/2024", DONE, "0", K, C, K],
    ]
    data = index(invoke, write(tmp_path / "g.csv", head, rows))
    assert got(data, "1.4")[:2] == (2, 4)   # synced of every dossier received
    assert got(data, "2.1")[:2] == (2, 2)   # G1, G3: the synced population
    assert got(data, "4.1")[:2] == (1, 2)   # G1 of G1, G3
    assert got(data, "3.6")[:2] == (1, 3)   # paid online and synced: G1 of the fee-bearing G1–G3
    assert row(data, "2.1")["note"] == "chỉ tính hồ sơ đã đồng bộ lên Cổng DVCQG"
    assert row(data, "3.6")["note"] == "tử số chỉ tính hồ sơ đã đồng bộ lên Cổng DVCQG"
    unsynced = [r[:-1] for r in rows]
    data = index(invoke, write(tmp_path / "h.csv", head[:-1], unsynced))
    assert got(data, "2.1")[:2] == (3, 4)   # no sync column: every dossier, and the note says so
    assert row(data, "2.1")["note"].startswith("sổ không có cột đồng bộ DVCQG")


# ------------------------------------------------------------------ 9. procedures counted, denominators entered

def test_procedure_counts_with_an_entered_denominator(tmp_path, invoke):
    # FD 3.2, 3.5, 4.5: the numerators are procedures with such dossiers in the period
    head = ["Mã hồ sơ", "Mã thủ tục", "Tên thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", "Kênh nộp",
            "Phí, lệ phí", "Thanh toán trực tuyến"]
    rows = [
        ["H1", "1.001193", "Đăng ký khai sinh", "04/03/2024", "08/03/2024", OPEN, "Trực tuyến", "0", K],
        ["H2", "1.001193", "Đăng ký khai sinh", "05/03/2024", "08/03/2024", OPEN, "Trực tuyến", "0", K],
        ["H3", "1.000656", "Đăng ký khai tử", "05/03/2024", "08/03/2024", OPEN, "Trực tuyến", "8000", C],
        ["H4", "2.000815", "Chứng thực bản sao", "05/03/2024", "08/03/2024", OPEN, "Trực tiếp", "2000", K],
        ["H5", "", "Chứng thực chữ ký", "05/03/2024", "08/03/2024", OPEN, "Trực tuyến", "", K],  # by its name
    ]
    path = write(tmp_path / "h.csv", head, rows)
    entered = tmp_path / "quoc-gia.yaml"
    entered.write_text("period: 2024-03\n3.2: {denominator: 6}\n3.5: {denominator: 4, note: danh mục}\n"
                       "3.5b: {denominator: 4}\n", encoding="utf-8")
    data = index(invoke, path, "--inputs", entered)
    two = row(data, "3.2")
    assert (two["numerator"], two["denominator"], two["points"], two["kind"], two["entered_part"]) == (
        3, 6, 2.0, "entered", "denominator")  # khai sinh, khai tử, chứng thực chữ ký of six: 4 × 3/6
    assert two["note"] == "tử số tính từ sổ (3 thủ tục có hồ sơ trực tuyến), mẫu số nhập (6)"
    assert got(data, "3.5") == (2, 4, 1.25)   # fee-bearing: khai tử, chứng thực bản sao; 2 × 50/80
    assert got(data, "3.5b") == (1, 4, 0.63)  # paid online: khai tử; 2 × 25/80 = 0.625 → 0.63 (half up)
    assert row(data, "3.5")["note"].endswith("mẫu số nhập (4): danh mục")
    # explain lists the dossiers of the procedures that have no online dossier: H4's
    res = invoke("explain", "3.2", path, "--period", "2024-03", "-f", "json")
    assert [d["id"] for d in json.loads(res.stdout)["dossiers"]] == ["H4"]


def test_a_denominator_alone_is_refused_where_the_numerator_is_not_counted(tmp_path, invoke):
    path = write(tmp_path / "h.csv", ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái"],
                 [["H1", "04/03/2024", "08/03/2024", OPEN]])
    entered = tmp_path / "quoc-gia.yaml"
    entered.write_text("period: 2024-03\n1.1: {denominator: 6}\n", encoding="utf-8")
    res = invoke("index", path, "--period", "2024-03", "--inputs", entered)
    assert res.exit_code == 2
    assert res.output.strip() == f"Lỗi: {entered}:2: 1.1: cần numerator, denominator (và period, note nếu muốn)"


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_every_engine_counts_the_formula_documents_rules_alike(tmp_path, invoke, engine):
    if engine == "spark":
        from test_engines import _spark_or_skip

        _spark_or_skip()
    path = write(tmp_path / "b.csv", SUPP_HEAD, SUPP)
    assert got(index(invoke, path, "--engine", engine), "2.1")[:2] == (4, 6)
    data = index(invoke, write(tmp_path / "e.csv", *_population()), "--engine", engine)
    assert got(data, "4.5b")[:2] == (3, 4)
    assert "tử số tính từ sổ: 2 thủ tục" in row(data, "4.5a")["note"]
    cases = write(tmp_path / "cases.csv", ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", "Đồng bộ DVCQG"],
                  [["F0", "04/03/2024", "08/03/2024", OPEN, C], ["F1", "04/03/2024", "05/03/2024", OPEN, K],
                   ["F2", "04/03/2024", "06/03/2024", "Không được tiếp nhận", C]])
    pakn = write(tmp_path / "pakn.csv", ["Mã PAKN", "Ngày tiếp nhận", "Hạn xử lý", "Ngày xử lý xong", "Nội dung"], [
        ["P1", "20/02/2024", "05/03/2024", "04/03/2024", "Hỏi"], ["P3", "25/03/2024", "12/04/2024", "", "Hỏi"],
        ["P4", "05/02/2024", "26/02/2024", "20/02/2024", "Hỏi"]])
    data = index(invoke, cases, "--feedback", pakn, "--engine", engine)
    assert got(data, "5.2")[:2] == (2, 2)  # P1 handled in March, P3 open at its end
    assert got(data, "2.1")[:2] == (0, 1) and got(data, "1.4")[:2] == (1, 2)  # F2 never received; F1 not synced


def _population() -> tuple[list[str], list[list[str]]]:
    head = ["MaHoSo", "TenTTHC", "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "TaiKhoanDuocXacThucVoiVNeID",
            "DuocLayTuKhoDMQG", "MaCSDL"]
    return head, [
        ["E1", "Đăng ký khai sinh", "20240304080000", "20240308170000", "4", "1", "0", ""],
        ["E2", "Đăng ký khai tử", "20240304080000", "20240308170000", "4", "0", "1", ""],
        ["E3", "Đăng ký khai tử", "20240304080000", "20240308170000", "4", "0", "0", "7"],
        ["E4", "Chứng thực bản sao", "20240304080000", "20240308170000", "4", "0", "0", ""],
    ]


def test_explain_follows_the_rule_the_index_counted_by(tmp_path, invoke):
    """A log without ratings: 5.4 is scored by its second rule (the on-time dossiers), and
    explain lists that rule's dossiers, named as the estimate it is."""
    path = write(tmp_path / "x.csv", ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"],
                 [["X1", "04/03/2024", "08/03/2024", "07/03/2024", DONE],
                  ["X2", "04/03/2024", "08/03/2024", "11/03/2024", DONE]])
    res = invoke("explain", "5.4", path, "--period", "2024-03", "-f", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["indicator"]["id"] == "5.4 (ước tính)" and [d["id"] for d in data["dossiers"]] == ["X2"]
    assert data["index"]["points"] == 3.33  # 6 × 50/90
