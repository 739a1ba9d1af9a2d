"""Parquet files: typed columns with their names as the header."""

from __future__ import annotations

from pathlib import Path

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

    try:
        df = pd.read_parquet(p)
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
