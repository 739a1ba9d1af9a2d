"""The adversarial corpus (tests/support/hostile.py): no crash, no silent loss, no changed input,
no temporary file left, one clear line and exit 2 for input the tool cannot use."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from hostile import CASES
from typer.testing import CliRunner

from ttkhc_cli.cli.commands import app


def _snapshot(d: Path) -> dict[Path, tuple[str, int]]:
    out = {}
    for p in d.rglob("*"):
        if p.is_file() and not p.is_symlink():
            out[p] = (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
    return out


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 120
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(tmp_path, case):
    d = tmp_path / "case"
    d.mkdir()
    args = case.make(d)
    before = _snapshot(d)
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    err = result.stderr.strip().splitlines()
    assert result.exit_code == case.exit, (result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.output and "Lỗi không mong đợi" not in result.stderr
    if case.exit == 2:
        assert len(err) == 1 and err[0].startswith("Lỗi: "), result.stderr
        assert case.says in err[0], err[0]
    elif case.says:
        assert case.says in result.output
    # no input changed, nothing left behind but the output the case names
    after = _snapshot(d)
    outputs = (case.output,) if isinstance(case.output, str) else case.output or ()
    allowed = {d / name for name in outputs}
    for p, stamp in before.items():
        if p not in allowed:
            assert after.get(p) == stamp, f"{p.name} changed"
    left = {p for p in after if p not in before} - allowed
    assert not left, f"left behind: {[p.name for p in left]}"
    assert not [p for p in d.rglob(".*") if p.is_file()], "a temporary file was left"
    if case.rows is not None or case.finds:
        data = json.loads((d / "out.json").read_text(encoding="utf-8"))
        rows = data["rows"]
        assert rows["read"] == rows["used"] + sum(rows["excluded"].values())
        if case.rows is not None:
            assert (rows["read"], rows["used"]) == case.rows, rows
        for code in case.finds:
            assert data["findings"]["by_code"].get(code), (code, data["findings"])
    if case.check is not None:
        case.check(d)
    os.chdir(tmp_path)  # a case may have locked a folder; leave it removable
    for p in d.rglob("*"):
        if p.is_dir():
            p.chmod(0o700)
