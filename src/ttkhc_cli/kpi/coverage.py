"""Findings that depend on the plan: the columns its indicators need, and the system's own timing
judged against the plan's timing rules."""

from __future__ import annotations

from ttkhc_cli.domain import fields as F
from ttkhc_cli.ingest.catalogue import message
from ttkhc_cli.ingest.findings import ERROR, WARNING, Finding
from ttkhc_cli.ingest.log import Log, files_of
from ttkhc_cli.kpi.needs import missing_for
from ttkhc_cli.kpi.plan import TargetFile
from ttkhc_cli.kpi.results import Coverage


def missing_columns(log: Log, targets: TargetFile) -> list[Finding]:
    """Columns the target file's indicators need that the log lacks, naming those indicators."""
    has_days = any(p.processing_days is not None for p in targets.procedures)
    needs: dict[tuple[str, ...], list[str]] = {}
    for ind in _not_fallen_back(targets, log.present, has_days):
        if ind.count.source == log.source:
            for group in missing_for(ind.count, log.present, has_days):
                needs.setdefault(group, []).append(ind.id)
    if log.source == "cases":
        for name in F.ESSENTIAL:
            if name not in log.present and not any(name in g for g in needs):
                needs[(name,)] = []
    out = []
    for group, ids in needs.items():
        labels = " hoặc ".join(F.label(log.source, x) for x in group)
        severity = ERROR if any(x in F.ESSENTIAL for x in group) else WARNING
        what = f"; chỉ tiêu {', '.join(ids)} sẽ là «chưa có dữ liệu»" if ids else ""
        out.append(Finding("missing-column", severity, files_of(log), None, None, None, None, None,
                           message("missing-column", labels=labels, what=what, hint=_looks_like(log, group))))
    return out


def _looks_like(log: Log, group: tuple[str, ...]) -> str:
    """A column of the file that may be the one lacking: one set aside whose header resembles the
    field, or an unused column of dates where a date is lacking."""
    kinds = {f.name: f.kind for f in F.FIELDS[log.source]}
    wants_date = any(kinds.get(x) == "date" for x in group)
    seen = []
    for info in log.files:
        for m in info.mapping:
            if m.field is None and (m.suggestion in group or (wants_date and m.rule == "unused-dates")):
                seen.append(f"cột {m.column} «{m.header}»")
    if not seen:
        return ""
    return f"; có thể là {', '.join(dict.fromkeys(seen[:3]))} của tệp (chỉ định bằng --columns)"


def _not_fallen_back(targets: TargetFile, present: set[str], has_days: bool) -> list:
    """The indicators, less an index indicator's second rule (``"4.2 (ước tính)"``) where its
    first rule can be counted: that rule is not used, so the columns it lacks are not lacking."""
    from ttkhc_cli.kpi.service_index import FALLBACK_SUFFIX

    by_id = {i.id: i for i in targets.indicators}
    out = []
    for ind in targets.indicators:
        main = by_id.get(ind.id.removesuffix(FALLBACK_SUFFIX)) if ind.id.endswith(FALLBACK_SUFFIX) else None
        if main is not None and main.count.source != "manual" and not missing_for(main.count, present, has_days):
            continue
        out.append(ind)
    return out


_ELSEWHERE = {
    "feedback": "cần sổ phản ánh, kiến nghị (--feedback)",
    "documents": "cần sổ văn bản (--documents) hoặc số liệu nhập (--inputs)",
    "manual": "cần số liệu nhập (--inputs)",
}


def coverage(log: Log, targets: TargetFile, others: list[Log] | tuple[Log, ...] = ()) -> list[Coverage]:
    """For each indicator of the plan: whether this log can compute it, and what it lacks.

    What `validate` and `compute --show-mapping` end with, so that an office sees at once that a
    register holding only dates feeds the on-time indicators and nothing else.
    """
    has_days = any(p.processing_days is not None for p in targets.procedures)
    logs = {x.source: x for x in (log, *others)}
    out = []
    for ind in _not_fallen_back(targets, logs[log.source].present, has_days):
        head = {"id": ind.id, "short": ind.short_name, "source": ind.count.source}
        own = logs.get(ind.count.source)
        if own is None:
            out.append(Coverage(**head, computable=False, needs=[], note=_ELSEWHERE.get(ind.count.source, "")))
            continue
        groups = missing_for(ind.count, own.present, has_days)
        needs = [" hoặc ".join(F.label(own.source, x) for x in g) for g in groups]
        out.append(Coverage(**head, computable=not needs, needs=needs,
                            note="cần cột " + "; ".join(needs) if needs else None))
    return out


def coverage_line(rows: list[Coverage]) -> str:
    """The coverage in one plain sentence."""
    able = [r for r in rows if r.computable]
    if not able:
        return "Tệp này không tính được chỉ tiêu nào của kế hoạch."
    if len(able) == len(rows):
        return f"Tệp này tính được đủ {len(rows)} chỉ tiêu của kế hoạch."
    if len(able) <= 4:
        names = "; ".join(f"{r.id} {r.short}" for r in able)
        return f"Tệp này chỉ tính được {len(able)}/{len(rows)} chỉ tiêu: {names}."
    return f"Tệp này tính được {len(able)}/{len(rows)} chỉ tiêu: {', '.join(r.id for r in able)}."
