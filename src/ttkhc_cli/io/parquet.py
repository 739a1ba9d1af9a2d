"""Parquet files: typed columns with their names as the header."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.domain.fields import alias_table
from ttkhc_cli.domain.text import column_letter
from ttkhc_cli.io import headers
from ttkhc_cli.io.table import RawTable, ReadOptions, examples, first_line, source_name

SUFFIXES = {".parquet"}


def read(p: Path, shown: str, source: str, options: ReadOptions) -> RawTable:
    try:
        df = pd.read_parquet(p)
    except Exception as exc:
        raise InputFileError(f"{shown}: không phải tệp Parquet hợp lệ ({first_line(exc)})") from None
    labels = [str(c) for c in df.columns]
    table = alias_table(source)
    if not any(headers.match_field(x, table) for x in labels):
        raise InputFileError(
            f"{shown}: không tìm thấy cột nào của {source_name(source)} (cần các cột như {examples(source)})"
        )
    df.columns = range(df.shape[1])
    numeric = {j for j in range(df.shape[1]) if pd.api.types.is_numeric_dtype(df[j]) and not pd.api.types.is_bool_dtype(df[j])}
    return RawTable(
        file=shown, sheet=None, header_row=1, labels=labels,
        letters=[column_letter(i) for i in range(df.shape[1])], data=df,
        rows=np.arange(2, 2 + len(df)), numeric_columns=numeric,
    )

