"""Write the bundled sample data (deterministic: fixed seeds). Run: python sample_data/generate.py"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))
import synthetic as S  # noqa: E402  (test support code, not part of the installed package)

HERE = Path(__file__).resolve().parent
UNIT = "UBND xã Đắk Tô Re"


def main() -> None:
    cases = S.case_log(1500, 2024, seed=2024)
    feedback = S.feedback_log(24, 2024)
    documents = S.documents_log(600, 2024)
    case_banner = S.banner(UNIT, "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", 2024)
    feedback_banner = S.banner(UNIT, "SỔ THEO DÕI PHẢN ÁNH, KIẾN NGHỊ", 2024)
    documents_banner = S.banner(UNIT, "SỔ THEO DÕI VĂN BẢN ĐẾN, ĐI", 2024)
    # The main sample holds all three logs as sheets of one workbook, as some offices keep them.
    S.write_workbook(HERE / "so-theo-doi-ho-so-2024.xlsx", [
        ("Danh sách hồ sơ", cases, case_banner, "Tổng cộng"),
        ("PAKN", feedback, feedback_banner, None),
        ("Văn bản", documents, documents_banner, None),
    ])
    S.write_xlsx(feedback, HERE / "phan-anh-kien-nghi-2024.xlsx", feedback_banner, sheet="PAKN", totals=None)
    S.write_xlsx(documents, HERE / "van-ban-2024.xlsx", documents_banner, sheet="Văn bản", totals=None)
    # The entered figures (so-lieu-nhap-2024.yaml) are written by hand, not generated.


if __name__ == "__main__":
    main()
