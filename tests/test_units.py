"""A commune's own tool: the log's unit read and checked, `ttkhc init`, the plan found in the
working folder, several units in one run, and periods outside the data.

Two invented communes (Đắk Rơ Va, Ngọk Tem) and a ward with a unit column stand for offices we
have never heard of: every document made for one of them must carry its name and never the
bundled sample plan's commune (Đắk Tô Re).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import synthetic as S
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from ttkhc_cli.cli import commands
from ttkhc_cli.domain import units

RO_VA = ["UBND HUYỆN KON RẪY", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND XÃ ĐẮK RƠ VA",
         "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "Từ ngày 01/01/2025 đến ngày 31/12/2025"]
NGOK_TEM = ["ỦY BAN NHÂN DÂN XÃ NGỌK TEM", "DANH SÁCH HỒ SƠ"]
SAMPLE_UNIT = "Đắk Tô Re"


def _log(path: Path, banner: list[str], n: int = 120, seed: int = 7, year: int = 2025) -> Path:
    S.write_xlsx(S.case_log(n, year, seed=seed), path, banner)
    return path


def _init(invoke, tmp_path: Path, unit: str, *more: str, name: str = "ke-hoach-2025.yaml") -> Path:
    out = tmp_path / name
    res = invoke("init", "--unit", unit, "--year", "2025", "-o", out, *more)
    assert res.exit_code == 0, res.output
    return out


def _texts(path: Path) -> list[str]:
    """Every text of a workbook: cells, page headers and footers, sheet titles."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        out += [ws.title, ws.oddHeader.left.text or "", ws.oddHeader.right.text or ""]
        out += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    return out


@pytest.fixture
def ro_va(tmp_path: Path) -> Path:
    return _log(tmp_path / "dak-ro-va.xlsx", RO_VA)


@pytest.fixture
def ngok_tem(tmp_path: Path) -> Path:
    return _log(tmp_path / "ngok-tem.xlsx", NGOK_TEM, n=90, seed=8)


# ------------------------------------------------------------------ names

@pytest.mark.parametrize("banner,unit", [
    (RO_VA, "UBND xã Đắk Rơ Va"),  # the commune under its district, the motto between
    (NGOK_TEM, "UBND xã Ngọk Tem"),
    (["Đơn vị: UBND phường Quyết Thắng", "UBND TỈNH KON TUM"], "UBND phường Quyết Thắng"),  # a label wins
    (["Cơ quan: UBND thị xã Buôn Hồ - tỉnh Đắk Lắk"], "UBND thị xã Buôn Hồ"),
    (["Tên đơn vị: Xã Hòa Bình"], "Xã Hòa Bình"),
    (["SỔ THEO DÕI HỒ SƠ CỦA BỘ PHẬN MỘT CỬA THỊ TRẤN ĐẮK RVE, năm 2025"], "UBND thị trấn Đắk Rve"),
    (["UBND HUYỆN KON RẪY\nUBND XÃ ĐẮK PNE"], "UBND xã Đắk Pne"),  # two lines in one merged cell
    (["UBND XÃ ĐẮK RƠ VA          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], "UBND xã Đắk Rơ Va"),  # one cell, spaced
    (["DANH SÁCH HỒ SƠ XÃ ĐẮK RƠ VA"], "UBND xã Đắk Rơ Va"),  # a title ending with the unit
    (["SỔ THEO DÕI HỒ SƠ - PHƯỜNG 3"], "UBND phường 3"),
    (["Đơn vị: Bộ phận Một cửa UBND xã Đắk Rơ Va"], "UBND xã Đắk Rơ Va"),
    (["DANH SÁCH HỒ SƠ XÃ HỘI HÓA", "DANH SÁCH HỒ SƠ BẢO TRỢ XÃ HỘI"], None),  # society, not a commune
    (["BÁO CÁO TTHC CẤP XÃ NĂM 2024", "Đơn vị tính: hồ sơ"], None),
    (["DANH SÁCH HỒ SƠ", "Từ ngày 01/01/2025 đến ngày 31/03/2025"], None),
    (["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"], None),
])
def test_the_banner_names_the_unit(banner, unit):
    assert units.from_banner(banner) == unit


@pytest.mark.parametrize("a,b", [
    ("UBND xã Đắk Tô Re", "ỦY BAN NHÂN DÂN XÃ ĐẮK TÔ RE"),
    ("UBND xã Đắk Tô Re", "Xã Đắk Tô Re"),
    ("UBND xã Đắk Tô Re", "dak to re"),
    ("Ủy ban nhân dân thị trấn Đắk Rve", "UBND TT. Đắk Rve".replace("TT.", "thị trấn")),
])
def test_one_unit_however_it_is_written(a, b):
    assert units.same(a, b)


def test_other_units_are_not_the_same():
    assert not units.same("UBND xã Đắk Tô Re", "UBND xã Đắk Rơ Va")
    assert not units.same("UBND xã", "UBND xã")  # a level word alone names no unit
    assert not units.same(None, "UBND xã Đắk Tô Re")


@given(st.lists(st.sampled_from(["Đắk", "Rơ", "Va", "Ngọk", "Tem", "Hòa", "Bình", "Quyết", "Thắng", "H'Rê", "Pờ"]),
                min_size=1, max_size=4),
       st.sampled_from(["xã", "phường", "thị trấn", "huyện", "thị xã", "tỉnh"]))
def test_a_name_in_capitals_is_the_same_unit(words, level):
    """Banners print names in capitals, with "Ủy ban nhân dân" or "UBND": always one unit, shown
    as a document writes it."""
    name = f"UBND {level} {' '.join(words)}"
    banner = f"ỦY BAN NHÂN DÂN {level} {' '.join(words)}".upper()
    assert units.same(name, banner)
    assert units.from_banner([banner]) == name
    assert units.display(name.upper()) == name


# ------------------------------------------------------------------ the log's unit, checked

def test_mapping_shows_each_files_unit(invoke, ro_va):
    res = invoke("compute", ro_va, "--show-mapping", "-q", "--format", "json")
    assert f"Ánh xạ cột: {ro_va} [Danh sách hồ sơ] · mẫu xuất: chung · đơn vị: UBND xã Đắk Rơ Va (theo tiêu " \
           "đề tệp)" in res.stderr  # as the warning that follows says it


def test_compute_warns_when_the_log_is_another_units(invoke, ro_va):
    res = invoke("compute", ro_va, "--period", "2025-Q1")
    assert res.exit_code in (0, 1)
    out = res.stdout.splitlines()
    assert out[0].startswith("UBND xã Đắk Rơ Va · Kỳ: Quý I năm 2025 [2025-Q1]")  # the log's own name heads its figures
    err = " ".join(res.stderr.split())
    assert (f"Cảnh báo: {ro_va}: tệp là của UBND xã Đắk Rơ Va (theo tiêu đề tệp), kế hoạch là của UBND xã "
            "Đắk Tô Re (kế hoạch mẫu đi kèm công cụ): dùng --targets với kế hoạch của đơn vị (ttkhc init) hoặc "
            "--unit") in err
    assert ("Cảnh báo: kỳ 2025-Q1 thuộc năm 2025, kế hoạch là năm 2024: dùng --targets với kế hoạch năm 2025 "
            "(ttkhc init --year …)") in err


def test_report_refuses_another_units_name(invoke, ro_va, tmp_path):
    out = tmp_path / "bao-cao.xlsx"
    res = invoke("report", ro_va, "--period", "2025-Q1", "-o", out)
    assert res.exit_code == 2
    assert res.stderr == (f"Lỗi: {ro_va}: tệp là của UBND xã Đắk Rơ Va (theo tiêu đề tệp), kế hoạch là của UBND "
                          "xã Đắk Tô Re (kế hoạch mẫu đi kèm công cụ); không lập báo cáo mang tên đơn vị khác: dùng "
                          "--targets với kế hoạch của đơn vị (lập bằng: ttkhc init), hoặc --unit nếu tệp ghi sai tên "
                          "đơn vị\n")
    assert not out.exists()


def test_unit_option_says_whose_file_it_is(invoke, ro_va, tmp_path):
    """The banner may be outdated: --unit names the unit meant, and the notes say what the file said."""
    out = tmp_path / "bao-cao.xlsx"
    res = invoke("report", ro_va, "--period", "2024", "--unit", "UBND xã Đắk Tô Re", "-o", out)
    assert res.exit_code == 2  # the 2025 log has no 2024 dossier: a period outside the data
    res = invoke("report", ro_va, "--period", "2025-Q1", "--unit", "UBND xã Đắk Tô Re", "-o", out)
    assert res.exit_code in (0, 1), res.output
    notes = " ".join(_texts(out))
    assert f"{ro_va} [Danh sách hồ sơ]: đơn vị UBND xã Đắk Tô Re, theo tên đơn vị nhập khi lập báo cáo (tệp ghi UBND xã Đắk Rơ Va)." in notes


def test_the_sample_plan_is_said_when_the_log_names_no_unit(invoke, tmp_path):
    log = _log(tmp_path / "khong-ten.xlsx", ["DANH SÁCH HỒ SƠ"], year=2024)
    res = invoke("compute", log)
    assert " ".join(res.stderr.split()).endswith(
        "Lưu ý: Chỉ tiêu được so với kế hoạch mẫu năm 2024 của UBND xã Đắk Tô Re đi kèm công cụ, không phải kế "
        "hoạch của đơn vị; lập kế hoạch của đơn vị bằng: ttkhc init --unit \"UBND xã …\" --year …")
    assert res.stdout.startswith("(đơn vị chưa rõ · kế hoạch mẫu) · Kỳ: toàn bộ dữ liệu")
    out = tmp_path / "r.xlsx"
    assert invoke("report", log, "--period", "2024-Q1", "-o", out).exit_code in (0, 1)
    wb = openpyxl.load_workbook(out)
    for sheet in ("Tổng hợp", "Biểu 06"):  # a blank for the unit, and the warning in red under the head
        cells = [str(c.value) for row in wb[sheet].iter_rows() for c in row if c.value is not None]
        assert cells[0] == "……………………………" and cells[0] == wb[sheet]["A1"].value
        assert any(t.startswith("KẾ HOẠCH MẪU, KHÔNG DÙNG ĐỂ GỬI") for t in cells)
    assert any("kế hoạch mẫu năm 2024" in t for t in _texts(out))
    assert not [t for t in _texts(out) if t.upper().startswith("UBND XÃ ĐẮK TÔ RE")]


def test_a_blank_unit_is_refused(invoke, ro_va):
    res = invoke("compute", ro_va, "--unit", "   ")
    assert res.exit_code == 2 and res.stderr == 'Lỗi: --unit cần tên đơn vị, ví dụ --unit "UBND xã Đắk Rơ Va"\n'


@pytest.mark.parametrize("name", ["UBND xã Đắk Rơ Va", "Xã Đắk Rơ Va", "xã Đắk Rơ Va", "Bộ phận Một cửa xã Đắk Rơ Va"])
@pytest.mark.parametrize("before", [True, False])
def test_a_unit_column_read_as_the_department_is_the_unit(invoke, tmp_path, name, before):
    """ "Đơn vị" is a department in some exports and the commune in others: the cells decide,
    whether the column comes before the department's (read as the department) or after it (set
    aside as a second department), and whether its cells say "UBND" or only "Xã …"."""
    frame = S.case_log(40, 2025, seed=5)
    frame.insert(3 if before else len(frame.columns), "Đơn vị", name)
    path = tmp_path / "don-vi.csv"
    frame.to_csv(path, index=False, encoding="utf-8")
    mapping = json.loads(invoke("validate", path, "-f", "json").stdout)["mapping"]
    fields = {m["header"]: m["field"] for m in mapping}
    assert fields["Đơn vị"] == "unit" and fields["Bộ phận xử lý"] == "department"
    got = json.loads(invoke("compute", path, "-f", "json", "--by", "department").stdout)
    assert got["units"] == [name]
    assert {g["key"] for g in got["groups"]["items"]} == set(frame["Bộ phận xử lý"])


@pytest.mark.parametrize("department", ["Văn phòng - Thống kê", "Xã hội", "Phòng Tư pháp", "Quân sự", "Quản lý đô thị",
                                        "Xã đội", "XÃ ĐỘI", "Huyện đoàn", "Tỉnh đoàn", "Huyện ủy", "Tỉnh lộ 5"])
def test_a_department_column_is_no_unit_column(invoke, tmp_path, department):
    frame = S.case_log(40, 2025, seed=5).drop(columns=["Bộ phận xử lý"])
    frame.insert(3, "Đơn vị", department)
    path = tmp_path / "don-vi.csv"
    frame.to_csv(path, index=False, encoding="utf-8")
    mapping = json.loads(invoke("validate", path, "-f", "json").stdout)["mapping"]
    assert {m["header"]: m["field"] for m in mapping}["Đơn vị"] == "department"


@pytest.mark.parametrize("header", ["Đơn vị xử lý", "Đơn vị"])
def test_an_agency_column_of_several_units_beside_the_department_is_set_aside(invoke, tmp_path, header):
    """A commune's dossiers passed up to the district name it on some rows ("liên thông"): that
    column beside the department's is no unit column (the report was refused as two units')."""
    frame = S.case_log(40, 2025, seed=5)
    frame[header] = ["UBND huyện Kon Rẫy" if k % 10 == 0 else "UBND xã Đắk Rơ Va" for k in range(len(frame))]
    path = tmp_path / "lien-thong.csv"
    frame.to_csv(path, index=False, encoding="utf-8")
    fields = {m["header"]: m["field"] for m in json.loads(invoke("validate", path, "-f", "json").stdout)["mapping"]}
    assert fields["Bộ phận xử lý"] == "department" and fields[header] is None


def test_a_file_naming_no_unit_among_files_that_do(invoke, ro_va, tmp_path):
    other = _log(tmp_path / "khong-ten.xlsx", ["DANH SÁCH HỒ SƠ"], n=50, seed=11)
    res = invoke("compute", ro_va, other, "--period", "2025-Q1", "-f", "json")
    data = json.loads(res.stdout)
    assert data["unit"] == "2 đơn vị: UBND xã Đắk Rơ Va, (tệp không ghi đơn vị)"
    err = " ".join(res.stderr.split())
    assert (f"Cảnh báo: {other}: tệp không ghi tên đơn vị, các tệp khác là của UBND xã Đắk Rơ Va: ghi rõ bằng "
            "--unit cho từng tệp") in err
    res = invoke("compute", ro_va, other, "--period", "2025-Q1", "--unit", "UBND xã Đắk Rơ Va", "--unit",
                 "UBND xã Đắk Rơ Va", "-f", "json")
    assert json.loads(res.stdout)["units"] == ["UBND xã Đắk Rơ Va"]


def test_markdown_is_headed_by_the_logs_unit_and_says_the_warnings(invoke, ro_va):
    out = invoke("compute", ro_va, "--period", "2025-Q1", "-f", "markdown").stdout
    assert out.startswith("**UBND xã Đắk Rơ Va** · Kỳ 2025-Q1")
    assert "\n- Cảnh báo: " in out and "kế hoạch mẫu đi kèm công cụ" in out


def test_the_bundled_sample_data_is_the_sample_plans_commune(invoke):
    res = invoke("compute", ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx", "--period", "2024-Q1")
    assert "Cảnh báo" not in res.stderr and "Lưu ý" not in res.stderr


# ------------------------------------------------------------------ ttkhc init

def test_init_round_trip(invoke, ro_va, tmp_path):
    plan = _init(invoke, tmp_path, "UBND xã Đắk Rơ Va", "--level", "xã", "--district", "huyện Kon Rẫy",
                 "--province", "tỉnh Kon Tum")
    text = plan.read_text(encoding="utf-8")
    assert 'unit: "UBND xã Đắk Rơ Va"' in text and 'issuer: "Ủy ban nhân dân xã Đắk Rơ Va"' in text
    assert 'title: "Kế hoạch cải cách thủ tục hành chính, kiểm soát thủ tục hành chính trọng tâm năm 2025"' in text
    assert 'timing: "Trước ngày 20/2/2025"' in text and 'timing: "Tháng 02/2025"' in text  # deadlines moved
    assert "Nghị quyết số 01/NQ-CP ngày 05 tháng 01 năm 2024" in text  # legal bases kept as printed
    assert "# chỉ tiêu giao: sửa theo Phụ lục I của kế hoạch" in text and "Đắk Tô Re" not in text
    assert invoke("targets", "check", plan).output == f"{plan}: hợp lệ (15 chỉ tiêu, 15 nhiệm vụ).\n"
    res = invoke("compute", ro_va, "--targets", plan, "--period", "2025-Q1")
    assert "Cảnh báo" not in res.stderr and res.stdout.startswith("UBND xã Đắk Rơ Va · Kỳ: Quý I năm 2025")
    out = tmp_path / "bao-cao.xlsx"
    res = invoke("report", ro_va, "--targets", plan, "--period", "2025-Q1", "-o", out)
    assert res.exit_code in (0, 1), res.output
    wb = openpyxl.load_workbook(out)
    worklist = tmp_path / "bao-cao-viec-can-lam.xlsx"
    for ws in wb.worksheets + openpyxl.load_workbook(worklist).worksheets:  # the office's own lists too
        assert ws.oddHeader.left.text.endswith("UBND xã Đắk Rơ Va"), ws.title
    form = [str(c.value) for row in wb["Biểu 06"].iter_rows() for c in row if c.value is not None]
    assert form[:3] == ["UBND HUYỆN KON RẪY", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND XÃ ĐẮK RƠ VA"]
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI UBND XÃ ĐẮK RƠ VA" in form
    assert "Đắk Rơ Va, ngày …… tháng …… năm ……" in form
    assert "năm 2025" in " ".join(str(c.value) for c in wb["Tổng hợp"]["A"] if c.value)
    assert not [t for t in _texts(out) + _texts(worklist) if SAMPLE_UNIT in t]
    # A commune's form is little longer than a page: printed on one, its signature with its table.
    fit = wb["Biểu 06"].page_setup
    assert wb["Biểu 06"].sheet_properties.pageSetUpPr.fitToPage and fit.fitToHeight in (None, 1)  # 1 is left out
    assert wb["Tổng hợp"].page_setup.fitToHeight == 0  # other sheets: fitted to the width only


def test_init_asks_for_what_is_missing(invoke, monkeypatch, tmp_path):
    monkeypatch.setattr(commands, "_interactive", lambda: True)
    from typer.testing import CliRunner

    out = tmp_path / "kh.yaml"
    res = CliRunner().invoke(commands.app, ["init", "-o", str(out)],
                             input="Ngọk Tem\nxã\nhuyện Kon Rẫy\ntỉnh Kon Tum\n2026\n")
    assert res.exit_code == 0, res.output
    assert 'Tên đơn vị, ví dụ "UBND xã Đắk Rơ Va":' in res.output and "Năm của kế hoạch" in res.output
    text = out.read_text(encoding="utf-8")
    assert 'unit: "UBND xã Ngọk Tem"' in text and "year: 2026" in text and 'district: "huyện Kon Rẫy"' in text


def test_init_asks_for_the_superior_bodies_with_examples(invoke, monkeypatch, tmp_path):
    """Asked "Tỉnh:" with no example, an officer typed "Bình Phước"; the questions show how a
    name is written. What is typed is kept as typed ("Hà Nội" is a city, "TX. …" a town)."""
    monkeypatch.setattr(commands, "_interactive", lambda: True)
    from typer.testing import CliRunner

    out = tmp_path / "kh.yaml"
    res = CliRunner().invoke(commands.app, ["init", "-o", str(out)],
                             input="Tân Lập\nxã\nhuyện Đồng Phú\nthành phố Hà Nội\n2024\n")
    assert res.exit_code == 0, res.output
    assert 'Huyện, ví dụ "huyện Kon Rẫy" (bỏ trống nếu không có)' in res.output
    assert 'Tỉnh, ví dụ "tỉnh Kon Tum":' in res.output
    text = out.read_text(encoding="utf-8")
    assert 'district: "huyện Đồng Phú"' in text and 'province: "thành phố Hà Nội"' in text


def test_init_without_a_terminal_names_what_is_missing(invoke, tmp_path):
    res = invoke("init", "--year", "2025", "-o", tmp_path / "x.yaml")
    assert res.exit_code == 2
    assert res.stderr == 'Lỗi: thiếu --unit (tên đơn vị, ví dụ "UBND xã Đắk Rơ Va")\n'


def test_init_from_last_years_plan_and_never_overwrites(invoke, tmp_path):
    first = _init(invoke, tmp_path, "UBND phường Quyết Thắng", "--province", "tỉnh Kon Tum")
    second = tmp_path / "ke-hoach-2026.yaml"
    res = invoke("init", "--from", first, "--unit", "UBND phường Quyết Thắng", "--year", "2026", "-o", second)
    assert res.exit_code == 0, res.output
    text = second.read_text(encoding="utf-8")
    assert 'unit_level: "xã"' in text and 'province: "tỉnh Kon Tum"' in text and 'timing: "Trước ngày 20/2/2026"' in text
    before = second.read_bytes()
    res = invoke("init", "--unit", "X", "--year", "2026", "-o", second)
    assert res.exit_code == 2 and "đã có; dùng --force" in res.stderr and second.read_bytes() == before


def test_init_says_what_does_not_fit(invoke, tmp_path):
    res = invoke("init", "--unit", "UBND xã Đắk Rơ Va", "--level", "huyện", "--year", "2025", "-o", tmp_path / "a.yaml")
    assert res.exit_code == 2
    assert res.stderr == "Lỗi: --level huyện không khớp tên đơn vị 'UBND xã Đắk Rơ Va' (cấp xã): bỏ --level hoặc sửa tên\n"
    ward = _init(invoke, tmp_path, "Phường 3", name="p3.yaml")
    assert 'unit: "UBND phường 3"' in ward.read_text(encoding="utf-8")
    assert 'place: "Phường 3"' in ward.read_text(encoding="utf-8")  # "Phường 3, ngày … tháng … năm …"
    again = tmp_path / "p3-2026.yaml"
    assert invoke("init", "--from", ward, "--year", "2026", "-o", again).exit_code == 0  # its own unit again
    assert 'unit: "UBND phường 3"' in again.read_text(encoding="utf-8")
    other = tmp_path / "khac.yaml"  # another unit's plan as a start: its superiors are not carried over
    first = _init(invoke, tmp_path, "UBND xã Đắk Rơ Va", "--district", "huyện Kon Rẫy", name="rv.yaml")
    assert invoke("init", "--from", first, "--unit", "UBND xã Ngọk Tem", "--year", "2026", "-o", other).exit_code == 0
    assert "huyện Kon Rẫy" not in other.read_text(encoding="utf-8").split("tasks:")[0].split("# implements")[0]


def test_a_plan_in_the_working_folder_is_used_and_named(invoke, ro_va, tmp_path, monkeypatch):
    _init(invoke, tmp_path, "UBND xã Đắk Rơ Va")
    _init(invoke, tmp_path, "UBND xã Đắk Rơ Va", name="ke-hoach-2024.yaml")
    monkeypatch.chdir(tmp_path)
    res = invoke("compute", ro_va, "--period", "2025-Q1")
    assert res.stderr.startswith("Kế hoạch: ke-hoach-2025.yaml (trong thư mục hiện tại; tệp khác: --targets)")
    assert "Cảnh báo" not in res.stderr
    res = invoke("compute", ro_va)  # two plans and no year to choose by
    assert res.exit_code == 2 and "có 2 tệp kế hoạch (ke-hoach-2024.yaml, ke-hoach-2025.yaml)" in res.stderr


# ------------------------------------------------------------------ several units

def test_two_communes_are_never_one_unnamed_figure(invoke, ro_va, ngok_tem, tmp_path):
    res = invoke("compute", ro_va, ngok_tem, "--period", "2025-Q1", "--format", "json")
    data = json.loads(res.stdout)
    assert data["units"] == ["UBND xã Đắk Rơ Va", "UBND xã Ngọk Tem"]
    assert data["unit"] == "2 đơn vị: UBND xã Đắk Rơ Va, UBND xã Ngọk Tem"
    assert "Cảnh báo: số liệu gộp 2 đơn vị: UBND xã Đắk Rơ Va, UBND xã Ngọk Tem" in " ".join(res.stderr.split())
    split = json.loads(invoke("compute", ro_va, ngok_tem, "--period", "2025-Q1", "--by", "unit", "-f", "json").stdout)
    assert [g["key"] for g in split["groups"]["items"]] == ["UBND xã Đắk Rơ Va", "UBND xã Ngọk Tem"]
    alone = json.loads(invoke("compute", ro_va, "--period", "2025-Q1", "-f", "json").stdout)
    counts = lambda inds: [(i["id"], i["numerator"], i["denominator"]) for i in inds if i["source"] == "cases"]
    # The same dossier codes in two communes' files are two dossiers (no dedupe across units).
    assert counts(split["groups"]["items"][0]["indicators"]) == counts(alone["indicators"])
    res = invoke("validate", ro_va, ngok_tem, "--format", "json")
    codes = [f["code"] for f in json.loads(res.stdout)["findings"]]
    assert "several-units" in codes and "unit-mismatch" in codes
    res = invoke("report", ro_va, ngok_tem, "--period", "2025-Q1", "-o", tmp_path / "r.xlsx")
    assert res.exit_code == 2 and "các tệp là của 2 đơn vị (UBND xã Đắk Rơ Va, UBND xã Ngọk Tem)" in res.stderr


def test_a_unit_column_feeds_by_unit(invoke, tmp_path):
    frame = pd.concat([S.case_log(40, 2025, seed=3).assign(**{"Xã/Phường": "Phường Thống Nhất"}),
                       S.case_log(30, 2025, seed=4).assign(**{"Xã/Phường": "Phường Quyết Thắng"})])
    frame["Mã hồ sơ"] = [f"HS-{i:04d}" for i in range(len(frame))]
    path = tmp_path / "thanh-pho.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    data = json.loads(invoke("compute", path, "--by", "unit", "-f", "json").stdout)
    assert [g["key"] for g in data["groups"]["items"]] == ["Phường Quyết Thắng", "Phường Thống Nhất"]
    assert data["units"] == ["Phường Quyết Thắng", "Phường Thống Nhất"]


def test_the_provinces_workbook_from_a_dataset(invoke, tmp_path):
    files = [_log(tmp_path / f"xa-{k}.xlsx", [f"UBND XÃ {name}"], n=80, seed=k)
             for k, name in enumerate(["ĐẮK RƠ VA", "NGỌK TEM", "ĐẮK PNE"], start=1)]
    ds = tmp_path / "tinh"
    for f in files:
        assert invoke("convert", f, "-o", ds, "-q").exit_code == 0
    plan = _init(invoke, tmp_path, "UBND tỉnh Kon Tum", "--level", "tỉnh")
    out = tmp_path / "tinh.xlsx"
    res = invoke("report", ds, "--targets", plan, "--period", "2025-Q1", "-o", out)
    assert res.exit_code in (0, 1), res.output
    assert "Cảnh báo" not in res.stderr
    wb = openpyxl.load_workbook(out)
    names = ["UBND xã Đắk Pne", "UBND xã Đắk Rơ Va", "UBND xã Ngọk Tem"]
    assert wb["Tổng hợp"]["A1"].value == "UBND TỈNH KON TUM"
    form = [[c.value for c in row] for row in wb["Biểu 06"].iter_rows()]
    groups = [r for r in form if r[0] in ("I", "II", "III")]
    assert [r[1] for r in groups] == names
    total = next(r for r in form if r[1] == "Tổng cộng")
    assert total[2] == sum(r[2] for r in groups) > 0  # the province's total is its communes' totals
    ranked = {str(c.value) for row in wb["Xếp hạng đơn vị"].iter_rows() for c in row if c.value}
    assert set(names) <= ranked
    summary = {r[0]: r for r in wb["Tổng hợp"].iter_rows(values_only=True) if r[0] in ("II.2", "IV.2")}
    # The communes' dossiers are commune level although the plan is the province's (no level column).
    assert summary["II.2"][6] != "CHƯA CÓ DỮ LIỆU" and summary["IV.2"][6] != "CHƯA CÓ DỮ LIỆU"
    breaks = [b.id for b in wb["Biểu 06"].row_breaks.brk]
    total_row = next(i for i, r in enumerate(form, start=1) if r[1] == "Tổng cộng")
    assert all(b >= total_row - 3 for b in breaks)  # a break keeps the last rows with the signature
    late = openpyxl.load_workbook(tmp_path / "tinh-viec-can-lam.xlsx")["Hồ sơ quá hạn"]
    head = next(r for r in late.iter_rows(values_only=True) if r[0] == "Đơn vị")
    assert head[1] == "Mã hồ sơ"
    assert not [t for t in _texts(out) + _texts(tmp_path / "tinh-viec-can-lam.xlsx") if SAMPLE_UNIT in t]


def test_the_provinces_workbook_from_files(invoke, ro_va, ngok_tem, tmp_path):
    plan = _init(invoke, tmp_path, "UBND huyện Kon Rẫy", "--level", "huyện", "--province", "tỉnh Kon Tum")
    out = tmp_path / "huyen.xlsx"
    res = invoke("report", ro_va, ngok_tem, "--targets", plan, "--period", "2025-Q1", "-o", out)
    assert res.exit_code in (0, 1), res.output
    wb = openpyxl.load_workbook(out)
    assert [wb["Biểu 06"]["A1"].value, wb["Biểu 06"]["A2"].value] == ["UBND TỈNH KON TUM", "UBND HUYỆN KON RẪY"]
    groups = [r[1] for r in wb["Biểu 06"].iter_rows(values_only=True) if r[0] in ("I", "II")]
    assert groups == ["UBND xã Đắk Rơ Va", "UBND xã Ngọk Tem"] and "Xếp hạng đơn vị" in wb.sheetnames


def test_convert_refuses_one_content_under_two_units(invoke, ro_va, tmp_path):
    ds = tmp_path / "ds"
    assert invoke("convert", ro_va, "-o", ds, "-q").exit_code == 0
    res = invoke("convert", ro_va, "-o", ds, "--unit", "UBND xã Khác", "-q")
    assert res.exit_code == 2
    assert "một sổ không thể là của hai đơn vị (UBND xã Khác và UBND xã Đắk Rơ Va)" in res.stderr
    assert invoke("convert", ro_va, "-o", ds, "-q").exit_code == 0  # the same unit again: replaced


# ------------------------------------------------------------------ periods outside the data

@pytest.mark.parametrize("command", [
    ["compute"], ["report", "-o", "{out}"], ["index"], ["explain", "I.2"],
])
def test_a_period_outside_the_data_is_refused(invoke, tmp_path, command):
    args = [a.replace("{out}", str(tmp_path / "r.xlsx")) for a in command]
    sample = str(ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx")
    args = [args[0], args[1], sample] if args[0] == "explain" else [args[0], sample, *args[1:]]
    res = invoke(*args, "--period", "2027-Q1")
    assert res.exit_code == 2
    assert res.stderr == ("Lỗi: kỳ 2027-Q1 (01/01/2027–31/03/2027) nằm ngoài dữ liệu: các sổ có ngày từ 02/01/2024 "
                          "đến 31/12/2024\n")


def test_a_plan_for_another_province_names_its_own_in_the_bases(invoke, tmp_path):
    """The sample plan's V.1 basis says "tại tỉnh Kon Tum": a commune of Gia Lai given its
    province gets its own name there, never its neighbour's."""
    plan = _init(invoke, tmp_path, "UBND xã Ia Băng", "--province", "tỉnh Gia Lai", name="ke-hoach-2025.yaml")
    text = plan.read_text(encoding="utf-8")
    assert "Kon Tum" not in text and "Theo tình hình thực tế tại tỉnh Gia Lai đã triển khai" in text
    assert "của UBND tỉnh tại 03 cấp" in text  # a level, not a name: left alone
