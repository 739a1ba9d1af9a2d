"""The target file compiled to SQL: one relational definition every SQL engine runs.

The counting rules (the derived fields at an as-of date: resolved, pending, end, appointment in
working days, timing under the plan's timing rules; each indicator's period basis and filters;
groups) become sqlglot trees over a canonical table per log (``cases``, ``feedback``,
``documents``) and a working-day ``calendar`` table. The trees are written in DuckDB's dialect
and transpiled by sqlglot to Spark, Trino or PostgreSQL. No SQL is assembled from user text:
the fixed parts are our own statements with ``:placeholders``, filled with literals sqlglot
builds and quotes (filter values, dates, procedure names from the target file).

This is the one place the counting rules live: DuckDB runs the plan for every input (a commune's
workbook as a province's dataset), Spark runs the same plan transpiled, and ``ttkhc sql`` prints
it. The rows an officer acts on (``explain``, the worklist, the report's lists) and the timing
checks come from the same derived rows.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp

from ttkhc_cli.domain import codes
from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain.folding import fold
from ttkhc_cli.domain.periods import Period
from ttkhc_cli.kpi import rules as X
from ttkhc_cli.kpi.compute import MISSING_GROUP, group_column
from ttkhc_cli.kpi.plan import Indicator, TargetFile

READ = "duckdb"  # the dialect the trees are written in
FOLDED = "__f"  # suffix of a text field's folded form
# Where each row came from: its file, sheet and Excel row, and ``_pos``, its place in the log as
# read (the order of the files given, then of the rows), so that listed rows keep the log's order.
EXTRA_COLUMNS = {"_file": "VARCHAR", "_sheet": "VARCHAR", "_row": "BIGINT", "_pos": "BIGINT", "unit": "VARCHAR",
                 "province": "VARCHAR"}
_TYPES = {"id": "VARCHAR", "text": "VARCHAR", "date": "TIMESTAMP", "flag": "BOOLEAN", "money": "DOUBLE",
          "number": "DOUBLE"}

def sql_type(kind: str) -> str:
    return _TYPES.get(kind, "VARCHAR")  # categorical codes are text


def parse(sql: str, **values: Any) -> exp.Expr:
    """One of our own statements, its placeholders filled with literal trees (each tree parsed
    once, then copied: the plan is rebuilt for every period and group)."""
    tree = _parsed(sql).copy()
    if not values:
        return tree
    for node in list(tree.find_all(exp.Placeholder)):
        if node.this in values:
            node.replace(values[node.this].copy())
    return tree


@lru_cache(maxsize=512)
def _parsed(sql: str) -> exp.Expr:
    return sqlglot.parse_one(sql, read=READ)


def query(sql: str, **values: Any) -> exp.Select:
    """One of our own SELECT statements, placeholders filled."""
    tree = parse(sql, **values)
    assert isinstance(tree, exp.Select)
    return tree


def lit(value: Any) -> exp.Expr:
    """A Python value as a SQL literal, quoted by sqlglot."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float)):
        return exp.Literal.number(repr(float(value)) if isinstance(value, float) else str(value))
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.strftime("%Y-%m-%d %H:%M:%S")), "TIMESTAMP")
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    return exp.Literal.string(str(value))


def midnight(day: dt.date) -> exp.Expr:
    return lit(dt.datetime(day.year, day.month, day.day))


# ------------------------------------------------------------------ folding text, as domain.folding

@lru_cache(maxsize=1)
def _fold_table() -> tuple[str, str]:
    """Accented Latin letters and the ASCII letter ``fold`` makes of each, for TRANSLATE."""
    src, dst = [], []
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        if unicodedata.category(ch)[0] != "L":
            continue
        folded = fold(ch)
        if len(folded) == 1 and folded.isascii() and folded.isalnum() and folded != ch:
            src.append(ch)
            dst.append(folded)
    return "".join(src), "".join(dst)


def _all_combining(ch: str) -> bool:
    return all(unicodedata.combining(part) for part in unicodedata.normalize("NFD", ch))


@lru_cache(maxsize=1)
def _combining_marks() -> str:
    """A regex class of the characters ``fold`` drops whole: those whose canonical decomposition
    is only combining marks (canonical class not 0).

    A mark that follows no letter it composes with ("kh\u0309ai") survives normalisation; ``fold``
    drops it, so the SQL must drop the very same characters, not turn them into a space.
    """
    ranges: list[list[int]] = []
    combining, decomposition = unicodedata.combining, unicodedata.decomposition
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        # Most characters are neither a mark nor canonically decomposed: two C calls, not an NFD.
        decomposed = decomposition(ch)  # "<…>" a compatibility one, which NFD leaves as it is
        if not combining(ch) and (not decomposed or decomposed.startswith("<")):
            continue
        if not _all_combining(ch):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    parts = (f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return "[" + "".join(parts) + "]"


def folded(column: exp.Expr) -> exp.Expr:
    """Text without diacritics, case, punctuation or extra spaces, like ``fold`` (NULL stays NULL)."""
    frm, to = _fold_table()
    lowered = exp.Lower(this=column)
    unmarked = exp.RegexpReplace(this=lowered, expression=exp.Literal.string(_combining_marks()),
                                 replacement=exp.Literal.string(""), modifiers=exp.Literal.string("g"))
    translated = exp.func("TRANSLATE", unmarked, exp.Literal.string(frm), exp.Literal.string(to))
    spaced = exp.RegexpReplace(this=translated, expression=exp.Literal.string("[^0-9a-z]+"),
                               replacement=exp.Literal.string(" "))
    return exp.Trim(this=spaced)


# ------------------------------------------------------------------ the canonical source tables

def source_select(source: str, present: set[str], table: str) -> exp.Select:
    """Every canonical field of a log, typed; a field the log lacks is a typed NULL, so the rest
    of the plan can name any field."""
    cols = []
    for f in F.FIELDS[source]:
        value: exp.Expr = exp.column(f.name) if f.name in present else exp.Null()
        cols.append(exp.alias_(exp.cast(value, sql_type(f.kind)), f.name))
    names = {f.name for f in F.FIELDS[source]}
    for name, typ in EXTRA_COLUMNS.items():
        if name in names:
            continue
        value = exp.column(name) if name in present else exp.Null()
        cols.append(exp.alias_(exp.cast(value, typ), name))
    return exp.select(*cols).from_(exp.to_table(table))


# ------------------------------------------------------------------ derived fields of a case log

@dataclass(frozen=True)
class CaseContext:
    """What the case derivation needs to know beyond the plan: the log's columns and the as-of date."""

    present: frozenset[str]
    as_of: dt.date
    texts: frozenset[str] = frozenset()  # text fields carried folded, as <name>__f


def _from(query: exp.Expr, source: exp.Expr) -> None:
    """Put ``source`` in the FROM of one of our statements written ``FROM _ AS alias``."""
    table = next(t for t in query.find_all(exp.Table) if t.name == "_")
    alias = table.alias
    table.replace(source.as_(alias) if not isinstance(source, exp.Subquery) else _realias(source, alias))


def _realias(sub: exp.Subquery, alias: str) -> exp.Subquery:
    sub.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))  # ours, built for this query
    return sub


def _b(expr: str, **values: Any) -> exp.Expr:
    """A boolean expression of ours, NULL read as false: a row is in a count or not, never unknown."""
    return exp.func("COALESCE", parse(expr, **values), exp.false())


def _procedures(plan: TargetFile) -> tuple[list[tuple[str, float | None, bool]], list[tuple[str, float | None, bool]]]:
    """The procedures table by folded code and by folded name (the last entry of a key wins)."""
    out = []
    for key in ("code", "name"):
        table: dict[str, int] = {fold(getattr(p, key)): i for i, p in enumerate(plan.procedures) if getattr(p, key)}
        out.append([(k, plan.procedures[i].processing_days, plan.procedures[i].returns_document)
                    for k, i in table.items()])
    return out[0], out[1]


def _values_table(rows: list[tuple[str, float | None, bool]], alias: str) -> exp.Expr:
    tuples = [exp.Tuple(expressions=[exp.Literal.string(k), exp.cast(lit(d), "DOUBLE"), exp.Boolean(this=bool(r))])
              for k, d, r in rows]
    return exp.Values(expressions=tuples, alias=exp.TableAlias(
        this=exp.to_identifier(alias), columns=[exp.to_identifier(c) for c in ("key", "days", "doc")]))


def _folded_col(name: str, ctx: CaseContext, table: str | None = None) -> exp.Expr:
    """A text field folded: the precomputed column when the query carries it, else computed here."""
    if name in ctx.texts:
        return exp.column(f"{name}{FOLDED}", table)
    return folded(exp.column(name, table))


def received_column(present: set[str] | frozenset[str]) -> str:
    """The column a dossier's receipt is read from: its receipt date, else (a log without one)
    the date it was submitted."""
    return "received_at" if ("received_at" in present or "submitted_at" not in present) else "submitted_at"


def cutoff_of(as_of: dt.date) -> exp.Expr:
    """The first moment after the as-of day: what happens from it on has not happened yet."""
    return midnight(as_of + dt.timedelta(days=1))


def cases_derived(plan: TargetFile, ctx: CaseContext, source: exp.Expr) -> exp.Select:
    """The case log with its derived columns at the as-of date."""
    rules = plan.timing
    present = ctx.present
    cutoff = cutoff_of(ctx.as_of)
    # 1. received, end, procedures' processing days
    received = received_column(present)
    if rules.end == "handover":
        end = ("COALESCE(returned_at, rejected_at, withdrawn_at, "
               "CASE WHEN status IN ('withdrawn', 'rejected', 'stopped') THEN completed_at END)")
    else:
        end = "COALESCE(completed_at, returned_at, rejected_at, withdrawn_at)"
    by_code, by_name = _procedures(plan)
    if by_code or by_name:
        proc_days = parse("CASE WHEN pc.key IS NOT NULL THEN pc.days ELSE pn.days END")
        returns = parse("COALESCE(CASE WHEN pc.key IS NOT NULL THEN pc.doc WHEN pn.key IS NOT NULL THEN pn.doc END, "
                        "TRUE)")
    else:
        proc_days, returns = exp.cast(exp.Null(), "DOUBLE"), exp.true()
    step1 = exp.select("s.*", exp.alias_(exp.column(received, "s"), "recv"), exp.alias_(parse(end), "end_at_"),
                       exp.alias_(proc_days, "proc_days"), exp.alias_(returns, "returns_document"),
                       copy=False).from_(exp.alias_(source, "s"), copy=False)
    if by_code or by_name:
        pc = _values_table(by_code or [("\x00", None, True)], "pc")
        pn = _values_table(by_name or [("\x00", None, True)], "pn")
        on_code = exp.EQ(this=exp.column("key", "pc"), expression=_folded_col("procedure_code", ctx, "s"))
        on_name = exp.EQ(this=exp.column("key", "pn"), expression=_folded_col("procedure_name", ctx, "s"))
        step1 = step1.join(pc, on=on_code, join_type="left", copy=False)
        step1 = step1.join(pn, on=on_name, join_type="left", copy=False)

    # 2. completed / resolved / pending
    has_status = "status" in present
    if has_status:
        terminal = "(status IN :terminal OR (status IS NULL AND end_at_ IS NOT NULL))"
        completed = "(status IN :completed_codes OR (status IS NULL AND end_at_ IS NOT NULL))"
        if rules.end == "handover":
            completed = f"({completed} AND (returned_at IS NOT NULL OR (status IS NULL AND end_at_ IS NOT NULL)))"
            terminal = (f"({terminal} AND NOT (COALESCE(status IN :completed_codes, FALSE) "
                        f"AND NOT COALESCE({completed}, FALSE)))")
    else:
        terminal = "(end_at_ IS NOT NULL)"
        completed = "(end_at_ IS NOT NULL AND NOT (rejected_at IS NOT NULL OR withdrawn_at IS NOT NULL))"
    in_values = {"terminal": exp.Tuple(expressions=[lit(c) for c in sorted(codes.TERMINAL)]),
                 "completed_codes": exp.Tuple(expressions=[lit(c) for c in sorted(codes.COMPLETED)]),
                 "cutoff": cutoff}
    ended = "(end_at_ IS NULL OR end_at_ < :cutoff)"
    step2 = exp.select(
        "*",
        exp.alias_(_b(f"{completed} AND {ended} AND end_at_ IS NOT NULL", **in_values), "completed"),
        exp.alias_(_b(f"{terminal} AND {ended}", **in_values), "resolved"),
        copy=False).from_(step1.subquery("a", copy=False), copy=False)
    step2b = exp.select(
        "*", exp.alias_(_b("recv < :cutoff AND recv IS NOT NULL AND NOT resolved "
                            "AND NOT COALESCE(status = :not_received, FALSE)", cutoff=cutoff,
                            not_received=lit(codes.NOT_RECEIVED)), "pending"),
        copy=False).from_(step2.subquery("b", copy=False), copy=False)

    # 3. appointment: given (or the extension), else received + processing days in working days
    due0 = "COALESCE(extended_due_at, due_at)" if rules.extension == "replace" else "due_at"
    days = (f"CASE WHEN COALESCE(processing_days, proc_days) >= 0 AND COALESCE(processing_days, proc_days) <= "
            f"{codes.MAX_PROCESSING_DAYS} THEN COALESCE(processing_days, proc_days) END")
    step3 = query(f"""
        SELECT c.*, {due0} AS due0, ({days}) AS ndays, c1.wi AS recv_wi, c1.working AS recv_working
        FROM _ AS c LEFT JOIN calendar AS c1 ON c1.day = CAST(c.recv AS DATE)""")
    _from(step3, step2b.subquery("c", copy=False))
    nth = ("recv_wi + GREATEST(CAST(CEIL(ndays) AS BIGINT), CASE WHEN recv_working THEN 0 ELSE 1 END)")
    step4 = query(f"""
        SELECT d.*, COALESCE(due0, CASE WHEN ndays IS NOT NULL AND recv IS NOT NULL
                                        THEN CAST(w.day AS TIMESTAMP) END) AS due1,
               (due0 IS NULL AND ndays IS NOT NULL AND recv IS NOT NULL AND w.day IS NOT NULL) AS computed
        FROM _ AS d LEFT JOIN workdays AS w ON w.wi = {nth} AND d.ndays IS NOT NULL""")
    _from(step4, step3.subquery("d", copy=False))
    current: exp.Select = step4

    # 4. the clock stops while the dossier waits for its citizen
    supplements = {"supplement_requested_at", "supplement_received_at"} <= present
    # A request dated before the dossier was received is a slip (2014 for 2024), not a wait: the
    # clock is not stopped for it (the checks flag it, ``supplement-before-received``).
    # A dossier without a receipt date has no such slip to tell: its request stands.
    asked = "COALESCE(CAST(supplement_requested_at AS DATE) >= CAST(recv AS DATE), TRUE)"
    if rules.waiting != "clock_runs":
        waiting = ("pending AND (COALESCE(status IN ('waiting_supplement', 'paused') AND NOT "
                   "COALESCE(supplement_requested_at >= :cutoff, FALSE), FALSE) OR "
                   f"COALESCE(supplement_requested_at < :cutoff AND {asked} AND (supplement_received_at IS NULL OR "
                   "supplement_received_at >= :cutoff), FALSE))")
    else:
        waiting = "FALSE"
    if rules.waiting != "clock_runs" and supplements:
        waited = (f"supplement_requested_at IS NOT NULL AND supplement_received_at IS NOT NULL AND {asked} AND "
                  "supplement_received_at >= supplement_requested_at AND supplement_received_at < :cutoff "
                  "AND due1 IS NOT NULL")
        step5 = query(f"""
            SELECT e.*, COALESCE({waited}, FALSE) AS waited,
                   GREATEST(cb.wi - ca.wi, 0) AS wait_days, cd.wi AS due_wi, cd.working AS due_working
            FROM _ AS e
            LEFT JOIN calendar AS ca ON ca.day = CAST(e.supplement_requested_at AS DATE)
            LEFT JOIN calendar AS cb ON cb.day = CAST(e.supplement_received_at AS DATE)
            LEFT JOIN calendar AS cd ON cd.day = CAST(e.due1 AS DATE)""", cutoff=cutoff)
        _from(step5, current.subquery("e", copy=False))
        step6 = query("""
            SELECT f.*, CASE
                WHEN waited AND NOT computed THEN due1 + (supplement_received_at - supplement_requested_at)
                WHEN waited AND computed THEN CAST(w2.day AS TIMESTAMP)
                ELSE due1 END AS due_at_
            FROM _ AS f LEFT JOIN workdays AS w2
              ON f.waited AND f.computed
             AND w2.wi = f.due_wi + GREATEST(f.wait_days, CASE WHEN f.due_working THEN 0 ELSE 1 END)""")
        _from(step6, step5.subquery("f", copy=False))
        current = step6
    else:
        current = exp.select("*", exp.alias_(exp.column("due1"), "due_at_")).from_(current.subquery("f", copy=False))

    # 5. timing
    request = rules.waiting == "request" and "supplement_requested_at" in present
    waiting_t = f"({waiting})" + (" AND (supplement_requested_at IS NULL OR supplement_requested_at <= due_at_)"
                                  if request else "")
    timed = ("(due_at_ <> CAST(CAST(due_at_ AS DATE) AS TIMESTAMP) AND end_at_ <> "
             "CAST(CAST(end_at_ AS DATE) AS TIMESTAMP))") if rules.compare == "datetime" else "FALSE"
    judged = "(due_at_ IS NOT NULL AND end_at_ IS NOT NULL AND resolved)"
    before = "(CAST(end_at_ AS DATE) < CAST(due_at_ AS DATE))"
    same_day = "(CAST(end_at_ AS DATE) = CAST(due_at_ AS DATE))"
    in_time = (f"({before} OR {same_day})" if timed == "FALSE" else
               f"({before} OR ({same_day} AND (CASE WHEN {timed} THEN end_at_ <= due_at_ ELSE TRUE END)))")
    stopped = "COALESCE(status IN ('rejected', 'stopped', 'withdrawn'), FALSE)"
    too_many = (f"COALESCE(supplement_count > {int(rules.max_supplements)} AND NOT "
                f"COALESCE(supplement_requested_at >= :cutoff, FALSE), FALSE)"
                if rules.max_supplements is not None else "FALSE")
    ended_too_many = too_many if rules.supplements_late == "always" else "FALSE"
    open_too_many = too_many if rules.supplements_late == "always" or too_many == "FALSE" else \
        f"({too_many} AND COALESCE({waiting}, FALSE))"
    if rules.open_end == "moment":
        not_passed = ("(CAST(due_at_ AS DATE) > :as_of OR (CAST(due_at_ AS DATE) = :as_of "
                      "AND due_at_ = CAST(CAST(due_at_ AS DATE) AS TIMESTAMP)))")
    else:
        not_passed = "CAST(due_at_ AS DATE) >= :as_of"
    pending_due = "(pending AND due_at_ IS NOT NULL)"
    branches = [
        (f"{judged} AND {ended_too_many}", "late"),
        (f"{judged} AND {stopped} AND COALESCE({in_time}, FALSE)", "on_time"),
        (f"{judged} AND {stopped}", "late"),
        (f"{judged} AND COALESCE({before}, FALSE)", "early"),
        (f"{judged} AND COALESCE({in_time}, FALSE)", "on_time"),
        (judged, "late"),
        (f"{pending_due} AND {open_too_many}", "pending_overdue"),
        (f"{pending_due} AND (COALESCE({waiting_t}, FALSE) OR {not_passed})", "pending_in_time"),
        (pending_due, "pending_overdue"),
    ]
    # A rule the plan does not set leaves its branch out (no dead "WHEN … AND FALSE" in the plan).
    ours = "CASE " + " ".join(f"WHEN {when} THEN '{value}'" for when, value in branches
                              if not when.endswith(" AND FALSE")) + " END"
    if "timing_reported" in present:
        reported = """CASE
            WHEN t.timing_ IS NOT NULL THEN t.timing_
            WHEN resolved AND timing_reported IN ('late', 'pending_overdue') THEN 'late'
            WHEN resolved AND timing_reported IS NOT NULL
                 THEN CASE WHEN timing_reported = 'pending_in_time' THEN 'on_time' ELSE timing_reported END
            WHEN pending AND timing_reported IN ('late', 'pending_overdue') THEN 'pending_overdue'
            WHEN pending AND timing_reported IS NOT NULL THEN 'pending_in_time'
        END"""
    else:
        reported = "t.timing_"
    step7 = query(f"SELECT g.*, ({ours}) AS timing_, COALESCE({waiting}, FALSE) AS waiting FROM _ AS g",
                  cutoff=cutoff, as_of=lit(ctx.as_of))
    _from(step7, current.subquery("g", copy=False))
    # 6. channel, online, level; the final column names
    if "channel" in present:
        channel = "channel"
    elif "online_flag" in present or "postal_flag" in present:
        channel = ("CASE WHEN COALESCE(online_flag, FALSE) THEN 'online' WHEN COALESCE(postal_flag, FALSE) "
                   "THEN 'postal' ELSE 'direct' END")
    else:
        channel = "CAST(NULL AS VARCHAR)"
    own = codes.LEVEL_CODES.get(plan.plan.unit_level, "xa")
    keep = [f.name for f in F.CASE_FIELDS if f.name not in {"received_at", "due_at", "channel", "level"}]
    final = query(f"""
        SELECT {", ".join(keep + [t + FOLDED for t in sorted(ctx.texts)])}, _file, _sheet, _row, _pos,
               recv AS received_at, due_at_ AS due_at, end_at_ AS end_at, completed, resolved, pending,
               waiting, ({reported}) AS timing, returns_document, ({channel}) AS channel,
               COALESCE(({channel}) = 'online', FALSE) AS online, COALESCE(level, :own) AS level
        FROM _ AS t""", own=lit(own))
    _from(final, step7.subquery("t", copy=False))
    return final


def feedback_derived(plan: TargetFile, ctx: CaseContext, source: exp.Expr) -> exp.Select:
    """A feedback log at the as-of date: its appointment and whether it was handled on time."""
    cutoff = cutoff_of(ctx.as_of)
    days = int(plan.plan.feedback_deadline_days)
    step = query(f"""
        SELECT s.*, COALESCE(s.due_at, CASE WHEN s.received_at IS NOT NULL THEN CAST(w.day AS TIMESTAMP) END) AS due_,
               COALESCE(s.status IN :terminal AND s.handled_at IS NULL, FALSE) AS by_status
        FROM _ AS s
        LEFT JOIN calendar AS c ON c.day = CAST(s.received_at AS DATE)
        LEFT JOIN workdays AS w ON w.wi = c.wi + GREATEST({days}, CASE WHEN c.working THEN 0 ELSE 1 END)""",
                 terminal=exp.Tuple(expressions=[lit(c) for c in sorted(codes.TERMINAL)]))
    _from(step, source)
    handled = "(COALESCE(handled_at IS NOT NULL AND handled_at < :cutoff, FALSE) OR by_status)"
    final = query(f"""
        SELECT feedback_id, received_at, due_ AS due_at, handled_at, status, content, department,
               {"".join(t + FOLDED + ", " for t in sorted(ctx.texts))}
               _file, _sheet, _row, _pos, unit, province, {handled} AS handled,
               COALESCE((({handled} AND (by_status OR CAST(handled_at AS DATE) <= CAST(due_ AS DATE)))
                         OR (NOT {handled} AND CAST(due_ AS DATE) >= :as_of)) AND due_ IS NOT NULL, FALSE) AS on_time
        FROM _ AS f""", cutoff=cutoff, as_of=lit(ctx.as_of))
    _from(final, step.subquery("f", copy=False))
    return final


def documents_derived(plan: TargetFile, ctx: CaseContext, source: exp.Expr) -> exp.Select:
    """A documents log: which documents are secret and which incoming."""
    final = query("""
        SELECT d.*, COALESCE(secrecy, 'normal') <> 'normal' AS secret,
               COALESCE(direction = 'incoming', FALSE) AS incoming
        FROM _ AS d""")
    _from(final, source)
    return final


DERIVERS = {"cases": cases_derived, "feedback": feedback_derived, "documents": documents_derived}


# ------------------------------------------------------------------ filters

# Raw fields the derivation always fills (from others, or the unit's own level), whatever the log has.
ALWAYS = {"cases": {"received_at", "due_at", "channel", "level"}, "feedback": {"due_at"}, "documents": set()}

def filter_sql(node: X.Node, source: str, present: set[str], texts: frozenset[str] = frozenset()) -> exp.Expr:
    """A filter of the target file as a boolean that is never NULL."""
    kinds = {name: f.kind for name, f in F.field_index(source).items()}
    derived = {d.name for d in F.DERIVED[source]} | ALWAYS[source]

    def go(n: X.Node) -> exp.Expr:
        if isinstance(n, X.All):
            return exp.true()
        if isinstance(n, X.BoolOp):
            parts = [go(a) for a in n.args]
            out = parts[0]
            for p in parts[1:]:
                out = exp.And(this=out, expression=p) if n.op == "and" else exp.Or(this=out, expression=p)
            return exp.Paren(this=out)
        if isinstance(n, X.Not):
            return exp.Not(this=exp.Paren(this=go(n.arg)))
        name = n.field
        if name not in present and name not in derived:
            return exp.false()  # a column the log lacks selects nothing
        kind = kinds[name]
        col: exp.Expr = exp.column(name)
        text = kind in ("text", "id")
        if text:
            col = exp.column(f"{name}{FOLDED}") if name in texts else folded(col)
        if isinstance(n, X.Truthy):
            return exp.func("COALESCE", col, exp.false())
        if isinstance(n, X.IsEmpty):
            empty: exp.Expr = exp.Is(this=col, expression=exp.Null())
            if text:
                empty = exp.Or(this=empty, expression=exp.EQ(this=col, expression=exp.Literal.string("")))
            empty = exp.Paren(this=empty)
            return exp.Not(this=empty) if n.negate else empty
        if isinstance(n, X.Contains):
            hit = exp.Like(this=exp.func("COALESCE", col, exp.Literal.string("")),
                           expression=exp.Literal.string(f"%{n.text}%"))
            return exp.Not(this=exp.Paren(this=hit)) if n.negate else exp.Paren(this=hit)
        if isinstance(n, X.In):
            inside = exp.func("COALESCE", exp.In(this=col, expressions=[_value(v, kind) for v in n.values]),
                              exp.false())
            return exp.Not(this=inside) if n.negate else inside
        if isinstance(n, X.Compare):
            ops = {"=": exp.EQ, "!=": exp.NEQ, ">": exp.GT, ">=": exp.GTE, "<": exp.LT, "<=": exp.LTE}
            cmp = ops[n.op](this=col, expression=_value(n.value, kind))
            if kind in ("money", "number", "date"):
                return exp.func("COALESCE", cmp, exp.false())
            # text, codes and flags: "=" needs a value; "!=" keeps blanks (a blank is not the value)
            return exp.func("COALESCE", cmp, exp.true() if n.op == "!=" else exp.false())
        raise TypeError(n)  # pragma: no cover

    return go(node)


def _value(value: object, kind: str) -> exp.Expr:
    if kind == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return midnight(value)
    return lit(value)


# ------------------------------------------------------------------ the counts

@dataclass(frozen=True)
class Lacking:
    """A table (file, sheet) left out of an indicator because it lacks a column the indicator needs."""

    file: str
    sheet: str | None


def indicator_masks(ind: Indicator, period: Period, as_of: dt.date, present: set[str],
                    lacking: list[Lacking], texts: frozenset[str] = frozenset()) -> tuple[exp.Expr, exp.Expr]:
    """The denominator and numerator of an indicator as booleans over its derived log."""
    src = ind.count.source
    cutoff = cutoff_of(as_of)
    parts: list[exp.Expr] = []
    for t in lacking:
        same = parse("_file = :f AND COALESCE(_sheet, '') = :s", f=lit(t.file), s=lit(t.sheet or ""))
        parts.append(exp.Not(this=exp.Paren(this=exp.func("COALESCE", same, exp.false()))))
    # One cut-off for every indicator: a dossier received after the as-of date does not count.
    arrived = "date" if src == "documents" else "received_at"
    parts.append(exp.Not(this=exp.func("COALESCE", parse(f"{arrived} >= :cutoff", cutoff=cutoff), exp.false())))
    basis = _basis(ind, present)
    if basis is not None:
        parts.append(exp.func("COALESCE", parse(
            f"CAST({basis} AS DATE) BETWEEN :start AND :end", start=lit(period.start), end=lit(period.end),
            as_of=midnight(as_of), cutoff=cutoff),
            exp.false()))
    if "status" in present and ind.count.drops_not_received():
        parts.append(exp.Not(this=exp.func("COALESCE", parse("status = :nr", nr=lit(codes.NOT_RECEIVED)),
                                           exp.false())))
    den = filter_sql(ind.count.denominator_node(), src, present, texts)
    parts.append(den)
    if "timing" in ind.count.fields() and src == "cases":
        parts.append(parse("timing IS NOT NULL"))
    synced = parse("COALESCE(synced, FALSE)") if ind.count.synced is not None and "synced" in present else None
    if synced is not None and ind.count.synced == "population":
        parts.append(synced)
    den_all = parts[0]
    for p in parts[1:]:
        den_all = exp.And(this=den_all, expression=p)
    num = exp.And(this=den_all.copy(), expression=filter_sql(ind.count.numerator_node(), src, present, texts))
    if synced is not None and ind.count.synced == "numerator":
        num = exp.And(this=num, expression=synced.copy())
    return den_all, num


def _basis(ind: Indicator, present: set[str]) -> str | None:
    src, basis = ind.count.source, ind.count.period_by
    if basis == "none":
        return None
    if src == "documents":
        return "date" if "date" in present else None
    if basis == "received":
        if src == "cases":
            return "received_at"
        return "received_at" if "received_at" in present else None
    if basis == "completed":
        return "CASE WHEN completed THEN end_at END"
    if basis == "resolved":
        return "CASE WHEN resolved THEN end_at END"
    if basis == "processed":  # resolved in the period, or still open at its end (the as-of day)
        if src == "cases":
            return "CASE WHEN resolved THEN end_at WHEN pending THEN :as_of END"
        return ("CASE WHEN handled THEN COALESCE(handled_at, received_at) "
                "WHEN received_at < :cutoff THEN :as_of END")
    return None  # pragma: no cover


def group_key(source: str, by: str, present: set[str]) -> exp.Expr | None:
    """The column a group splits on (``kpi.compute.group_column``), missing values named."""
    column = group_column(by, present)
    if column is None:
        return None
    return exp.func("COALESCE", exp.cast(exp.column(column), "VARCHAR"), exp.Literal.string(MISSING_GROUP))


@dataclass(frozen=True)
class CountQuery:
    """One query counting every indicator of one log, whole or per group; columns d0, n0, d1, n1…"""

    source: str
    indicators: tuple[str, ...]
    tree: exp.Expr
    grouped: bool

    def sql(self, dialect: str = "duckdb", pretty: bool = False) -> str:
        return for_dialect(self.tree, dialect).sql(dialect=dialect, pretty=pretty)


MATERIALIZING = ("duckdb", "postgres")  # the dialects that read WITH … AS MATERIALIZED


def for_dialect(tree: exp.Expr, dialect: str) -> exp.Expr:
    """The plan as ``dialect`` reads it: a dialect without materialised CTEs (Spark plans them
    itself) gets them as plain ones, the same rows."""
    if dialect in MATERIALIZING or not any(c.args.get("materialized") for c in tree.find_all(exp.CTE)):
        return tree
    tree = tree.copy()
    for cte in tree.find_all(exp.CTE):
        cte.set("materialized", None)
    return tree


def count_query(plan: TargetFile, source: str, inds: list[Indicator], period: Period, as_of: dt.date,
                present: set[str], table: str, by: str | None = None,
                lacking: dict[str, list[Lacking]] | None = None, lean: bool = False) -> CountQuery | None:
    """The counts of ``inds`` (all of one log) for the period; None if ``by`` cannot split this log.

    ``lean`` is the form an engine runs (``ttkhc sql`` prints the plain one, the same counts):
    each condition the indicators share is computed once per row, not once per count (fifteen
    indicators' masks repeat the as-of cut-off and the period's bounds some thirty times, and
    DuckDB evaluates every copy); and, counted whole, the dossiers received after the as-of
    day, which every count leaves out, are left out before their derivation (a month of a
    year's log derives the months up to it, not the year)."""
    key = group_key(source, by, present) if by else None
    if by and key is None:
        return None
    d = _derivation(plan, source, inds, as_of, present)
    terms = _SharedTerms() if lean else None
    cols: list[exp.Expr] = [exp.alias_(key, "g")] if key is not None else []
    for i, ind in enumerate(inds):
        den, num = indicator_masks(ind, period, as_of, present, (lacking or {}).get(ind.id, []), d.ctx.texts)
        if terms is not None:
            den, num = terms.named(den), terms.named(num)
        if ind.count.per == "procedure":
            cols.append(exp.alias_(_distinct_procedures(den, present, d.ctx), f"d{i}"))
            cols.append(exp.alias_(_distinct_procedures(num, present, d.ctx), f"n{i}"))
            continue
        cols.append(exp.alias_(_count_if(den), f"d{i}"))
        cols.append(exp.alias_(_count_if(num), f"n{i}"))
    rows: exp.Expr = exp.to_table("x") if terms is None else terms.over("x")
    query = exp.select(*cols, copy=False).from_(rows, copy=False)
    if key is not None:
        query = query.group_by(exp.column("g"), copy=False)
    # Counted whole only: a group whose every dossier came after the as-of day is still a group.
    arrived = _arrived(source, present, as_of) if lean and key is None else None
    # The derived rows once: inlined, every indicator's COUNT_IF recomputed the appointment and
    # timing expressions (33 copies of one in DuckDB's plan); materialised they are computed once.
    query = d.over(query, table, materialized=True, where=arrived)
    return CountQuery(source, tuple(i.id for i in inds), query, key is not None)


class _SharedTerms:
    """The conjuncts of many masks, each computed once as a column (``_m0``, ``_m1``…) of the rows
    the counts read; a mask becomes the AND of its columns. The same three-valued AND of the
    same row-local expressions: the counts do not change, only how often DuckDB evaluates them."""

    def __init__(self) -> None:
        self.terms: dict[str, tuple[str, exp.Expr]] = {}

    def named(self, mask: exp.Expr) -> exp.Expr:
        parts = list(mask.flatten()) if isinstance(mask, exp.And) else [mask]
        names: list[exp.Expr] = []
        for part in parts:
            sql = part.sql(READ)
            if sql not in self.terms:
                self.terms[sql] = (f"_m{len(self.terms)}", part.copy())
            names.append(exp.column(self.terms[sql][0]))
        out = names[0]
        for name in names[1:]:
            out = exp.And(this=out, expression=name)
        return out

    def over(self, table: str) -> exp.Expr:
        """``table``'s rows with a column per term."""
        cols = [exp.alias_(term, name) for name, term in self.terms.values()]
        return exp.select("*", *cols, copy=False).from_(table, copy=False).subquery("m", copy=False)


def _arrived(source: str, present: set[str], as_of: dt.date) -> exp.Expr | None:
    """The canonical case rows received by the as-of day (or undated): every indicator's mask
    requires it of the derived ``received_at`` (``indicator_masks``), which is this column as read."""
    if source != "cases":
        return None
    column = received_column(present)
    if column not in present:
        return None
    return parse(f"NOT COALESCE(CAST({column} AS TIMESTAMP) >= :cutoff, FALSE)", cutoff=cutoff_of(as_of))


def _count_if(condition: Any) -> Any:
    """How many rows meet ``condition``, 0 over no rows (DuckDB's COUNT_IF is NULL there: a log
    of a header and no dossier stopped compute with an internal error)."""
    return exp.func("COALESCE", exp.func("COUNT_IF", condition), exp.Literal.number(0))


def _distinct_procedures(mask: exp.Expr, present: set[str], ctx: CaseContext) -> exp.Expr:
    """How many procedures (by code, else name, folded) the rows of ``mask`` have."""
    key = procedure_key(present, ctx)
    if key is None:
        return exp.Literal.number(0)
    case = exp.Case(ifs=[exp.If(this=mask, true=key)])
    return exp.Count(this=exp.Distinct(expressions=[case]))


def procedure_key(present: set[str], ctx: CaseContext) -> exp.Expr | None:
    """A dossier's procedure, by its code, else its name, folded (blank: none); None when the log
    has neither column."""
    keys: list[exp.Expr] = []
    for column in ("procedure_code", "procedure_name"):
        if column in present:
            keys.append(exp.DPipe(this=exp.Literal.string(f"{column}:"),
                                  expression=exp.func("NULLIF", _folded_col(column, ctx), exp.Literal.string(""))))
    if not keys:
        return None
    return keys[0] if len(keys) == 1 else exp.func("COALESCE", *keys)


LOG_ORDER = ("_pos",)
FILE_ORDER = ("_file", "_sheet", "_row", "_pos")


def _ordered(query: exp.Select, columns: tuple[str, ...]) -> exp.Select:
    """Rows in a fixed order (blanks first, as the listings sort them), whatever the engine's scan."""
    return query.order_by(*[exp.Ordered(this=exp.column(c), nulls_first=True) for c in columns], copy=False)


def rows_query(plan: TargetFile, source: str, as_of: dt.date, present: set[str], table: str,
               where: str | None = None, columns: tuple[str, ...] | None = None,
               limit: int | None = None, values: dict[str, Any] | None = None) -> exp.Select:
    """The derived rows of a log in the log's order: all of them, or those ``where`` (one of our
    own conditions over the derived columns) selects, with only ``columns`` when given; with
    ``limit``, the first ones and ``_total``, how many there are in all."""
    d = _derivation(plan, source, [], as_of, present)
    names: list[exp.Expr] = [exp.column(c) for c in columns] if columns else [exp.Star()]
    if limit is not None:
        names.append(exp.alias_(exp.Window(this=exp.func("COUNT", exp.Star())), "_total"))
    query = exp.select(*names, copy=False).from_("x", copy=False)
    if where is not None:
        query = query.where(parse(where, **{k: lit(v) for k, v in (values or {}).items()}), copy=False)
    query = _ordered(query, LOG_ORDER)
    if limit is not None:
        query = query.limit(int(limit), copy=False)
    return d.over(query, table)


# The dossiers of the report's late list: resolved late in the period, or pending overdue at its end.
LATE_ROWS = "(timing = 'late' AND CAST(end_at AS DATE) BETWEEN :start AND :end) OR timing = 'pending_overdue'"


def late_query(plan: TargetFile, as_of: dt.date, present: set[str], table: str, period: Period) -> exp.Select:
    """The report's late list (``LATE_ROWS``) in the log's order, each dossier with ``late_days``:
    the working days after its appointment up to its result (or the period's end when still
    open), counted on the same calendar as the appointment; at least one, since a dossier past
    its appointment is late even when no working day lies between (a Friday appointment, a
    Sunday cut-off). None without an appointment (a dossier the log itself calls late): the
    engines' GREATEST skips a NULL, which would make it one day."""
    d = _derivation(plan, "cases", [], as_of, present)
    values = {"start": lit(period.start), "end": lit(period.end)}
    picked = query(f"""
        SELECT x.*, CASE WHEN cd.wi IS NOT NULL AND cs.wi IS NOT NULL THEN GREATEST(cs.wi - cd.wi, 1) END AS late_days
        FROM x
        LEFT JOIN calendar AS cd ON cd.day = CAST(x.due_at AS DATE)
        LEFT JOIN calendar AS cs ON cs.day = CASE WHEN x.resolved THEN CAST(x.end_at AS DATE) ELSE :end END
        WHERE {LATE_ROWS}""", **values)
    return d.over(_ordered(picked, LOG_ORDER), table)


def kinds_query(plan: TargetFile, source: str, as_of: dt.date, present: set[str], table: str,
                kinds: dict[str, str], columns: tuple[str, ...], limit: int) -> exp.Select:
    """In one pass over the derived rows, the first ``limit`` rows of each kind (``kinds``: a name
    and one of our own conditions, the conditions disjoint), in the log's order, with ``_kind``
    and ``_total``, how many rows of that kind there are."""
    d = _derivation(plan, source, [], as_of, present)
    which = exp.Case(ifs=[exp.If(this=parse(cond), true=lit(name)) for name, cond in kinds.items()])
    picked = exp.select(*[exp.column(c) for c in columns], exp.alias_(which, "_kind"), copy=False).from_(
        "x", copy=False)
    by_kind = [exp.column("_kind")]
    order = exp.Order(expressions=[exp.Ordered(this=exp.column("_pos"), nulls_first=True)])
    ranked = exp.select(
        "*", exp.alias_(exp.Window(this=exp.func("COUNT", exp.Star()), partition_by=by_kind), "_total"),
        exp.alias_(exp.Window(this=exp.func("ROW_NUMBER"), partition_by=by_kind, order=order), "_n"),
        copy=False).from_(picked.subquery("k", copy=False), copy=False).where(
        exp.column("_kind").is_(exp.null()).not_(), copy=False)
    first = exp.select("*", copy=False).from_(ranked.subquery("r", copy=False), copy=False).where(
        exp.LTE(this=exp.column("_n"), expression=exp.Literal.number(int(limit))), copy=False)
    first = _ordered(first, ("_kind", "_pos"))
    return d.over(first, table)


def listing_query(plan: TargetFile, ind: Indicator, period: Period, as_of: dt.date, present: set[str],
                  table: str, lacking: list[Lacking], everything: bool = False,
                  limit: int | None = None) -> exp.Select:
    """The dossiers of an indicator's denominator that are not in its numerator (``everything``:
    the whole denominator), each derived row with ``_in`` (in the numerator) and ``_total`` (how
    many rows the list has before ``limit``), in file, sheet and row order. For a count of
    procedures a dossier is in when its procedure is: the list left is the dossiers of the
    procedures still missing."""
    source = ind.count.source
    d = _derivation(plan, source, [ind], as_of, present)
    den, num = indicator_masks(ind, period, as_of, present, lacking, d.ctx.texts)
    key = procedure_key(present, d.ctx) if ind.count.per == "procedure" else None
    marks = [exp.alias_(den, "_den"), exp.alias_(num, "_num")]
    if key is not None:
        marks.append(exp.alias_(key, "_key"))
    marked = exp.select("*", *marks, copy=False).from_("x", copy=False)
    inside: exp.Expr = exp.column("_num")
    if key is not None:
        any_in = exp.Window(this=exp.func("BOOL_OR", exp.column("_num")), partition_by=[exp.column("_key")])
        inside = exp.and_(exp.column("_key").is_(exp.null()).not_(), exp.func("COALESCE", any_in, exp.false()))
    picked = exp.select("*", exp.alias_(inside, "_in"), copy=False).from_(marked.subquery("m", copy=False),
                                                                           copy=False)
    total = exp.Window(this=exp.func("COUNT", exp.Star()))
    shown = exp.select("*", exp.alias_(total, "_total"), copy=False).from_(picked.subquery("p", copy=False),
                                                                            copy=False)
    shown = shown.where(exp.column("_den") if everything else exp.and_(exp.column("_den"),
                                                                      exp.column("_in").not_()), copy=False)
    shown = _ordered(shown, FILE_ORDER)
    if limit is not None:
        shown = shown.limit(int(limit), copy=False)
    # A dossier received after the as-of day is in no denominator: not derived at all.
    return d.over(shown, table, materialized=True, where=_arrived(source, present, as_of))


# Biểu 06/VPCP/KSTT's columns over the derived case log: a dossier is in the form when it was
# received in the period or carried over (received before it and not resolved before it began),
# and was received at the desk; its timing places it in columns 8–13, so one whose timing cannot
# be judged is counted apart ("unknown", said under the form).
FORM06_COLUMNS = ("online", "direct", "carried", "early", "on_time", "late", "in_time", "overdue")
_FORM06 = {
    "online": "in_period AND online", "direct": "in_period AND NOT online", "carried": "carried",
    "early": "timing = 'early'", "on_time": "timing = 'on_time'", "late": "timing = 'late'",
    "in_time": "timing = 'pending_in_time'", "overdue": "timing = 'pending_overdue'",
}


def form06_query(plan: TargetFile, as_of: dt.date, present: set[str], table: str, period: Period,
                 by_unit: bool, no_sector: str, no_unit: str) -> exp.Select:
    """Biểu 06's counts per sector (and unit, with ``by_unit``): the columns of FORM06_COLUMNS,
    then ``unknown``, the dossiers of the form whose timing cannot be judged."""
    d = _derivation(plan, "cases", [], as_of, present)
    received = ("status IS NULL OR status <> :nr" if "status" in present else "TRUE")
    flags = query(f"""
        SELECT *, COALESCE(CAST(received_at AS DATE) BETWEEN :start AND :end, FALSE) AS in_period,
               COALESCE(CAST(received_at AS DATE) < :start, FALSE)
                 AND NOT COALESCE(resolved AND CAST(end_at AS DATE) < :start, FALSE) AS carried,
               COALESCE({received}, TRUE) AS at_desk
        FROM x""", start=lit(period.start), end=lit(period.end), nr=lit(codes.NOT_RECEIVED))
    keys = [exp.alias_(exp.func("COALESCE", exp.cast(exp.column("field"), "VARCHAR"), lit(no_sector)), "sector")]
    if by_unit:
        keys.insert(0, exp.alias_(exp.func("COALESCE", exp.cast(exp.column("unit"), "VARCHAR"), lit(no_unit)), "u"))
    counts = [exp.alias_(exp.func("COUNT_IF", parse(f"timing IS NOT NULL AND ({_FORM06[c]})")), c)
              for c in FORM06_COLUMNS]
    counts.append(exp.alias_(exp.func("COUNT_IF", parse("timing IS NULL")), "unknown"))
    grouped = exp.select(*keys, *counts, copy=False).from_(flags.subquery("f", copy=False), copy=False)
    grouped = grouped.where(parse("(in_period OR carried) AND at_desk"), copy=False)
    grouped = grouped.group_by(*[exp.column(k.alias) for k in keys], copy=False)
    return d.over(grouped, table)


def _text_fields(plan: TargetFile, source: str, inds: list[Indicator], present: set[str]) -> list[str]:
    """The text fields the queries compare folded: those the filters name, and for the case log
    the procedure's code and name when the target file has a procedures table."""
    kinds = {name: f.kind for name, f in F.field_index(source).items()}
    names: set[str] = set()
    for ind in inds:
        names |= {n for n in ind.count.fields() if kinds.get(n) in ("text", "id")}
    if source == "cases" and (plan.procedures or any(i.count.per == "procedure" for i in inds)):
        names |= {"procedure_code", "procedure_name"}
    return sorted(n for n in names if n in present)


@dataclass(frozen=True)
class _Derivation:
    """A log's derived rows at an as-of date, as the CTE ``x`` every query of the plan reads."""

    source: str
    ctx: CaseContext
    tree: exp.Select

    def over(self, query: exp.Select, table: str, materialized: bool = False,
             where: exp.Expr | None = None) -> exp.Select:
        """``query`` over these rows: the canonical log of ``table`` (``src``: only the rows
        ``where``, over its columns as read, keeps; folded ``srcf``), then ``x``; materialised
        when many expressions read it."""
        query = _with_sources(query, self.source, set(self.ctx.present), table, sorted(self.ctx.texts), where)
        return query.with_("x", as_=self.tree, materialized=materialized or None, copy=False)


def _derivation(plan: TargetFile, source: str, inds: list[Indicator], as_of: dt.date,
                present: set[str]) -> _Derivation:
    """The derived rows of ``source`` with the text fields ``inds`` (and the procedures table)
    compare folded."""
    ctx = CaseContext(frozenset(present), as_of, frozenset(_text_fields(plan, source, inds, present)))
    return _Derivation(source, ctx, DERIVERS[source](plan, ctx, exp.to_table("srcf")))


def _with_sources(query: exp.Select, source: str, present: set[str], table: str, texts: list[str],
                  where: exp.Expr | None = None) -> exp.Select:
    """The query over ``srcf``: the canonical log (``src``) with each text field's folded form,
    folded once per distinct value (a million dossiers name a few hundred procedures)."""
    canonical = source_select(source, present, table)
    if where is not None:  # on the scan itself: DuckDB then reads only the rows kept (not after the folds' joins)
        canonical = canonical.where(where, copy=False)
    query = query.with_("src", as_=canonical, copy=False)
    srcf = exp.select("src.*", copy=False).from_("src", copy=False)
    for n, name in enumerate(texts):
        lookup = exp.select(exp.alias_(exp.column(name), "v"), copy=False).distinct().from_("src", copy=False)
        lookup = exp.select("v", exp.alias_(folded(exp.column("v")), "f"), copy=False).from_(
            lookup.subquery("d", copy=False), copy=False)
        query = query.with_(f"fold{n}", as_=lookup, copy=False)
        srcf = srcf.join(exp.to_table(f"fold{n}"), on=exp.EQ(this=exp.column("v", f"fold{n}"),
                                                            expression=exp.column(name, "src")),
                         join_type="left", copy=False)
        srcf = srcf.select(exp.alias_(exp.column("f", f"fold{n}"), f"{name}{FOLDED}"), append=True, copy=False)
    return query.with_("srcf", as_=srcf, copy=False)


def calendar_tables() -> tuple[str, str]:
    """The names the queries give the calendar (every day) and its working days (one row per index)."""
    return "calendar", "workdays"
