"""The timing model, pinned dossier by dossier under every setting of the plan's ``timing`` block.

Thirty-eight hand-worked dossiers, judged at 31/05/2024. Each expected code was worked out by hand
from the rule it names; changing any timing rule of the compiled plan (``engines.sqlplan``) fails
at least one row here.
Tết 2024 is 08–14/02 (received Wed 07/02 with 3 working days is due Mon 19/02); 29/04 was a
day off swapped with Saturday 04/05 (received Fri 26/04 with 3 working days is due Sat 04/05).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from dumps import dumped, dumped_report

from ttkhc_cli import api
from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.engines import duck
from ttkhc_cli.ingest import log as ingest
from ttkhc_cli.kpi import compute as C
from ttkhc_cli.kpi import plan as plan_file
from ttkhc_cli.kpi.plan import TimingRules

AS_OF = dt.date(2024, 5, 31)
COLUMNS = ["Mã hồ sơ", "Trạng thái", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày gia hạn", "Thời hạn giải quyết",
           "Ngày có kết quả", "Ngày trả kết quả", "Ngày từ chối", "Ngày rút hồ sơ", "Ngày yêu cầu bổ sung",
           "Ngày nhận bổ sung", "Số lần bổ sung"]
DONE, RETURNED = "Đã xử lý xong", "Đã trả kết quả"
# id, what it pins, cells (by COLUMNS after the id), expected timing under the default rules,
# then the settings that change it: {setting: code}.
CASES = [
    ("T01", "a result at 17:30 against a 17:00 appointment is late",
     dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024 17:00", done="05/04/2024 17:30", ret="05/04/2024 17:30"),
     "late", {"date": "on_time"}),
    ("T02", "a result at 10:00 on the appointment's day is on time",
     dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024 17:00", done="05/04/2024 10:00", ret="05/04/2024 10:00"),
     "on_time", {}),
    ("T03", "a result at the appointment's very hour is on time",
     dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024 17:00", done="05/04/2024 17:00", ret="05/04/2024 17:00"),
     "on_time", {}),
    ("T04", "early in the morning of the appointment's day is on time, not early",
     dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024 17:00", done="05/04/2024 08:00", ret="05/04/2024 08:00"),
     "on_time", {}),
    ("T05", "a result the day before the appointment is early",
     dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024 17:00", done="04/04/2024 16:00", ret="04/04/2024 16:00"),
     "early", {}),
    ("T06", "an appointment without an hour compares days: 18:00 on its day is on time",
     dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024", done="05/04/2024 18:00", ret="05/04/2024 18:00"),
     "on_time", {}),
    ("T07", "a result the day after the appointment is late",
     dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024 17:00", done="06/04/2024 09:00", ret="06/04/2024 09:00"),
     "late", {}),
    ("T08", "3 working days from Wed 07/02/2024 skip Tết: due Mon 19/02, a result that day is on time",
     dict(s=RETURNED, rec="07/02/2024 09:00", days="3", done="19/02/2024 15:00", ret="19/02/2024 15:00"),
     "on_time", {}),
    ("T09", "the same dossier finished Tue 20/02 is late",
     dict(s=RETURNED, rec="07/02/2024 09:00", days="3", done="20/02/2024 09:00", ret="20/02/2024 09:00"),
     "late", {}),
    ("T10", "3 working days from Fri 26/04/2024 end on the swapped working Saturday 04/05",
     dict(s=RETURNED, rec="26/04/2024 09:00", days="3", done="04/05/2024 10:00", ret="04/05/2024 10:00"),
     "on_time", {}),
    ("T11", "the same dossier finished Mon 06/05 is late",
     dict(s=RETURNED, rec="26/04/2024 09:00", days="3", done="06/05/2024 08:00", ret="06/05/2024 08:00"),
     "late", {}),
    ("T12", "withdrawn before the appointment counts as on time (the form's note), not early",
     dict(s="Công dân yêu cầu rút hồ sơ", rec="01/04/2024 08:00", due="05/04/2024 17:00", wd="02/04/2024 09:00"),
     "on_time", {}),
    ("T13", "withdrawn after the appointment is late",
     dict(s="Công dân yêu cầu rút hồ sơ", rec="01/04/2024 08:00", due="05/04/2024 17:00", wd="08/04/2024 09:00"),
     "late", {}),
    ("T14", "rejected before the appointment is on time",
     dict(s="Từ chối", rec="01/04/2024 08:00", due="05/04/2024 17:00", rej="01/04/2024 15:00"),
     "on_time", {}),
    ("T15", "stopped (terminal) after the appointment is late; its end is the end of processing",
     dict(s="Dừng xử lý", rec="01/04/2024 08:00", due="05/04/2024 17:00", done="10/04/2024 10:00"),
     "late", {}),
    ("T16", "waiting for the citizen's supplement at the cut-off, appointment passed: in time while it waits",
     dict(s="Yêu cầu bổ sung giấy tờ", rec="01/05/2024 08:00", due="10/05/2024 17:00", asked="06/05/2024 09:00",
          n="1"),
     "pending_in_time", {"clock_runs": "pending_overdue"}),
    ("T31", "waiting, the supplement asked for after the appointment: judged at the request, that is late",
     dict(s="Yêu cầu bổ sung giấy tờ", rec="01/05/2024 08:00", due="10/05/2024 17:00", asked="13/05/2024 09:00",
          n="1"),
     "pending_in_time", {"clock_runs": "pending_overdue", "request": "pending_overdue"}),
    ("T17", "supplemented once, 2 days waited, clock stopped: the appointment moves from 05/04 to 07/04 17:00",
     dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024 17:00", asked="02/04/2024 09:00",
          back="04/04/2024 09:00", n="1", done="07/04/2024 10:00", ret="07/04/2024 10:00"),
     "on_time", {"clock_runs": "late"}),
    ("T18", "an appointment computed in working days moves by the working days waited (Wed, Thu): 05/04 → 09/04",
     dict(s=RETURNED, rec="01/04/2024 08:00", days="4", asked="02/04/2024 09:00", back="04/04/2024 09:00", n="1",
          done="09/04/2024 11:00", ret="09/04/2024 11:00"),
     "on_time", {"clock_runs": "late"}),
    ("T19", "two supplement requests: late where the plan allows one",
     dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024 17:00", n="2", done="04/04/2024 10:00",
          ret="04/04/2024 10:00"),
     "early", {"max1": "late"}),
    ("T20", "paused (Tạm dừng xử lý) at the cut-off, appointment passed: in time while paused",
     dict(s="Tạm dừng xử lý", rec="01/05/2024 08:00", due="10/05/2024 17:00"),
     "pending_in_time", {"clock_runs": "pending_overdue"}),
    ("T21", "an extension after the fact does not make a late dossier on time, unless the plan says so",
     dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024 17:00", ext="10/04/2024 17:00",
          done="08/04/2024 10:00", ret="08/04/2024 10:00"),
     "late", {"replace": "early"}),
    ("T22", "completed, not yet handed over: ended for the processing rule, still pending for the hand-over rule",
     dict(s=DONE, rec="01/04/2024 08:00", due="05/04/2024 17:00", done="04/04/2024 10:00"),
     "early", {"handover": "pending_overdue"}),
    ("T23", "completed on its day, handed over two days later: on time for processing, late for hand-over",
     dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024 17:00", done="05/04/2024 10:00",
          ret="08/04/2024 09:00"),
     "on_time", {"handover": "late"}),
    ("T24", "pending, appointment after the cut-off: in time",
     dict(s="Đang xử lý", rec="28/05/2024 08:00", due="05/06/2024 17:00"),
     "pending_in_time", {}),
    ("T25", "pending, appointment passed: overdue",
     dict(s="Đang xử lý", rec="02/05/2024 08:00", due="08/05/2024 17:00"),
     "pending_overdue", {}),
    ("T26", "received after the cut-off: not yet a dossier at that date",
     dict(s="Đang xử lý", rec="03/06/2024 08:00", due="07/06/2024 17:00"),
     None, {}),
    ("T27", "ended after the cut-off: still pending (and in time) at that date",
     dict(s=RETURNED, rec="27/05/2024 08:00", due="03/06/2024 17:00", done="03/06/2024 10:00", ret="03/06/2024 10:00"),
     "pending_in_time", {}),
    ("T28", "no appointment and no processing time: cannot be judged",
     dict(s=RETURNED, rec="01/04/2024 08:00", done="05/04/2024 10:00", ret="05/04/2024 10:00"),
     None, {}),
    ("T29", "a blank status with a result date is a completed dossier (not handed over: pending for hand-over)",
     dict(s="", rec="01/04/2024 08:00", due="05/04/2024 17:00", done="04/04/2024 10:00"),
     "early", {"handover": "pending_overdue"}),
    ("T30", "withdrawn on the appointment's day after its hour is late (by the day: on time)",
     dict(s="Công dân yêu cầu rút hồ sơ", rec="01/04/2024 08:00", due="05/04/2024 17:00", wd="05/04/2024 17:30"),
     "late", {"date": "on_time"}),
    ("T32", "waiting, asked twice: late where the plan allows one request, also when only waiting ones are late",
     dict(s="Yêu cầu bổ sung giấy tờ", rec="01/05/2024 08:00", due="10/05/2024 17:00", asked="06/05/2024 09:00",
          n="2"),
     "pending_in_time", {"clock_runs": "pending_overdue", "max1": "pending_overdue",
                         "max1_waiting": "pending_overdue"}),
    ("T33", "open, back in processing after two requests: late for max1, in time when only waiting ones are late",
     dict(s="Đang xử lý", rec="27/05/2024 08:00", due="05/06/2024 17:00", n="2"),
     "pending_in_time", {"max1": "pending_overdue"}),
    ("T34", "open, due at 16:30 on the last day: in time by the day, overdue at the period's last moment",
     dict(s="Đang xử lý", rec="27/05/2024 08:00", due="31/05/2024 16:30"),
     "pending_in_time", {"moment": "pending_overdue"}),
    ("T35", "open, due on the last day without an hour: in time, at the last moment too",
     dict(s="Đang xử lý", rec="27/05/2024 08:00", due="31/05/2024"),
     "pending_in_time", {}),
    ("T36", "refused at the desk (Không được tiếp nhận): never received, no timing",
     dict(s="Không được tiếp nhận", rec="02/05/2024 08:00", due="08/05/2024 17:00", rej="02/05/2024 09:00"),
     None, {}),
    ("T37", "exported waiting after two requests, the last asked after the cut-off: neither waiting nor late then",
     dict(s="Yêu cầu bổ sung giấy tờ", rec="27/05/2024 08:00", due="05/06/2024 17:00", asked="03/06/2024 09:00",
          n="2"),
     "pending_in_time", {}),
    ("T38", "exported paused, the request dated after the cut-off, appointment passed by then: overdue",
     dict(s="Yêu cầu bổ sung giấy tờ", rec="13/05/2024 08:00", due="20/05/2024 17:00", asked="03/06/2024 09:00",
          n="1"),
     "pending_overdue", {}),
]
KEYS = ["s", "rec", "due", "ext", "days", "done", "ret", "rej", "wd", "asked", "back", "n"]
SETTINGS = {
    "default": TimingRules(),
    "date": TimingRules(compare="date"),
    "handover": TimingRules(end="handover"),
    "replace": TimingRules(extension="replace"),
    "clock_runs": TimingRules(waiting="clock_runs"),
    "request": TimingRules(waiting="request"),
    "max1": TimingRules(max_supplements=1),
    "max1_waiting": TimingRules(max_supplements=1, supplements_late="waiting"),
    "moment": TimingRules(open_end="moment"),
}


def write(path):
    lines = [",".join(COLUMNS)]
    for ident, _, cells, *_ in CASES:
        lines.append(",".join([ident, *(cells.get(k, "") for k in KEYS)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    return ingest.read_log([write(tmp_path_factory.mktemp("timing") / "t.csv")])


def derive(log, rules: TimingRules = TimingRules(), as_of: dt.date = AS_OF):
    """The log's derived rows as the compiled plan makes them on DuckDB, under ``rules``."""
    loaded = plan_file.load_plan(None)
    loaded = loaded.model_copy(update={"file": loaded.file.model_copy(update={"timing": rules})})
    sources = C.Sources(cases=log)
    make = duck.engine_factory(duck.DuckBackend(duck.tables_of(sources), WorkCalendar()))
    return make(loaded, sources, as_of).derived("cases")


@pytest.mark.parametrize("setting", list(SETTINGS))
def test_every_dossier_under_every_setting(log, setting):
    derived = derive(log, SETTINGS[setting])
    got = dict(zip(derived["case_id"], derived["timing"].astype(object).where(derived["timing"].notna(), None)))
    expected = {ident: changes.get(setting, default) for ident, _, _, default, changes in CASES}
    wrong = {i: (got[i], expected[i], next(c[1] for c in CASES if c[0] == i)) for i in expected if got[i] != expected[i]}
    assert not wrong


def test_a_request_dated_before_receipt_stops_no_clock(tmp_path):
    """A supplement asked for "03/04/2014" on a dossier received 01/04/2024 is a slip of the year,
    not ten years of waiting: the clock is not stopped for it, and the checks say so."""
    rows = [("S1", dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024 17:00", asked="03/04/2014 09:00",
                        back="08/04/2024 09:00", n="1", done="08/04/2024 10:00", ret="08/04/2024 10:00")),
            ("S2", dict(s="Đang xử lý", rec="01/05/2024 08:00", due="10/05/2024 17:00", asked="06/05/2014 09:00",
                        n="1")),
            ("S3", dict(s=RETURNED, rec="01/04/2024 08:00", due="05/04/2024 17:00", asked="04/04/2024 09:00",
                        back="02/04/2024 09:00", n="1", done="08/04/2024 10:00", ret="08/04/2024 10:00")),
            # No receipt date: no slip to tell, the wait of 02/04 to 04/04 moves the appointment.
            ("S4", dict(s=RETURNED, due="05/04/2024 17:00", asked="02/04/2024 09:00", back="04/04/2024 09:00",
                        n="1", done="06/04/2024 10:00", ret="06/04/2024 10:00"))]
    lines = [",".join(COLUMNS)] + [",".join([i, *(c.get(k, "") for k in KEYS)]) for i, c in rows]
    path = tmp_path / "s.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = ingest.read_log([path])
    derived = derive(log)
    assert dict(zip(derived["case_id"], derived["timing"])) == {"S1": "late", "S2": "pending_overdue", "S3": "late",
                                                                "S4": "early"}
    due = dict(zip(derived["case_id"], derived["due_at"]))
    assert due["S1"] == dt.datetime(2024, 4, 5, 17, 0)
    assert due["S4"] == dt.datetime(2024, 4, 7, 17, 0)
    from ttkhc_cli.quality.checks import check

    found = [(f.code, f.row, f.column) for f in check(log, 2024) if f.code.startswith("supplement")]
    assert found == [("supplement-before-received", 2, "K"), ("supplement-before-received", 3, "K"),
                     ("supplement-received-before-requested", 4, "L")]


def test_the_appointments_the_rules_compute(log):
    derived = derive(log)
    due = dict(zip(derived["case_id"], derived["due_at"]))
    assert due["T08"] == dt.datetime(2024, 2, 19)  # Tết skipped
    assert due["T10"] == dt.datetime(2024, 5, 4)  # the swapped working Saturday
    assert due["T17"] == dt.datetime(2024, 4, 7, 17, 0)  # 05/04 17:00 + the 2 days waited
    assert due["T18"] == dt.datetime(2024, 4, 9)  # 05/04 + 2 working days waited
    assert pd_isna(due["T28"])


def pd_isna(value) -> bool:
    import pandas as pd

    return pd.isna(value)


def test_on_time_rate_and_its_rule_in_the_json(tmp_path, invoke):
    """IV.1 from 01/02 to 31/05: 24 resolved, T28 cannot be judged and is left out: a = 23; late
    are T01, T07, T09, T11, T13, T15, T21, T30: b = 15."""
    path = write(tmp_path / "t.csv")
    result = invoke(
        "compute", path, "--from", "01/02/2024", "--to", "31/05/2024", "--as-of", "31/05/2024", "--format", "json"
    )
    data = json.loads(result.stdout)
    iv1 = next(i for i in data["indicators"] if i["id"] == "IV.1")
    assert (iv1["numerator"], iv1["denominator"]) == (15, 23)
    assert data["timing"] == {
        "compare": "datetime",
        "end": "processing",
        "extension": "ignore",
        "waiting": "clock_stops",
        "max_supplements": None,
        "supplements_late": "always",
        "open_end": "day",
    }


def test_the_timing_block_is_read_from_the_target_file(tmp_path):
    from ttkhc_cli.kpi import plan

    text = plan.bundled_path().read_text(encoding="utf-8") + "\ntiming:\n  compare: date\n  max_supplements: 1\n"
    target = tmp_path / "t.yaml"
    target.write_text(text, encoding="utf-8")
    path = write(tmp_path / "t.csv")
    result = dumped(
        api.compute_files(
            api.Request((path,), targets_file=target, date_from="01/02/2024", date_to="31/05/2024", as_of="31/05/2024")
        )
    )
    iv1 = next(i for i in result["indicators"] if i["id"] == "IV.1")
    # by the day T01 and T30 are on time; T19 (two supplements) is late: 15 + 2 - 1
    assert (iv1["numerator"], iv1["denominator"]) == (16, 23)
    bad = tmp_path / "bad.yaml"
    bad.write_text(plan.bundled_path().read_text(encoding="utf-8") + "\ntiming:\n  compare: hour\n", encoding="utf-8")
    from ttkhc_cli.domain.errors import TargetFileError

    with pytest.raises(TargetFileError) as exc:
        plan.load_plan(bad)
    assert exc.value.problems[0].endswith("timing.compare: 'hour' không phải một trong datetime, date")


def test_an_unjudged_dossier_is_named(tmp_path):
    _, report = dumped_report(api.validate_files(api.Request((write(tmp_path / "t.csv"),))))
    named = [f for f in report["findings"] if f["code"] == "no-appointment"]
    assert [f["row"] for f in named] == [30]  # T28, the 29th dossier under the header (T31 follows T16)


def test_the_national_index_rule_is_a_target_file_not_code(tmp_path):
    """targets/vi-du-chi-so-766.yaml counts on time as the index does, from 01/02 to 31/05: every
    dossier received (T26 arrives after the cut-off, T28 cannot be judged, T36 was never received:
    35), on time = ended early or on time, or pending within its appointment; T31's supplement was
    asked for after the appointment and T32 still waits after two requests: late; T19 (two
    requests, ended early) and T33 (two, back in processing) are judged by their dates; T37's and
    T38's requests came after the cut-off (T38 is overdue by then). On time: T02–T06, T08, T10,
    T12, T14, T16, T17, T18, T19, T20, T22, T23, T24, T27, T29, T33, T34, T35, T37 = 23."""
    from conftest import ROOT

    result = dumped(
        api.compute_files(
            api.Request(
                (write(tmp_path / "t.csv"),),
                targets_file=ROOT / "targets" / "vi-du-chi-so-766.yaml",
                date_from="01/02/2024",
                date_to="31/05/2024",
                as_of="31/05/2024",
            )
        )
    )
    progress = next(i for i in result["indicators"] if i["id"] == "2.1")
    assert (progress["numerator"], progress["denominator"]) == (23, 35)
    assert result["timing"]["waiting"] == "request" and result["timing"]["max_supplements"] == 1


def test_form06_follows_the_same_rules(tmp_path):
    """Biểu 06 from 01/02 to 31/05: 23 resolved and judged (T28 cannot be, and is noted): early
    T05, T19, T22, T29; late T01, T07, T09, T11, T13, T15, T21, T30; on time the other 11. Pending
    at 31/05: in time T16, T31, T32 (waiting for a supplement: the clock stops), T20 (paused), T24,
    T27, T33, T34, T35, T37; overdue T25, T38 (asked for a supplement after the cut-off). T36 was
    never received: not on the form."""
    data = api.build_report(
        api.Request((write(tmp_path / "t.csv"),), date_from="01/02/2024", date_to="31/05/2024", as_of="31/05/2024")
    )
    total = data.form06[-1]
    assert total[2:] == [35, 0, 35, 0, 23, 4, 11, 8, 12, 10, 2]
    assert data.form06_note == ("1 hồ sơ không đánh giá được tiến độ (thiếu ngày hẹn trả, hoặc đã có kết quả mà không ghi ngày) không đưa vào biểu")
    assert (
        "Hồ sơ đang chờ công dân bổ sung hoặc đang tạm dừng được tính là trong hạn khi đang chờ" in data.timing_rules[3]
    )
