"""The codes a canonical log holds for categorical values, whatever words the export used.

Parsers (``ingest.vocab``) turn an export's words into these codes; filters in target files
and every count compare codes, never the words.
"""

from __future__ import annotations

CHANNELS = ("online", "direct", "postal")
STATUSES = ("received", "processing", "waiting_supplement", "paused", "completed", "returned", "rejected",
            "withdrawn", "stopped")
# Statuses that end a dossier; "completed" ones end it with a result. A dossier waiting for the
# citizen's supplement, or paused, is still pending (its clock stops); "stopped" ends it.
TERMINAL = frozenset({"completed", "returned", "rejected", "withdrawn", "stopped"})
COMPLETED = frozenset({"completed", "returned"})
TIMINGS = ("early", "on_time", "late", "pending_in_time", "pending_overdue")
LEVELS = ("xa", "huyen", "tinh")
RATINGS = ("very_satisfied", "satisfied", "neutral", "unsatisfied")
SECRECY = ("normal", "secret", "top_secret")
DIRECTIONS = ("incoming", "outgoing")

PENDING = frozenset({"received", "processing", "waiting_supplement", "paused"})
FLAGS = ("true", "false")

CODES: dict[str, tuple[str, ...]] = {
    "flag": FLAGS,
    "channel": CHANNELS,
    "status": STATUSES,
    "timing": TIMINGS,
    "level": LEVELS,
    "rating": RATINGS,
    "secrecy": SECRECY,
    "direction": DIRECTIONS,
}
