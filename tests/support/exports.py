"""Thirty dossiers written in the layouts offices really export (reference: exports.md).

The same dossiers in every layout, so that each layout's answers can be worked out by hand once:

- D1–D15 completed early (three days after receipt, due after five), D16–D20 completed on the
  due day (10:00, the appointment being 17:00), D21–D24 completed two days late;
- D25 withdrawn and D26 rejected the day after receipt (before the appointment: on time);
- D27–D30 still pending (D29 waiting for the citizen's supplement).
- Odd dossiers were submitted online (15 of 30); D2 came by post.
- D1–D10 carry a fee of 50.000 đ; D1–D5 paid it online.
- D1–D18 have digitised components; D1–D23 have an electronic result (a result file).
- Every dossier was received in January 2024; the period is Q1 2024.

Each writer returns the file it wrote. Where a layout cannot say something (a register has no
status column), the dossiers are written as that layout would show them.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

D = dt.datetime
N = 30


@dataclass(frozen=True)
class Dossier:
    n: int

    @property
    def code(self) -> str:
        return f"000.00.22.H35-2401{self.n:02d}-{self.n:04d}"

    @property
    def received(self) -> dt.datetime:
        return D(2024, 1, 1 + self.n, 8, 0)

    @property
    def due(self) -> dt.datetime:
        return (self.received + dt.timedelta(days=5)).replace(hour=17, minute=0)

    @property
    def outcome(self) -> str:
        n = self.n
        if n <= 15:
            return "early"
        if n <= 20:
            return "on_time"
        if n <= 24:
            return "late"
        return {25: "withdrawn", 26: "rejected", 29: "supplement"}.get(n, "pending")

    @property
    def completed(self) -> dt.datetime | None:
        if self.outcome == "early":
            return (self.received + dt.timedelta(days=3)).replace(hour=10)
        if self.outcome == "on_time":
            return self.due.replace(hour=10)
        if self.outcome == "late":
            return (self.due + dt.timedelta(days=2)).replace(hour=10)
        return None

    @property
    def ended(self) -> dt.datetime | None:
        """The end of processing: the result, or the withdrawal or rejection."""
        if self.outcome in ("withdrawn", "rejected"):
            return (self.received + dt.timedelta(days=1)).replace(hour=9)
        return self.completed

    @property
    def returned(self) -> dt.datetime | None:
        """Handed over the same day, two hours after the result, for D1–D12."""
        return self.completed + dt.timedelta(hours=2) if self.completed and self.n <= 12 else None

    @property
    def online(self) -> bool:
        return self.n % 2 == 1

    @property
    def postal(self) -> bool:
        return self.n == 2

    @property
    def fee(self) -> int:
        return 50000 if self.n <= 10 else 0

    @property
    def paid_online(self) -> bool:
        return self.n <= 5

    @property
    def digitised(self) -> bool:
        return self.n <= 18

    @property
    def result_file(self) -> str:
        return f"https://dichvucong.example.vn/ketqua/{self.n}.pdf" if self.n <= 23 else ""

    @property
    def procedure(self) -> str:
        return "Chứng thực bản sao từ bản chính" if self.n % 3 == 0 else "Đăng ký khai sinh"

    @property
    def applicant(self) -> str:
        return f"Nguyễn Văn {self.n}"


DOSSIERS = [Dossier(n) for n in range(1, N + 1)]


def _dmy(d: dt.datetime | None, seconds: bool = True) -> str:
    return "" if d is None else d.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y")


def _packed(d: dt.datetime | None) -> str:
    return "" if d is None else d.strftime("%Y%m%d%H%M%S")


def _iso(d: dt.datetime | None) -> str:
    return "" if d is None else d.strftime("%Y-%m-%dT%H:%M:%S")


def _csv(path: Path, header: list[str], rows: list[list[object]], title: list[str] | None = None) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        for line in title or []:
            w.writerow([line])
        w.writerow(header)
        w.writerows(rows)
    return path


# ------------------------------------------------------------------ registers (official form)


def register(path: Path) -> Path:
    """Mẫu 06-style register: a two-row header with the dates under "Ngày, tháng, năm", a
    numbering row, real Excel dates for the receipt and text for the others; no status, channel
    or flags."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sổ theo dõi")
    bold = wb.add_format({"bold": True, "text_wrap": True})
    datefmt = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    ws.write(0, 0, "UBND XÃ ĐẮK TÔ RE", bold)
    ws.write(1, 0, "SỔ THEO DÕI HỒ SƠ", bold)
    top = 3
    for c, name in enumerate(["TT", "Mã hồ sơ", "Tên TTHC", "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại",
                              "Cơ quan chủ trì giải quyết"]):
        ws.merge_range(top, c, top + 1, c, name, bold)
    ws.merge_range(top, 6, top, 10, "Ngày, tháng, năm", bold)
    for c, name in enumerate(["Nhận hồ sơ", "Hẹn trả kết quả", "Trả kết quả", "Phương thức nhận kết quả",
                              "Ký nhận"], start=6):
        ws.write(top + 1, c, name, bold)
    for c in range(11):
        ws.write_number(top + 2, c, c + 1)
    for i, d in enumerate(DOSSIERS):
        r = top + 3 + i
        end = d.returned or d.ended  # a register writes the day the result (or the file) went back
        ws.write_number(r, 0, d.n)
        ws.write_string(r, 1, d.code)
        ws.write_string(r, 2, d.procedure)
        ws.write_string(r, 3, d.applicant)
        ws.write_string(r, 4, "Thôn 1, xã Đắk Tô Re")
        ws.write_string(r, 5, "UBND xã Đắk Tô Re")
        ws.write_datetime(r, 6, d.received, datefmt)
        ws.write_string(r, 7, _dmy(d.due, seconds=False) + " 17:00")
        if end:
            ws.write_string(r, 8, end.strftime("%d/%m/%Y %H:%M"))
            ws.write_string(r, 9, "Trực tiếp")
    wb.close()
    return path


def register_without_codes(path: Path) -> Path:
    """A register with no dossier code at all: only TT, the applicant, the matter and dates."""
    rows = []
    for d in DOSSIERS:
        end = d.returned or d.ended
        rows.append([d.n, d.applicant, d.procedure, _dmy(d.received, False), _dmy(d.due, False),
                     _dmy(end, False)])
    return _csv(path, ["TT", "Họ tên chủ hồ sơ", "Nội dung hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày trả"], rows,
                ["SỔ THEO DÕI HỒ SƠ, NĂM 2024"])


def register_with_day_counts(path: Path) -> Path:
    """A register that keeps the timing as working-day counts under "Trả kết quả (đv: ngày)":
    the column holding a number (0 included) is the dossier's timing; there is no due date."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sổ")
    bold = wb.add_format({"bold": True})
    for c, name in enumerate(["STT", "Mã hồ sơ", "Tên TTHC", "Ngày nhận hồ sơ", "Ngày trả kết quả"]):
        ws.merge_range(0, c, 1, c, name, bold)
    ws.merge_range(0, 5, 0, 7, "Trả kết quả (đv: ngày)", bold)
    for c, name in enumerate(["Trước hạn", "Đúng hạn", "Quá hạn"], start=5):
        ws.write(1, c, name, bold)
    for i, d in enumerate(DOSSIERS):
        r = 2 + i
        end = d.returned or d.ended
        ws.write_number(r, 0, d.n)
        ws.write_string(r, 1, d.code)
        ws.write_string(r, 2, d.procedure)
        ws.write_string(r, 3, _dmy(d.received, False))
        ws.write_string(r, 4, _dmy(end, False))
        counts = {"early": (2, "-", "-"), "withdrawn": (4, "-", "-"), "rejected": (4, "-", "-"),
                  "on_time": ("-", 0, "-"), "late": ("-", "-", 2)}.get(d.outcome, ("", "", ""))
        for c, v in enumerate(counts, start=5):
            if isinstance(v, int):
                ws.write_number(r, c, v)
            elif v:
                ws.write_string(r, c, v)
    wb.close()
    return path


# ------------------------------------------------------------------ OpenCPS


_OPENCPS_TEXT = {"early": "Đã trả kết quả", "on_time": "Đã trả kết quả", "late": "Đã trả kết quả",
                 "withdrawn": "Đã rút hồ sơ", "rejected": "Từ chối xử lý", "supplement": "Yêu cầu bổ sung giấy tờ",
                 "pending": "Đang xử lý"}


def _opencps_status(d: Dossier) -> str:
    if d.outcome in ("early", "on_time", "late"):
        return "Đã trả kết quả" if d.returned else "Đã xử lý xong"
    return _OPENCPS_TEXT[d.outcome]


def _opencps_timing(d: Dossier) -> str:
    return {"early": "Sớm hạn", "on_time": "Đúng hạn", "late": "Quá 2 ngày", "withdrawn": "Sớm hạn",
            "rejected": "Sớm hạn", "supplement": "Tạm dừng xử lý"}.get(d.outcome, "Quá 5 ngày")


def opencps(path: Path) -> Path:
    """OpenCPS "Danh sách hồ sơ" export: Vietnamese headers, dates dd/MM/yyyy HH:mm:ss, Trực tuyến
    true/false, and "Hạn xử lý" holding the system's timing text (not a date)."""
    header = ["Mã hồ sơ", "Mã thủ tục", "Nội dung", "Cơ quan thụ lý", "Sổ theo dõi", "Chủ hồ sơ", "Địa chỉ",
              "Số điện thoại", "Thư điện tử", "Người nộp hồ sơ", "Điện thoại liên lạc", "Ngày gửi", "Ngày tiếp nhận",
              "Ngày hẹn trả", "Ngày gia hạn", "Ngày hoàn thành", "Ngày trả", "Trạng thái", "Trực tuyến",
              "Mã hồ sơ gốc", "Ghi chú xử lý", "Ghi chú nộp.", "Chi tiết nội dung", "Hạn xử lý"]
    rows = []
    for d in DOSSIERS:
        rows.append([d.code, "1.001193", d.procedure, "UBND xã Đắk Tô Re", "Sổ 2024", d.applicant, "Thôn 1",
                     "0912345678", "", d.applicant, "0912345678", _dmy(d.received), _dmy(d.received), _dmy(d.due),
                     "", _dmy(d.ended), _dmy(d.returned), _opencps_status(d), "true" if d.online else "false",
                     "", "", "", "", _opencps_timing(d)])
    return _csv(path, header, rows)


_OPENCPS_KEYS = {"early": "done", "on_time": "done", "late": "done", "withdrawn": "cancelled", "rejected": "denied",
                 "supplement": "waiting"}


def opencps_api(path: Path) -> Path:
    """OpenCPS REST/JSON export flattened to CSV: English camelCase names, status keys beside
    their text, ISO dates; releaseDate = result ready, finishDate = handed over."""
    header = ["dossierNo", "serviceCode", "serviceName", "govAgencyName", "applicantName", "submitDate",
              "receiveDate", "dueDate", "releaseDate", "finishDate", "cancellingDate", "dossierStatus",
              "dossierStatusText", "online", "viaPostal"]
    rows = []
    for d in DOSSIERS:
        key = _OPENCPS_KEYS.get(d.outcome, "processing")
        if key == "done" and not d.returned:
            key = "releasing"
        if d.n == 30:
            key = "receiving"
        release = d.completed or (d.ended if d.outcome == "rejected" else None)
        rows.append([d.code, "1.001193", d.procedure, "UBND xã Đắk Tô Re", d.applicant, _iso(d.received),
                     _iso(d.received), _iso(d.due), _iso(release), _iso(d.returned),
                     _iso(d.ended) if d.outcome == "withdrawn" else "", key, _opencps_status(d),
                     "true" if d.online else "false", "true" if d.postal else "false"])
    return _csv(path, header, rows)


# ------------------------------------------------------------------ national portal sync (DVCQG)


def _dvcqg_status(d: Dossier) -> int:
    if d.outcome in ("early", "on_time", "late"):
        return 10 if d.returned else 9
    return {"withdrawn": 7, "rejected": 3, "supplement": 5}.get(d.outcome, 2 if d.n == 30 else 4)


def _channel_code(d: Dossier) -> int:
    return 3 if d.postal else (2 if d.online else 1)


def _payment_code(d: Dossier) -> int:
    if d.fee == 0:
        return 0
    return (1 if d.n <= 3 else 2) if d.paid_online else 3


def dvcqg(path: Path) -> Path:
    """The national portal's sync dump in PascalCase: packed dates yyyyMMddHHmmss, status codes
    1–10, channel codes 1/2/3, payment codes (1 and 2 paid online, 0 and 3 not), the fee as the
    fee list's price and a link to the result file."""
    header = ["MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "KenhThucHien", "ChuHoSo", "LoaiDoiTuong",
              "TrichYeuHoSo", "NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "NgayKetThucXuLy",
              "NgayTra", "HinhThuc", "DonViXuLy", "NoiNopHoSo", "HoSoCoThanhPhanSoHoa", "TaiKhoanDuocXacThucVoiVNeID",
              "DuocThanhToanTrucTuyen", "NgayTuChoi", "DanhSachLePhi[].Gia", "DuongDanTepTinKetQua"]
    rows = []
    for d in DOSSIERS:
        end = d.ended if d.outcome != "rejected" else None
        rows.append([d.code, "1.001193", d.procedure, "HT", "Hộ tịch", _channel_code(d), d.applicant, 1,
                     d.procedure, _packed(d.received), _packed(d.received), _packed(d.due), _dvcqg_status(d),
                     _packed(end), _packed(d.returned), 1, "UBND xã Đắk Tô Re", 2, 1 if d.digitised else 0, 1,
                     _payment_code(d), _packed(d.ended) if d.outcome == "rejected" else "", d.fee, d.result_file])
    return _csv(path, header, rows)


def dvcqg_camel(path: Path) -> Path:
    """The same sync in camelCase, as an Excel sheet: the status as its code and its name side by
    side, the fee split into fee and charge (their sum is the dossier's fee), and D11 with a 5.000 đ
    charge it did not pay online."""
    import xlsxwriter

    header = ["maHoSo", "maTTHC", "tenTTHC", "tenLinhVuc", "kenhThucHien", "chuHoSo", "ngayTiepNhan", "ngayHenTra",
              "trangThaiHoSoId", "tenTrangThaiHoSo", "ngayKetThucXuLy", "ngayTra", "donViXuLy",
              "hoSoCoThanhPhanSoHoa", "duocThanhToanTrucTuyen", "ngayTuChoi", "phi", "lePhi", "duongDanTepTinKetQua"]
    names = {1: "Mới đăng ký", 2: "Được tiếp nhận", 3: "Không được tiếp nhận", 4: "Đang xử lý",
             5: "Yêu cầu bổ sung giấy tờ", 7: "Công dân yêu cầu rút hồ sơ", 9: "Đã xử lý xong", 10: "Đã trả kết quả"}
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("data")
    ws.write_row(0, 0, header)
    for i, d in enumerate(DOSSIERS, start=1):
        end = d.ended if d.outcome != "rejected" else None
        status = _dvcqg_status(d)
        phi, le_phi = ("30000", "20000") if d.fee else ("", "5000" if d.n == 11 else "")
        pay = 3 if d.n == 11 else _payment_code(d)
        values = [d.code, "1.001193", d.procedure, "Hộ tịch", _channel_code(d), d.applicant, _packed(d.received),
                  _packed(d.due), status, names[status], _packed(end), _packed(d.returned), "UBND xã Đắk Tô Re",
                  1 if d.digitised else 0, pay, _packed(d.ended) if d.outcome == "rejected" else "", phi, le_phi,
                  d.result_file]
        for c, v in enumerate(values):
            if isinstance(v, int):
                ws.write_number(i, c, v)
            elif v != "":
                ws.write_string(i, c, v)
    wb.close()
    return path
