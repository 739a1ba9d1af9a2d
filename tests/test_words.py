"""What a civil servant reads: help, the screen at 80 columns and piped, periods, counts, each
log's own words, and the report's text cells."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
import synthetic as S
import typer
from caselog import done, write
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ttkhc_cli.cli import app
from ttkhc_cli.domain import labels

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"
COMMANDS = ["validate", "compute", "report", "explain", "index", "convert", "sql", "init", "profiles",
            "targets show", "targets check"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_fits_80_columns_with_an_example_on_one_line(invoke, command):
    out = invoke(*command.split(), "--help", env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert not re.search(r"\[default|x>=|x<=|Show this|Options:|Arguments:", out)  # no English frame left
    cmd = typer.main.get_command(app)
    for word in command.split():
        cmd = cmd.commands[word]
    examples = re.findall(r"(?:Ví dụ: |^\s+)(ttkhc [^\n]+)", cmd.help or "", re.M)
    assert examples, f"{command}: no example in its help"
    for example in examples:
        assert any(example.strip() in line for line in lines), f"{command}: example cut: {example}"


def test_options_are_grouped_in_panels(invoke):
    out = invoke("compute", "--help", env={"COLUMNS": "80"}).stdout
    common, reading, scale = (out.index(t) for t in ("Tùy chọn:", "Đọc tệp (khi tự nhận chưa đúng):",
                                                     "Quy mô lớn (DuckDB, Spark):"))
    assert common < reading < scale
    assert out.index("--period") < reading < out.index("--encoding") < scale < out.index("--engine")


def test_piped_output_is_laid_out_for_80_columns(invoke):
    res = invoke("compute", SAMPLE, "-q", env={"COLUMNS": ""})  # a pipe, COLUMNS unset
    assert max(len(line) for line in res.stdout.splitlines()) <= 80


def test_the_output_is_refused_before_anything_is_read(invoke, monkeypatch):
    from ttkhc_cli import api

    def never(*args, **kwargs):
        raise AssertionError("the logs were read before the output was checked")

    monkeypatch.setattr(api, "compute_files", never)
    res = invoke("compute", SAMPLE, "-o", SAMPLE)
    assert res.exit_code == 2 and "là tệp đầu vào" in res.stderr


def test_a_workbook_split_by_month_is_said_once(invoke, tmp_path):
    log = S.case_log(120, 2024, seed=3)
    sheets = [(f"Tháng {m}", log[log["Ngày tiếp nhận"].str.contains(f"/{m:02d}/2024")], ["UBND XÃ ĐẮK TÔ RE"], None)
              for m in range(1, 13)]
    path = tmp_path / "thang.xlsx"
    S.write_workbook(path, sheets)
    res = invoke("validate", path, "--no-show-mapping")
    assert res.stderr.count("đọc trang tính") == 1
    assert "đọc trang tính 'Tháng 1' … 'Tháng 12', 12 trang tính (cùng tiêu đề, đọc chung thành một sổ)" in res.stderr


def test_the_index_points_to_where_its_findings_are(invoke, tmp_path):
    path = write(tmp_path / "a.csv", [done("02/01/2024", "03/01/2024", due="05/01/2024")])
    res = invoke("index", path, "--period", "2024-01")
    shown = re.search(r"Kiểm tra dữ liệu: 0 lỗi, (\d+) cảnh báo \(xem chi tiết bằng: ttkhc validate --definition "
                      r"qd766-2022\)", " ".join(res.stdout.split()))
    assert shown
    found = json.loads(invoke("validate", path, "--definition", "qd766-2022", "-f", "json").stdout)
    assert found["counts"]["warning"] == int(shown.group(1))


def test_explain_speaks_of_documents_as_documents(invoke):
    out = invoke("explain", "V.1", SAMPLE, "--period", "2024", "-q", env={"COLUMNS": "80"}).stdout
    assert "3 văn bản trong mẫu số mà không đạt tử số:" in out
    head = next(line for line in out.splitlines() if "Trích yếu" in line)  # the header row of the table
    assert "Dòng" in head and "Số, ký hiệu" in head and "Ngày văn bản" in head
    assert "hồ sơ" not in out.split("Cần làm")[1]


def test_explain_gives_the_procedure_the_screens_width(invoke):
    out = invoke("explain", "I.1", SAMPLE, "--period", "2024-03", "-q", "--limit", "3",
                 env={"COLUMNS": "80"}).stdout
    rows = [line for line in out.splitlines() if re.match(r"\s*\d+\s+000\.", line)]
    assert rows and all(len(line) <= 80 for line in out.splitlines())
    assert all(len(line.rstrip()) >= 75 for line in rows)  # no columns of the screen left empty


def test_one_period_label(invoke):
    compute = invoke("compute", SAMPLE, "--period", "2024-Q1", "-q").stdout
    assert "Kỳ: Quý I năm 2024 [2024-Q1] (01/01/2024–31/03/2024" in compute
    explain = invoke("explain", "I.1", SAMPLE, "--period", "2024-03", "-q").stdout
    assert explain.splitlines()[0].endswith("· Tháng 03/2024 [2024-03]")
    index = invoke("index", SAMPLE, "--period", "2024-03", "-q").stdout
    assert "Kỳ: Tháng 03/2024 [2024-03] (01/03/2024–31/03/2024)" in index


def test_a_span_of_whole_months_is_named_as_its_period(invoke, tmp_path):
    data = json.loads(invoke("compute", SAMPLE, "-q", "-f", "json").stdout)
    assert (data["period"]["label"], data["period"]["start"]) == ("2024", "2024-01-01")
    out = tmp_path / "r.xlsx"
    invoke("report", SAMPLE, "-o", out, "-q")
    cells = [str(c.value) for row in openpyxl.load_workbook(out)["Tổng hợp"].iter_rows() for c in row if c.value]
    assert any(c.startswith("Kỳ báo cáo: Năm 2024 (từ ngày 01/01/2024 đến ngày 31/12/2024)") for c in cells)
    assert not any("(từ ngày" in c and c.count("từ ngày") > 1 for c in cells)
    part = write(tmp_path / "a.csv", [done("05/01/2024", "06/01/2024"), done("10/02/2024", "20/02/2024")])
    span = json.loads(invoke("compute", part, "-q", "-f", "json").stdout)["period"]
    assert (span["label"], span["start"], span["end"]) == ("toàn bộ dữ liệu", "2024-01-05", "2024-02-20")


@pytest.mark.parametrize("word", ["bo-phan", "bộ phận", "BO PHAN", "department"])
def test_by_in_vietnamese(invoke, word):
    data = json.loads(invoke("compute", SAMPLE, "--period", "2024-Q1", "--by", word, "-q", "-f", "json").stdout)
    assert data["groups"]["by"] == "department"


def test_counts_with_the_vietnamese_thousands_separator(invoke):
    out = invoke("compute", SAMPLE, "-q").stdout
    assert "Đã đọc 1.501 dòng sổ theo dõi hồ sơ: dùng 1.500, loại 1 (dòng tổng cộng: 1)" in out
    assert labels.count(1234567) == "1.234.567" and labels.ratio(1448, 1480) == "1.448/1.480"
    data = json.loads(invoke("compute", SAMPLE, "-q", "-f", "json").stdout)
    assert data["rows"]["read"] == 1501  # JSON keeps plain numbers


def test_export_profiles_are_called_mau_xuat(invoke):
    res = invoke("compute", SAMPLE, "--show-mapping", "-f", "json")
    assert "· mẫu xuất: chung ·" in res.stderr and "hồ sơ xuất" not in res.stderr


def test_the_reports_rules_are_sentences(invoke, tmp_path):
    out = tmp_path / "r.xlsx"
    invoke("report", SAMPLE, "--period", "2024-Q1", "-o", out, "-q")
    notes = [[c.value for c in row] for row in openpyxl.load_workbook(out)["Ghi chú"].iter_rows()]
    rows = {r[0]: r for r in notes if r[0] in ("I.1", "III.3", "IV.1")}
    assert rows["I.1"][2] == "≥ 45%" and rows["IV.1"][2] == "≥ 95%"
    assert "“chứng thực bản sao”" in rows["III.3"][3]
    assert not any("«" in str(c) or "timing in" in str(c) for r in notes for c in r if c)


def test_an_overdue_dossier_is_at_least_a_day_late(invoke, tmp_path):
    # Due on Friday 29/03/2024, pending at Sunday 31/03: no working day between, still overdue.
    rows = [{"received_at": "25/03/2024", "due_at": "29/03/2024 16:00", "status": "Đang xử lý"},
            done("02/03/2024", "04/03/2024", due="05/03/2024")]
    path = write(tmp_path / "a.csv", rows)
    out = tmp_path / "r.xlsx"
    invoke("report", path, "--period", "2024-03", "-o", out, "-q")
    late = list(openpyxl.load_workbook(tmp_path / "r-viec-can-lam.xlsx")["Hồ sơ quá hạn"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(late) if r[0] == "Mã hồ sơ")
    days = late[head].index("Số ngày làm việc quá hạn")
    assert [r[days] for r in late[head + 1:] if r[0]] == [1]


NAMES = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệốồổỗộớờởỡợứừửữự ", min_size=30, max_size=90)


@settings(max_examples=8, deadline=None)
@given(procedure=NAMES, department=NAMES)
def test_no_line_exceeds_the_screen_on_long_names(tmp_path_factory, procedure, department):
    """Whatever the names, compute and explain stay within 80 columns (wrapped at words, cut with …)."""
    tmp = tmp_path_factory.mktemp("long")
    rows = [done("02/01/2024", "03/01/2024", due="02/01/2024", procedure_name=procedure.strip() or "x",
                 department=department.strip() or "y", fee="1000")]
    path = write(Path(tmp) / "a.csv", rows)
    runner = CliRunner()
    for args in (["compute", str(path), "--by", "department"], ["explain", "IV.1", str(path)],
                 ["validate", str(path)]):
        res = runner.invoke(app, args, env={"COLUMNS": "80"})
        assert res.exit_code in (0, 1), res.output
        assert max(len(line) for line in res.stdout.splitlines()) <= 80, args
