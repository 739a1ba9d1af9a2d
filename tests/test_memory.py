"""Running out of memory is one Vietnamese line saying what to try, never DuckDB's multi-line
English exception nor a bare MemoryError (#28, class 12)."""

from __future__ import annotations

import pytest
from conftest import ROOT

from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.domain.errors import OutOfMemory
from ttkhc_cli.engines import duck

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"
ADVICE = ("thử: đóng bớt chương trình khác, đặt --memory-limit nhỏ hơn bộ nhớ còn trống (ví dụ 2GB) để DuckDB ghi "
          "tạm ra đĩa, hoặc chuyển sổ thành bộ dữ liệu (ttkhc convert) rồi tính trên bộ dữ liệu")


def test_duckdb_out_of_memory_is_the_tools_error():
    backend = duck.DuckBackend([], WorkCalendar((), ()), memory_limit="30MB", threads=1)
    with pytest.raises(OutOfMemory) as caught:
        backend._execute("SELECT list(i) FROM range(100000000) t(i)").fetchall()
    assert str(caught.value) == f"không đủ bộ nhớ để xử lý dữ liệu này (DuckDB); {ADVICE}"


@pytest.mark.parametrize("error", [MemoryError, lambda: OutOfMemory("DuckDB")])
def test_running_out_of_memory_is_one_line(invoke, monkeypatch, error):
    from ttkhc_cli import api

    def exhausted(*args, **kwargs):
        raise error()

    monkeypatch.setattr(api, "compute_files", exhausted)
    res = invoke("compute", SAMPLE)
    assert res.exit_code == 2
    which = "DuckDB" if error is not MemoryError else "Python"
    assert res.stderr.strip() == f"Lỗi: không đủ bộ nhớ để xử lý dữ liệu này ({which}); {ADVICE}"
