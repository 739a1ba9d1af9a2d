"""The command line: turns arguments into library calls and library errors into messages.

Heavy libraries (pandas, fastexcel, xlsxwriter) are imported inside the commands that need
them, so that `ttkhc --help` and `ttkhc targets show` start quickly.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

from ttkhc_cli import __version__
from ttkhc_cli.domain.errors import OutOfMemory, TtkhcError

if TYPE_CHECKING:
    from ttkhc_cli.kpi.results import ComputeResult, IndexResult

class _Vietnamese:
    """Help in Vietnamese, frame included ("Cách dùng:", "Tùy chọn:", "[bắt buộc]")."""

    def get_help(self, ctx: Any) -> str:
        from ttkhc_cli.cli.usage import vietnamese_help

        return vietnamese_help(super().get_help(ctx))  # type: ignore[misc]

    def get_usage(self, ctx: Any) -> str:
        from ttkhc_cli.cli.usage import vietnamese_help

        return vietnamese_help(super().get_usage(ctx))  # type: ignore[misc]


# Options in panels, what a commune uses first: reading options, then engines and scale.
READING_OPTIONS = {"sheet", "header_row", "encoding", "delimiter", "profile", "one_sheet", "columns", "date_order"}
SCALE_OPTIONS = {"engine", "spark_master", "memory_limit", "schema"}
PANELS = ("Tùy chọn", "Đọc tệp (khi tự nhận chưa đúng)", "Quy mô lớn (DuckDB, Spark)")


class VietnameseCommand(_Vietnamese, TyperCommand):
    def format_options(self, ctx: Any, formatter: Any) -> None:
        """Arguments, then the options a commune needs, then reading options, then scale."""
        args: list[Any] = []
        panels: dict[str, list[Any]] = {p: [] for p in PANELS}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                args.append(record)
            elif param.name in READING_OPTIONS:
                panels[PANELS[1]].append(record)
            elif param.name in SCALE_OPTIONS:
                panels[PANELS[2]].append(record)
            else:
                panels[PANELS[0]].append(record)
        if args:
            with formatter.section("Đối số"):
                formatter.write_dl(args)
        for title, records in panels.items():
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


def _hide_argument_types() -> None:
    """Typer prints an argument's Python type after its name ("TỆP <list[Path]>"); the metavar
    already says what it is, in Vietnamese. (Skipped if a typer version has no such method.)"""
    from typer.core import TyperArgument

    def no_type(self: Any, ctx: Any = None) -> str:
        return ""

    if hasattr(TyperArgument, "display_type_rich"):
        TyperArgument.display_type_rich = no_type  # type: ignore[method-assign]


_hide_argument_types()


def _keep_hyphenated_words() -> None:
    """Help text is wrapped at spaces only: a file name of the examples ("bao-cao-2024-Q1.xlsx")
    broken at its hyphens cannot be copied. (Skipped if a typer version wraps otherwise.)"""
    try:
        from typer._click import _textwrap
    except ImportError:  # pragma: no cover
        return
    base = _textwrap.TextWrapper

    class AtSpaces(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("break_on_hyphens", False)
            super().__init__(*args, **kwargs)

    _textwrap.TextWrapper = AtSpaces  # type: ignore[misc]  # looked up at each call of wrap_text


_keep_hyphenated_words()


class VietnameseGroup(_Vietnamese, TyperGroup):
    pass


app = typer.Typer(
    name="ttkhc",
    cls=VietnameseGroup,
    help=(
        "Tính các chỉ tiêu cải cách TTHC (Phụ lục I của kế hoạch) từ sổ theo dõi hồ sơ xuất ra "
        "từ Hệ thống thông tin giải quyết TTHC tỉnh, và lập báo cáo quý bằng Excel.\n\n"
        "Ví dụ:\n\n"
        "  ttkhc init --unit \"UBND xã Đắk Rơ Va\" --year 2025\n\n"
        "  ttkhc compute so-theo-doi-ho-so.xlsx --period 2025-03\n\n"
        "  ttkhc report so-theo-doi-ho-so.xlsx --period 2025-Q1 -o bao-cao.xlsx\n\n"
        "  ttkhc validate so-theo-doi-ho-so.xlsx"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
targets_app = typer.Typer(
    cls=VietnameseGroup,
    help=(
        "Xem và kiểm tra tệp chỉ tiêu (Phụ lục I của kế hoạch, dạng YAML).\n\n"
        "Ví dụ:\n\n  ttkhc targets show\n\n  ttkhc targets check targets/ke-hoach-2025.yaml"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(targets_app, name="targets")

_state = {"debug": False}


FILE_WIDTH = 110  # output written to a file (-o): a fixed width, not a terminal's
PIPE_WIDTH = 80  # output piped to head or more, COLUMNS unset: laid out for a terminal's usual width
MIN_WIDTH = 20  # narrower than this (COLUMNS=0, a mistyped value) is taken for the usual width


CLOSED_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a program whose reader went away


class _Screen(Console):
    """The screen's console: a reader that stops reading (`| head`) ends the run quietly with the
    shell's code for it, not 1, which means an indicator failed. Control characters in what it
    prints (a log's cells can hold erase-line, cursor moves, a window title) are shown as text
    (``\\x1b``), never sent to the terminal: a log cannot rewrite what the officer's screen shows."""

    def on_broken_pipe(self) -> None:
        _closed_pipe()

    def _render_buffer(self, buffer: Any) -> str:
        from rich.segment import Segment

        text = super()._render_buffer(
            Segment(visible(seg.text), seg.style, seg.control) if seg.control is None and _CONTROL.search(seg.text)
            else seg for seg in buffer)
        # A table pads every line to the width: on a screen the padding is invisible, in a pipe or
        # a file it is trailing spaces for grep and diff to trip on.
        return text if self.is_terminal else unpadded(text)


def unpadded(text: str) -> str:
    """Text without the spaces a layout leaves at the ends of its lines."""
    return _PADDING.sub("", text)


_PADDING = re.compile(r"[ \t]+(?=\n|\Z)")


# C0 and C1 controls (a line break aside) and the marks that reorder text on screen.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _json_visible(text: str) -> str:
    """JSON (or Markdown) for the screen: the controls json.dumps leaves raw (DEL, C1, reordering
    marks) as \\u escapes, which JSON reads back as the same characters."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}" if m.group() not in "\t" else m.group(), text)


def visible(text: str) -> str:
    """Text with its control characters written out visibly ("\\x1b", "\\u202e")."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


def _closed_pipe() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # nothing more reaches the closed pipe, not even at exit
    raise SystemExit(CLOSED_PIPE)


def _stdout() -> Console:
    """The screen's width on a terminal; COLUMNS, else 80 columns, when the output goes to a pipe."""
    import os

    columns = os.environ.get("COLUMNS", "")
    usable = columns.isdigit() and int(columns) >= MIN_WIDTH  # COLUMNS=0 or 5 would print nothing readable
    console = _Screen(soft_wrap=False, highlight=False, width=None if usable or not columns else PIPE_WIDTH)
    if not console.is_terminal:
        console = _Screen(soft_wrap=False, highlight=False, width=int(columns) if usable else PIPE_WIDTH)
    elif columns and not usable:
        import shutil

        real = shutil.get_terminal_size((PIPE_WIDTH, 24)).columns
        console = _Screen(soft_wrap=False, highlight=False, width=real if real >= MIN_WIDTH else PIPE_WIDTH)
    return console


def _stderr() -> Console:
    """Messages wrapped at word boundaries on a terminal (the terminal would cut words); one line
    each when stderr is a pipe or a file, for whoever greps it."""
    return _Screen(stderr=True, highlight=False, soft_wrap=not sys.stderr.isatty())


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
    except KeyboardInterrupt:  # Ctrl-C: the shell's own code for an interrupt, never 1 (a failing indicator)
        if _SIGNALLED:  # a termination signal a library turned into its interrupt (DuckDB's query)
            raise Terminated(_SIGNALLED[-1]) from None
        _stderr().print("Đã dừng.", markup=False)
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except OSError as exc:  # the system refused a file the tool did not expect to fail on
        if _state["debug"] or isinstance(exc, BrokenPipeError):
            raise
        from ttkhc_cli.output.files import reason

        where = f"{exc.filename}: " if exc.filename else ""
        _stderr().print(f"Lỗi: {where}không đọc hoặc ghi được ({reason(exc)})", markup=False)
        raise typer.Exit(2) from None
    except MemoryError:  # Python's own allocation failing: the same advice as DuckDB's
        if _state["debug"]:
            raise
        _stderr().print(f"Lỗi: {OutOfMemory('Python')}", markup=False)
        raise typer.Exit(OutOfMemory.exit_code) from None
    except Exception as exc:
        if _SIGNALLED:  # a library wrapped the termination signal into its own error (a DuckDB scan)
            raise Terminated(_SIGNALLED[-1]) from None
        if _state["debug"]:
            raise
        _stderr().print(
            f"Lỗi không mong đợi: {type(exc).__name__}: {exc}. Chạy lại với --debug để xem chi tiết.",
            markup=False,
        )
        raise typer.Exit(3) from None


def _schema(value: bool, model: str) -> None:
    """The JSON Schema of what --format json prints, for scripts that check it."""
    if value:
        from ttkhc_cli.kpi import results

        schema = getattr(results, model).model_json_schema(mode="serialization")
        typer.echo(json.dumps(schema, ensure_ascii=False, indent=2))
        raise typer.Exit()


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


@targets_app.command("show", cls=VietnameseCommand)
def targets_show(
    file: Annotated[
        Optional[Path],
        typer.Argument(metavar="TỆP", help="Tệp chỉ tiêu YAML; bỏ trống: kế hoạch trong thư mục hiện tại, "
                       "không có thì kế hoạch mẫu."),
    ] = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="table hoặc json.")] = ShowFormat.table,
) -> None:
    """In các chỉ tiêu của kế hoạch: mã, tên, chỉ tiêu giao, bộ phận chủ trì, nguồn số liệu.

    Ví dụ: ttkhc targets show targets/dak-to-re-2024.yaml --format json
    """
    with _reported():
        from ttkhc_cli.kpi import plan as plan_file

        data = plan_file.to_json(plan_file.load_plan(file if file is not None else _own_plan(None)))
    if fmt is ShowFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from ttkhc_cli.cli.terminal import plan_table, plan_tasks_table

    console = _stdout()
    console.print(plan_table(data, console.width))
    tasks = plan_tasks_table(data)
    if tasks is not None:
        console.print(tasks)


@targets_app.command("check", cls=VietnameseCommand)
def targets_check(
    file: Annotated[Path, typer.Argument(metavar="TỆP", help="Tệp chỉ tiêu YAML cần kiểm tra.")],
) -> None:
    """Kiểm tra một tệp chỉ tiêu: thoát 0 nếu hợp lệ, 2 kèm danh sách lỗi nếu không.

    Ví dụ: ttkhc targets check targets/ke-hoach-2025.yaml
    """
    with _reported():
        from ttkhc_cli.kpi import plan as plan_file

        loaded = plan_file.load_plan(file)
    n = len(loaded.file.indicators)
    typer.echo(f"{file}: hợp lệ ({n} chỉ tiêu, {len(loaded.file.tasks)} nhiệm vụ).")


def _interactive() -> bool:
    """Whether a person can answer prompts (a terminal on stdin); tests replace it."""
    return sys.stdin.isatty()


def _ask(value: Any, option: str, question: str, default: Any = None, required: bool = False,
         kind: Any = str) -> Any:
    """An option's value, asked in Vietnamese when it is missing and a person is there; without
    one, the default, or a usage error naming the option when there is none."""
    from ttkhc_cli.domain.errors import UsageError

    if value is not None:
        return value
    if not _interactive():
        if required and default is None:
            raise UsageError(f"thiếu {option} ({question[:1].lower()}{question[1:]})")
        return default
    answer = typer.prompt(question, default="" if default is None else default, show_default=default not in (None, ""),
                          type=kind)
    return answer if answer != "" else None


@app.command("init", cls=VietnameseCommand)
def init_cmd(
    unit: Annotated[
        Optional[str], typer.Option("--unit", metavar="TÊN", help='Tên đơn vị, ví dụ "UBND xã Đắk Rơ Va".')
    ] = None,
    level: Annotated[
        Optional[str],
        typer.Option("--level", metavar="CẤP", help="Cấp: xã, phường, thị trấn, huyện, quận, thị xã, thành phố, tỉnh."),
    ] = None,
    district: Annotated[
        Optional[str], typer.Option("--district", metavar="TÊN", help='Huyện (cấp trên của xã), ví dụ "huyện Kon Rẫy".')
    ] = None,
    province: Annotated[
        Optional[str], typer.Option("--province", metavar="TÊN", help='Tỉnh, ví dụ "tỉnh Kon Tum".')
    ] = None,
    year: Annotated[
        Optional[int], typer.Option("--year", min=2000, max=2100, metavar="NĂM", help="Năm của kế hoạch.")
    ] = None,
    base: Annotated[
        Optional[Path],
        typer.Option("--from", metavar="TỆP",
                     help="Lập từ một kế hoạch có sẵn, ví dụ kế hoạch năm trước (mặc định: kế hoạch mẫu đi kèm)."),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", metavar="TỆP", help="Tệp cần ghi (mặc định: ke-hoach-NĂM.yaml)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có.")] = False,
) -> None:
    """Lập tệp chỉ tiêu (kế hoạch) của đơn vị cho một năm, từ kế hoạch mẫu hoặc kế hoạch năm trước.

    Tên đơn vị, cấp, năm, tên kế hoạch được điền; thời hạn các nhiệm vụ ở Phụ lục II được dời sang
    năm mới; chỉ tiêu giao và căn cứ được giữ, kèm ghi chú chỗ cần sửa. Thiếu tùy chọn nào thì hỏi
    (khi chạy trong cửa sổ lệnh).

    Ví dụ:

    \b
      ttkhc init --unit "UBND xã Đắk Rơ Va" --district "huyện Kon Rẫy" --year 2025
      ttkhc init --from ke-hoach-2025.yaml --unit "UBND xã Đắk Rơ Va" --year 2026
    """
    import datetime as dt

    with _reported():
        from ttkhc_cli.domain import units
        from ttkhc_cli.kpi import new_plan
        from ttkhc_cli.kpi import plan as plan_file
        from ttkhc_cli.output.files import check_output, write_atomic

        loaded = plan_file.load_plan(base)
        old = loaded.file.plan
        unit = _ask(unit, "--unit", 'Tên đơn vị, ví dụ "UBND xã Đắk Rơ Va"', old.unit if base else None,
                    required=True)
        level = _ask(level, "--level", "Cấp của đơn vị (xã, phường, thị trấn, huyện, tỉnh…)",
                     units.level_of(unit) or (old.unit_level if base is not None else "xã"))
        word = new_plan.level_word(level)
        new_plan.check_level(unit, word)
        same = base is not None and units.same(unit, old.unit)  # its own plan: its superiors carry over
        if new_plan.LEVELS[word] == "xã":
            district = _ask(district, "--district", 'Huyện, ví dụ "huyện Kon Rẫy" (bỏ trống nếu không có)',
                            old.district if same else None)
        if new_plan.LEVELS[word] != "tỉnh":
            province = _ask(province, "--province", 'Tỉnh, ví dụ "tỉnh Kon Tum"', old.province if same else None)
        year = _ask(year, "--year", "Năm của kế hoạch",
                    old.year + 1 if base is not None else dt.date.today().year, kind=int)
        assert year is not None
        target = output or Path(f"ke-hoach-{year}.yaml")
        if target.exists() and not force:
            from ttkhc_cli.domain.errors import UsageError

            raise UsageError(f"{target} đã có; dùng --force để ghi đè hoặc -o để chọn tên khác")
        check_output(target, [base] if base else [])
        text = new_plan.build(new_plan.NewPlan(unit, word, year, district, province), loaded)
        write_atomic(target, text, [base] if base else [])
        made = plan_file.load_plan(target).file
    _stderr().print(
        f"Đã ghi {target}: {made.plan.title} của {made.plan.unit} ({len(made.indicators)} chỉ tiêu, "
        f"{len(made.tasks)} nhiệm vụ; lập từ {loaded.path}).\nViệc tiếp theo: sửa chỉ tiêu giao (target) và căn cứ "
        f"(basis) cho đúng kế hoạch đã ban hành, rồi kiểm tra: ttkhc targets check {target}",
        markup=False,
    )


@app.command("profiles", cls=VietnameseCommand)
def profiles_cmd(
    file: Annotated[
        Optional[Path],
        typer.Argument(metavar="TỆP", help="Tệp mẫu xuất .yaml của đơn vị cần kiểm tra (không bắt buộc)."),
    ] = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="table hoặc json.")] = ShowFormat.table,
) -> None:
    """Liệt kê các mẫu xuất (profile): mẫu sổ và hệ thống mà công cụ nhận ra.

    Mỗi mẫu xuất là một tệp YAML: tên cột, cách ghi giá trị, định dạng ngày của một hệ thống.
    Cho thêm TỆP để kiểm tra mẫu xuất của đơn vị trước khi dùng với --profile.

    Ví dụ: ttkhc profiles he-thong-cua-xa.yaml
    """
    with _reported():
        from ttkhc_cli.ingest import profiles

        rows = [
            {
                "name": p.name,
                "title": p.title, "label": p.label,
                "origin": p.origin,
                "detect": list(p.layers[0].detect.headers) if p.layers[0].detect else [],
            }
            for p in profiles.available(file)
        ]
    if fmt is ShowFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from ttkhc_cli.cli.terminal import profiles_table

    _stdout().print(profiles_table(rows))


# ------------------------------------------------------------------ shared options

FilesArg = Annotated[
    list[Path],
    typer.Argument(metavar="TỆP", help="Sổ theo dõi hồ sơ: .xlsx, .xls, .ods, .csv, .parquet (có thể nhiều tệp)."),
]
TargetsOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--targets", "-t", metavar="TỆP",
        help="Tệp chỉ tiêu (kế hoạch) của đơn vị, lập bằng ttkhc init (mặc định: targets.yaml hoặc ke-hoach*.yaml "
        "trong thư mục hiện tại; không có thì kế hoạch mẫu của xã Đắk Tô Re)."
    ),
]
SheetOpt = Annotated[
    Optional[str],
    typer.Option("--sheet", metavar="TÊN", help="Tên trang tính cần đọc (mặc định: trang giống sổ hồ sơ nhất)."),
]
HeaderRowOpt = Annotated[
    Optional[int],
    typer.Option("--header-row", min=1, metavar="SỐ", help="Số dòng tiêu đề như Excel hiển thị (mặc định: tự tìm)."),
]
EncodingOpt = Annotated[
    Optional[str],
    typer.Option("--encoding", metavar="BẢNG_MÃ", help="Bảng mã của tệp CSV, ví dụ cp1258 (mặc định: tự nhận)."),
]
class DateOrder(str, Enum):
    dmy = "dmy"
    mdy = "mdy"
    ymd = "ymd"


DateOrderOpt = Annotated[
    Optional[DateOrder],
    typer.Option("--date-order", metavar="dmy|mdy|ymd",
                 help="Thứ tự ngày tháng của ngày viết dạng chữ: dmy (ngày/tháng/năm), mdy (tháng/ngày/năm, Excel "
                      "kiểu Mỹ), ymd (mặc định: nhận từ giá trị các ô)."),
]
ColumnsOpt = Annotated[
    Optional[Path],
    typer.Option("--columns", metavar="TỆP", help='Tệp YAML ánh xạ cột: columns: {received_at: "Ngày nhận HS"}.'),
]
OutputOpt = Annotated[
    Optional[Path], typer.Option("--output", "-o", metavar="TỆP", help="Ghi kết quả ra tệp thay vì màn hình.")
]
FeedbackOpt = Annotated[
    Optional[Path],
    typer.Option("--feedback", metavar="TỆP", help="Sổ phản ánh, kiến nghị (cho chỉ tiêu xử lý PAKN đúng hạn)."),
]
DocumentsOpt = Annotated[
    Optional[Path],
    typer.Option("--documents", metavar="TỆP", help="Sổ văn bản (cho chỉ tiêu xử lý văn bản trên môi trường mạng)."),
]
ProfileOpt = Annotated[
    Optional[str],
    typer.Option(
        "--profile",
        metavar="TÊN|TỆP",
        help="Mẫu xuất của hệ thống (xem: ttkhc profiles) hoặc tệp .yaml của đơn vị "
        "(mặc định: tự nhận theo tiêu đề).",
    ),
]


class Delimiter(str, Enum):
    semicolon = ";"
    comma = ","
    tab = "tab"
    pipe = "|"


OneSheetOpt = Annotated[
    bool,
    typer.Option(
        "--one-sheet",
        help="Chỉ đọc một trang tính (mặc định: đọc chung các trang tính cùng tiêu đề, như sổ chia theo tháng).",
    ),
]
DelimiterOpt = Annotated[
    Optional[Delimiter],
    typer.Option(
        "--delimiter", metavar="KÝ_TỰ", help="Dấu phân cách cột của tệp CSV: ; , tab hoặc | (mặc định: tự nhận)."
    ),
]
UnitOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--unit", metavar="TÊN",
        help="Đơn vị của các tệp, khi tiêu đề tệp không ghi hoặc ghi sai; cho một lần (mọi tệp) hoặc mỗi tệp "
        "một lần theo thứ tự (mặc định: dòng UBND… phía trên bảng hoặc cột Xã/Phường).",
    ),
]
TasksOpt = Annotated[
    Optional[Path],
    typer.Option("--tasks", metavar="TỆP", help="Tệp YAML tình trạng nhiệm vụ Phụ lục II của đơn vị: "
                 "\"1\": {status: xong, done: 2024-02-15, product: …}."),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Không hiện thanh tiến độ và ghi chú khi đọc.")]


class FindingsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _read_options(
    sheet: Optional[str],
    header_row: Optional[int],
    encoding: Optional[str],
    delimiter: Optional[Delimiter] = None,
    one_sheet: bool = False,
    date_order: Optional[DateOrder] = None,
):
    from ttkhc_cli.io.table import ReadOptions

    sep = None if delimiter is None else ("\t" if delimiter is Delimiter.tab else delimiter.value)
    return ReadOptions(sheet=sheet, header_row=header_row, encoding=encoding, delimiter=sep, one_sheet=one_sheet,
                       date_order=date_order.value if date_order else None)


def _request(files: list[Path], sheet: Optional[str] = None, header_row: Optional[int] = None,
             encoding: Optional[str] = None, delimiter: Optional[Delimiter] = None, one_sheet: bool = False, *,
             window: Optional[Enum] = None, by: Optional[str] = None, engine: Optional[Enum] = None,
             date_order: Optional[DateOrder] = None, **given: Any) -> Any:
    """The one request of a command: the reading options as ReadOptions, choices as their values;
    without --targets, the unit's own plan in the working folder (said on stderr)."""
    from ttkhc_cli import api

    if given.get("targets_file") is None and "targets_file" in given:
        given["targets_file"] = _own_plan(given.get("period") or given.get("date_from"))
    return api.Request(tuple(files), read=_read_options(sheet, header_row, encoding, delimiter, one_sheet, date_order),
                       window=window.value if window else None, by=by,
                       engine=engine.value if engine else None, **given)


def _own_plan(period: Optional[str]) -> Optional[Path]:
    """A ``targets.yaml`` or ``ke-hoach*.yaml`` in the working folder (kpi.plan.discover), named
    on stderr so that the user knows which plan judged the figures."""
    import re

    from ttkhc_cli.kpi import plan as plan_file

    year = re.match(r"\s*(\d{4})", period or "") or re.search(r"(\d{4})\s*$", period or "")
    found = plan_file.discover(Path.cwd(), int(year.group(1)) if year else None)
    if found is not None:
        _stderr().print(f"Kế hoạch: {found} (trong thư mục hiện tại; tệp khác: --targets)",
                        markup=False, style="dim")
    return found


def _check_output(output: Optional[Path], inputs: list[Path], option: str = "--output") -> None:
    """An output that cannot be written is said before the command reads anything itself (only the
    read-ahead may have started on the case files); ``inputs`` are the request's (Request.inputs)."""
    if output is None:
        return
    with _reported():
        from ttkhc_cli.output.files import check_output

        check_output(output, inputs, option)


def _emit(text: str, output: Optional[Path], inputs: list[Path], csv: bool = False) -> None:
    """Text to the screen, or to a file; a CSV file starts with a byte-order mark, so that Excel
    on Windows opens it as UTF-8 (Vietnamese letters intact). On the screen, a cell's control
    characters are written out visibly (see ``_Screen``)."""
    if output is None:
        typer.echo(visible(text) if csv else _json_visible(text), nl=False)
        return
    from ttkhc_cli.output.files import write_atomic

    write_atomic(output, ("\ufeff" + text) if csv else text, inputs)
    _stderr().print(f"Đã ghi {output}", markup=False)


class _Progress:
    """A transient progress line on stderr for steps that take more than about a second.

    Off with --quiet or when stderr is not a terminal (pipes, CI, files).
    """

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar: Any = None  # rich Progress, imported only when shown
        self.timer: Any = None
        self.started = False

    def __enter__(self) -> _Progress:
        if self.enabled:
            import threading

            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TimeElapsedColumn(),
                console=_stderr(),
                transient=True,
            )
            self.task = self.bar.add_task("Đang bắt đầu", total=None)
            self.timer = threading.Timer(1.0, self._start)
            self.timer.daemon = True
            self.timer.start()
        return self

    def _start(self) -> None:
        self.started = True
        self.bar.start()

    def step(self, text: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=text, total=None)

    def rows(self, total: int) -> Callable[[int], None]:
        if self.bar is not None:
            self.bar.update(self.task, description="Đang ghi danh sách hồ sơ quá hạn", total=max(total, 1), completed=0)
        return lambda n: self.bar.advance(self.task, n) if self.bar is not None else None

    def __exit__(self, *exc) -> None:
        if self.timer is not None:
            self.timer.cancel()
        if self.started:
            self.bar.stop()


def _notes(log, quiet: bool) -> None:
    """How each file was read, one line a file: the sheets of one workbook read together (a log
    split by month) share their notes, said once."""
    if quiet:
        return
    err = _stderr()
    by_file: dict[str, list[Any]] = {}
    for info in log.files:
        by_file.setdefault(info.file, []).append(info)
    for file, infos in by_file.items():
        where = file + (f" [{infos[0].sheet}]" if len(infos) == 1 and infos[0].sheet else "")
        rows = list(dict.fromkeys(str(i.header_row) for i in infos))
        notes = list(dict.fromkeys(n for i in infos for n in i.notes))
        kinds = ", ".join(dict.fromkeys(i.profile_label or i.profile for i in infos))
        owners = list(dict.fromkeys(
            f"đơn vị {i.unit}" if i.unit else ("nhiều đơn vị" if i.units else "không ghi đơn vị") for i in infos))
        extra = "; ".join([*notes, f"mẫu xuất {kinds}", *owners])
        err.print(f"{where}: tiêu đề ở dòng {', '.join(rows)}; {extra}", markup=False, style="dim")


@app.command(cls=VietnameseCommand)
def validate(
    files: FilesArg,
    targets_file: TargetsOpt = None,
    feedback: FeedbackOpt = None,
    documents: DocumentsOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    encoding: EncodingOpt = None,
    date_order: DateOrderOpt = None,
    delimiter: DelimiterOpt = None,
    definition: Annotated[
        Optional[str],
        typer.Option("--definition", metavar="TÊN|TỆP",
                     help="Kiểm tra theo bộ chỉ số (qd766-2022 hoặc tệp .yaml) thay cho kế hoạch: các cột chỉ số cần."),
    ] = None,
    profile: ProfileOpt = None,
    unit: UnitOpt = None,
    one_sheet: OneSheetOpt = False,
    columns: ColumnsOpt = None,
    fmt: Annotated[
        FindingsFormat, typer.Option("--format", "-f", help="table, json hoặc csv (danh sách đầy đủ).")
    ] = FindingsFormat.table,
    show_mapping: Annotated[
        bool, typer.Option("--show-mapping/--no-show-mapping", show_default=False,
                           help="In (mặc định) hoặc không in bảng ánh xạ tiêu đề → trường.")
    ] = True,
    limit: Annotated[int, typer.Option("--limit", min=1, metavar="SỐ", show_default=False,
                                       help="Số phát hiện tối đa in ra bảng (mặc định 50).")] = 50,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    schema: Annotated[
        bool,
        typer.Option(
            "--schema",
            callback=lambda v: _schema(v, "ValidationReport"),
            is_eager=True,
            expose_value=False,
            help="In JSON Schema của kết quả --format json rồi thoát.",
        ),
    ] = False,
) -> None:
    """Kiểm tra sổ theo dõi hồ sơ: cột nhận được, ô không đọc được, mã trùng, ngày vô lý.

    Mỗi phát hiện ghi rõ tệp, trang tính, dòng và cột như Excel hiển thị. Thoát 0 khi không có
    lỗi (có thể có cảnh báo), 1 khi có lỗi, 2 khi không đọc được tệp.

    Ví dụ: ttkhc validate so-theo-doi-ho-so.xlsx --format csv -o phat-hien.csv
    """
    from collections import Counter

    with _reported():
        _read_ahead(files, sheet)
        from ttkhc_cli import api
        from ttkhc_cli.output.formats import findings_csv, to_json

        request = _request(files, sheet, header_row, encoding, delimiter, one_sheet,
                           date_order=date_order, targets_file=targets_file,
                           columns=columns, feedback=feedback, documents=documents, profile=profile,
                           units=tuple(unit or ()), definition=definition)
        _check_output(output, request.inputs())
        if api.dataset_of(request) is not None:
            _validate_dataset(request, fmt, output)
        log, report = api.validate_files(request)
        _notes(log, quiet or fmt is not FindingsFormat.table)
        if fmt is FindingsFormat.json:
            _emit(to_json(report), output, request.inputs())
        elif fmt is FindingsFormat.csv:
            _emit(findings_csv(report.findings), output, request.inputs(), csv=True)
        else:
            from ttkhc_cli.cli import terminal as D

            console = _stdout()
            if show_mapping:
                for table in D.mapping_tables(report.mapping, report.files):
                    console.print(table)
            for line in D.rows_lines(report.sources):
                console.print(line, markup=False)
            by_code = Counter(f.code for f in report.findings)
            console.print(D.findings_summary(report.counts, dict(by_code)), markup=False)
            if report.findings:
                for table in D.findings_table(report.findings, limit):
                    console.print(table)
                rest = len(report.findings) - limit
                if rest > 0:
                    console.print(f"… và {rest} phát hiện khác (dùng --format json hoặc csv để xem đủ)", markup=False)
            from ttkhc_cli.kpi.coverage import coverage_line

            console.print(D.coverage_table(report.coverage))
            console.print(coverage_line(report.coverage), markup=False)
    raise typer.Exit(1 if report.counts.error else 0)


def _validate_dataset(request, fmt: FindingsFormat, output: Optional[Path]) -> None:
    """A dataset's findings counted per unit and code (in SQL, over every source converted)."""
    from ttkhc_cli import api
    from ttkhc_cli.output.formats import to_csv, to_json

    summary = api.dataset_findings(request.files[0])
    if fmt is FindingsFormat.json:
        _emit(to_json(summary), output, request.inputs())
    elif fmt is FindingsFormat.csv:
        rows = [[r["unit"], r["code"], r["severity"], r["count"]] for r in summary["by_unit"]]
        _emit(to_csv(["Đơn vị", "Mã", "Mức", "Số phát hiện"], rows), output, request.inputs(), csv=True)
    else:
        from rich.table import Table

        from ttkhc_cli.domain.labels import SEVERITY

        table = Table(title=f"Phát hiện theo đơn vị · {request.files[0]}", title_justify="left")
        for h, j in (("Đơn vị", "left"), ("Mã", "left"), ("Mức", "left"), ("Số phát hiện", "right")):
            table.add_column(h, justify=j)  # type: ignore[arg-type]
        for r in summary["by_unit"]:
            table.add_row(r["unit"], r["code"], SEVERITY.get(r["severity"], r["severity"]), f"{r['count']:,}")
        console = _stdout()
        console.print(table)
        for bad in summary["unreadable"]:
            console.print(f"Không đọc được: {bad}", markup=False)
    raise typer.Exit(1 if any(r["severity"] == "error" for r in summary["by_unit"]) else 0)


class ComputeFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    parquet = "parquet"


class Window(str, Enum):
    calendar = "calendar"
    nd09 = "nd09"


# --by in Vietnamese beside the canonical names: "bo-phan", "bộ phận" and "department" are one.
BY_WORDS = {
    "department": ("bo-phan", "bộ phận"), "procedure": ("thu-tuc", "thủ tục"), "field": ("linh-vuc", "lĩnh vực"),
    "month": ("thang", "tháng"), "officer": ("can-bo", "cán bộ"), "file": ("tep", "tệp"),
    "unit": ("don-vi", "đơn vị"), "province": ("tinh", "tỉnh"),
}


def _by_value(value: Optional[str]) -> Optional[str]:
    """--by's value as the library names it, from the English or the Vietnamese word."""
    if value is None:
        return None
    from ttkhc_cli.domain.folding import fold

    for name, words in BY_WORDS.items():
        if fold(value) in {fold(name), *(fold(w) for w in words)}:
            return name
    choices = ", ".join(words[0] for words in BY_WORDS.values())
    raise typer.BadParameter(f"{value!r} không phải một trong {choices} (hoặc {', '.join(BY_WORDS)})")


BY_HELP = ("bo-phan (bộ phận), thu-tuc (thủ tục), linh-vuc (lĩnh vực), thang (tháng), can-bo (cán bộ), tep (tệp), "
           "don-vi (đơn vị), tinh (tỉnh); hoặc department, procedure, field, month, officer, file, unit, province.")


class EngineName(str, Enum):
    duckdb = "duckdb"
    spark = "spark"


EngineOpt = Annotated[
    Optional[EngineName],
    typer.Option(
        "--engine",
        help="Cách tính: duckdb (mặc định; tính ngay trên máy này, từ sổ của một xã đến hàng triệu hồ sơ và bộ "
        "dữ liệu Parquet) hoặc spark (cụm máy; cần pip install 'ttkhc[spark]'). Cả hai dùng cùng một bộ quy tắc tính.",
    ),
]
MemoryOpt = Annotated[
    Optional[str],
    typer.Option("--memory-limit", metavar="CỠ",
                 help="Giới hạn bộ nhớ của DuckDB, ví dụ 2GB (vượt thì ghi ra đĩa; mặc định: một nửa bộ nhớ máy)."),
]
SparkMasterOpt = Annotated[
    str,
    typer.Option("--spark-master", show_default=False, metavar="URL",
                 help="Spark master cho --engine spark (mặc định local[*])."),
]


PeriodOpt = Annotated[
    Optional[str],
    typer.Option(
        "--period", "-p", metavar="KỲ", help="Kỳ: 2024-03, 2024-Q1, 2024-H1 hoặc 2024 (mặc định: toàn bộ dữ liệu)."
    ),
]
WindowOpt = Annotated[
    Optional[Window],
    typer.Option(
        "--window",
        help="calendar (tháng dương lịch) hoặc nd09 (ngày 15 đến 14, Nghị định 09/2019); mặc định theo tệp chỉ tiêu.",
    ),
]
FromOpt = Annotated[
    Optional[str], typer.Option("--from", metavar="NGÀY", help="Từ ngày (dd/mm/yyyy), thay cho --period.")
]
ToOpt = Annotated[Optional[str], typer.Option("--to", metavar="NGÀY", help="Đến ngày (dd/mm/yyyy).")]
AsOfOpt = Annotated[
    Optional[str],
    typer.Option(
        "--as-of",
        metavar="NGÀY",
        help="Ngày xét hồ sơ đang giải quyết (mặc định: cuối kỳ, hoặc hôm nay nếu kỳ chưa hết).",
    ),
]
InputsOpt = Annotated[
    Optional[Path],
    typer.Option("--inputs", metavar="TỆP", help="Tệp YAML số liệu nhập tay: III.1: {numerator: 12, denominator: 12}."),
]


@app.command(cls=VietnameseCommand)
def compute(
    files: FilesArg,
    targets_file: TargetsOpt = None,
    period: PeriodOpt = None,
    window: WindowOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    as_of: AsOfOpt = None,
    by: Annotated[
        Optional[str],
        typer.Option("--by", metavar="NHÓM", callback=_by_value, help="Tính riêng theo: " + BY_HELP),
    ] = None,
    feedback: FeedbackOpt = None,
    documents: DocumentsOpt = None,
    inputs_file: InputsOpt = None,
    columns: ColumnsOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    encoding: EncodingOpt = None,
    date_order: DateOrderOpt = None,
    delimiter: DelimiterOpt = None,
    profile: ProfileOpt = None,
    unit: UnitOpt = None,
    one_sheet: OneSheetOpt = False,
    fmt: Annotated[
        ComputeFormat,
        typer.Option("--format", "-f", help="table, json, csv, markdown hoặc parquet (một dòng mỗi nhóm × chỉ tiêu)."),
    ] = ComputeFormat.table,
    output: OutputOpt = None,
    show_mapping: Annotated[
        bool, typer.Option("--show-mapping", help="In bảng ánh xạ tiêu đề → trường (ra stderr).")
    ] = False,
    projection: Annotated[
        Optional[bool],
        typer.Option("--projection/--no-projection",
                     help="Nhịp đến cuối năm: số lũy kế, số cả năm nếu giữ nhịp, tỷ lệ cần đạt từ nay (mặc định: "
                     "có, khi kỳ tính từ đầu năm và chưa hết năm)."),
    ] = None,
    quiet: QuietOpt = False,
    engine: EngineOpt = None,
    spark_master: SparkMasterOpt = "local[*]",
    memory_limit: MemoryOpt = None,
    schema: Annotated[
        bool,
        typer.Option(
            "--schema",
            callback=lambda v: _schema(v, "ComputeResult"),
            is_eager=True,
            expose_value=False,
            help="In JSON Schema của kết quả --format json rồi thoát.",
        ),
    ] = False,
) -> None:
    """Tính mọi chỉ tiêu của kế hoạch và đánh giá ĐẠT / KHÔNG ĐẠT.

    Thoát 0 khi mọi chỉ tiêu có dữ liệu đều đạt, 1 khi có chỉ tiêu không đạt, 2 khi dữ liệu
    hoặc tùy chọn không dùng được.

    Ví dụ: ttkhc compute so-theo-doi-ho-so.xlsx --period 2024-Q1 --by department
    """
    _read_ahead(files, sheet)
    with _reported():  # the output is checked before any progress is shown
        from ttkhc_cli import api

        request = _request(
            files, sheet, header_row, encoding, delimiter, one_sheet,
            date_order=date_order, window=window, by=by, engine=engine,
            targets_file=targets_file, period=period, date_from=date_from, date_to=date_to, as_of=as_of,
            feedback=feedback, documents=documents, inputs_file=inputs_file, columns=columns, profile=profile,
            spark_master=spark_master, memory_limit=memory_limit, units=tuple(unit or ()), projection=projection,
        )
        _check_output(output, request.inputs())
        if fmt is ComputeFormat.parquet and output is None:
            from ttkhc_cli.domain.errors import UsageError

            raise UsageError("--format parquet cần --output TỆP.parquet")
    with _reported(), _Progress(quiet) as progress:
        result = api.compute_files(request, on_step=progress.step, keep_mapping=show_mapping)
    with _reported():
        if show_mapping:
            from ttkhc_cli.cli import terminal as D
            from ttkhc_cli.kpi.coverage import coverage_line

            rows = result.coverage or []
            for table in D.mapping_tables(result.mapping or [], result.files):
                _stderr().print(table)
            _stderr().print(D.coverage_table(rows))
            _stderr().print(coverage_line(rows), markup=False)
            result = result.model_copy(update={"mapping": None, "files": None, "coverage": None})
        _render_result(result, fmt, output, request.inputs(), quiet)
    _say_notices(result.notices)
    raise typer.Exit(result.exit_code())


def _say_notices(notices: Optional[list[str]]) -> None:
    """Whose figures and which plan, said last on stderr, where they are seen."""
    for line in notices or []:
        _stderr().print(line, markup=False, style="yellow" if line.startswith("Cảnh báo") else None)


def _read_ahead(files: list[Path], sheet: Optional[str]) -> None:
    """Start parsing the workbooks before pandas and the rest load (see ``readahead``)."""
    from ttkhc_cli.io import readahead

    readahead.start(files, sheet)


def _render_result(
    result: ComputeResult, fmt: ComputeFormat, output: Optional[Path], inputs: list[Path], quiet: bool
) -> None:
    from ttkhc_cli.output import formats

    if fmt is ComputeFormat.parquet:
        from ttkhc_cli.output.files import atomic_output

        assert output is not None
        with atomic_output(output, inputs) as tmp:
            formats.result_parquet(result, tmp)
        _stderr().print(f"Đã ghi {output}", markup=False)
    elif fmt is ComputeFormat.json:
        _emit(formats.to_json(result), output, inputs)
    elif fmt is ComputeFormat.csv:
        _emit(formats.result_csv(result), output, inputs, csv=True)
    elif fmt is ComputeFormat.markdown:
        _emit(formats.result_markdown(result), output, inputs)
    else:
        from rich.console import Group

        from ttkhc_cli.cli import terminal as D

        console = _stdout()
        width = console.width if output is None else FILE_WIDTH
        parts: list = [D.period_line(result), D.indicators_table(result.indicators)]
        parts += D.notes_lines(result.indicators)
        if result.groups is not None:
            parts += D.group_matrix(result, width)
        if result.projection:
            parts += D.projection_lines(result.projection)
        parts += D.footer_lines(result)
        if output is not None:
            import io

            buf = io.StringIO()
            Console(file=buf, width=FILE_WIDTH, highlight=False, no_color=True).print(Group(*parts))
            _emit(unpadded(buf.getvalue()), output, inputs)
            return
        for part in parts:
            console.print(part, markup=False) if isinstance(part, str) else console.print(part)


@app.command(cls=VietnameseCommand)
def report(
    files: FilesArg,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="TỆP",
                     help="Tệp báo cáo cần ghi: bảng tính .xlsx hoặc văn bản .docx, ví dụ bao-cao-2024-Q1.xlsx."),
    ],
    targets_file: TargetsOpt = None,
    period: PeriodOpt = None,
    window: WindowOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    as_of: AsOfOpt = None,
    feedback: FeedbackOpt = None,
    documents: DocumentsOpt = None,
    inputs_file: InputsOpt = None,
    columns: ColumnsOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    encoding: EncodingOpt = None,
    date_order: DateOrderOpt = None,
    delimiter: DelimiterOpt = None,
    profile: ProfileOpt = None,
    unit: UnitOpt = None,
    one_sheet: OneSheetOpt = False,
    quiet: QuietOpt = False,
    engine: EngineOpt = None,
    spark_master: SparkMasterOpt = "local[*]",
    memory_limit: MemoryOpt = None,
    definition: Annotated[
        Optional[str],
        typer.Option("--definition", metavar="TÊN|TỆP",
                     help="Bộ chỉ số của trang Chỉ số 766 (mặc định: qd766-2022; none: không có trang này)."),
    ] = None,
    index_inputs: Annotated[
        Optional[Path],
        typer.Option("--index-inputs", metavar="TỆP",
                     help="Số liệu quốc gia nhập cho trang Chỉ số 766: 1.1: {numerator: 30, denominator: 30}."),
    ] = None,
    tasks_file: TasksOpt = None,
    doc_date: Annotated[Optional[str], typer.Option(
        "--date", metavar="NGÀY", help="Ngày của văn bản báo cáo .docx (mặc định: hôm nay).")] = None,
    worklist_out: Annotated[Optional[str], typer.Option(
        "--worklist", metavar="TỆP|none",
        help="Tệp Excel việc nội bộ, không gửi kèm báo cáo: việc cần làm, việc của cán bộ, nhiệm vụ Phụ lục II, "
             "hồ sơ quá hạn (mặc định với báo cáo .xlsx: <tên báo cáo>-viec-can-lam.xlsx; none: không ghi).")] = None,
) -> None:
    """Lập báo cáo quý bằng Excel: tổng hợp chỉ tiêu, Biểu 06, theo bộ phận, xu hướng, chỉ số 766.

    Việc nội bộ (việc cần làm, việc của cán bộ, hồ sơ quá hạn) ghi vào tệp thứ hai, không gửi kèm.

    Ví dụ: ttkhc report so-ho-so.xlsx --period 2024-Q1 -o bao-cao-2024-Q1.xlsx
    (với -o bao-cao-2024-Q1.docx: văn bản báo cáo theo Nghị định 30/2020/NĐ-CP, kèm Biểu 06)
    """
    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".docx"):
        _stderr().print(f"Lỗi: {output}: báo cáo phải có đuôi .xlsx (bảng tính) hoặc .docx (văn bản báo cáo)",
                        markup=False)
        raise typer.Exit(2)
    with _reported():
        from ttkhc_cli.domain import periods as period_file

        day = period_file.parse_date(doc_date, "--date") if doc_date else None
    _read_ahead(files, sheet)
    with _reported():  # the output is checked before any progress is shown
        from ttkhc_cli import api
        from ttkhc_cli.output import workbook

        request = _request(
            files, sheet, header_row, encoding, delimiter, one_sheet,
            date_order=date_order, window=window, engine=engine,
            targets_file=targets_file, period=period, date_from=date_from, date_to=date_to, as_of=as_of,
            feedback=feedback, documents=documents, inputs_file=inputs_file, columns=columns, profile=profile,
            spark_master=spark_master, memory_limit=memory_limit, definition=definition, index_inputs=index_inputs,
            units=tuple(unit or ()), tasks_file=tasks_file,
        )
        _check_output(output, request.inputs())
        worklist = _worklist_path(output, worklist_out)
        if worklist is not None:
            _check_output(worklist, request.inputs(), "--worklist")
    with _reported(), _Progress(quiet) as progress:
        data = api.build_report(request, on_step=progress.step)
        progress.step(f"Đang ghi {output}")
        rows = progress.rows(len(data.late))
        if suffix == ".docx":
            from ttkhc_cli.output import document

            document.write(data, output, request.inputs(), day)
            if worklist is not None:
                workbook.write_worklists(data, worklist, request.inputs(), rows)
        else:
            workbook.write(data, output, request.inputs(), rows, worklist)
    from ttkhc_cli.domain.labels import count as count_text
    from ttkhc_cli.domain.labels import status_counts
    from ttkhc_cli.domain.periods import vietnamese

    _stderr().print(
        f"Đã ghi {output}: {vietnamese(data.period)}, "
        f"{status_counts((i.status for i in data.result.indicators), 'chỉ tiêu')}; "
        f"{count_text(len(data.late))} hồ sơ quá hạn.",
        markup=False,
    )
    if worklist is not None:
        _stderr().print(f"Đã ghi {worklist}: việc nội bộ của đơn vị, không gửi kèm báo cáo.", markup=False)
    _say_notices(data.result.notices)
    raise typer.Exit(data.result.exit_code())  # as compute: 1 when an indicator fails or the data has errors


def _worklist_path(output: Path, given: str | None) -> Path | None:
    """Where the office's worklists go: the file given, beside an Excel report by default, or
    nowhere ("none"; a Word report writes none unless asked)."""
    from ttkhc_cli.domain.errors import UsageError
    from ttkhc_cli.output.files import same_place

    if given is not None and given.strip().lower() == "none":
        return None
    if given is None:
        return output.with_name(f"{output.stem}-viec-can-lam.xlsx") if output.suffix.lower() == ".xlsx" else None
    path = Path(given)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"--worklist {given}: tệp việc nội bộ phải có đuôi .xlsx")
    if same_place(path, output):  # however it is spelt: ../, a linked folder, letter case on Windows
        raise UsageError(f"--worklist {given}: phải khác tệp báo cáo")
    return path




@app.command(cls=VietnameseCommand)
def explain(
    indicator: Annotated[
        str, typer.Argument(metavar="MÃ", help="Mã chỉ tiêu, ví dụ I.4 hoặc IV.1 (chỉ số 766 với --definition).")
    ],
    files: FilesArg,
    targets_file: TargetsOpt = None,
    definition: Annotated[
        Optional[str],
        typer.Option("--definition", metavar="TÊN|TỆP",
                     help="Giải thích một chỉ số của bộ chỉ số (qd766-2022 hoặc tệp .yaml) "
                     "thay cho chỉ tiêu kế hoạch."),
    ] = None,
    period: PeriodOpt = None,
    window: WindowOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    as_of: AsOfOpt = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Liệt kê cả hồ sơ trong tử số (cột 'Trong tử số').")
    ] = False,
    feedback: FeedbackOpt = None,
    documents: DocumentsOpt = None,
    columns: ColumnsOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    encoding: EncodingOpt = None,
    date_order: DateOrderOpt = None,
    delimiter: DelimiterOpt = None,
    profile: ProfileOpt = None,
    unit: UnitOpt = None,
    one_sheet: OneSheetOpt = False,
    fmt: Annotated[FindingsFormat, typer.Option("--format", "-f", help="table, json hoặc csv.")] = FindingsFormat.table,
    limit: Annotated[
        int, typer.Option("--limit", min=1, metavar="SỐ", show_default=False,
                          help="Số hồ sơ tối đa in ra bảng (mặc định 50).")
    ] = 50,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Liệt kê các hồ sơ làm chỉ tiêu không đạt: có trong mẫu số mà không có trong tử số.

    Mỗi hồ sơ kèm tệp, trang tính và số dòng như Excel hiển thị, để mở đúng dòng mà xử lý.

    Ví dụ: ttkhc explain I.4 so-theo-doi-ho-so.xlsx --period 2024-Q1
    """
    _read_ahead(files, sheet)
    with _reported():  # the output is checked before any progress is shown
        from ttkhc_cli import api

        request = _request(
            files, sheet, header_row, encoding, delimiter, one_sheet,
            date_order=date_order, window=window, targets_file=targets_file,
            period=period, date_from=date_from, date_to=date_to, as_of=as_of, feedback=feedback, documents=documents,
            columns=columns, profile=profile, definition=definition, units=tuple(unit or ()),
        )
        _check_output(output, request.inputs())
    with _reported(), _Progress(quiet) as progress:
        result = api.explain_files(request, indicator, everything, on_step=progress.step)
    with _reported():
        from ttkhc_cli.output import formats

        if fmt is FindingsFormat.json:
            _emit(formats.to_json(result), output, request.inputs())
        elif fmt is FindingsFormat.csv:
            _emit(formats.explain_csv(result), output, request.inputs(), csv=True)
        else:
            from ttkhc_cli.cli import terminal as D

            console = _stdout()
            for part in D.explain_parts(result, limit, console.width):
                console.print(part, markup=False) if isinstance(part, str) else console.print(part)
    _say_notices(result.notices)


DefinitionOpt = Annotated[
    Optional[str],
    typer.Option(
        "--definition",
        metavar="TÊN|TỆP",
        help="Bộ chỉ số: tên bộ có sẵn (qd766-2022) hoặc tệp định nghĩa .yaml (mặc định: qd766-2022).",
    ),
]


class IndexFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command("index", cls=VietnameseCommand)
def index_cmd(
    files: FilesArg,
    period: PeriodOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    as_of: AsOfOpt = None,
    definition: DefinitionOpt = None,
    inputs_file: Annotated[
        Optional[Path],
        typer.Option("--inputs", metavar="TỆP",
                     help="Tệp YAML số liệu quốc gia của đơn vị: 1.1: {numerator: 30, denominator: 30}."),
    ] = None,
    targets_file: Annotated[
        Optional[Path],
        typer.Option("--targets", "-t", metavar="TỆP",
                     help="Tệp chỉ tiêu của đơn vị: lấy tên đơn vị, lịch nghỉ bù và thời hạn giải quyết thủ tục."),
    ] = None,
    feedback: FeedbackOpt = None,
    columns: ColumnsOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    encoding: EncodingOpt = None,
    date_order: DateOrderOpt = None,
    delimiter: DelimiterOpt = None,
    profile: ProfileOpt = None,
    unit: UnitOpt = None,
    one_sheet: OneSheetOpt = False,
    fmt: Annotated[IndexFormat, typer.Option("--format", "-f", help="table, json hoặc csv.")] = IndexFormat.table,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    engine: EngineOpt = None,
    schema: Annotated[
        bool,
        typer.Option(
            "--schema",
            callback=lambda v: _schema(v, "IndexResult"),
            is_eager=True,
            expose_value=False,
            help="In JSON Schema của kết quả --format json rồi thoát.",
        ),
    ] = False,
) -> None:
    """Tính Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg) của đơn vị từ sổ của đơn vị.

    In tỷ lệ, điểm của từng chỉ số và nhóm, tổng điểm (nói rõ phần nào tính từ dữ liệu, phần nào
    nhập, phần nào chưa có), và danh sách việc nên làm trước: thêm bao nhiêu hồ sơ thì được thêm
    bao nhiêu điểm. Thoát 0 khi tính được, 1 khi dữ liệu có lỗi, 2 khi dữ liệu hoặc tùy chọn không
    dùng được.

    Ví dụ: ttkhc index so-ho-so.xlsx --period 2024-03 --feedback pakn.xlsx
    """
    _read_ahead(files, sheet)
    with _reported():  # the output is checked before any progress is shown
        from ttkhc_cli import api

        request = _request(
            files, sheet, header_row, encoding, delimiter, one_sheet,
            date_order=date_order, engine=engine, targets_file=targets_file,
            period=period, date_from=date_from, date_to=date_to, as_of=as_of, feedback=feedback,
            inputs_file=inputs_file, columns=columns, profile=profile, definition=definition,
            units=tuple(unit or ()),
        )
        _check_output(output, request.inputs())
    with _reported(), _Progress(quiet) as progress:
        result = api.index_files(request, on_step=progress.step)
    with _reported():
        from ttkhc_cli.output import formats

        if fmt is IndexFormat.json:
            _emit(formats.to_json(result), output, request.inputs())
        elif fmt is IndexFormat.csv:
            _emit(formats.index_csv(result), output, request.inputs(), csv=True)
        else:
            _print_parts(_index_parts(result, output), output, request.inputs())
    _say_notices(result.notices)
    raise typer.Exit(result.exit_code())


def _index_parts(result: IndexResult, output: Optional[Path]) -> list[Any]:
    from ttkhc_cli.cli import terminal as D

    return D.index_parts(result, _stdout().width if output is None else FILE_WIDTH)


def _print_parts(parts: list[Any], output: Optional[Path], inputs: list[Path]) -> None:
    """Tables and lines to the screen, or as plain text to a file."""
    if output is not None:
        import io

        from rich.console import Group

        buf = io.StringIO()
        Console(file=buf, width=FILE_WIDTH, highlight=False, no_color=True).print(Group(*parts))
        _emit(unpadded(buf.getvalue()), output, inputs)
        return
    console = _stdout()
    for part in parts:
        console.print(part, markup=False) if isinstance(part, str) else console.print(part)


class WorklistFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    text = "text"


@app.command("worklist", cls=VietnameseCommand)
def worklist_cmd(
    files: FilesArg,
    targets_file: TargetsOpt = None,
    period: PeriodOpt = None,
    window: WindowOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    as_of: AsOfOpt = None,
    within: Annotated[int, typer.Option("--within", metavar="NGÀY", min=0, max=60,
                                        help="Hồ sơ đến hạn trong số ngày làm việc này (mặc định 2).")] = 2,
    officer: Annotated[Optional[str], typer.Option("--officer", metavar="TÊN",
                                                   help="Chỉ danh sách của một cán bộ (không phân biệt dấu, hoa).")]
    = None,
    columns: ColumnsOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    encoding: EncodingOpt = None,
    date_order: DateOrderOpt = None,
    delimiter: DelimiterOpt = None,
    profile: ProfileOpt = None,
    unit: UnitOpt = None,
    one_sheet: OneSheetOpt = False,
    fmt: Annotated[WorklistFormat, typer.Option(
        "--format", "-f", help="table, json, csv hoặc text (tin nhắn ngắn cho từng cán bộ).")] = WorklistFormat.table,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="TỆP|THƯ MỤC",
        help="Ghi ra tệp (.csv, .xlsx: mỗi cán bộ một trang, .txt, .json) hoặc thư mục (mỗi cán bộ một tệp "
             ".csv và tin nhắn trong tin-nhan.txt).")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Danh sách việc của từng cán bộ: hồ sơ sắp đến hạn, đã quá hạn, trễ hạn chưa có phiếu xin lỗi,
    và hồ sơ cần hoàn thiện cho chỉ tiêu chưa đạt (đồng bộ, số hóa, kết quả điện tử).

    Ví dụ: ttkhc worklist so-ho-so.xlsx --as-of 20/03/2024 --within 2 -f text
    """
    _read_ahead(files, sheet)
    with _reported():
        from ttkhc_cli import api

        request = _request(
            files, sheet, header_row, encoding, delimiter, one_sheet,
            date_order=date_order, window=window,
            targets_file=targets_file, period=period, date_from=date_from, date_to=date_to, as_of=as_of,
            columns=columns, profile=profile, units=tuple(unit or ()),
        )
        if output is not None and not output.is_dir() and output.suffix:
            _check_output(output, request.inputs())
    with _reported(), _Progress(quiet) as progress:
        result = api.worklist_files(request, within, officer, on_step=progress.step)
    with _reported():
        from ttkhc_cli.output import worklists

        inputs = request.inputs()
        if output is not None and (output.is_dir() or not output.suffix):
            written = worklists.write_folder(result, output, inputs)
            _stderr().print(f"Đã ghi {written} tệp vào {output}", markup=False)
        elif output is not None and output.suffix.lower() == ".xlsx":
            worklists.write_workbook(result, output, inputs)
            _stderr().print(f"Đã ghi {output}", markup=False)
        elif fmt is WorklistFormat.json or (output is not None and output.suffix.lower() == ".json"):
            _emit(result.model_dump_json(indent=2) + "\n", output, inputs)
        elif fmt is WorklistFormat.csv or (output is not None and output.suffix.lower() == ".csv"):
            _emit(worklists.to_csv(result), output, inputs, csv=True)
        elif fmt is WorklistFormat.text or (output is not None and output.suffix.lower() == ".txt"):
            _emit(worklists.to_text(result), output, inputs)
        else:
            from ttkhc_cli.cli.terminal import worklist_parts

            _print_parts(worklist_parts(result), output, inputs)


@app.command("tasks", cls=VietnameseCommand)
def tasks_cmd(
    targets_file: TargetsOpt = None,
    tasks_file: TasksOpt = None,
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", metavar="NGÀY", help="Ngày xét tình trạng nhiệm vụ và lịch báo cáo (mặc định: hôm nay).")] = None,
    within: Annotated[int, typer.Option("--within", metavar="NGÀY", min=0, max=366,
                                        help="Nhiệm vụ còn không quá số ngày này là sắp đến hạn (mặc định 15).")] = 15,
    everything: Annotated[bool, typer.Option("--calendar", help="In lịch báo cáo định kỳ cả năm.")] = False,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="table hoặc json.")] = ShowFormat.table,
    output: OutputOpt = None,
) -> None:
    """Nhiệm vụ Phụ lục II của kế hoạch và lịch báo cáo định kỳ: đã xong, quá hạn, sắp đến hạn,
    thường xuyên, chờ văn bản triển khai. Thoát 1 khi có nhiệm vụ quá hạn.

    Ví dụ: ttkhc tasks --tasks nhiem-vu.yaml --as-of 31/03/2024
    """
    import datetime as dt

    with _reported():
        from ttkhc_cli.domain import periods
        from ttkhc_cli.kpi import plan as plan_file
        from ttkhc_cli.kpi import tasks

        loaded = plan_file.load_plan(targets_file if targets_file is not None else _own_plan(None))
        day = periods.parse_date(as_of, "--as-of") if as_of else dt.date.today()
        states = tasks.load_states(tasks_file, loaded.file)
        result = tasks.tasks_result(loaded.path, loaded.file, states, day, within)
        inputs = [p for p in (targets_file, tasks_file) if p is not None]
        if fmt is ShowFormat.json:
            _emit(result.model_dump_json(indent=2) + "\n", output, inputs)
        else:
            from ttkhc_cli.cli.terminal import tasks_parts

            _print_parts(tasks_parts(result, everything), output, inputs)
    raise typer.Exit(result.exit_code())


@app.command(cls=VietnameseCommand)
def convert(
    files: FilesArg,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="THƯ_MỤC", help="Thư mục bộ dữ liệu Parquet (tạo nếu chưa có)."),
    ],
    unit: Annotated[
        Optional[str],
        typer.Option("--unit", metavar="TÊN", help="Đơn vị (xã, phường) của các tệp; mặc định: cột Xã/Phường nếu có."),
    ] = None,
    targets_file: TargetsOpt = None,
    columns: ColumnsOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    encoding: EncodingOpt = None,
    date_order: DateOrderOpt = None,
    delimiter: DelimiterOpt = None,
    profile: ProfileOpt = None,
    one_sheet: OneSheetOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Chuyển sổ xuất từ hệ thống thành bộ dữ liệu Parquet chuẩn, chia theo đơn vị/năm/tháng.

    Mỗi tệp được đọc, ánh xạ và kiểm tra như khi tính chỉ tiêu; kết quả kiểm tra và số dòng được
    ghi cùng bộ dữ liệu. Chuyển lại cùng tệp (cùng đơn vị) thì thay phần cũ, không nhân đôi.
    Sau đó: ttkhc compute THƯ_MỤC --by unit (tính bằng DuckDB, hoặc --engine spark).

    Ví dụ: ttkhc convert xa-a-2024.xlsx --unit "Xã A" -o du-lieu-tinh/
    """
    with _reported(), _Progress(quiet) as progress:
        from ttkhc_cli import api

        request = _request(files, sheet, header_row, encoding, delimiter, one_sheet,
                           date_order=date_order, targets_file=targets_file,
                           columns=columns, profile=profile)
        done = api.convert_files(request, output, unit, on_step=progress.step)
    err = _stderr()
    for c in done:
        parts = []
        for name, rows in c.rows.items():
            excluded = sum(rows["excluded"].values())
            parts.append(f"{_LOG_NAMES[name]} đọc {rows['read']}, dùng {rows['used']}, loại {excluded}")
        again = " (thay bản chuyển trước)" if c.replaced else ""
        who = f" · đơn vị {c.unit}" if c.unit else ""
        err.print(f"Đã chuyển {c.file} → {output}{who}{again}: " + "; ".join(parts)
                  + f"; {c.findings.get('error', 0)} lỗi, {c.findings.get('warning', 0)} cảnh báo", markup=False)


_LOG_NAMES = {"cases": "sổ hồ sơ", "feedback": "sổ PAKN", "documents": "sổ văn bản"}


class Dialect(str, Enum):
    duckdb = "duckdb"
    spark = "spark"
    trino = "trino"
    postgres = "postgres"


@app.command(cls=VietnameseCommand)
def sql(
    targets_file: TargetsOpt = None,
    dialect: Annotated[Dialect, typer.Option("--dialect", show_default=False,
                                            help="duckdb (mặc định), spark, trino hoặc postgres.")] = Dialect.duckdb,
    period: PeriodOpt = None,
    window: WindowOpt = None,
    as_of: AsOfOpt = None,
    by: Annotated[
        Optional[str],
        typer.Option("--by", metavar="NHÓM", callback=_by_value, help="Thêm cột nhóm: " + BY_HELP),
    ] = None,
    indicator: Annotated[
        Optional[str], typer.Option("--indicator", metavar="MÃ", help="Chỉ in câu lệnh của một chỉ tiêu, ví dụ IV.1.")
    ] = None,
    calendar: Annotated[
        Optional[Path],
        typer.Option("--calendar", metavar="TỆP", help="Ghi bảng lịch ngày làm việc (CSV) mà câu lệnh cần."),
    ] = None,
) -> None:
    """In câu lệnh SQL tính từng chỉ tiêu trên lược đồ chuẩn, để chạy trên kho dữ liệu của đơn vị.

    Bảng cần có: cases (và feedback, documents nếu dùng) theo lược đồ của ttkhc convert, và
    calendar(day, working, wi) với view workdays; --calendar ghi bảng lịch ra CSV.

    Ví dụ: ttkhc sql --dialect trino --period 2024-Q1 --indicator IV.1
    """
    with _reported():
        from ttkhc_cli import api

        text = api.indicator_sql(targets_file, dialect.value, period, window.value if window else None, as_of,
                                 by, indicator, calendar)
    typer.echo(text, nl=False)
    if calendar is not None:
        _stderr().print(f"Đã ghi {calendar}", markup=False)


def run(args: Optional[list[str]] = None, prog_name: Optional[str] = None) -> int:
    """The command line as a function returning its exit code; usage mistakes told in Vietnamese."""
    from ttkhc_cli.cli import usage

    try:
        code = app(args=args, prog_name=prog_name, standalone_mode=False)
    except Exception as exc:
        if usage.is_usage_error(exc):
            for line in usage.lines(exc):
                _stderr().print(line, markup=False)
            return 2
        if type(exc).__name__ == "Abort":  # Ctrl-C: the shell's own code for an interrupt
            _stderr().print("Đã dừng.", markup=False)
            return 130
        shown = getattr(exc, "exit_code", None)
        if hasattr(exc, "show") and isinstance(shown, int):
            exc.show()  # help asked for by giving no arguments, and anything else click reports itself
            return shown
        raise
    return code if isinstance(code, int) else 0


class Terminated(BaseException):
    """SIGTERM, SIGHUP or SIGQUIT (a job killed, the terminal or SSH session closed): unwinds like
    an interrupt, so that a half-written output's temporary file is removed on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_SIGNALLED: list[int] = []  # the termination signals received, for the libraries that swallow them


def _terminate(signum: int, frame: object) -> None:
    _SIGNALLED.append(signum)
    raise Terminated(signum)


def _fold_unencodable(err: UnicodeError) -> tuple[str, int]:
    """A letter the output's encoding cannot carry, written without its diacritics ("Lỗi" →
    "Loi" on an ASCII or cp1252 terminal), else "?": the message stays readable, never a crash."""
    import unicodedata

    assert isinstance(err, UnicodeEncodeError)
    text = err.object[err.start:err.end]
    out = []
    for ch in text:
        base = "".join(c for c in unicodedata.normalize("NFD", ch.replace("đ", "d").replace("Đ", "D"))
                       if not unicodedata.combining(c))
        try:
            base.encode(err.encoding)
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out), err.end


def _streams_that_never_fail() -> None:
    """stdout and stderr write what their encoding can carry (PYTHONIOENCODING=ascii, a cp1252
    console): letters lose their diacritics rather than the command ending in an error."""
    import codecs

    codecs.register_error("ttkhc-fold", _fold_unencodable)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding and encoding not in ("utf8", "utf16", "utf32") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="ttkhc-fold")


_SIGNALS = ("SIGTERM", "SIGHUP", "SIGQUIT")  # the last two do not exist on Windows


def _ignore_signals() -> None:
    import signal

    for name in _SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)


def main() -> None:
    """Console-script entry point."""
    import signal

    from ttkhc_cli.io.scratch import route_temporary_files

    _streams_that_never_fail()
    for name in _SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    route_temporary_files()
    try:
        try:
            code = run()
        except BrokenPipeError:  # text written by typer.echo to a pipe closed early
            _closed_pipe()
        except Terminated as stop:
            _ignore_signals()  # a second signal must not cut the message or the clean-up short
            _stderr().print("Đã dừng (nhận tín hiệu kết thúc).", markup=False)
            code = 128 + stop.signum  # the shell's own code for a process ended by a signal
    finally:
        # The process ends here. Interpreter shutdown collects garbage over every object left
        # (pandas, pyarrow and pydantic leave many): about 0.15 s for nothing. Frozen objects are
        # skipped; files are closed and atexit handlers run as usual.
        import gc

        gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
