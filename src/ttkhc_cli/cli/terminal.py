"""Rich rendering for the terminal: the CLI's side of the line, never imported by the library.

Library modules return plain data (dicts, dataclasses); this module turns them into tables.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table
from rich.text import Text

from ttkhc_cli.domain import labels, units

if TYPE_CHECKING:  # the results' models are only annotations here: not loaded for `targets show`
    from ttkhc_cli.kpi.results import (
        ComputeResult,
        Coverage,
        Explanation,
        FileRead,
        FindingOut,
        IndexResult,
        IndicatorResult,
        MappedColumn,
        RowCounts,
        SeverityCounts,
    )


def plan_tasks_table(data: dict[str, Any]) -> Table | None:
    """Appendix II's tasks of a plan: number, content, lead, the deadline as printed and as read."""
    if not data.get("tasks"):
        return None
    table = Table(title="Phụ lục II: nhiệm vụ kiểm soát TTHC", show_lines=False)
    table.add_column("Số", no_wrap=True, justify="right")
    table.add_column("Nhiệm vụ")
    table.add_column("Chủ trì")
    table.add_column("Thời hạn")
    for t in data["tasks"]:
        d = t.get("deadline")
        read = ""
        if d and d.get("due"):
            read = f" → {dt.date.fromisoformat(d['due']):%d/%m/%Y}"
        table.add_row(t["id"], t["content"], t.get("lead") or "", (t.get("timing") or "—") + read)
    return table


def balanced(text: str, width: int) -> str:
    """A centred title in lines of even length: wrapped greedily at the width, its last word
    ("2024") would stand alone on a line of its own."""
    words = text.split()
    if len(text) <= width or not words or max(len(w) for w in words) > width:
        return text  # a word wider than the line (a link): the table wraps it as it can
    lines = -(-len(text) // width)
    while True:
        target = -(-len(text) // lines)
        out, line = [], ""
        for word in words:
            if line and len(line) + 1 + len(word) > max(target, len(word)):
                out.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
        if len(out) <= lines and all(len(x) <= width for x in out):
            return "\n".join(out)
        lines += 1


def plan_table(data: dict[str, Any], width: int = 80) -> Table:
    plan = data["plan"]
    table = Table(title=f"{balanced(plan['title'], width)}\n{plan['issuer']} · năm {plan['year']}",
                  show_lines=False)
    table.add_column("Mã", no_wrap=True)
    table.add_column("Chỉ tiêu")
    table.add_column("Chỉ tiêu giao", no_wrap=True)
    table.add_column("Bộ phận chủ trì")
    table.add_column("Nguồn số liệu")
    for ind in data["indicators"]:
        table.add_row(
            ind["id"], ind["short"], labels.target(ind["target"]), ind["lead"] or "",
            labels.SOURCES.get(ind["source"], ind["source"]),
        )
    return table




RULE_LABELS = {
    "alias": "tên cột", "override": "--columns", "meaning": "nghĩa của tiêu đề", "presence": "có nội dung = có",
    "part": "cộng các cột", "timing-columns": "cột tiến độ (số ngày)", "content": "theo nội dung ô",
    "day-count": "số ngày sớm/trễ hạn", "hour": "giờ của cột ngày",
    "unmapped": "không dùng", "not-dates": "không phải ngày", "not-codes": "ô không khớp tiêu đề",
    "unused-dates": "ngày, không dùng",
    "duplicate": "trùng, không dùng", "ignored": "bỏ qua",
}


def rows_line(rows: RowCounts, noun: str = "dòng") -> str:
    excluded = rows.excluded
    n_ex = sum(excluded.values())
    detail = "; ".join(f"{k}: {labels.count(v)}" for k, v in excluded.items())
    return (f"Đã đọc {labels.count(rows.read)} {noun}: dùng {labels.count(rows.used)}, loại {labels.count(n_ex)}"
            + (f" ({detail})" if detail else ""))


LOG_NOUNS = {
    "cases": "dòng sổ theo dõi hồ sơ",
    "feedback": "dòng sổ phản ánh, kiến nghị",
    "documents": "dòng sổ văn bản",
}


def rows_lines(sources: dict[str, RowCounts]) -> list[str]:
    """The row accounting of every log read."""
    return [rows_line(rows, LOG_NOUNS[name]) for name, rows in sources.items()]


def unit_text(f: FileRead) -> str:
    """A file's unit as the mapping output says it: the name and where it was read."""
    if f.units:
        return f"{len(f.units)} đơn vị theo cột đơn vị"
    if not f.unit:
        return "không ghi"
    return f"{f.unit} ({units.READ_FROM.get(f.unit_from or '', '')})"


def mapping_tables(
    mapping: list[MappedColumn], files: list[FileRead] | None = None, source: str = "cases"
) -> list[Table]:
    """One table per file: column letter, header as printed, the field it feeds and how; the
    title names the export profile the file was read with."""
    from ttkhc_cli.domain.fields import label

    profiles = {(f.file, f.sheet): f.profile_label or f.profile for f in files or []}
    owners = {(f.file, f.sheet): unit_text(f) for f in files or []}
    tables: dict[tuple, Table] = {}
    for m in mapping:
        key = (m.file, m.sheet)
        if key not in tables:
            title = f"Ánh xạ cột: {m.file}" + (f" [{m.sheet}]" if m.sheet else "")
            if profiles.get(key):
                title += f" · mẫu xuất: {profiles[key]}"
            if owners.get(key):
                title += f" · đơn vị: {owners[key]}"
            t = tables[key] = Table(title=title, title_justify="left")
            for h in ("Cột", "Tiêu đề", "Trường", "Cách nhận"):
                t.add_column(h)
        if m.field:
            field = f"{label(source, m.field)} ({m.field})"
        elif m.rule == "duplicate":
            field = f"{label(source, m.suggestion or '')}: đã dùng cột khác"
        elif m.suggestion:
            field = f"gợi ý: {label(source, m.suggestion)} ({m.suggestion})"
        else:
            field = "—"
        tables[key].add_row(m.column, m.header, field, RULE_LABELS.get(m.rule, m.rule))
    return list(tables.values())


def findings_summary(counts: SeverityCounts, by_code: dict[str, int]) -> str:
    from ttkhc_cli.ingest.catalogue import CATALOGUE

    codes = ", ".join(f"{CATALOGUE[c].title if c in CATALOGUE else c}: {n}"
                      for c, n in sorted(by_code.items(), key=lambda kv: -kv[1]))
    return f"Lỗi: {counts.error} · Cảnh báo: {counts.warning}" + (f" ({codes})" if codes else "")


def findings_table(findings: list[FindingOut], limit: int) -> list[Any]:
    """The findings grouped by file (its path once, then its findings), kinds and levels in
    Vietnamese; text wraps between words, never inside one."""
    from ttkhc_cli.ingest.catalogue import CATALOGUE

    parts: list[Any] = []
    by_place: dict[tuple[str, str], list[FindingOut]] = {}
    for f in findings[:limit]:
        by_place.setdefault((f.file or "(cả sổ)", f.sheet or ""), []).append(f)
    for (file, sheet), found in by_place.items():
        table = Table(title=f"Tệp: {file}" + (f" [{sheet}]" if sheet else ""), title_justify="left",
                      box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
        table.add_column("Mức", no_wrap=True)
        table.add_column("Dòng", justify="right", no_wrap=True)
        table.add_column("Cột", no_wrap=True)
        table.add_column("Giá trị", max_width=16)
        table.add_column("Nội dung", ratio=1)
        for f in found:
            style = "red" if f.severity == "error" else "yellow"
            entry = CATALOGUE.get(f.code)
            kind = f"{entry.title}: " if entry else ""
            table.add_row(Text(labels.SEVERITY.get(f.severity, f.severity), style=style),
                          "" if f.row is None else str(f.row), f.column or "",
                          Text("" if f.value is None else str(f.value)), Text(f"{kind}{f.message}"))
        parts.append(table)
    return parts


STATUS_STYLES = {"pass": "bold green", "fail": "bold red", "no_data": "yellow", "not_applicable": "dim"}


def vn_date(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",") + "%"


def period_text(p: Any) -> str:
    """A period as every screen names it: in Vietnamese, with the code to type after --period in
    brackets ("Quý I năm 2024 [2024-Q1]"); a span of dates or of the whole data by its label."""
    import re

    from ttkhc_cli.domain.periods import Period, vietnamese

    if p.window in ("all", "dates") or not re.fullmatch(r"\d{4}(-(\d{2}|Q[1-4]|H[12]))?", p.label):
        return p.label
    return f"{vietnamese(Period(p.label, p.start, p.end, 'calendar'))} [{p.label}]"


def period_line(result: ComputeResult) -> str:
    p = result.period
    window = "" if p.window == "all" else ", " + labels.WINDOWS.get(p.window, p.window)
    return (
        f"{result.unit or result.targets.unit} · Kỳ: {period_text(p)} ({vn_date(p.start)}–{vn_date(p.end)}{window})"
        f" · Tính đến ngày {vn_date(result.as_of)}"
    )


def indicators_table(indicators: list[IndicatorResult], title: str | None = None) -> Table:
    """The indicator table for an 80-column screen: the name gets the room, the figures never
    wrap, and notes go below the table (by indicator) instead of a mostly empty column."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    table.add_column("Mã", no_wrap=True)
    table.add_column("Chỉ tiêu", ratio=1, min_width=14)
    table.add_column("Kết quả", justify="right", no_wrap=True)
    table.add_column("Tử/mẫu", justify="right", no_wrap=True)
    table.add_column("Giao", no_wrap=True)
    table.add_column("Đánh giá", no_wrap=True)
    for i in indicators:
        label, style = labels.STATUS[i.status], STATUS_STYLES[i.status]
        ratio = labels.ratio(i.numerator, i.denominator)
        table.add_row(i.id, i.short, percent(i.value), ratio, labels.target(i.target), Text(label, style=style))
    return table


def notes_lines(indicators: list[IndicatorResult]) -> list[str]:
    """The notes under the table, by indicator: why there is no figure, what a failing one lacks."""
    out = []
    for i in indicators:
        said = [x for x in (i.note, i.gap.text if i.gap else None) if x]
        if said:
            out.append(f"{i.id}: " + "; ".join(said))
    return out


def group_matrix(result: ComputeResult, width: int) -> list[Table]:
    """Groups across, indicators down, each cell the figure coloured by its verdict: one table for
    all departments (split into several when they do not fit the screen)."""
    assert result.groups is not None
    items = result.groups.items
    shown = [k for k, ind in enumerate(result.indicators)
             if any(g.indicators[k].status in ("pass", "fail") for g in items)]
    per = max(1, (width - 30) // 11)
    tables = []
    for start in range(0, len(items), per):
        chunk = items[start:start + per]
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold",
                      title=f"Theo {BY_WORDS.get(result.groups.by, result.groups.by)}" if start == 0 else None,
                      title_justify="left")
        table.add_column("Chỉ tiêu", ratio=1, min_width=12)
        for g in chunk:
            table.add_column(g.key, justify="right", max_width=10, overflow="fold")
        for k in shown:
            ind = result.indicators[k]
            cells: list[Any] = [f"{ind.id} {ind.short}"]
            for g in chunk:
                x = g.indicators[k]
                cells.append(Text(percent(x.value), style=STATUS_STYLES[x.status]))
            table.add_row(*cells)
        tables.append(table)
    return tables


BY_WORDS = {"department": "bộ phận", "procedure": "thủ tục", "field": "lĩnh vực", "officer": "cán bộ xử lý",
            "file": "tệp", "month": "tháng", "unit": "đơn vị", "province": "tỉnh"}


def footer_lines(result: ComputeResult, pointer: str = "ttkhc validate") -> list[str]:
    lines = rows_lines(result.sources)
    f = result.findings
    if f and (f.error or f.warning):
        lines.append(f"Kiểm tra dữ liệu: {labels.count(f.error)} lỗi, {labels.count(f.warning)} cảnh báo "
                     f"(xem chi tiết bằng: {pointer})")
    lines.append(f"Tổng hợp: {labels.status_counts(i.status for i in result.indicators)}")
    return lines


def coverage_table(rows: list[Coverage]) -> Table:
    """Each indicator of the plan: computable from this file, or what it needs."""
    table = Table(title="Chỉ tiêu tính được từ tệp này", title_justify="left")
    for h in ("Mã", "Chỉ tiêu", "Tính được", "Cần thêm"):
        table.add_column(h)
    for r in rows:
        ok = Text("có", style="green") if r.computable else Text("không", style="yellow")
        table.add_row(r.id, r.short, ok, r.note or "")
    return table


def profiles_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Mẫu xuất (profile) có thể dùng với --profile", title_justify="left")
    for h in ("Tên", "Hệ thống, mẫu sổ", "Nhận ra khi tiêu đề có", "Nguồn"):
        table.add_column(h)
    for r in rows:
        table.add_row(
            r["name"], r["title"], ", ".join(r["detect"][:6]) + (" …" if len(r["detect"]) > 6 else ""), r["origin"]
        )
    return table


# A dossier's timing in a narrow column: the two pending cases must stay apart.
SHORT_TIMING = {"đang giải quyết trong hạn": "đang, trong hạn", "đang giải quyết quá hạn": "đang, quá hạn"}


def explain_parts(result: Explanation, limit: int, width: int = 80) -> list[Any]:
    """The indicator's figure, its gap, then its dossiers (capped), one table per file: on an
    80-column screen the row number, code, procedure and dates stay readable (every field is in
    the CSV and JSON)."""
    i = result.indicator
    ratio = "" if i.denominator is None else f" ({labels.ratio(i.numerator, i.denominator)})"

    p = result.period
    when = period_text(p)
    x = result.index
    if x is not None:
        parts: list[Any] = [f"{i.id} {i.short}: {percent(x.rate)}{ratio} · {points(x.points)}/{points(x.max_points)} "
                            f"điểm, đủ điểm khi từ {points(x.full_at)}% · {when}"]
        if x.what_if is not None:
            parts.append(f"Nếu {x.what_if.text}.")
    else:
        parts = [f"{i.id} {i.short}: {percent(i.value)}{ratio}, chỉ tiêu {labels.target(i.target)}, "
                 f"{labels.STATUS[i.status]} · {when}"]
    if i.gap is not None and x is None:
        parts.append(f"Cần làm: {i.gap.text}.")
    words = labels.row_words(i.source)
    what = "trong mẫu số" if result.which == "all" else "trong mẫu số mà không đạt tử số"
    parts.append(f"{labels.count(result.count)} {words['noun']} {what}" + (":" if result.count else "."))
    # A document's or a feedback's own text stands where a dossier's procedure would.
    shown = [d if d.procedure or not d.summary else d.model_copy(update={"procedure": d.summary})
             for d in result.dossiers[:limit]]
    places: dict[tuple[str | None, str | None], list[Any]] = {}
    for d in shown:
        places.setdefault((d.file, d.sheet), []).append(d)
    wide = width >= 128  # room for the department and the appointment too
    has = {k: any(getattr(d, k) for d in shown) for k in ("procedure", "department", "due_at", "timing")}
    has["department"] &= wide
    has["due_at"] &= wide
    for (file, sheet), rows in places.items():
        # The procedure (or text) takes the room the other columns leave, up to the screen's width.
        table = Table(title=f"{file}" + (f" [{sheet}]" if sheet else ""), title_justify="left", box=None,
                      pad_edge=False, header_style="bold", expand=has["procedure"], width=width - 1)
        table.add_column("Dòng", justify="right", no_wrap=True, min_width=4)
        table.add_column("Mã" if i.source == "cases" else words["id"], no_wrap=True, overflow="ellipsis",
                         max_width=26)
        if has["procedure"]:
            table.add_column(words["what"], no_wrap=True, overflow="ellipsis", ratio=1, min_width=12)
        if has["department"]:
            table.add_column("Bộ phận", no_wrap=True, overflow="ellipsis", max_width=16)
        table.add_column(words["date"], no_wrap=True, min_width=10)
        if has["due_at"]:
            table.add_column("Hẹn trả", no_wrap=True, min_width=10)
        if has["timing"]:
            table.add_column("Tiến độ", no_wrap=True, overflow="ellipsis", max_width=15)
        if result.which == "all":
            table.add_column("Tử số", no_wrap=True, min_width=5)
        for d in rows:
            cells = ["" if d.row is None else str(d.row), d.id or ""]
            if has["procedure"]:
                cells.append(d.procedure or "")
            if has["department"]:
                cells.append(d.department or "")
            cells.append((d.received_at or "")[:10])
            if has["due_at"]:
                cells.append((d.due_at or "")[:10])
            if has["timing"]:
                cells.append(SHORT_TIMING.get(d.timing or "", d.timing or ""))
            if result.which == "all":
                cells.append("có" if d.in_numerator else "không")
            table.add_row(*cells)
        parts.append(table)
    if result.count > limit:
        parts.append(f"… và {labels.count(result.count - limit)} {words['noun']} khác "
                     "(dùng --limit, --format csv hoặc json để xem đủ)")
    return parts


# ------------------------------------------------------------------ the service index (QĐ 766)

def points(value: float | None) -> str:
    """Points as Vietnamese write them: 19,69; 6; 0,50."""
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".replace(".", ",")


def index_parts(result: IndexResult, width: int = 80) -> list[Any]:
    """`ttkhc index` on screen: the indicators under their groups with rate and points, the
    months (when several), the total with what it covers, the what-if list and the notes."""

    p = result.period
    label = period_text(p)
    d = result.definition
    parts: list[Any] = [
        d.short + (f" · {result.unit}" if result.unit else ""),
        f"Kỳ: {label} ({vn_date(p.start)}–{vn_date(p.end)}) · Tính đến ngày {vn_date(result.as_of)}",
        _index_table(result),
    ]
    if result.months:
        parts.append(_months_table(result))
    head, _, rest = result.total.text.partition("; ")
    parts.append(Text(f"Tổng điểm: {head}", style="bold"))
    if rest:
        parts.append(f"({rest})")
    if any(not g.complete for g in result.groups):
        parts.append("(*) nhóm thiếu số liệu của một số chỉ số: điểm chỉ gồm các chỉ số đã có số liệu.")
    if result.actions:
        parts.append("")
        parts.append("Nên làm trước: số hồ sơ đã tiếp nhận trong kỳ cần đạt thêm để đủ điểm (nhiều điểm nhất cho "
                     "mỗi hồ sơ trước; hồ sơ đã kết thúc quá hạn thì không đổi được):")
        parts += [f"  {n}. {a.id} {a.text}" for n, a in enumerate(result.actions, 1)]
    from ttkhc_cli.kpi.service_index import DENOMINATOR_NOT_ENTERED, NOT_ENTERED
    from ttkhc_cli.kpi.service_index import notes as index_notes

    notes = index_notes(result.indicators)
    missing = [(i.id, i.note) for i in result.indicators if i.kind == "missing" and i.note]
    whole = next((ident for ident, note in missing if note.startswith(NOT_ENTERED)), None)
    part = next((ident for ident, note in missing if DENOMINATOR_NOT_ENTERED in note), None)
    if whole or part:
        examples = ([f"{whole}: {{numerator: 30, denominator: 30}}"] if whole else []) + (
            [f"{part}: {{denominator: 35}}"] if part else [])
        notes.append(f"Số liệu quốc gia nhập bằng --inputs ({'; '.join(examples)}).")
    if notes:
        parts.append("")
        parts.append("Ghi chú:")
        parts += [Text(f"– {line}") for line in notes]
    parts.append("")
    shown_file = "" if d.file == d.id else f", tệp {d.file}"
    parts.append(f"Bộ chỉ số: {d.id} ({d.version}{shown_file}) · {d.basis}")
    parts += rows_lines(result.sources)
    f = result.findings
    if f and (f.error or f.warning):
        parts.append(f"Kiểm tra dữ liệu: {labels.count(f.error)} lỗi, {labels.count(f.warning)} cảnh báo "
                     f"(xem chi tiết bằng: ttkhc validate --definition {result.definition.id})")
    return parts


def _index_table(result: IndexResult) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    table.add_column("Mã", no_wrap=True)
    table.add_column("Chỉ số", ratio=1, min_width=14)
    table.add_column("Tỷ lệ", justify="right", no_wrap=True)
    table.add_column("Tử/mẫu", justify="right", no_wrap=True)
    table.add_column("Điểm", justify="right", no_wrap=True)
    table.add_column("Tối đa", justify="right", no_wrap=True)
    for g in result.groups:
        got = points(g.points) + ("" if g.complete else "*")
        table.add_row("", Text(g.name, style="bold"), "", "", Text(got, style="bold"),
                      Text(points(g.max_points), style="bold"))
        for i in (x for x in result.indicators if x.group == g.id):
            ratio = labels.ratio(i.numerator, i.denominator)
            if i.kind == "entered":
                ratio = f"nhập {ratio}"
            style = "yellow" if i.points is None else ("green" if i.points >= i.max_points else "")
            table.add_row(i.id, i.short, percent(i.rate), ratio, Text(points(i.points), style=style),
                          points(i.max_points))
    return table


def _months_table(result: IndexResult) -> Table:
    """Group points month by month (the portal scores months): months down, so that a year fits;
    with the points each month's figures cover, as months may differ (an entered figure)."""
    table = Table(title="Theo tháng", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  header_style="bold", padding=(0, 1, 0, 0))
    table.add_column("Tháng", no_wrap=True)
    for g in result.groups:
        table.add_column(g.short, justify="right", no_wrap=True)
    table.add_column("Tổng", justify="right", no_wrap=True)
    for m in result.months or []:
        total = f"{points(m.total.points)}/{points(m.total.scored_max)}"
        table.add_row(f"{m.period.start:%m/%Y}", *[points(g.points) for g in m.groups], Text(total, style="bold"))
    return table


TASK_ORDER = ("overdue", "due_soon", "recurring", "trigger", "plan", "upcoming", "unknown", "done")


def tasks_parts(result: Any, everything: bool = False, width: int = 80) -> list[Any]:
    """`ttkhc tasks` on screen: the tasks by standing (overdue first), then the reports due."""
    from ttkhc_cli.kpi.tasks import STANDING_WORDS, next_duties

    parts: list[Any] = [f"Nhiệm vụ Phụ lục II · {result.unit} · năm {result.year}",
                        f"Tính đến ngày {result.as_of:%d/%m/%Y} · sắp đến hạn: trong {result.within} ngày", ""]
    for standing in TASK_ORDER:
        rows = [r for r in result.tasks if r.standing == standing]
        if not rows:
            continue
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True,
                      title=f"{STANDING_WORDS[standing]} ({len(rows)})", title_justify="left",
                      title_style="bold red" if standing == "overdue" else "bold")
        table.add_column("Số", no_wrap=True, justify="right")
        table.add_column("Nhiệm vụ", ratio=3)
        table.add_column("Hạn, tình trạng", ratio=2)
        for r in rows:
            what = (f"[{r.ref}] " if r.ref else "") + r.content + (f" ({r.lead})" if r.lead else "")
            status = r.text + (f"; {r.product}" if r.product else "")
            table.add_row(r.id, what, status)
        parts += [table, ""]
    duties = result.reporting if everything else next_duties(result)
    if duties:
        parts.append("Báo cáo định kỳ" + (" cả năm" if everything else " sắp tới") + ":")
        parts += [f"– {d.text}" for d in duties]
        if not everything:
            parts.append("(cả năm: ttkhc tasks --calendar)")
        if any(d.window == "nd09" for d in duties) and result.window != "nd09":
            parts.append("Kỳ số liệu theo Nghị định 09/2019 (ngày 15 đến ngày 14): lập báo cáo cho đúng kỳ bằng "
                         "ttkhc report … --window nd09.")
    overdue = result.counts.get("overdue", 0)
    parts += ["", f"{overdue} nhiệm vụ quá hạn." if overdue else "Không có nhiệm vụ quá hạn."]
    return parts


WORK_SHOWN = 8  # dossiers shown per officer and kind on screen; the files hold them all
SCREEN_WORDS = {"overdue": "quá hạn", "due_soon": "đến hạn", "late_no_apology": "trễ, chưa xin lỗi",
                "to_complete": "hoàn thiện"}


def worklist_parts(result: Any) -> list[Any]:
    """`ttkhc worklist` on screen: per officer, what falls due, what is overdue, what to complete."""
    from ttkhc_cli.kpi.worklist import KIND_WORDS

    parts: list[Any] = ["Việc cần làm của từng cán bộ" + (f" · {result.unit}" if result.unit else ""),
                        f"Tính đến ngày {result.as_of:%d/%m/%Y} · đến hạn: trong {result.within} ngày làm việc "
                        f"(đến {result.due_by:%d/%m/%Y}) · trễ hạn và chỉ tiêu: "
                        f"{result.period[:1].lower()}{result.period[1:]}", ""]
    if not result.officers:
        parts.append("Không có hồ sơ nào cần làm.")
    for o in result.officers:
        said = ", ".join(f"{labels.count(n)} {KIND_WORDS[k]}" for k, n in o.counts.items())
        parts.append(f"{o.officer}" + (f" ({o.department})" if o.department else "") + f": {said}")
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
        table.add_column("Việc", no_wrap=True)
        table.add_column("Mã hồ sơ", no_wrap=True)
        table.add_column("Hạn", no_wrap=True)
        table.add_column("Cần làm", ratio=1)
        more = 0
        for kind in ("overdue", "due_soon", "late_no_apology", "to_complete"):
            mine = [it for it in o.items if it.kind == kind]
            for it in mine[:WORK_SHOWN]:
                due = f"{it.due_at:%d/%m %H:%M}".replace(" 00:00", "") if it.due_at and kind != "to_complete" else ""
                need = it.indicator or ("xin lỗi người dân" if kind == "late_no_apology" else "giải quyết")
                table.add_row(SCREEN_WORDS[kind], it.id or f"dòng {it.row}", due, need)
            more += max(len(mine) - WORK_SHOWN, 0)
        parts.append(table)
        if more:
            parts.append(f"  … và {labels.count(more)} hồ sơ khác (đủ danh sách: -o THƯ_MỤC hoặc -f csv)")
        parts.append("")
    parts += [f"Lưu ý: {n}" for n in result.notes]
    return parts


def projection_lines(items: list[Any]) -> list[str]:
    """The pace to year end: the indicators that need attention in full, the others in a line."""
    risky = [p for p in items if p.at_risk()]
    fine = [p for p in items if not p.at_risk()]
    out = ["", "Nhịp đến cuối năm (ước tính), các chỉ tiêu cần chú ý:" if risky else "Nhịp đến cuối năm (ước tính):"]
    out += [f"– {p.text}" for p in risky]
    if fine:
        out.append(f"– Giữ nhịp từ đầu năm đến nay là đạt cả năm: {', '.join(p.id for p in fine)} "
                   "(chi tiết: --format json).")
    return out
