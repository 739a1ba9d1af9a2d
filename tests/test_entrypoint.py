"""The real entry point (`python -m ttkhc_cli`, the `ttkhc` script): exit codes and messages survive it."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ttkhc_cli", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)


def test_missing_file_exits_2_with_one_line():
    done = run("compute", "khong-co.xlsx")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["Lỗi: khong-co.xlsx: không tìm thấy tệp"]


def test_compute_exit_code_follows_the_verdicts(tmp_path):
    out = tmp_path / "kq.json"
    done = run("compute", str(SAMPLE), "-f", "json", "-q", "-o", str(out))
    result = json.loads(out.read_text(encoding="utf-8"))
    failed = any(i["status"] == "fail" for i in result["indicators"])
    assert done.returncode == (1 if failed else 0)
    assert done.stdout == ""
