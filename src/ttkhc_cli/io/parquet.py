"""Parquet files: typed columns with their names as the header."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.domain.fields import FIELDS
from ttkhc_cli.domain.folding import column_letter
from ttkhc_cli.io import headers
from ttkhc_cli.io.table import RawTable, ReadOptions, examples, first_line, source_name

SUFFIXES = {".parquet"}


def read(p: Path, shown: str, source: str, options: ReadOptions, match: headers.Match) -> list[RawTable]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(p)
        df = pa.table({name: _plain(col) for name, col in zip(table.column_names, table.columns)}).to_pandas()
    except MemoryError:
        raise  # Arrow's own (ArrowMemoryError is also an ArrowException): the command says so
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputFileError(f"{shown}: không phải tệp Parquet hợp lệ ({first_line(exc)})") from None
    labels = [str(c) for c in df.columns]
    if not any(match(x, None) for x in labels):
        raise InputFileError(
            f"{shown}: không tìm thấy cột nào của {source_name(source)} (cần các cột như {examples(source)})"
        )
    df.columns = range(df.shape[1])
    id_field = FIELDS[source][0].name
    numeric: dict[int, set[int] | None] = {
        j: None for j, x in enumerate(labels)
        if match(x, None) == id_field and pd.api.types.is_numeric_dtype(df[j]) and not pd.api.types.is_bool_dtype(df[j])
    }
    return [RawTable(
        file=shown, sheet=None, header_row=1, labels=labels, groups=[None] * len(labels),
        letters=[column_letter(i) for i in range(df.shape[1])], data=df,
        rows=np.arange(2, 2 + len(df)), numeric_rows=numeric,
    )]


def _plain(col: Any) -> Any:
    """A column as one of the types the pipeline reads: dates and times as timestamps (a zone's
    time as Vietnam's clock), decimals as floats, every other type (times of day, binary text,
    lists, structs, maps) as its text, so that a column of any type is a value or a finding,
    never an internal error, whether a field uses it or not."""
    import pyarrow as pa
    import pyarrow.types as t

    kind = col.type
    if t.is_dictionary(kind):
        return _plain(col.cast(kind.value_type))
    if t.is_timestamp(kind):
        if kind.tz is not None:
            return pa.chunked_array([_naive_vietnam(c) for c in col.chunks], pa.timestamp("us"))
        return col
    if t.is_date(kind):
        return col.cast(pa.timestamp("us"))
    if t.is_decimal(kind) or kind == pa.float16():
        return col.cast(pa.float64())
    if t.is_integer(kind) or t.is_floating(kind) or t.is_boolean(kind) or t.is_null(kind):
        return col
    if t.is_string(kind) or t.is_large_string(kind):
        return col
    if t.is_binary(kind) or t.is_large_binary(kind) or t.is_fixed_size_binary(kind):
        return pa.array([None if v is None else v.decode("utf-8", "replace") for v in col.to_pylist()], pa.string())
    if t.is_time(kind) or t.is_duration(kind):
        return col.cast(pa.string())
    return pa.array([None if v is None else _text(v) for v in col.to_pylist()], pa.string())


def _naive_vietnam(chunk: Any) -> Any:
    """A zoned timestamp as the wall-clock time in Vietnam (UTC+7, no daylight saving)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    unit = chunk.type.unit
    utc = chunk.cast(pa.timestamp(unit))  # the instant, as UTC's wall clock
    seven_hours = pa.scalar(7 * 3600 * {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[unit], pa.duration(unit))
    return pc.add(utc, seven_hours).cast(pa.timestamp("us"))


def _text(value: object) -> str:
    """A nested value (list, struct, map) as readable text."""
    import json

    return json.dumps(value, ensure_ascii=False, default=str)
