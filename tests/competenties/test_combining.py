"""The one rule that combines levels: the lower median, missing levels left out."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competenties.combining import combine, is_professional


@pytest.mark.parametrize(
    ("levels", "combined"),
    [
        ([], None),  # nobody rated
        ([None, None], None),  # every rater left it on "not observed"
        ([3], 3),  # one rater
        ([3, None], 3),  # a missing rater is left out, not counted as zero
        ([2, 3], 2),  # a tie between two middles: the lower, never rounded up
        ([3, 2], 2),  # order does not matter
        ([1, 4], 1),
        ([2, 3, 4], 3),  # odd count: the middle one
        ([1, 1, 4], 1),  # one generous rater does not pull the level up (the mean would give 2)
        ([1, 4, 4], 4),  # nor one strict rater down
        ([1, 2, 3, 4], 2),  # even count: the lower middle
        ([2, 2, 3, 3], 2),
        ([4, 4, None, 4], 4),
    ],
)
def test_combining_table(levels, combined):
    assert combine(levels) == combined


@given(st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=4)), max_size=12))
def test_combined_level_is_one_of_the_given_levels_and_never_above_the_upper_median(levels):
    given = sorted(level for level in levels if level is not None)
    level = combine(levels)
    if not given:
        assert level is None
    else:
        assert level in given
        assert level <= given[len(given) // 2]


def test_the_self_assessment_is_not_a_professional_rating():
    assert [is_professional(r) for r in ("coach", "werkvloerbegeleider", "external", "self")] == [
        True,
        True,
        True,
        False,
    ]
