"""Appendix II through the year: each control task's deadline and state, and the reporting calendar.

The plan holds the tasks as printed (their timing text) and, where it says so, their deadline
as data; the office keeps their state in a small file of its own (``--tasks nhiem-vu.yaml``):

    tasks:
      "1": {status: xong, done: 2024-02-15, product: Kế hoạch số 12/KH-UBND ngày 15/02/2024}
      "2": {status: đang làm}
      "5": {status: xong, done: 2024-03-30, link: "https://…"}

A task is named by its id (its number in Appendix II order unless the plan gives one). At an
as-of date each task is done, overdue, due soon, upcoming, recurring, waiting for its trigger,
"theo kế hoạch", or of unknown deadline; each periodic report of the plan falls due on a day
for a data window.
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from ttkhc_cli.domain import periods
from ttkhc_cli.domain.errors import UsageError
from ttkhc_cli.domain.folding import fold
from ttkhc_cli.io import yamlfile
from ttkhc_cli.kpi.plan import Deadline, ReportDuty, TargetFile, Task

STATE_WORDS = {  # what an office may write, folded → the state
    "chua lam": "todo", "chua thuc hien": "todo", "chua": "todo",
    "dang lam": "doing", "dang thuc hien": "doing", "dang trien khai": "doing",
    "xong": "done", "da xong": "done", "hoan thanh": "done", "da hoan thanh": "done", "da thuc hien": "done",
}
Standing = Literal["done", "overdue", "due_soon", "upcoming", "recurring", "trigger", "plan", "unknown"]
STANDING_WORDS: dict[str, str] = {
    "done": "Đã xong", "overdue": "Quá hạn", "due_soon": "Sắp đến hạn", "upcoming": "Chưa đến hạn",
    "recurring": "Thường xuyên / định kỳ", "trigger": "Chờ văn bản triển khai", "plan": "Theo kế hoạch",
    "unknown": "Chưa rõ hạn",
}
EVERY_WORDS = {"continuous": "thường xuyên", "monthly": "hằng tháng", "quarterly": "hằng quý", "yearly": "hằng năm"}
_KEYS = {"status", "done", "product", "link", "note"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskState(_Model):
    status: Literal["todo", "doing", "done"] = "todo"
    done: Optional[dt.date] = None
    product: Optional[str] = None
    link: Optional[str] = None
    note: Optional[str] = None


class TaskRow(_Model):
    """One Appendix II task at the as-of date."""

    id: str
    ref: Optional[str]  # the numbering printed in the plan ("II.1 – 2"), where it has one
    section: str
    group: Optional[str]
    content: str
    lead: Optional[str]
    output: Optional[str]
    timing: Optional[str]
    deadline: Optional[Deadline]
    state: Literal["todo", "doing", "done"]
    done: Optional[dt.date]
    product: Optional[str]
    link: Optional[str]
    standing: Standing
    late_done: bool  # done after its deadline
    text: str  # the standing in a Vietnamese phrase: "quá hạn 12 ngày (hạn 19/02/2024)"


class DutyRow(_Model):
    """One periodic report of the plan: its data window and due day."""

    duty: str  # the plan's name of the report ("Báo cáo quý")
    name: str  # this one's ("Báo cáo quý I năm 2024")
    to: str
    period: str
    start: dt.date
    end: dt.date
    due: dt.date
    window: str
    basis: Optional[str]
    standing: Literal["past", "due_soon", "upcoming"]
    text: str  # "Báo cáo quý I: hạn 15/03/2024 (kỳ số liệu 15/12/2023–14/03/2024 theo NĐ 09)"


class TasksResult(_Model):
    """What `ttkhc tasks --format json` prints."""

    plan: str
    unit: str
    year: int
    window: str  # the plan's window (its indicators' periods)
    as_of: dt.date
    within: int
    tasks: list[TaskRow]
    reporting: list[DutyRow]
    counts: dict[str, int]
    # Whether the office's status file was given: without it every task reads as not done, so a
    # past deadline is a question for the office, not a fact a signed report may state.
    tracked: bool = Field(default=True, exclude=True)

    def exit_code(self) -> int:
        """1 when a task is overdue (for CI), else 0."""
        return 1 if self.counts.get("overdue") else 0


def task_id(task: Task, n: int) -> str:
    return task.id or str(n)


def printed_ref(task: Task) -> str | None:
    """The task as the printed plan numbers it: its section and number ("II.1 – 2")."""
    return f"{task.section} – {task.stt}" if task.stt else None


def _keys(plan: TargetFile) -> dict[str, str]:
    """What an office may name a task by in its file, folded: the id, or the printed numbering
    when only one task has it ("II.1 – 2", "II.1-2" and "II.1.2" fold alike)."""
    out: dict[str, str] = {}
    printed: dict[str, set[str]] = {}
    for n, t in enumerate(plan.tasks, start=1):
        ident = task_id(t, n)
        out[fold(ident)] = ident
        if t.stt:
            printed.setdefault(fold(f"{t.section} {t.stt}"), set()).add(ident)
    for form, ids in printed.items():
        if len(ids) == 1 and form not in out:
            out[form] = ids.pop()
    return out


# ------------------------------------------------------------------ the office's tasks file

def load_states(path: str | Path | None, plan: TargetFile) -> dict[str, TaskState]:
    """The state of each task the office's file names, checked against the plan's tasks."""
    if path is None:
        return {}
    shown = str(path)
    data, lines = yamlfile.read_input(path, "tệp nhiệm vụ")
    if data is None:
        return {}
    items = data.get("tasks", data) if isinstance(data, dict) else None
    prefix: tuple = ("tasks",) if isinstance(data, dict) and "tasks" in data else ()
    if not isinstance(items, dict):
        raise UsageError(f"{shown}: cần dạng tasks: {{\"1\": {{status: xong, done: 2024-02-15}}}}")
    known = [task_id(t, n) for n, t in enumerate(plan.tasks, start=1)]
    names = _keys(plan)
    out: dict[str, TaskState] = {}
    problems: list[str] = []
    for key, value in items.items():
        where = f"{shown}:{lines.get((*prefix, key), '?')}: {key}"
        ident = names.get(fold(key))
        if ident is None:
            problems.append(f"{where}: không có nhiệm vụ này trong kế hoạch (có: {', '.join(known)}; xem "
                            "ttkhc targets show)")
            continue
        try:
            out[ident] = _state(value, where)
        except UsageError as exc:
            problems.append(str(exc))
    if problems:
        raise UsageError("\n".join(problems))
    return out


def _state(value: Any, where: str) -> TaskState:
    if isinstance(value, str):
        value = {"status": value}
    if not isinstance(value, dict):
        raise UsageError(f"{where}: cần status (chưa làm, đang làm, xong) và done, product, link, note nếu có")
    unknown = sorted(str(k) for k in set(value) - _KEYS)
    if unknown:
        raise UsageError(f"{where}: khóa {', '.join(unknown)} không dùng được; chỉ có status, done, product, link, "
                         "note")
    status = value.get("status", "xong" if value.get("done") else "chưa làm")
    code = STATE_WORDS.get(fold(str(status)))
    if code is None:
        raise UsageError(f"{where} → status: {status!r} không phải chưa làm, đang làm hoặc xong")
    done = value.get("done")
    if done is not None and not isinstance(done, dt.date):
        try:
            done = periods.parse_date(str(done), "done")
        except UsageError:
            raise UsageError(f"{where} → done: {done!r} không phải một ngày (2024-02-15 hoặc 15/02/2024)") from None
    if code == "done" and done is None:
        raise UsageError(f"{where}: nhiệm vụ đã xong cần ngày xong (done: 2024-02-15)")
    text = {k: (str(value[k]) if value.get(k) is not None else None) for k in ("product", "link", "note")}
    return TaskState(status=code, done=done, **text)


# ------------------------------------------------------------------ the tasks at a date

def task_rows(plan: TargetFile, states: dict[str, TaskState], as_of: dt.date, within: int) -> list[TaskRow]:
    rows = []
    for n, task in enumerate(plan.tasks, start=1):
        ident = task_id(task, n)
        state = states.get(ident, TaskState())
        deadline = task.due(plan.plan.year)
        later = state.status == "done" and state.done is not None and state.done > as_of
        if later:  # done after the as-of date: not done then (a past month is judged as it stood)
            state = state.model_copy(update={"status": "todo"})
        standing, text = _standing(deadline, state, as_of, within)
        if later:
            text += f" (chưa xong tại ngày xét; xong ngày {states[ident].done:%d/%m/%Y})"
        late = bool(state.status == "done" and state.done and deadline and deadline.due and state.done > deadline.due)
        rows.append(TaskRow(
            id=ident, ref=printed_ref(task), section=task.section, group=task.group, content=task.content,
            lead=task.lead, output=task.output, timing=task.timing, deadline=deadline, state=state.status,
            done=state.done, product=state.product, link=state.link, standing=standing, late_done=late, text=text))
    return rows


def _standing(deadline: Deadline | None, state: TaskState, as_of: dt.date,
              within: int) -> tuple[Standing, str]:
    due = deadline.due if deadline is not None else None
    if state.status == "done":
        when = f"xong ngày {state.done:%d/%m/%Y}" if state.done else "xong"
        if due is not None and state.done is not None and state.done > due:
            when += f", sau hạn {due:%d/%m/%Y}"
        return "done", when
    doing = " (đang làm)" if state.status == "doing" else ""
    if deadline is None:
        return "unknown", "chưa rõ hạn" + doing
    if deadline.kind == "recurring":
        return "recurring", EVERY_WORDS[deadline.every or "continuous"] + doing
    if deadline.kind == "trigger":
        return "trigger", "chờ văn bản triển khai" + doing
    if deadline.kind == "plan":
        return "plan", "theo kế hoạch" + doing
    assert due is not None
    days = (due - as_of).days
    if days < 0:
        return "overdue", f"quá hạn {-days} ngày (hạn {due:%d/%m/%Y})" + doing
    if days <= within:
        return "due_soon", ("đến hạn hôm nay" if days == 0 else f"còn {days} ngày") + f" (hạn {due:%d/%m/%Y})" + doing
    return "upcoming", f"hạn {due:%d/%m/%Y}" + doing


# ------------------------------------------------------------------ the reporting calendar

def duty_rows(plan: TargetFile, year: int, as_of: dt.date, within: int) -> list[DutyRow]:
    """Every periodic report of the plan's duties for the year, with its window and due day."""
    out = []
    for duty in plan.reporting:
        window = duty.window or plan.plan.window
        for label, name in _periods(duty, year):
            period = periods.parse_period(label, window)
            due = _due(window, duty.due_day, period)
            days = (due - as_of).days
            standing = "past" if days < 0 else ("due_soon" if days <= within else "upcoming")
            how = " theo NĐ 09" if window == "nd09" else ""
            day = "thứ Bảy " if due.weekday() == 5 else ("Chủ nhật " if due.weekday() == 6 else "")
            text = (f"{name}: hạn {day}{due:%d/%m/%Y} (kỳ số liệu {period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}"
                    f"{how}), gửi {duty.to}")
            out.append(DutyRow(duty=duty.name, name=name, to=duty.to, period=label, start=period.start,
                               end=period.end, due=due, window=window, basis=duty.basis, standing=standing,
                               text=text))
    return sorted(out, key=lambda r: (r.due, r.end - r.start))


def _periods(duty: ReportDuty, year: int) -> list[tuple[str, str]]:
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
    if duty.every == "month":
        return [(f"{year}-{m:02d}", f"{duty.name} {m:02d}/{year}") for m in range(1, 13)]
    if duty.every == "quarter":
        return [(f"{year}-Q{q}", f"{duty.name} {roman[q]} năm {year}") for q in range(1, 5)]
    if duty.every == "half":  # the six-month report (Decree 09: 15/12–14/6); the year's report covers the rest
        return [(f"{year}-H1", f"{duty.name} đầu năm {year}")]
    return [(str(year), f"{duty.name} {year}")]


def _due(window: str, due_day: int, period: periods.Period) -> dt.date:
    """The due day: in the period's last month under the Decree 09 window (the data window ends
    on the 14th), in the month after a calendar period."""
    y, m = period.end.year, period.end.month
    if window == "calendar":
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return dt.date(y, m, min(due_day, calendar.monthrange(y, m)[1]))


def tasks_result(plan_path: str, plan: TargetFile, states: dict[str, TaskState], as_of: dt.date,
                 within: int = 15, tracked: bool = True) -> TasksResult:
    rows = task_rows(plan, states, as_of, within)
    duties = duty_rows(plan, plan.plan.year, as_of, within)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.standing] = counts.get(r.standing, 0) + 1
    return TasksResult(plan=plan_path, unit=plan.plan.unit, year=plan.plan.year, window=plan.plan.window,
                       as_of=as_of, within=within,
                       tasks=rows, reporting=duties, counts=counts, tracked=tracked)


def next_duties(result: TasksResult) -> list[DutyRow]:
    """For each report of the plan, the next one due at the as-of date (none when the year's are past)."""
    seen: dict[str, DutyRow] = {}
    for r in result.reporting:
        if r.standing != "past" and r.duty not in seen:
            seen[r.duty] = r
    return sorted(seen.values(), key=lambda r: r.due)
