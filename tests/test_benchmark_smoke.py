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


def test_the_peer_counts_what_ttkhc_counts(tmp_path, invoke):
    """The hand-written DuckDB peer the benchmark compares against gives ttkhc's six figures on
    an export (CSV, Parquet) and on the dataset converted from it: a ratio of times means
    something only between two programs that count the same thing (scale.py checks it first)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import data
        import scale
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    files = data.files(5000, cache=tmp_path / "cache", quiet=True)
    ds = tmp_path / "ds"
    assert invoke("convert", files["parquet"], "--unit", "Xã 0", "-o", ds, "-q").exit_code == 0
    for path in (files["csv"], files["parquet"], ds):
        scale.agree(path, str(tmp_path))
