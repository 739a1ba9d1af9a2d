"""Reading ahead changes when a sheet is parsed, never what is read or what an error says."""

from __future__ import annotations

import os
import time
from pathlib import Path

import messy
import pandas as pd
import pytest

from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.ingest import log as ingest
from ttkhc_cli.io import readahead
from ttkhc_cli.io import table as reading


@pytest.fixture(autouse=True)
def no_leftover_jobs():
    readahead._JOBS.clear()
    readahead._QUEUE.clear()
    yield
    readahead._JOBS.clear()
    readahead._QUEUE.clear()


def _same(a: reading.RawTable, b: reading.RawTable) -> None:
    pd.testing.assert_frame_equal(a.data, b.data)
    assert (a.sheet, a.header_row, a.labels, a.letters, list(a.rows), a.notes) == \
        (b.sheet, b.header_row, b.labels, b.letters, list(b.rows), b.notes)


def test_read_ahead_gives_the_table_of_a_normal_read(tmp_path):
    path = messy.write_xlsx_two_row(tmp_path / "a.xlsx")
    plain = ingest.read_raw(path)[0]
    readahead.start([path])
    assert len(readahead._JOBS) == 1
    early = ingest.read_raw(path)[0]
    assert readahead._JOBS == {}  # taken, not read a second time
    _same(early, plain)


def test_the_parsed_sheet_is_what_fastexcel_reads(tmp_path):
    path = messy.write_xlsx_two_row(tmp_path / "a.xlsx")
    readahead.start([path])
    batch, first, visible = readahead.take(path, "Hồ sơ")
    assert first == 0
    assert batch.num_rows == 11 and batch.num_columns == 10  # banner, header, five rows, totals


def test_a_file_changed_after_the_start_is_read_again(tmp_path):
    path = messy.write_xlsx_two_row(tmp_path / "a.xlsx")
    readahead.start([path])
    readahead._JOBS[next(iter(readahead._JOBS))].done.wait()
    messy.write_xlsx_two_row(path, rows=messy.ROWS[:2])
    later = time.time() + 5
    os.utime(path, (later, later))
    # the two new rows and their totals row, not the five rows read ahead
    assert ingest.read_raw(path)[0].data[0].tolist() == ["HS-001", "HS-002", "Tổng cộng"]


def test_another_sheet_than_the_one_read_ahead(tmp_path):
    path = messy.write_notes_then_cases(tmp_path / "multi.xlsx")
    readahead.start([path])  # the first sheet, which is not the case log
    raw = ingest.read_raw(path)[0]
    assert raw.sheet == "Sổ hồ sơ" and list(raw.rows) == [4]


def test_a_broken_workbook_gives_the_normal_message(tmp_path):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(messy.write_xlsx_two_row(tmp_path / "a.xlsx").read_bytes()[:700])
    with pytest.raises(InputFileError) as plain:
        ingest.read_raw(path)[0]
    readahead.start([path])
    with pytest.raises(InputFileError) as early:
        ingest.read_raw(path)[0]
    assert str(early.value) == str(plain.value)


def test_files_that_are_not_workbooks_are_left_alone(tmp_path):
    csv = messy.write_csv(tmp_path / "a.csv")
    ole = tmp_path / "locked.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    readahead.start([csv, ole, empty, tmp_path / "missing.xlsx"])
    assert readahead._JOBS == {}


def test_workbooks_are_read_ahead_one_at_a_time_in_order(tmp_path):
    """However many files a province passes, at most one sheet is parsed ahead of the one in use."""
    from ttkhc_cli.ingest import log as ingest

    paths = [messy.write_xlsx_two_row(tmp_path / f"xa-{i}.xlsx", rows=messy.ROWS[i:i + 2]) for i in range(3)]
    plain, plain_first = ingest.read_log(paths), ingest.read_raw(paths[0])[0]
    readahead.start(paths)
    pending = lambda: sorted(Path(k[0]).name for k in readahead._JOBS)
    assert pending() == ["xa-0.xlsx"]
    _same(ingest.read_raw(paths[0])[0], plain_first)
    assert pending() == ["xa-1.xlsx"]
    ingest.read_raw(paths[1])[0]
    assert pending() == ["xa-2.xlsx"]
    ingest.read_raw(paths[2])[0]
    assert pending() == [] and readahead._QUEUE == []
    readahead.start(paths)
    early = ingest.read_log(paths)
    pd.testing.assert_frame_equal(early.frame, plain.frame)
