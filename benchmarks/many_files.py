"""Many small files: a thousand two-row exports (a year of daily or per-officer files) read at once.

Each command runs as its own process (start-up included), interleaved run after run; the table
gives medians, the cost per file and peak memory. The files are generated once in a temporary
folder (a case log of the sample's system, split into files of ``--rows`` rows).

    python benchmarks/many_files.py                   # 1,000 files of 2 rows, 3 runs each
    python benchmarks/many_files.py --files 200 --repeat 5 --markdown out.md
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "support"))
from run import PY, measure  # noqa: E402

TTKHC = [PY, "-m", "ttkhc_cli"]
# The same command with every file read alone (no stack): what stacking saves.
ALONE = [PY, "-c", "import sys; from ttkhc_cli.ingest import log; log.STACK_TABLE_ROWS = -1; "
         "from ttkhc_cli.cli import main; sys.argv[0] = 'ttkhc'; main()"]


def small_files(folder: Path, files: int, rows: int) -> list[Path]:
    """``files`` CSV exports of ``rows`` dossiers each, with one header."""
    import synthetic

    frame = synthetic.case_log(files * rows, 2024, seed=17)
    paths = []
    for k in range(files):
        path = folder / f"ho-so-{k + 1:04d}.csv"
        frame.iloc[k * rows:(k + 1) * rows].to_csv(path, index=False, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--rows", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [str(p) for p in small_files(folder, args.files, args.rows)]
        steps = [
            ("compute", [*TTKHC, "compute", *paths, "--format", "json", "-q"]),
            ("compute, each file alone", [*ALONE, "compute", *paths, "--format", "json", "-q"]),
            ("compute --by month", [*TTKHC, "compute", *paths, "--by", "month", "--format", "json", "-q"]),
            ("index", [*TTKHC, "index", *paths, "--format", "json", "-q"]),
            ("report", [*TTKHC, "report", *paths, "-o", str(folder / "bao-cao.xlsx"), "-q"]),
        ]
        times: dict[str, list[float]] = {name: [] for name, _ in steps}
        peaks: dict[str, float] = {name: 0.0 for name, _ in steps}
        for _ in range(args.repeat):  # interleaved: one run of each step, then again
            for name, cmd in steps:
                got, peak = measure(cmd, 1)
                times[name] += got
                peaks[name] = max(peaks[name], peak)
    lines = [f"{args.files} files of {args.rows} rows, median of {args.repeat} runs",
             "", "| step | wall (s) | per file (ms) | peak (MB) |", "|---|---:|---:|---:|"]
    for name, _ in steps:
        median = statistics.median(times[name])
        lines.append(f"| {name} | {median:.2f} | {1000 * median / args.files:.1f} | {peaks[name]:.0f} |")
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
