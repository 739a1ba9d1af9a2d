"""The codes a canonical log holds for categorical values, whatever words the export used.

Parsers (``ingest.vocab``) turn an export's words into these codes; filters in target files
and every count compare codes, never the words.
"""

from __future__ import annotations

CHANNELS = ("online", "direct", "postal")
STATUSES = ("received", "processing", "waiting_supplement", "paused", "completed", "returned", "rejected",
            "withdrawn", "stopped", "not_received")
# Statuses that end a dossier; "completed" ones end it with a result. A dossier waiting for the
# citizen's supplement, or paused, is still pending (its clock stops); "stopped" ends it.
TERMINAL = frozenset({"completed", "returned", "rejected", "withdrawn", "stopped"})
COMPLETED = frozenset({"completed", "returned"})
TIMINGS = ("early", "on_time", "late", "pending_in_time", "pending_overdue")
LEVELS = ("xa", "huyen", "tinh")
# The level code of a unit's own dossiers when the log has no level column, by the plan's level.
LEVEL_CODES = {"xã": "xa", "huyện": "huyen", "tỉnh": "tinh"}
# A processing time beyond a year of working days is a typing slip, not an appointment.
MAX_PROCESSING_DAYS = 365
RATINGS = ("very_satisfied", "satisfied", "neutral", "unsatisfied")
SECRECY = ("normal", "secret", "top_secret")
DIRECTIONS = ("incoming", "outgoing")

# A dossier the desk did not accept ("Không được tiếp nhận", national status 3) was never received:
# it is neither pending nor resolved, and it is left out of every population of received
# dossiers (the plan's indicators, Biểu 06 and the index alike; FD 2.1: "chỉ tính các hồ sơ đã
# được tiếp nhận"). A count that names the code in a filter counts it on purpose.
NOT_RECEIVED = "not_received"

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
