"""Many small files (#28, class 17): tables with one header are mapped and parsed as one stack,
and every figure, finding and row count is the one a file read alone gives."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import synthetic as S
from dumps import dumped
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ttkhc_cli import api
from ttkhc_cli.cli.commands import app
from ttkhc_cli.ingest import findings as FD
from ttkhc_cli.ingest import log as L

BANNERS = ("UBND XÃ ĐẮK RƠ VA", "UBND XÃ NGỌK RÉO", None)


def monthly_files(folder, files: int = 24, rows: int = 3, seed: int = 5) -> list:
    """A year of small exports of one system, with what real ones carry: a banner naming the
    unit or none, a numbering row, a totals row, a note under the table, a bad date, a bad
    fee, a dossier exported again the next month, and one file saved with a column fewer."""
    frame = S.case_log(files * rows, 2024, seed=seed).drop(columns=["STT"])
    rng = np.random.default_rng(seed)
    paths = []
    for k in range(files):
        part = frame.iloc[k * rows:(k + 1) * rows].copy()
        if k == 1:
            part.iloc[0, part.columns.get_loc("Ngày tiếp nhận")] = "31/02/2024"
            part.iloc[1, part.columns.get_loc("Phí, lệ phí (đồng)")] = "năm chục"
        if k == 10:  # exported again (no banner, as the first): the later row is kept
            part.iloc[0, part.columns.get_loc("Mã hồ sơ")] = frame.iloc[0]["Mã hồ sơ"]
        if k == 7:
            part = part.drop(columns=["Bộ phận xử lý"])
        lines = []
        banner = BANNERS[int(rng.integers(len(BANNERS)))] if k % 5 else None
        if banner:
            lines += [banner, "DANH SÁCH HỒ SƠ", ""]
        body = part.to_csv(index=False)
        head, data = body.split("\n", 1)
        lines.append(head)
        if k == 2:
            lines.append(",".join(f"({i + 1})" for i in range(part.shape[1])))
        lines.append(data.rstrip("\n"))
        if k == 3:
            lines.append(f"Tổng cộng: {rows}" + "," * (part.shape[1] - 1))
        if k == 5:
            lines.append("Người lập biểu" + "," * (part.shape[1] - 1))
        path = folder / f"thang-{k + 1:02d}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def alone(monkeypatch) -> None:
    """Every table read on its own, as before stacks."""
    monkeypatch.setattr(L, "STACK_TABLE_ROWS", -1)


def _facts(log: L.Log) -> tuple:
    frame = log.frame.astype(object).where(log.frame.notna(), None)
    return (frame.to_dict("records"), [f.__dict__ for f in log.findings], log.rows_json(), log.files_json(),
            sorted(log.present), log.mapping_json(), json.dumps(log.rows_json()))  # the reasons' order too


def test_a_stack_of_files_reads_as_each_file_alone(tmp_path, monkeypatch):
    paths = monthly_files(tmp_path)
    stacked = _facts(L.read_log(paths))
    alone(monkeypatch)
    assert _facts(L.read_log(paths)) == stacked
    records, found, rows, files, *_ = stacked
    assert len(files) == 24
    codes = {(f["code"], f["file"].rsplit("/", 1)[-1]) for f in found}
    assert {("invalid-date", "thang-02.csv"), ("invalid-money", "thang-02.csv"),
            ("duplicate-id", "thang-01.csv"), ("missing-column-in-file", "thang-08.csv")} <= codes
    assert ("duplicate-id", "thang-11.csv") not in codes
    assert rows["excluded"] == {"dòng đánh số cột": 1, "dòng tổng cộng": 1,
                                "dòng không phải hồ sơ (ghi chú, chữ ký…: không có ngày)": 1,
                                "trùng mã hồ sơ (giữ dòng sau cùng)": 1}
    assert rows["used"] == 24 * 3 - 1
    assert {f["unit"] for f in files} == {"UBND xã Đắk Rơ Va", "UBND xã Ngọk Réo", None}


def test_workbooks_stack_as_each_reads_alone(tmp_path, monkeypatch):
    """Workbooks carry typed cells (numbers, blanks a column of which has no type): only tables
    whose columns have the same types are stacked, and each keeps its sheet and Excel rows."""
    frame = S.case_log(40, 2024, seed=9)
    paths = []
    for k in range(8):
        part = frame.iloc[k * 5:(k + 1) * 5].copy()
        if k % 3 == 1:
            part["Phí, lệ phí (đồng)"] = 15000  # numbers, not text
        if k == 5:
            part["Lý do quá hạn"] = None
        path = tmp_path / f"thang-{k + 1}.xlsx"
        S.write_xlsx(part, path, S.banner("UBND xã Đắk Rơ Va", "Sổ theo dõi", 2024), sheet=f"T{k + 1}")
        paths.append(path)
    stacked = _facts(L.read_log(paths))
    alone(monkeypatch)
    assert _facts(L.read_log(paths)) == stacked
    assert {(f["sheet"], f["header_row"]) for f in stacked[3]} == {(f"T{k + 1}", 5) for k in range(8)}
    assert stacked[2]["excluded"] == {"dòng tổng cộng": 8}


@pytest.mark.parametrize("setting", ["dates", "numbers"])
def test_files_saved_with_other_regional_settings_read_each_in_its_own(tmp_path, monkeypatch, setting):
    """One file writes 13/01/2024 and 1.500,5, another 01/13/2024 and 1,500.5 (a CSV saved again
    by Excel on another machine): each is read in its own order, as alone, never the other's."""
    frame = S.case_log(12, 2024, seed=4)
    paths = []
    for k in range(3):
        part = frame.iloc[k * 4:(k + 1) * 4].copy()
        if setting == "dates" and k == 1:
            for col in ("Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả"):
                part[col] = pd.to_datetime(part[col], format="%d/%m/%Y %H:%M").dt.strftime("%m/%d/%Y %H:%M")
        if setting == "numbers":
            part["Phí, lệ phí (đồng)"] = ["1,500.5", "12,000.5", "2.5", "3,000.5"] if k == 1 else \
                ["1.500,5", "12.000,5", "2,5", "3.000,5"]
        path = tmp_path / f"{k}.csv"
        part.to_csv(path, index=False)
        paths.append(path)
    stacked = _facts(L.read_log(paths))
    assert not [f for f in stacked[1] if f["severity"] == "error"]
    alone(monkeypatch)
    assert _facts(L.read_log(paths)) == stacked


def test_rows_left_out_are_told_in_the_files_order(tmp_path, monkeypatch):
    """One file's note row, the next one's totals row: the reasons come in the order each file
    read alone gives them, not the catalogue's order of one stack."""
    frame = S.case_log(6, 2024, seed=2).drop(columns=["STT"])
    paths = []
    for k, extra in enumerate(["Người lập biểu", "Tổng cộng: 3"]):
        body = frame.iloc[k * 3:(k + 1) * 3].to_csv(index=False).rstrip("\n")
        path = tmp_path / f"{k}.csv"
        path.write_text(body + "\n" + extra + "," * (frame.shape[1] - 1) + "\n", encoding="utf-8")
        paths.append(path)
    stacked = _facts(L.read_log(paths))
    assert list(stacked[2]["excluded"]) == ["dòng không phải hồ sơ (ghi chú, chữ ký…: không có ngày)",
                                            "dòng tổng cộng"]
    alone(monkeypatch)
    assert _facts(L.read_log(paths)) == stacked


def test_the_figures_of_many_files_are_those_of_each_file_alone(tmp_path, monkeypatch):
    paths = tuple(monthly_files(tmp_path, files=30, seed=8))
    stacked = dumped(api.compute_files(api.Request(paths, by="file")))
    alone(monkeypatch)
    assert dumped(api.compute_files(api.Request(paths, by="file"))) == stacked
    assert len(stacked["groups"]["items"]) == 30


BAD = "'không rõ' không phải ngày hợp lệ (dùng ngày/tháng/năm)"


def test_each_file_keeps_its_own_cap_of_findings(tmp_path, monkeypatch):
    monkeypatch.setattr(FD, "PER_COLUMN_CAP", 2)
    frame = S.case_log(10, 2024, seed=3)
    paths = []
    for k in range(2):
        part = frame.copy()
        part.iloc[:4, part.columns.get_loc("Ngày hẹn trả")] = "không rõ"
        part["Mã hồ sơ"] = part["Mã hồ sơ"] + f"-{k}"
        path = tmp_path / f"{k}.csv"
        part.to_csv(path, index=False)
        paths.append(path)
    stacked = _facts(L.read_log(paths))
    shown = [(f["file"].rsplit("/", 1)[-1], f["row"], f["message"]) for f in stacked[1] if f["code"] == "invalid-date"]
    assert shown == [("0.csv", 2, BAD), ("0.csv", 3, BAD),
                     ("0.csv", None, "… và 2 ô khác cùng lỗi trong cột này"),
                     ("1.csv", 2, BAD), ("1.csv", 3, BAD),
                     ("1.csv", None, "… và 2 ô khác cùng lỗi trong cột này")]
    alone(monkeypatch)
    assert _facts(L.read_log(paths)) == stacked


def _normalised(monkeypatch) -> list[int]:
    """The number of rows of every table normalised (a stack's run counts once)."""
    calls: list[int] = []
    real = L.normalise
    monkeypatch.setattr(L, "normalise", lambda raw, *a, **k: calls.append(len(raw.data)) or real(raw, *a, **k))
    return calls


def test_files_of_one_header_are_parsed_once(tmp_path, monkeypatch):
    paths = monthly_files(tmp_path, files=40, rows=2)
    calls = _normalised(monkeypatch)
    log = L.read_log(paths)
    # The file with a column fewer (the 8th) is a stack of its own; the others are one.
    assert len(calls) == 2
    assert len(log.files) == 40


def test_files_of_two_headers_in_turn_are_two_stacks(tmp_path, monkeypatch):
    """Two communes' monthly files sorted by month come in turn, each system with its header:
    every header waits in its own stack, and every file keeps its place."""
    frame = S.case_log(24, 2024, seed=6).drop(columns=["STT"])
    paths = []
    for k in range(8):
        part = frame.iloc[k * 3:(k + 1) * 3]
        if k % 2:
            part = part.rename(columns={"Bộ phận xử lý": "Phòng ban xử lý"})
        path = tmp_path / f"{k}.csv"
        part.to_csv(path, index=False)
        paths.append(path)
    calls = _normalised(monkeypatch)
    stacked = _facts(L.read_log(paths))
    assert len(calls) == 2
    assert [f["file"].rsplit("/", 1)[-1] for f in stacked[3]] == [f"{k}.csv" for k in range(8)]
    alone(monkeypatch)
    assert _facts(L.read_log(paths)) == stacked


def test_a_large_table_is_not_stacked(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "STACK_TABLE_ROWS", 4)
    (tmp_path / "lon").mkdir()
    paths = monthly_files(tmp_path, files=6, rows=3) + monthly_files(tmp_path / "lon", files=1, rows=8)
    calls = _normalised(monkeypatch)
    L.read_log(paths)
    assert max(calls) >= 8 and len(calls) == 2


def _us(stamp: str) -> str:
    """A day-first time stamp as Excel's US regional settings write it (month first)."""
    return pd.to_datetime(stamp, format="%d/%m/%Y %H:%M").strftime("%m/%d/%Y %H:%M") if stamp else stamp


DATES = ("Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả")


def _odd_file(case: str, part: pd.DataFrame, odd: bool) -> pd.DataFrame:
    """A file of three, the ``odd`` one's cells telling a decision the others' do not share."""
    if case == "date-order":  # the others are written month-first; the odd one tells no order
        for col in DATES:
            part[col] = part[col].map(_us) if not odd else "03/04/2024 08:00"
    elif case == "decimal-mark":  # 1.5 says the dot is decimal; 15.000 alone is fifteen thousand
        part["Phí, lệ phí (đồng)"] = _cycle(["1.5", "2.5", "0"] if not odd else ["15.000", "0", "20.000"], part)
    elif case == "not-dates" and odd:  # OpenCPS: "Hạn xử lý" holds the timing, not a date
        part["Ngày hẹn trả"] = _cycle(["Đúng hạn", "Quá hạn", "Đúng hạn"], part)
    elif case == "not-codes" and odd:  # a status header over the state of a message
        part["Trạng thái"] = _cycle(["Đã gửi", "Chưa gửi", "Đã gửi"], part)
    elif case == "unit-column" and odd:  # the department column names the unit
        part["Bộ phận xử lý"] = "UBND xã Đắk Rơ Va"
    elif case == "day-count":  # days late, filled in for the late dossiers only (or none late)
        part["Quá hạn (ngày)"] = _cycle(["2", "", "1"], part) if not odd else ""
    return part


def _cycle(values: list[str], part: pd.DataFrame) -> list[str]:
    return [values[i % len(values)] for i in range(len(part))]


CASES = ("date-order", "decimal-mark", "not-dates", "not-codes", "unit-column", "day-count")


def _three_files(tmp_path, case: str, odd: int) -> list:
    """Three CSV files of three dossiers each; file `odd` is made odd the way `case` says."""
    frame = S.case_log(9, 2024, seed=31).drop(columns=["STT"])
    paths = []
    for k in range(3):
        part = _odd_file(case, frame.iloc[k * 3:(k + 1) * 3].copy().reset_index(drop=True), k == odd)
        path = tmp_path / f"{k}.csv"
        part.to_csv(path, index=False)
        paths.append(path)
    return paths


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("odd", [0, 1, 2])
def test_each_file_decides_what_its_own_cells_tell(tmp_path, monkeypatch, case, odd):
    """A stack once judged the date order, the decimal mark, the content checks, the unit column
    and the blank day count over all its files: a file that tells no order read in another's,
    15.000 read as 15 beside 1.5. Each file decides alone; files that read alike still share
    their parsing, wherever the odd one lies."""
    paths = _three_files(tmp_path, case, odd)
    calls = _normalised(monkeypatch)
    stacked = _facts(L.read_log(paths))
    runs = len(calls)
    alone(monkeypatch)
    assert _facts(L.read_log(paths)) == stacked
    assert runs == 2  # the two alike are read as one, neighbours or not


def test_a_file_that_tells_no_order_is_read_day_first_beside_month_first_ones(tmp_path):
    log = L.read_log(_three_files(tmp_path, "date-order", 1))
    got = log.frame.loc[log.frame["_file"].str.endswith("1.csv"), "received_at"]
    assert set(got) == {pd.Timestamp("2024-04-03 08:00")}


def test_fifteen_thousand_stays_fifteen_thousand_beside_decimals(tmp_path):
    log = L.read_log(_three_files(tmp_path, "decimal-mark", 1))
    by_file = log.frame.groupby(log.frame["_file"].str[-5:])["fee"].apply(list).to_dict()
    assert by_file == {"0.csv": [1.5, 2.5, 0.0], "1.csv": [15000.0, 0.0, 20000.0], "2.csv": [1.5, 2.5, 0.0]}


@pytest.mark.parametrize("department", [True, False])
def test_a_report_of_several_files_has_a_column_per_figure(tmp_path, department):
    """The sheet by file was as wide as the one by department: a log without departments
    (no figure columns there) stopped the report with an internal error."""
    paths = []
    for k in range(3):
        frame = S.case_log(12, 2024, seed=20 + k)
        frame["Mã hồ sơ"] = frame["Mã hồ sơ"] + f"-{k}"
        if not department:
            frame = frame.drop(columns=["Bộ phận xử lý", "Cán bộ xử lý"])
        path = tmp_path / f"xa-{k}.csv"
        frame.to_csv(path, index=False)
        paths.append(str(path))
    out = tmp_path / "bao-cao.xlsx"
    result = CliRunner().invoke(app, ["report", *paths, "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert out.exists()
    sheets = pd.read_excel(out, sheet_name=None, header=None, engine="openpyxl")
    assert any(any("Theo tệp" in str(v) for v in s.iloc[:, 0]) for s in sheets.values())


def test_a_stack_of_a_csv_and_a_workbook_keeps_the_csvs_sheet_none(tmp_path):
    """A CSV's rows have no sheet (None) beside a workbook's: pandas made the column text, the
    CSV's sheet NaN, and validate stopped with an internal error on its findings."""
    frame = S.case_log(6, 2024, seed=12).drop(columns=["STT"])
    frame.iloc[:3].to_csv(tmp_path / "a.csv", index=False)
    part = frame.iloc[3:].copy()
    part.iloc[0, part.columns.get_loc("Mã hồ sơ")] = frame.iloc[0]["Mã hồ sơ"]
    S.write_xlsx(part, tmp_path / "b.xlsx", [], totals=None)
    log = L.read_log([tmp_path / "a.csv", tmp_path / "b.xlsx"])
    assert {f.sheet for f in log.findings if f.file.endswith("a.csv")} <= {None}
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "a.csv"), str(tmp_path / "b.xlsx")])
    assert result.exit_code in (0, 1), result.output


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(("plain", *CASES)), st.integers(1, 4)), min_size=2, max_size=5))
def test_any_run_of_files_reads_as_each_file_alone(tmp_path_factory, files):
    """Whatever files come together, in whatever order, each reads as it does alone."""
    folder = tmp_path_factory.mktemp("files")
    frame = S.case_log(sum(n for _, n in files), 2024, seed=41).drop(columns=["STT"])
    paths, start = [], 0
    for k, (case, rows) in enumerate(files):
        part = frame.iloc[start:start + rows].copy().reset_index(drop=True)
        start += rows
        if case != "plain":
            part = _odd_file(case, part, True)
        path = folder / f"{k}.csv"
        part.to_csv(path, index=False)
        paths.append(path)
    stacked = _facts(L.read_log(paths))
    before = L.STACK_TABLE_ROWS
    L.STACK_TABLE_ROWS = -1
    try:
        assert _facts(L.read_log(paths)) == stacked
    finally:
        L.STACK_TABLE_ROWS = before


def test_a_column_no_field_reads_does_not_split_the_files(tmp_path, monkeypatch):
    """ "Ngày in phiếu", dates in two months' files (set aside as unused dates) and blank in the
    others (set aside as unmapped), split four files of one reading into two runs and a stack."""
    frame = S.case_log(12, 2024, seed=31).drop(columns=["STT"])
    paths = []
    for k in range(4):
        part = frame.iloc[k * 3:(k + 1) * 3].copy().reset_index(drop=True)
        part["Ngày in phiếu"] = "05/03/2024" if k % 2 == 0 else None
        path = tmp_path / f"{k}.csv"
        part.to_csv(path, index=False)
        paths.append(path)
    calls = _normalised(monkeypatch)
    stacked = _facts(L.read_log(paths))
    assert calls == [12]
    alone(monkeypatch)
    assert _facts(L.read_log(paths)) == stacked
