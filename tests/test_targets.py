"""The target file: the shipped seed plan against the seed text, and every kind of error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, SEED_DIR

from ttkhc_cli.domain.errors import TargetFileError
from ttkhc_cli.kpi import plan as plan_file

SEED_ID = re.compile(r"^(I|II|III|IV|V)$")


def _strip(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text).strip()


def parse_seed_appendix_i() -> list[dict]:
    """Read Appendix I's table from the seed text: one dict per indicator as printed."""
    text = (SEED_DIR / "seed-ke-hoach-2024.txt").read_text(encoding="utf-8")
    table = text.split("**PHỤ LỤC I**", 1)[1].split("**PHỤ LỤC II**", 1)[0]
    rows: list[dict] = []
    section = None
    for line in table.splitlines():
        if not line.strip() or line.startswith("**") or line.startswith("TT\t") or line.startswith("\t\t\t\tĐơn vị"):
            continue
        cells = line.split("\t")
        first = _strip(cells[0])
        if SEED_ID.match(first):
            section = first
            continue
        if first.isdigit():
            cells = (cells + [""] * 7)[:7]
            rows.append({
                "id": f"{section}.{first}",
                "name": _strip(cells[1]), "lead": _strip(cells[2]), "support": _strip(cells[3]),
                "unit": _strip(cells[4]), "target": _strip(cells[5]), "basis": _strip(cells[6]),
            })
        elif rows:  # continuation of the previous row's cells, printed on another line
            for key, cell in zip(["", "name", "lead", "support", "unit", "target", "basis"], cells):
                if key and _strip(cell):
                    rows[-1][key] = f"{rows[-1][key]} {_strip(cell)}".strip()
    for row in rows:
        row["name"] = row["name"].split(" Theo công thức")[0].strip()
    return rows


def test_seed_table_is_read_whole():
    rows = parse_seed_appendix_i()
    assert [r["id"] for r in rows] == [
        "I.1", "I.2", "I.3", "I.4", "II.1", "II.2", "III.1", "III.2", "III.3", "III.4",
        "III.5", "III.6", "IV.1", "IV.2", "V.1",
    ]


@pytest.mark.parametrize("path", [None, ROOT / "targets" / "dak-to-re-2024.yaml"])
def test_shipped_plan_matches_seed_appendix_i(path):
    plan = plan_file.load_plan(path).file
    seed = {r["id"]: r for r in parse_seed_appendix_i()}
    assert [i.id for i in plan.indicators] == list(seed)
    for ind in plan.indicators:
        row = seed[ind.id]
        if ind.id == "V.1":  # the seed's cell holds "UBND xã." (a copy error): the section's title is the name
            assert row["name"] == "UBND xã."
            assert ind.name == "Tỷ lệ xử lý văn bản, hồ sơ công việc (trừ hồ sơ mật) trên môi trường mạng"
        else:
            assert ind.name == row["name"], ind.id
        assert ind.basis == row["basis"], ind.id
        assert ind.unit == row["unit"] == "%"
        printed = row["target"]
        value = float(re.search(r"\d+", printed).group())
        op = ">=" if printed.startswith("Tối thiểu") else "="
        assert (ind.target.op, ind.target.value) == (op, value), ind.id
        assert ind.target.text == printed
        if row["lead"]:
            assert ind.lead == row["lead"], ind.id
        if row["support"]:
            assert ind.support == row["support"], ind.id


def test_bundled_plan_is_the_targets_file():
    bundled = plan_file.bundled_path().read_bytes()
    assert bundled == (ROOT / "targets" / "dak-to-re-2024.yaml").read_bytes()


def test_plan_header_and_tasks():
    f = plan_file.load_plan().file
    assert f.plan.year == 2024
    assert f.plan.issuer == "Ủy ban nhân dân xã Đắk Tô Re"
    assert "41/KH-UBND" in f.plan.implements
    assert len(f.tasks) == 15
    assert f.tasks[0].timing == "Trước ngày 20/2/2024"
    assert [s.id for s in f.sections] == ["I", "II", "III", "IV", "V"]


def test_every_example_target_file_is_valid():
    for path in sorted((ROOT / "targets").glob("*.yaml")):
        assert plan_file.load_plan(path).file.indicators, path


def test_exact_verdict_uses_fractions():
    t = plan_file.Target(op=">=", value=95)
    assert t.met(95, 100) and not t.met(18999, 20000)
    assert plan_file.Target(op="=", value=100).met(7, 7)
    assert not plan_file.Target(op="=", value=100).met(99999, 100000)
    assert plan_file.Target(op=">=", value=33.3).met(333, 1000)


MINIMAL = """\
plan:
  issuer: UBND xã A
  unit: UBND xã A
  year: 2025
  title: Kế hoạch thử
sections:
  - id: I
    title: Mục I
indicators:
  - id: I.1
    section: I
    name: Tỷ lệ hồ sơ trực tuyến
    target: {op: ">=", value: 50}
    count:
      source: cases
      period_by: received
      denominator: all
      numerator: online
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "x.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_minimal_file_is_valid(tmp_path, invoke):
    p = _write(tmp_path, MINIMAL)
    result = invoke("targets", "check", p)
    assert result.exit_code == 0
    assert result.output == f"{p}: hợp lệ (1 chỉ tiêu, 0 nhiệm vụ).\n"


ERRORS = [
    ("bad yaml", MINIMAL.replace("  year: 2025", "  year: [2025"),
     ["{p}:5: YAML không hợp lệ: thiếu dấu ',' hoặc ']' trong danh sách [...]"]),
    ("unknown key", MINIMAL.replace("    section: I\n", "    section: I\n    colour: red\n"),
     ["{p}:12: I.1 → colour: khóa không hợp lệ"]),
    ("unknown field", MINIMAL.replace("numerator: online", "numerator: onlien"),
     ["{p}:14: I.1 → count: numerator: trường 'onlien' không có trong nguồn cases; các trường: "]),
    ("bad operator", MINIMAL.replace('{op: ">=", value: 50}', '{op: "=>", value: 50}'),
     ['{p}:13: I.1 → target.op: "=>" không phải một trong >=, <=, =, >, <']),
    ("duplicate id", MINIMAL + MINIMAL.split("indicators:\n")[1],
     ["{p}:1: I.1 → id: mã chỉ tiêu bị lặp"]),
    ("threshold outside 0-100", MINIMAL.replace("value: 50", "value: 150"),
     ["{p}:13: I.1 → target.value: ngưỡng 150 nằm ngoài khoảng 0–100"]),
    ("duplicate yaml key", MINIMAL.replace("  year: 2025\n", "  year: 2025\n  year: 2026\n"),
     ["{p}:5: khóa 'year' bị lặp"]),
    ("missing key", MINIMAL.replace("    name: Tỷ lệ hồ sơ trực tuyến\n", ""),
     ["{p}:10: I.1 → name: thiếu khóa bắt buộc"]),
]


@pytest.mark.parametrize("case,text,expected", ERRORS, ids=[e[0] for e in ERRORS])
def test_target_file_errors(tmp_path, invoke, case, text, expected):
    p = _write(tmp_path, text)
    result = invoke("targets", "check", p)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == len(expected)
    for line, want in zip(lines, expected):
        want = "Lỗi: " + want.format(p=p)
        if want.endswith(": "):
            assert line.startswith(want)
        else:
            assert line == want


def test_several_errors_are_reported_together(tmp_path, invoke):
    text = MINIMAL.replace("value: 50", "value: -1").replace("section: I\n", "section: I\n    colour: x\n")
    result = invoke("targets", "check", _write(tmp_path, text))
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 2


def test_missing_target_file(invoke, tmp_path):
    result = invoke("targets", "check", tmp_path / "none.yaml")
    assert result.exit_code == 2
    assert result.stderr == f"Lỗi: {tmp_path / 'none.yaml'}: không tìm thấy tệp chỉ tiêu\n"


def test_filter_is_never_evaluated_as_python(tmp_path):
    text = MINIMAL.replace("numerator: online", 'numerator: __import__("os").system("echo hi")')
    with pytest.raises(TargetFileError) as exc:
        plan_file.parse_plan(text, "x.yaml")
    assert "x.yaml:14: I.1 → count: numerator:" in exc.value.problems[0]


def test_show_json_shape(invoke):
    result = invoke("targets", "show", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) >= {"plan", "indicators", "tasks"}
    first = data["indicators"][0]
    assert {k: first[k] for k in ("id", "section", "unit", "target", "source")} == {
        "id": "I.1", "section": "I", "unit": "%", "target": {"op": ">=", "value": 45.0}, "source": "cases",
    }
    assert set(first) >= {"name", "lead", "support", "basis"}
    assert [i["id"] for i in data["indicators"]][-1] == "V.1"
    assert data["plan"]["year"] == 2024


def test_show_table(invoke):
    result = invoke("targets", "show")
    assert result.exit_code == 0
    assert "Thanh toán trực tuyến" in result.output
    assert "≥ 45%" in result.output
    assert "Số liệu nhập tay" in result.output


def test_version_and_help(invoke):
    from ttkhc_cli import __version__

    assert invoke("--version").output == f"ttkhc {__version__}\n"
    for args in (["--help"], ["targets", "--help"], ["targets", "show", "--help"], ["targets", "check", "--help"]):
        result = invoke(*args)
        assert result.exit_code == 0
        assert "Ví dụ" in result.output


def test_a_misspelt_key_is_named_with_the_key_it_was_meant_to_be(tmp_path):
    path = tmp_path / "sai-khoa.yaml"
    path.write_text(
        "plan: {issuer: X, unit: Y, year: 2024, title: T, windw: calendar}\n"
        "sections: [{id: I, title: A}]\n"
        "indicators:\n"
        "  - id: I.1\n"
        "    section: I\n"
        "    name: N\n"
        "    target: {op: '>=', value: 50, txt: x}\n"
        "    count: {source: cases, denominator: all, numerator: online, period_bye: received}\n"
        "    lead_unit: Văn phòng\n",
        encoding="utf-8",
    )
    with pytest.raises(TargetFileError) as err:
        plan_file.load_plan(path)
    assert err.value.lines() == [
        f"{path}:1: plan.windw: khóa không hợp lệ (có phải window?)",
        f"{path}:7: I.1 → target.txt: khóa không hợp lệ (có phải text?)",
        f"{path}:8: I.1 → count.period_bye: khóa không hợp lệ (có phải period_by?)",
        f"{path}:9: I.1 → lead_unit: khóa không hợp lệ",
    ]
