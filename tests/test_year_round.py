"""The plan through the year: Appendix II tasks and their deadlines, the reporting calendar, the
pace to year end, and each officer's list — every answer worked out here by hand."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from ttkhc_cli.domain import deadlines
from ttkhc_cli.domain.errors import UsageError
from ttkhc_cli.kpi import plan as plan_file
from ttkhc_cli.kpi import tasks

D = dt.date


@pytest.fixture(scope="module")
def seed():
    return plan_file.load_plan(None).file


# ------------------------------------------------------------------ deadlines, from the seed's printed texts

@pytest.mark.parametrize("text,kind,due,every", [
    ("Trước ngày 20/2/2024", "date", D(2024, 2, 19), None),  # before the 20th: by the 19th
    ("Tháng 02/2024", "month", D(2024, 2, 29), None),       # 2024 is a leap year
    ("Thường xuyên", "recurring", None, "continuous"),
    ("Sau khi có Văn bản triển khai của UBND tỉnh", "trigger", None, None),
    ("Theo Kế hoạch", "plan", None, None),
    ("Hàng quý, năm và đột xuất khi có yêu cầu (theo Thông tư 01/2020/TT-VPCP của Văn phòng Chính phủ)",
     "recurring", None, "quarterly"),
    # other ways plans write them
    ("Chậm nhất ngày 15/3/2024", "date", D(2024, 3, 15), None),
    ("Tháng 3 năm 2024", "month", D(2024, 3, 31), None),
    ("Quý II/2024", "quarter", D(2024, 6, 30), None),
    ("Quý 3", "quarter", D(2024, 9, 30), None),
    ("Hằng tháng", "recurring", None, "monthly"),
])
def test_deadlines_read_from_their_printed_text(text, kind, due, every):
    got = deadlines.parse(text, 2024)
    assert (got.kind, got.due, got.every) == (kind, due, every)


def test_every_seed_task_has_a_deadline_but_the_one_without_a_timing(seed):
    kinds = [t.due(2024) for t in seed.tasks]
    assert [k.kind if k else None for k in kinds] == [
        "date", "month", "recurring", "recurring", "recurring", "trigger", "trigger", "trigger", "plan", "plan",
        None, "recurring", "recurring", "trigger", "recurring"]


@pytest.mark.parametrize("as_of,first,second", [
    (D(2024, 1, 2), "upcoming", "upcoming"),    # 48 and 58 days ahead, beyond the 15 of "due soon"
    (D(2024, 2, 10), "due_soon", "due_soon"),   # 9 and 19 days: the month's end is 19 days ahead
    (D(2024, 2, 19), "due_soon", "due_soon"),   # the day itself
    (D(2024, 2, 20), "overdue", "due_soon"),
    (D(2024, 3, 1), "overdue", "overdue"),
])
def test_a_deadline_before_and_after(seed, as_of, first, second):
    rows = tasks.task_rows(seed, {}, as_of, within=15)
    if as_of == D(2024, 2, 10):
        second = "upcoming"  # 29/02 is 19 days after 10/02: more than 15
    assert (rows[0].standing, rows[1].standing) == (first, second)
    assert {r.standing for r in rows[2:]} <= {"recurring", "trigger", "plan", "unknown"}


def test_the_states_an_office_keeps(seed, tmp_path):
    path = tmp_path / "nhiem-vu.yaml"
    path.write_text('tasks:\n'
                    '  "1": {status: xong, done: 2024-02-22, product: Kế hoạch số 12/KH-UBND ngày 22/02/2024}\n'
                    '  "2": đang làm\n'
                    '  "3": {status: chưa làm}\n'
                    '  "6": {status: Hoàn thành, done: 01/03/2024, link: "https://xa.example.vn/kq/6"}\n',
                    encoding="utf-8")
    states = tasks.load_states(path, seed)
    rows = {r.id: r for r in tasks.task_rows(seed, states, D(2024, 3, 10), within=15)}
    assert (rows["1"].standing, rows["1"].late_done, rows["1"].text) == (
        "done", True, "xong ngày 22/02/2024, sau hạn 19/02/2024")
    assert rows["1"].product == "Kế hoạch số 12/KH-UBND ngày 22/02/2024"
    assert (rows["2"].standing, rows["2"].text) == ("overdue", "quá hạn 10 ngày (hạn 29/02/2024) (đang làm)")
    assert (rows["3"].state, rows["3"].standing) == ("todo", "recurring")
    assert (rows["6"].standing, rows["6"].link) == ("done", "https://xa.example.vn/kq/6")


@pytest.mark.parametrize("text,message", [
    ('tasks:\n  "99": {status: xong, done: 2024-01-01}\n', ":2: 99: không có nhiệm vụ này trong kế hoạch (có: 1, 2,"),
    ('tasks:\n  "1": {status: gần xong}\n', ":2: 1 → status: 'gần xong' không phải chưa làm, đang làm hoặc xong"),
    ('tasks:\n  "1": {status: xong}\n', ":2: 1: nhiệm vụ đã xong cần ngày xong (done: 2024-02-15)"),
    ('tasks:\n  "1": {status: xong, done: hôm qua}\n', ":2: 1 → done: 'hôm qua' không phải một ngày"),
])
def test_a_tasks_file_with_a_slip_is_refused_at_its_line(seed, tmp_path, text, message):
    path = tmp_path / "nhiem-vu.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as err:
        tasks.load_states(path, seed)
    assert f"{path}{message}" in str(err.value)


def test_a_task_done_after_the_as_of_date_was_not_done_then(seed, tmp_path):
    path = tmp_path / "nhiem-vu.yaml"
    path.write_text('"2": {status: xong, done: 2024-03-05}\n', encoding="utf-8")
    states = tasks.load_states(path, seed)
    before = tasks.task_rows(seed, states, D(2024, 2, 20), within=15)[1]
    assert (before.standing, before.text) == ("due_soon", "còn 9 ngày (hạn 29/02/2024) (chưa xong tại ngày xét; "
                                                           "xong ngày 05/03/2024)")
    after = tasks.task_rows(seed, states, D(2024, 3, 10), within=15)[1]
    assert (after.standing, after.late_done) == ("done", True)


def test_tasks_on_the_command_line_exits_1_when_one_is_overdue(invoke, tmp_path):
    path = tmp_path / "nhiem-vu.yaml"
    path.write_text('"1": {status: xong, done: 2024-02-15}\n"2": {status: xong, done: 2024-02-28}\n',
                    encoding="utf-8")
    res = invoke("tasks", "--tasks", path, "--as-of", "10/03/2024", "-f", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["counts"] == {"done": 2, "recurring": 6, "trigger": 4, "plan": 2, "unknown": 1}
    res = invoke("tasks", "--as-of", "10/03/2024", env={"COLUMNS": "80"})
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert lines[:2] == ["Nhiệm vụ Phụ lục II · UBND xã Đắk Tô Re · năm 2024",
                         "Tính đến ngày 10/03/2024 · sắp đến hạn: trong 15 ngày"]
    assert "Quá hạn (2)" in res.stdout and lines[-1] == "2 nhiệm vụ quá hạn."
    assert max(len(x) for x in lines) <= 80


# ------------------------------------------------------------------ the reporting calendar

def test_the_seed_plans_reporting_calendar_under_decree_09(seed):
    rows = tasks.duty_rows(seed, 2024, D(2024, 3, 1), within=15)
    assert len(rows) == 12 + 4 + 1 + 1  # the six-month report is the first half's; the year's covers the rest
    q1 = next(r for r in rows if r.period == "2024-Q1")
    assert q1.text == ("Báo cáo quý I năm 2024: hạn 15/03/2024 (kỳ số liệu 15/12/2023–14/03/2024 theo NĐ 09), "
                       "gửi UBND huyện")
    march = next(r for r in rows if r.period == "2024-03")
    assert (march.start, march.end, march.due, march.standing) == (D(2024, 2, 15), D(2024, 3, 14), D(2024, 3, 15),
                                                                   "due_soon")
    year = next(r for r in rows if r.period == "2024")
    assert (year.start, year.end, year.due) == (D(2023, 12, 15), D(2024, 12, 14), D(2024, 12, 15))
    h1 = next(r for r in rows if r.period == "2024-H1")
    assert (h1.start, h1.end, h1.due) == (D(2023, 12, 15), D(2024, 6, 14), D(2024, 6, 15))
    assert h1.text.startswith("Báo cáo 6 tháng đầu năm 2024: hạn thứ Bảy 15/06/2024")  # a due day off, said
    result = tasks.tasks_result("x", seed, {}, D(2024, 3, 16))
    assert [d.name for d in tasks.next_duties(result)] == [
        "Báo cáo tháng 04/2024", "Báo cáo quý II năm 2024", "Báo cáo 6 tháng đầu năm 2024", "Báo cáo năm 2024"]


def test_the_calendar_window_is_due_the_month_after(seed):
    duties = [d.model_copy(update={"window": "calendar"}) for d in seed.reporting]
    plan = seed.model_copy(update={"reporting": duties})
    rows = tasks.duty_rows(plan, 2024, D(2024, 3, 1), within=15)
    q1 = next(r for r in rows if r.period == "2024-Q1")
    assert (q1.start, q1.end, q1.due) == (D(2024, 1, 1), D(2024, 3, 31), D(2024, 4, 15))
    december = next(r for r in rows if r.period == "2024-12")
    assert december.due == D(2025, 1, 15)
    assert q1.text == "Báo cáo quý I năm 2024: hạn 15/04/2024 (kỳ số liệu 01/01/2024–31/03/2024), gửi UBND huyện"


def test_init_writes_the_deadlines_as_data(invoke, tmp_path):
    out = tmp_path / "ke-hoach-2025.yaml"
    res = invoke("init", "--unit", "xã Đắk Rơ Va", "--level", "xã", "--year", "2025", "-o", out)
    assert res.exit_code == 0, res.output
    made = plan_file.load_plan(out).file
    assert made.tasks[0].deadline.model_dump() == {"kind": "date", "due": D(2025, 2, 19), "every": None}
    assert made.tasks[1].deadline.due == D(2025, 2, 28)  # 2025 has no 29 February
    assert [d.every for d in made.reporting] == ["month", "quarter", "half", "year"]


# ------------------------------------------------------------------ the pace to year end

HEAD = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", "Kênh nộp", "Đồng bộ DVCQG"]


def _year_log(path: Path, last_year: int = 0, online: int = 15) -> Path:
    """Ten dossiers received each month of January–June 2024, the first ``online`` of the 60
    online, all synced but one; and ``last_year`` dossiers received in July–December 2023."""
    rows = []
    n = 0
    for month in range(1, 7):
        for k in range(10):
            n += 1
            rows.append([f"Y{n:03d}", f"{k + 2:02d}/{month:02d}/2024", f"{k + 10:02d}/{month:02d}/2024", "Đang xử lý",
                         "Trực tuyến" if n <= online else "Trực tiếp", "Không" if n == 60 else "Có"])
    for k in range(last_year):
        rows.append([f"L{k:03d}", f"{k % 28 + 1:02d}/{7 + k % 6:02d}/2023", "", "Đang xử lý", "Trực tiếp", "Có"])
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEAD)
        w.writerows(rows)
    return path


def _projection(invoke, path: Path) -> dict:
    res = invoke("compute", path, "--from", "01/01/2024", "--to", "30/06/2024", "-f", "json")
    data = json.loads(res.stdout)
    return {p["id"]: p for p in data["projection"]}


def test_the_pace_so_far_when_the_log_has_no_previous_year(invoke, tmp_path):
    got = _projection(invoke, _year_log(tmp_path / "y.csv"))
    online = got["I.2"]
    # 15/60 = 25 % by 30/06; 182 days gone (2024 is a leap year), 184 left: 60 × 184/182 = 60.66 → 61
    # dossiers to come; 50 % of 121 needs 61 online, 46 of the 61 to come: 75.41 %
    assert (online["rate"], online["remaining"], online["needed"], online["reachable"]) == (25.0, 61, 75.41, True)
    assert online["text"] == (
        "I.2: lũy kế đến 30/06/2024 đạt 25,00%; nếu giữ nhịp này, cả năm đạt khoảng 25,0%; để đạt 50% cả năm, từ "
        "nay cần khoảng 75,4% hồ sơ nộp trực tuyến (khoảng 61 hồ sơ từ nay đến cuối năm, ước tính theo nhịp 182 "
        "ngày từ đầu năm).")
    synced = got["I.4"]  # = 100 %: one dossier not synced yet; the office can still sync it
    assert synced["reachable"] is True
    assert "cần hoàn thiện thêm 1 hồ sơ đã tiếp nhận còn thiếu, và mọi hồ sơ từ nay đều đã đồng bộ" in synced["text"]


def test_the_same_months_of_the_previous_year_when_the_log_holds_them(invoke, tmp_path):
    got = _projection(invoke, _year_log(tmp_path / "y.csv", last_year=30))
    online = got["I.2"]
    # 30 dossiers received 01/07–31/12/2023: 50 % of 90 needs 45 online, all 30 to come: 100 %
    assert (online["remaining"], online["needed"], online["reachable"]) == (30, 100.0, True)
    assert "theo cùng kỳ năm trước, 01/07/2023–31/12/2023" in online["remaining_basis"]


def test_an_indicator_out_of_reach_is_said_so(invoke, tmp_path):
    online = _projection(invoke, _year_log(tmp_path / "y.csv", last_year=10))["I.2"]
    # 10 dossiers to come (July–December 2023); 50 % of 70 needs 35 online, 15 so far: 20 > 10; the
    # channel of a dossier received cannot change: at best (15 + 10)/70 = 35.71 %
    assert (online["remaining"], online["reachable"]) == (10, False)
    assert ("không còn đạt được 50% cả năm: kể cả mọi hồ sơ còn lại đều nộp trực tuyến thì cả năm chỉ khoảng "
            "35,71%") in online["text"]


def test_an_indicator_already_secured_is_said_so(invoke, tmp_path):
    path = _year_log(tmp_path / "y.csv", online=50)
    res = invoke("compute", path, "--from", "01/01/2024", "--to", "30/11/2024", "-f", "json")
    online = {p["id"]: p for p in json.loads(res.stdout)["projection"]}["I.2"]
    # 50 of 60 online by 30/11; 60 × 31/335 = 5.55 → 6 to come; 50 % of 66 is 33, fewer than 50
    assert (online["remaining"], online["needed"], online["reachable"]) == (6, 0.0, True)
    assert "đã chắc đạt 50% cả năm, dù các hồ sơ từ nay thế nào" in online["text"]


def test_the_projection_is_for_a_year_to_date_period_unless_asked(invoke, tmp_path):
    path = _year_log(tmp_path / "y.csv")
    q2 = json.loads(invoke("compute", path, "--period", "2024-Q2", "-f", "json").stdout)
    assert q2.get("projection") is None  # a quarter in the middle of the year: not by default
    asked = json.loads(invoke("compute", path, "--period", "2024-Q2", "--projection", "-f", "json").stdout)
    assert {p["id"] for p in asked["projection"]} >= {"I.2", "I.4"}
    off = json.loads(invoke("compute", path, "--period", "2024-H1", "--no-projection", "-f", "json").stdout)
    assert off.get("projection") is None


# ------------------------------------------------------------------ each officer's list

WORK_HEAD = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Cán bộ xử lý",
             "Bộ phận", "Phiếu xin lỗi", "Ngày yêu cầu bổ sung"]
WORK = [
    # Friday 26/04/2024: two working days later is Friday 03/05 (27–28/04 the weekend, 29/04 the day
    # off swapped with Saturday 04/05, 30/04 and 01/05 holidays)
    ["W1", "22/04/2024", "02/05/2024 16:30", "", "Đang xử lý", "Nguyễn Văn An", "Tư pháp - Hộ tịch", "", ""],  # due soon
    ["W2", "22/04/2024", "06/05/2024 16:30", "", "Đang xử lý", "Nguyễn Văn An", "Tư pháp - Hộ tịch", "", ""],  # later
    ["W3", "15/04/2024", "25/04/2024 16:30", "", "Đang xử lý", "Trần Thị Bình", "Địa chính", "", ""],  # overdue
    ["W4", "01/04/2024", "05/04/2024 16:30", "10/04/2024 09:00", "Đã trả kết quả", "Trần Thị Bình", "Địa chính",
     "", ""],  # late, no apology
    ["W5", "01/04/2024", "05/04/2024 16:30", "10/04/2024 09:00", "Đã trả kết quả", "Nguyễn Văn An",
     "Tư pháp - Hộ tịch", "Có", ""],  # late, apologised
    ["W6", "22/04/2024", "30/04/2024 16:30", "", "Yêu cầu bổ sung giấy tờ", "Nguyễn Văn An", "Tư pháp - Hộ tịch",
     "", "24/04/2024 09:00"],  # waiting for the citizen: not the officer's to act on
    ["W7", "22/04/2024", "03/05/2024 08:00", "", "Đang xử lý", "Nguyễn Văn An", "Tư pháp - Hộ tịch", "", ""],  # due soon
]


def _work_log(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(WORK_HEAD)
        w.writerows(WORK)
    return path


def test_each_officers_list_over_a_weekend_and_a_holiday(invoke, tmp_path):
    path = _work_log(tmp_path / "w.csv")
    res = invoke("worklist", path, "--as-of", "26/04/2024", "-f", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["due_by"] == "2024-05-03"
    lists = {o["officer"]: o for o in data["officers"]}
    an = {(i["kind"], i["id"]) for i in lists["Nguyễn Văn An"]["items"]}
    binh = {(i["kind"], i["id"]) for i in lists["Trần Thị Bình"]["items"]}
    assert an == {("due_soon", "W1"), ("due_soon", "W7")}
    assert binh == {("overdue", "W3"), ("late_no_apology", "W4")}
    assert lists["Trần Thị Bình"]["message"] == (
        "Anh/chị Trần Thị Bình có 1 hồ sơ đã quá hạn: W3 hạn 25/04; 1 hồ sơ trễ hạn chưa có phiếu xin lỗi: W4.")
    assert lists["Nguyễn Văn An"]["message"] == (
        "Anh/chị Nguyễn Văn An có 2 hồ sơ đến hạn trong 2 ngày làm việc (đến 03/05/2024): W1 hạn 02/05, W7 hạn 03/05.")
    one = json.loads(invoke("worklist", path, "--as-of", "26/04/2024", "--officer", "tran thi binh",
                            "-f", "json").stdout)
    assert [o["officer"] for o in one["officers"]] == ["Trần Thị Bình"]


def test_worklists_as_files_and_messages(invoke, tmp_path):
    path = _work_log(tmp_path / "w.csv")
    folder = tmp_path / "viec"
    res = invoke("worklist", path, "--as-of", "26/04/2024", "-o", folder)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in folder.iterdir()) == ["nguyen-van-an.csv", "tin-nhan.txt", "tran-thi-binh.csv"]
    rows = list(csv.reader((folder / "tran-thi-binh.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["Cán bộ", "Bộ phận", "Việc", "Mã hồ sơ"] and len(rows) == 3
    book = tmp_path / "viec.xlsx"
    assert invoke("worklist", path, "--as-of", "26/04/2024", "-o", book).exit_code == 0
    from openpyxl import load_workbook

    assert load_workbook(book, read_only=True).sheetnames == ["Nguyễn Văn An", "Trần Thị Bình", "Tin nhắn"]
    text = invoke("worklist", path, "--as-of", "26/04/2024", "-f", "text").stdout
    # the log names no unit, under the sample plan: said as such
    assert text.splitlines()[0] == "Việc cần làm tính đến ngày 26/04/2024 · (đơn vị chưa rõ · kế hoạch mẫu)"
    screen = invoke("worklist", path, "--as-of", "26/04/2024", env={"COLUMNS": "80"}).stdout
    assert max(len(x) for x in screen.splitlines()) <= 80 and "W3" in screen


def test_a_log_without_an_apology_column_says_so(invoke, tmp_path):
    head = [h for h in WORK_HEAD if h != "Phiếu xin lỗi"]
    rows = [[v for h, v in zip(WORK_HEAD, r) if h != "Phiếu xin lỗi"] for r in WORK]
    path = tmp_path / "w.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([head, *rows])
    data = json.loads(invoke("worklist", path, "--as-of", "26/04/2024", "-f", "json").stdout)
    assert data["notes"] == ["sổ không có cột Phiếu xin lỗi: chưa biết hồ sơ trễ hạn nào đã có phiếu xin lỗi"]


def test_the_report_holds_the_tasks_and_the_officers(invoke, tmp_path):
    from openpyxl import load_workbook

    path = _work_log(tmp_path / "w.csv")
    out = tmp_path / "bc.xlsx"
    res = invoke("report", path, "--period", "2024-04", "--as-of", "26/04/2024", "-o", out)
    assert res.exit_code in (0, 1), res.output
    book = load_workbook(tmp_path / "bc-viec-can-lam.xlsx", read_only=True)
    assert {"Việc của cán bộ", "Nhiệm vụ Phụ lục II"} <= set(book.sheetnames)
    cells = [c for row in book["Việc của cán bộ"].iter_rows(values_only=True) for c in row if c]
    assert any(str(c).startswith("• Anh/chị Trần Thị Bình có 1 hồ sơ đã quá hạn") for c in cells)
    tasks_cells = [c for row in book["Nhiệm vụ Phụ lục II"].iter_rows(values_only=True) for c in row if c]
    assert any("Quá hạn" in str(c) for c in tasks_cells)


def test_the_monthly_routine_page_shows_real_output(invoke, tmp_path, monkeypatch):
    """docs/cong-viec-hang-thang.md: its commands, run on the sample data at 80 columns, print
    every line its text blocks show (the lines cut with "…" aside)."""
    import re
    import shlex

    from conftest import ROOT

    page = (ROOT / "docs" / "cong-viec-hang-thang.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(\w+)\n(.*?)```", page, flags=re.S)
    (tmp_path / "nhiem-vu.yaml").write_text(next(b for kind, b in blocks if kind == "yaml"), encoding="utf-8")
    for name in ("so-theo-doi-ho-so-2024.xlsx", "phan-anh-kien-nghi-2024.xlsx", "van-ban-2024.xlsx"):
        (tmp_path / name).symlink_to(ROOT / "sample_data" / name)
    monkeypatch.chdir(tmp_path)
    printed = []
    for kind, block in blocks:
        if kind != "bash":
            continue
        for line in block.splitlines():
            args = shlex.split(line, comments=True)[1:]
            printed.append(invoke(*args, env={"COLUMNS": "80"}).stdout)
            if args[0] == "worklist":
                printed.append(invoke(*args, "--officer", "Lê Thị Mai", env={"COLUMNS": "80"}).stdout)
                printed.append(invoke(*args, "-f", "text").stdout)
    said = "\n".join(printed)
    flat = " ".join(said.split())
    for kind, block in blocks:
        if kind != "text":
            continue
        for line in block.splitlines():
            if line.strip() and "…" not in line:
                assert " ".join(line.split()) in flat, line


def test_a_task_named_by_its_printed_number_and_keys_checked(seed, tmp_path):
    path = tmp_path / "nhiem-vu.yaml"
    path.write_text('"I.2": {status: xong, done: 2024-02-20}\n', encoding="utf-8")  # printed once: task 2
    assert tasks.load_states(path, seed)["2"].done == D(2024, 2, 20)
    path.write_text('"II.1.1": {status: xong, done: 2024-02-20}\n', encoding="utf-8")  # printed twice: not a name
    with pytest.raises(UsageError, match="không có nhiệm vụ này"):
        tasks.load_states(path, seed)
    path.write_text('"2": {status: xong, done: 2024-02-20, ngay: 1}\n', encoding="utf-8")
    with pytest.raises(UsageError) as err:
        tasks.load_states(path, seed)
    assert "khóa ngay không dùng được; chỉ có status, done, product, link, note" in str(err.value)
    path.write_text('"2": {status: xong, done: 2025-13-15}\n', encoding="utf-8")  # not a date: its line
    with pytest.raises(UsageError, match=r":1: 2 → done: '2025-13-15' không phải một ngày"):
        tasks.load_states(path, seed)


def test_an_officer_the_log_does_not_know_is_said_so(invoke, tmp_path):
    path = _work_log(tmp_path / "w.csv")
    data = json.loads(invoke("worklist", path, "--as-of", "26/04/2024", "--officer", "Mai", "-f", "json").stdout)
    assert data["officers"] == []
    assert data["notes"] == ["không có cán bộ 'Mai' trong sổ (có: Nguyễn Văn An, Trần Thị Bình)"]
