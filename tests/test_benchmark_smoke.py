"""The benchmark script runs end to end on a small log, so that it cannot rot (not a timed test)."""

from __future__ import annotations

import sys

from conftest import ROOT


def test_benchmark_runs_on_10000_rows(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import run
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    out = tmp_path / "table.md"
    assert (
        run.main(["--rows", "10000", "--repeat", "1", "--cache", str(tmp_path / "cache"), "--markdown", str(out)]) == 0
    )
    text = out.read_text(encoding="utf-8")
    for step in (
        "fastexcel → pandas (.xlsx)",
        "pandas read_csv (.csv)",
        "ttkhc compute (.xlsx)",
        "ttkhc compute (.csv)",
        "ttkhc compute (.parquet)",
        "ttkhc report (.xlsx)",
    ):
        assert f"| 10,000 | {step} |" in text
    assert "compute .xlsx ≤ 1.5 × fastexcel read" in text
    assert "| 10,000 | in-process: read (.csv) |" in text
    assert "map + check + compute < read (.xlsx)" in text
