"""Render the pages shown in docs/ from the sample data: the workbook's sheets and the báo cáo.

    python docs/render_pages.py      (needs LibreOffice Calc and Writer, and poppler's pdftoppm)

Each PNG is the first printed page of a sheet (found by its page header, in the report or its
worklist) or of the document,
at 80 dpi, as LibreOffice prints them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"
INPUTS = ROOT / "sample_data" / "so-lieu-nhap-2024.yaml"
SHEETS = {  # PNG name → the text of its page header (in the report, else in its worklist)
    "bao-cao-viec-can-lam": "Việc cần làm",
    "bao-cao-tong-hop": "Báo cáo kết quả",
    "bao-cao-bieu-06": "Biểu số 06/VPCP/KSTT",
    "bao-cao-chi-so-766": "Chỉ số phục vụ (QĐ 766)",
}


def _report(out: Path) -> None:
    cmd = [sys.executable, "-m", "ttkhc_cli", "report", str(SAMPLE), "--period", "2024-Q1", "--inputs", str(INPUTS),
           "--date", "05/04/2024", "-o", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)


def _pdf(path: Path, folder: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                   capture_output=True, check=True, timeout=300)
    return folder / (path.stem + ".pdf")


def _page_text(pdf: Path, n: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def _png(pdf: Path, n: int, name: str) -> None:
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(n), "-l", str(n), str(pdf),
                    str(DOCS / name)], check=True)
    sys.stdout.write(f"docs/{name}.png\n")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book, text = folder / "bao-cao.xlsx", folder / "bao-cao.docx"
        _report(book)
        _report(text)
        heads = {}
        for path in (book, folder / "bao-cao-viec-can-lam.xlsx"):
            pdf = _pdf(path, folder)
            pages = int(next(line.split()[-1] for line in subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
                if line.startswith("Pages:")))
            heads.update({(pdf, n): (_page_text(pdf, n).strip().splitlines() or [""])[0] for n in range(1, pages + 1)})
        for name, title in SHEETS.items():
            pdf, n = next(at for at, head in heads.items() if title in head)
            _png(pdf, n, name)
        _png(_pdf(text, folder), 1, "bao-cao-van-ban")


if __name__ == "__main__":
    main()
