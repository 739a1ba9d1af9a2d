"""Invariants of computing: bounds, additivity over groups, independence from files and order."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from caselog import write
from dumps import computed
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ttkhc_cli import api

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BASE = dt.date(2024, 1, 1)


@st.composite
def dossier(draw):
    received = BASE + dt.timedelta(days=draw(st.integers(0, 170)))
    due = received + dt.timedelta(days=draw(st.integers(0, 15)))
    state = draw(st.sampled_from(["Đã trả kết quả", "Đang xử lý", "Công dân yêu cầu rút hồ sơ", "Đã xử lý xong"]))
    row = {
        "received_at": received.strftime("%d/%m/%Y"), "due_at": due.strftime("%d/%m/%Y"), "status": state,
        "department": draw(st.sampled_from(["Tư pháp - Hộ tịch", "Địa chính", "Văn hóa - Xã hội", ""])),
        "channel": draw(st.sampled_from(["Trực tuyến", "Trực tiếp", "", "Bưu chính công ích"])),
        "fee": draw(st.sampled_from(["0", "2.000", "50.000", ""])),
        "procedure_name": draw(st.sampled_from(["Chứng thực bản sao từ bản chính", "Đăng ký khai sinh"])),
    }
    for flag in ("paid_online", "dossier_digitised", "result_digitised", "e_result", "synced", "data_reused"):
        row[flag] = draw(st.sampled_from(["Có", "", "x", "Không"]))
    row["rating"] = draw(st.sampled_from(["", "Hài lòng", "Rất hài lòng", "Không hài lòng"]))
    if state != "Đang xử lý":
        row["completed_at"] = (received + dt.timedelta(days=draw(st.integers(0, 25)))).strftime("%d/%m/%Y")
    return row


def compute(chunks: list[list[dict]], **kw) -> dict:
    with tempfile.TemporaryDirectory() as d:
        rows = [r for c in chunks for r in c]
        numbered = [{"case_id": f"HS{i:05d}", **r} for i, r in enumerate(rows)]
        paths, start = [], 0
        for k, c in enumerate(chunks):
            if c:
                paths.append(write(Path(d) / f"f{k}.csv", numbered[start:start + len(c)]))
            start += len(c)
        return computed(api.Request(tuple(paths), **kw))


def strip(result: dict) -> list:
    return [(i["id"], i["numerator"], i["denominator"], i["status"], i["value"]) for i in result["indicators"]]


@SETTINGS
@given(st.lists(dossier(), min_size=1, max_size=40))
def test_bounds_and_group_sums(rows):
    result = compute([rows], period="2024-H1", by="department")
    for i in result["indicators"]:
        if i["denominator"] is not None:
            assert 0 <= i["numerator"] <= i["denominator"]
        if i["value"] is not None:
            assert 0 <= i["value"] <= 100
        if i["source"] != "cases" or i["denominator"] is None:
            continue
        parts = [next(x for x in g["indicators"] if x["id"] == i["id"]) for g in result["groups"]["items"]]
        assert sum(p["numerator"] or 0 for p in parts) == i["numerator"]
        assert sum(p["denominator"] or 0 for p in parts) == i["denominator"]


@SETTINGS
@given(st.lists(dossier(), min_size=2, max_size=30), st.integers(1, 29), st.randoms(use_true_random=False))
def test_split_files_and_row_order_change_nothing(rows, cut, rnd):
    whole = strip(compute([rows], period="2024-H1"))
    cut = min(cut, len(rows) - 1)
    assert strip(compute([rows[:cut], rows[cut:]], period="2024-H1")) == whole
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    # ids travel with their rows, so shuffle the numbered rows rather than renumbering
    assert sorted(strip(compute([shuffled], period="2024-H1"))) == sorted(whole)


@SETTINGS
@given(st.lists(dossier(), min_size=1, max_size=30))
def test_months_add_up_to_the_quarter_for_received_based_indicators(rows):
    assume(any(r["received_at"].endswith(("/01/2024", "/02/2024", "/03/2024")) for r in rows))
    result = compute([rows], period="2024-Q1", by="month")
    for i in result["indicators"]:
        if i["id"] not in ("I.1", "I.2", "I.4", "III.4") or i["denominator"] is None:
            continue
        parts = [next(x for x in g["indicators"] if x["id"] == i["id"]) for g in result["groups"]["items"]]
        assert sum(p["denominator"] or 0 for p in parts) == i["denominator"]
        assert sum(p["numerator"] or 0 for p in parts) == i["numerator"]
