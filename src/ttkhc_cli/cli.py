"""The command line: turns arguments into library calls and library errors into messages.

Heavy libraries (pandas, fastexcel, xlsxwriter) are imported inside the commands that need
them, so that `ttkhc --help` and `ttkhc targets show` start quickly.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console

from ttkhc_cli import __version__
from ttkhc_cli.errors import TtkhcError

app = typer.Typer(
    name="ttkhc",
    help=(
        "Tính các chỉ tiêu cải cách TTHC (Phụ lục I của kế hoạch) từ sổ theo dõi hồ sơ xuất ra "
        "từ Hệ thống thông tin giải quyết TTHC tỉnh, và lập báo cáo quý bằng Excel.\n\n"
        "Ví dụ:\n\n"
        "  ttkhc compute so-theo-doi-ho-so.xlsx --period 2024-Q1\n\n"
        "  ttkhc validate so-theo-doi-ho-so.xlsx\n\n"
        "  ttkhc targets show"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
targets_app = typer.Typer(
    help=(
        "Xem và kiểm tra tệp chỉ tiêu (Phụ lục I của kế hoạch, dạng YAML).\n\n"
        "Ví dụ:\n\n  ttkhc targets show\n\n  ttkhc targets check targets/ke-hoach-2025.yaml"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(targets_app, name="targets")

_state = {"debug": False}


def _stdout() -> Console:
    return Console(soft_wrap=False, highlight=False)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


@contextmanager
def _reported() -> Iterator[None]:
    """Library errors become clean messages and exit codes; tracebacks only with --debug."""
    try:
        yield
    except TtkhcError as exc:
        if _state["debug"]:
            raise
        err = _stderr()
        for line in exc.lines():
            err.print(f"Lỗi: {line}", markup=False)
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if _state["debug"]:
            raise
        _stderr().print(
            f"Lỗi không mong đợi: {type(exc).__name__}: {exc}. Chạy lại với --debug để xem chi tiết.",
            markup=False,
        )
        raise typer.Exit(3) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ttkhc {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="In phiên bản rồi thoát.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Hiện traceback đầy đủ khi có lỗi.")] = False,
) -> None:
    _state["debug"] = debug


class ShowFormat(str, Enum):
    table = "table"
    json = "json"


@targets_app.command("show")
def targets_show(
    file: Annotated[
        Optional[Path], typer.Argument(help="Tệp chỉ tiêu YAML; bỏ trống để dùng kế hoạch mặc định.")
    ] = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="table hoặc json.")] = ShowFormat.table,
) -> None:
    """In các chỉ tiêu của kế hoạch: mã, tên, chỉ tiêu giao, bộ phận chủ trì, nguồn số liệu.

    Ví dụ: ttkhc targets show targets/dak-to-re-2024.yaml --format json
    """
    from ttkhc_cli import targets

    with _reported():
        data = targets.to_json(targets.load(file))
    if fmt is ShowFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from ttkhc_cli.display import plan_table

    _stdout().print(plan_table(data))


@targets_app.command("check")
def targets_check(
    file: Annotated[Path, typer.Argument(help="Tệp chỉ tiêu YAML cần kiểm tra.")],
) -> None:
    """Kiểm tra một tệp chỉ tiêu: thoát 0 nếu hợp lệ, 2 kèm danh sách lỗi nếu không.

    Ví dụ: ttkhc targets check targets/ke-hoach-2025.yaml
    """
    from ttkhc_cli import targets

    with _reported():
        loaded = targets.load(file)
    n = len(loaded.file.indicators)
    typer.echo(f"{file}: hợp lệ ({n} chỉ tiêu, {len(loaded.file.tasks)} nhiệm vụ).")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
