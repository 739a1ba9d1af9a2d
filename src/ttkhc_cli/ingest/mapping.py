"""Mapping an export's headers to canonical fields by what they mean, with every decision shown.

A header names a field exactly (an alias of the file's export profile, or of the common one),
or by its words: "Ngày, tháng, năm" over "Nhận hồ sơ" holds a date word and the phrase "nhận
hồ sơ", so it is the received date; "receiveDate" and "NgayHenTraKetQua" are split into words
first. A column the user maps with ``--columns`` always wins. When two columns could be one
field, the choice is deterministic (how the header was recognised, then how well the column's
values read, then the column order) and the other is shown as a duplicate. A date header whose
cells hold no dates is not taken for a date: OpenCPS's "Hạn xử lý" holds timing text and is read
as such.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain.errors import UsageError
from ttkhc_cli.ingest import profiles as P
from ttkhc_cli.ingest import vocab
from ttkhc_cli.ingest.dates import parse_dates
from ttkhc_cli.io import yamlfile
from ttkhc_cli.io.table import RawTable

# How a column was recognised, strongest first (the order decides between two columns).
# The strongest recognition first. A file's presence (a link to the result file) outranks a flag
# of the same field: the formula document counts an electronic result by its attached file.
RULES = ("override", "presence", "alias", "part", "timing-columns", "meaning", "content")
SAMPLE = 200


@dataclass(frozen=True)
class Mapped:
    index: int  # column position in the raw table
    header: str  # as the user sees it ("Ngày, tháng, năm › Nhận hồ sơ")
    column: str  # Excel column letter
    field: str | None
    rule: str  # one of RULES, or unmapped | not-dates | duplicate | ignored | blank
    suggestion: str | None = None  # for unmapped: a field the header resembles; for duplicate: the field
    role: str | None = None  # a day-count timing column's timing code
    layer: int = 0  # which profile layer recognised it (0: the file's own system)


def read_column_map(path: str | Path | None) -> dict[str, list[str]]:
    """Read a --columns file: canonical field -> header text(s)."""
    if path is None:
        return {}
    try:
        data, lines = yamlfile.read(path, str(path), "tệp ánh xạ cột")
    except yamlfile.YamlFileError as exc:
        raise UsageError(str(exc)) from None
    if not isinstance(data, dict) or set(data) != {"columns"} or not isinstance(data["columns"], dict):
        raise UsageError(f"{path}: tệp ánh xạ cột cần dạng columns: {{received_at: \"Ngày nhận HS\"}}")
    known = {f.name for fs in F.FIELDS.values() for f in fs}
    out: dict[str, list[str]] = {}
    for name, headers in data["columns"].items():
        if name not in known:
            raise UsageError(f"{path}:{lines.get(('columns', name), '?')}: columns → {name}: không có trường này")
        values = headers if isinstance(headers, list) else [headers]
        out[str(name)] = [str(h) for h in values]
    return out


@dataclass(frozen=True)
class Hit:
    field: str
    rule: str
    layer: int = 0
    role: str | None = None


class Matcher:
    """What each header of one log means, under one export profile and the user's --columns."""

    def __init__(self, profile: P.Profile, source: str, overrides: dict[str, list[str]] | None = None):
        self.profile, self.source = profile, source
        self.kinds = {f.name: f.kind for f in F.FIELDS[source]}
        self.forced = {P.header_key(h): name for name, heads in (overrides or {}).items()
                       if name in self.kinds for h in heads}
        self.ignored = profile.ignored(source)
        self.timing = profile.timing_columns(source)
        self.layers: list[dict[str, Hit]] = []
        meanings: list[tuple[tuple[str, ...], str, int]] = []
        for layer, specs in enumerate(profile.column_specs(source)):
            table: dict[str, Hit] = {}
            for name, spec in specs:
                for rule, heads in (("alias", spec.aliases), ("presence", spec.presence), ("part", spec.parts)):
                    for h in heads:
                        table.setdefault(P.header_key(h), Hit(name, rule, layer))
                table.setdefault(P.header_key(name), Hit(name, "alias", layer))
                meanings += [(P.words_of(m), name, layer) for m in spec.meaning if P.words_of(m)]
            self.layers.append(table)
        for f in F.FIELDS[source]:  # the field's own label and name always name it
            self.layers[-1].setdefault(P.header_key(f.label), Hit(f.name, "alias", len(self.layers) - 1))
        # Phrases by their first word, so that a header is matched in one pass over its words.
        self.meanings: dict[str, list[tuple[tuple[str, ...], str, int]]] = {}
        for phrase, name, layer in meanings:
            self.meanings.setdefault(phrase[0], []).append((phrase, name, layer))
        self.date_words: dict[str, list[tuple[str, ...]]] = {}
        for w in profile.date_words:
            self.date_words.setdefault(w.split()[0], []).append(tuple(w.split()))
        self._hits: dict[tuple[str, str | None], Hit | None] = {}

    def hit(self, label: str, group: str | None = None) -> Hit | None:
        """How a header (with the group above it, if any) names a field; None when it names none."""
        key = (label, group)
        if key not in self._hits:
            if len(self._hits) > 50_000:
                self._hits.clear()
            self._hits[key] = self._hit(label, group)
        return self._hits[key]

    def _hit(self, label: str, group: str | None) -> Hit | None:
        variants = [f"{group} {label}", label] if group else [label]
        keys = [P.header_key(v) for v in variants]
        keys += [k for k in (P.header_key(_bare(v)) for v in variants) if k not in keys]
        keys = [k for k in keys if k]
        for k in keys:
            if k in self.forced:
                return Hit(self.forced[k], "override")
        if any(k in self.ignored for k in keys):
            return Hit("", "ignored")
        for table in self.layers:
            for k in keys:
                if k in table:
                    return table[k]
        key = P.header_key(_bare(label))
        if key in self.timing:
            return Hit("timing_reported", "timing-columns", role=self.timing[key])
        return self._meaning(label, group)

    def field_of(self, label: str, group: str | None = None) -> str | None:
        """The field a header names (for finding the header row); None for none or an ignored one."""
        h = self.hit(label, group)
        return h.field if h is not None and h.field else None

    def _meaning(self, label: str, group: str | None) -> Hit | None:
        words = P.words_of(f"{group or ''} {_bare(label)}")
        dated = any(words[i:i + len(w)] == w for i, word in enumerate(words) for w in self.date_words.get(word, ()))
        best: dict[str, tuple[int, int]] = {}
        for i, word in enumerate(words):
            for phrase, name, layer in self.meanings.get(word, ()):
                if words[i:i + len(phrase)] != phrase or (self.kinds.get(name) == "date" and not dated):
                    continue
                score = (len(phrase), -layer)
                best[name] = max(best.get(name, score), score)
        if not best:
            return None
        top = max(best.values())[0]
        names = [n for n, s in best.items() if s[0] == top]
        if len(names) > 1:
            return None  # two fields fit equally: not guessed
        return Hit(names[0], "meaning", -best[names[0]][1])

    def suggest(self, label: str) -> str | None:
        table = {k: h.field for layer in self.layers for k, h in layer.items()}
        close = difflib.get_close_matches(P.header_key(label), list(table), n=1, cutoff=0.85)
        return table[close[0]] if close else None


def _bare(label: str) -> str:
    """A header without a parenthetical note: "Phí (đồng)" -> "Phí"."""
    import re

    return re.sub(r"\([^)]*\)", " ", label).strip() or label


def map_headers(raw: RawTable, matcher: Matcher) -> list[Mapped]:
    """Decide the field of every column of a raw table (see the module's docstring)."""
    out: list[Mapped] = []
    for i, (label, letter) in enumerate(zip(raw.labels, raw.letters)):
        label = (label or "").strip()
        group = raw.groups[i] if i < len(raw.groups) else None
        header = raw.header(i).strip() if label else ""
        if not P.header_key(label):
            out.append(Mapped(i, header, letter, None, "blank"))
            continue
        hit = matcher.hit(label, group)
        if hit is None:
            out.append(Mapped(i, header, letter, None, "unmapped", matcher.suggest(label)))
        elif hit.rule == "ignored":
            out.append(Mapped(i, header, letter, None, "ignored"))
        else:
            out.append(Mapped(i, header, letter, hit.field, hit.rule, None, hit.role, hit.layer))
    out = _timing_columns(out)
    out = _check_dates(raw, out, matcher)
    return _one_per_field(raw, out, matcher)


def _timing_columns(mapped: list[Mapped]) -> list[Mapped]:
    """Day-count columns count only as a set ("Trước hạn | Đúng hạn | Quá hạn"); one alone is not."""
    roles = {m.role for m in mapped if m.rule == "timing-columns"}
    if len(roles) >= 2:
        return mapped
    return [replace(m, field=None, rule="unmapped", role=None) if m.rule == "timing-columns" else m for m in mapped]


def _date_rate(series: pd.Series, formats: tuple[str, ...]) -> float:
    sample = series.dropna()
    sample = sample[sample.astype(str).str.strip() != ""].head(SAMPLE)
    if sample.empty:
        return 1.0
    dates = parse_dates(sample.reset_index(drop=True), formats)
    # A date in a year nobody meant (3024) is still a date: the column holds dates.
    return float((dates.values.notna().to_numpy() | dates.implausible).mean())


def _code_rate(series: pd.Series, parse: Callable[[object], object]) -> float:
    sample = series.dropna().head(SAMPLE)
    if sample.empty:
        return 1.0
    return float(sum(parse(v) is not vocab.INVALID for v in sample) / len(sample))


def _check_dates(raw: RawTable, mapped: list[Mapped], matcher: Matcher) -> list[Mapped]:
    """A date header whose cells are not dates: timing text is read as timing, anything else is
    left unmapped (a header that only looked like a date's)."""
    formats = matcher.profile.date_formats
    timing = matcher.profile.vocabulary("timing", matcher.source, "timing_reported").code
    out = []
    for m in mapped:
        if m.field and m.rule != "override" and matcher.kinds.get(m.field) == "date":
            column = raw.data[m.index]
            if _date_rate(column, formats) < 0.5:
                if matcher.source == "cases" and _code_rate(column, timing) >= 0.8:
                    m = replace(m, field="timing_reported", rule="content")
                else:
                    m = replace(m, field=None, rule="not-dates", suggestion=m.field)
        out.append(m)
    return out


def _one_per_field(raw: RawTable, mapped: list[Mapped], matcher: Matcher) -> list[Mapped]:
    """One column per field (parts of a fee and day-count timing columns are sets); the others are
    duplicates. The strongest recognition wins, then the column whose values read best, then the
    first column."""
    by_field: dict[str, list[Mapped]] = {}
    for m in mapped:
        if m.field:
            by_field.setdefault(m.field, []).append(m)
    keep: set[int] = set()
    for name, cols in by_field.items():
        whole = [m for m in cols if m.rule not in ("part", "timing-columns")]
        if not whole and all(m.rule == "part" for m in cols):
            keep |= {m.index for m in cols}  # phí + lệ phí: added together
            continue
        if not whole:
            keep |= {m.index for m in cols if m.rule == "timing-columns"}
            continue
        if len(whole) == 1:
            keep.add(whole[0].index)
            continue
        kind = matcher.kinds[name]
        rate = _rater(raw, matcher, name, kind)
        best = min(whole, key=lambda m: (RULES.index(m.rule), m.layer, -rate(m), m.index))
        keep.add(best.index)
    return [m if (m.field is None or m.index in keep) else replace(m, rule="duplicate", suggestion=m.field, field=None)
            for m in mapped]


def _rater(raw: RawTable, matcher: Matcher, name: str, kind: str) -> Callable[[Mapped], float]:
    if kind == "date":
        return lambda m: _date_rate(raw.data[m.index], matcher.profile.date_formats)
    if kind in ("flag", "channel", "status", "timing", "level", "rating", "secrecy", "direction"):
        parse = matcher.profile.vocabulary(kind, matcher.source, name).code
        return lambda m: _code_rate(raw.data[m.index], parse)
    return lambda m: 0.0
