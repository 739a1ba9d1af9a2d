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


def test_sigterm_during_a_report_leaves_no_temporary_file(tmp_path):
    """A terminated report removes its half-written file on the way out and exits 143."""
    import os
    import signal
    import time

    out = tmp_path / "bc.xlsx"
    proc = subprocess.Popen([sys.executable, "-m", "ttkhc_cli", "report", str(SAMPLE), "-o", str(out), "-q"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and not list(tmp_path.glob(".bc.*")):
        time.sleep(0.005)
    if proc.poll() is not None:  # finished before its temporary file could be caught
        assert out.exists() and not list(tmp_path.glob(".bc.*"))
        return
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)
    assert proc.returncode == 143, proc.stderr.read()
    assert not list(tmp_path.iterdir())


def test_an_interrupt_exits_130(monkeypatch, capsys):
    from ttkhc_cli import api
    from ttkhc_cli.cli.commands import run as run_cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "compute_files", interrupted)
    assert run_cli(["compute", str(SAMPLE), "-q"]) == 130
    assert capsys.readouterr().err.strip() == "Đã dừng."
