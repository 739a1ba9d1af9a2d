"""A target file's rules said in Vietnamese, and what a failing indicator lacks, in dossiers.

The report's notes explain each indicator in sentences generated from its rule ("Tử số: hồ sơ có
phí, đã thanh toán trực tuyến"), a "no data" result says which dossiers were missing ("không có
hồ sơ cấp huyện đã có kết quả trong kỳ"), and a failing indicator says how many dossiers stand
between the figure and the target ("cần thêm 23 hồ sơ đã thanh toán trực tuyến để đạt 45%").
"""

from __future__ import annotations

import math
from fractions import Fraction

from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain import labels
from ttkhc_cli.kpi import rules as X
from ttkhc_cli.kpi.plan import Indicator, Target

NOUNS = {"cases": "hồ sơ", "feedback": "phản ánh, kiến nghị", "documents": "văn bản", "manual": "số liệu"}
BASIS = {"received": "tiếp nhận", "completed": "có kết quả", "resolved": "giải quyết xong"}
FEEDBACK_BASIS = {"received": "tiếp nhận"}

# What a true flag says of a dossier (a feedback, a document).
FLAGS = {
    "paid_online": "đã thanh toán trực tuyến", "dossier_digitised": "có thành phần hồ sơ được số hóa",
    "result_digitised": "có kết quả được số hóa", "e_result": "có kết quả điện tử",
    "synced": "đã đồng bộ lên Cổng Dịch vụ công quốc gia", "data_reused": "có tái sử dụng dữ liệu số hóa",
    "apology": "có phiếu xin lỗi", "online_flag": "nộp trực tuyến", "postal_flag": "nộp qua bưu chính",
    "completed": "đã có kết quả", "resolved": "đã giải quyết xong", "pending": "đang giải quyết",
    "online": "nộp trực tuyến", "returns_document": "thủ tục có kết quả là giấy tờ",
    "handled": "đã xử lý xong", "on_time": "xử lý đúng hạn", "secret": "mật",
    "incoming": "đến", "electronic": "được xử lý trên môi trường mạng",
}
CODES = {
    "channel": {"online": "nộp trực tuyến", "direct": "nộp trực tiếp", "postal": "nộp qua bưu chính"},
    "timing": {"early": "trước hạn", "on_time": "đúng hạn", "late": "quá hạn",
               "pending_in_time": "đang giải quyết trong hạn", "pending_overdue": "đang giải quyết quá hạn"},
    "level": {"xa": "cấp xã", "huyen": "cấp huyện", "tinh": "cấp tỉnh"},
    "rating": {"very_satisfied": "rất hài lòng", "satisfied": "hài lòng", "neutral": "bình thường",
               "unsatisfied": "không hài lòng"},
    "status": {"received": "mới tiếp nhận", "processing": "đang xử lý", "waiting_supplement": "chờ bổ sung",
               "paused": "tạm dừng", "completed": "đã có kết quả", "returned": "đã trả kết quả",
               "rejected": "bị từ chối", "withdrawn": "đã rút", "stopped": "dừng xử lý",
               "not_received": "không được tiếp nhận"},
    "secrecy": {"normal": "văn bản thường", "secret": "văn bản mật", "top_secret": "văn bản tối mật"},
    "direction": {"incoming": "văn bản đến", "outgoing": "văn bản đi"},
}
OPS = {"=": "bằng", "!=": "khác", ">": "lớn hơn", ">=": "từ", "<": "nhỏ hơn", "<=": "không quá"}


def phrase(node: X.Node, source: str) -> str:
    """A filter as a Vietnamese phrase about one dossier ("có phí, đã thanh toán trực tuyến")."""
    fields = F.field_index(source)

    def label(name: str) -> str:
        f = fields.get(name)
        return (f.label if f else name).lower()

    def value(name: str, v: object) -> str:
        kind = fields[name].kind if name in fields else ""
        if kind in CODES:
            return CODES[kind].get(str(v), str(v))
        if isinstance(v, float) and v.is_integer():
            return f"{int(v):,}".replace(",", ".")
        if hasattr(v, "strftime"):
            return v.strftime("%d/%m/%Y")
        return f"“{v}”" if isinstance(v, str) else str(v)

    def go(n: X.Node) -> str:
        if isinstance(n, X.All):
            return ""
        if isinstance(n, X.BoolOp):
            parts = [p for p in (go(a) for a in n.args) if p]
            return (", " if n.op == "and" else " hoặc ").join(parts)
        if isinstance(n, X.Not):
            inner = go(n.arg)
            return f"không {inner}" if " " not in inner or isinstance(n.arg, X.Truthy) else f"không ({inner})"
        if isinstance(n, X.Truthy):
            return FLAGS.get(n.field, label(n.field))
        if isinstance(n, X.IsEmpty):
            return f"có ghi {label(n.field)}" if n.negate else f"không ghi {label(n.field)}"
        if isinstance(n, X.Contains):
            return f"{label(n.field)} {'không ' if n.negate else ''}có chữ “{n.shown or n.text}”"
        kind = fields[n.field].kind if n.field in fields else ""
        if isinstance(n, X.In):
            words = " hoặc ".join(value(n.field, v) for v in n.values)
            if kind == "timing":
                words = "giải quyết " + words
            if kind in ("channel", "timing", "level", "rating", "status", "secrecy", "direction"):
                return f"không {words}" if n.negate else words
            return f"{label(n.field)} {'không phải' if n.negate else 'là'} {words}"
        if isinstance(n, X.Compare):
            if n.field == "fee" and n.op == ">" and n.value == 0:
                return "có phí, lệ phí"
            if kind in CODES and n.op in ("=", "!="):
                said = value(n.field, n.value)
                return said if n.op == "=" else f"không {said}"
            return f"{label(n.field)} {OPS[n.op]} {value(n.field, n.value)}"
        return str(n)  # pragma: no cover

    return go(node)


def _basis(ind: Indicator) -> str:
    basis = ind.count.period_by
    if basis == "none" or ind.count.source == "documents":
        return ""
    return BASIS.get(basis, "")


def denominator_text(ind: Indicator) -> str:
    """The dossiers the rate is over, with the period basis: "hồ sơ có phí, tiếp nhận trong kỳ"."""
    noun = NOUNS.get(ind.count.source, "hồ sơ")
    node = ind.count.denominator_node() if ind.count.denominator else X.All()
    basis = _basis(ind)
    # "completed" counted by completion says it once: "hồ sơ có kết quả trong kỳ"
    implied = {"completed": "completed", "resolved": "resolved"}.get(ind.count.period_by)
    if isinstance(node, X.BoolOp) and node.op == "and":
        kept = tuple(a for a in node.args if not (isinstance(a, X.Truthy) and a.field == implied))
        node = X.BoolOp("and", kept) if len(kept) > 1 else (kept[0] if kept else X.All())
    elif isinstance(node, X.Truthy) and node.field == implied:
        node = X.All()
    what = phrase(node, ind.count.source)
    period = f"{basis} trong kỳ" if basis else "trong kỳ"
    return f"{noun} {what}, {period}" if what and basis else f"{noun} {what} {period}".replace("  ", " ")


def numerator_text(ind: Indicator) -> str:
    what = phrase(ind.count.numerator_node(), ind.count.source) if ind.count.numerator else "mọi hồ sơ"
    return f"trong đó {what}"


def sentence(ind: Indicator) -> str:
    """The rule as the report's notes say it."""
    if ind.count.source == "manual":
        return "Số liệu nhập tay (--inputs): tử số và mẫu số do đơn vị nhập."
    return f"Mẫu số: {denominator_text(ind)}. Tử số: {numerator_text(ind)}."


def no_data_note(ind: Indicator) -> str:
    """Why a zero denominator: which dossiers the period did not have."""
    return f"mẫu số bằng 0: không có {denominator_text(ind)}"


def gap(target: Target, numerator: int, denominator: int) -> int | None:
    """How many dossiers would have to change (from the denominator into the numerator, or out
    of it for a ceiling) for the indicator to be met; None when it is met or has no data."""
    if denominator <= 0 or target.met(numerator, denominator):
        return None
    goal = Fraction(str(target.value)) * denominator / 100
    if target.op in (">=", "=", ">"):
        need = math.ceil(goal) - numerator if target.op != ">" else math.floor(goal) + 1 - numerator
        return max(need, 1)
    if target.op in ("<=", "<"):
        allowed = math.floor(goal) if target.op == "<=" else math.ceil(goal) - 1
        return max(numerator - allowed, 1)
    return None  # pragma: no cover


def gap_text(ind: Indicator, n: int) -> str:
    """The gap as an office reads it: "cần thêm 23 hồ sơ đã thanh toán trực tuyến để đạt 45%"."""
    noun = NOUNS.get(ind.count.source, "hồ sơ")
    dossiers = labels.count(n)
    what = phrase(ind.count.numerator_node(), ind.count.source) if ind.count.numerator else ""
    target = f"{ind.target.value:g}%"
    if ind.count.source == "manual":
        return f"tử số cần thêm {dossiers} để đạt {target}"
    if ind.target.op in ("<=", "<"):
        return f"cần giảm {dossiers} {noun} {what} để không vượt {target}".replace("  ", " ")
    if ind.target.op == "=" and ind.target.value == 100:
        return f"{dossiers} {noun} chưa {_negatable(what)}" if what else f"{dossiers} {noun} chưa đạt"
    return f"cần thêm {dossiers} {noun} {what} để đạt {target}".replace("  ", " ")


def _negatable(what: str) -> str:
    """A phrase after "chưa": "đã đồng bộ…" reads "chưa đồng bộ…"."""
    return what[3:] if what.startswith("đã ") else what
