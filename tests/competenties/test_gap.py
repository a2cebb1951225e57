"""The level rules on hand-made cases: current levels, comparison, gap and the ready verdict."""

from datetime import date

import pytest

from competenties.gap import (
    AgreedRow,
    CompetencyResult,
    Evidence,
    ScoreRow,
    competency_results,
    compute_gap,
    current_levels,
    disagrees,
    latest_by_role,
    verdict,
)


def row(assessment, day, role, competency, level, round_id=None):
    return ScoreRow(assessment, date(2026, 1, day), role, competency, level, round_id)


def test_competency_results_group_per_assessment_and_skip_empty_competencies():
    rows = [
        row(1, 1, "coach", 10, 2),
        row(1, 1, "coach", 10, 3),
        row(1, 1, "coach", 11, None),
        row(1, 1, "coach", None, 4),  # a deleted competency: kept in the snapshot, not in the levels
        row(2, 5, "self", 10, 4),
    ]
    results = {(r.assessment_id, r.competency_id): r.level for r in competency_results(rows)}
    # 2 and 3 combine to the lower median, 2: no rounding up.
    assert results == {(1, 10): 2, (2, 10): 4}


def result(assessment, day, role, competency, level, round_id=None):
    return CompetencyResult(assessment, date(2026, 1, day), role, competency, level, round_id)


def test_provisional_level_is_the_lower_median_of_the_professionals_of_the_newest_open_round():
    results = [
        result(1, 1, "coach", 10, 2, round_id=7),
        result(2, 9, "self", 10, 4, round_id=7),  # the self-assessment does not count
        result(3, 3, "werkvloerbegeleider", 10, 3, round_id=7),
        result(4, 9, "self", 11, 2, round_id=7),  # only the worker rated competency 11
        result(5, 1, "coach", 10, 1, round_id=6),  # an older open round
    ]
    current = current_levels(results)
    assert (current[10].level, current[10].provisional, current[10].round_id, current[10].raters) == (
        2,
        True,
        7,
        2,
    )
    assert 11 not in current


def test_agreed_level_of_the_latest_closed_round_wins_over_open_ratings():
    results = [result(1, 20, "coach", 10, 4, round_id=9), result(2, 2, "coach", 10, 1, round_id=8)]
    agreed = [AgreedRow(8, date(2026, 1, 5), 10, 2), AgreedRow(5, date(2025, 6, 1), 10, 4)]
    current = current_levels(results, agreed)
    assert (current[10].level, current[10].provisional, current[10].round_id) == (2, False, 8)


def test_a_rating_outside_any_round_is_a_round_of_its_own():
    current = current_levels([result(5, 1, "coach", 10, 1), result(6, 2, "coach", 10, 4)])
    assert (current[10].level, current[10].raters) == (4, 1)


def test_latest_by_role_and_disagreement_of_two_levels():
    table = latest_by_role(
        [
            result(1, 1, "self", 10, 4),
            result(2, 2, "coach", 10, 1),
            result(3, 3, "coach", 10, 2),
            result(4, 3, "werkvloerbegeleider", 10, 3),
        ]
    )
    assert table[10] == {"self": 4, "coach": 2, "werkvloerbegeleider": 3}
    assert disagrees(table[10])
    assert not disagrees({"self": 3, "coach": 2})
    assert not disagrees({"self": 4})


def test_gap_reports_shortfalls_and_ignores_competencies_without_cut_off():
    gap = compute_gap({10: 2, 11: 4, 12: 1}, {10: 3, 11: 3})
    assert [(r.competency_id, r.shortfall, r.met) for r in gap.rows] == [(10, 1, False), (11, 0, True)]
    assert [r.competency_id for r in gap.shortfalls] == [10]
    assert gap.total_shortfall == 1
    assert not gap.ready


def test_unmeasured_required_competency_is_not_met():
    gap = compute_gap({10: 4}, {10: 3, 11: 2})
    assert gap.rows[1].current is None
    assert not gap.rows[1].met
    assert not gap.ready


def test_ready_when_every_cut_off_is_met():
    assert compute_gap({10: 3, 11: 4}, {10: 3, 11: 2}).ready
    assert compute_gap({}, {}).ready


@pytest.mark.parametrize(
    ("cutoffs_met", "observers", "days", "ready", "missing"),
    [
        (True, 2, 2, True, []),
        (True, 1, 2, False, ["observers"]),
        (True, 2, 1, False, ["days"]),
        (False, 2, 2, False, ["cutoffs"]),
        (True, 0, 0, False, ["observers", "days"]),
        (True, 3, 5, True, []),
    ],
)
def test_ready_verdict_at_and_just_past_its_conditions(cutoffs_met, observers, days, ready, missing):
    gap = compute_gap({10: 3 if cutoffs_met else 2}, {10: 3})
    result = verdict(gap, Evidence(observers, days))
    assert (result.ready, result.missing) == (ready, missing)
