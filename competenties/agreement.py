"""Agreement between raters: how far two people rating the same workers on the same
competencies give the same level. Pure functions on pairs of levels (1-4).

* exact agreement: the share of pairs with the same level;
* within-one agreement: the share that differ by at most one level;
* Cohen's kappa with **linear** weights: agreement corrected for what two raters with
  these level distributions would reach by chance, partial credit falling off linearly
  with the distance (1 - |i-j|/3 on the four-level scale). Linear rather than quadratic
  weights because the levels are ordered steps of equal worth, and quadratic weights
  forgive one-level differences so much that a lenient rater looks consistent.

Degenerate cases: no pairs give ``None`` everywhere; when both raters used a single and
the same level throughout, chance agreement is already perfect and kappa is undefined:
``None`` (the exact agreement of 100% says what there is to say).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

LEVELS = (1, 2, 3, 4)
_SPAN = LEVELS[-1] - LEVELS[0]


def _weight(a: int, b: int) -> float:
    return 1 - abs(a - b) / _SPAN


@dataclass(frozen=True)
class Agreement:
    pairs: int
    exact: float | None
    within_one: float | None
    kappa: float | None


def agreement(pairs: Sequence[tuple[int, int]]) -> Agreement:
    """Agreement over ``pairs`` of (level by rater A, level by rater B) for the same item."""
    n = len(pairs)
    if n == 0:
        return Agreement(0, None, None, None)
    exact = sum(a == b for a, b in pairs) / n
    within_one = sum(abs(a - b) <= 1 for a, b in pairs) / n
    return Agreement(n, exact, within_one, weighted_kappa(pairs))


def weighted_kappa(pairs: Sequence[tuple[int, int]]) -> float | None:
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(_weight(a, b) for a, b in pairs) / n
    left = Counter(a for a, _b in pairs)
    right = Counter(b for _a, b in pairs)
    expected = sum(left[i] * right[j] * _weight(i, j) for i in LEVELS for j in LEVELS) / (n * n)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class PairAgreement:
    rater_a: object
    rater_b: object
    level_pairs: tuple[tuple[int, int], ...]

    @property
    def result(self) -> Agreement:
        return agreement(self.level_pairs)


def pairwise(ratings: dict[object, dict[object, int]]) -> list[PairAgreement]:
    """``ratings`` maps rater -> item -> level; every pair of raters is compared on the
    items both rated. One rater alone gives no pairs."""
    out = []
    for a, b in combinations(ratings, 2):
        shared = sorted(set(ratings[a]) & set(ratings[b]), key=str)
        out.append(PairAgreement(a, b, tuple((ratings[a][k], ratings[b][k]) for k in shared)))
    return out


def pooled(pairs: Iterable[PairAgreement]) -> Agreement:
    """One figure over several rater pairs (a round, a framework over time): their level
    pairs taken together, so that a pair that shared more items weighs more."""
    return agreement([level_pair for pair in pairs for level_pair in pair.level_pairs])
