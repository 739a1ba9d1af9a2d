"""Mistakes on the command line are told in Vietnamese, one line, exit 2 (the entry point's `run`)."""

from __future__ import annotations

import pytest

from ttkhc_cli.cli.commands import run


@pytest.mark.parametrize(
    "args,message",
    [
        (["compute"], "Lỗi: thiếu đối số TỆP (tệp cần đọc)"),
        (["report", "a.xlsx"], "Lỗi: thiếu tùy chọn --output / -o"),
        (
            ["compute", "a.xlsx", "--format", "xml"],
            "Lỗi: giá trị không hợp lệ cho --format / -f: 'xml'; dùng một trong: table, json, csv, markdown, parquet",
        ),
        (
            ["compute", "a.xlsx", "--window", "tuan"],
            "Lỗi: giá trị không hợp lệ cho --window: 'tuan'; dùng một trong: calendar, nd09",
        ),
        (
            ["compute", "a.xlsx", "--by", "xa"],
            "Lỗi: giá trị không hợp lệ cho --by: 'xa' không phải một trong bo-phan, thu-tuc, linh-vuc, thang, can-bo, "
            "tep, don-vi, tinh (hoặc department, procedure, field, month, officer, file, unit, province)",
        ),
        (["validate", "a.xlsx", "--limit", "0"], "Lỗi: giá trị không hợp lệ cho --limit: phải là số nguyên ≥ 1"),
        (["validate", "a.xlsx", "--limit", "muoi"], "Lỗi: giá trị không hợp lệ cho --limit: phải là số nguyên"),
        (
            ["compute", "a.xlsx", "--perod", "2024-Q1"],
            "Lỗi: không có tùy chọn --perod (có phải --period, --profile, --from?)",
        ),
        (["tinh", "a.xlsx"], "Lỗi: không có lệnh 'tinh'"),
        (["targets", "show", "a.yaml", "b.yaml"], "Lỗi: thừa đối số: b.yaml"),
    ],
    ids=[
        "missing-file",
        "missing-output",
        "bad-format",
        "bad-window",
        "bad-by",
        "limit-too-small",
        "limit-not-a-number",
        "unknown-option",
        "unknown-command",
        "extra-argument",
    ],
)
def test_usage_mistakes_are_told_in_vietnamese(capsys, args, message):
    assert run(args, prog_name="ttkhc") == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == message
    assert len(err) == 2 and err[1].startswith("Xem cách dùng: ttkhc") and err[1].endswith(" --help")


def test_option_without_its_value(capsys):
    assert run(["compute", "a.xlsx", "--output"], prog_name="ttkhc") == 2
    assert capsys.readouterr().err.splitlines()[0] == "Lỗi: tùy chọn --output cần một giá trị đi kèm"


def test_flag_given_a_value(capsys):
    assert run(["compute", "a.xlsx", "--quiet=1"], prog_name="ttkhc") == 2
    assert capsys.readouterr().err.splitlines()[0] == "Lỗi: tùy chọn --quiet không nhận giá trị (chỉ cần ghi --quiet)"


def test_run_returns_the_command_exit_code(capsys, tmp_path):
    assert run(["--version"], prog_name="ttkhc") == 0
    assert capsys.readouterr().out.startswith("ttkhc ")
    assert run(["compute", str(tmp_path / "khong-co.xlsx")], prog_name="ttkhc") == 2
    assert capsys.readouterr().err.strip() == f"Lỗi: {tmp_path / 'khong-co.xlsx'}: không tìm thấy tệp"


@pytest.mark.parametrize("args", [
    ("compute", "sample_data/so-theo-doi-ho-so-2024.xlsx", "--inputs", "sample_data/so-lieu-nhap-2024.yaml"),
    ("validate", "sample_data/so-theo-doi-ho-so-2024.xlsx", "--show-mapping"),
    ("targets", "show"),
])
def test_piped_output_has_no_padding_at_the_ends_of_its_lines(invoke, args, tmp_path):
    """Tables padded every line to 80 columns: a pipe, a file or a diff got trailing spaces."""
    from conftest import ROOT

    res = invoke(*[str(ROOT / a) if a.startswith("sample_data") else a for a in args])
    assert res.exit_code in (0, 1), res.output
    padded = [line for line in res.stdout.splitlines() if line != line.rstrip()]
    assert not padded and res.stdout.count("\n") > 5
    out = tmp_path / "ra.txt"
    if args[0] == "compute":
        invoke(*[str(ROOT / a) if a.startswith("sample_data") else a for a in args], "-o", out)
        assert all(line == line.rstrip() for line in out.read_text(encoding="utf-8").splitlines())


def test_a_plan_title_with_a_word_wider_than_the_screen_is_shown_whole():
    """A title holding a 95-character link made `targets show` loop for ever."""
    from ttkhc_cli.cli.terminal import balanced

    link = "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html?ma=" + "x" * 40
    assert balanced(f"Kế hoạch năm 2024 {link}", 40) == f"Kế hoạch năm 2024 {link}"
    assert balanced("Kế hoạch cải cách thủ tục hành chính, kiểm soát thủ tục hành chính trọng tâm năm 2024", 80) \
        == "Kế hoạch cải cách thủ tục hành chính, kiểm\nsoát thủ tục hành chính trọng tâm năm 2024"
