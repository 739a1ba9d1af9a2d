"""Write the bundled sample data (deterministic: fixed seeds). Run: python sample_data/generate.py"""

from __future__ import annotations

from pathlib import Path

from ttkhc_cli import synthetic as S

HERE = Path(__file__).resolve().parent
UNIT = "UBND xã Đắk Tô Re"


def main() -> None:
    cases = S.case_log(1500, 2024, seed=2024)
    S.write_xlsx(cases, HERE / "so-theo-doi-ho-so-2024.xlsx",
                 S.banner(UNIT, "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", 2024))
    S.write_xlsx(S.feedback_log(24, 2024), HERE / "phan-anh-kien-nghi-2024.xlsx",
                 S.banner(UNIT, "SỔ THEO DÕI PHẢN ÁNH, KIẾN NGHỊ", 2024), sheet="PAKN", totals=None)
    S.write_xlsx(S.documents_log(600, 2024), HERE / "van-ban-2024.xlsx",
                 S.banner(UNIT, "SỔ THEO DÕI VĂN BẢN ĐẾN, ĐI", 2024), sheet="Văn bản", totals=None)
    (HERE / "so-lieu-nhap-2024.yaml").write_text(
        "# Figures no log holds (ttkhc compute --inputs): numerator and denominator per indicator.\n"
        "III.1:\n  numerator: 12\n  denominator: 12\n  note: Quy định kinh doanh đã cập nhật / cần cập nhật\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
