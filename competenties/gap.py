"""Pure computations on levels: aggregation, current levels, comparison and gap.

No database access here, so each rule can be tested on hand-made cases. Inputs are
plain values; the selectors turn model rows into them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# Rater roles whose judgement counts for the current level: the professionals who see
# the worker at work. Self-assessments count only when nobody else scored a competency.
PROFESSIONAL_ROLES = ("coach", "werkvloerbegeleider", "external")
DISAGREEMENT = 2


def aggregate_level(levels: Iterable[int | None]) -> int | None:
    """The competency level from its indicator levels: the mean of the given levels,
    rounded half up (1.5 -> 2, 2.5 -> 3) so that a worker halfway between two levels
    gets the benefit of the doubt. Empty scores are ignored; none at all gives None."""
    given = [level for level in levels if level is not None]
    if not given:
        return None
    mean = Decimal(sum(given)) / Decimal(len(given))
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ScoreRow:
    """One indicator score as the selectors hand it over."""

    assessment_id: int
    date: date
    rater_role: str
    competency_id: int | None
    level: int | None


@dataclass(frozen=True)
class CompetencyResult:
    assessment_id: int
    date: date
    rater_role: str
    competency_id: int
    level: int


def competency_results(rows: Iterable[ScoreRow]) -> list[CompetencyResult]:
    """One level per (assessment, competency), skipping competencies left entirely empty."""
    grouped: dict[tuple[int, int], list[ScoreRow]] = defaultdict(list)
    for row in rows:
        if row.competency_id is not None:
            grouped[(row.assessment_id, row.competency_id)].append(row)
    results = []
    for (assessment_id, competency_id), group in grouped.items():
        level = aggregate_level(r.level for r in group)
        if level is not None:
            first = group[0]
            results.append(
                CompetencyResult(assessment_id, first.date, first.rater_role, competency_id, level)
            )
    return results


def _newest(results: Iterable[CompetencyResult]) -> dict[int, CompetencyResult]:
    newest: dict[int, CompetencyResult] = {}
    for result in results:
        current = newest.get(result.competency_id)
        if current is None or (result.date, result.assessment_id) > (current.date, current.assessment_id):
            newest[result.competency_id] = result
    return newest


def current_levels(
    results: Iterable[CompetencyResult], preferred_roles: Iterable[str] = PROFESSIONAL_ROLES
) -> dict[int, CompetencyResult]:
    """Per competency the newest result by a preferred rater role, else the newest by anyone."""
    results = list(results)
    preferred = set(preferred_roles)
    chosen = _newest(r for r in results if r.rater_role in preferred)
    for competency_id, result in _newest(results).items():
        chosen.setdefault(competency_id, result)
    return chosen


def latest_by_role(results: Iterable[CompetencyResult]) -> dict[int, dict[str, int]]:
    """competency -> rater role -> newest level, for the side-by-side comparison."""
    by_role: dict[str, list[CompetencyResult]] = defaultdict(list)
    for result in results:
        by_role[result.rater_role].append(result)
    table: dict[int, dict[str, int]] = defaultdict(dict)
    for role, role_results in by_role.items():
        for competency_id, result in _newest(role_results).items():
            table[competency_id][role] = result.level
    return dict(table)


def disagrees(levels: Mapping[str, int]) -> bool:
    """Raters differ by DISAGREEMENT levels or more: worth talking about."""
    values = list(levels.values())
    return len(values) >= 2 and max(values) - min(values) >= DISAGREEMENT


@dataclass(frozen=True)
class GapRow:
    competency_id: int
    required: int
    current: int | None

    @property
    def measured(self) -> bool:
        return self.current is not None

    @property
    def shortfall(self) -> int:
        """Levels missing to reach the cut-off; an unmeasured competency counts as not met
        but has no size, so it is 0 here and ``met`` is False."""
        if self.current is None:
            return 0
        return max(0, self.required - self.current)

    @property
    def met(self) -> bool:
        return self.current is not None and self.current >= self.required


@dataclass(frozen=True)
class Gap:
    rows: list[GapRow]

    @property
    def ready(self) -> bool:
        """Ready when every required competency is measured and at or above its cut-off."""
        return all(row.met for row in self.rows)

    @property
    def shortfalls(self) -> list[GapRow]:
        return [row for row in self.rows if not row.met]

    @property
    def total_shortfall(self) -> int:
        return sum(row.shortfall for row in self.rows)


def compute_gap(current: Mapping[int, int | None], requirements: Mapping[int, int]) -> Gap:
    """Compare current levels with cut-offs, in the requirements' order. Competencies
    without a requirement are ignored; required ones never measured fall short."""
    return Gap([GapRow(cid, required, current.get(cid)) for cid, required in requirements.items()])
