"""Output paths the system refuses are one line each (#28, class 10): a symbolic-link loop, a
name longer than the system allows (output or input), a folder under a regular file, a full
device; and a legal name of 255 bytes is written (its temporary name is no longer)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"


def one_line(res, start):
    assert res.exit_code == 2, res.output
    line = res.stderr.strip()
    assert "\n" not in line and line.startswith(start) and "không mong đợi" not in line, line
    return line


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_symlink_loop_as_output(invoke, tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    line = one_line(invoke("compute", SAMPLE, "-q", "-f", "json", "-o", tmp_path / "a"), f"Lỗi: {tmp_path / 'a'}:")
    assert line.endswith("(liên kết tượng trưng vòng lặp)")


@pytest.mark.parametrize("stem", [245, 250])
def test_a_legal_long_name_is_written(invoke, tmp_path, stem):
    target = tmp_path / ("a" * stem + ".json")
    res = invoke("compute", SAMPLE, "-q", "-f", "json", "-o", target)
    assert res.exit_code in (0, 1), res.stderr
    assert target.exists() and [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_a_name_too_long_for_the_system(invoke, tmp_path, suffix):
    target = tmp_path / ("c" * 300 + suffix)
    command = ["report", SAMPLE, "--period", "2024-Q1"] if suffix == ".xlsx" else ["compute", SAMPLE, "-f", "json"]
    line = one_line(invoke(*command, "-q", "-o", target), f"Lỗi: {target}:")
    assert line.endswith("(tên tệp quá dài)")


def test_an_input_name_too_long_for_the_system(invoke, tmp_path):
    line = one_line(invoke("compute", tmp_path / ("d" * 300 + ".xlsx"), "-q"), "Lỗi: ")
    assert "tên tệp quá dài" in line or "không tìm thấy tệp" in line


def test_convert_under_a_regular_file(invoke, tmp_path):
    (tmp_path / "tep").write_text("x", encoding="utf-8")
    line = one_line(invoke("convert", SAMPLE, "-o", tmp_path / "tep" / "ds"), "Lỗi: ")
    assert "tep" in line


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_standard_output_on_a_full_device():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "ttkhc_cli", "compute", str(SAMPLE), "-q", "-f", "json"],
                              stdout=full, stderr=subprocess.PIPE, timeout=120)
    assert done.returncode == 2
    assert done.stderr.decode().strip().splitlines()[-1] == "Lỗi: không đọc hoặc ghi được (ổ đĩa hết chỗ trống)"
