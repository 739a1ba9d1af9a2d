"""The compiled queries kept between runs: the same figures from a cached text, no sqlglot on a
hit, an unusable cache folder ignored, a bounded folder, a key that follows the plan and the code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from ttkhc_cli.io import textcache

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"


def run(cache: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TTKHC_CACHE_DIR": cache}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=300)


def compute(cache: str, *extra: str) -> subprocess.CompletedProcess:
    return run(cache, *extra, "-m", "ttkhc_cli", "compute", str(SAMPLE), "--period", "2024-Q2", "-f", "json", "-q")


def test_a_second_run_reads_the_queries_and_imports_no_sqlglot(tmp_path):
    cache = str(tmp_path / "cache")
    first = compute(cache)
    assert first.returncode in (0, 1), first.stderr
    kept = sorted((tmp_path / "cache").rglob("*.txt"))
    queries = sorted((tmp_path / "cache" / "sql-duckdb").glob("*.txt"))
    assert queries and all(p.read_text(encoding="utf-8").lstrip().startswith(("WITH", "SELECT")) for p in queries)
    (days,) = (tmp_path / "cache" / "calendar").glob("*.txt")  # the working days, one flag a day
    assert set(days.read_text(encoding="ascii")) == {"0", "1"}
    second = compute(cache, "-X", "importtime")
    assert second.stdout == first.stdout
    imported = [line for line in second.stderr.splitlines() if line.startswith("import time")]
    assert imported and not any(" sqlglot" in line or " holidays" in line for line in imported)
    assert sorted((tmp_path / "cache").rglob("*.txt")) == kept  # nothing new to keep


def test_off_keeps_nothing_and_counts_the_same(tmp_path):
    on = compute(str(tmp_path / "cache"))
    off = compute("off")
    assert json.loads(off.stdout)["indicators"] == json.loads(on.stdout)["indicators"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_folder_that_cannot_be_written_is_not_used(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        res = compute(str(locked / "cache"))
        assert res.returncode in (0, 1) and res.stdout.startswith("{"), res.stderr
        assert not list(locked.iterdir())
    finally:
        locked.chmod(0o700)


def test_a_file_in_place_of_the_folder_is_not_used(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder", encoding="utf-8")
    res = compute(str(blocked))
    assert res.returncode in (0, 1) and res.stdout.startswith("{"), res.stderr
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_the_text_is_made_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("TTKHC_CACHE_DIR", str(tmp_path))
    made = []

    def make():
        made.append(1)
        return "SELECT 1"

    assert textcache.cached("t", ("a", 1), make) == "SELECT 1"
    textcache._MEMORY.clear()
    assert textcache.cached("t", ("a", 1), make) == "SELECT 1"  # from the folder
    assert textcache.cached("t", ("a", 2), make) == "SELECT 1"  # another key: made again
    assert len(made) == 2
    assert len(list((tmp_path / "t").glob("*.txt"))) == 2
    assert not list((tmp_path / "t").glob(".*"))  # no temporary file left


def test_keys_follow_what_the_text_depends_on():
    assert textcache.key_of("sql", ("a",)) == textcache.key_of("sql", ("a",))
    assert textcache.key_of("sql", ("a",)) != textcache.key_of("sql", ("b",))
    assert textcache.key_of("sql", ("a",)) != textcache.key_of("other", ("a",))


def test_two_plans_never_share_a_query(tmp_path):
    from ttkhc_cli.engines.sqlengine import plan_key
    from ttkhc_cli.kpi import plan as plan_file

    plan = plan_file.load_plan(None).file
    other = plan.model_copy(update={"timing": plan.timing.model_copy(update={"compare": "date"})})
    assert plan_key(plan) == plan_key(plan_file.load_plan(None).file)
    assert plan_key(plan) != plan_key(other)


def test_the_folder_stays_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(textcache, "ENTRIES_AT_MOST", 10)
    kind = tmp_path / "k"
    kind.mkdir()
    for n in range(11):
        path = kind / f"{n:02d}.txt"
        path.write_text("x", encoding="utf-8")
        os.utime(path, ns=(n * 10**9, n * 10**9))
    textcache._prune(kind)
    assert sorted(p.name for p in kind.iterdir()) == [f"{n:02d}.txt" for n in range(5, 11)]


def test_the_code_fingerprint_changes_with_a_module(tmp_path, monkeypatch):
    before = textcache.code_fingerprint()
    textcache.code_fingerprint.cache_clear()
    module = Path(textcache.__file__)
    stat = module.stat()
    try:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        assert textcache.code_fingerprint() != before
    finally:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        textcache.code_fingerprint.cache_clear()
    assert textcache.code_fingerprint() == before
