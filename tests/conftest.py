from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

# Wide, colourless rich output so that exact-text assertions do not depend on the terminal.
os.environ["COLUMNS"] = "250"
os.environ["NO_COLOR"] = "1"
os.environ.pop("FORCE_COLOR", None)

# The compiled queries are cached in a folder of this test run, never the developer's own cache.
os.environ["TTKHC_CACHE_DIR"] = tempfile.mkdtemp(prefix="ttkhc-test-cache-")
atexit.register(shutil.rmtree, os.environ["TTKHC_CACHE_DIR"], True)

ROOT = Path(__file__).resolve().parents[1]
# Test support code (hand-made logs, messy exports, the synthetic generator) is imported by name.
sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))
# The seed plan (its Appendix I is what the shipped target file must mirror), kept with the tests.
SEED_DIR = ROOT / "tests" / "fixtures"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    from ttkhc_cli.cli.commands import app

    def _invoke(*args: str, env: dict[str, str] | None = None):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, env=env)

    return _invoke


# Property tests run the same examples on every machine (a CI run is reproducible); set
# HYPOTHESIS_PROFILE=explore to search new examples locally.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
_hypothesis_settings.register_profile("explore", max_examples=500)
_hypothesis_settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "ci"))
