"""The level rules on hand-made cases: aggregation, current levels, comparison and gap."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from competenties.gap import (
    CompetencyResult,
    ScoreRow,
    aggregate_level,
    competency_results,
    compute_gap,
    current_levels,
    disagrees,
    latest_by_role,
)


def test_aggregate_is_the_rounded_mean_ignoring_empty_scores():
    assert aggregate_level([2, 3, None]) == 3  # 2.5 rounds half up
    assert aggregate_level([1, 2]) == 2
    assert aggregate_level([1, 1, 2]) == 1  # 1.33
    assert aggregate_level([4, None, None]) == 4
    assert aggregate_level([3, 4, 4]) == 4  # 3.67


def test_no_scores_or_only_empty_scores_give_no_level():
    assert aggregate_level([]) is None
    assert aggregate_level([None, None]) is None


def row(assessment, day, role, competency, level):
    return ScoreRow(assessment, date(2026, 1, day), role, competency, level)


def test_competency_results_group_per_assessment_and_skip_empty_competencies():
    rows = [
        row(1, 1, "coach", 10, 2),
        row(1, 1, "coach", 10, 3),
        row(1, 1, "coach", 11, None),
        row(1, 1, "coach", None, 4),  # a deleted competency: kept in the snapshot, not in the levels
        row(2, 5, "self", 10, 4),
    ]
    results = {(r.assessment_id, r.competency_id): r.level for r in competency_results(rows)}
    assert results == {(1, 10): 3, (2, 10): 4}


def result(assessment, day, role, competency, level):
    return CompetencyResult(assessment, date(2026, 1, day), role, competency, level)


def test_current_level_prefers_professionals_and_falls_back_to_self():
    results = [
        result(1, 1, "coach", 10, 2),
        result(2, 9, "self", 10, 4),  # newer, but a self-assessment
        result(3, 3, "werkvloerbegeleider", 10, 3),
        result(4, 9, "self", 11, 2),  # nobody else scored competency 11
    ]
    current = current_levels(results)
    assert current[10].level == 3
    assert current[10].assessment_id == 3
    assert current[11].level == 2


def test_same_day_results_are_ordered_by_entry():
    current = current_levels([result(5, 1, "coach", 10, 1), result(6, 1, "coach", 10, 4)])
    assert current[10].level == 4


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


@given(st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=4)), max_size=12))
def test_aggregate_stays_within_the_given_levels(levels):
    given = [level for level in levels if level is not None]
    level = aggregate_level(levels)
    if not given:
        assert level is None
    else:
        assert min(given) <= level <= max(given)
        assert abs(level - sum(given) / len(given)) <= 0.5
