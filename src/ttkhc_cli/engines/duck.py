"""The DuckDB engine: the compiled plan run in-process, over the logs in memory or a Parquet dataset.

DuckDB scans pandas frames and Arrow tables in place (no copy) and Parquet files by columns and
row groups, with a memory limit it keeps by spilling to disk. It is the default engine for every
input, a commune's 300-row workbook as well as a province's dataset.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.domain.errors import InputFileError, OutOfMemory
from ttkhc_cli.engines.calendar_table import WORKDAYS_SQL, calendar_table, years_around
from ttkhc_cli.engines.sqlengine import DATE_COLUMNS, Table, date_range, latest_rows, sql_engine_factory
from ttkhc_cli.io.scratch import run_dir
from ttkhc_cli.kpi.compute import SPAN_COLUMNS, EngineFactory, Sources


class DuckBackend:
    """One DuckDB connection with the logs and the working-day calendar registered as views."""

    dialect = "duckdb"

    def __init__(self, tables: list[Table], calendar: WorkCalendar, memory_limit: str | None = None,
                 threads: int | None = None):
        import duckdb

        self.con = duckdb.connect()
        # Bounded whatever the size: --memory-limit, else half of this machine's memory (the rest
        # is the logs read in Python and the officer's other programs); beyond it DuckDB spills.
        self.con.execute("SET memory_limit = ?", [memory_limit or default_memory_limit()])  # a parameter
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute("SET preserve_insertion_order = false")
        # Spilled data in the run's folder (removed at exit), never a ".tmp" in the officer's folder.
        self.con.execute("SET temp_directory = ?", [str(run_dir() / "duckdb")])
        self.tables = {t.source: t for t in tables}
        self._ranges: dict[tuple[str, str], tuple[Any, Any]] = {}  # each date column's first and last, scanned once
        for t in tables:
            name = f"{t.source}_raw"
            if t.frame is not None:
                self.con.register(name, t.frame)
            elif t.ranked:
                self._view(f"{t.source}_ranked", _ranked_scan(t))
                self._view(name, latest_rows(t))
            else:
                from sqlglot import exp

                from ttkhc_cli.engines.dataset import parquet_scan

                self._view(name, exp.select("*").from_(parquet_scan(t.parquet)))
        low, high = self._date_range()
        self.con.register("calendar", calendar_table(calendar, *years_around(low, high)))
        self.con.execute(f"CREATE OR REPLACE VIEW workdays AS {WORKDAYS_SQL}")

    def _view(self, name: str, query: Any) -> None:
        from sqlglot import exp

        view = exp.Create(this=exp.to_table(name), kind="VIEW", replace=True, expression=query)
        self.con.execute(view.sql("duckdb"))

    def span(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last date of the data (the whole-data period)."""
        return self._date_range(SPAN_COLUMNS)

    def _date_range(self, columns: dict[str, tuple[str, ...]] = DATE_COLUMNS) -> tuple[dt.date | None, dt.date | None]:
        return date_range(self.tables, columns, lambda sql: self.run_sql(sql)[0], self._ranges)

    def run_sql(self, sql: str) -> list[tuple]:
        return list(self._execute(sql, lambda result: result.fetchall()))

    def frame_sql(self, sql: str) -> pd.DataFrame:
        return self._execute(sql, lambda result: result.df())

    def _execute(self, sql: str, fetch: Any = None) -> Any:
        """Run a query (and fetch its result) with DuckDB's failures said as ours: memory, a
        signal that interrupted it, a damaged dataset part."""
        import duckdb

        try:
            result = self.con.execute(sql)
            return result if fetch is None else fetch(result)
        except duckdb.OutOfMemoryException:
            raise OutOfMemory("DuckDB") from None
        except duckdb.InterruptException:  # a signal arrived while the query ran: stop as Python does
            raise KeyboardInterrupt from None
        except (RuntimeError, duckdb.Error) as exc:
            if _interrupted(exc):
                raise KeyboardInterrupt from None
            if not isinstance(exc, duckdb.Error):
                raise
            damaged = _damaged_part([p for t in self.tables.values() for p in t.parquet])
            if damaged is None:
                raise
            raise damaged from None

    def close(self) -> None:
        self.con.close()


def _interrupted(exc: Exception) -> bool:
    """Whether DuckDB's error is an interrupt (Ctrl-C) it caught while scanning the logs in
    memory: "Query interrupted", or Python's KeyboardInterrupt wrapped in DuckDB's own error."""
    import re

    return bool(re.search(r"Query interrupted|(?:^|\n)KeyboardInterrupt\b", str(exc)))


def default_memory_limit() -> str:
    """Half of the physical memory, as DuckDB reads a size ("12288MB"); DuckDB's own 80 % when the
    system does not say."""
    import os

    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "80%"
    return f"{max(total // 2 // 2**20, 256)}MB"


def _damaged_part(parts: list[str]) -> InputFileError | None:
    """The first dataset part whose pages cannot be decoded (its footer read, so open_dataset
    kept it), as the one-line error a query over it ends in; None if every part decodes."""
    import pyarrow.parquet as pq

    for part in parts:
        try:
            reader = pq.ParquetFile(part)
            for i in range(reader.num_row_groups):
                reader.read_row_group(i)
        except Exception as exc:  # noqa: BLE001 - any decoding failure names the part
            reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
            return InputFileError(f"{part}: tệp của bộ dữ liệu bị hỏng ({reason}); chuyển lại tệp nguồn bằng "
                                  "ttkhc convert, hoặc xóa tệp này cùng mục của nó trong manifest.json")
    return None


def _ranked_scan(t: Table) -> Any:
    """A dataset's parts with each row's source order (``_rank``), from the file it was read from."""
    from sqlglot import exp

    from ttkhc_cli.engines.dataset import parquet_scan

    scan = parquet_scan([p for _, p in t.ranked], filename=True)
    rank = exp.Case(ifs=[exp.If(this=exp.EQ(this=exp.column("filename"), expression=exp.Literal.string(p)),
                                true=exp.Literal.number(r)) for r, p in t.ranked])
    return exp.select("*", exp.alias_(rank, "_rank")).from_(scan)


def tables_of(sources: Sources) -> list[Table]:
    """The logs read in memory, as DuckDB tables (the frames scanned in place), each row with its
    place in the log (``_pos``): listings keep the log's order, whatever order DuckDB scans in."""
    import numpy as np

    out = []
    for log in sources.logs():
        present = set(log.present) | {c for c in ("_file", "_sheet", "_row", "unit", "province") if c in log.frame}
        frame = log.frame.assign(_pos=np.arange(len(log.frame), dtype="int64"))
        out.append(Table(log.source, present | {"_pos"}, frame=frame))
    return out


def engine_factory(backend: DuckBackend) -> EngineFactory:
    return sql_engine_factory(backend, "duckdb")
