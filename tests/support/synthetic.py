"""Realistic synthetic logs of a commune's one-stop office: sample data and benchmark input.

Deterministic for a given seed. Shapes follow real provincial exports: a title banner, Vietnamese
headers, day-first text dates, Có/Không and x/blank flags, a totals row. Rates are set so that
some indicators pass and some fail, as in a real commune.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ttkhc_cli.domain.calendar import WorkCalendar

# (code, name, field, department index, processing working days, fee in đồng, weight)
PROCEDURES = [
    (
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp",
        "Chứng thực",
        0,
        0,
        2000,
        30,
    ),
    ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực", 0, 0, 10000, 6),
    ("2.000913", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", "Chứng thực", 0, 2, 50000, 2),
    ("2.001035", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", "Chứng thực", 0, 2, 30000, 1),
    ("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", 0, 0, 0, 14),
    ("1.000894", "Thủ tục đăng ký kết hôn", "Hộ tịch", 0, 0, 0, 5),
    ("1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch", 0, 0, 0, 4),
    ("1.004873", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", 0, 3, 3000, 8),
    ("1.004884", "Thủ tục đăng ký lại khai sinh", "Hộ tịch", 0, 5, 5000, 2),
    ("2.000635", "Thủ tục cấp bản sao trích lục hộ tịch", "Hộ tịch", 0, 0, 8000, 6),
    ("1.004859", "Thủ tục thay đổi, cải chính, bổ sung thông tin hộ tịch", "Hộ tịch", 0, 3, 15000, 2),
    ("1.000689", "Thủ tục đăng ký nhận cha, mẹ, con", "Hộ tịch", 0, 3, 15000, 1),
    ("1.001022", "Thủ tục đăng ký khai sinh kết hợp nhận cha, mẹ, con", "Hộ tịch", 0, 3, 0, 1),
    ("1.000593", "Thủ tục đăng ký giám hộ", "Hộ tịch", 0, 3, 0, 1),
    ("1.003583", "Thủ tục đăng ký khai sinh lưu động", "Hộ tịch", 0, 5, 0, 1),
    (
        "1.004746",
        "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        "Hộ tịch",
        0,
        10,
        0,
        3,
    ),
    ("1.003622", "Thủ tục hòa giải tranh chấp đất đai", "Đất đai", 1, 30, 0, 1),
    ("1.004227", "Xác nhận hợp đồng tiếp cận nguồn gen", "Đất đai", 1, 5, 0, 1),
    ("1.002255", "Đăng ký biến động quyền sử dụng đất (tiếp nhận tại xã)", "Đất đai", 1, 10, 0, 3),
    ("1.004269", "Thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ (tiếp nhận tại xã)", "Xây dựng", 1, 15, 75000, 2),
    ("1.003005", "Xác nhận đơn đề nghị cấp giấy chứng nhận quyền sử dụng đất lần đầu", "Đất đai", 1, 10, 0, 2),
    ("1.001776", "Thủ tục thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng", "Bảo trợ xã hội", 2, 7, 0, 3),
    (
        "1.001758",
        "Thủ tục chi trả trợ cấp xã hội hàng tháng khi đối tượng thay đổi nơi cư trú",
        "Bảo trợ xã hội",
        2,
        7,
        0,
        1,
    ),
    (
        "2.000286",
        "Thủ tục đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng",
        "Bảo trợ xã hội",
        2,
        5,
        0,
        1,
    ),
    (
        "1.001653",
        "Thủ tục xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
        "Bảo trợ xã hội",
        2,
        25,
        0,
        2,
    ),
    ("1.000489", "Thủ tục hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "Bảo trợ xã hội", 2, 3, 0, 1),
    ("1.010801", "Thủ tục công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", "Giảm nghèo", 2, 7, 0, 1),
    ("1.010802", "Thủ tục công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm", "Giảm nghèo", 2, 7, 0, 1),
    ("1.002519", "Thủ tục giải quyết chế độ mai táng phí đối với cựu chiến binh", "Người có công", 2, 5, 0, 1),
    ("1.010823", "Thủ tục xác nhận vào đơn đề nghị di chuyển hài cốt liệt sĩ", "Người có công", 2, 5, 0, 1),
    ("1.003645", "Thủ tục đăng ký tổ chức lễ hội", "Văn hóa cơ sở", 2, 5, 0, 1),
    ("1.001120", "Thủ tục thông báo tổ chức lễ hội", "Văn hóa cơ sở", 2, 5, 0, 1),
    ("2.001457", "Thủ tục xét tặng danh hiệu Gia đình văn hóa", "Thi đua, khen thưởng", 3, 10, 0, 1),
    ("1.000748", "Thủ tục tặng giấy khen của Chủ tịch UBND cấp xã", "Thi đua, khen thưởng", 3, 20, 0, 1),
    ("1.003596", "Thủ tục đăng ký sinh hoạt tôn giáo tập trung", "Tôn giáo", 3, 20, 0, 1),
    ("1.001055", "Thủ tục thông báo danh mục hoạt động tôn giáo", "Tôn giáo", 3, 20, 0, 1),
    ("1.000775", "Thủ tục giải quyết khiếu nại lần đầu", "Giải quyết khiếu nại", 3, 30, 0, 1),
    ("2.002226", "Thủ tục tiếp công dân tại cấp xã", "Tiếp công dân", 3, 0, 0, 1),
    ("1.003348", "Thủ tục đăng ký khai thác nước dưới đất", "Tài nguyên nước", 1, 10, 0, 1),
    ("1.000932", "Thủ tục hỗ trợ khôi phục sản xuất vùng bị ảnh hưởng bởi dịch bệnh", "Nông nghiệp", 4, 10, 0, 1),
]
DEPARTMENTS = [
    "Tư pháp - Hộ tịch",
    "Địa chính - Xây dựng",
    "Văn hóa - Xã hội",
    "Văn phòng - Thống kê",
    "Tài chính - Kế toán",
]
OFFICERS = [
    ["Nguyễn Thị Hương", "Y Blinh"],
    ["Trần Văn Hùng", "A Thuấn"],
    ["Lê Thị Mai", "Đinh Văn Tú"],
    ["Phạm Minh Đức"],
    ["Hoàng Thị Lan"],
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "A", "Y", "Đinh"]
MIDDLES = ["Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh", "Đức", ""]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hòa",
    "Khánh",
    "Linh",
    "Loan",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Blong",
    "Hiêng",
    "Nhân",
]
HEADERS = [
    "STT",
    "Mã hồ sơ",
    "Mã TTHC",
    "Tên thủ tục hành chính",
    "Lĩnh vực",
    "Người nộp hồ sơ",
    "Bộ phận xử lý",
    "Cán bộ xử lý",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Ngày trả kết quả",
    "Hình thức nộp",
    "Trạng thái",
    "Phí, lệ phí (đồng)",
    "Thanh toán trực tuyến",
    "Số hóa hồ sơ",
    "Số hóa kết quả",
    "Kết quả điện tử",
    "Đồng bộ DVCQG",
    "Tái sử dụng dữ liệu",
    "Mức độ hài lòng",
    "Lý do quá hạn",
    "Phiếu xin lỗi",
]


def _fmt(ts: pd.Series, with_time: bool = True) -> pd.Series:
    fmt = "%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y"
    out = ts.dt.strftime(fmt)
    return out.where(ts.notna(), "")


def case_log(n: int = 1500, year: int = 2024, seed: int = 2024, as_of: dt.date | None = None) -> pd.DataFrame:
    """A case log as the provincial system displays it (text cells, Vietnamese words)."""
    rng = np.random.default_rng(seed)
    cal = WorkCalendar()
    as_of = as_of or dt.date(year, 12, 31)
    weights = np.array([p[6] for p in PROCEDURES], dtype=float)
    proc = rng.choice(len(PROCEDURES), size=n, p=weights / weights.sum())
    days_in_year = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    workdays = days_in_year[[cal.is_working_day(d.date()) for d in days_in_year]]
    day = workdays[rng.integers(0, len(workdays), size=n)]
    received = pd.Series(day + pd.to_timedelta(rng.integers(7 * 60 + 30, 16 * 60 + 30, size=n), unit="m"))
    received = received.sort_values(kind="stable").reset_index(drop=True)
    proc_days = pd.Series([PROCEDURES[i][4] for i in proc], dtype=float)
    due = cal.due_dates(received, proc_days) + pd.Timedelta(hours=16, minutes=30)
    # Same-day procedures are due on the day of receipt.
    same_day = proc_days == 0
    due[same_day] = received[same_day].dt.normalize() + pd.Timedelta(hours=16, minutes=30)

    outcome = rng.choice(
        ["early", "on_time", "late", "withdrawn", "rejected"], size=n, p=[0.62, 0.335, 0.025, 0.012, 0.008]
    )
    span = (due.dt.normalize() - received.dt.normalize()).dt.days.clip(lower=0)
    early_by = (rng.random(n) * span.to_numpy()).astype(int)
    done_day = due.dt.normalize() - pd.to_timedelta(np.where(span > 0, np.maximum(early_by, 1), 0), unit="D")
    done_day = done_day.where(done_day >= received.dt.normalize(), received.dt.normalize())
    late_by = pd.to_timedelta(rng.integers(1, 12, size=n), unit="D")
    completed = pd.Series(
        np.select(
            [outcome == "on_time", outcome == "late"],
            [due.dt.normalize(), due.dt.normalize() + late_by],
            default=done_day,
        ),
        dtype="datetime64[ns]",
    ) + pd.to_timedelta(rng.integers(8 * 60, 17 * 60, size=n), unit="m")
    completed = completed.where(completed >= received, received + pd.Timedelta(hours=1))
    # A dossier that is not late is ready by the appointment's hour (16:30) on its due day.
    early_enough = (outcome == "late") | (completed <= due).to_numpy()
    completed = completed.where(
        early_enough, (due - pd.to_timedelta(rng.integers(1, 90, size=n), unit="m")).clip(lower=received)
    )
    returned = completed + pd.to_timedelta(rng.integers(0, 3, size=n), unit="D")
    cutoff = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    pending = completed >= cutoff
    status = np.select(
        [outcome == "withdrawn", outcome == "rejected", pending.to_numpy(), (returned < cutoff).to_numpy()],
        ["Công dân yêu cầu rút hồ sơ", "Không được tiếp nhận", "Đang xử lý", "Đã trả kết quả"],
        default="Đã xử lý xong",
    )
    completed = completed.where(~pending, pd.NaT)
    returned = returned.where(
        ~pending & (returned < cutoff) & ~pd.Series(np.isin(outcome, ["withdrawn", "rejected"])), pd.NaT
    )

    online = rng.random(n) < 0.56
    fee = np.array([PROCEDURES[i][5] for i in proc])
    paid_online = (fee > 0) & online & (rng.random(n) < 0.68)
    dossier_dig = rng.random(n) < 0.93
    result_dig = rng.random(n) < 0.84
    cert = np.array([PROCEDURES[i][1].startswith("Chứng thực bản sao") for i in proc])
    e_result = cert | (rng.random(n) < 0.95)
    synced = rng.random(n) < 0.997
    reused = rng.random(n) < 0.58
    rated = rng.random(n) < 0.35
    rating = np.where(
        rated, rng.choice(["Rất hài lòng", "Hài lòng", "Không hài lòng"], size=n, p=[0.55, 0.39, 0.06]), ""
    )
    is_late = outcome == "late"
    reason = np.where(
        is_late, rng.choice(["Chờ xác minh thông tin", "Cán bộ đi công tác", "Hồ sơ phức tạp"], size=n), ""
    )
    apology = np.where(is_late, np.where(rng.random(n) < 0.8, "Có", "Không"), "")
    finished = ~pending.to_numpy() & np.isin(outcome, ["early", "on_time", "late"])

    dept = np.array([PROCEDURES[i][3] for i in proc])
    officer = [OFFICERS[d][k % len(OFFICERS[d])] for d, k in zip(dept, rng.integers(0, 2, size=n))]
    applicant = [
        " ".join(x for x in (SURNAMES[a], MIDDLES[b], GIVEN[c]) if x)
        for a, b, c in zip(
            rng.integers(0, len(SURNAMES), n), rng.integers(0, len(MIDDLES), n), rng.integers(0, len(GIVEN), n)
        )
    ]
    ids = [f"000.00.22.H35-{d:%y%m%d}-{i:04d}" for i, d in zip(range(1, n + 1), received)]
    flag = lambda m: np.where(m, "Có", "Không")
    xmark = lambda m: np.where(m, "x", "")
    return pd.DataFrame(
        {
            "STT": np.arange(1, n + 1),
            "Mã hồ sơ": ids,
            "Mã TTHC": [PROCEDURES[i][0] for i in proc],
            "Tên thủ tục hành chính": [PROCEDURES[i][1] for i in proc],
            "Lĩnh vực": [PROCEDURES[i][2] for i in proc],
            "Người nộp hồ sơ": applicant,
            "Bộ phận xử lý": [DEPARTMENTS[d] for d in dept],
            "Cán bộ xử lý": officer,
            "Ngày tiếp nhận": _fmt(received),
            "Ngày hẹn trả": _fmt(due),
            "Ngày có kết quả": _fmt(completed),
            "Ngày trả kết quả": _fmt(returned),
            "Hình thức nộp": np.where(
                online, "Trực tuyến", np.where(rng.random(n) < 0.03, "Bưu chính công ích", "Trực tiếp")
            ),
            "Trạng thái": status,
            "Phí, lệ phí (đồng)": [f"{f:,}".replace(",", ".") if f else "0" for f in fee],
            "Thanh toán trực tuyến": np.where(fee > 0, flag(paid_online), ""),
            "Số hóa hồ sơ": xmark(dossier_dig),
            "Số hóa kết quả": np.where(finished, xmark(result_dig), ""),
            "Kết quả điện tử": np.where(finished, flag(e_result), ""),
            "Đồng bộ DVCQG": flag(synced),
            "Tái sử dụng dữ liệu": flag(reused),
            "Mức độ hài lòng": np.where(finished, rating, ""),
            "Lý do quá hạn": reason,
            "Phiếu xin lỗi": apology,
        }
    )


def feedback_log(n: int = 24, year: int = 2024, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cal = WorkCalendar()
    received = pd.Series(
        pd.to_datetime([dt.date(year, 1, 1) + dt.timedelta(days=int(d)) for d in sorted(rng.integers(0, 350, n))])
    )
    due = cal.due_dates(received, pd.Series(15.0, index=received.index))
    offset = pd.to_timedelta(rng.integers(2, 20, size=n), unit="D")
    handled = received + offset
    late = handled.dt.normalize() > due
    subjects = [
        "Phản ánh về thời gian giải quyết hồ sơ",
        "Kiến nghị về niêm yết thủ tục",
        "Phản ánh thái độ phục vụ",
        "Kiến nghị bổ sung hướng dẫn nộp trực tuyến",
        "Phản ánh về lệ phí chứng thực",
        "Kiến nghị sửa lỗi thông tin hộ tịch",
    ]
    return pd.DataFrame(
        {
            "STT": np.arange(1, n + 1),
            "Mã PAKN": [f"PAKN-{year}-{i:03d}" for i in range(1, n + 1)],
            "Nội dung": [subjects[i % len(subjects)] for i in range(n)],
            "Ngày tiếp nhận": _fmt(received, False),
            "Hạn xử lý": _fmt(due, False),
            "Ngày xử lý xong": _fmt(handled, False),
            "Trạng thái": "Đã xử lý",
        }
    ).assign(**{"Ghi chú": np.where(late, "Chậm do chờ ý kiến cấp trên", "")})


def documents_log(n: int = 600, year: int = 2024, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.Series(
        pd.to_datetime([dt.date(year, 1, 2) + dt.timedelta(days=int(d)) for d in sorted(rng.integers(0, 360, n))])
    )
    incoming = rng.random(n) < 0.6
    secrecy = rng.choice(["Thường", "Mật"], size=n, p=[0.985, 0.015])
    electronic = rng.random(n) < 0.992
    return pd.DataFrame(
        {
            "STT": np.arange(1, n + 1),
            "Số, ký hiệu": [f"{i}/{'VBĐ' if inc else 'UBND'}" for i, inc in zip(range(1, n + 1), incoming)],
            "Ngày văn bản": _fmt(dates, False),
            "Loại văn bản": np.where(incoming, "Văn bản đến", "Văn bản đi"),
            "Trích yếu": "Về việc triển khai công tác cải cách thủ tục hành chính",
            "Độ mật": secrecy,
            "Xử lý trên môi trường mạng": np.where(electronic, "Có", "Không"),
        }
    )


def write_xlsx(
    frame: pd.DataFrame,
    path: str | Path,
    banner: list[str],
    sheet: str = "Danh sách hồ sơ",
    totals: str | None = "Tổng cộng",
) -> None:
    """Write like a provincial export: banner rows, bold header, text cells, a totals row."""
    write_workbook(path, [(sheet, frame, banner, totals)])


def write_workbook(path: str | Path, sheets: list[tuple[str, pd.DataFrame, list[str], str | None]]) -> None:
    """Several logs in one workbook, one sheet each (constant memory: rows are streamed)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    bold = wb.add_format({"bold": True, "align": "center"})
    for name, frame, banner_rows, totals in sheets:
        ws = wb.add_worksheet(name)
        for r, line in enumerate(banner_rows):
            ws.write_string(r, 0, line, bold)
        head = len(banner_rows) + 1 if banner_rows else 0
        ws.write_row(head, 0, list(frame.columns), bold)
        cols = [frame[c].to_numpy() for c in frame.columns]
        for i in range(len(frame)):
            r = head + 1 + i
            for j, col in enumerate(cols):
                v = col[i]
                if isinstance(v, (int, np.integer)):
                    ws.write_number(r, j, int(v))
                elif v is not None and v != "":
                    ws.write_string(r, j, str(v))
        if totals:
            ws.write_string(head + 1 + len(frame), 0, f"{totals}: {len(frame)}", bold)
    wb.close()


def banner(unit: str, title: str, year: int) -> list[str]:
    return [unit.upper(), title, f"Từ ngày 01/01/{year} đến ngày 31/12/{year}"]
