"""Invariants of ingestion: the canonical table does not depend on how the export was laid out."""

from __future__ import annotations

import tempfile
from pathlib import Path

import messy
import numpy as np
import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ttkhc_cli.ingest import log as ingest
from ttkhc_cli.ingest import normalise as N

# Other headers real exports use for the same fields (reference §2).
ALIASES = {
    "Mã hồ sơ": ["Số hồ sơ", "Mã HS", "Số biên nhận", "MaHoSo", "MÃ HỒ SƠ"],
    "Thủ tục": ["Tên thủ tục", "Tên TTHC", "TenThuTuc"],
    "Ngày tiếp nhận": ["Ngày nhận", "NgayTiepNhan", "ngay tiep nhan"],
    "Ngày hẹn trả": ["Hạn xử lý", "Hạn giải quyết", "NGÀY HẸN TRẢ", "Ngày hẹn trả kết quả"],
    "Ngày có kết quả": ["Ngày hoàn thành", "Ngày kết thúc xử lý", "NgayKetThucXuLy"],
    "Kênh nộp": ["Hình thức nộp", "Kênh thực hiện", "KenhThucHien"],
    "Trạng thái": ["Tình trạng", "TrangThaiHoSo"],
    "Phí": ["Lệ phí", "Phí, lệ phí"],
    "Thanh toán trực tuyến": ["DuocThanhToanTrucTuyen", "Thanh toán TT"],
    "Số hóa hồ sơ": ["Số hoá hồ sơ", "HoSoCoThanhPhanSoHoa"],
}
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_REF: list[pd.DataFrame] = []


def reference() -> pd.DataFrame:
    if not _REF:
        with tempfile.TemporaryDirectory() as d:
            _REF.append(messy.canonical(ingest.read_log([messy.write_csv(Path(d) / "a.csv")]).frame))
    return _REF[0]


def load_csv(rows, headers, parts: int = 1) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as d:
        chunks = [rows[i::parts] for i in range(parts)]
        paths = [messy.write_csv(Path(d) / f"p{i}.csv", rows=c, headers=headers) for i, c in enumerate(chunks) if c]
        return messy.canonical(ingest.read_log(paths).frame)


@SETTINGS
@given(st.permutations(range(len(messy.ROWS))), st.permutations(range(len(messy.HEADERS))))
def test_shuffling_rows_and_columns_changes_nothing(row_order, col_order):
    rows = [[messy.ROWS[r][c] for c in col_order] for r in row_order]
    headers = [messy.HEADERS[c] for c in col_order]
    pd.testing.assert_frame_equal(load_csv(rows, headers), reference())


@SETTINGS
@given(st.data())
def test_renaming_headers_to_other_aliases_changes_nothing(data):
    headers = [data.draw(st.sampled_from([h] + ALIASES[h])) for h in messy.HEADERS]
    pd.testing.assert_frame_equal(load_csv(messy.ROWS, headers), reference())


@SETTINGS
@given(st.integers(min_value=2, max_value=5))
def test_splitting_a_file_changes_nothing(parts):
    pd.testing.assert_frame_equal(load_csv(messy.ROWS, messy.HEADERS, parts), reference())


_LINE = st.text(alphabet="abc đêơ,;", min_size=0, max_size=6)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["case", "note", "blank"]), st.lists(_LINE, min_size=1, max_size=3)),
                min_size=1, max_size=25))
# Found by hypothesis: a quoted cell holding a line of bare separators is not a record of its own.
@example(lines=[("case", ["", ",,,", ""]), ("case", ["", ";"]), ("case", ["", ""])])
@example(lines=[("case", ["", ",,,", ""]), ("case", ["", ""])])
# Found by hypothesis: a continuation line with fewer separators than a record is no record.
@example(lines=[("case", ["", ""]), ("case", ["", ";,;", ""])])
def test_every_csv_row_is_placed_at_the_line_an_editor_shows(lines):
    """Rows keep the line they start on, whatever cells span lines and whatever notes sit between them."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Cán bộ xử lý"])
    expected, line = [], 2
    for i, (kind, officer) in enumerate(lines):
        text = "\n".join(officer)
        if kind == "case":
            writer.writerow([f"HS-{i}", "02/01/2024", "Đang xử lý", text])
            expected.append((f"HS-{i}", line))
        elif kind == "note":
            out.write(f"Ghi chú {i}\n")
        else:
            out.write("\n")
        line = out.getvalue().count("\n") + 1
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "a.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        log = ingest.read_log([path])
    assert list(zip(log.frame["case_id"], log.frame["_row"])) == expected


CELLS = ["", None, "Tổng cộng", "Cộng", "TỔNG SỐ: 12 hồ sơ", "Tổng", "CONG-001", "HS-001", "12", "1.500",
         "Nguyễn Văn A", "Cộng đồng dân cư", "total"]


def _totals_oracle(df: pd.DataFrame, id_col: int | None) -> list[bool]:
    """The totals-row rule cell by cell: the first label in the row, no dossier code beside it,
    and little else or numbers only."""
    from ttkhc_cli.io.headers import is_totals_label

    filled = [sum(v not in ("", None) for v in row) for row in df.itertuples(index=False)]
    own = [f for f in filled if f > 0]
    typical = float(pd.Series(own).median()) if own else 0
    out = []
    for i, row in enumerate(df.itertuples(index=False)):
        labels = [c for c, v in enumerate(row) if isinstance(v, str) and is_totals_label(v)]
        if not labels or (id_col is not None and labels[0] != id_col and row[id_col] not in ("", None)):
            out.append(False)
            continue
        others = [str(v) for c, v in enumerate(row) if c != labels[0] and v not in ("", None)]
        out.append(filled[i] <= max(3, typical * 0.6)
                   or all(N._NUMBERISH.match(v) for v in others))
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(CELLS), min_size=6, max_size=6), min_size=1, max_size=12),
       st.sampled_from([None, 0, 2]))
def test_a_totals_row_is_found_as_the_rule_reads_it_cell_by_cell(rows, id_col):
    """The check looks at the id column first and searches the other columns only in the rows it
    leaves; it finds exactly the rows the rule, read cell by cell, calls totals rows."""
    from ttkhc_cli.io.table import Part, RawTable

    df = pd.DataFrame(rows, dtype=object)
    table = RawTable("a.csv", None, 1, [str(c) for c in df.columns], list("ABCDEF"), df,
                     np.arange(2, len(df) + 2))
    empty = [N._is_empty(df[c]) for c in df.columns]
    got = N._totals_rows(df, empty, N._count_filled(empty, len(df)), id_col, [Part(table, 0, len(df))])
    assert got.tolist() == _totals_oracle(df, id_col)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["", "HS-1", "HS-2", "hs-1", "HS-1 ", "Hồ sơ 1", "Hô\u0300 sơ 1"])),
                max_size=12))
def test_ids_are_told_distinct_alike_by_duckdb_and_by_pandas(cells):
    """A big log's ids are hashed by DuckDB, a small one's by pandas: both say the same, blanks
    (missing cells) aside, "" and a trailing space being values of their own."""
    values = pd.Series(cells, dtype="string[pyarrow]")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    expected = len(uniques) == int((codes >= 0).sum())
    threshold = N.HASHED_IN_DUCKDB
    try:
        N.HASHED_IN_DUCKDB = 0
        assert N.all_distinct(values) is expected
    finally:
        N.HASHED_IN_DUCKDB = threshold


def test_a_repeated_id_among_a_big_logs_is_found(tmp_path):
    n = N.HASHED_IN_DUCKDB + 10
    ids = [f"000.00.22.H35-240101-{i:06d}" for i in range(n)]
    ids[-1] = ids[5]  # the last row repeats the sixth
    path = tmp_path / "lon.csv"
    pd.DataFrame({"Mã hồ sơ": ids, "Ngày tiếp nhận": "02/01/2024 08:00", "Ngày hẹn trả": "05/01/2024 17:00",
                  "Trạng thái": "Đã trả kết quả"}).to_csv(path, index=False)
    log = ingest.read_log([path])
    dup = [f for f in log.findings if f.code == "duplicate-id"]
    assert [(f.row, f.value) for f in dup] == [(7, ids[5])] and len(log.frame) == n - 1
