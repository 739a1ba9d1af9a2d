"""Side-by-side benchmark: the fastest readers against `ttkhc compute` and `ttkhc report`.

Every step runs as its own process (interpreter start and imports included, as a user pays
them), several times; the table gives the median and the peak memory (max RSS) of each. Two
in-process rows per format split one compute into its read and everything after it.

    python benchmarks/run.py                      # 10,000 / 100,000 / 1,000,000 rows, 3 runs each
    python benchmarks/run.py --rows 100000 --repeat 5
    python benchmarks/run.py --rows 10000 --repeat 1 --markdown out.md

Input files are generated once and cached in benchmarks/.cache/ (see data.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data

PY = sys.executable
FASTEXCEL = "import fastexcel, sys; fastexcel.read_excel(sys.argv[1]).load_sheet(0, header_row=4).to_pandas()"
CALAMINE = "import pandas as pd, sys; pd.read_excel(sys.argv[1], engine='calamine', header=4)"
CSV = "import pandas as pd, sys; pd.read_csv(sys.argv[1])"
# The same read with the three date columns parsed day-first, as a case log needs them (context
# for the CSV goal, which is judged against the bare read above).
DATE_COLUMNS = [c for c in data.COLUMNS if c.startswith("Ngày")]
CSV_DATES = f"import pandas as pd, sys; pd.read_csv(sys.argv[1], dayfirst=True, parse_dates={DATE_COLUMNS!r})"
# The process ends without the interpreter's teardown once the file is read: at the declared
# minimum versions (pandas 2.2, pyarrow 26) it sometimes aborts there, in pyarrow's thread pool
# ("terminate called without an active exception"), after the read being timed.
PARQUET = "import os, pandas as pd, sys; pd.read_parquet(sys.argv[1]); sys.stdout.flush(); os._exit(0)"


@dataclass
class Run:
    step: str
    rows: int
    seconds: list[float]
    peak_mb: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


# Linux keeps a process's peak memory across fork and exec: a child started from this (large)
# process would report this process's peak as its own. Each run is started from a small launcher
# instead, which reports the child's own peak.
LAUNCHER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "err = p.stderr.read().decode(errors='replace')\n"
    "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, file=sys.stdout)\n"
    "sys.stderr.write(err[-2000:])\n"
)


def measure(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[list[float], float]:
    """Wall time of each run and the largest peak RSS (MB) of the process."""
    times, peak = [], 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run([PY, "-S", "-c", LAUNCHER, *cmd], capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - start)
        code, maxrss = (int(x) for x in proc.stdout.split())
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} exited {code}: {proc.stderr}")
        peak = max(peak, maxrss / 1024)
    return times, peak


def steps(files: dict[str, Path], out: Path) -> list[tuple[str, list[str]]]:
    ttkhc = [PY, "-m", "ttkhc_cli"]
    out_json, out_xlsx = str(out / "kq.json"), str(out / "bc.xlsx")
    s = [
        ("fastexcel → pandas (.xlsx)", [PY, "-c", FASTEXCEL, str(files["xlsx"])]),
        ("pandas read_csv (.csv)", [PY, "-c", CSV, str(files["csv"])]),
        ("pandas read_csv, dates day-first (.csv)", [PY, "-c", CSV_DATES, str(files["csv"])]),
        ("pandas read_parquet (.parquet)", [PY, "-c", PARQUET, str(files["parquet"])]),
        ("ttkhc compute (.xlsx)", ttkhc + ["compute", str(files["xlsx"]), "-f", "json", "-q", "-o", out_json]),
        ("ttkhc compute (.csv)", ttkhc + ["compute", str(files["csv"]), "-f", "json", "-q", "-o", out_json]),
        ("ttkhc compute (.parquet)", ttkhc + ["compute", str(files["parquet"]), "-f", "json", "-q", "-o", out_json]),
        ("ttkhc report (.xlsx)", ttkhc + ["report", str(files["xlsx"]), "--period", "2024-Q4", "-q", "-o", out_xlsx]),
    ]
    if importlib.util.find_spec("python_calamine") is not None:
        s.insert(1, ("pandas read_excel calamine (.xlsx)", [PY, "-c", CALAMINE, str(files["xlsx"])]))
    return s


STARTUP = [("ttkhc --help", ["--help"]), ("ttkhc targets show", ["targets", "show"])]


PHASES = str(Path(__file__).resolve().parent / "phases.py")
READ_STEP, AFTER_STEP = "in-process: read ({})", "in-process: map, check, compute ({})"


def phases(files: dict[str, Path], rows: int, repeat: int) -> list[Run]:
    """The read and what comes after it, timed inside one compute (see phases.py), per format."""
    import json

    out = []
    for ext in ("xlsx", "csv"):
        got = [json.loads(subprocess.run([PY, PHASES, str(files[ext])], check=True, capture_output=True,
                                         text=True).stdout) for _ in range(repeat)]
        out.append(Run(READ_STEP.format(f".{ext}"), rows, [g["read"] for g in got], 0.0))
        out.append(Run(AFTER_STEP.format(f".{ext}"), rows, [g["after_read"] for g in got], 0.0))
    return out


def startup(repeat: int) -> list[Run]:
    """Start-up time of the commands that must not import pandas (rows = 0)."""
    return [Run(step, 0, *measure([PY, "-m", "ttkhc_cli", *args], max(repeat, 5))) for step, args in STARTUP]


def goals(runs: list[Run]) -> list[tuple[str, str, bool]]:
    """The performance goals of the project, each with the measured figure."""
    by = {(r.rows, r.step): r for r in runs}
    out = [(f"start-up: {r.step} < 0.3 s", f"{r.median:.2f} s", r.median < 0.3) for r in runs if r.rows == 0]
    for rows in sorted({r.rows for r in runs} - {0}):
        def m(step: str, rows: int = rows) -> float | None:
            r = by.get((rows, step))
            return r.median if r else None

        cx, fx, cc, pc, cal = (m("ttkhc compute (.xlsx)"), m("fastexcel → pandas (.xlsx)"), m("ttkhc compute (.csv)"),
                               m("pandas read_csv (.csv)"), m("pandas read_excel calamine (.xlsx)"))
        tag = f"{rows:,} rows"
        if cx and fx:
            out.append((f"{tag}: compute .xlsx ≤ 1.5 × fastexcel read", f"{cx / fx:.2f} ×", cx / fx <= 1.5))
        if cc and pc:
            out.append((f"{tag}: compute .csv ≤ 2 × pandas CSV read", f"{cc / pc:.2f} ×", cc / pc <= 2))
        if cx and cal:
            out.append((f"{tag}: compute .xlsx ≥ 3 × faster than pandas calamine", f"{cal / cx:.2f} ×", cal / cx >= 3))
        for ext in (".xlsx", ".csv"):
            read, after = m(READ_STEP.format(ext)), m(AFTER_STEP.format(ext))
            if read and after:
                out.append((f"{tag}: map + check + compute < read ({ext})", f"{after:.2f} s vs {read:.2f} s",
                            after < read))
        for step in ("ttkhc compute (.xlsx)", "ttkhc report (.xlsx)"):
            r = by.get((rows, step))
            if r and rows >= 1_000_000:
                out.append((f"{tag}: {step} peak memory < 2 GiB", f"{r.peak_mb:,.0f} MB", r.peak_mb < 2048))
    sizes = sorted({r.rows for r in runs} - {0})
    for small, big in zip(sizes, sizes[1:]):
        a, b = by.get((small, "ttkhc compute (.xlsx)")), by.get((big, "ttkhc compute (.xlsx)"))
        if a and b and big == 10 * small and small >= 100_000:
            out.append((f"compute .xlsx {big:,} rows ≤ ~10 × {small:,} rows", f"{b.median / a.median:.2f} ×",
                        b.median / a.median <= 10.5))
    return out


def table(runs: list[Run], goal_rows: list[tuple[str, str, bool]]) -> str:
    lines = ["| rows | step | median s | min s | peak MB |", "|---:|---|---:|---:|---:|"]
    for r in runs:
        rows = f"{r.rows:,}" if r.rows else "—"
        peak = f"{r.peak_mb:,.0f}" if r.peak_mb else "—"
        lines.append(f"| {rows} | {r.step} | {r.median:.2f} | {min(r.seconds):.2f} | {peak} |")
    lines += ["", "| goal | measured | met |", "|---|---:|---|"]
    lines += [f"| {g} | {v} | {'yes' if ok else '**no**'} |" for g, v, ok in goal_rows]
    return "\n".join(lines) + "\n"


def compile_package() -> None:
    """Byte-compile ttkhc as `pip install .` does: an editable install, or PYTHONDONTWRITEBYTECODE,
    would otherwise make every timed run compile the package's source again."""
    import compileall

    import ttkhc_cli

    compileall.compile_dir(str(Path(ttkhc_cli.__file__).parent), quiet=1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cache", type=Path, default=data.CACHE)
    ap.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = ap.parse_args(argv)
    compile_package()
    runs: list[Run] = startup(args.repeat)
    for r in runs:
        print(f"{'—':>9}  {r.step:<40} {r.median:7.2f} s  {r.peak_mb:7.0f} MB", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            files = data.files(rows, args.cache)
            for step, cmd in steps(files, Path(tmp)):
                seconds, peak = measure(cmd, args.repeat)
                runs.append(Run(step, rows, seconds, peak))
                print(f"{rows:>9,}  {step:<40} {statistics.median(seconds):7.2f} s  {peak:7.0f} MB", flush=True)
            for r in phases(files, rows, args.repeat):
                runs.append(r)
                print(f"{rows:>9,}  {r.step:<40} {r.median:7.2f} s", flush=True)
    text = table(runs, goals(runs))
    print()
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
