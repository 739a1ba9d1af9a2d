"""`ttkhc init`: a target file for one unit and year, written from an existing plan.

A commune's plan is the same document every year with its own name, its year, its dates and a
few thresholds changed. The new file keeps the base plan's indicators, rules and legal bases,
puts in the unit, issuer, level, year, title and place, moves Appendix II deadlines that are
dates to the new year, and says in Vietnamese comments what a plan usually changes (targets,
bases). The text is written here, key by key, because comments are the point of the file; every
value is written as a JSON string (a valid YAML double-quoted scalar), so no value can change
meaning when read back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from ttkhc_cli.domain import units
from ttkhc_cli.domain.errors import UsageError
from ttkhc_cli.domain.folding import fold
from ttkhc_cli.kpi import describe
from ttkhc_cli.kpi.plan import Indicator, LoadedTargets, Plan, TargetFile, Task, parse_plan

LEVELS = {  # the level word of a unit's name → the plan's level
    "xã": "xã", "phường": "xã", "thị trấn": "xã", "đặc khu": "xã",
    "huyện": "huyện", "quận": "huyện", "thị xã": "huyện", "thành phố": "huyện", "tỉnh": "tỉnh",
}


@dataclass(frozen=True)
class NewPlan:
    """What `ttkhc init` is told of the unit."""

    unit: str
    level: str  # a level word: xã, phường, thị trấn, huyện, quận, thị xã, thành phố, tỉnh
    year: int
    district: str | None = None
    province: str | None = None


def level_word(text: str) -> str:
    """The level as typed ("Xã", "thi tran", "TỈNH") → its word; a usage error otherwise."""
    folded = fold(text)
    for word in LEVELS:
        if fold(word) == folded:
            return word
    raise UsageError(f"--level {text!r} không hợp lệ; dùng một trong: {', '.join(LEVELS)}")


def check_level(unit: str, word: str) -> None:
    """A unit named with its level ("UBND xã …") and another --level is a slip: said, not guessed."""
    own = units.level_of(unit_name(unit, word))
    if own is not None and LEVELS.get(own) != LEVELS[word]:
        raise UsageError(f"--level {word} không khớp tên đơn vị {unit!r} (cấp {own}): bỏ --level hoặc sửa tên")


def unit_name(unit: str, word: str) -> str:
    """The unit as plans name it: "Đắk Rơ Va" or "xã Đắk Rơ Va" → "UBND xã Đắk Rơ Va"."""
    name = units.display(" ".join(unit.split()))
    folded = fold(name)
    if folded.startswith(("ubnd ", "uy ban nhan dan ")):
        return name
    if units.level_of(name) and folded.startswith(fold(units.level_of(name) or "")):
        return f"UBND {name[:1].lower()}{name[1:]}"
    return f"UBND {word} {name}"


def build(new: NewPlan, base: LoadedTargets, today: dt.date | None = None) -> str:
    """The new target file's text (validated before it is returned)."""
    word = level_word(new.level)
    unit = unit_name(new.unit, word)
    own = units.level_of(unit) or word
    old = base.file.plan
    plan = old.model_copy(update={
        "unit": unit, "issuer": f"Ủy ban nhân dân {own} {units.place_of(unit)}", "unit_level": LEVELS[own],
        "year": new.year, "district": new.district or None, "province": new.province or None,
        "place": units.place_of(unit), "number": None, "date": None, "implements": None,
        "title": _moved(_renamed(old.title, old, unit, own), old.year, new.year),
    })
    tasks = [_task(t, old, unit, own, new.year) for t in base.file.tasks]
    inds = [i.model_copy(update={**{k: _renamed(getattr(i, k), old, unit, own) for k in ("lead", "support")},
                                 "basis": _province_renamed(_renamed(i.basis, old, unit, own), new.province)})
            for i in base.file.indicators]
    made = base.file.model_copy(update={"plan": plan, "tasks": tasks, "indicators": inds})
    text = render(made, base.path, old, today or dt.date.today())
    parse_plan(text, "(tệp mới)")  # never hand out a file that `targets check` would refuse
    return text


def _renamed(text: str | None, old: Plan, unit: str, own: str) -> str | None:
    """The base unit's place replaced by the new one's, and "UBND xã" by the new level's."""
    if not text:
        return text
    out = text.replace(old.unit, unit).replace(units.place_of(old.unit), units.place_of(unit))
    old_word = units.level_of(old.unit) or old.unit_level
    if old_word != own:
        out = re.sub(rf"\b(UBND|Ủy ban nhân dân|ủy ban nhân dân) {old_word}\b", rf"\1 {own}", out)
    return out


_PROVINCE = re.compile(r"\btỉnh((?: [A-ZĐ][^\s,.;:()]*)+)")


def _province_renamed(text: str | None, province: str | None) -> str | None:
    """A basis that names the base plan's province ("tại tỉnh Kon Tum") names the new one's: a
    commune of another province must not print its neighbour's name."""
    if not text or not province:
        return text
    name = re.sub(r"^(?i:tỉnh)\s+", "", province.strip())
    return _PROVINCE.sub(f"tỉnh {name}", text)


def _moved(text: str | None, old_year: int, year: int) -> str | None:
    """Dates and years of the base plan's year moved to the new year ("20/2/2024" → "20/2/2025",
    "Tháng 02/2024", "năm 2024"); a 29/02 that the new year lacks becomes 28/02."""
    if not text or old_year == year:
        return text

    def day(m: re.Match[str]) -> str:
        d, sep, mo = m.group(1), m.group(2), m.group(3)
        try:
            dt.date(year, int(mo), int(d))
        except ValueError:
            d = "28" if int(mo) == 2 else d
        return f"{d}{sep}{mo}{sep}{year}"

    out = re.sub(rf"\b(\d{{1,2}})([/.-])(\d{{1,2}})\2{old_year}\b", day, text)
    return re.sub(rf"(?<!\d){old_year}(?!\d)", str(year), out)


def _task(t: Task, old: Plan, unit: str, own: str, year: int) -> Task:
    """The task in the new year; its deadline as data, read from its (moved) printed timing."""
    fields = ("group", "content", "lead", "support", "output", "timing")
    moved = t.model_copy(update={k: _moved(_renamed(getattr(t, k), old, unit, own), old.year, year) for k in fields})
    if t.deadline is not None and t.deadline.due is not None and old.year != year:
        due = t.deadline.due
        try:
            shifted = due.replace(year=due.year + year - old.year)
        except ValueError:  # 29/02 in a year without it
            shifted = due.replace(year=due.year + year - old.year, day=28)
        return moved.model_copy(update={"deadline": t.deadline.model_copy(update={"due": shifted})})
    if t.deadline is None:
        return moved.model_copy(update={"deadline": moved.due(year)})
    return moved


# ------------------------------------------------------------------ the text


def _v(value: Any) -> str:
    """A value as YAML: strings double-quoted (JSON escapes are YAML's), numbers and booleans bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


HEADER = """\
# Tệp chỉ tiêu của {unit}: {title}.
# Lập bằng "ttkhc init" ngày {today:%d/%m/%Y} từ {base}.
#
# Tệp này là Phụ lục I (chỉ tiêu) và Phụ lục II (nhiệm vụ) của kế hoạch, ghi thành dữ liệu. Hãy đối chiếu
# với kế hoạch đã ban hành của đơn vị: thường phải sửa chỉ tiêu giao (target), căn cứ (basis) và
# nhiệm vụ (tasks); cách tính (count) chỉ sửa khi kế hoạch tính khác. Sửa xong, kiểm tra bằng:
#     ttkhc targets check <tệp này>
# rồi dùng: ttkhc compute <sổ hồ sơ> --targets <tệp này> (hoặc để tệp trong thư mục làm việc với tên
# ke-hoach-{year}.yaml: công cụ tự tìm).
#
# Cách tính một chỉ tiêu (khóa "count"):
#   source       nguồn: cases (sổ theo dõi hồ sơ), feedback (sổ phản ánh, kiến nghị), documents (sổ văn bản),
#                manual (số liệu nhập tay bằng --inputs).
#   period_by    ngày đưa một hồ sơ vào kỳ: received (tiếp nhận), completed (có kết quả), resolved (giải
#                quyết xong), none (số liệu nhập tay).
#   denominator  mẫu số: các hồ sơ được tính, là một điều kiện trên các trường của sổ;
#   numerator    tử số: các hồ sơ của mẫu số đạt yêu cầu.
# Điều kiện: so sánh (= != > >= < <=), in [...], is empty, contains "...", and/or/not.
"""


def render(f: TargetFile, base: str, old: Plan, today: dt.date) -> str:
    p = f.plan
    out = [HEADER.format(unit=p.unit, title=p.title, today=today, base=base, year=p.year)]
    out += ["plan:",
            "  # Đơn vị ban hành kế hoạch và đơn vị thực hiện, như trên văn bản.",
            f"  issuer: {_v(p.issuer)}", f"  unit: {_v(p.unit)}",
            "  # Cấp của đơn vị: xã (cả phường, thị trấn), huyện hoặc tỉnh.",
            f"  unit_level: {_v(p.unit_level)}"]
    out += ["  # Cơ quan cấp trên và địa danh: in ở đầu Biểu 06 và dòng «…, ngày … tháng … năm …»."]
    out += [f"  district: {_v(p.district)}"] if p.district else ["  # district: \"huyện …\""]
    out += [f"  province: {_v(p.province)}"] if p.province else ["  # province: \"tỉnh …\""]
    out += [f"  place: {_v(p.place)}", f"  year: {p.year}", f"  title: {_v(p.title)}",
            "  # Số, ngày ban hành kế hoạch và kế hoạch cấp trên mà kế hoạch này thực hiện: điền khi đã ký.",
            "  # number: \"…/KH-UBND\"", f"  # date: {p.year}-02-15",
            "  # implements: \"Kế hoạch số …/KH-UBND ngày … của …\"" + (
                f"   (kế hoạch gốc: {old.implements})" if old.implements else ""),
            "  # Kỳ báo cáo: calendar (tháng, quý theo lịch) hoặc nd09 (Nghị định 09/2019: ngày 15 đến ngày 14).",
            f"  window: {_v(p.window)}",
            "  # Phản ánh, kiến nghị không ghi hạn xử lý thì hạn là bấy nhiêu ngày làm việc sau khi tiếp nhận.",
            f"  feedback_deadline_days: {p.feedback_deadline_days}", ""]
    out += ["# Ngày nghỉ mà thư viện holidays chưa biết (năm mới): ngày nghỉ thêm, thứ Bảy làm bù. Ví dụ:",
            "#   extra_holidays: [2025-01-27]   working_days: [2025-02-08]",
            "calendar:",
            f"  extra_holidays: [{', '.join(d.isoformat() for d in f.calendar.extra_holidays)}]",
            f"  working_days: [{', '.join(d.isoformat() for d in f.calendar.working_days)}]", ""]
    out += _timing(f) + _procedures(f) + _reporting(f) + _sections(f) + _indicators(f) + _tasks(f)
    return "\n".join(out) + "\n"


def _timing(f: TargetFile) -> list[str]:
    t = f.timing
    out = ["# Cách xét đúng hạn: so sánh ngày giờ (datetime) hay chỉ ngày (date); thời điểm kết thúc là ngày có",
           "# kết quả (processing) hay ngày trả (handover); ngày gia hạn thay ngày hẹn (replace) hay không (ignore);",
           "# thời gian chờ công dân bổ sung: clock_stops (ngừng tính), request hoặc clock_runs (vẫn tính).",
           "timing:", f"  compare: {_v(t.compare)}", f"  end: {_v(t.end)}", f"  extension: {_v(t.extension)}",
           f"  waiting: {_v(t.waiting)}"]
    if t.max_supplements is not None:
        out.append(f"  max_supplements: {t.max_supplements}")
    if t.supplements_late != "always":
        out.append(f"  supplements_late: {_v(t.supplements_late)}")
    if t.open_end != "day":
        out.append(f"  open_end: {_v(t.open_end)}")
    return out + [""]


def _flow(values: dict[str, Any]) -> str:
    """A mapping on one line: {name: "Đăng ký khai sinh", processing_days: 1}."""
    return "{" + ", ".join(f"{k}: {_v(v)}" for k, v in values.items()) + "}"


def _flow_list(key: str, items: list[Any], comment: list[str]) -> list[str]:
    """A commented list of one-line mappings (the procedures, the reporting duties)."""
    if not items:
        return comment + [f"{key}: []", ""]
    return comment + [f"{key}:"] + [f"  - {_flow(i.model_dump(exclude_none=True))}" for i in items] + [""]


def _reporting(f: TargetFile) -> list[str]:
    return _flow_list("reporting", f.reporting, [
        "# Chế độ báo cáo định kỳ của kế hoạch: tên, nơi nhận, kỳ (month, quarter, half, year), hạn gửi là",
        "# ngày due_day của tháng cuối kỳ (window: nd09, kỳ số liệu từ ngày 15 tháng trước đến ngày 14) hoặc",
        "# của tháng sau kỳ (window: calendar). ttkhc tasks in lịch báo cáo từ đây."])


def _procedures(f: TargetFile) -> list[str]:
    return _flow_list("procedures", f.procedures, [
        "# Thủ tục mà sổ không ghi thời hạn giải quyết (processing_days: số ngày làm việc, để tính ngày hẹn",
        "# khi thiếu) hoặc không trả kết quả là giấy tờ (returns_document: false, bỏ khỏi chỉ tiêu kết quả",
        "# điện tử). Ví dụ:  - {name: \"Đăng ký khai sinh\", processing_days: 1}"])


def _sections(f: TargetFile) -> list[str]:
    out = ["# Các mục của Phụ lục I, như kế hoạch in.", "sections:"]
    for s in f.sections:
        out += [f"  - id: {_v(s.id)}", f"    title: {_v(s.title)}"]
    return out + [""]


def _indicators(f: TargetFile) -> list[str]:
    out = ["# Phụ lục I: các chỉ tiêu. Mỗi năm kế hoạch thường đổi chỉ tiêu giao (target: op là >=, =, <=…;",
           "# value là phần trăm; text là chữ như kế hoạch in) và căn cứ (basis); sửa cho đúng kế hoạch của đơn vị.",
           "indicators:"]
    for i in f.indicators:
        out += [f"  # {i.id} — {i.short_name}. {_how(i)}"]
        out += [f"  - id: {_v(i.id)}", f"    section: {_v(i.section)}", f"    name: {_v(i.name)}"]
        for key in ("short", "formula", "lead", "support"):
            value = getattr(i, key)
            if value is not None:
                out.append(f"    {key}: {_v(value)}")
        out.append(f"    unit: {_v(i.unit)}")
        target = f"op: {_v(i.target.op)}, value: {_v(i.target.value)}"
        if i.target.text is not None:
            target += f", text: {_v(i.target.text)}"
        out.append(f"    target: {{{target}}}   # chỉ tiêu giao: sửa theo Phụ lục I của kế hoạch")
        if i.basis is not None:
            out += ["    # căn cứ: chép từ kế hoạch gốc; kế hoạch năm mới thường dẫn văn bản mới, sửa cho đúng",
                    f"    basis: {_v(i.basis)}"]
        if i.applies_to is not None:
            out += ["    # cấp đơn vị mà chỉ tiêu áp dụng; đơn vị cấp khác thấy «không áp dụng»",
                    f"    applies_to: [{', '.join(_v(x) for x in i.applies_to)}]"]
        c = i.count
        out += ["    count:", f"      source: {_v(c.source)}", f"      period_by: {_v(c.period_by)}"]
        for key in ("denominator", "numerator"):
            value = getattr(c, key)
            if value is not None:
                out.append(f"      {key}: {_v(value)}")
        out.append("")
    return out


def _how(i: Indicator) -> str:
    """The indicator's rule in one Vietnamese sentence, as a comment over it."""
    return describe.sentence(i).replace("\n", " ")


def _tasks(f: TargetFile) -> list[str]:
    out = ["# Phụ lục II: nhiệm vụ kiểm soát TTHC (nội dung, chủ trì, phối hợp, sản phẩm, thời gian). Thời hạn",
           "# là ngày của năm kế hoạch gốc đã được dời sang năm mới; đối chiếu với kế hoạch đã ban hành.",
           "# deadline: hạn dưới dạng dữ liệu, đọc từ thời gian (timing): kind date/month/quarter (due: ngày hết",
           "# hạn), recurring (every: continuous, monthly, quarterly, yearly), trigger (chờ văn bản), plan",
           "# (theo kế hoạch). Sửa deadline nếu công cụ đọc sai; tình trạng từng nhiệm vụ ghi trong tệp riêng",
           "# (ttkhc tasks --tasks nhiem-vu.yaml)."]
    if not f.tasks:
        return out + ["tasks: []"]
    out.append("tasks:")
    for t in f.tasks:
        first = True
        for key, value in t.model_dump(exclude_none=True).items():
            shown = _flow(value) if isinstance(value, dict) else _v(value)  # the deadline on one line
            out.append(f"  {'- ' if first else '  '}{key}: {shown}")
            first = False
    return out
