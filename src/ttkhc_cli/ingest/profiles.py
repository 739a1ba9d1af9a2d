"""Export profiles: what the tool knows about each system's exports, kept as data.

A profile (``ttkhc_cli/profiles/*.yaml``, or an office's own file) holds the headers that name
each field, the words of each code, the date layouts and the columns to ignore. Every profile
extends the common one. A file's profile is recognised from its header (``detect``), or named
with ``--profile``; a new system is a new file, never a code change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Optional

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ttkhc_cli.domain import codes
from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain.errors import UsageError
from ttkhc_cli.domain.folding import fold
from ttkhc_cli.ingest.vocab import INVALID, NONE_CODE, Parser, Vocabulary, vocabulary
from ttkhc_cli.io import yamlfile

BUNDLED = Path(__file__).resolve().parents[1] / "profiles"
COMMON = "common"
LogName = Literal["cases", "feedback", "documents"]
_TIMINGS = ("early", "on_time", "late")
_RESERVED = {"blank", "true_first", "false_first", "unsure", NONE_CODE}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(_Strict):
    aliases: list[str] = Field(default_factory=list)
    meaning: list[str] = Field(default_factory=list)
    parts: list[str] = Field(default_factory=list)
    presence: list[str] = Field(default_factory=list)
    values: dict[str, list[str]] = Field(default_factory=dict)
    # A head word names the field with what qualifies it: "Trạng thái" + "hồ sơ" is the dossier's
    # status, "Trạng thái" + "gửi bưu điện" is not. ``of``: the words that may qualify the head;
    # ``bare``: whether the head alone names the field.
    heads: list[str] = Field(default_factory=list)
    of: list[str] = Field(default_factory=list)
    bare: bool = True


class Modifier(_Strict):
    """Words that change which field a header names: "theo quy định" makes a return date the
    appointment; "về Bộ phận Một cửa" makes it the end of processing."""

    words: list[str]
    unless: list[str] = Field(default_factory=list)
    turns: dict[str, str]  # field → the field it becomes ("": none; the header is then not used)


class DayCounts(_Strict):
    """A single column of days late (or early, or signed: early below zero) is a timing source."""

    count: list[str] = Field(default_factory=list)  # the words that say "a number of days"
    late: list[str] = Field(default_factory=list)
    early: list[str] = Field(default_factory=list)


class LogSpec(_Strict):
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    ignore: list[str] = Field(default_factory=list)
    timing_columns: dict[str, list[str]] = Field(default_factory=dict)
    day_counts: Optional[DayCounts] = None
    modifiers: dict[str, Modifier] = Field(default_factory=dict)

    @field_validator("timing_columns")
    @classmethod
    def _timings(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for key in v:
            if key not in _TIMINGS:
                raise ValueError(f'"{key}" không phải một trong {", ".join(_TIMINGS)}')
        return v


class Detect(_Strict):
    headers: list[str]
    min: int = Field(default=2, ge=1)


class ProfileFile(_Strict):
    name: str
    title: str
    label: Optional[str] = None  # the short Vietnamese name outputs show ("mẫu xuất OpenCPS"); default: name
    description: Optional[str] = None
    detect: Optional[Detect] = None
    date_words: list[str] = Field(default_factory=list)
    # Words of a column that holds only the hour of a date beside it ("Giờ tiếp nhận").
    hour_words: list[str] = Field(default_factory=list)
    date_formats: list[str] = Field(default_factory=list)
    # Short words registers use, read as the words they stand for in any header ("KQ": kết quả).
    abbreviations: dict[str, str] = Field(default_factory=dict)
    # Words that may stand beside a head word without changing what it names ("của", "hồ sơ").
    filler_words: list[str] = Field(default_factory=list)
    # Two-word compounds whose second word, folded, is another word ("kết quả": "quả" is not "quá"):
    # a phrase never starts inside one when a header is typed without diacritics.
    compounds: list[str] = Field(default_factory=list)
    logs: dict[LogName, LogSpec] = Field(default_factory=dict)
    values: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", v):
            raise ValueError("tên mẫu xuất chỉ gồm chữ thường không dấu, số, dấu - _ .")
        return v

    @field_validator("date_formats")
    @classmethod
    def _formats(cls, v: list[str]) -> list[str]:
        for f in v:
            if not ("%d" in f or "%Y" in f):
                raise ValueError(f"định dạng ngày {f!r} cần có %d hoặc %Y")
        return v

    @model_validator(mode="after")
    def _known(self) -> ProfileFile:
        problems = []
        for log, spec in self.logs.items():
            kinds = {f.name: f.kind for f in F.FIELDS[log]}
            for name, col in spec.columns.items():
                if name not in kinds:
                    problems.append(f"logs → {log} → columns → {name}: không có trường này "
                                    f"(các trường: {', '.join(kinds)})")
                    continue
                problems += _bad_codes(f"logs → {log} → columns → {name} → values", kinds[name], col.values)
            for key, mod in spec.modifiers.items():
                for a, b in mod.turns.items():
                    for x in (a, b) if b else (a,):  # "" turns the field into none
                        if x not in kinds:
                            problems.append(f"logs → {log} → modifiers → {key} → turns → {a}: không có trường {x}")
        for kind, words in self.values.items():
            if kind not in codes.CODES:
                problems.append(f"values → {kind}: không có loại giá trị này (các loại: {', '.join(codes.CODES)})")
                continue
            problems += _bad_codes(f"values → {kind}", kind, words)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _bad_codes(where: str, kind: str, words: Mapping[str, Any]) -> list[str]:
    allowed = set(codes.CODES.get(kind, ()))
    out = []
    for code, value in words.items():
        if code in _RESERVED:
            continue
        if code not in allowed:
            out.append(f"{where} → {code}: không phải mã của {kind} (dùng: {', '.join(sorted(allowed))})")
        elif not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            out.append(f"{where} → {code}: cần một danh sách chữ (số viết trong dấu nháy: \"1\")")
    return out


def header_key(text: object) -> str:
    """How headers and aliases are compared: without diacritics, case, spaces or punctuation."""
    return F.alias_key(text)


def _identifier(text: str) -> bool:
    """A header written as a program's name for a field (MaHoSo, receiveDate), not as words."""
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9_.\[\]]*", text.strip()))


def _signature_key(text: str) -> tuple[str, str]:
    """Identifiers compare with their letters as written ("MaHoSo" is not "Mã hồ sơ"); words
    compare without diacritics."""
    if _identifier(text):
        return "id", re.sub(r"[^a-z0-9]", "", text.lower())
    return "words", header_key(text)


def _spaced(text: str) -> str:
    return "".join(" " + c if i and c.isupper() and (text[i - 1].islower() or text[i - 1].isdigit()) else c
                   for i, c in enumerate(text))


def words_of(text: str) -> tuple[str, ...]:
    """A header's words, camelCase and PascalCase split ("ngayHenTra" → ngay hen tra), folded."""
    return tuple(fold(_spaced(str(text))).split())


def marked_words_of(text: str) -> tuple[str, ...]:
    """A header's words with their diacritics (lowercase), for words that folding would confuse:
    "kết quả hạn" is not "quá hạn"."""
    import unicodedata

    low = unicodedata.normalize("NFC", _spaced(str(text))).lower().replace("_", " ")
    return tuple(w for w in re.split(r"[^\w]+", low) if w)


@dataclass(frozen=True)
class Profile:
    """A system's profile merged over the common one: its own knowledge first."""

    name: str
    title: str
    origin: str  # "(có sẵn)" or the path of an office's own file
    layers: tuple[ProfileFile, ...]  # most specific first; the common profile last

    @property
    def label(self) -> str:
        """The short name outputs show: the file's own ``label``, else its name."""
        return (self.layers[0].label if self.layers else None) or self.name

    def log(self, source: str) -> list[LogSpec]:
        return [layer.logs[source] for layer in self.layers if source in layer.logs]

    def column_specs(self, source: str) -> list[list[tuple[str, ColumnSpec]]]:
        """Per layer (most specific first), the field of each column spec."""
        return [list(spec.columns.items()) for spec in self.log(source)]

    def ignored(self, source: str) -> set[str]:
        return {header_key(h) for spec in self.log(source) for h in spec.ignore}

    def timing_columns(self, source: str) -> dict[str, str]:
        """Header key → timing code, for day-count sub-columns under "Trước hạn | Đúng hạn | Quá hạn"."""
        out: dict[str, str] = {}
        for spec in reversed(self.log(source)):
            for code, heads in spec.timing_columns.items():
                out.update({header_key(h): code for h in heads})
        return out

    @property
    def date_words(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(w for layer in self.layers for w in words_of_phrases(layer.date_words)))

    @property
    def abbreviations(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Folded short words → the folded words they stand for (the most specific profile first)."""
        return self._abbreviations(words_of)

    @property
    def marked_abbreviations(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Folded short words → the words they stand for, with their diacritics."""
        return self._abbreviations(marked_words_of)

    def _abbreviations(self, spelled: Any) -> dict[tuple[str, ...], tuple[str, ...]]:
        out: dict[tuple[str, ...], tuple[str, ...]] = {}
        for layer in self.layers:
            for short, long in layer.abbreviations.items():
                out.setdefault(words_of(short), spelled(long))
        return {k: v for k, v in out.items() if k and v}

    @property
    def compounds(self) -> frozenset[tuple[str, ...]]:
        return frozenset(words_of(c) for layer in self.layers for c in layer.compounds if len(words_of(c)) >= 2)

    @property
    def filler_words(self) -> frozenset[str]:
        return frozenset(w for layer in self.layers for p in layer.filler_words for w in words_of(p))

    def day_counts(self, source: str) -> DayCounts:
        """The words of a day-count timing column, merged over the layers."""
        specs = [s.day_counts for s in self.log(source) if s.day_counts is not None]
        return DayCounts(count=[w for d in specs for w in d.count], late=[w for d in specs for w in d.late],
                         early=[w for d in specs for w in d.early])

    def modifiers(self, source: str) -> list[Modifier]:
        seen: dict[str, Modifier] = {}
        for spec in self.log(source):
            for key, mod in spec.modifiers.items():
                seen.setdefault(key, mod)
        return list(seen.values())

    @property
    def hour_words(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(w for layer in self.layers for w in words_of_phrases(layer.hour_words)))

    @property
    def date_formats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for layer in self.layers for f in layer.date_formats))

    def vocabulary(self, kind: str, source: str | None = None, field: str | None = None) -> Vocabulary:
        """The words of ``kind``'s codes: the field's own (most specific profile first), then the kind's."""
        layers: list[Mapping[str, Any]] = []
        if source and field:
            for spec in self.log(source):
                col = spec.columns.get(field)
                if col is not None and col.values:
                    layers.append(col.values)
        layers += [layer.values[kind] for layer in self.layers if kind in layer.values]
        return vocabulary(kind, layers)

    def describe(self) -> str:
        return f"{self.name} ({self.title})"


def words_of_phrases(phrases: Sequence[str]) -> list[str]:
    return [" ".join(words_of(p)) for p in phrases if words_of(p)]


# ------------------------------------------------------------------ loading


def _validate(data: Any, lines: dict, shown: str) -> ProfileFile:
    if not isinstance(data, dict):
        raise UsageError(f"{shown}: mẫu xuất phải là một bảng khóa: giá trị (name, title, logs…)")
    try:
        return ProfileFile.model_validate(data)
    except ValidationError as exc:
        raise UsageError("\n".join(yamlfile.validation_problems(exc, data, lines, shown, ProfileFile))) from None


def read_profile(path: str | Path, shown: str | None = None) -> ProfileFile:
    """Read and validate one profile file; every problem is reported with its file:line."""
    shown = shown or str(path)
    try:
        data, lines = yamlfile.read(path, shown, "tệp mẫu xuất (profile)")
    except yamlfile.YamlFileError as exc:
        raise UsageError(str(exc)) from None
    return _validate(data, lines, shown)


@lru_cache(maxsize=8)
def _shipped(path: Path) -> ProfileFile:
    """A profile shipped with the package (tests keep these valid): read with libyaml when present,
    since the common words are needed on the start-up path (a target file's filters use them)."""
    text = path.read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return _validate(yaml.load(text, Loader=loader), {}, f"profiles/{path.name}")


@lru_cache(maxsize=1)
def bundled() -> dict[str, ProfileFile]:
    """The profiles shipped with the package, by name."""
    out = {}
    for path in sorted(BUNDLED.glob("*.yaml")):
        spec = _shipped(path)
        out[spec.name] = spec
    return out


def _common_file() -> ProfileFile:
    return _shipped(BUNDLED / f"{COMMON}.yaml")


def _merged(spec: ProfileFile, origin: str) -> Profile:
    base = _common_file()
    layers = (spec,) if spec.name == COMMON else (spec, base)
    return Profile(spec.name, spec.title, origin, layers)


@lru_cache(maxsize=1)
def common() -> Profile:
    return _merged(_common_file(), "(có sẵn)")


def union() -> Profile:
    """Every bundled profile's knowledge at once: for finding a header before knowing its system."""
    specs = [s for name, s in bundled().items() if name != COMMON]
    return Profile("*", "mọi mẫu xuất", "(có sẵn)", (*specs, bundled()[COMMON]))


def available(extra: Path | None = None) -> list[Profile]:
    """Every profile: the bundled ones, then an office's own file when given."""
    out = [_merged(spec, "(có sẵn)") for spec in bundled().values()]
    if extra is not None:
        out.append(_merged(read_profile(extra), str(extra)))
    return out


def resolve(name_or_path: str | None) -> Profile | None:
    """``--profile``: a bundled profile's name, or the path of an office's own file (None: detect)."""
    if name_or_path is None:
        return None
    specs = bundled()
    if name_or_path in specs:
        return _merged(specs[name_or_path], "(có sẵn)")
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        return _merged(read_profile(path), str(path))
    raise UsageError(f"--profile {name_or_path!r}: không có mẫu xuất này; có sẵn: {', '.join(specs)} "
                     "(hoặc đường dẫn tới tệp .yaml của đơn vị)")


def detect(labels: Sequence[str], candidates: Sequence[Profile] | None = None) -> tuple[Profile, int]:
    """The profile whose signature headers the labels hold most (at least its ``min``); else common."""
    keys = {_signature_key(x) for x in labels if x}
    best, best_hits = common(), 0
    for profile in candidates if candidates is not None else available():
        sig = profile.layers[0].detect
        if sig is None or profile.name == COMMON:
            continue
        hits = len(keys & {_signature_key(h) for h in sig.headers})
        if hits >= sig.min and hits > best_hits:
            best, best_hits = profile, hits
    return best, best_hits


# ------------------------------------------------------------------ the common words

def _common(kind: str) -> Vocabulary:
    return common().vocabulary(kind)


def parse_flag(value: object) -> object:
    """Có/Không, Đã/Chưa, x/blank, 1/0, True/False, "Đã thanh toán"... -> True/False."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value == value and value not in (0, 1):
        return INVALID
    return _common("flag").code(value)


def common_parser(kind: str) -> Parser:
    """A categorical field's parser in the words every export shares (its profile's, not needed)."""
    def parse(value: object) -> object:
        return _common(kind).code(value)

    parse.__name__ = f"parse_{kind}"
    return parse


parse_channel = common_parser("channel")  # text or code 1/2/3 -> online/direct/postal; empty is direct (§2)
parse_status = common_parser("status")
parse_timing = common_parser("timing")
parse_level = common_parser("level")
parse_rating = common_parser("rating")
parse_secrecy = common_parser("secrecy")
parse_direction = common_parser("direction")


# A categorical field's value in the words every export shares (the target files' filters).
PARSERS: dict[str, Parser] = {
    "flag": parse_flag,
    "channel": parse_channel,
    "status": parse_status,
    "timing": parse_timing,
    "level": parse_level,
    "rating": parse_rating,
    "secrecy": parse_secrecy,
    "direction": parse_direction,
}
