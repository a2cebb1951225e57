"""THE rule for combining several levels into one, and nothing else.

Used wherever levels meet: a rater's indicator levels become that rater's level for the
competency, and the professional raters' levels become the provisional level of a round
until the coach records the agreed one. The rule is the *lower median*: sort the levels
and take the middle one, and of two middle ones the lower. A worker between two levels
is therefore never rounded up (the guide's "toegeeflijkheid", the helper's error), and
one outlying rater cannot pull the level up or down the way a mean would.

Levels left empty ("not observed") are missing, not zero: they are left out. No levels
at all give ``None`` (not measured).
"""

from __future__ import annotations

from collections.abc import Iterable

RULE_SUMMARY = "lower median"

# Rater roles whose judgement makes the level: the professionals who see the worker at
# work. The worker's self-assessment is shown beside them but does not count.
PROFESSIONAL_ROLES = frozenset({"coach", "werkvloerbegeleider", "external"})


def combine(levels: Iterable[int | None]) -> int | None:
    given = sorted(level for level in levels if level is not None)
    if not given:
        return None
    return given[(len(given) - 1) // 2]


def is_professional(role: str) -> bool:
    return role in PROFESSIONAL_ROLES
