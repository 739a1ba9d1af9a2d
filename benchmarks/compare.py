"""Before and after, in one run: `ttkhc compute` from an earlier commit against the working tree.

A change is judged against the code it replaces on the same machine at the same moment (this
machine is noisy; runs taken apart are not comparable). The earlier commit is checked out once
into benchmarks/.cache/ref-<commit>/ and run with the same Python and libraries; the two are
interleaved, run after run, and the medians compared.

    python benchmarks/compare.py --ref 34a3c56 --rows 100000 --repeat 5
    python benchmarks/compare.py --ref HEAD~3 --rows 1000000 --formats xlsx csv
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import data  # noqa: E402
from run import measure  # noqa: E402


def checkout(ref: str) -> Path:
    """The source tree of ``ref`` (a worktree without history, made once per commit)."""
    sha = subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout.strip()
    dest = data.CACHE / f"ref-{sha}"
    if not dest.exists():
        data.CACHE.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha, "src"], cwd=ROOT, check=True, capture_output=True).stdout
        dest.mkdir()
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest / "src"


def command(src: Path | None, path: Path, out: Path) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return [sys.executable, "-m", "ttkhc_cli", "compute", str(path), "-f", "json", "-q", "-o", str(out)], env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", required=True, help="the earlier commit (any git revision)")
    parser.add_argument("--after", help="a later commit to compare instead of the working tree")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--formats", nargs="+", default=["xlsx", "csv", "parquet"])
    args = parser.parse_args()
    old = checkout(args.ref)
    new = checkout(args.after) if args.after else None
    files = data.files(args.rows)
    print(f"{args.rows:,} rows, {args.repeat} runs each, interleaved; medians (min) in seconds, peak MB")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "kq.json"
        for fmt in args.formats:
            times: dict[str, list[float]] = {"before": [], "after": []}
            peaks = {"before": 0.0, "after": 0.0}
            for _ in range(args.repeat):
                for label, src in (("before", old), ("after", new)):
                    cmd, env = command(src, files[fmt], out)
                    (t,), peak = measure(cmd, 1, env)
                    times[label].append(t)
                    peaks[label] = max(peaks[label], peak)
            b, a = statistics.median(times["before"]), statistics.median(times["after"])
            print(f".{fmt:8} before {b:6.2f} ({min(times['before']):.2f}) {peaks['before']:7.0f} MB   "
                  f"after {a:6.2f} ({min(times['after']):.2f}) {peaks['after']:7.0f} MB   after/before {a / b:.2f}")


if __name__ == "__main__":
    main()
