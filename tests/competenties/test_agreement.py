"""Rater agreement against values worked out by hand (linear weights 1 - |i-j|/3)."""

import pytest

from competenties.agreement import agreement, pairwise, pooled, weighted_kappa


def test_hand_computed_case():
    # Observed weighted agreement (1 + 1 + 2/3 + 1) / 4 = 11/12; chance from the margins
    # (A uniform over 1-4, B 1:1/4 2:1/4 4:1/2) = 13/24; kappa = (11/12 - 13/24) / (11/24) = 9/11.
    result = agreement([(1, 1), (2, 2), (3, 4), (4, 4)])
    assert result.pairs == 4
    assert result.exact == 0.75
    assert result.within_one == 1.0
    assert result.kappa == pytest.approx(9 / 11)


def test_perfect_and_opposite_raters():
    assert weighted_kappa([(1, 1), (4, 4)]) == pytest.approx(1.0)
    # Observed 0, chance 1/2: kappa -1.
    assert weighted_kappa([(1, 4), (4, 1)]) == pytest.approx(-1.0)
    assert agreement([(1, 4), (4, 1)]).within_one == 0.0


def test_a_rater_who_always_gives_the_same_middle_level_agrees_only_by_chance():
    # Observed (2/3 + 1 + 2/3) / 3 = 7/9, exactly what chance gives: kappa 0.
    assert weighted_kappa([(3, 2), (3, 3), (3, 4)]) == pytest.approx(0.0)


def test_all_ratings_equal_leave_kappa_undefined():
    result = agreement([(3, 3), (3, 3), (3, 3)])
    assert (result.exact, result.within_one, result.kappa) == (1.0, 1.0, None)


def test_no_pairs_and_one_rater_give_nothing():
    assert (agreement([]).pairs, agreement([]).kappa, agreement([]).exact) == (0, None, None)
    assert pairwise({"coach": {1: 3, 2: 4}}) == []
    assert pooled([]).pairs == 0


def test_pairs_compare_the_items_both_rated_and_pool_by_items():
    ratings = {
        "coach": {"a": 1, "b": 2, "c": 3, "d": 4},
        "supervisor": {"a": 1, "b": 2, "c": 4, "d": 4, "e": 1},
        "external": {"a": 2},
    }
    pairs = {(p.rater_a, p.rater_b): p for p in pairwise(ratings)}
    assert pairs[("coach", "supervisor")].result.kappa == pytest.approx(9 / 11)
    assert pairs[("coach", "external")].result.pairs == 1
    assert pairs[("supervisor", "external")].result.exact == 0.0
    total = pooled(pairs.values())
    assert total.pairs == 6
    assert total.exact == pytest.approx(3 / 6)
