"""Reading exports as they really are: every shape of the same data gives one canonical table."""

from __future__ import annotations

import json
import zipfile

import messy
import pandas as pd
import pytest

from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.ingest import log as ingest
from ttkhc_cli.io.read import ReadOptions


@pytest.fixture
def reference(tmp_path):
    return messy.canonical(ingest.read_log([messy.write_xlsx_two_row(tmp_path / "a.xlsx")]).frame)


def test_xlsx_with_banner_two_row_header_and_totals(tmp_path):
    log = ingest.read_log([messy.write_xlsx_two_row(tmp_path / "a.xlsx")])
    assert log.files[0].header_row == 5
    assert log.rows_json() == {"read": 6, "used": 5, "excluded": {"dòng tổng cộng": 1}}
    f = log.frame.set_index("case_id")
    assert list(log.frame["_row"]) == [6, 7, 8, 9, 10]
    assert f.loc["HS-001", "received_at"] == pd.Timestamp(2024, 1, 2, 8, 0)
    assert f.loc["HS-002", "received_at"] == pd.Timestamp(2024, 1, 3, 9, 15)
    assert f.loc["HS-003", "received_at"] == pd.Timestamp(2024, 2, 12)  # day first, never month first
    assert pd.isna(f.loc["HS-003", "completed_at"])
    assert list(f["channel"]) == ["online", "direct", "direct", "postal", "online"]
    assert list(f["status"]) == ["returned", "completed", "processing", "returned", "withdrawn"]
    assert list(f["fee"].fillna(-1)) == [2000, 0, -1, 3000, 10000]
    assert list(f["paid_online"]) == [True, False, False, False, True]
    assert list(f["dossier_digitised"]) == [True, False, True, True, False]
    assert f.loc["HS-001", "procedure_name"] == "Chứng thực bản sao từ bản chính"
    mapping = {m["header"]: m["field"] for m in log.mapping_json()}
    assert mapping["Ngày › Tiếp nhận"] == "received_at"
    assert mapping["Ngày › Có kết quả"] == "completed_at"


@pytest.mark.parametrize("writer", [
    lambda p: messy.write_ods(p / "a.ods"),
    lambda p: messy.write_csv(p / "a.csv", "cp1258"),
    lambda p: messy.write_csv(p / "a.csv", "utf-8-sig", ";"),
    lambda p: messy.write_csv(p / "a.csv", "utf-16", "\t"),
    lambda p: messy.write_csv(p / "a.csv", "utf-8", ","),
], ids=["ods", "csv-cp1258", "csv-utf8-bom-semicolon", "csv-utf16-tab", "csv-utf8"])
def test_every_shape_gives_the_same_canonical_table(tmp_path, reference, writer):
    log = ingest.read_log([writer(tmp_path)])
    pd.testing.assert_frame_equal(messy.canonical(log.frame), reference)
    assert log.rows_json()["used"] == 5


def test_parquet_reads_directly(tmp_path, reference):
    log = ingest.read_log([messy.write_csv(tmp_path / "a.csv")])
    frame = pd.DataFrame([[messy.as_text(v) for v in r] for r in messy.ROWS], columns=messy.HEADERS)
    frame.to_parquet(tmp_path / "a.parquet")
    pq = ingest.read_log([tmp_path / "a.parquet"])
    assert list(pq.frame["_row"]) == [2, 3, 4, 5, 6]
    # The CSV's banner names its unit (a unit column for every row, and its level for a log without
    # one); a Parquet file has no banner.
    assert set(log.frame["unit"]) == {"UBND xã Đắk Tô Re"} and set(log.frame["level"]) == {"xa"}
    assert "unit" not in pq.frame and "level" not in pq.frame
    pd.testing.assert_frame_equal(messy.canonical(pq.frame),
                                  messy.canonical(log.frame).drop(columns=["unit", "level"]))


def test_csv_line_numbers_are_what_an_editor_shows(tmp_path):
    log = ingest.read_log([messy.write_csv(tmp_path / "a.csv")])
    assert log.files[0].header_row == 4
    assert list(log.frame["_row"]) == [5, 6, 7, 8, 9]


def test_numeric_case_ids_are_text_and_warned(tmp_path):
    import xlsxwriter

    path = tmp_path / "n.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"])
    ws.write_row(1, 0, [1001, "02/01/2024", "Đang xử lý"])
    ws.write_row(2, 0, [1002, "03/01/2024", "Đang xử lý"])
    wb.close()
    log = ingest.read_log([path])
    assert list(log.frame["case_id"]) == ["1001", "1002"]
    codes = [(f.code, f.column, f.header) for f in log.findings]
    assert ("numeric-id", "A", "Mã hồ sơ") in codes


def test_leading_zeros_survive_in_text_ids(tmp_path):
    rows = [list(r) for r in messy.ROWS]
    rows[0][0] = "000123"
    log = ingest.read_log([messy.write_xlsx_two_row(tmp_path / "z.xlsx", rows)])
    assert "000123" in set(log.frame["case_id"])


def test_invalid_cells_are_findings_with_excel_positions(tmp_path):
    rows = [list(r) for r in messy.ROWS]
    rows[1][2] = "31/02/2024"  # no such day
    rows[2][8] = "có lẽ"  # not a flag
    rows[3][5] = "Fax"  # not a channel
    log = ingest.read_log([messy.write_xlsx_two_row(tmp_path / "bad.xlsx", rows)])
    got = {(f.code, f.row, f.column, f.header, f.value) for f in log.findings}
    assert ("invalid-date", 7, "C", "Ngày › Tiếp nhận", "31/02/2024") in got
    assert ("invalid-flag", 8, "I", "Thanh toán trực tuyến", "có lẽ") in got
    assert ("invalid-channel", 9, "F", "Kênh nộp", "Fax") in got
    msg = next(f.message for f in log.findings if f.code == "invalid-date")
    assert msg == "'31/02/2024' không phải ngày hợp lệ (dùng ngày/tháng/năm)"


def test_several_files_are_combined_and_remember_their_rows(tmp_path, reference):
    a = messy.write_csv(tmp_path / "thang1.csv", rows=messy.ROWS[:2])
    b = messy.write_csv(tmp_path / "thang2.csv", rows=messy.ROWS[2:])
    log = ingest.read_log([a, b])
    pd.testing.assert_frame_equal(messy.canonical(log.frame), reference)
    assert list(zip(log.frame["_file"], log.frame["_row"]))[:3] == [(str(a), 5), (str(a), 6), (str(b), 5)]
    assert log.read == 2 + 1 + 3 + 1


def test_duplicate_ids_keep_the_later_row(tmp_path):
    rows = [list(r) for r in messy.ROWS[:2]]
    later = list(rows[1])
    later[6] = "Đã trả kết quả"
    a = messy.write_csv(tmp_path / "a.csv", rows=rows)
    b = messy.write_csv(tmp_path / "b.csv", rows=[later])
    log = ingest.read_log([a, b])
    assert log.used == 2
    assert log.frame.set_index("case_id").loc["HS-002", "status"] == "returned"
    assert log.excluded["trùng mã hồ sơ (giữ dòng sau cùng)"] == 1
    dup = next(f for f in log.findings if f.code == "duplicate-id")
    assert (dup.file, dup.row, dup.column) == (str(a), 6, "A")
    assert log.read == log.used + sum(log.excluded.values())


def test_duplicate_ids_within_one_file_keep_the_later_row(tmp_path):
    rows = [list(r) for r in messy.ROWS[:3]]
    again = list(rows[0])
    again[6] = "Đang xử lý"
    path = messy.write_csv(tmp_path / "a.csv", rows=rows + [again])
    log = ingest.read_log([path])
    assert log.used == 3 and log.excluded["trùng mã hồ sơ (giữ dòng sau cùng)"] == 1
    assert log.frame.set_index("case_id").loc["HS-001", "status"] == "processing"
    assert [(f.code, f.row) for f in log.findings if f.code == "duplicate-id"] == [("duplicate-id", 5)]


def test_header_row_and_sheet_overrides(tmp_path):
    path = messy.write_xlsx_two_row(tmp_path / "a.xlsx")
    with pytest.raises(InputFileError, match="không có trang tính «Khác»; các trang tính: «Hồ sơ»"):
        ingest.read_log([path], options=ReadOptions(sheet="Khác"))
    log = ingest.read_log([path], options=ReadOptions(sheet="Hồ sơ", header_row=5))
    assert log.used == 5


def test_workbook_with_several_sheets_picks_the_case_log(tmp_path):
    path = messy.write_notes_then_cases(tmp_path / "multi.xlsx")
    log = ingest.read_log([path])
    assert log.files[0].sheet == "Sổ hồ sơ"
    assert log.files[0].notes[0] == "đọc trang tính 'Sổ hồ sơ' (khớp 4 cột)"
    assert log.frame["_row"].tolist() == [4]


def test_column_overrides(tmp_path):
    from ttkhc_cli.ingest.mapping import read_column_map

    headers = list(messy.HEADERS)
    headers[2] = "Ngày nhận HS (giờ VN)"
    headers[0] = "Mã"
    path = messy.write_csv(tmp_path / "a.csv", headers=headers)
    cols = tmp_path / "map.yaml"
    cols.write_text('columns:\n  received_at: "Ngày nhận HS (giờ VN)"\n  case_id: ["Mã", "Mã số"]\n', encoding="utf-8")
    log = ingest.read_log([path], overrides=read_column_map(cols))
    assert log.frame["received_at"].notna().all()
    rules = {m["header"]: m["rule"] for m in log.mapping_json()}
    assert rules["Ngày nhận HS (giờ VN)"] == "override"


def test_fuzzy_match_suggests_but_never_decides(tmp_path):
    headers = list(messy.HEADERS)
    headers[3] = "Ngày hẹn trảa"
    log = ingest.read_log([messy.write_csv(tmp_path / "a.csv", headers=headers)])
    assert "due_at" not in log.present
    f = next(f for f in log.findings if f.code == "unmapped-header")
    assert (f.column, f.header) == ("D", "Ngày hẹn trảa")
    assert "due_at" in f.message


def test_header_variants_all_map():
    from ttkhc_cli.ingest import profiles
    from ttkhc_cli.ingest.mapping import Matcher

    matcher = Matcher(profiles.common(), "cases")
    for h in ("NGÀY HẸN TRẢ", "Ngày hẹn trả kết quả", "ngay hen tra", "NgayHenTra", "Ngày  hẹn   trả.",
              "Ngày hẹn trả (dd/mm/yyyy)", "Nga\u0300y he\u0323n tra\u0309"):
        assert matcher.field_of(h) == "due_at", h


# ------------------------------------------------------------------ bad inputs


def _bad_files(tmp_path):
    good = messy.write_xlsx_two_row(tmp_path / "good.xlsx")
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    renamed = tmp_path / "notes.xlsx"
    renamed.write_text("đây không phải bảng tính\n", encoding="utf-8")
    empty_sheet = tmp_path / "empty.xlsx"
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(empty_sheet))
    wb.add_worksheet("Trống")
    wb.close()
    no_header = tmp_path / "noheader.csv"
    no_header.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    docx = tmp_path / "notes.docx"
    docx.write_text("văn bản", encoding="utf-8")
    zero = tmp_path / "zero.xlsx"
    zero.write_bytes(b"")
    zip_not_xlsx = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(zip_not_xlsx, "w") as z:
        z.writestr("hello.txt", "hi")
    return {
        "truncated": (truncated, "không phải bảng tính Excel hợp lệ hoặc tệp bị hỏng"),
        "renamed-txt": (renamed, "mang đuôi .xlsx nhưng là văn bản (CSV); đọc như vậy thì không tìm thấy dòng tiêu đề"),
        "empty-sheet": (empty_sheet, "bảng tính trống, không có dữ liệu"),
        "no-header": (no_header, "không tìm thấy dòng tiêu đề của sổ theo dõi hồ sơ"),
        "binary": (binary, "không phải tệp dữ liệu đọc được (có byte nhị phân 0x00 ở dòng 1, ký tự thứ 1, byte thứ 1)"),
        "zero-bytes": (zero, "tệp rỗng (0 byte)"),
        "zip-not-xlsx": (zip_not_xlsx, "không phải bảng tính Excel hợp lệ hoặc tệp bị hỏng"),
        "missing": (tmp_path / "none.xlsx", "không tìm thấy tệp"),
        "unknown-suffix": (docx, "không đọc được định dạng .docx"),
    }


CASES = ["truncated", "renamed-txt", "empty-sheet", "no-header", "binary", "zero-bytes", "zip-not-xlsx", "missing", "unknown-suffix"]


@pytest.mark.parametrize("case", CASES)
def test_bad_inputs_exit_2_with_one_clear_line(tmp_path, invoke, case):
    path, expected = _bad_files(tmp_path)[case]
    result = invoke("validate", path)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Lỗi: {path}: {expected}")
    assert "Traceback" not in result.output


def test_validate_json_and_exit_codes(tmp_path, invoke):
    rows = [list(r) for r in messy.ROWS]
    rows[1][4] = "01/01/2024"  # completed before received
    path = messy.write_xlsx_two_row(tmp_path / "a.xlsx", rows)
    result = invoke("validate", path, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["rows"] == {"read": 6, "used": 5, "excluded": {"dòng tổng cộng": 1}}
    assert {"header": "Ngày › Tiếp nhận", "column": "C", "field": "received_at"}.items() <= report["mapping"][2].items()
    f = next(x for x in report["findings"] if x["code"] == "completed-before-received")
    assert f == {
        "code": "completed-before-received",
        "severity": "error",
        "file": str(path),
        "sheet": "Hồ sơ",
        "row": 7,
        "column": "E",
        "header": "Ngày › Có kết quả",
        "value": "01/01/2024",
        "message": "ngày có kết quả 01/01/2024 trước ngày tiếp nhận",
    }
    assert set(f) == {"code", "severity", "file", "sheet", "row", "column", "header", "value", "message"}


def test_validate_clean_file_exits_0_with_table(tmp_path, invoke):
    path = messy.write_xlsx_two_row(tmp_path / "a.xlsx")
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output
    assert "Đã đọc 6 dòng sổ theo dõi hồ sơ: dùng 5, loại 1 (dòng tổng cộng: 1)" in result.stdout
    assert "Ngày › Tiếp nhận" in result.stdout


def test_validate_csv_is_injection_safe(tmp_path, invoke):
    rows = [list(r) for r in messy.ROWS]
    rows[0][5] = '=HYPERLINK("x")'
    path = messy.write_csv(tmp_path / "a.csv", rows=rows)
    result = invoke("validate", path, "--format", "csv")
    assert result.exit_code == 1
    assert "'=HYPERLINK" in result.stdout
    assert result.stdout.splitlines()[0] == "Mã lỗi,Mức,Tệp,Trang tính,Dòng,Cột,Tiêu đề cột,Giá trị (như trong ô),Nội dung"


def test_input_files_are_never_modified(tmp_path, invoke):
    path = messy.write_xlsx_two_row(tmp_path / "a.xlsx")
    before = path.read_bytes()
    invoke("validate", path, "--format", "json", "-o", tmp_path / "out.json")
    assert path.read_bytes() == before
    result = invoke("validate", path, "--format", "json", "-o", path)
    assert result.exit_code == 2
    assert path.read_bytes() == before


def test_csv_short_rows_keep_their_line_and_values(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text(
        "DANH SÁCH HỒ SƠ\n"
        "Mã hồ sơ,Ngày tiếp nhận,Trạng thái,Kênh nộp\n"
        "A1,02/01/2024,Đang xử lý,Trực tuyến\n"
        "A2,03/01/2024\n"  # the export dropped the empty trailing cells
        "Ghi chú: số liệu tạm tính\n"
        "A3,04/01/2024,Đang xử lý,Trực tiếp\n"
        "\n"
        "Tổng cộng,3\n",
        encoding="utf-8",
    )
    log = ingest.read_log([path])
    assert list(zip(log.frame["case_id"], log.frame["_row"])) == [("A1", 3), ("A2", 4), ("A3", 6)]
    assert log.frame.set_index("case_id").loc["A2", "received_at"] == pd.Timestamp(2024, 1, 3)
    assert log.rows_json()["excluded"] == {
        "dòng không phải hồ sơ (ghi chú, chữ ký…: không có ngày)": 1,
        "dòng trống": 1,
        "dòng tổng cộng": 1,
    }
    assert log.read == log.used + sum(log.excluded.values())


@pytest.mark.parametrize("block", [1 << 12, 1 << 23], ids=["line-break-across-blocks", "one-block"])
def test_csv_cells_spanning_lines_are_read_whole(tmp_path, monkeypatch, block):
    """A quoted cell with a line break (an address, a note) is one cell, wherever Arrow's blocks fall."""
    from ttkhc_cli.io import csvfile

    monkeypatch.setattr(csvfile, "_CSV_BLOCK", block)
    lines = ["Mã hồ sơ,Ngày tiếp nhận,Trạng thái,Cán bộ xử lý"]
    for i in range(400):
        officer = f'"Nguyễn Văn {i}\n(phó chủ tịch)"' if i % 3 == 0 else f"Trần Thị {i}"
        lines.append(f"HS-{i:03d},02/01/2024,Đang xử lý,{officer}")
    path = tmp_path / "multiline.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = ingest.read_log([path])
    assert log.used == 400 and not log.excluded
    officers = log.frame.set_index("case_id")["officer"]
    assert officers["HS-000"] == "Nguyễn Văn 0\n(phó chủ tịch)"
    assert officers["HS-399"] == "Nguyễn Văn 399\n(phó chủ tịch)"
    assert officers["HS-398"] == "Trần Thị 398"


def test_csv_rows_after_a_cell_spanning_lines_keep_their_editor_line(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text(
        "DANH SÁCH HỒ SƠ\n"  # 1
        "Mã hồ sơ,Ngày tiếp nhận,Trạng thái,Cán bộ xử lý\n"  # 2
        "A1,02/01/2024,Đang xử lý,Lan\n"  # 3
        'A2,03/01/2024,Đang xử lý,"Nguyễn Văn A\n(phó chủ tịch)"\n'  # 4-5
        "A3,31/02/2024,Đang xử lý,Hùng\n"  # 6
        "Ghi chú: số liệu tạm tính\n"  # 7
        'A4,05/01/2024,Đang xử lý,"Trần\nThị\nB"\n'  # 8-10
        "A5,32/01/2024,Đang xử lý,Mai\n"  # 11
        "Tổng cộng,5\n",  # 12
        encoding="utf-8",
    )
    log = ingest.read_log([path])
    assert list(zip(log.frame["case_id"], log.frame["_row"])) == [
        ("A1", 3),
        ("A2", 4),
        ("A3", 6),
        ("A4", 8),
        ("A5", 11),
    ]
    assert [(f.row, f.value) for f in log.findings if f.code == "invalid-date"] == [
        (6, "31/02/2024"),
        (11, "32/01/2024"),
    ]
    assert log.rows_json()["excluded"] == {
        "dòng không phải hồ sơ (ghi chú, chữ ký…: không có ngày)": 1,
        "dòng tổng cộng": 1,
    }


@pytest.mark.parametrize("header_row", [None, 3, 5])
def test_csv_header_cells_spanning_lines(tmp_path, header_row):
    """Arrow skips lines before the data, not records: a header cell "Ngày\ntiếp nhận" must not
    push its second line into the data. --header-row names any line of the header, as shown."""
    path = tmp_path / "crlf.csv"
    path.write_bytes(
        "UBND XÃ A\r\nDANH SÁCH\r\n"  # 1-2
        'Mã hồ sơ,"Ngày\r\ntiếp nhận",Trạng thái,"Cán bộ\r\nxử lý"\r\n'  # 3-5
        "A1,02/01/2024,Đang xử lý,Lan\r\n"  # 6
        'A2,03/01/2024,Đang xử lý,"Nguyễn\r\nVăn B"\r\n'  # 7-8
        "A3,31/02/2024,Đang xử lý,Hùng\r\n".encode()
    )  # 9
    log = ingest.read_log([path], options=ReadOptions(header_row=header_row))
    assert list(zip(log.frame["case_id"], log.frame["_row"])) == [("A1", 6), ("A2", 7), ("A3", 9)]
    assert log.files[0].header_row == 3 and log.read == 3
    assert [(f.row, f.column) for f in log.findings if f.code == "invalid-date"] == [(9, "B")]


def test_ole_files_named_xlsx(tmp_path, invoke):
    """A password-protected workbook is an OLE container holding an EncryptedPackage stream."""
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(
        ole + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le")
    )
    renamed = tmp_path / "old.xlsx"
    renamed.write_bytes(ole + "Workbook".encode("utf-16-le"))
    result = invoke("validate", locked)
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"Lỗi: {locked}: tệp Excel có mật khẩu (đã mã hóa); hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại"
    )
    result = invoke("validate", renamed)
    assert (
        result.stderr.strip() == f"Lỗi: {renamed}: là tệp Excel 97-2003 nhưng mang đuôi .xlsx; hãy đổi đuôi thành .xls"
    )


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is not installed")
def test_xls_gives_the_same_canonical_table(tmp_path, reference):
    import subprocess

    src = messy.write_xlsx_two_row(tmp_path / "a.xlsx")
    out = tmp_path / "xls"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(out), str(src)],
        capture_output=True,
        timeout=180,
        check=True,
    )
    log = ingest.read_log([out / "a.xls"])
    pd.testing.assert_frame_equal(messy.canonical(log.frame), reference)


def test_column_overrides_help_find_the_header_row(tmp_path):
    from ttkhc_cli.ingest.mapping import read_column_map

    path = tmp_path / "odd.csv"
    path.write_text(
        "BÁO CÁO\nSố TT,Ký hiệu riêng,Mốc A,Tình hình\n1,A1,02/01/2024,Đang xử lý\n", encoding="utf-8"
    )
    with pytest.raises(InputFileError):
        ingest.read_log([path])
    cols = tmp_path / "map.yaml"
    cols.write_text('columns:\n  case_id: "Ký hiệu riêng"\n  received_at: "Mốc A"\n', encoding="utf-8")
    log = ingest.read_log([path], overrides=read_column_map(cols))
    assert log.files[0].header_row == 2
    assert list(log.frame["case_id"]) == ["A1"]


def test_positions_with_leading_empty_rows_and_columns(tmp_path):
    import xlsxwriter

    path = tmp_path / "offset.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.write_row(2, 1, ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"])  # header at B3
    ws.write_row(3, 1, ["A1", "02/01/2024", "Đang xử lý"])
    ws.write_row(4, 1, ["A2", "32/01/2024", "Đang xử lý"])
    wb.close()
    log = ingest.read_log([path])
    assert log.files[0].header_row == 3
    assert list(log.frame["_row"]) == [4, 5]
    bad = next(f for f in log.findings if f.code == "invalid-date")
    assert (bad.row, bad.column, bad.header, bad.value) == (5, "C", "Ngày tiếp nhận", "32/01/2024")
