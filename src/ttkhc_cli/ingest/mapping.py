"""Mapping an export's headers to canonical fields by what they mean, with every decision shown.

A header names a field exactly (an alias of the file's export profile, or of the common one),
or by its words: "Ngày, tháng, năm" over "Nhận hồ sơ" holds a date word and the phrase "nhận
hồ sơ", so it is the received date; "receiveDate" and "NgayHenTraKetQua" are split into words
first. A column the user maps with ``--columns`` always wins. When two columns could be one
field, the choice is deterministic (how the header was recognised, then how well the column's
values read, then the column order) and the other is shown as a duplicate. A date header whose
cells hold no dates is not taken for a date: OpenCPS's "Hạn xử lý" holds timing text and is read
as such.

The words have roles, all kept as data in the profiles: abbreviations are written out ("KQ"),
a head word is read with what qualifies it ("Trạng thái ký số" is not the status), modifiers
turn a field ("(dự kiến)" makes a return date the appointment), an hour column joins its date,
a day count is a timing. The cells then confirm each reading (``_check_*``), on the table's
own rows only (notes and signatures below it aside), and a column nobody names may still be
read by its cells (``_by_content``). See docs/exports.md, "An export the tool has never seen".
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain.errors import UsageError
from ttkhc_cli.ingest import dates, vocab
from ttkhc_cli.ingest import profiles as P
from ttkhc_cli.ingest.dates import parse_dates
from ttkhc_cli.io import yamlfile
from ttkhc_cli.io.table import RawTable

# How a column was recognised, strongest first (the order decides between two columns).
# The strongest recognition first. A file's presence (a link to the result file) outranks a flag
# of the same field: the formula document counts an electronic result by its attached file.
RULES = ("override", "presence", "alias", "part", "timing-columns", "day-count", "meaning", "content", "hour")
SAMPLE = 200
DAY_WORDS = ("ngay", "date", "datetime")  # a header with one of these and an hour word is a date-time
MAX_HEADER_WORDS = 16  # a header is a few words; a longer cell is a note or a whole line


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
    order: str | None = None  # a date column's order (dmy, mdy, ymd)
    mixed: bool = False  # a date column whose values are written in both orders (the fewer are errors)
    other: str | None = None  # the field the other header row names, when two header rows disagree
    examples: tuple[str, ...] = ()  # a set-aside column's first distinct cells, to be shown
    strength: int = 0  # a meaning's phrase length: "Hẹn trả vào ngày" names the appointment more surely than "… hạn …"


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
    given: dict[tuple[str, str], tuple[str, str]] = {}  # (log, header key) -> (field, header as written)
    for name, headers in data["columns"].items():
        at = f"{path}:{lines.get(('columns', name), '?')}: columns → {name}"
        if name not in known:
            raise UsageError(f"{at}: không có trường này")
        values = headers if isinstance(headers, list) else [headers]
        if not values or any(h is None or not str(h).strip() for h in values):
            raise UsageError(f"{at}: cần tiêu đề cột như trong tệp, ví dụ {name}: \"Ngày nhận HS\"")
        for h in values:
            for source, fields in F.FIELDS.items():
                if not any(f.name == name for f in fields):
                    continue
                other = given.setdefault((source, P.header_key(h)), (str(name), str(h)))
                if other[0] != name:
                    raise UsageError(f"{at}: tiêu đề «{h}» đã gán cho {other[0]} («{other[1]}»); một cột chỉ là "
                                     "một trường: bỏ một trong hai")
        out[str(name)] = [str(h) for h in values]
    return out


@dataclass(frozen=True)
class Hit:
    field: str
    rule: str
    layer: int = 0
    role: str | None = None
    strength: int = 0  # for a meaning: how many of the header's words its phrase covers


_Starts = dict[str, list[tuple[int, tuple[str, ...], tuple[str, ...]]]]  # abbreviations by first word


class Matcher:
    """What each header of one log means, under one export profile and the user's --columns."""

    def __init__(self, profile: P.Profile, source: str, overrides: dict[str, list[str]] | None = None,
                 date_order: str | None = None):
        self.profile, self.source = profile, source
        self._words: dict[str, tuple[str, ...]] = {}
        self.date_order = date_order  # --date-order: every date column's order, not inferred
        self.kinds = {f.name: f.kind for f in F.FIELDS[source]}
        self.forced = {P.header_key(h): name for name, heads in (overrides or {}).items()
                       if name in self.kinds for h in heads}
        self.ignored = profile.ignored(source)
        self.timing = profile.timing_columns(source)
        self.short = profile.abbreviations
        self.filler = profile.filler_words
        self.day_counts = profile.day_counts(source)
        self.marked_short = profile.marked_abbreviations
        self._short_starts, self._marked_starts = _starts(self.short), _starts(self.marked_short)
        # Modifiers and day counts compare with diacritics when the header has them ("kết quả hạn"
        # holds no "quá hạn"): each phrase kept both ways.
        self.modifiers = [(_both(m.words), _both(m.unless), m.turns) for m in profile.modifiers(source)]
        self.counts = tuple(_both(getattr(self.day_counts, k)) for k in ("count", "late", "early"))
        self.compounds = profile.compounds
        self.layers: list[dict[str, Hit]] = []
        meanings: list[tuple[tuple[str, ...], str, int]] = []
        # (head words, the words that may qualify it, whether it stands alone, field, layer)
        self.heads: list[tuple[tuple[str, ...], frozenset[str], bool, str, int]] = []
        for layer, specs in enumerate(profile.column_specs(source)):
            table: dict[str, Hit] = {}
            for name, spec in specs:
                for rule, heads in (("alias", spec.aliases), ("presence", spec.presence), ("part", spec.parts)):
                    for h in heads:
                        table.setdefault(P.header_key(h), Hit(name, rule, layer))
                        # and written out: "Mã HS TTHC" is the alias "Mã hồ sơ TTHC"
                        table.setdefault("".join(self.words(h)), Hit(name, rule, layer))
                table.setdefault(P.header_key(name), Hit(name, "alias", layer))
                meanings += [(P.words_of(m), name, layer) for m in spec.meaning if P.words_of(m)]
                qualifiers = frozenset(w for q in spec.of for w in P.words_of(q))
                self.heads += [(P.words_of(h), qualifiers, spec.bare, name, layer) for h in spec.heads if P.words_of(h)]
            self.layers.append(table)
        for f in F.FIELDS[source]:  # the field's own label and name always name it
            self.layers[-1].setdefault(P.header_key(f.label), Hit(f.name, "alias", len(self.layers) - 1))
        # Phrases by their first word, so that a header is matched in one pass over its words.
        self.meanings: dict[str, list[tuple[tuple[str, ...], str, int]]] = {}
        for phrase, name, layer in meanings:
            self.meanings.setdefault(phrase[0], []).append((phrase, name, layer))
        self.hour_words = tuple(tuple(w.split()) for w in profile.hour_words)
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
            self._hits[key] = self._turned(self._hit(label, group), label, group)
        return self._hits[key]

    def words(self, text: str) -> tuple[str, ...]:
        """A header's folded words with its abbreviations written out ("Ngày TN" → ngay tiep nhan);
        each text worked out once (the header search asks for the same labels row after row)."""
        found = self._words.get(text)
        if found is None:
            words = P.words_of(text)
            found = _expand(words, self._short_starts) if self.short else words
            if len(self._words) > 50_000:
                self._words.clear()
            self._words[text] = found
        return found

    def marked(self, text: str) -> tuple[tuple[str, ...], bool]:
        """A header's words as compared with modifiers: with diacritics when it has them (then
        abbreviations are written out with theirs), folded when it was typed without."""
        if text.isascii():
            return self.words(text), False
        return _expand(P.marked_words_of(text), self._marked_starts, marked=True), True

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
        if not any(ch.isalpha() for ch in label) and not any(ch.isalpha() for ch in group or ""):
            return None  # a date, a number, a code of digits: a data cell the header search asks about
        hour = self._hour(label, group)  # "Hạn trả (giờ)": the hour, though "Hạn trả" is an alias
        if hour is not None:
            return hour
        # Abbreviations written out: "Ngày nhận HS" is the alias "Ngày nhận hồ sơ".
        keys += [k for k in ("".join(self.words(_bare(v))) for v in variants) if k and k not in keys]
        for table in self.layers:
            for k in keys:
                if k in table:
                    return table[k]
        key = P.header_key(_bare(label))
        if key in self.timing:
            return Hit("timing_reported", "timing-columns", role=self.timing[key])
        return self._days(label, group) or self._meaning(label, group)

    def _hour(self, label: str, group: str | None) -> Hit | None:
        """The hour of a date in its own column: "Giờ tiếp nhận", or "Giờ" under "Hẹn trả". It
        names the date field the same header with "Ngày" would name."""
        words = self.words(label)
        for hour in self.hour_words:
            if _contains(words, hour):
                at = next(i for i in range(len(words)) if words[i:i + len(hour)] == hour)
                rest = words[:at] + words[at + len(hour):]
                if any(w in rest for w in DAY_WORDS):
                    return None  # "Ngày, giờ hẹn trả": a date and its hour in one column
                day = " ".join(words[:at] + ("ngay",) + words[at + len(hour):])
                found = self._hit(day, group)
                if found is not None and self.kinds.get(found.field) == "date":
                    return Hit(found.field, "hour", found.layer)
        return None

    def _turned(self, hit: Hit | None, label: str, group: str | None) -> Hit | None:
        """A modifier anywhere in the header (its group and notes included) turns the field:
        "Ngày trả kết quả (theo quy định)" is the appointment, not the return."""
        if hit is None or hit.rule in ("override", "ignored") or not self.modifiers:
            return hit
        field = self._turn(hit.field, self.marked(f"{group or ''} {label}"))
        return None if not field else (hit if field == hit.field else replace(hit, field=field))

    def _turn(self, field: str, header: tuple[tuple[str, ...], bool]) -> str:
        """The field a header's modifiers make of ``field`` ("" for none)."""
        words, marked = header
        for phrases, unless, turns in self.modifiers:
            if field in turns and _any_in(words, phrases, marked, self.compounds) \
                    and not _any_in(words, unless, marked, self.compounds):
                return turns[field]
        return field

    def _days(self, label: str, group: str | None) -> Hit | None:
        """A number of days late (or early): "Số ngày quá hạn", "Số ngày sớm (-)/trễ (+) hạn"."""
        words, marked = self.marked(f"{group or ''} {label}")
        count, late_words, early_words = self.counts
        late = _any_in(words, late_words, marked, self.compounds)
        early = _any_in(words, early_words, marked, self.compounds)
        # "Trễ so với phiếu hẹn": lateness itself, no count word and no date (its cells decide).
        alone = late and not early and not any(w in self.date_words for w in P.words_of(f"{group or ''} {label}"))
        if not _any_in(words, count, marked) and not alone:
            return None
        if not (late or early):
            return None
        # Both words: a signed count (early below zero, late above), read as days late.
        return Hit("timing_reported", "day-count", role="late_days" if late else "early_days")

    def field_of(self, label: str, group: str | None = None) -> str | None:
        """The field a header names (for finding the header row); None for none or an ignored one."""
        h = self.hit(label, group)
        return h.field if h is not None and h.field else None

    def _meaning(self, label: str, group: str | None) -> Hit | None:
        words = self.words(f"{group or ''} {_bare(label)}")
        # A date word anywhere, its notes in brackets included: "Tiếp nhận (ngày)".
        full = self.words(f"{group or ''} {label}")
        dated = any(full[i:i + len(w)] == w for i, word in enumerate(full) for w in self.date_words.get(word, ()))
        found = self._phrases(words, dated)
        # A longer phrase takes its words: in "Ngày trả cho người nộp", "nộp" belongs to "người
        # nộp" (the applicant), not to the submission date.
        taken: set[int] = set()
        spans: set[tuple[int, int]] = set()
        best: dict[str, tuple[int, int, int]] = {}  # field -> (length, -layer, -start)
        for i, n, name, layer in sorted(found, key=lambda x: (-x[1], x[0])):
            span = set(range(i, i + n))
            if span & taken and (i, n) not in spans:  # the same words for two fields stay a tie
                continue
            taken |= span
            spans.add((i, n))
            score = (n, -layer, -i)
            best[name] = max(best.get(name, score), score)
        if len(best) > 2 or len(words) > MAX_HEADER_WORDS:
            return None  # a run-on text naming many fields (a whole line read as one cell) names none
        # A code field's phrase followed by another field's is about that other thing: "Hình thức
        # nộp lệ phí" is how the fee is paid, not the dossier's channel.
        for name in [n for n in best if self.kinds.get(n) in ("channel", "status")]:
            if any(-other[2] > -best[name][2] for o, other in best.items() if o != name):
                del best[name]
        for name, (n, layer) in self._headed(self.words(_bare(label)) if group else words):
            best[name] = max(best.get(name, (n, layer, 0)), (n, layer, 0))
        if dated and _starts_dated(words, self.date_words):
            # A header that starts "Ngày …" names a date (or a number of days): "Ngày sinh người
            # nộp" is not the applicant, "Ngày nộp lệ phí" not the fee.
            best = {n: v for n, v in best.items() if self.kinds.get(n) in ("date", "number", "timing")}
        if self.modifiers and len(best) > 1:  # "Ngày trả kết quả hạn chót": both name the appointment
            marked = self.marked(f"{group or ''} {label}")
            turned: dict[str, tuple[int, int, int]] = {}
            for name, score in best.items():
                name = self._turn(name, marked) or name
                turned[name] = max(turned.get(name, score), score)
            best = turned
        if not best:
            return None
        top = max(v[0] for v in best.values())
        names = sorted((n for n, v in best.items() if v[0] == top), key=lambda n: -best[n][2])
        if len(names) > 1 and best[names[0]][2] == best[names[1]][2]:
            return None  # two fields fit the same words equally: not guessed
        # Equally long phrases at different places: the first is the head ("Mã số HS TTHC").
        return Hit(names[0], "meaning", -best[names[0]][1], strength=best[names[0]][0])

    def _phrases(self, words: tuple[str, ...], dated: bool) -> list[tuple[int, int, str, int]]:
        """Every meaning phrase found in the words: (start, length, field, layer)."""
        found = []
        for i, word in enumerate(words):
            for phrase, name, layer in self.meanings.get(word, ()):
                if words[i:i + len(phrase)] == phrase and (dated or self.kinds.get(name) != "date"):
                    found.append((i, len(phrase), name, layer))
        return found

    def named(self, header: str) -> set[str]:
        """The fields whose phrases a header holds, whatever its date words (for the cells' rule)."""
        return {name for _, _, name, _ in self._phrases(self.words(_bare(header)), True)}

    def dated_field(self, header: str) -> str | None:
        """The date field a header's words name, read as a date's header (its cells are dates)."""
        words = self.words(_bare(header))
        best = [(len(p), name) for i, w in enumerate(words) for p, name, _ in self.meanings.get(w, ())
                if self.kinds.get(name) == "date" and words[i:i + len(p)] == p]
        if not best:
            return None
        top = max(n for n, _ in best)
        names = {name for n, name in best if n == top}
        return names.pop() if len(names) == 1 else None

    def _headed(self, words: tuple[str, ...]) -> list[tuple[str, tuple[int, int]]]:
        """Fields a head word names with what qualifies it; a head qualified by other words
        ("Trạng thái gửi bưu điện") names nothing: the modifier decides."""
        out = []
        for head, qualifiers, bare, name, layer in self.heads:
            n = len(head)
            at = next((i for i in range(len(words) - n + 1) if words[i:i + n] == head), None)
            if at is None:
                continue
            rest = [w for w in words[:at] + words[at + n:] if w not in self.filler]
            if any(w not in qualifiers for w in rest) or (not bare and not rest):
                continue
            out.append((name, (n + len(rest), -layer)))
        return out

    def suggest(self, label: str) -> str | None:
        table = {k: h.field for layer in self.layers for k, h in layer.items()}
        close = difflib.get_close_matches(P.header_key(label), list(table), n=1, cutoff=0.85)
        return table[close[0]] if close else None


Phrases = tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


def _both(phrases: list[str]) -> Phrases:
    """Each phrase as folded words and as words with diacritics."""
    return tuple((P.words_of(p), P.marked_words_of(p)) for p in phrases if P.words_of(p))


def _any_in(words: tuple[str, ...], phrases: Phrases, marked: bool,
            compounds: frozenset[tuple[str, ...]] = frozenset()) -> bool:
    """Whether a phrase occurs in the words; typed without diacritics, not starting inside a
    compound ("ket qua han" holds no "qua han")."""
    for folded, with_marks in phrases:
        phrase = with_marks if marked else folded
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if words[i:i + n] == phrase and (marked or not i or tuple(words[i - 1:i + 1]) not in compounds):
                return True
    return False


def _expand(words: tuple[str, ...], starts: _Starts, marked: bool = False) -> tuple[str, ...]:
    """Words with their abbreviations written out. The table's keys are folded short words; in
    ``marked`` words (lowercase, not folded) a word typed with diacritics is never one. Where two
    abbreviations start at one word, the table's first wins."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for short, long in _candidates(words[i], starts, marked):
            window = words[i:i + len(short)]
            if window == short or (marked and len(window) == len(short) and all(w.isascii() for w in window)
                                   and P.words_of(" ".join(window)) == short):
                out += long
                i += len(short)
                break
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


def _starts(table: dict[tuple[str, ...], tuple[str, ...]]) -> _Starts:
    """A table of abbreviations by its first short word, each entry with its place in the table:
    a header's word is compared with the few that can start there, not with every entry."""
    index: _Starts = {}
    for n, (short, long) in enumerate(table.items()):
        if short:
            index.setdefault(short[0], []).append((n, short, long))
    return index


def _candidates(word: str, starts: _Starts, marked: bool) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The abbreviations that may start at ``word``, in the table's order. A marked word typed
    without diacritics is also compared folded."""
    found = list(starts.get(word, ()))
    if marked and word.isascii():
        folded = P.words_of(word)
        if folded and folded[0] != word:
            found = sorted(set(found) | set(starts.get(folded[0], ())))
    return [(short, long) for _, short, long in found]


def _starts_dated(words: tuple[str, ...], date_words: dict[str, list[tuple[str, ...]]]) -> bool:
    """Whether a header begins with a date word ("Ngày …", "Thời điểm …", "Date …")."""
    return bool(words) and any(words[:len(w)] == w for w in date_words.get(words[0], ()))


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return bool(n) and any(words[i:i + n] == phrase for i in range(len(words) - n + 1))


def _bare(label: str) -> str:
    """A header without a parenthetical note: "Phí (đồng)" -> "Phí"."""
    import re

    return re.sub(r"\([^)]*\)", " ", label).strip() or label


class Cells:
    """Where a table lies in a stack of tables of one header (see ``io.table.stack``), with the
    stack's date readings made once for all of them: each table is mapped as if read alone, its
    content checks judged on its own cells, while the costly parsing runs once per stack column
    (a thousand two-row files, one date parse per column and order, not a thousand)."""

    def __init__(self, data: pd.DataFrame, formats: tuple[str, ...], memo: dict | None = None, start: int = 0):
        self.data, self.formats, self.start = data, formats, start
        self._memo: dict = {} if memo is None else memo  # shared by every table of the stack

    def at(self, start: int) -> Cells:
        """The same stack, for the table whose first row is the stack's row ``start``."""
        return Cells(self.data, self.formats, self._memo, start)

    def readable(self, index: int, order: str | None) -> np.ndarray:
        """Per stack row: whether the cell reads as a date in ``order`` (see ``_readable_dates``)."""
        key = ("dates", index, _readable(order))
        if key not in self._memo:
            self._memo[key] = _readable_dates(self.data[index], self.formats, order)
        return self._memo[key]

    def filled(self, index: int) -> np.ndarray:
        """Per stack row: whether the cell holds something (not blank, not spaces)."""
        key = ("filled", index)
        if key not in self._memo:
            self._memo[key] = _filled(self.data[index])
        return self._memo[key]

    def readable_codes(self, index: int, kind: str, name: str, parse: Callable[[object], object]
                       ) -> tuple[np.ndarray, np.ndarray]:
        """Per stack row, the code of its cell (-1: none); per code, whether ``parse`` (the
        reader of ``kind`` for field ``name``) reads it."""
        key = ("codes", index, kind, name)
        if key not in self._memo:
            codes, uniques = pd.factorize(self.data[index], use_na_sentinel=True)
            self._memo[key] = (codes, np.array([parse(v) is not vocab.INVALID for v in uniques], dtype=bool))
        return self._memo[key]

    def order_votes(self, index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per stack row, the code of its text (-1: no value); per code, the day-first and
        month-first votes of ``dates.order_votes``."""
        key = ("order", index)
        if key not in self._memo:
            column = self.data[index]
            filled = column.notna().to_numpy(dtype=bool)
            codes = np.full(len(column), -1, dtype=np.int64)
            found, uniques = pd.factorize(column[filled].astype(str))
            codes[filled] = found
            self._memo[key] = (codes, *dates.order_votes(pd.Series(uniques, dtype=object)))
        return self._memo[key]


def map_headers(raw: RawTable, matcher: Matcher, cells: Cells | None = None) -> list[Mapped]:
    """Decide the field of every column of a raw table (see the module's docstring); ``cells``
    when the table is one of a stack's (its cells' readings are the stack's, made once)."""
    out: list[Mapped] = []
    for i, (label, letter) in enumerate(zip(raw.labels, raw.letters)):
        label = (label or "").strip()
        group = raw.groups[i] if i < len(raw.groups) else None
        header = raw.header(i).strip() if label else ""
        if not P.header_key(label):
            out.append(Mapped(i, header, letter, None, "blank"))
            continue
        hit = matcher.hit(label, group)
        other = None
        own = bool(group) and all(j < 0 or j >= len(raw.groups) or raw.groups[j] != group for j in (i - 1, i + 1))
        if group and own and hit is not None and hit.rule not in ("override", "ignored"):
            hit, other = _two_labels(raw, i, hit, matcher.hit(group), matcher.hit(label), matcher, cells)
        if hit is None:
            out.append(Mapped(i, header, letter, None, "unmapped", matcher.suggest(label)))
        elif hit.rule == "ignored":
            out.append(Mapped(i, header, letter, None, "ignored"))
        else:
            out.append(Mapped(i, header, letter, hit.field, hit.rule, None, hit.role, hit.layer, other=other,
                              strength=hit.strength))
    out = _timing_columns(out)
    rows = _table_rows(raw, out, matcher)
    out = _check_dates(raw, out, matcher, rows, cells)
    out = _check_codes(raw, out, matcher, rows, cells)
    out = _check_counts(raw, out, matcher, rows)
    out = _by_content(raw, out, matcher, rows)
    out = _unused_dates(raw, out, matcher, rows, cells)
    return _one_per_field(raw, out, matcher, rows, cells)


def _two_labels(raw: RawTable, index: int, hit: Hit, upper: Hit | None, lower: Hit | None,
                matcher: Matcher, cells: Cells | None) -> tuple[Hit, str | None]:
    """A column with two labels of its own that each name a field (a Vietnamese row over API keys;
    not a group over several columns, which qualifies them): when
    they name different fields, the cells choose (the kind they read as), then the lower label
    (a program's name is exact); the other is kept to be said, never dropped in silence."""
    if upper is None or lower is None or not upper.field or not lower.field or upper.field == lower.field:
        return hit, None
    column = raw.data[index]

    def fit(h: Hit) -> float:
        kind = matcher.kinds.get(h.field, "text")
        if kind == "date":
            return _date_rate(raw, index, None, matcher.profile.date_formats, None, cells)
        if kind in CODED or kind == "flag":
            return _code_rate(column, _parser(matcher, kind, h.field))
        return 0.5

    chosen = max((lower, upper), key=fit)  # the lower label first on a tie
    return chosen, (upper if chosen is lower else lower).field


def _timing_columns(mapped: list[Mapped]) -> list[Mapped]:
    """Day-count columns count as a set ("Trước hạn | Đúng hạn | Quá hạn"); one alone is a column
    of days late ("Quá hạn (ngày)") or early, and an "on time" column alone says nothing."""
    roles = {m.role for m in mapped if m.rule == "timing-columns"}
    if len(roles) >= 2:
        return mapped
    lone = {"late": "late_days", "early": "early_days"}
    return [(replace(m, rule="day-count", role=lone[m.role]) if m.role in lone
             else replace(m, field=None, rule="unmapped", role=None)) if m.rule == "timing-columns" else m
            for m in mapped]


def _table_rows(raw: RawTable, mapped: list[Mapped], matcher: Matcher) -> np.ndarray:
    """The rows that are the table's, for judging what a column holds: rows with a dossier code
    when the log has a code column, else rows with at least two recognised cells filled. Notes,
    totals and the signature block under a table ("Người lập biểu") are not the table, and a
    sparse date column that shares its rows with them is still a date column."""
    data = raw.data
    n = len(data)
    id_field = F.FIELDS[matcher.source][0].name
    ids = [m for m in mapped if m.field == id_field and m.rule in ("alias", "meaning", "override")]
    if ids:
        return ~_blank_cells(data[ids[0].index])
    cols = [m.index for m in mapped if m.field]
    if not cols:
        return np.ones(n, dtype=bool)
    filled = np.zeros(n, dtype=np.int32)
    for c in cols:
        filled += ~_blank_cells(data[c])
    return filled >= min(2, len(cols))


def _blank_cells(series: pd.Series) -> np.ndarray:
    """Empty cells (no copy of the column's text: this runs over every row)."""
    blank = series.isna().to_numpy(dtype=bool, copy=True)
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        blank |= (series == "").to_numpy(dtype=bool, na_value=True)
    return blank


def _date_rate(raw: RawTable, index: int, rows: np.ndarray | None, formats: tuple[str, ...],
               order: str | None = None, cells: Cells | None = None) -> float:
    """The share of a column's first filled cells (of the table's rows, when given) that read
    as dates: parsed here, or looked up in the stack's readings."""
    if cells is None:
        column = raw.data[index]
        filled = _filled(column)
    else:
        filled = cells.filled(index)[cells.start:cells.start + len(raw.data)]
    if rows is not None:
        filled = filled & rows
    at = np.flatnonzero(filled)[:SAMPLE]
    if not len(at):
        return 1.0
    if cells is None:
        ok = _readable_dates(column.iloc[at].reset_index(drop=True), formats, order)
    else:
        ok = cells.readable(index, order)[cells.start + at]
    return float(ok.mean())


def _filled(column: pd.Series) -> np.ndarray:
    """Per cell, whether it holds something other than spaces."""
    filled = column.notna().to_numpy(dtype=bool, copy=True)
    filled[filled] = (column[filled].astype(str).str.strip() != "").to_numpy(dtype=bool)
    return filled


def _readable_dates(series: pd.Series, formats: tuple[str, ...], order: str | None) -> np.ndarray:
    """Per cell, whether it reads as a date; a date in a year nobody meant (3024) is still a date:
    the column holds dates."""
    found = parse_dates(series.reset_index(drop=True), formats, _readable(order))
    return found.values.notna().to_numpy() | found.implausible


def _readable(order: str | None) -> str:
    return order if order in dates.ORDERS else "dmy"


def _column_code_rate(raw: RawTable, index: int, rows: np.ndarray, kind: str, name: str,
                      parse: Callable[[object], object], cells: Cells | None) -> float:
    """``_code_rate`` of a column's table rows, from the stack's readings when it is one's."""
    if cells is None:
        return _code_rate(raw.data[index][rows], parse)
    codes, ok = cells.readable_codes(index, kind, name, parse)
    own = codes[cells.start:cells.start + len(raw.data)][rows]
    own = own[own >= 0][:SAMPLE]
    return float(ok[own].mean()) if len(own) else 1.0


def _code_rate(series: pd.Series, parse: Callable[[object], object]) -> float:
    sample = series.dropna().head(SAMPLE)
    if sample.empty:
        return 1.0
    counts = sample.value_counts(sort=False, dropna=True)  # each distinct cell parsed once
    good = sum(int(n) for v, n in counts.items() if parse(v) is not vocab.INVALID)
    return float(good / len(sample))


def _orders(raw: RawTable, mapped: list[Mapped], matcher: Matcher, rows: np.ndarray,
            cells: Cells | None) -> list[Mapped]:
    """Each date column's order: the one --date-order gives, else the one its values show; a
    column whose values do not tell follows the file's other date columns (one file is saved
    with one regional setting), else day-first."""
    dated = [m for m in mapped if m.field and matcher.kinds.get(m.field) == "date" and m.rule != "hour"]
    found: dict[int, tuple[str | None, bool]]
    if matcher.date_order:
        found = {m.index: (matcher.date_order, False) for m in dated}
    else:
        found = {m.index: _order(raw, m.index, rows, cells) for m in dated}
    told = {o for o, mixed in found.values() if o is not None and not mixed}
    default = told.pop() if len(told) == 1 else "dmy"
    return [replace(m, order=found[m.index][0] or default, mixed=found[m.index][1]) if m.index in found else m
            for m in mapped]


def _order(raw: RawTable, index: int, rows: np.ndarray, cells: Cells | None) -> tuple[str | None, bool]:
    """A date column's order from the table's rows (``dates.infer_order``), from the stack's
    votes when the table is one of a stack's."""
    if cells is None:
        return dates.infer_order(raw.data[index][rows])
    codes, day_first, month_first = cells.order_votes(index)
    own = codes[cells.start:cells.start + len(raw.data)][rows]
    own = own[own >= 0]
    seen = np.unique(own[::dates.order_step(len(own))])
    if not len(seen):
        return None, False
    return dates.order_of(int(day_first[seen].sum()), int(month_first[seen].sum()))


def _check_dates(raw: RawTable, mapped: list[Mapped], matcher: Matcher, rows: np.ndarray,
                 cells: Cells | None) -> list[Mapped]:
    """A date header whose cells are not dates: timing text is read as timing, anything else is
    left unmapped (a header that only looked like a date's)."""
    formats = matcher.profile.date_formats
    timing = matcher.profile.vocabulary("timing", matcher.source, "timing_reported").code
    out = []
    for m in _orders(raw, mapped, matcher, rows, cells):
        if m.field and m.rule not in ("override", "hour") and matcher.kinds.get(m.field) == "date" \
                and _date_rate(raw, m.index, rows, formats, m.order, cells) < 0.5:
            column = raw.data[m.index][rows]
            if matcher.source == "cases" and _code_rate(column, timing) >= 0.8:
                m = replace(m, field="timing_reported", rule="content", order=None)
            elif "processing_days" in matcher.kinds and _is_days(column):
                # "Thời hạn theo quy định" over "05 ngày làm việc": the time allowed, in days
                m = replace(m, field="processing_days", rule="content", order=None)
            else:
                m = replace(m, field=None, rule="not-dates", suggestion=m.field, order=None)
        out.append(m)
    return out


# Kinds whose cells say whether the header was right: a status column holds statuses.
CODED = ("status", "channel", "timing", "number", "money")
CONTENT = ("status", "timing")  # what a column whose cells contradict its header may hold instead
MAX_CODES = 40  # distinct values a code column may have (more: it is text, not codes)


def _check_codes(raw: RawTable, mapped: list[Mapped], matcher: Matcher, rows: np.ndarray,
                 cells: Cells | None) -> list[Mapped]:
    """A coded header whose cells are not its codes ("Trạng thái" over "Đã gửi", "Chưa gửi") is
    reconsidered: the field its cells are, when they are one, else none (a finding says why)."""
    out = []
    for m in mapped:
        kind = matcher.kinds.get(m.field or "")
        if kind in CODED and m.rule in ("alias", "meaning") and m.role is None:
            parse = _parser(matcher, kind, m.field or "")
            if _column_code_rate(raw, m.index, rows, kind, m.field or "", parse, cells) < 0.5:
                column = raw.data[m.index][rows]
                other = next((k for k in CONTENT if k != kind and _is_codes(column, _parser(matcher, k, k))), None)
                readable = _date_rate(raw, m.index, rows, matcher.profile.date_formats, None, cells)
                dated = matcher.dated_field(m.header) if readable >= 0.8 else None
                flagged = _flag_field(matcher, m.header) if kind == "channel" and _is_flags(column) else None
                if dated:  # "Hạn" over dates: the appointment, not the system's timing
                    m = replace(m, field=dated, rule="content")
                elif flagged:  # "Nộp qua mạng" over ticks: whether the dossier came online
                    m = replace(m, field=flagged, rule="content")
                elif other == "timing" and matcher.source == "cases":
                    m = replace(m, field="timing_reported", rule="content")
                elif other == "status" and "status" in matcher.kinds:
                    m = replace(m, field="status", rule="content")
                else:
                    seen = column.dropna().astype(str).str.strip()
                    shown = tuple(v for v in seen[seen != ""].unique()[:3])
                    m = replace(m, field=None, rule="not-codes", suggestion=m.field, examples=shown)
        out.append(m)
    return out


def _is_days(column: pd.Series) -> bool:
    """Whether a column's cells are numbers of days (15, "05 ngày làm việc"), blanks aside."""
    from ttkhc_cli.ingest.numbers import parse_number
    from ttkhc_cli.ingest.vocab import blank

    cells = [v for v in column.dropna().head(SAMPLE) if not blank(v)]
    days = [parse_number(v) for v in cells]
    good = [d for d in days if isinstance(d, float) and 0 <= d <= 365]
    return len(cells) >= 3 and len(good) >= 0.9 * len(cells)


def _is_flags(column: pd.Series) -> bool:
    """Whether a column's cells are yes/no marks (x, ✓, Có/Không), blanks aside."""
    from ttkhc_cli.ingest.profiles import parse_flag
    from ttkhc_cli.ingest.vocab import blank

    cells = [v for v in column.dropna().head(SAMPLE) if not blank(v)]
    return len(cells) >= 3 and sum(parse_flag(v) is not vocab.INVALID for v in cells) >= 0.9 * len(cells)


def _flag_field(matcher: Matcher, header: str) -> str | None:
    """The channel a header names in words ("Nộp qua mạng": online), as the flag of that channel."""
    code = matcher.profile.vocabulary("channel", matcher.source, "channel").code(header)
    return {"online": "online_flag", "postal": "postal_flag"}.get(code) if isinstance(code, str) else None


def _check_counts(raw: RawTable, mapped: list[Mapped], matcher: Matcher, rows: np.ndarray) -> list[Mapped]:
    """A day-count header whose cells are neither numbers nor ticks ("Ngày quá hạn" over dates)
    is not a day count."""
    from ttkhc_cli.ingest.numbers import parse_number
    from ttkhc_cli.ingest.profiles import parse_flag
    from ttkhc_cli.ingest.vocab import blank

    out = []
    for m in mapped:
        if m.rule == "day-count":
            cells = [v for v in raw.data[m.index][rows].dropna().head(SAMPLE) if not blank(v)]
            words = _parser(matcher, "timing", "timing_reported")
            read = sum(isinstance(parse_number(v), float) or parse_flag(v) is True
                       or words(v) not in (vocab.INVALID, None) for v in cells)
            if cells and read < 0.5 * len(cells):
                m = replace(m, field=None, rule="not-codes", role=None, suggestion="timing_reported",
                            examples=tuple(dict.fromkeys(str(v) for v in cells))[:3])
        out.append(m)
    return out


def _parser(matcher: Matcher, kind: str, name: str) -> Callable[[object], object]:
    if kind in ("number", "money"):
        from ttkhc_cli.ingest.numbers import parse_money, parse_number

        return parse_number if kind == "number" else parse_money
    field = "timing_reported" if kind == "timing" else name
    return matcher.profile.vocabulary(kind, matcher.source, field).code


def _is_codes(series: pd.Series, parse: Callable[[object], object], rate: float = 0.9,
              blank_counts: bool = True, words_only: bool = False) -> bool:
    """Whether a column's cells are codes of one kind: few distinct values, nearly all read (and,
    unless ``blank_counts``, read as a code rather than as the kind's meaning of a blank). With
    ``words_only`` (a column found by its cells alone), cells holding digits are no evidence
    (1, 2, 3 are a system's codes only under its own header), and the cells must say at least two
    different codes."""
    sample = series.dropna()
    sample = sample[sample.astype(str).str.strip() != ""].head(SAMPLE)
    if words_only:
        sample = sample[~sample.astype(str).str.contains(r"\d", regex=True)]
    if len(sample) < 5 or sample.astype(str).nunique() > MAX_CODES:
        return False
    if not blank_counts and sample.astype(str).str.fullmatch(r"[\s\-–—./]*").all():
        return False
    if words_only and len({parse(v) for v in sample.unique()} - {vocab.INVALID, None}) < 2:
        return False
    return _code_rate(sample, parse) >= rate


# A field found by its cells when no header names it, and the fields whose presence makes that moot.
BY_CELLS = {"status": ("status",), "channel": ("channel", "online_flag", "postal_flag")}
# The fields a header may name and still be read by its cells: a channel is how a dossier was
# sent or received ("Gửi bằng"); "Phương thức trả KQ" is about the result, not the dossier.
RELATED = {"status": frozenset(), "channel": frozenset({"submitted_at", "received_at"})}


def _by_content(raw: RawTable, mapped: list[Mapped], matcher: Matcher, rows: np.ndarray) -> list[Mapped]:
    """A log with no status (or channel) header whose unrecognised column holds statuses ("Kết
    quả xử lý": "Đã trả kết quả", "Đang giải quyết") or channels ("Nộp qua": "Trực tuyến",
    "Trực tiếp"): that column is the field."""
    if matcher.source != "cases":
        return mapped
    for name, rivals in BY_CELLS.items():
        if any(m.field in rivals for m in mapped):
            continue
        parse = _parser(matcher, name, name)
        for i, m in enumerate(mapped):
            if m.rule == "unmapped" and not (matcher.named(m.header) - RELATED[name]) \
                    and _is_codes(raw.data[m.index][rows], parse, blank_counts=False, words_only=True):
                mapped = [*mapped[:i], replace(m, field=name, rule="content", suggestion=None), *mapped[i + 1:]]
                break
    return mapped


def _unused_dates(raw: RawTable, mapped: list[Mapped], matcher: Matcher, rows: np.ndarray,
                  cells: Cells | None) -> list[Mapped]:
    """An unrecognised column whose header has a date word and whose cells are dates is said
    ("unused-dates"), not left out in silence: it may be the date an indicator lacks."""
    out = []
    for m in mapped:
        if m.rule == "unmapped" and not m.suggestion:  # one resembling a field is said as such
            words = matcher.words(m.header)
            dated = any(_contains(words, w) for ws in matcher.date_words.values() for w in ws)
            column = raw.data[m.index][rows]
            filled = int((~_blank_cells(column)).sum())
            if dated and filled >= 3 and _date_rate(raw, m.index, rows, matcher.profile.date_formats,
                                                    None, cells) >= 0.8:
                m = replace(m, rule="unused-dates")
        out.append(m)
    return out


def _one_per_field(raw: RawTable, mapped: list[Mapped], matcher: Matcher, rows: np.ndarray,
                   cells: Cells | None) -> list[Mapped]:
    """One column per field (parts of a fee and day-count timing columns are sets); the others are
    duplicates. The strongest recognition wins, then the column whose values read best, then the
    first column."""
    by_field: dict[str, list[Mapped]] = {}
    for m in mapped:
        if m.field:
            by_field.setdefault(m.field, []).append(m)
    keep: set[int] = set()
    for name, cols in by_field.items():
        hours = [m for m in cols if m.rule == "hour"]
        if hours:  # the first hour column goes with the date; another is a duplicate
            keep.add(hours[0].index)
            cols = [m for m in cols if m.rule != "hour"]
            if not cols:
                keep.discard(hours[0].index)  # an hour without its date is no date
                continue
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
        rate = _rater(raw, matcher, name, kind, rows, cells)
        best = min(whole, key=lambda m: (RULES.index(m.rule), m.layer, -m.strength, -rate(m), m.index))
        keep.add(best.index)
    return [m if (m.field is None or m.index in keep) else replace(m, rule="duplicate", suggestion=m.field, field=None)
            for m in mapped]


def _rater(raw: RawTable, matcher: Matcher, name: str, kind: str, rows: np.ndarray,
           cells: Cells | None) -> Callable[[Mapped], float]:
    if kind == "date":
        return lambda m: _date_rate(raw, m.index, rows, matcher.profile.date_formats, m.order, cells)
    if kind in ("flag", "channel", "status", "timing", "level", "rating", "secrecy", "direction"):
        parse = matcher.profile.vocabulary(kind, matcher.source, name).code
        return lambda m: _code_rate(raw.data[m.index][rows], parse)
    return lambda m: 0.0
