"""Province and nation scale: the SQL engines against a hand-written DuckDB peer.

Each step runs as its own process (start-up and imports included), interleaved run after run;
the table gives medians and peak memory. Inputs:

- 1M rows: the benchmark export as .parquet and .csv (data.py), and the dataset `ttkhc convert`
  makes of it;
- 10M rows: a dataset of 100 communes (the 1M dataset copied ten times by DuckDB, each copy's
  dossiers spread over ten units with new codes), never held in memory;
- 100M rows: the same, copied a hundred times (`--huge`).

    python benchmarks/scale.py                       # 1M and 10M, 3 runs each
    python benchmarks/scale.py --huge --repeat 1     # and 100M, with Spark on 10M
    python benchmarks/scale.py --markdown out.md
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import data  # noqa: E402
from run import FASTEXCEL, PY, measure  # noqa: E402

TTKHC = [PY, "-m", "ttkhc_cli"]
SAMPLE = HERE.parent / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"
PEER = [PY, str(HERE / "peer_duckdb.py")]


def converted(source: Path, dest: Path) -> Path:
    """The dataset of one export (converted once, cached)."""
    if not (dest / "manifest.json").exists():
        t = time.perf_counter()
        subprocess.run([*TTKHC, "convert", str(source), "--unit", "Xã 0", "-o", str(dest), "-q"], check=True,
                       capture_output=True)
        print(f"converted {source.name} in {time.perf_counter() - t:.1f} s")
    return dest


def copies(base: Path, dest: Path, times: int) -> Path:
    """``times`` copies of a one-unit dataset, each over ten new units with new dossier codes,
    written by DuckDB file by file (never in memory), with a manifest that lists them."""
    if (dest / "manifest.json").exists():
        return dest
    import duckdb

    t = time.perf_counter()
    (dest / "cases").mkdir(parents=True, exist_ok=True)
    manifest = json.loads((base / "manifest.json").read_text(encoding="utf-8"))
    (sid, entry), = manifest["sources"].items()
    rows = entry["logs"]["cases"]["rows"]
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    sources = {}
    for k in range(times):
        out = dest / "cases" / f"part-copy{k:03d}.parquet"
        con.execute(f"""
            COPY (SELECT * REPLACE ('Xã ' || CAST({k * 10} + hash(case_id) % 10 AS VARCHAR) AS unit,
                                    case_id || '-{k}' AS case_id)
                  FROM read_parquet('{base}/cases/**/*.parquet'))
            TO '{out}' (FORMAT parquet, COMPRESSION zstd)""")
        # Each copy is a source of its own with its one part (the manifest is what is read).
        copy = {key: value for key, value in entry.items() if key not in ("findings_part", "findings")}
        sources[f"copy{k:03d}"] = {**copy, "file": f"{entry['file']} (bản sao {k})", "sha256": f"{k:064x}",
                                   "sequence": k + 1, "parts": {"cases": [f"cases/{out.name}"]},
                                   "logs": {"cases": {**entry["logs"]["cases"], "rows": rows}}}
    (dest / "manifest.json").write_text(json.dumps({**manifest, "sources": sources}, ensure_ascii=False),
                                        encoding="utf-8")
    print(f"built {dest.name} ({times} copies) in {time.perf_counter() - t:.1f} s")
    return dest


def agree(path: Path, tmp: str) -> None:
    """The peer and ``ttkhc compute`` give the same six figures on ``path``: a time is compared
    only between two programs that count the same thing."""
    import peer_duckdb

    theirs = peer_duckdb.figures(str(path), 2024)
    out = Path(tmp) / f"agree-{path.name}.json"
    done = subprocess.run([*TTKHC, "compute", str(path), "--period", "2024", "-f", "json", "-q", "-o", str(out)],
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{path.name}: ttkhc compute exited {done.returncode}: {done.stderr}")
    ours = {i["id"]: (i["numerator"], i["denominator"])
            for i in json.loads(out.read_text(encoding="utf-8"))["indicators"] if i["id"] in theirs}
    if ours != theirs:
        wrong = {k: (ours.get(k), v) for k, v in theirs.items() if ours.get(k) != v}
        raise SystemExit(f"{path.name}: ttkhc and the peer disagree (ttkhc, peer): {wrong}")
    print(f"{path.name}: ttkhc and the peer agree on {', '.join(theirs)}", flush=True)


def table(rows: list[tuple[str, list[float], float]]) -> str:
    """The medians, with each ttkhc row's time over the peer's on the same input."""
    peers = {name.split(" · ")[0]: statistics.median(times) for name, times, _ in rows if name.endswith("DuckDB peer")}
    lines = ["| step | median s | runs | peak MB | × peer |", "|---|---:|---:|---:|---:|"]
    for name, times, peak in rows:
        peer = peers.get(name.split(" · ")[0]) if "ttkhc compute" in name else None
        ratio = f"{statistics.median(times) / peer:.1f}" if peer else ""
        lines.append(f"| {name} | {statistics.median(times):.2f} | {len(times)} | {peak:,.0f} | {ratio} |")
    return "\n".join(lines)


def ratios(results: dict[str, tuple[list[float], float]]) -> str:
    """The goals that compare two steps of the same run."""
    med = {name: statistics.median(times) for name, (times, _) in results.items() if times}
    pairs = [("report ÷ compute (1M .csv, 2024-Q2)", "1M .csv · ttkhc report", "1M .csv · ttkhc compute --period 2024-Q2"),
             ("index ÷ compute (1M .csv, 2024-Q2)", "1M .csv · ttkhc index", "1M .csv · ttkhc compute --period 2024-Q2"),
             ("compute ÷ fastexcel (100k .xlsx)", "100k .xlsx · ttkhc compute", "100k .xlsx · fastexcel → pandas (bare read)")]
    lines = ["| ratio | value |", "|---|---:|"]
    lines += [f"| {label} | {med[a] / med[b]:.2f} |" for label, a, b in pairs if a in med and b in med]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--huge", action="store_true", help="also 100M rows (DuckDB) and Spark local on 10M")
    ap.add_argument("--memory-limit", default="1500MB")
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args()
    files = data.files(1_000_000)
    small = data.files(100_000)
    ds1 = converted(files["parquet"], data.CACHE / "dataset-1m")
    ds10 = copies(ds1, data.CACHE / "dataset-10m", 10)
    mem = ["--memory-limit", args.memory_limit]
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "kq.json")
        steps = [
            ("1M .parquet · DuckDB peer", [*PEER, str(files["parquet"])]),
            ("1M .parquet · ttkhc compute (DuckDB engine)", [*TTKHC, "compute", str(files["parquet"]), "--period",
                                                           "2024", "-f", "json", "-q", "-o", out]),
            ("1M .csv · DuckDB peer", [*PEER, str(files["csv"])]),
            ("1M .csv · ttkhc compute (DuckDB engine)", [*TTKHC, "compute", str(files["csv"]), "--period", "2024",
                                                       "-f", "json", "-q", "-o", out]),
            ("1M dataset · DuckDB peer", [*PEER, str(ds1)]),
            ("1M dataset · ttkhc compute", [*TTKHC, "compute", str(ds1), "--period", "2024", "-f", "json", "-q",
                                            "-o", out, *mem]),
            ("10M dataset (100 communes) · DuckDB peer", [*PEER, str(ds10)]),
            ("10M dataset (100 communes) · ttkhc compute", [*TTKHC, "compute", str(ds10), "--period", "2024",
                                                           "-f", "json", "-q", "-o", out, *mem]),
            ("10M dataset (100 communes) · ttkhc compute --by unit", [*TTKHC, "compute", str(ds10), "--period",
                                                                     "2024", "--by", "unit", "-f", "json", "-q",
                                                                     "-o", out, *mem]),
            ("1M .csv · ttkhc report", [*TTKHC, "report", str(files["csv"]), "--period", "2024-Q2", "-q", "-o",
                                        str(Path(tmp) / "bc.xlsx"), "--worklist", "none"]),
            ("1M .csv · ttkhc index", [*TTKHC, "index", str(files["csv"]), "--period", "2024-Q2", "-f", "json", "-q",
                                       "-o", out]),
            ("1M .csv · ttkhc compute --period 2024-Q2", [*TTKHC, "compute", str(files["csv"]), "--period",
                                                         "2024-Q2", "-f", "json", "-q", "-o", out]),
            ("sample · ttkhc compute", [*TTKHC, "compute", str(SAMPLE), "-q", "-f", "json", "-o", out]),
            ("ttkhc --help", [*TTKHC, "--help"]),
            ("ttkhc targets show", [*TTKHC, "targets", "show"]),
            ("100k .xlsx · fastexcel → pandas (bare read)", [PY, "-c", FASTEXCEL, str(small["xlsx"])]),
            ("100k .xlsx · ttkhc compute", [*TTKHC, "compute", str(small["xlsx"]), "--period", "2024", "-f", "json",
                                            "-q", "-o", out]),
            ("100k .xlsx · ttkhc convert", [*TTKHC, "convert", str(small["xlsx"]), "--unit", "Xã 0", "-o",
                                            str(Path(tmp) / "conv"), "-q"]),
        ]
        if args.huge:
            ds100 = copies(ds1, data.CACHE / "dataset-100m", 100)
            steps += [
                ("100M dataset · DuckDB peer", [*PEER, str(ds100)]),
                ("100M dataset · ttkhc compute", [*TTKHC, "compute", str(ds100), "--period", "2024", "-f", "json",
                                                  "-q", "-o", out, *mem]),
                ("10M dataset · ttkhc compute --engine spark (local[2])",
                 [*TTKHC, "compute", str(ds10), "--period", "2024", "--engine", "spark", "--spark-master", "local[2]",
                  "-f", "json", "-q", "-o", out]),
            ]
        for path in (files["parquet"], files["csv"], ds1, ds10, *([ds100] if args.huge else [])):
            agree(path, tmp)
        results: dict[str, tuple[list[float], float]] = {name: ([], 0.0) for name, _ in steps}
        for _ in range(args.repeat):  # interleaved: each round runs every step once
            for name, cmd in steps:
                times, peak = measure(cmd, 1)
                if name.endswith("ttkhc convert"):
                    shutil.rmtree(Path(tmp) / "conv", ignore_errors=True)
                old_times, old_peak = results[name]
                results[name] = (old_times + times, max(old_peak, peak))
                print(f"{name}: {times[0]:.2f} s, {peak:,.0f} MB", flush=True)
    text = table([(name, *results[name]) for name, _ in steps]) + "\n\n" + ratios(results)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
