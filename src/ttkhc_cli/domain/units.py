"""Units (communes, wards, districts, provinces): how an export names its unit, and when two
names are one unit.

A report carries its unit's name on every page, so the name must be the log's own, never
another commune's. Exports say whose they are in the banner above the header ("UBND XÃ ĐẮK RƠ
VA", "ỦY BAN NHÂN DÂN HUYỆN …" over "UBND XÃ …", "Đơn vị: …") or in a unit column. Names are
compared without diacritics, case, the words "UBND" / "Ủy ban nhân dân" and the level word, so
"UBND xã Đắk Tô Re", "ỦY BAN NHÂN DÂN XÃ ĐẮK TÔ RE" and "Xã Đắk Tô Re" are one unit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ttkhc_cli.domain.folding import fold

# Where a file's unit was read, as every output says it.
READ_FROM = {"banner": "theo tiêu đề tệp", "column": "theo cột đơn vị", "option": "theo --unit"}

# Level words as they fold, longest first (so "thi xa" is not read as "xa"), with their tier:
# 0 commune level, 1 district level, 2 province level. The most local unit of a banner is its own.
LEVELS: dict[str, tuple[str, int]] = {
    "thi tran": ("thị trấn", 0), "dac khu": ("đặc khu", 0), "phuong": ("phường", 0), "xa": ("xã", 0),
    "thi xa": ("thị xã", 1), "thanh pho": ("thành phố", 1), "quan": ("quận", 1), "huyen": ("huyện", 1),
    "tinh": ("tỉnh", 2),
}
_LEVEL_ALT = "|".join(sorted(LEVELS, key=len, reverse=True))
# The body that is the unit: the People's Committee, or its one-stop office.
_BODY = (r"ubnd|uy ban nhan dan|bo phan mot cua|bo phan tiep nhan va tra ket qua|"
         r"trung tam phuc vu hanh chinh cong|trung tam hanh chinh cong")
_NAMED = re.compile(rf"\b(?P<body>{_BODY})(?: cap)? (?P<level>{_LEVEL_ALT}) (?P<name>[a-z0-9].*)$")
# A list's title that ends with the unit without "UBND": "DANH SÁCH HỒ SƠ XÃ ĐẮK RƠ VA", "SỔ THEO DÕI HỒ
# SƠ - XÃ …" ("xã hội", society, is not a commune).
_TITLED = re.compile(rf"^(?:danh sach|so theo doi|bao cao|thong ke|tong hop)\b.*?\b(?:cua |tai )?"
                     rf"(?P<level>{_LEVEL_ALT}) (?P<name>(?!hoi\b)[a-z0-9].*)$")
# "Đơn vị: …", "Cơ quan: …", "Tên đơn vị …", "Đơn vị báo cáo: …": the value after the label.
_LABELLED = re.compile(r"^\s*(?:t[eê]n\s+)?(?:đơn vị|don vi|cơ quan|co quan)(?:\s+(?:báo cáo|bao cao|"
                       r"thực hiện|thuc hien|giải quyết|giai quyet))?\s*[:：\-–]\s*(?P<value>\S.*)$", re.I)
_LABELLED_BARE = re.compile(r"^\s*t[eê]n\s+(?:đơn vị|don vi|cơ quan|co quan)\s+(?P<value>\S.*)$", re.I)
# Where a banner line's unit name ends: a comma, a dash, a bracket, "từ ngày", "năm 2024"…
_NAME_END = re.compile(r"\s*(?:[,;(\[]|\s[-–]\s|\bt[ừu] ng[àa]y\b|\bn[ăa]m \d{4}\b|\bk[ỳy] b[áa]o c[áa]o\b).*$",
                       re.I)
_OFFICE_WORDS = ("ubnd", "uy ban nhan dan", "bo phan mot cua", "bo phan tiep nhan va tra ket qua",
                 "trung tam phuc vu hanh chinh cong", "trung tam hanh chinh cong", "cap")


def key(name: str | None) -> str:
    """A unit's name for comparison: folded, without "UBND"/"Ủy ban nhân dân" (or the one-stop
    office's words) and the level word; "" when nothing is left."""
    text = fold(_NAME_END.sub("", str(name or "")))
    changed = True
    while changed:
        changed = False
        for word in (*_OFFICE_WORDS, *sorted(LEVELS, key=len, reverse=True)):
            if text == word or text.startswith(word + " "):
                text = text[len(word):].strip()
                changed = True
    return text.replace(" ", "")


def same(a: str | None, b: str | None) -> bool:
    """Whether two names are one unit (both must name something)."""
    ka, kb = key(a), key(b)
    return bool(ka) and ka == kb


def level_of(name: str | None) -> str | None:
    """The level word of a unit's name ("xã", "huyện"…), or None when it says none."""
    found = re.search(rf"\b({_LEVEL_ALT})\b", fold(name))
    return LEVELS[found.group(1)][0] if found else None


def tier(name: str | None) -> int | None:
    """0 for a commune-level name, 1 district level, 2 province level, None when unknown."""
    found = re.search(rf"\b({_LEVEL_ALT})\b", fold(name))
    return LEVELS[found.group(1)][1] if found else None


def display(name: str) -> str:
    """A name as a document writes it: "UBND XÃ ĐẮK RƠ VA" → "UBND xã Đắk Rơ Va" (banners are in
    capitals; a name typed in mixed case is kept as typed)."""
    name = " ".join(unicodedata.normalize("NFC", str(name)).split())
    if name != name.upper() or not any(ch.isalpha() for ch in name):
        return name
    words = name.split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        if fold(" ".join(words[i:i + 4])) == "uy ban nhan dan":
            out.append("UBND")  # as plans and reports name a People's Committee
            i += 4
            continue
        if len(words[i:i + 2]) == 2 and fold(" ".join(words[i:i + 2])) in LEVELS:
            out += [w.lower() for w in words[i:i + 2]]
            i += 2
            continue
        w = words[i]
        if fold(w) == "ubnd":
            out.append("UBND")
        elif fold(w) in LEVELS and out:
            out.append(w.lower())
        else:
            out.append(_capitalise(w))
        i += 1
    return " ".join(out)


def _capitalise(word: str) -> str:
    """Capitalise each part of a word ("H'RÊ" → "H'Rê", "KON-RẪY" → "Kon-Rẫy")."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word)


def from_banner(lines: Iterable[str]) -> str | None:
    """The unit a banner names, or None: an explicit "Đơn vị: …" line first, else the most local
    "UBND …" / "Ủy ban nhân dân …" line (a commune's under its district's), the later on a tie."""
    labelled: str | None = None
    best: tuple[int, int, str] | None = None
    for n, line in enumerate(_lines(lines)):
        found = _LABELLED.match(line) or _LABELLED_BARE.match(line)
        if found and labelled is None:
            value = found.group("value")
            value = _named(value) or _NAME_END.sub("", value).strip(" .:")
            if key(value):
                labelled = value
            continue
        name = _named(line)
        if name is not None:
            rank = tier(name)
            candidate = (-(rank if rank is not None else 3), n, name)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if labelled is not None:
        return display(labelled)
    return display(best[2]) if best is not None else None


# A commune's name alone: "Xã Tân Lập", "Phường 3", "THỊ TRẤN ĐẮK TÔ": the level word as written,
# with its diacritics (folded, "Quân sự" and "Quản lý đô thị" read as "quận"), then a capital or
# a digit; "Xã đội", "Xã hội" are departments, and so are "Huyện đoàn", "Tỉnh đoàn" (no bare
# names above the commune).
_BARE = re.compile(r"^(?:xã|phường|thị trấn|đặc khu)\s+(?!(?:đội|hội)\b)(?=\w)", re.I)


def names_unit(cell: str) -> bool:
    """Whether a cell names a unit: "UBND xã …", a one-stop office's "Bộ phận một cửa xã …", or a
    commune's name alone ("Xã Tân Lập", "Phường 3")."""
    text = unicodedata.normalize("NFC", cell.strip())
    found = _BARE.match(text)
    bare = found is not None and (text[found.end()].isupper() or text[found.end()].isdigit())
    return (from_banner([text]) is not None or bare) and tier(text) is not None


def _lines(lines: Iterable[str]) -> list[str]:
    """A banner's lines: a cell's lines, and the parts of a line that spaces or tabs set apart
    ("UBND XÃ …          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" typed in one cell)."""
    out: list[str] = []
    for line in lines:
        for part in str(line).splitlines():
            out += [x.strip() for x in re.split(r"\t|\s{3,}", part) if x.strip()]
    return out


def _named(line: str) -> str | None:
    """A line's "UBND <level> <name>" part, as written in the line, or None."""
    folded, origin = _fold_positions(line)
    found = _NAMED.search(folded)
    if found is None:
        titled = _TITLED.search(folded)
        if titled is None:
            return None
        text = _NAME_END.sub("", line[origin[titled.start("level")]:].strip()).strip(" .:")
        if not key(text):
            return None
        shown = display(text)
        return "UBND " + shown[:1].lower() + shown[1:]
    # A one-stop office's banner names its People's Committee's unit: "UBND xã …".
    committee = found.group("body") in ("ubnd", "uy ban nhan dan")
    text = line[origin[found.start() if committee else found.start("level")]:].strip()
    text = _NAME_END.sub("", text).strip(" .:")
    if not committee:
        shown = display(text)
        text = "UBND " + shown[:1].lower() + shown[1:]
    return text if key(text) else None


def _fold_positions(line: str) -> tuple[str, list[int]]:
    """The line folded character by character, with each folded character's place in the line
    (so a match in the folded text can be cut from the original)."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(line):
        f = fold(ch) or " "
        for c in f:
            chars.append(c)
            origin.append(i)
    text = "".join(chars)
    squeezed: list[str] = []
    places: list[int] = []
    for c, i in zip(text, origin):
        if c == " " and (not squeezed or squeezed[-1] == " "):
            continue
        squeezed.append(c)
        places.append(i)
    return "".join(squeezed), places


def place_of(unit: str) -> str:
    """A unit's place name: "UBND xã Đắk Rơ Va" → "Đắk Rơ Va" (for the date line "Đắk Rơ Va, ngày …")."""
    words = unit.split()
    folded = [fold(w) for w in words]
    i = 0
    if folded[:1] == ["ubnd"]:
        i = 1
    elif folded[:4] == ["uy", "ban", "nhan", "dan"]:
        i = 4
    start = i
    for n in (2, 1):
        if " ".join(folded[i:i + n]) in set(LEVELS):
            i += n
            break
    rest = " ".join(words[i:])
    if rest.isdigit():  # "Phường 3": the place is the ward's whole name
        rest = " ".join(words[start:])
    rest = rest or unit
    return rest[:1].upper() + rest[1:]
