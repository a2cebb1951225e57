"""The dashboard's panels leave no hole in a row: half-width panels pair up, and one left
without a half-width neighbour takes the whole row (issue 15, seen at 1280 px)."""

from types import SimpleNamespace

import pytest

from bwise.dashboard.selectors import Dashboard

W, H = True, False  # wide, half


@pytest.mark.parametrize(
    ("widths", "whole_rows"),
    [
        ((W, W, H, W), (True, True, True, True)),  # the upcoming-deadlines chart alone
        ((H, H, W), (False, False, True)),
        ((H, H, H), (False, False, True)),
        ((H, W, H, H, H), (True, True, False, False, True)),
        ((), ()),
    ],
)
def test_a_half_width_panel_without_a_neighbour_takes_the_whole_row(widths, whole_rows):
    panels = [(SimpleNamespace(wide=wide, key=str(n)), n) for n, wide in enumerate(widths)]
    dashboard = Dashboard(filterset=None, period_form=None, period=None, panels=panels)
    assert tuple(full for _, _, full in dashboard.laid_out) == whole_rows
    assert [value for _, value, _ in dashboard.laid_out] == list(range(len(widths)))
