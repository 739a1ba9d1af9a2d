"""The national service index (QĐ 766) on hand-worked logs: rates, points, what-if, the total.

The March 2024 log below has ten dossiers; every figure in ``EXPECTED`` was worked out by hand
from the definition (points = max × min(1, rate / full_at)) and is written next to its reason.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ttkhc_cli import api
from ttkhc_cli.domain.errors import TargetFileError
from ttkhc_cli.kpi import service_index

HEAD = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày từ chối", "Trạng thái", "Kênh nộp",
        "Phí, lệ phí", "Thanh toán trực tuyến", "Số hóa hồ sơ", "Số hóa kết quả", "Kết quả điện tử",
        "Đồng bộ DVCQG", "Tái sử dụng dữ liệu", "Kho dữ liệu cá nhân", "Dữ liệu dân cư", "Mức độ hài lòng",
        "Ngày yêu cầu bổ sung", "Ngày nhận bổ sung", "Số lần bổ sung"]
C, K = "Có", "Không"
DONE, OPEN, WAIT = "Đã trả kết quả", "Đang xử lý", "Yêu cầu bổ sung giấy tờ"
# id, received, due, completed, rejected, status, channel, fee, paid, dig, res, e_result, synced, reused,
# store, population, rating, supplement asked, supplement received, supplements
MARCH = [
    # early; online; fee paid online; everything digital; rated satisfied
    ["D01", "04/03/2024 08:00", "08/03/2024 17:00", "07/03/2024 10:00", "", DONE, "Trực tuyến", "50000", C,
     C, C, C, C, C, C, C, "Hài lòng", "", "", ""],
    # on time (the appointment's day); fee-free: out of 3.6 even if marked paid
    ["D02", "05/03/2024 08:00", "11/03/2024 17:00", "11/03/2024 16:00", "", DONE, "Trực tiếp", "0", C,
     C, C, C, C, C, K, C, "Rất hài lòng", "", "", ""],
    # late (09:00 the day after); fee not paid online; result not digitised
    ["D03", "06/03/2024 08:00", "12/03/2024 17:00", "13/03/2024 09:00", "", DONE, "Trực tiếp", "30000", K,
     C, K, C, C, K, K, K, "", "", "", ""],
    # on time but rated "không hài lòng": in 2.1, not in 5.4
    ["D04", "07/03/2024 08:00", "13/03/2024 17:00", "12/03/2024 15:00", "", DONE, "Trực tuyến", "30000", C,
     C, C, C, C, C, K, K, "Không hài lòng", "", "", ""],
    # still open at 31/03, appointment 05/04: within time; no fee written
    ["D05", "25/03/2024 08:00", "05/04/2024 17:00", "", "", OPEN, "Trực tuyến", "", K,
     C, K, K, C, K, K, K, "", "", "", ""],
    # still open at 31/03, appointment 15/03 passed: overdue; not synced
    ["D06", "11/03/2024 08:00", "15/03/2024 17:00", "", "", OPEN, "Trực tiếp", "", K,
     K, K, K, K, K, K, K, "", "", "", ""],
    # waiting for a supplement asked once, on 14/03, before the appointment: within time
    ["D07", "12/03/2024 08:00", "18/03/2024 17:00", "", "", WAIT, "Trực tuyến", "20000", K,
     K, K, K, C, K, K, K, "", "14/03/2024 09:00", "", "1"],
    # the same, but asked twice: late (more than one supplement request)
    ["D08", "12/03/2024 08:00", "18/03/2024 17:00", "", "", WAIT, "Trực tuyến", "", K,
     K, K, K, C, K, K, K, "", "14/03/2024 09:00", "", "2"],
    # finished 09/03 after the appointment 07/03, but it waited 05/03 09:00 → 08/03 09:00 for the
    # citizen: the clock stopped, the appointment moves past 09/03: on time
    ["D09", "01/03/2024 08:00", "07/03/2024 17:00", "09/03/2024 10:00", "", DONE, "Trực tiếp", "", K,
     C, C, C, C, C, K, K, "", "05/03/2024 09:00", "08/03/2024 09:00", "1"],
    # rejected the day after reception, before its appointment: on time; not synced
    ["D10", "20/03/2024 08:00", "25/03/2024 17:00", "", "21/03/2024 10:00", "Từ chối", "Trực tiếp", "0", K,
     K, K, K, K, K, K, K, "", "", "", ""],
]
# id: (numerator, denominator, rate %, points). The log says which dossiers were synced (D06 and
# D10 were not), so 2.1, 3.3 and 4.1–4.4 count the eight synced dossiers only, and 3.6 and 4.5b
# count synced dossiers in their numerators (the reading "synced-only" of the definition).
EXPECTED = {
    "1.4": (8, 10, 80.0, 4.8),     # D06, D10 not synced; 6 × 0.8
    "2.1": (6, 8, 75.0, 15.0),     # synced: D03 late, D08 two supplements while waiting; 20 × 0.75
    "3.3": (2, 8, 20.0, 2.4),      # online with an electronic result D01, D04: 25 %, × sync 80 % = 20 %; 6 × 20/50
    "3.6": (2, 4, 50.0, 3.0),      # fee > 0: D01, D03, D04, D07; paid online (and synced) D01, D04; 6 × 0.5
    "4.1": (5, 8, 62.5, 3.75),     # electronic result D01–D04, D09 of the eight synced
    "4.2": (5, 8, 62.5, 2.5),      # dossier digitised with an electronic result: D01–D04, D09
    "4.3": (4, 8, 50.0, 1.25),     # reused D01, D02, D04, D09; 2 × 50/80
    "4.4": (1, 8, 12.5, 0.5),      # D01
    "4.5b": (2, 10, 20.0, 0.4),    # D01, D02 (both synced) of all ten
    "5.4": (6, 10, 60.0, 4.0),     # on time D01, D02, D04, D05, D07, D09, D10 less D04 (unsatisfied); 6 × 60/90
}


def write_log(path: Path, rows: list[list[str]], head: list[str] = HEAD) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["SỔ THEO DÕI HỒ SƠ THÁNG 3/2024"])
        w.writerow(head)
        w.writerows(rows)
    return path


@pytest.fixture
def march(tmp_path: Path) -> Path:
    return write_log(tmp_path / "thang-3.csv", MARCH)


def scored(path: Path, **kwargs) -> object:
    return api.index_files(api.Request((path,), period=kwargs.pop("period", "2024-03"), **kwargs))


def by_id(result) -> dict:
    return {i.id: i for i in result.indicators}


def test_every_computable_indicator_of_a_hand_worked_month(march: Path) -> None:
    got = by_id(scored(march))
    for ident, (num, den, rate, pts) in EXPECTED.items():
        i = got[ident]
        assert (i.numerator, i.denominator, i.rate, i.points, i.kind) == (num, den, rate, pts, "data"), ident


def test_the_total_says_what_it_covers(march: Path) -> None:
    r = scored(march)
    assert r.total.points == 37.6  # the sum of EXPECTED's points
    assert r.total.data_max == 62  # 6+20+6+6+6+4+2+4+2+6; 5.2 needs a feedback log
    assert r.total.text == "37,60/62 điểm tính được từ dữ liệu của đơn vị; 38/100 điểm chưa có số liệu"
    assert {g.id: g.points for g in r.groups} == {
        "cong-khai": 4.8, "tien-do": 15.0, "dvctt": 2.4, "thanh-toan": 3.0, "so-hoa": 8.4, "hai-long": 4.0}
    assert r.definition.id == "qd766-2022" and r.definition.version.startswith("2022")
    assert got_kinds(r) == {"5.2": "missing", "1.1": "missing"}


def got_kinds(r) -> dict:
    return {i.id: i.kind for i in r.indicators if i.id in ("5.2", "1.1")}


def test_what_if_sorted_by_points_per_dossier(march: Path) -> None:
    r = scored(march)
    assert [(a.id, a.dossiers, a.points) for a in r.actions] == [
        ("2.1", 2, 5.0),    # 6/8 → 8/8: +5, 2.5 points a dossier
        ("3.6", 2, 3.0),    # 2/4 → 4/4: +3, 1.5 a dossier
        ("3.3", 3, 3.6),    # 5/8 × 80 % = 50 %: 2.4 → 6, 1.2 a dossier
        ("1.4", 2, 1.8),    # 8/10 → 10/10: +1.2, and 3.3 (scaled by it) 25 % × 100 %: +0.6 more
        ("4.1", 3, 2.25),   # 5/8 → 8/8: 0.75 a dossier
        ("5.4", 3, 2.0),    # 6/10 → 9/10 = 90 %: +2, 0.67 a dossier
        ("4.4", 7, 3.5),    # 1/8 → 8/8: 0.5 a dossier, the most points first among equals
        ("4.2", 3, 1.5),
        ("4.3", 3, 0.75),   # 7/8 ≥ 80 %: full
        ("4.5b", 8, 1.6),
    ]
    assert r.actions[0].text == "thêm 2 hồ sơ giải quyết đúng hạn: +5 điểm"
    assert r.actions[3].text == "thêm 2 hồ sơ đồng bộ lên Cổng DVCQG: +1,80 điểm (kể cả chỉ số nhân với tỷ lệ này)"
    assert all(a.reaches_full for a in r.actions)


def test_threshold_exactly_at_full_and_just_under(tmp_path: Path) -> None:
    def reuse(n_yes: int, total: int) -> list[list[str]]:
        return [[f"R{k:02d}", "04/03/2024 08:00", "08/03/2024 17:00", "07/03/2024 10:00", "", DONE,
                 "Trực tuyến" if k == 0 else "Trực tiếp", "", K, K, K, K, C, C if k < n_yes else K, K, K, "", "",
                 "", ""] for k in range(total)]

    at = by_id(scored(write_log(tmp_path / "a.csv", reuse(8, 10))))["4.3"]
    assert (at.rate, at.points, at.what_if) == (80.0, 2.0, None)  # exactly X: full points, nothing to do
    under = by_id(scored(write_log(tmp_path / "b.csv", reuse(79, 100))))["4.3"]
    assert (under.rate, under.points) == (79.0, 1.98)  # 2 × 79/80 = 1.975 → 1.98 shown
    assert (under.what_if.dossiers, under.what_if.points) == (1, 0.02)


def test_zero_denominators_score_as_the_portal_does(tmp_path: Path) -> None:
    # No fee above 0 (3.6: 0 points) and no appointment anywhere (2.1 and 5.4: 0 points).
    rows = [[f"Z{k}", "04/03/2024 08:00", "", "07/03/2024 10:00", "", DONE, "Trực tiếp", "0", K, C, C, C, C, C,
             C, C, "", "", "", ""] for k in range(3)]
    feedback = tmp_path / "pakn.csv"
    with feedback.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Mã PAKN", "Ngày tiếp nhận", "Hạn xử lý", "Ngày xử lý xong", "Nội dung"])
        w.writerow(["P1", "10/01/2024", "31/01/2024", "20/01/2024", "Hỏi về thủ tục"])  # not in March
    r = scored(write_log(tmp_path / "z.csv", rows), feedback=feedback)
    got = by_id(r)
    assert (got["3.6"].denominator, got["3.6"].points, got["3.6"].kind) == (0, 0.0, "data")
    assert got["3.6"].note == "mẫu số bằng 0: 0 điểm, như Cổng DVCQG chấm"
    assert (got["2.1"].denominator, got["2.1"].points) == (0, 0.0)
    assert (got["5.4"].denominator, got["5.4"].points) == (0, 0.0)
    assert (got["5.2"].denominator, got["5.2"].points) == (0, 6.0)  # no PAKN in the month: full points
    assert got["4.1"].points == 6.0


def test_supplements_once_clock_stops_twice_late(march: Path) -> None:
    explained = api.explain_files(api.Request((march,), period="2024-03", definition="qd766-2022"), "2.1",
                                  everything=True)
    timing = {d.id: (d.timing, d.in_numerator) for d in explained.dossiers}
    assert timing["D07"][1] is True   # once, asked before the appointment: within time
    assert timing["D08"][1] is False  # twice: late
    assert timing["D09"][1] is True   # finished after the appointment, but the wait is added
    assert timing["D05"][1] is True  # pending within its appointment
    assert "D06" not in timing and "D10" not in timing  # not synced: not in the portal's population
    assert explained.index is not None and explained.index.points == 15.0
    # an id only the index has is the index's, without --definition
    again = api.explain_files(api.Request((march,), period="2024-03"), "2.1", everything=True)
    assert again.index is not None and again.model_dump() == explained.model_dump()


def test_entered_figures_fill_the_national_part_and_replace_a_proxy(march: Path, tmp_path: Path) -> None:
    entered = tmp_path / "quoc-gia.yaml"
    entered.write_text("period: 2024-03\n"
                       "1.1: {numerator: 9, denominator: 10, note: Cổng DVCQG}\n"
                       "1.4: {numerator: 8, denominator: 16}\n", encoding="utf-8")
    r = scored(march, inputs_file=entered)
    got = by_id(r)
    assert (got["1.1"].kind, got["1.1"].points) == ("entered", 5.4)
    # the national sync count replaces the unit's own: 50 %, and 3.3 is scaled by it (12.5 % → 1.5 points);
    # total: 37.6 − (4.8 − 3) for 1.4 − (2.4 − 1.5) for 3.3 + 5.4 for 1.1 = 40.3
    assert (got["1.4"].kind, got["1.4"].rate, got["1.4"].points) == ("entered", 50.0, 3.0)
    assert (got["3.3"].rate, got["3.3"].points) == (12.5, 1.5)
    assert r.total.text == ("40,30/68 điểm (56 điểm tính từ dữ liệu của đơn vị, 12 điểm từ số liệu nhập); "
                            "32/100 điểm chưa có số liệu")


def test_months_of_a_quarter_are_scored_one_by_one(march: Path) -> None:
    r = scored(march, period="2024-Q1")
    assert [m.period.label for m in r.months] == ["2024-01", "2024-02", "2024-03"]
    assert r.months[2].total.points == 37.6  # March alone: the hand-worked month
    assert r.total.points == 37.6            # the quarter holds only March's dossiers


def test_definition_files_are_validated_like_target_files(tmp_path: Path) -> None:
    text = (service_index._folder() / "qd766-2022.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "chi-so.yaml"
    bad.write_text(text.replace("short: Tiến độ, points: 20}", "short: Tiến độ, points: 25}"), encoding="utf-8")
    with pytest.raises(TargetFileError) as err:
        service_index.load_definition(bad)
    line = 1 + text[:text.index("short: Tiến độ, points: 20}")].count("\n")
    assert f"{bad}:{line}: nhóm tien-do: điểm các chỉ số cộng lại 20, khác điểm của nhóm 25" in err.value.lines()
    assert "index → total: 100 khác tổng điểm các nhóm 105" in str(err.value.lines())
    loop = tmp_path / "loop.yaml"
    loop.write_text(text.replace('    count: {source: cases, period_by: received, denominator: all, numerator: synced}',
                                 '    scaled_by: "3.3"\n    count: {source: cases, period_by: received, '
                                 'denominator: all, numerator: synced}'), encoding="utf-8")
    with pytest.raises(TargetFileError) as err:
        service_index.load_definition(loop)
    assert any("1.4 → scaled_by: chỉ số 3.3 cũng được nhân với chỉ số khác" in x for x in err.value.lines())
    rule = tmp_path / "rule.yaml"
    rule.write_text(text.replace("numerator: data_reused,", "numerator: data_reuse,"), encoding="utf-8")
    with pytest.raises(TargetFileError) as err:
        service_index.load_definition(rule)
    assert "data_reuse" in " ".join(err.value.lines())
    assert f"{rule}:" in " ".join(err.value.lines())  # with the line, as target files


def test_a_later_revision_is_a_new_file(march: Path, tmp_path: Path) -> None:
    text = (service_index._folder() / "qd766-2022.yaml").read_text(encoding="utf-8")
    # a revision where 4.2 earns full points from 80 % (FD's reading): no code change
    revised = text.replace("id: qd766-2022", "id: qd766-thu-nghiem").replace(
        "    # FD says full points from 80 %", "    # revised\n    # FD").replace(
        "    # item 6). This file follows the portal.\n    full_at: 100", "    # item 6).\n    full_at: 80")
    path = tmp_path / "qd766-thu-nghiem.yaml"
    path.write_text(revised, encoding="utf-8")
    r = scored(march, definition=str(path))
    assert r.definition.id == "qd766-thu-nghiem" and r.definition.file == str(path)
    assert by_id(r)["4.2"].points == 3.13  # 4 × 62.5/80 = 3.125, half up


# ------------------------------------------------------------------ the command

def test_cli_table_json_csv(invoke, march: Path, tmp_path: Path) -> None:
    res = invoke("index", march, "--period", "2024-03", env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == "Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)"  # no plan given: no unit assumed
    assert lines[1] == "Kỳ: Tháng 03/2024 [2024-03] (01/03/2024–31/03/2024) · Tính đến ngày 31/03/2024"
    assert "Tổng điểm: 37,60/62 điểm tính được từ dữ liệu của đơn vị" in lines
    assert "(38/100 điểm chưa có số liệu)" in lines
    assert "  1. 2.1 thêm 2 hồ sơ giải quyết đúng hạn: +5 điểm" in lines
    assert max(len(x) for x in lines) <= 80
    data = json.loads(invoke("index", march, "--period", "2024-03", "-f", "json").output)
    assert data["total"]["points"] == 37.6 and data["definition"]["id"] == "qd766-2022"
    assert [a["id"] for a in data["actions"]][:3] == ["2.1", "3.6", "3.3"]
    assert {r["id"] for r in data["readings"]} >= {"not-received", "supplements", "open-end", "synced-only"}
    out = tmp_path / "chi-so.csv"
    res = invoke("index", march, "--period", "2024-03", "-f", "csv", "-o", out)
    assert res.exit_code == 0
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["Kỳ", "Nhóm", "Mã", "Chỉ số"]
    assert ["2024-03", "Tiến độ, kết quả giải quyết", "2.1", "Giải quyết đúng hạn", "tính từ dữ liệu", "6", "8",
            "75.0", "15.0", "20.0", "20.0", "100.0", "thêm 2 hồ sơ giải quyết đúng hạn: +5 điểm",
            "chỉ tính hồ sơ đã đồng bộ lên Cổng DVCQG"] in rows
    assert rows[-1][1:4] == ["Tổng", "", "Tổng điểm"] and rows[-1][8:11] == ["37.6", "100.0", "62.0"]


def test_cli_errors_and_schema(invoke, march: Path) -> None:
    res = invoke("index", march, "--definition", "qd766-2030")
    assert res.exit_code == 2
    assert res.output.strip() == "Lỗi: qd766-2030: không có bộ chỉ số tên này (có: qd766-2022) và không phải tệp .yaml"
    schema = json.loads(invoke("index", "--schema").output)
    assert {"definition", "indicators", "groups", "total", "actions"} <= set(schema["properties"])
    res = invoke("explain", "1.1", march, "--period", "2024-03", "--definition", "qd766-2022")
    assert res.exit_code == 2
    assert "chỉ số 1.1 không tính từ sổ" in res.output


def test_report_has_the_index_sheet(invoke, march: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "bao-cao.xlsx"
    res = invoke("report", march, "--period", "2024-Q1", "-o", out)
    assert res.exit_code in (0, 1), res.output
    ws = load_workbook(out, read_only=True)["Chỉ số 766"]
    cells = [list(row) for row in ws.iter_rows(values_only=True)]
    flat = [c for row in cells for c in row if c is not None]
    assert "Tổng điểm cả kỳ: 37,60/62 điểm tính được từ dữ liệu của đơn vị; 38/100 điểm chưa có số liệu." in flat
    march_row = next(row for row in cells if row[0] == "Tháng 03/2024 (trên 62)")
    assert list(march_row[2:9]) == [4.8, 15.0, 2.4, 3.0, 8.4, 4.0, 37.6]
    first = next(row for row in cells if row[0] == 1)  # the what-if list: the task, then its figures
    assert first[1] == "2.1 Giải quyết đúng hạn: thêm 2 hồ sơ giải quyết đúng hạn"
    assert list(first[6:9]) == [2, 5.0, 2.5]
    none = tmp_path / "khong.xlsx"
    invoke("report", march, "--period", "2024-Q1", "-o", none, "--definition", "none")
    assert "Chỉ số 766" not in load_workbook(none, read_only=True).sheetnames


def test_a_file_and_its_converted_dataset_score_the_same(march: Path, tmp_path: Path, invoke) -> None:
    files = scored(march, period="2024-Q1").model_dump()
    data = tmp_path / "du-lieu"
    assert invoke("convert", march, "-o", data, "-q").exit_code == 0
    from_dataset = api.index_files(api.Request((data,), period="2024-Q1")).model_dump()
    assert from_dataset["indicators"] == files["indicators"]
    assert from_dataset["months"] == files["months"] and from_dataset["total"] == files["total"]


def test_the_unit_is_the_logs_own_and_an_empty_period_is_an_error(tmp_path: Path, invoke) -> None:
    rows = [[*row, "UBND xã Hòa Bình"] for row in MARCH]
    path = write_log(tmp_path / "hoa-binh.csv", rows, [*HEAD, "Xã, phường"])
    assert scored(path).unit == "UBND xã Hòa Bình"
    res = invoke("index", path, "--period", "2025-03")
    assert res.exit_code == 2
    assert res.output.strip() == ("Lỗi: kỳ 2025-03 (01/03/2025–31/03/2025) nằm ngoài dữ liệu: các sổ có ngày từ "
                                  "01/03/2024 đến 25/03/2024")


def test_entered_figures_name_the_index_and_say_what_they_replace(march: Path, tmp_path: Path) -> None:
    wrong = tmp_path / "sai.yaml"
    wrong.write_text("period: 2024-03\nIII.1: {numerator: 1, denominator: 1}\n", encoding="utf-8")
    with pytest.raises(Exception) as err:
        scored(march, inputs_file=wrong)
    assert "không có chỉ số này trong bộ chỉ số (có: 1.1, 1.2, 1.3, 1.4, 2.1," in str(err.value)
    over = tmp_path / "thay.yaml"
    over.write_text("period: 2024-03\n2.1: {numerator: 9, denominator: 10}\n", encoding="utf-8")
    got = by_id(scored(march, inputs_file=over))["2.1"]
    assert (got.kind, got.points, got.note) == ("entered", 18.0, "số liệu nhập (thay cho 6/8 tính từ sổ)")



def test_an_export_without_ratings_or_result_flags_falls_back_and_says_so(tmp_path: Path) -> None:
    """Most exports carry no ratings: 5.4 is then counted on time alone, as an estimate; 4.2 uses
    "Số hóa kết quả" when there is no electronic-result column."""
    keep = [h for h in HEAD if h not in ("Mức độ hài lòng", "Kết quả điện tử")]
    rows = [[v for h, v in zip(HEAD, row) if h in keep] for row in MARCH]
    got = by_id(scored(write_log(tmp_path / "khong-danh-gia.csv", rows, keep)))
    assert (got["5.4"].numerator, got["5.4"].denominator, got["5.4"].points) == (7, 10, 4.67)  # 2.1's seven
    assert got["5.4"].estimate == "sổ không có cột đánh giá, tính như chưa có đánh giá không hài lòng"
    assert (got["4.2"].numerator, got["4.2"].denominator) == (4, 8)  # dossier and result digitised, synced
    assert (got["3.3"].numerator, got["3.3"].denominator) == (5, 8)  # online by the channel alone, synced
    assert got["3.3"].estimate.endswith("sổ không có cột kết quả điện tử, tính hồ sơ trực tuyến theo kênh nộp")
    assert got["4.2"].estimate == "sổ không có cột kết quả điện tử, tính theo cột số hóa kết quả"
    assert got["4.1"].kind == "missing"
    full = by_id(scored(write_log(tmp_path / "du.csv", MARCH)))
    assert full["5.4"].estimate is None and full["4.2"].estimate is None  # the rule itself, no estimate


def test_the_national_portals_sync_dump_feeds_the_index(tmp_path: Path) -> None:
    """The DVCQG sync fields: packed dates, status and payment codes, the result file link, the
    VNeID flag (4.5b); no ratings (5.4 falls back) and no sync flag (it is the portal's own)."""
    import exports

    r = scored(exports.dvcqg(tmp_path / "dvcqg.csv"), period=None)
    got = by_id(r)
    # D26 carries code 3, "Không được tiếp nhận": never received, in no population (FD 2.1)
    assert (got["4.5b"].numerator, got["4.5b"].denominator, got["4.5b"].points) == (29, 29, 2.0)
    assert got["2.1"].kind == got["3.6"].kind == got["4.1"].kind == got["4.2"].kind == "data"
    assert got["5.4"].estimate is not None and got["1.4"].kind == "missing"
    assert r.total.data_max == 50  # 20 + 6 + 6 + 6 + 4 + 2 + 6
