"""Pure computations on levels: aggregation, current levels, comparison and gap.

No database access here, so each rule can be tested on hand-made cases. Inputs are
plain values; the selectors turn model rows into them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from competenties.combining import combine, is_professional

DISAGREEMENT = 2
# The "doorstroomklaar" verdict rests on at least this many professional observers and
# this many different days of observation in the round that measured the worker.
MIN_OBSERVERS = 2
MIN_DAYS = 2


def aggregate_level(levels: Iterable[int | None]) -> int | None:
    """One rater's level for a competency from its indicator levels (``combining.combine``)."""
    return combine(levels)


@dataclass(frozen=True)
class ScoreRow:
    """One indicator score as the selectors hand it over."""

    assessment_id: int
    date: date
    rater_role: str
    competency_id: int | None
    level: int | None
    round_id: int | None = None


@dataclass(frozen=True)
class CompetencyResult:
    """One rater's level for one competency."""

    assessment_id: int
    date: date
    rater_role: str
    competency_id: int
    level: int
    round_id: int | None = None


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
                CompetencyResult(
                    assessment_id, first.date, first.rater_role, competency_id, level, first.round_id
                )
            )
    return results


@dataclass(frozen=True)
class AgreedRow:
    """An agreed level of a closed round."""

    round_id: int
    closed_on: date
    competency_id: int
    level: int


@dataclass(frozen=True)
class CurrentLevel:
    """The level the gap, the plan and the matching use for one competency: the agreed
    level of the latest closed round, or, where no closed round measured the competency,
    the provisional combination of the professional ratings of the newest open round."""

    competency_id: int
    level: int
    provisional: bool
    date: date
    round_id: int | None
    raters: int


def current_levels(
    results: Iterable[CompetencyResult], agreed: Iterable[AgreedRow] = ()
) -> dict[int, CurrentLevel]:
    chosen: dict[int, CurrentLevel] = {}
    newest_agreed: dict[int, AgreedRow] = {}
    closed = set()
    for row in agreed:
        closed.add(row.round_id)
        current = newest_agreed.get(row.competency_id)
        if current is None or (row.closed_on, row.round_id) > (current.closed_on, current.round_id):
            newest_agreed[row.competency_id] = row
    for cid, row in newest_agreed.items():
        chosen[cid] = CurrentLevel(cid, row.level, False, row.closed_on, row.round_id, 0)
    # Open rounds, per competency; a rating outside any round is a round of its own.
    groups: dict[tuple[int, object], list[CompetencyResult]] = defaultdict(list)
    for result in results:
        if result.round_id in closed or not is_professional(result.rater_role):
            continue
        key = result.round_id if result.round_id is not None else ("single", result.assessment_id)
        groups[(result.competency_id, key)].append(result)
    newest_open: dict[int, list[CompetencyResult]] = {}
    for (cid, _key), group in groups.items():
        current = newest_open.get(cid)
        if current is None or _recency(group) > _recency(current):
            newest_open[cid] = group
    for cid, group in newest_open.items():
        if cid in chosen:
            continue
        level = combine(r.level for r in group)
        chosen[cid] = CurrentLevel(
            cid, level, True, max(r.date for r in group), group[0].round_id, len(group)
        )
    return chosen


def _recency(group: list[CompetencyResult]):
    return max((r.date, r.assessment_id) for r in group)


def _newest(results: Iterable[CompetencyResult]) -> dict[int, CompetencyResult]:
    newest: dict[int, CompetencyResult] = {}
    for result in results:
        current = newest.get(result.competency_id)
        if current is None or (result.date, result.assessment_id) > (current.date, current.assessment_id):
            newest[result.competency_id] = result
    return newest


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


@dataclass(frozen=True)
class Evidence:
    """What the measurement behind the levels rests on."""

    observers: int
    days: int


@dataclass(frozen=True)
class Verdict:
    """The "doorstroomklaar" verdict: every cut-off met, by levels that rest on enough
    observers and enough days. ``missing`` names what stands in the way."""

    cutoffs_met: bool
    evidence: Evidence

    @property
    def enough_observers(self) -> bool:
        return self.evidence.observers >= MIN_OBSERVERS

    @property
    def enough_days(self) -> bool:
        return self.evidence.days >= MIN_DAYS

    @property
    def ready(self) -> bool:
        return self.cutoffs_met and self.enough_observers and self.enough_days

    @property
    def missing(self) -> list[str]:
        out = []
        if not self.cutoffs_met:
            out.append("cutoffs")
        if not self.enough_observers:
            out.append("observers")
        if not self.enough_days:
            out.append("days")
        return out


def verdict(gap: Gap, evidence: Evidence) -> Verdict:
    return Verdict(gap.ready, evidence)
