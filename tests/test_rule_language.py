"""The filter language of target files, operator by operator: each test fails if the rule changes.

The frame is a canonical case log as the pipeline builds it (categorical codes, float money,
datetimes, booleans, text), with a blank in every column so that blanks are pinned down too. Each
filter is compiled as the plan compiles it (``sqlplan.filter_sql``) and run on DuckDB.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ttkhc_cli.engines import sqlplan
from ttkhc_cli.kpi.rules import FilterError, parse_rule

FRAME = pd.DataFrame({
    "channel": pd.Categorical(["online", "direct", "postal", None], categories=["online", "direct", "postal"]),
    "status": pd.Categorical(["completed", "withdrawn", "processing", "completed"]),
    "fee": [20000.0, 0.0, np.nan, 5000.0],
    "paid_online": [True, False, False, True],
    "received_at": pd.to_datetime(["2024-01-02 08:00", "2024-02-15 09:30", None, "2024-03-31 16:00"]),
    "procedure_name": ["Chứng thực bản sao", "Đăng ký khai sinh", None, "CHỨNG THỰC chữ ký"],
})


def rows(rule: str) -> list[int]:
    import duckdb

    con = duckdb.connect()
    con.register("t", FRAME.assign(_i=np.arange(len(FRAME))))
    where = sqlplan.filter_sql(parse_rule(rule, "cases"), "cases", set(FRAME.columns)).sql("duckdb")
    return [r[0] for r in con.execute(f"SELECT _i FROM t WHERE {where} ORDER BY _i").fetchall()]


@pytest.mark.parametrize("rule,expected", [
    ("all", [0, 1, 2, 3]),
    ("paid_online", [0, 3]),
    ("not paid_online", [1, 2]),
    # categorical values are read by the data's own parsers: words and codes are the same test
    ("channel = online", [0]),
    ('channel = "Trực tuyến"', [0]),
    ("channel != online", [1, 2, 3]),  # a blank channel is not online
    ("channel in [online, postal]", [0, 2]),
    ("channel not in [online, postal]", [1, 3]),  # blank is "not in" the list
    ("channel is empty", [3]),
    ("channel is not empty", [0, 1, 2]),
    # numbers: a blank is never compared, whatever the operator
    ("fee > 0", [0, 3]),
    ("fee >= 5000", [0, 3]),
    ("fee < 5000", [1]),
    ("fee <= 0", [1]),
    ("fee = 0", [1]),
    ("fee != 0", [0, 3]),  # the blank fee is not "different from 0": it is unknown
    ("fee is empty", [2]),
    # dates (day-first, as the plans write them), also blanks never compared
    ("received_at < 15/02/2024", [0]),
    ("received_at >= 15/02/2024", [1, 3]),
    ("received_at <= 2024-03-31", [0, 1]),  # the 31st at 16:00 is after the day's start
    ("received_at is empty", [2]),
    # text: without diacritics or case
    ('procedure_name contains "chung thuc"', [0, 3]),
    ('procedure_name not contains "chung thuc"', [1, 2]),
    ("procedure_name is empty", [2]),
    # combinations and precedence: and binds tighter than or
    ("channel = online or fee = 0", [0, 1]),
    ("paid_online or channel = direct and fee = 0", [0, 1, 3]),
    ("(paid_online or channel = direct) and fee > 0", [0, 3]),
    ("not (channel = online or channel = direct)", [2, 3]),
    ("status in [completed, withdrawn] and not paid_online", [1]),
])
def test_operator(rule, expected):
    assert rows(rule) == expected


@pytest.mark.parametrize("rule,message", [
    ("channel = facebook", "facebook"),
    ("nosuchfield", "nosuchfield"),
    ("fee > abc", "abc"),
    ("channel in []", "]"),
    ("channel = online or", "kết thúc quá sớm"),
    ("received_at < 31/02/2024", "31/02/2024"),
    ("__import__('os')", "__import__"),
])
def test_a_bad_rule_is_an_error_never_a_silent_miss(rule, message):
    with pytest.raises(FilterError) as exc:
        parse_rule(rule, "cases")
    assert message in str(exc.value)


def test_a_rule_on_a_column_the_log_lacks_selects_nothing():
    assert rows("e_result") == []  # and coverage says the column is missing (tested with coverage)


def test_dates_compare_as_dates_not_text():
    node = parse_rule("received_at > 01/03/2024", "cases")
    assert node.value == dt.date(2024, 3, 1)


def test_every_canonical_code_is_a_value_of_its_fields():
    """A code the data is normalised to (rating = unsatisfied) is always a valid value, whatever
    words the vocabulary lists for it."""
    from ttkhc_cli.domain import codes
    from ttkhc_cli.domain import fields as F

    for source in ("cases", "feedback", "documents"):
        for f in F.field_index(source).values():
            for code in codes.CODES.get(f.kind, ()) if f.kind != "flag" else ():
                parse_rule(f"{f.name} = {code}", source)
                parse_rule(f"{f.name} in [{code}]", source)


def test_the_plan_folds_text_exactly_as_python_does_for_every_code_point():
    """``folded`` in SQL and ``fold`` in Python must agree, or a procedure looked up or filtered
    by name matches in one and not the other: a stray combining mark ("kh\u0309ai"), a mark on
    an uppercase letter, a letter decomposed, every code point between two letters."""
    import duckdb
    import pyarrow as pa

    from ttkhc_cli.domain.folding import fold

    chars = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF]
    chunks = [chars[i:i + 64] for i in range(0, len(chars), 64)]
    texts = ["x".join(chunk) for chunk in chunks]
    texts += ["b".join(f"{c.upper()}\u0301\u0323" for c in chunk) for chunk in chunks]
    texts += ["kh\u0309ai sinh", "Khai sinh", "ĐĂNG KÝ", "Đa\u0306ng ky\u0301"]
    con = duckdb.connect()
    con.register("src", pa.table({"t": texts}))
    query = sqlplan.exp.select(sqlplan.folded(sqlplan.exp.column("t")).as_("f"), "t").from_("src")
    got = con.sql(query.sql("duckdb")).fetchall()
    wrong = [(t, fold(t), f) for f, t in got if fold(t) != f]
    assert wrong == []
