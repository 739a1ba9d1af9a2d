"""Every cell read is a value or a finding at its position (#28, classes 2 and 8): characters
that other readers take for line ends, long quoted cells, CR-only files with a stray quote,
out-of-range date numbers, merged ranges past the data, Parquet columns of every type."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
import unicodedata

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import synthetic as S
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ttkhc_cli import api
from ttkhc_cli.io import csvfile

N = 40
NAME = "Tên thủ tục hành chính"
RECEIVED = "Ngày tiếp nhận"


@pytest.fixture(scope="module")
def log():
    frame = S.case_log(N, 2024, seed=8)
    assert NAME in frame and RECEIVED in frame
    return frame


def rows_of(path, **kwargs):
    _, report = api.validate_files(api.Request((path,), **kwargs))
    return report.model_dump(mode="json")


# Characters str.splitlines breaks at and a CSV reader does not.
NOT_LINE_ENDS = ["\u2028", "\u2029", "\u0085", "\f", "\v", "\x1c", "\x1d", "\x1e"]


@pytest.mark.parametrize("char", NOT_LINE_ENDS)
@pytest.mark.parametrize("where", ["first rows", "banner", "header"])
def test_characters_that_are_not_csv_line_ends_lose_no_dossier(log, tmp_path, char, where):
    frame = log.copy()
    path = tmp_path / "so.csv"
    if where == "first rows":
        frame.loc[0, NAME] = f"Cấp{char}lại"
        frame.loc[1, NAME] = f"{char}{char}Đăng ký"
    text = frame.to_csv(index=False)
    if where == "banner":
        text = f"UBND XÃ A{char}SỔ THEO DÕI\n" + text
    elif where == "header":
        text = text.replace(NAME, f"Tên{char} thủ tục", 1)
    path.write_text(text, encoding="utf-8")
    report = rows_of(path)
    assert report["rows"]["read"] == N and report["rows"]["used"] == N
    ids = api.load_sources(api.Request((path,)), api.plan_file.load_plan(None).file).case_log().frame["case_id"]
    assert list(ids) == list(frame["Mã hồ sơ"])


@given(st.lists(st.sampled_from([*NOT_LINE_ENDS, "a", " ", ",", '"']), max_size=12),
       st.sampled_from(["\n", "\r\n", "\r"]))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_header_is_looked_for_on_the_lines_the_data_is_read_from(tmp_path_factory, junk, newline):
    """Property: whatever a cell of the first records holds, every record is a row at its line."""
    frame = S.case_log(6, 2024, seed=9)
    cell = "".join(junk).replace('"', '""')
    frame.loc[0, NAME] = cell
    path = tmp_path_factory.mktemp("fuzz") / "so.csv"
    path.write_bytes(frame.to_csv(index=False, lineterminator=newline).encode("utf-8"))
    report = rows_of(path)
    assert report["rows"]["read"] == 6


@pytest.mark.parametrize("lines", [21, 30, 100, 400])
def test_a_quoted_cell_of_many_lines_is_one_cell(log, tmp_path, lines):
    frame = log.copy()
    frame.loc[3, NAME] = "\n".join(f"Ghi chú dòng {i}" for i in range(lines))
    path = tmp_path / "so.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    report = rows_of(path)
    assert report["rows"]["read"] == N and report["rows"]["used"] == N
    assert not [f for f in report["findings"] if f["code"] == "unclosed-quote"]


@pytest.mark.parametrize("newline", ["\r", "\n", "\r\n"])
@pytest.mark.parametrize("line", [3, 10, N])
def test_one_unclosed_quote_loses_no_dossier_whatever_the_line_ends(log, tmp_path, newline, line):
    lines = log.to_csv(index=False, lineterminator=newline).split(newline)
    lines[line] = lines[line].replace(",", ',"', 1)  # a quote opened and never closed
    path = tmp_path / "so.csv"
    path.write_bytes(("\ufeff" + newline.join(lines)).encode("utf-8"))
    report = rows_of(path)
    assert report["rows"]["read"] == N
    faulty = [f for f in report["findings"] if f["code"] == "unclosed-quote"]
    assert [f["row"] for f in faulty] == [line + 1]


def test_lines_of_ends_lines_as_a_csv_reader_does():
    assert csvfile.lines_of("a\u2028b\r\nc\rd\ne\f\n") == ["a\u2028b", "c", "d", "e\f"]


# ------------------------------------------------------------------ workbooks

def workbook(log, path, edit):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(log.columns))
    for row in log.itertuples(index=False):
        ws.append(list(row))
    edit(ws)
    wb.save(path)


@pytest.mark.parametrize("number", [3e6, 2958466, -5, -1e9, 1e300])
def test_a_date_number_beyond_the_calendar_is_a_finding_at_its_cell(log, tmp_path, number):
    col = list(log.columns).index(RECEIVED) + 1
    letter = openpyxl.utils.get_column_letter(col)

    def edit(ws):
        cell = ws.cell(row=5, column=col, value=number)
        cell.number_format = "dd/mm/yyyy"

    path = tmp_path / "so.xlsx"
    workbook(log, path, edit)
    report = rows_of(path)
    assert report["rows"]["read"] == N
    at = [f for f in report["findings"] if f["row"] == 5 and f["column"] == letter]
    assert at and at[0]["severity"] == "error", report["findings"][:5]


@pytest.mark.parametrize("past", [1, 5, 200])
def test_a_merged_range_past_the_last_row_is_clipped_not_ignored(log, tmp_path, past):
    col = list(log.columns).index("Lĩnh vực") + 1 if "Lĩnh vực" in log.columns else 4

    def edit(ws):
        top = N - 4  # the last five dossiers share one field, merged down past the table
        for r in range(top + 1, N + 2):
            ws.cell(row=r, column=col).value = None
        ws.cell(row=top, column=col).value = "Tư pháp - Hộ tịch"
        ws.merge_cells(start_row=top, start_column=col, end_row=N + 1 + past, end_column=col)

    path = tmp_path / "so.xlsx"
    workbook(log, path, edit)
    frame = api.load_sources(api.Request((path,)), api.plan_file.load_plan(None).file).case_log().frame
    assert len(frame) == N
    assert list(frame["field"].tail(6).astype(str)) == ["Tư pháp - Hộ tịch"] * 6


# ------------------------------------------------------------------ Parquet of every type

TYPES = {
    "date32": pa.array([dt.date(2024, 3, 1)] * N, pa.date32()),
    "date64": pa.array([dt.date(2024, 3, 1)] * N, pa.date64()),
    "decimal": pa.array([decimal.Decimal("1.50")] * N, pa.decimal128(10, 2)),
    "time": pa.array([dt.time(8, 30)] * N, pa.time64("us")),
    "binary": pa.array([b"\xff\x00abc"] * N, pa.binary()),
    "struct": pa.array([{"a": 1, "b": "x"}] * N),
    "list": pa.array([[1, 2]] * N),
    "map": pa.array([[("k", "v")]] * N, pa.map_(pa.string(), pa.string())),
    "duration": pa.array([dt.timedelta(days=2)] * N, pa.duration("s")),
    "zoned": pa.array([dt.datetime(2024, 3, 1, 1)] * N, pa.timestamp("ms", tz="UTC")),
    "dictionary": pa.array(["a", "b"] * (N // 2)).dictionary_encode(),
    "null": pa.nulls(N),
}


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_a_parquet_column_of_any_type_not_used_is_no_error(log, tmp_path, kind):
    table = pa.Table.from_pandas(log, preserve_index=False).append_column(f"Cột {kind}", TYPES[kind])
    path = tmp_path / "so.parquet"
    pq.write_table(table, path)
    report = rows_of(path)
    assert report["rows"]["used"] == N


@pytest.mark.parametrize("kind", ["date32", "date64", "zoned", "string", "timestamp"])
def test_a_parquet_date_of_any_type_is_read_as_the_date(log, tmp_path, kind):
    days = pd.to_datetime(log[RECEIVED], dayfirst=True).dt.date
    cols = {
        "date32": pa.array(list(days), pa.date32()), "date64": pa.array(list(days), pa.date64()),
        # 17:00 UTC is midnight in Vietnam: the next day's date
        "zoned": pa.array([dt.datetime.combine(d, dt.time()) - dt.timedelta(hours=7) for d in days],
                          pa.timestamp("us", tz="UTC")),
        "string": pa.array([d.strftime("%d/%m/%Y") for d in days]),
        "timestamp": pa.array([dt.datetime.combine(d, dt.time()) for d in days], pa.timestamp("ns")),
    }
    table = pa.Table.from_pandas(log, preserve_index=False)
    table = table.set_column(table.schema.get_field_index(RECEIVED), RECEIVED, cols[kind])
    path = tmp_path / "so.parquet"
    pq.write_table(table, path)
    frame = api.load_sources(api.Request((path,)), api.plan_file.load_plan(None).file).case_log().frame
    assert [d.date() for d in frame["received_at"]] == list(days)
    assert json.dumps(rows_of(path)["rows"]) == json.dumps({"read": N, "used": N, "excluded": {}})


# ------------------------------------------------------------------ CSV encodings and sizes (class 15)

@pytest.mark.parametrize("line", [2, 5, N + 1])
@pytest.mark.parametrize("legacy", ["cp1258", "latin-1"])
def test_one_legacy_line_in_a_utf8_file_is_read_and_named(log, tmp_path, line, legacy):
    frame = log.copy()
    frame["Người nộp hồ sơ"] = "Nguyễn Văn An" if legacy == "cp1258" else "Nguyễn Văn Ân"
    lines = frame.to_csv(index=False).split("\n")
    stray = lines[line - 1].replace("Nguyễn Văn An", "Nguyen Văn An").replace("Nguyễn Văn Ân", "Nguyen Ân")
    form = "NFD" if legacy == "cp1258" else "NFC"  # Windows-1258 writes tones as combining marks
    old = unicodedata.normalize(form, stray).encode(legacy, errors="replace")  # as an old program wrote it
    raw = "\n".join(lines[: line - 1]).encode("utf-8") + b"\n" + old + b"\n" + \
        "\n".join(lines[line:]).encode("utf-8")
    path = tmp_path / "so.csv"
    path.write_bytes(raw)
    report = rows_of(path)
    assert report["rows"]["read"] == N and report["rows"]["used"] == N
    said = [f for f in report["findings"] if f["code"] == "line-not-utf8"]
    assert [(f["row"], f["severity"]) for f in said] == [(line, "warning")]
    frame_read = api.load_sources(api.Request((path,)), api.plan_file.load_plan(None).file).case_log().frame
    other = 0 if line != 2 else 1
    assert frame_read["applicant"].iloc[other] == frame["Người nộp hồ sơ"].iloc[other]  # UTF-8 lines intact


def test_a_file_in_a_legacy_code_page_throughout_is_read_in_it(log, tmp_path):
    path = tmp_path / "so.csv"
    path.write_bytes(log.to_csv(index=False).encode("cp1258", errors="replace"))
    report = rows_of(path)
    assert report["rows"]["read"] == N
    assert not [f for f in report["findings"] if f["code"] == "line-not-utf8"]


@pytest.mark.parametrize("at", [0, 200, 3000])
def test_a_nul_byte_is_refused_saying_where(log, tmp_path, invoke, at):
    raw = log.to_csv(index=False).encode("utf-8")
    path = tmp_path / "so.csv"
    path.write_bytes(raw[:at] + b"\x00" + raw[at:])
    line = raw.count(b"\n", 0, at) + 1
    column = at - (raw.rfind(b"\n", 0, at) + 1) + 1
    res = invoke("validate", path, "-q")
    assert res.exit_code == 2
    assert f"0x00 ở dòng {line}, ký tự thứ {column}, byte thứ {at + 1}" in res.stderr and "\n" not in res.stderr.strip()


@pytest.mark.parametrize("megabytes", [9, 20])
def test_a_cell_larger_than_a_read_block_is_one_cell(log, tmp_path, megabytes):
    frame = log.copy()
    frame.loc[5, NAME] = "x" * (megabytes << 20)
    path = tmp_path / "so.csv"
    frame.to_csv(path, index=False, encoding="utf-8")
    report = rows_of(path)
    assert report["rows"]["read"] == N


@pytest.mark.parametrize("newline", ["\r", "\n", "\r\n"])
@pytest.mark.parametrize("extra", [0, 3])
def test_a_stray_quote_before_a_quoted_cell_swallows_no_line(log, tmp_path, newline, extra):
    """The stray quote pairs with the next line's first quote (a procedure name with a comma is
    quoted): that line is a record of its own, not the rest of a cell. With ``extra`` header
    columns the rows are shorter than the header, as some systems write them."""
    frame = log.copy()
    frame[NAME] = "Chứng thực bản sao, văn bản"  # quoted on every line
    text = frame.to_csv(index=False, lineterminator=newline)
    lines = text.split(newline)
    if extra:
        lines[0] += "," * extra + "Ghi chú"
    applicant = frame["Người nộp hồ sơ"].iloc[5]
    lines[6] = lines[6].replace(applicant, '"' + applicant, 1)
    path = tmp_path / "so.csv"
    path.write_bytes(newline.join(lines).encode("utf-8"))
    report = rows_of(path)
    assert report["rows"]["read"] == N
    assert [f["row"] for f in report["findings"] if f["code"] == "unclosed-quote"] == [7]


@pytest.mark.parametrize("number", [-1e11, -1e12, -1e14, -1e20, -1e300])
def test_a_number_the_excel_reader_cannot_convert_is_a_finding_not_a_crash(log, tmp_path, invoke, number):
    col = list(log.columns).index(RECEIVED) + 1

    def edit(ws):
        ws.cell(row=7, column=col, value=number).number_format = "dd/mm/yyyy"

    path = tmp_path / "so.xlsx"
    workbook(log, path, edit)
    res = invoke("validate", path, "-f", "json", "-q")
    assert res.exit_code == 1, res.output
    report = json.loads(res.stdout)
    assert report["rows"]["read"] == N
    at = [f for f in report["findings"] if f["row"] == 7 and f["code"] == "date-beyond-calendar"]
    assert at and at[0]["severity"] == "error", report["findings"][:3]


# ------------------------------------------------------------------ the property

_CELL = st.one_of(
    st.sampled_from(["", " ", "05/03/2024", "2024-03-05", "5/3/24", "45356", "2024", "-1", "31/02/2024", "NULL",
                     "05/03/2024 08:30", "Thứ Ba, 05/03/2024", "1e300", "2024-03", "\u2028", "ngày 5"]),
    st.text(alphabet="0123456789/-.: abcđ", max_size=12),
)


@given(st.lists(_CELL, min_size=3, max_size=12))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_date_cell_read_is_a_value_or_a_finding(tmp_path_factory, cells):
    """Property: in a date column, a cell that holds something is either a date in the log or a
    finding at its row and column; nothing is dropped without a word."""
    frame = S.case_log(len(cells), 2024, seed=21)
    frame[RECEIVED] = cells
    path = tmp_path_factory.mktemp("prop") / "so.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    from ttkhc_cli.ingest import log as ingest

    log = ingest.read_log([path])  # the reader and its findings: the checks come after
    findings = [f.to_json() for f in log.findings]
    letter = csvfile_letter(list(frame.columns).index(RECEIVED))
    said = {f["row"] for f in findings if f["column"] == letter or f["row"] is not None and f["column"] is None}
    blank = [re.fullmatch(r"[\s\-–—./]*", str(cell)) is not None for cell in cells]  # or a form's "--/--/----"
    if "received_at" not in log.frame:  # no cell read as a date: the column is set aside, and said
        assert all(blank) or any(f["column"] == letter for f in findings), findings
        return
    excluded_rows = set(range(2, 2 + len(cells))) - set(log.frame["_row"])
    got = dict(zip(log.frame["_row"], log.frame["received_at"]))
    for i, cell in enumerate(cells):
        row = i + 2
        if row in excluded_rows or blank[i]:
            continue
        assert pd.notna(got.get(row)) or row in said, (row, cell, findings)


def csvfile_letter(index: int) -> str:
    from ttkhc_cli.domain.folding import column_letter

    return column_letter(index)
