"""Where `ttkhc compute` spends its time on one file: reading it, and everything after the read.

    python benchmarks/phases.py benchmarks/.cache/cases-100000.xlsx

Prints one JSON line: the seconds spent reading the case file (fastexcel, Arrow CSV, Parquet)
and the seconds spent mapping, normalising, checking and computing every indicator after it,
within one in-process `compute_files` call (imports are not counted in either). The goal is
that the second is smaller than the first.
"""

from __future__ import annotations

import json
import sys
import time


def main(path: str) -> dict[str, float]:
    from ttkhc_cli import api
    from ttkhc_cli.ingest import log as ingest

    spent = {"read": 0.0}
    read = ingest.read

    def timed_read(*args, **kwargs):
        start = time.perf_counter()
        try:
            return read(*args, **kwargs)
        finally:
            spent["read"] += time.perf_counter() - start

    ingest.read = timed_read  # the reader ingest.load calls, timed where it is looked up
    start = time.perf_counter()
    api.compute_files(api.Request((path,)))
    total = time.perf_counter() - start
    return {"read": spent["read"], "after_read": total - spent["read"]}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
