"""Mistakes on the command line (a missing file name, an unknown option, a wrong value), told in
Vietnamese: click, under typer, words them in English.

Errors are recognised by their class names and attributes, which click has kept for years and
which typer's own copy of click shares; a message that is not recognised is shown as click
words it, so nothing is ever hidden.
"""

from __future__ import annotations

import re
from enum import Enum


def is_usage_error(exc: BaseException) -> bool:
    """A click usage error (exit code 2); the help shown when a group is given no command
    (NoArgsIsHelpError) is not one."""
    names = {c.__name__ for c in type(exc).__mro__}
    return "UsageError" in names and type(exc).__name__ != "NoArgsIsHelpError"


def lines(exc: BaseException) -> list[str]:
    """The error in one line, then where to read how the command is used."""
    ctx = getattr(exc, "ctx", None)
    out = [f"Lỗi: {_message(exc)}"]
    if ctx is not None and getattr(ctx, "command_path", None):
        out.append(f"Xem cách dùng: {ctx.command_path} --help")
    return out


def _message(exc: BaseException) -> str:
    kind = type(exc).__name__
    param = getattr(exc, "param", None)
    option = getattr(exc, "option_name", None)
    text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if kind == "MissingParameter" and param is not None:
        if getattr(param, "param_type_name", "") == "argument":
            return f"thiếu đối số {_name(param)}" + (" (tệp cần đọc)" if param.name == "files" else "")
        return f"thiếu tùy chọn {_name(param)}"
    if kind == "NoSuchOption":
        message = f"không có tùy chọn {option}"
        possible = list(getattr(exc, "possibilities", None) or [])  # closest first, as click found them
        return message + (f" (có phải {', '.join(possible)}?)" if possible else "")
    if kind == "BadOptionUsage" and "requires an argument" in text:
        return f"tùy chọn {option} cần một giá trị đi kèm"
    if kind == "BadOptionUsage" and "does not take a value" in text:
        return f"tùy chọn {option} không nhận giá trị (chỉ cần ghi {option})"
    if kind == "BadParameter" and param is not None:
        return f"giá trị không hợp lệ cho {_name(param)}{_why(text)}"
    return _other(text)


def _name(param) -> str:
    if getattr(param, "param_type_name", "") == "argument":
        return (param.metavar or param.name or "").upper()
    return " / ".join(getattr(param, "opts", None) or [param.name or ""])


def _why(text: str) -> str:
    """What was wrong with the value, where click's (or pydantic's) words say it plainly."""
    one_of = re.search(r"'([^']*)' is not one of (.+?)\.?$", text)
    if one_of:
        choices = ", ".join(re.findall(r"'([^']*)'", one_of.group(2)))
        return f": {one_of.group(1)!r}; dùng một trong: {choices}"
    at_least = re.search(r"greater than or equal to (-?\d+)", text)
    if at_least:
        return f": phải là số nguyên ≥ {at_least.group(1)}"
    if "valid integer" in text:
        return ": phải là số nguyên"
    own = re.search(r"(?:Invalid value for [^:]*: )?(.*không phải một trong.*)$", text)  # the tool's own words
    if own:
        return f": {own.group(1)}"
    return ""


def _other(text: str) -> str:
    command = re.match(r"No such command '([^']+)'\.?(?: Did you mean (.+?)\??)?$", text)
    if command:
        said = f"không có lệnh {command.group(1)!r}"
        return said + (f" (có phải {command.group(2)}?)" if command.group(2) else "")
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)\.?$", text)
    if extra:
        return f"thừa đối số: {extra.group(1)}"
    if text.startswith("Missing command"):
        return "thiếu tên lệnh"
    return text


def synopsis(app_command, width: int = 100) -> str:
    """Every command with its arguments and options, as the README's "Commands" block shows them
    (generated with cog from the command line itself, so it cannot fall out of date)."""
    out: list[str] = []
    for path, cmd in _leaves(app_command, ("ttkhc",)):
        words = [" ".join(path)]
        for p in cmd.params:
            if getattr(p, "hidden", False) or "--help" in getattr(p, "opts", ()):
                continue
            words.append(_usage_word(p))
        out += _wrapped(words, width)
    return "\n".join(out)


def _leaves(cmd, path: tuple[str, ...]) -> list:
    if not hasattr(cmd, "commands"):
        return [(path, cmd)]
    found = []
    for name, sub in cmd.commands.items():
        if not getattr(sub, "hidden", False):
            found += _leaves(sub, path + (name,))
    return found


def _usage_word(p) -> str:
    if p.param_type_name == "argument":
        name = (p.metavar or p.name or "").upper()
        name += "..." if p.nargs == -1 else ""
        return name if p.required else f"[{name}]"
    opt = max(p.opts, key=len)
    if p.is_flag:
        return f"[{opt}]"
    choices = _choices(p)
    value = p.metavar or ("|".join(choices) if choices else (p.name or "").upper())
    word = f"{opt} {value}"
    return word if p.required else f"[{word}]"


def _choices(p) -> list[str]:
    """An option's choices, from click's type or (typer ≥ 0.2x) the annotation's Enum."""
    found = getattr(getattr(p, "type", None), "choices", None)
    if not found:
        annotation = getattr(getattr(p, "type_descriptor", None), "annotation", None)
        found = list(annotation) if isinstance(annotation, type) and issubclass(annotation, Enum) else []
    return [str(getattr(c, "value", c)) for c in found]


def _wrapped(words: list[str], width: int) -> list[str]:
    lines = [words[0]]
    indent = " " * (len(words[0].split(" ")[0]) + 1 + len(words[0].split(" ")[1]) + 1) if " " in words[0] else "  "
    for w in words[1:]:
        if len(lines[-1]) + 1 + len(w) > width:
            lines.append(indent + w)
        else:
            lines[-1] += " " + w
    return lines


# The frame of click's help, in Vietnamese (typer words it in English whatever the texts are).
_HELP_WORDS = [
    (re.compile(r"^Usage: ", re.M), "Cách dùng: "),
    (re.compile(r"^Arguments:$", re.M), "Đối số:"),
    (re.compile(r"^Options:$", re.M), "Tùy chọn:"),
    (re.compile(r"^Commands:$", re.M), "Lệnh:"),
    (re.compile(r"\[OPTIONS\]"), "[TÙY_CHỌN]"),
    (re.compile(r"\{([^{}\s]+)\}(?=\.\.\.)"), r"\1"),
    (re.compile(r"COMMAND \[ARGS\]\.\.\."), "LỆNH [ĐỐI_SỐ]..."),
    (re.compile(r"\[required\]"), "[bắt buộc]"),
    (re.compile(r"\[default:(\s+)([^\]]*)\]"), r"[mặc định:\1\2]"),
    (re.compile(r"\[x>=(\d+)\]"), r"[≥ \1]"),
    (re.compile(r"\[(\d+)<=x<=(\d+)\]"), r"[\1–\2]"),
    (re.compile(r"; x>=(\d+)\]"), r"; ≥ \1]"),
    (re.compile(r"Show this message and exit\."), "In hướng dẫn này rồi thoát."),
]


def vietnamese_help(text: str) -> str:
    """A command's help with click's own words in Vietnamese and no Python types shown."""
    for pattern, words in _HELP_WORDS:
        text = pattern.sub(words, text)
    return text
