"""The small, safe filter language of target files: parsed, never evaluated as Python.

    expr    := or
    or      := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" unary | "(" expr ")" | "all" | test
    test    := FIELD                                 (a flag is true)
             | FIELD ("=" | "!=" | ">" | ">=" | "<" | "<=") VALUE
             | FIELD ["not"] "in" "[" VALUE ("," VALUE)* "]"
             | FIELD "is" ["not"] "empty"
             | FIELD ["not"] "contains" STRING       (without diacritics or case)
    VALUE   := NUMBER | "text" | 'text' | true | false | WORD

Values of categorical fields (channel, status, timing, level, rating...) are read by the same
parsers as data cells, so ``channel = "Trực tuyến"`` and ``channel = online`` are the same
test, and a value the parser does not know is an error in the target file, not a silent miss.
Text comparisons fold diacritics and case, like header matching.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Union

from ttkhc_cli.domain import codes
from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain.folding import fold
from ttkhc_cli.ingest import profiles, vocab


class FilterError(ValueError):
    """A filter that does not parse or names what does not exist."""


@dataclass(frozen=True)
class All:
    pass


@dataclass(frozen=True)
class Truthy:
    field: str


@dataclass(frozen=True)
class Compare:
    field: str
    op: str
    value: object


@dataclass(frozen=True)
class In:
    field: str
    values: tuple[object, ...]
    negate: bool = False


@dataclass(frozen=True)
class IsEmpty:
    field: str
    negate: bool = False


@dataclass(frozen=True)
class Contains:
    field: str
    text: str  # folded: what is matched
    negate: bool = False
    shown: str = dc_field(default="", compare=False)  # as the target file writes it: what sentences say


@dataclass(frozen=True)
class Not:
    arg: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    args: tuple[Node, ...]


Node = Union[All, Truthy, Compare, In, IsEmpty, Contains, Not, BoolOp]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2})(?![\w/-])
      | (?P<num>-?\d+(?:\.\d+)?)(?![\w])
      | (?P<str>"[^"]*"|'[^']*')
      | (?P<op>>=|<=|!=|==|=|>|<|\(|\)|\[|\]|,)
      | (?P<word>[^\W\d][\w.]*)
    )""",
    re.VERBOSE | re.UNICODE,
)
_KEYWORDS = {"and", "or", "not", "in", "is", "empty", "contains", "all", "true", "false"}
COMPARE_OPS = ("=", "!=", ">", ">=", "<", "<=")
_ORDERED_KINDS = {"money", "number", "date"}


def _tokenise(text: str) -> list[tuple[str, object]]:
    tokens: list[tuple[str, object]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise FilterError(f"không hiểu ký tự {text[pos:].strip()[:1]!r} ở vị trí {pos + 1}")
        pos = m.end()
        if m.group("date") is not None:  # a date as plans write it (15/02/2024) or ISO: a text value
            tokens.append(("str", m.group("date")))
        elif m.group("num") is not None:
            tokens.append(("num", float(m.group("num"))))
        elif m.group("str") is not None:
            tokens.append(("str", m.group("str")[1:-1]))
        elif m.group("op") is not None:
            op = m.group("op")
            tokens.append(("op", "=" if op == "==" else op))
        else:
            word = m.group("word")
            low = word.lower()
            tokens.append(("kw", low) if low in _KEYWORDS else ("word", word))
    return tokens


MAX_LENGTH = 20_000  # characters: a plan's filter is a line or two, not a list of every dossier
MAX_DEPTH = 50  # nested parentheses or "not"s


class _Parser:
    def __init__(self, text: str, source: str):
        if len(text) > MAX_LENGTH:
            raise FilterError(f"biểu thức quá dài ({len(text):,} ký tự; tối đa {MAX_LENGTH:,})".replace(",", "."))
        self.tokens = _tokenise(text)
        self.i = 0
        self.depth = 0
        self.source = source
        self.known = F.field_index(source)

    def peek(self, offset: int = 0) -> tuple[str, object] | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self) -> tuple[str, object]:
        tok = self.peek()
        if tok is None:
            raise FilterError("biểu thức kết thúc quá sớm")
        self.i += 1
        return tok

    def accept(self, kind: str, value: object) -> bool:
        if self.peek() == (kind, value):
            self.i += 1
            return True
        return False

    def expect(self, kind: str, value: object) -> None:
        if not self.accept(kind, value):
            got = self.peek()
            raise FilterError(f"cần {value!s}, gặp {_show(got)}")

    def parse(self) -> Node:
        node = self.or_()
        if self.peek() is not None:
            raise FilterError(f"thừa {_show(self.peek())} sau biểu thức")
        return node

    def or_(self) -> Node:
        args = [self.and_()]
        while self.accept("kw", "or"):
            args.append(self.and_())
        return args[0] if len(args) == 1 else BoolOp("or", tuple(args))

    def and_(self) -> Node:
        args = [self.unary()]
        while self.accept("kw", "and"):
            args.append(self.unary())
        return args[0] if len(args) == 1 else BoolOp("and", tuple(args))

    def unary(self) -> Node:
        if self.peek() in (("kw", "not"), ("op", "(")):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise FilterError(f"biểu thức lồng quá sâu (quá {MAX_DEPTH} tầng ngoặc hoặc not)")
        if self.accept("kw", "not"):
            node: Node = Not(self.unary())
            self.depth -= 1
            return node
        if self.accept("op", "("):
            node = self.or_()
            self.expect("op", ")")
            self.depth -= 1
            return node
        if self.accept("kw", "all"):
            return All()
        return self.test()

    def test(self) -> Node:
        kind, name = self.take()
        if kind != "word":
            raise FilterError(f"cần tên trường, gặp {_show((kind, name))}")
        field = self._field(str(name))
        nxt = self.peek()
        if nxt is None or nxt in {("kw", "and"), ("kw", "or"), ("op", ")")}:
            self._need_kind(field, {"flag"}, "dùng một mình (như một cờ có/không)")
            return Truthy(field.name)
        if nxt[0] == "op" and nxt[1] in COMPARE_OPS:
            self.i += 1
            op = str(nxt[1])
            value = self._value(field)
            if op not in ("=", "!=") and field.kind not in _ORDERED_KINDS:
                raise FilterError(f"trường {field.name} không so sánh lớn/nhỏ được")
            return Compare(field.name, op, value)
        negate = self.accept("kw", "not")
        if self.accept("kw", "in"):
            return In(field.name, self._list(field), negate)
        if self.accept("kw", "contains"):
            kind_, text = self.take()
            if kind_ != "str":
                raise FilterError("sau contains cần một chuỗi trong dấu nháy")
            self._need_kind(field, {"text", "id"}, "dùng với contains")
            if not fold(text):
                raise FilterError(f"sau contains cần chữ hoặc số, gặp {_show((kind_, text))} (không có chữ nào để tìm)")
            return Contains(field.name, fold(text), negate, str(text))
        if negate:
            raise FilterError(f"sau not cần in hoặc contains, gặp {_show(self.peek())}")
        if self.accept("kw", "is"):
            neg = self.accept("kw", "not")
            self.expect("kw", "empty")
            return IsEmpty(field.name, neg)
        raise FilterError(f"không hiểu {_show(nxt)} sau trường {field.name}")

    def _field(self, name: str) -> F.Field | F.Derived:
        if name not in self.known:
            raise FilterError(
                f"trường {name!r} không có trong nguồn {self.source}; "
                f"các trường: {', '.join(sorted(self.known))}"
            )
        return self.known[name]

    def _need_kind(self, field: F.Field | F.Derived, kinds: set[str], what: str) -> None:
        if field.kind not in kinds:
            raise FilterError(f"trường {field.name} ({field.kind}) không {what} được")

    def _list(self, field: F.Field | F.Derived) -> tuple[object, ...]:
        self.expect("op", "[")
        values = [self._value(field)]
        while self.accept("op", ","):
            values.append(self._value(field))
        self.expect("op", "]")
        return tuple(values)

    def _value(self, field: F.Field | F.Derived) -> object:
        kind, raw = self.take()
        if kind == "kw" and raw in ("true", "false"):
            if field.kind != "flag":
                raise FilterError(f"trường {field.name} không phải cờ có/không")
            return raw == "true"
        if kind not in ("num", "str", "word"):
            raise FilterError(f"cần một giá trị, gặp {_show((kind, raw))}")
        return coerce_value(field, raw)


def coerce_value(field: F.Field | F.Derived, raw: object) -> object:
    """Read a filter value as the field's cells are read."""
    if field.kind in ("money", "number"):
        if not isinstance(raw, float):
            raise FilterError(f"trường {field.name} cần một số, gặp {raw!r}")
        return raw
    if field.kind == "date":
        import datetime as dt

        text = str(raw).strip()
        for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise FilterError(f"trường {field.name} cần ngày dạng ngày/tháng/năm (15/02/2024) hoặc 2024-02-15, "
                          f"gặp {raw!r}")
    parser = profiles.PARSERS.get(field.kind)
    if parser is not None:
        if isinstance(raw, str) and raw in codes.CODES.get(field.kind, ()) and field.kind != "flag":
            return raw  # a canonical code (rating = unsatisfied), whatever words the vocabulary lists
        code = parser(raw)
        if code is vocab.INVALID or code is None:
            allowed = ", ".join(codes.CODES.get(field.kind, ("true", "false")))
            raise FilterError(f"giá trị {raw!r} không hợp lệ cho trường {field.name} (dùng: {allowed})")
        return code
    folded = fold(raw if not isinstance(raw, float) else _num_text(raw))
    if not folded:
        raise FilterError(f"giá trị {raw!r} cho trường {field.name} không có chữ hoặc số nào "
                          "(dùng is empty để tìm ô trống)")
    return folded


def _num_text(x: float) -> str:
    return str(int(x)) if x.is_integer() else str(x)


def _show(tok: tuple[str, object] | None) -> str:
    if tok is None:
        return "hết biểu thức"
    return repr(tok[1]) if tok[0] != "str" else f'"{tok[1]}"'


def parse_rule(text: str, source: str) -> Node:
    """Parse a filter over the fields of ``source`` (cases, feedback or documents)."""
    if not isinstance(text, str) or not text.strip():
        raise FilterError("biểu thức rỗng (dùng all để lấy mọi dòng)")
    return _parsed(text, source)


@functools.lru_cache(maxsize=4096)
def _parsed(text: str, source: str) -> Node:
    """Each filter parsed once per run (its tree is frozen): a report asks for every indicator's
    rules once per group and per file, a thousand files' worth."""
    return _Parser(text, source).parse()


def fields_of(node: Node) -> set[str]:
    """Every field a filter names, for the no-data check before counting."""
    if isinstance(node, BoolOp):
        return set().union(*(fields_of(a) for a in node.args))
    if isinstance(node, Not):
        return fields_of(node.arg)
    if isinstance(node, All):
        return set()
    return {node.field}


def values_named(node: Node, field: str) -> set[object]:
    """The values a filter compares ``field`` with (``status in [not_received]`` → {not_received})."""
    if isinstance(node, BoolOp):
        return set().union(*(values_named(a, field) for a in node.args))
    if isinstance(node, Not):
        return values_named(node.arg, field)
    if isinstance(node, In) and node.field == field:
        return set(node.values)
    if isinstance(node, Compare) and node.field == field:
        return {node.value}
    return set()
