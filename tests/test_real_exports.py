"""Real-world layouts (reference: exports.md) read with no --columns help, counted by hand.

The thirty dossiers are described in ``tests/support/exports.py``. Worked out once:

- IV.1 / IV.2 (resolved on time, b/a): a = 24 completed + D25 withdrawn + D26 rejected = 26 resolved;
  b = D1–D15 early + D16–D20 on the due day + D25 and D26 (ended before their appointment) = 22.
- I.2 (online): the odd dossiers, 15 of 30 (D2 came by post: not online).
- I.1 (paid online among dossiers with a fee): D1–D5 of D1–D10 = 5/10; in the camelCase dump D11
  carries a 5.000 đ charge (in ``lePhi``) it did not pay online: 5/11 = 45,45 % (≥ 45: met).
- III.2 (electronic result among completed dossiers that return a document): a result file for
  D1–D23 of the 24 completed = 23/24.
- Everything a layout has no column for is "no data", saying which column it needs.
"""

from __future__ import annotations

import json

import exports as E
import pytest
from dumps import dumped_report
from hypothesis import given, settings
from hypothesis import strategies as st

from ttkhc_cli import api

NO_DATA = None
LAYOUTS = {
    # name: (writer, suffix, profile, {indicator: (numerator, denominator) or NO_DATA})
    "register": (E.register, ".xlsx", "so-theo-doi",
                 {"IV.1": (22, 26), "IV.2": (22, 26), "I.1": NO_DATA, "I.2": NO_DATA, "I.3": NO_DATA,
                  "I.4": NO_DATA, "III.2": NO_DATA}),
    "register-without-codes": (E.register_without_codes, ".csv", "so-theo-doi",
                               {"IV.1": (22, 26), "I.2": NO_DATA, "III.2": NO_DATA}),
    "register-with-day-counts": (E.register_with_day_counts, ".xlsx", "common",
                                 {"IV.1": (22, 26), "IV.2": (22, 26), "I.2": NO_DATA}),
    "opencps": (E.opencps, ".csv", "opencps",
                {"IV.1": (22, 26), "I.2": (15, 30), "I.1": NO_DATA, "III.2": NO_DATA}),
    "opencps-api": (E.opencps_api, ".csv", "opencps", {"IV.1": (22, 26), "I.2": (15, 30), "I.1": NO_DATA}),
    "dvcqg": (E.dvcqg, ".csv", "dvcqg",
              # D26 carries code 3, "Không được tiếp nhận": never received, in no population (FD 2.1)
              {"IV.1": (21, 25), "I.2": (15, 29), "I.1": (5, 10), "III.2": (23, 24), "I.3": NO_DATA}),
    "dvcqg-camel": (E.dvcqg_camel, ".xlsx", "dvcqg",
                    {"IV.1": (21, 25), "I.2": (15, 29), "I.1": (5, 11), "III.2": (23, 24)}),
}


def _write(tmp_path, name):
    writer, suffix, _, _ = LAYOUTS[name]
    return writer(tmp_path / f"{name}{suffix}")


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_compute_json_gives_the_hand_counted_figures(tmp_path, invoke, name):
    path = _write(tmp_path, name)
    result = invoke("compute", path, "--period", "2024-Q1", "--format", "json")
    data = json.loads(result.stdout)
    got = {i["id"]: i for i in data["indicators"]}
    for ind, expected in LAYOUTS[name][3].items():
        if expected is NO_DATA:
            assert got[ind]["status"] == "no_data" and got[ind]["note"].startswith("thiếu cột"), (ind, got[ind])
        else:
            assert (got[ind]["numerator"], got[ind]["denominator"]) == expected, ind
    assert data["rows"]["used"] == 30
    assert data["findings"]["error"] == 0


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_each_layout_is_read_with_its_profile(tmp_path, name):
    path = _write(tmp_path, name)
    log, report = dumped_report(api.validate_files(api.Request((path,))))
    assert [f["profile"] for f in report["files"]] == [LAYOUTS[name][2]]
    assert report["counts"]["error"] == 0


def test_the_register_says_plainly_that_only_on_time_can_be_computed(tmp_path, invoke):
    result = invoke("validate", E.register(tmp_path / "r.xlsx"), "--no-show-mapping")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "Tệp này chỉ tính được 2/15 chỉ tiêu: IV.1 Giải quyết đúng hạn (b/a); IV.2 Giải quyết đúng hạn cấp xã (b/a).")
    _, report = dumped_report(api.validate_files(api.Request((tmp_path / "r.xlsx",))))
    i1 = next(r for r in report["coverage"] if r["id"] == "I.1")
    assert (i1["computable"], i1["note"]) == (False, "cần cột Phí, lệ phí; Thanh toán trực tuyến")


def test_register_dates_are_read_under_their_group(tmp_path):
    _, report = dumped_report(api.validate_files(api.Request((E.register(tmp_path / "r.xlsx"),))))
    fields = {m["header"]: (m["field"], m["rule"]) for m in report["mapping"]}
    assert fields["Ngày, tháng, năm › Nhận hồ sơ"] == ("received_at", "alias")
    assert fields["Ngày, tháng, năm › Hẹn trả kết quả"] == ("due_at", "alias")
    assert fields["Ngày, tháng, năm › Trả kết quả"] == ("returned_at", "alias")
    assert fields["Ngày, tháng, năm › Ký nhận"] == (None, "ignored")


def test_the_numbering_row_is_not_taken_for_numeric_ids(tmp_path):
    _, report = dumped_report(api.validate_files(api.Request((E.register(tmp_path / "r.xlsx"),))))
    assert report["rows"]["excluded"] == {"dòng đánh số cột": 1}
    assert not [f for f in report["findings"] if f["code"] == "numeric-id"]


def test_a_register_without_codes_is_usable_and_says_so_once(tmp_path):
    _, report = dumped_report(api.validate_files(api.Request((E.register_without_codes(tmp_path / "r.csv"),))))
    no_ids = [f for f in report["findings"] if f["code"] == "no-id-column"]
    assert len(no_ids) == 1 and no_ids[0]["severity"] == "warning"
    assert "không kiểm tra được hồ sơ trùng" in no_ids[0]["message"]
    assert not [f for f in report["findings"] if f["code"] in ("missing-id", "duplicate-id")]


def test_opencps_timing_text_is_timing_not_a_date(tmp_path):
    log, report = dumped_report(api.validate_files(api.Request((E.opencps(tmp_path / "o.csv"),))))
    fields = {m["header"]: m["field"] for m in report["mapping"]}
    assert fields["Hạn xử lý"] == "timing_reported"
    assert fields["Ngày hoàn thành"] == "completed_at" and fields["Ngày trả"] == "returned_at"
    assert list(log.frame["timing_reported"][:3]) == ["early", "early", "early"]
    assert log.frame["timing_reported"].iloc[20] == "late"  # "Quá 2 ngày"


def test_camel_case_split_fee_is_summed_and_status_code_is_read(tmp_path):
    log, report = dumped_report(api.validate_files(api.Request((E.dvcqg_camel(tmp_path / "d.xlsx"),))))
    rules = {m["header"]: m["rule"] for m in report["mapping"]}
    assert rules["phi"] == rules["lePhi"] == "part"
    assert rules["trangThaiHoSoId"] == "alias" and rules["tenTrangThaiHoSo"] == "duplicate"
    f = log.frame.set_index("case_id")
    assert list(f["fee"].iloc[:2]) == [50000, 50000] and f["fee"].iloc[10] == 5000
    assert list(log.frame["status"].iloc[[0, 12, 24, 25, 28]]) == [
        "returned", "completed", "withdrawn", "not_received", "waiting_supplement"]  # code 3: not received


def test_columns_given_by_the_user_win_over_a_built_in_alias(tmp_path):
    path = E.dvcqg_camel(tmp_path / "d.xlsx")
    columns = tmp_path / "cot.yaml"
    columns.write_text("columns:\n  fee: lePhi\n", encoding="utf-8")
    log, report = dumped_report(api.validate_files(api.Request((path,), columns=columns)))
    rules = {m["header"]: (m["rule"], m["field"]) for m in report["mapping"]}
    assert rules["lePhi"] == ("override", "fee")
    assert rules["phi"] == ("duplicate", None)
    assert log.frame["fee"].iloc[0] == 20000


def test_the_profile_can_be_forced_and_listed(tmp_path, invoke):
    path = E.dvcqg(tmp_path / "d.csv")
    result = invoke("compute", path, "--profile", "dvcqg", "--period", "2024-Q1", "--format", "json")
    assert json.loads(result.stdout)["indicators"][0]["numerator"] == 5
    bad = invoke("compute", path, "--profile", "khong-co")
    assert bad.exit_code == 2
    assert "--profile 'khong-co': không có mẫu xuất này; có sẵn: common, dvcqg, opencps, so-theo-doi" in bad.stderr
    listed = json.loads(invoke("profiles", "--format", "json").stdout)
    assert [p["name"] for p in listed] == ["common", "dvcqg", "opencps", "so-theo-doi"]


def test_an_office_adds_its_own_system_as_a_file(tmp_path, invoke):
    """A system the tool has never seen: headers in its own words, status codes of its own."""
    profile = tmp_path / "he-thong-xa.yaml"
    profile.write_text(
        "name: he-thong-xa\ntitle: Phần mềm một cửa của xã\n"
        "detect: {headers: [SoBN, NgayNhanHS], min: 2}\n"
        "logs:\n  cases:\n    columns:\n"
        "      case_id: {aliases: [SoBN]}\n"
        "      received_at: {aliases: [NgayNhanHS]}\n"
        "      due_at: {aliases: [NgayHen]}\n"
        "      completed_at: {aliases: [NgayXong]}\n"
        "      status:\n        aliases: [TT_HS]\n        values: {completed: [X], processing: [D]}\n",
        encoding="utf-8")
    data = tmp_path / "xa.csv"
    data.write_text("SoBN,NgayNhanHS,NgayHen,NgayXong,TT_HS\nA1,02/01/2024,05/01/2024,04/01/2024,X\n"
                    "A2,03/01/2024,06/01/2024,,D\n", encoding="utf-8")
    result = invoke("compute", data, "--profile", profile, "--period", "2024-Q1", "--format", "json")
    iv1 = next(i for i in json.loads(result.stdout)["indicators"] if i["id"] == "IV.1")
    assert (iv1["numerator"], iv1["denominator"]) == (1, 1)
    checked = invoke("profiles", profile)
    assert checked.exit_code == 0 and "he-thong-xa" in checked.stdout


def test_a_bad_profile_is_reported_with_file_and_line(tmp_path, invoke):
    profile = tmp_path / "sai.yaml"
    profile.write_text("name: sai\ntitle: Sai\nlogs:\n  cases:\n    columns:\n      ngay_nhan: {aliases: [A]}\n"
                       "values:\n  status:\n    xong: [X]\n", encoding="utf-8")
    result = invoke("profiles", profile)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Lỗi: {profile}:1: logs → cases → columns → ngay_nhan: không có trường này")
    assert lines[1].startswith(f"Lỗi: {profile}:1: values → status → xong: không phải mã của status")


# ------------------------------------------------------------------ header variants


def _aliases():
    from ttkhc_cli.ingest import profiles

    common = profiles.bundled()["common"]
    return [(name, alias) for name, spec in common.logs["cases"].columns.items() for alias in spec.aliases]


def _strip_marks(text: str) -> str:
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _camel(text: str, upper_first: bool) -> str:
    words = [w for w in _strip_marks(text).replace(",", " ").replace("/", " ").split() if w]
    out = "".join(w[:1].upper() + w[1:].lower() for w in words)
    return out if upper_first else out[:1].lower() + out[1:]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_aliases()), st.sampled_from(["upper", "lower", "title", "plain", "nfd", "camel", "pascal",
                                                     "snake", "spaces"]))
def test_any_casing_or_diacritics_of_a_known_header_maps_to_its_field(pair, how):
    import unicodedata

    from ttkhc_cli.ingest import profiles
    from ttkhc_cli.ingest.mapping import Matcher

    name, alias = pair
    variant = {
        "upper": alias.upper(), "lower": alias.lower(), "title": alias.title(), "plain": _strip_marks(alias),
        "nfd": unicodedata.normalize("NFD", alias), "camel": _camel(alias, False), "pascal": _camel(alias, True),
        "snake": "_".join(_strip_marks(alias).lower().split()), "spaces": "  " + alias.replace(" ", "   ") + " ",
    }[how]
    assert Matcher(profiles.common(), "cases").field_of(variant) == name, (alias, variant)
