"""Jobmatching as pure functions: the distance between a worker and a vacancy, with reasons.

No database access, so the order can be checked on hand-made cases. The selectors turn
workers and vacancies into ``Candidate`` and ``Opening`` values.

Distance is the sum of shortfalls against the vacancy's cut-offs (``competenties.gap``);
a required competency that was never measured counts as a shortfall of its whole
cut-off, because nothing shows the worker has it. Statute restrictions block a match
(they are rules, not distances) and sort last; transport and region preconditions are
warnings that break ties. A worker measured on none of the vacancy's competencies has no
distance yet: the list says so and sorts them after the measured ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from competenties.gap import GapRow, compute_gap

ARTIKEL_60 = "artikel_60"
LEERWERKNEMER = "leerwerknemer"
# Which statutes a placement route excludes (DOMAIN: TBS not for artikel 60; BVS not for
# artikel 60 nor leerwerknemers).
ROUTE_EXCLUDES: dict[str, frozenset[str]] = {
    "tbs": frozenset({ARTIKEL_60}),
    "bvs": frozenset({ARTIKEL_60, LEERWERKNEMER}),
}


def routes_open_to(statuut: str, routes) -> list:
    """The placement routes (stage kinds) of ``routes`` that ``statuut`` does not exclude."""
    return [route for route in routes if statuut not in ROUTE_EXCLUDES.get(route, frozenset())]


@dataclass(frozen=True)
class Candidate:
    key: int
    name: str
    statuut: str = ""
    preconditions: frozenset[str] = frozenset()
    region: str = ""
    levels: Mapping[int, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Opening:
    key: int
    name: str
    requirements: Mapping[int, int]
    route: str = "direct"
    needs_own_transport: bool = False
    reachable_by_public_transport: bool = True
    region: str = ""


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    opening: Opening
    distance: int
    shortfalls: list[GapRow]
    blockers: list[str]
    warnings: list[str]

    @property
    def measured(self) -> bool:
        """Whether any competency the vacancy requires was measured for the worker: without
        one, the distance is only the sum of the cut-offs and says nothing of the worker."""
        requirements = self.opening.requirements
        return not requirements or any(self.candidate.levels.get(c) is not None for c in requirements)

    @property
    def sort_key(self):
        return (bool(self.blockers), not self.measured, self.distance, len(self.warnings))


def distance(levels: Mapping[int, int | None], requirements: Mapping[int, int]) -> tuple[int, list[GapRow]]:
    gap = compute_gap(levels, requirements)
    total = sum(row.shortfall if row.measured else row.required for row in gap.rows)
    return total, gap.shortfalls


def evaluate(candidate: Candidate, opening: Opening) -> Match:
    total, shortfalls = distance(candidate.levels, opening.requirements)
    blockers = []
    if candidate.statuut in ROUTE_EXCLUDES.get(opening.route, frozenset()):
        blockers.append(
            _("The statute %(statuut)s excludes this route (%(route)s).")
            % {"statuut": candidate.statuut.replace("_", " "), "route": opening.route.upper()}
        )
    warnings = []
    if "transport" in candidate.preconditions and (
        opening.needs_own_transport or not opening.reachable_by_public_transport
    ):
        warnings.append(_("Transport is an open precondition and this job is hard to reach without a car."))
    if candidate.region and opening.region and candidate.region != opening.region:
        warnings.append(_("The job is in another region."))
    return Match(candidate, opening, total, shortfalls, blockers, warnings)


def rank_candidates(opening: Opening, candidates: Iterable[Candidate]) -> list[Match]:
    """Workers for one vacancy, best first; ties by name so the order is stable."""
    matches = [evaluate(c, opening) for c in candidates]
    return sorted(matches, key=lambda m: (*m.sort_key, m.candidate.name, m.candidate.key))


def rank_openings(candidate: Candidate, openings: Iterable[Opening]) -> list[Match]:
    """Vacancies for one worker, best first, by the same measure."""
    matches = [evaluate(candidate, o) for o in openings]
    return sorted(matches, key=lambda m: (*m.sort_key, m.opening.name, m.opening.key))
