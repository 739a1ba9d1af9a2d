"""Safe YAML loading that remembers the line of every key, for errors users can find.

One loader for every YAML file the tool reads (target files, entered figures, column maps,
export profiles). PyYAML's safe loader forgets positions; composing the node tree first keeps
them. Duplicate keys, which YAML silently collapses, are reported instead; so are tags that
name Python objects, keys that are not plain values, and anchors that refer to themselves or
expand into more nodes than any such file has (a "billion laughs" file would hang the tool).
"""

from __future__ import annotations

import re
from pathlib import Path as FilePath
from typing import Any

import yaml

Path = tuple[Any, ...]
# libyaml's loader keeps the same marks and is several times faster than the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Far more nodes than a target file with hundreds of indicators holds, far fewer than an alias
# bomb expands into.
MAX_NODES = 200_000
MAX_DEPTH = 200


class YamlProblem(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


class YamlFileError(ValueError):
    """A YAML file that cannot be used: the message already names the file and line."""


def read(path: str | FilePath, shown: str, what: str) -> tuple[Any, dict[Path, int]]:
    """Read and parse one YAML file; ``what`` names it in messages ("tệp chỉ tiêu")."""
    try:
        text = FilePath(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise YamlFileError(f"{shown}: không tìm thấy {what}") from None
    except IsADirectoryError:
        raise YamlFileError(f"{shown}: là một thư mục, không phải {what}") from None
    except UnicodeDecodeError:
        raise YamlFileError(f"{shown}: {what} phải là văn bản UTF-8") from None
    except OSError as exc:
        raise YamlFileError(f"{shown}: không đọc được {what} ({exc.strerror or exc})") from None
    try:
        return load_with_lines(text)
    except YamlProblem as exc:
        raise YamlFileError(f"{shown}:{exc.line}: {exc}" if exc.line else f"{shown}: {exc}") from None


def read_input(path: str | FilePath, what: str) -> tuple[Any, dict[Path, int]]:
    """``read`` for a file given on the command line: its problems are usage errors (exit 2)."""
    from ttkhc_cli.domain.errors import UsageError

    try:
        return read(path, str(path), what)
    except YamlFileError as exc:
        raise UsageError(str(exc)) from None


def load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """Parse YAML text safely; return the data and a map from key path to 1-based line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlProblem(f"YAML không hợp lệ: {in_vietnamese(exc, text)}", line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML không hợp lệ: {exc}", None) from None
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    if node is None:
        return None, lines
    return _Builder(loader, lines).build(node, ()), lines


# libyaml's problems, said in Vietnamese with what usually causes them (the officer edits the
# file in Notepad): the longest matching start wins; any other keeps the library's words.
_YAML_PROBLEMS = {
    "found undefined alias": "tham chiếu *{name} chưa được đặt tên bằng &{name} ở phía trên",
    # A duplicate anchor: libyaml says "second occurrence" (its context, "found duplicate anchor").
    "second occurrence": "tên &{name} được đặt hai lần: đổi tên một trong hai",
    "mapping values are not allowed": "dấu ':' không đặt được ở đây (thiếu dấu cách sau ':', hoặc cần đặt "
                                          "cả giá trị trong ngoặc kép)",
    "found character": "có ký tự không bắt đầu được một giá trị: thụt lề bằng dấu cách, không dùng tab; giá trị bắt "
                       "đầu bằng @ hoặc ` thì đặt trong ngoặc kép",
    "could not find expected ':'": "thiếu dấu ':' sau khóa",
    "found unexpected end of stream": "tệp kết thúc giữa chừng (thiếu dấu ngoặc kép đóng?)",
    "found unexpected ':'": "dấu ':' không đặt được ở đây",
    "expected <block end>": "thụt lề không đều: các khóa cùng cấp phải thẳng cột",
    "did not find expected ',' or ']'": "thiếu dấu ',' hoặc ']' trong danh sách [...]",
    "did not find expected ',' or '}'": "thiếu dấu ',' hoặc '}' trong bảng {...}",
    "did not find expected key": "thụt lề không đều hoặc thiếu dấu '-' của một mục danh sách",
    "did not find expected '-' indicator": "thiếu dấu '-' của một mục danh sách",
    "did not find expected node content": "thiếu giá trị",
    "found a tab character": "có ký tự tab: thụt lề bằng dấu cách",
    "expected a single document": "tệp có nhiều tài liệu (dấu ---): chỉ dùng một",
    "found unknown escape character": "có ký tự thoát không hợp lệ trong ngoặc kép (dùng ngoặc đơn cho đường dẫn \\)",
    "expected alphabetic or numeric character": "tên sau & hoặc * chỉ gồm chữ và số",
}


def in_vietnamese(exc: yaml.MarkedYAMLError, text: str) -> str:
    """A YAML syntax problem in Vietnamese, naming the alias or anchor it is about."""
    problem = exc.problem or str(exc).splitlines()[0]
    name = ""
    mark = exc.problem_mark
    if mark is not None:
        found = re.match(r"[*&]?([^\s,\]\}]+)", text[mark.index:mark.index + 80])
        name = found.group(1) if found else ""
    for start in sorted(_YAML_PROBLEMS, key=len, reverse=True):
        if problem.startswith(start):
            return _YAML_PROBLEMS[start].format(name=name)
    return f"cấu trúc YAML sai ({problem})"


class _Builder:
    """Turns the composed node tree into plain data, counting nodes and watching for cycles."""

    def __init__(self, loader: Any, lines: dict[Path, int]):
        self.loader, self.lines = loader, lines
        self.count = 0
        self.open: set[int] = set()

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > MAX_NODES or len(path) > MAX_DEPTH:
            raise YamlProblem("YAML quá lớn hoặc lồng quá sâu (có thể do tham chiếu & / * lặp lại)", line)
        if id(node) in self.open:
            raise YamlProblem("YAML có tham chiếu (* ) trỏ vào chính nó", line)
        self.lines[path] = line
        if isinstance(node, yaml.MappingNode):
            self.open.add(id(node))
            out: dict[Any, Any] = {}
            merged: list[tuple[dict[Any, Any], int]] = []
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":  # "<<: *base": the base's keys, unless given
                    merged += self._merge(value_node, path)
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlProblem("khóa phải là một giá trị đơn (chữ hoặc số), không phải danh sách hay bảng",
                                      key_node.start_mark.line + 1)
                key = self.scalar(key_node)
                if key in out:
                    raise YamlProblem(f"khóa {key!r} bị lặp", key_node.start_mark.line + 1)
                self.lines[path + (key,)] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, path + (key,))
                self.lines[path + (key,)] = key_node.start_mark.line + 1
            for base, line in merged:
                for key, value in base.items():
                    if key not in out:
                        out[key] = value
                        self.lines[path + (key,)] = line
            self.open.discard(id(node))
            return out
        if isinstance(node, yaml.SequenceNode):
            self.open.add(id(node))
            items = [self.build(v, path + (i,)) for i, v in enumerate(node.value)]
            self.open.discard(id(node))
            return items
        return self.scalar(node)

    def _merge(self, value: yaml.Node, path: Path) -> list[tuple[dict[Any, Any], int]]:
        """The mappings a merge key brings in (one, or a list of them), with their line."""
        line = value.start_mark.line + 1
        nodes = value.value if isinstance(value, yaml.SequenceNode) else [value]
        out = []
        for n in nodes:
            if not isinstance(n, yaml.MappingNode):
                raise YamlProblem("khóa << (gộp) cần một bảng khóa, ví dụ <<: *mau", line)
            built = self.build(n, path)
            assert isinstance(built, dict)
            out.append((built, line))
        return out

    def scalar(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_object(node)
        except ValueError:
            # A scalar shaped like a date that is none (2024-02-30, 2025-13-15): its text, for the
            # file's own checks to name at its line, not the library's exception.
            if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
                return node.value
            raise YamlProblem(f"YAML không hợp lệ: giá trị {node.value!r} không đọc được",
                              node.start_mark.line + 1) from None
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise YamlProblem(f"YAML không hợp lệ: {problem}", node.start_mark.line + 1) from None


_MESSAGES = {
    "extra_forbidden": "khóa không hợp lệ",
    "missing": "thiếu khóa bắt buộc",
    "float_parsing": "cần một số",
    "int_parsing": "cần một số nguyên",
    "int_type": "cần một số nguyên",
    "int_from_float": "cần một số nguyên",
    "float_type": "cần một số",
    "bool_type": "cần true hoặc false",
    "date_type": "cần ngày dạng yyyy-mm-dd",
    "datetime_type": "cần ngày giờ dạng yyyy-mm-dd hh:mm",
    "tuple_type": "cần một danh sách",
    "set_type": "cần một danh sách",
    "too_short": "danh sách quá ngắn",
    "too_long": "danh sách quá dài",
    "string_too_short": "không được để trống",
    "string_pattern_mismatch": "sai dạng",
    "enum": "không phải một giá trị được phép",
    "url_parsing": "cần một địa chỉ web",
    "decimal_parsing": "cần một số",
    "finite_number": "cần một số hữu hạn",
    "union_tag_invalid": "không phải một loại được phép",
    "none_required": "phải để trống",
    "string_type": "cần một chuỗi",
    "date_from_datetime_parsing": "cần ngày dạng yyyy-mm-dd",
    "date_parsing": "cần ngày dạng yyyy-mm-dd",
    "bool_parsing": "cần true hoặc false",
    "list_type": "cần một danh sách",
    "model_type": "cần một bảng khóa: giá trị",
    "dict_type": "cần một bảng khóa: giá trị",
}


def validation_problems(exc: Any, data: dict, lines: dict, shown: str, model: Any = None) -> list[str]:
    """A pydantic ValidationError as one line per problem: file:line, the owner (an indicator's id)
    and key, and a Vietnamese message; with the ``model`` validated, a misspelt key gets the key it
    was probably meant to be ("fulll_at": có phải full_at?)."""
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        line = _line_for(loc, lines)
        where = f"{shown}:{line}" if line else shown
        owner, key = _owner(loc, data)
        msg = _message(err)
        if err["type"] == "extra_forbidden" and model is not None:
            guess = _closest_key(model, loc)
            msg += f" (có phải {guess}?)" if guess else ""
        if err["type"] == "value_error" and " → " in msg:
            for part in msg.split("; "):
                out.append(f"{where}: {part}")
            continue
        prefix = f"{owner} → {key}" if owner else key
        out.append(f"{where}: {prefix}: {msg}" if prefix else f"{where}: {msg}")
    return out


def _message(err: dict) -> str:
    if err["type"] == "value_error":
        return str(err["ctx"]["error"]) if "ctx" in err else err["msg"]
    if err["type"] == "literal_error":
        allowed = ", ".join(re.findall(r"'([^']*)'", str(err["ctx"]["expected"])))
        return f"{err['input']!r} không phải một trong {allowed}"
    bounds = {"greater_than_equal": ("≥", "ge"), "less_than_equal": ("≤", "le"), "greater_than": (">", "gt"),
              "less_than": ("<", "lt")}
    if err["type"] in bounds:
        sign, key = bounds[err["type"]]
        return f"phải {sign} {err['ctx'][key]}, gặp {err['input']!r}"
    base = _MESSAGES.get(err["type"]) or _MESSAGES.get(err["type"].split("_")[0] + "_type") or "giá trị không hợp lệ"
    if err["type"] not in ("missing", "extra_forbidden") and "input" in err:
        return f"{base}, gặp {_as_written(err['input'])}"
    return base


def _as_written(value: Any) -> str:
    """A value as the file writes it (2024-01-01, not datetime.date(2024, 1, 1))."""
    import datetime as dt

    if isinstance(value, (dt.date, dt.datetime)):
        return f"'{value.isoformat()}'"
    return repr(value)


def _closest_key(model: Any, loc: tuple) -> str | None:
    """The allowed key closest to the unknown one at ``loc``, walking the model's fields (through
    lists and optional values) to the model that holds it."""
    import difflib
    import typing

    def model_in(annotation: Any) -> Any:
        if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
            return annotation
        for arg in typing.get_args(annotation):
            found = model_in(arg)
            if found is not None:
                return found
        return None

    current = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        current = model_in(field.annotation) if field is not None else None
        if current is None:
            return None
    keys = list(getattr(current, "model_fields", {}))
    found = difflib.get_close_matches(str(loc[-1]), keys, n=1, cutoff=0.7) if loc else []
    return found[0] if found else None


def line_of(loc: tuple, lines: dict) -> int | None:
    """The line of a key path, or of its nearest parent that has one."""
    return _line_for(loc, lines)


def _line_for(loc: tuple, lines: dict) -> int | None:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


def _owner(loc: tuple, data: dict) -> tuple[str, str]:
    """Name an error by its item's id (an indicator, a task) rather than a list index."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data.get(loc[0]), list):
        item = data[loc[0]]
        entry = item[loc[1]] if loc[1] < len(item) else {}
        ident = entry.get("id") if isinstance(entry, dict) else None
        owner = str(ident) if ident else f"{loc[0]}[{loc[1] + 1}]"
        return owner, ".".join(str(p) for p in loc[2:])
    return "", ".".join(str(p) for p in loc)
