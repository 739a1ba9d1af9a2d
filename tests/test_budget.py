"""Workbooks read under a budget: a far cell in any spelling, bombs, damaged packages (issue:
hostile input, second round, classes 1 and 6).

A stray cell far from the table makes calamine size the sheet at billions of cells and abort the
process, whatever the XML spelling of that cell; the tool finds every cell's place with a real
XML parser, leaves the stray ones out of the read (the input is never changed) and says so. The
runs are subprocesses, so that a process abort is seen as what it is.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hostile import HEADER, patch_xlsx, rows, xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _run(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ttkhc_cli", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def _far_cell(ref: str | None, quote: str, order: str, prefix: bool, where: str) -> tuple[str, str]:
    """A stray cell in one spelling, and where in the sheet it goes."""
    q = quote
    r = f" r={q}{ref}{q}" if ref is not None else ""
    t = f" t={q}inlineStr{q}"
    attrs = r + t if order == "rt" else t + r
    if prefix:
        cell = f'<x:c xmlns:x="{MAIN}"{attrs}><x:is><x:t>x</x:t></x:is></x:c>'
    else:
        cell = f"<c{attrs}><is><t>x</t></is></c>"
    return cell, where


REFS = st.sampled_from(["XFD1048576", "xfd1048576", "XfD1048576", "AAA1", "A1048576", "ZZ99999", "&#88;FD1048576",
                        " XFD1048576 ", None])


@settings(max_examples=14, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(REFS, st.sampled_from(['"', "'"]), st.sampled_from(["rt", "tr"]), st.booleans(),
       st.sampled_from(["last", "first", "own-row"]))
def test_a_far_cell_in_any_spelling_is_left_out_not_fatal(tmp_path_factory, ref, quote, order, prefix, where):
    d = tmp_path_factory.mktemp("far")
    p = xlsx(d / "a.xlsx", [("S", [HEADER, *rows(3)])])
    cell, _ = _far_cell(ref, quote, order, prefix, where)
    far_row = '<row r="1048576">' + cell + "</row>"

    def place(x: str) -> str:
        if where == "last" or ref is None:
            return x.replace("</sheetData>", far_row + "</sheetData>")
        if where == "first":  # rows out of order: the far row before the table's
            return x.replace("<sheetData>", "<sheetData>" + far_row)
        return x.replace("</row>", cell + "</row>", 1)  # inside the header row

    patch_xlsx(p, place)
    before = hashlib.sha256(p.read_bytes()).hexdigest()
    result = _run("compute", p, "--format", "json")
    assert result.returncode in (0, 1), (cell, where, result.returncode, result.stderr[-400:])
    assert json.loads(result.stdout)["rows"]["used"] == 3
    assert hashlib.sha256(p.read_bytes()).hexdigest() == before  # the input is never changed


def test_the_stray_cell_is_said_with_its_place(tmp_path):
    p = xlsx(tmp_path / "a.xlsx", [("S", [HEADER, *rows(3)])])
    patch_xlsx(p, lambda x: x.replace("</sheetData>", "<row r='900000'><c r='xfd900000' t='inlineStr'>"
                                                      "<is><t>x</t></is></c></row></sheetData>"))
    result = _run("validate", p, "--no-show-mapping")
    assert "bỏ qua 1 ô lạc xa bảng ở trang tính 'S' (XFD900000)" in result.stderr
    assert result.returncode == 0


def test_an_absurd_dimension_alone_is_read(tmp_path):
    p = xlsx(tmp_path / "a.xlsx", [("S", [HEADER, *rows(3)])])
    patch_xlsx(p, lambda x: x.replace('<dimension ref="A1:G4"/>', '<dimension ref="A1:XFD1048576"/>'))
    result = _run("compute", p, "--format", "json")
    assert json.loads(result.stdout)["rows"]["used"] == 3


def test_a_table_itself_beyond_the_budget_is_refused_in_one_line(tmp_path):
    # Cells on every 900th row down to the last, every 40th column to the 2,000th: no gap is wide
    # enough to call them stray, and the table they make is two billion cells.
    from ttkhc_cli.io.xlsx_parts import _letters

    def line(r: int) -> str:
        cells = "".join(f'<c r="{_letters(c)}{r}" t="inlineStr"><is><t>x</t></is></c>' for c in range(39, 2000, 40))
        return f'<row r="{r}">{cells}</row>'

    body = "".join(line(r) for r in range(5, 1048577, 900))
    p = xlsx(tmp_path / "a.xlsx", [("S", [HEADER, *rows(3)])])
    patch_xlsx(p, lambda x: x.replace("</sheetData>", body + "</sheetData>"))
    result = _run("compute", p)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "quá lớn so với tệp" in result.stderr


def test_a_decompression_bomb_is_refused_before_any_parse(tmp_path):
    p = xlsx(tmp_path / "a.xlsx", [("S", [HEADER, *rows(3)])])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/sharedStrings.xml":
                dst.writestr(item, src.read(item.filename))
        strings = b'<sst xmlns="' + MAIN.encode() + b'">' + b"<si><t>a</t></si>" * 5_000_000 + b"</sst>"
        dst.writestr("xl/sharedStrings.xml", strings)
    result = _run("compute", bomb)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"Lỗi: {bomb}: tệp nén bất thường (xl/sharedStrings.xml nén ")


def _ods(path: Path, rows_repeated: int, columns_repeated: int) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="S">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Mã hồ sơ</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Ngày tiếp nhận</text:p></table:table-cell></table:table-row>'
        f'<table:table-row table:number-rows-repeated="{rows_repeated}">'
        f'<table:table-cell office:value-type="string" table:number-columns-repeated="{columns_repeated}">'
        "<text:p>HS1</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                   '<manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   "</manifest:manifest>")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize("rows_repeated,columns_repeated", [(1_000_000, 100), (60_000_000, 1), (200, 400_000)])
def test_an_opendocument_sheet_repeated_past_the_budget_is_refused(tmp_path, rows_repeated, columns_repeated):
    p = _ods(tmp_path / "a.ods", rows_repeated, columns_repeated)
    result = _run("compute", p)
    assert result.returncode == 2, result.stderr[-300:]
    assert "trang tính lặp dòng, cột tới" in result.stderr and result.stderr.count("\n") == 1


def _damaged(tmp_path: Path, how: str) -> Path:
    p = xlsx(tmp_path / "a.xlsx", [("S", [HEADER, *rows(30)])])
    data = bytearray(p.read_bytes())
    with zipfile.ZipFile(p) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        central_start = z.start_dir
    header = info.header_offset
    start = header + 30 + len(info.filename.encode()) + len(info.extra)
    if how == "crc":
        data[start + info.compress_size // 2] ^= 0xFF
    elif how == "encrypted":
        data[header + 6] |= 0x01  # the local header's encryption flag
        at = data.find(b"PK\x01\x02", central_start)  # the central directory's entries
        while at >= 0:
            name_len = int.from_bytes(data[at + 28:at + 30], "little")
            if data[at + 46:at + 46 + name_len] == info.filename.encode():
                data[at + 8] |= 0x01  # and the central directory's
                break
            at = data.find(b"PK\x01\x02", at + 4)
    p.write_bytes(bytes(data))
    return p


@pytest.mark.parametrize("how,says", [("crc", "dữ liệu nén bị hỏng"), ("encrypted", "mã hóa")])
def test_a_damaged_member_is_one_line_not_an_internal_error(tmp_path, how, says):
    p = _damaged(tmp_path, how)
    result = _run("compute", p)
    assert result.returncode == 2, result.stderr[-300:]
    assert result.stderr.count("\n") == 1 and says in result.stderr, result.stderr
    assert "Lỗi không mong đợi" not in result.stderr


# ------------------------------------------------------------------ formulas without a value (class 14)

def _with_validation(x: str) -> str:
    """A dropdown (data validation with a formula), a conditional format and an autofilter."""
    x = x.replace("</sheetData>", '</sheetData><autoFilter ref="A1:G4"/><conditionalFormatting sqref="A2:A4">'
                  '<cfRule type="expression" priority="1"><formula>LEN(A2)&gt;0</formula></cfRule>'
                  "</conditionalFormatting>"
                  '<dataValidations count="1"><dataValidation type="list" sqref="G2:G4">'
                  '<formula1>"Trực tuyến,Trực tiếp"</formula1></dataValidation></dataValidations>')
    return x


@pytest.mark.parametrize("cell,uncalculated", [
    ('<c r="E2" t="str"><f>IF(1,"","")</f><v></v></c>', False),
    ('<c r="E2" t="str"><f>IF(1,"","")</f><v/></c>', False),
    ('<c r="E2"><f>TODAY()</f></c>', True),
    ('<c r="E2"><f t="shared" si="0"/></c>', True),
])
def test_only_a_cell_formula_without_any_value_is_uncalculated(tmp_path, cell, uncalculated):
    import re as regex

    p = xlsx(tmp_path / "a.xlsx", [("S", [HEADER, *rows(3)])])
    patch_xlsx(p, lambda x: _with_validation(regex.sub(r'<c r="E2"[^>]*>.*?</c>', cell, x, count=1)))
    result = _run("validate", p, "--format", "json")
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert ("uncalculated-formula" in codes) == uncalculated, codes


def test_a_clean_workbook_with_dropdowns_has_no_formula_errors(tmp_path):
    p = xlsx(tmp_path / "a.xlsx", [("S", [HEADER, *rows(3)])])
    patch_xlsx(p, _with_validation)
    result = _run("validate", p, "--format", "json")
    assert not [f for f in json.loads(result.stdout)["findings"] if f["code"] == "uncalculated-formula"]
    assert result.returncode == 0
