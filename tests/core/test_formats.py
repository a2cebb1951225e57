"""Dates as Flemish and Belgian-English readers write them, set in the format modules
(``bwise/formats``), never in templates."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import engines
from django.utils import formats, translation
from django.utils.translation import pgettext

DAY = datetime.date(2026, 11, 30)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    ("language", "in_lists", "in_forms"),
    [("nl-be", "30 {month} 2026", "30-11-2026"), ("en", "30 Nov 2026", "30/11/2026")],
)
def test_a_date_in_lists_and_in_forms(language, in_lists, in_forms):
    with translation.override(language):
        # Dutch abbreviates the month with a full stop ("nov."): Django's own catalogue says
        # "nov", the project's (pgettext "abbrev. month") says "nov.".
        in_lists = in_lists.format(month=pgettext("abbrev. month", "Nov."))
        assert formats.date_format(DAY) == in_lists
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == in_forms
        rendered = engines["django"].from_string('{{ day|date:"DATE_FORMAT" }}').render({"day": DAY})
        assert rendered == in_lists


def test_typed_dates_are_read_day_first():
    with translation.override("nl-be"):
        assert (
            datetime.datetime.strptime("03-04-2026", formats.get_format("DATE_INPUT_FORMATS")[0]).month == 4
        )


def test_templates_name_a_format_instead_of_spelling_one():
    # The printed documents are the documents' own (their dates are made there).
    literal = re.compile(r'\|(date|time):"(?![A-Z_]+")[^"]*"')
    offending = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "documents/print" not in path.as_posix()
        for match in literal.finditer(path.read_text())
    ]
    assert offending == []
