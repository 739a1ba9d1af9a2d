"""The library's exceptions: the CLI turns each into one clear message and an exit code.

Exit codes follow the tool's contract: 2 for input the tool cannot use (a missing or
unreadable file, a bad target file, a bad option value); 1 is reserved for results
(a failing indicator, validation errors), never raised as an exception.
"""

from __future__ import annotations


class TtkhcError(Exception):
    """An error in the user's input that the CLI reports without a traceback."""

    exit_code = 2

    def lines(self) -> list[str]:
        return str(self).splitlines() or [type(self).__name__]


class TargetFileError(TtkhcError):
    """A target file with one or more problems, each on its own line."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problems))

    def lines(self) -> list[str]:
        return list(self.problems)


class InputFileError(TtkhcError):
    """A data file that cannot be read at all (missing, not a spreadsheet, no header...)."""


class UsageError(TtkhcError):
    """An option value the tool cannot use (an unknown period, a bad date...)."""


class EmptyPeriodError(TtkhcError):
    """A period in which the logs hold no dossier at all: the wrong --period or the wrong file."""


class OutOfMemory(TtkhcError):
    """The machine's memory (or the limit set) ran out: said plainly, with what to try."""

    def __init__(self, detail: str = ""):
        super().__init__(
            "không đủ bộ nhớ để xử lý dữ liệu này" + (f" ({detail})" if detail else "")
            + "; thử: đóng bớt chương trình khác, đặt --memory-limit nhỏ hơn bộ nhớ còn trống (ví dụ 2GB) để "
            "DuckDB ghi tạm ra đĩa, hoặc chuyển sổ thành bộ dữ liệu (ttkhc convert) rồi tính trên bộ dữ liệu")
