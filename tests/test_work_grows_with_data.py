"""Work grows with the data, not with the length of the period (#28, class 17): a month in
which nothing happens takes the figures of the month before, and they are the figures a count
of that month gives."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import synthetic as S
from conftest import ROOT
from dumps import dumped

from ttkhc_cli import api
from ttkhc_cli.kpi import compute as C

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"


def sparse_log(path, first_year, last_year, n=12, seed=1):
    """A few dossiers spread over decades, some still pending, appointments and results near
    their receipt: events in a handful of months, long quiet stretches between."""
    frame = S.case_log(n, 2024, seed=seed)
    rng = np.random.default_rng(seed)
    years = np.sort(rng.integers(first_year, last_year + 1, n))
    for col in ("Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả"):
        frame[col] = [c if not isinstance(c, str) or not c.strip() else c.replace("/2024", f"/{y}")
                      for c, y in zip(frame[col], years)]
    frame.loc[frame.index[-3:], ["Ngày có kết quả", "Ngày trả kết quả"]] = ""  # still pending
    frame.loc[frame.index[-3:], "Trạng thái"] = "Đang xử lý"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def both_ways(request, monkeypatch):
    monkeypatch.setattr(C, "QUIET_MONTHS_FROM", 10**9)
    counted = dumped(api.compute_files(request))
    monkeypatch.setattr(C, "QUIET_MONTHS_FROM", 0)
    reused = dumped(api.compute_files(request))
    return counted, reused


@pytest.mark.parametrize(("first", "last", "today"), [
    (2000, 2009, None),  # every month in the past
    (2020, 2031, dt.date(2026, 6, 15)),  # today inside the span: later months counted at today
    (2022, 2024, dt.date(2024, 7, 10)),
])
def test_a_quiet_month_has_the_figures_a_count_gives(tmp_path, monkeypatch, first, last, today):
    path = sparse_log(tmp_path / "so.csv", first, last)
    request = api.Request((path,), by="month", today=today)
    counted, reused = both_ways(request, monkeypatch)
    assert len(counted["groups"]["items"]) > 24
    assert counted == reused


def test_the_sample_year_by_month_is_the_same_either_way(monkeypatch):
    request = api.Request((SAMPLE,), period="2024", by="month")
    counted, reused = both_ways(request, monkeypatch)
    assert counted == reused


def test_a_century_of_ten_dossiers_builds_engines_for_its_events_only(tmp_path):
    path = sparse_log(tmp_path / "so.csv", 2000, 2100, n=10, seed=3)
    loaded = api.plan_file.load_plan(None)
    sources = api.load_sources(api.Request((path,)), loaded.file)
    built = []
    make = api.engine_factory(api.Request((path,)), loaded, sources)

    def counting(targets, sources, as_of):
        built.append(as_of)
        return make(targets, sources, as_of)

    period = C.default_period(sources)
    result = C.compute(loaded, sources, period, None, "month", dt.date(2026, 12, 1), make_engine=counting)
    months = len(result.groups.items)
    assert months > 1000
    events = {d.strftime("%Y-%m") for col in sources.case_log().frame.select_dtypes("datetime").columns
              for d in sources.case_log().frame[col].dropna()}
    assert len(built) <= 2 * len(events) + 3, f"{len(built)} engines for {months} months and {len(events)} busy ones"
