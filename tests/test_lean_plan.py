"""The engine's lean count queries give the plain plan's counts, row for row of any log.

``sqlplan.count_query(lean=True)`` is what DuckDB and Spark run: the conditions the masks share
computed once per row, and (counted whole) the dossiers received after the as-of day left out
before their derivation. ``ttkhc sql`` prints the plain form. Both are run here on logs drawn by
hypothesis — dossiers received before, on and after the as-of day or undated, finished or not,
with and without fees, in several departments — for the bundled plan and the service index's
target file (whose counts of procedures are distinct counts), whole and per department.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttkhc_cli.domain.periods import parse_period
from ttkhc_cli.engines import sqlplan
from ttkhc_cli.engines.calendar_table import WORKDAYS_SQL, calendar_table
from ttkhc_cli.kpi import compute as C
from ttkhc_cli.kpi import plan as plan_file
from ttkhc_cli.kpi import service_index

START = dt.datetime(2024, 3, 1, 8, 0)
DAYS = 120  # March to June: the as-of days below fall inside and after it
STATUSES = [None, "received", "processing", "completed", "returned", "rejected", "withdrawn",
            "waiting_supplement", "not_received"]
PRESENT = {"case_id", "procedure_code", "procedure_name", "department", "received_at", "due_at", "completed_at",
           "status", "channel", "fee", "paid_online", "dossier_digitised", "result_digitised", "synced",
           "_file", "_sheet", "_row", "_pos"}


def plans() -> list[plan_file.TargetFile]:
    base = plan_file.load_plan()
    index = service_index.load_definition(service_index.DEFAULT).definition.as_targets(base.file, 2024)
    return [base.file, index]


PLANS = plans()


@st.composite
def dossier(draw: st.DrawFn) -> dict:
    received = draw(st.none() | st.integers(0, DAYS).map(lambda d: START + dt.timedelta(days=d, hours=d % 7)))
    took = draw(st.none() | st.integers(0, 30))
    done = received + dt.timedelta(days=took) if received is not None and took is not None else None
    return {
        "procedure_code": draw(st.sampled_from(["1.001", "1.002", "2.010", None])),
        "procedure_name": draw(st.sampled_from(["Đăng ký khai sinh", "Chứng thực bản sao", None])),
        "department": draw(st.sampled_from(["Tư pháp", "Địa chính", None])),
        "received_at": received,
        "due_at": None if received is None else received + dt.timedelta(days=draw(st.integers(0, 15))),
        "completed_at": done,
        "status": draw(st.sampled_from(STATUSES)),
        "channel": draw(st.sampled_from(["online", "direct", "postal", None])),
        "fee": draw(st.sampled_from([0.0, 20000.0, None])),
        "paid_online": draw(st.booleans() | st.none()),
        "dossier_digitised": draw(st.booleans() | st.none()),
        "result_digitised": draw(st.booleans() | st.none()),
        "synced": draw(st.booleans() | st.none()),
    }


def frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=list(dossier_columns()))
    out.insert(0, "case_id", [f"H{n:04d}" for n in range(len(rows))])
    for column in ("received_at", "due_at", "completed_at"):
        out[column] = pd.to_datetime(out[column])
    out["_file"], out["_sheet"] = "so.xlsx", "Hồ sơ"
    out["_row"] = range(2, len(rows) + 2)
    out["_pos"] = range(len(rows))
    return out


def dossier_columns() -> tuple[str, ...]:
    return ("procedure_code", "procedure_name", "department", "received_at", "due_at", "completed_at", "status",
            "channel", "fee", "paid_online", "dossier_digitised", "result_digitised", "synced")


def connection(log: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.register("cases_raw", log)
    con.register("calendar", calendar_table(C.calendar_for(plan_file.load_plan()), 2023, 2026))
    con.execute(f"CREATE VIEW workdays AS {WORKDAYS_SQL}")
    return con


def counted(con: duckdb.DuckDBPyConnection, plan: plan_file.TargetFile, period: str, as_of: dt.date,
            by: str | None, lean: bool) -> list[tuple]:
    inds = [i for i in plan.indicators if i.count.source == "cases"]
    q = sqlplan.count_query(plan, "cases", inds, parse_period(period), as_of, PRESENT, "cases_raw", by, lean=lean)
    assert q is not None
    return sorted(con.execute(q.sql()).fetchall(), key=repr)


@pytest.mark.parametrize("plan", PLANS, ids=["plan", "index"])
@settings(max_examples=30, deadline=None)
@given(rows=st.lists(dossier(), min_size=0, max_size=40),
       when=st.sampled_from([("2024-04", dt.date(2024, 4, 30)), ("2024-Q2", dt.date(2024, 5, 15)),
                             ("2024-Q2", dt.date(2024, 6, 30)), ("2024-03", dt.date(2024, 8, 1))]),
       by=st.sampled_from([None, "department"]))
def test_the_lean_counts_are_the_plain_counts(plan, rows, when, by):
    con = connection(frame(rows))
    period, as_of = when
    assert counted(con, plan, period, as_of, by, lean=True) == counted(con, plan, period, as_of, by, lean=False)


def test_a_department_whose_dossiers_all_came_later_is_still_a_group():
    """Counted per group, no row is left out before the derivation: the group stays, its figures zero."""
    rows = [dict.fromkeys(dossier_columns()) for _ in range(2)]
    rows[0].update(department="Tư pháp", received_at=dt.datetime(2024, 4, 2, 8), status="processing")
    rows[1].update(department="Địa chính", received_at=dt.datetime(2024, 7, 2, 8), status="processing")
    con = connection(frame(rows))
    plan = PLANS[0]
    got = counted(con, plan, "2024-Q2", dt.date(2024, 6, 30), "department", lean=True)
    groups = {row[0]: row[1:] for row in got}
    assert set(groups) == {"Tư pháp", "Địa chính"}
    assert set(groups["Địa chính"]) == {0}
    assert set(groups["Tư pháp"]) != {0}
