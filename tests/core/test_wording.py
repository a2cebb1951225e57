"""The Dutch a Flemish coach expects (issue 12): the guide's own words for columns and
categories, one term per concept, and "doelgroepmedewerker" where "medewerker" could be
read as staff."""

import re

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation.trans_real import translation as catalogue

from competenties.models import Category, PlanAction
from partners.models import Hire
from trajects.models import Statuut, Worker


def _dutch_texts() -> list[str]:
    return [text for _msgid, text in catalogue("nl")._catalog.items()]


def test_the_guide_s_words_for_plan_columns_competency_groups_and_cards():
    with translation.override("nl"):
        pop_column = PlanAction._meta.get_field("who_helps").verbose_name
        pdp_columns = [
            capfirst(PlanAction._meta.get_field(name).verbose_name) for name in ("time_span", "done")
        ]
        assert capfirst(pop_column) == "Wie kan me hierbij helpen?"
        assert pdp_columns == ["Tijdspanne", "Voltooid?"]
        assert Category.ADDITIONAL.label == "Bijkomend"
        assert "ACTIVA-werkkaart" in str(Hire._meta.get_field("wage_subsidy").help_text)
        assert Statuut.OTHER.label == "andere"
        assert gettext("Disability") == "Arbeidshandicap"
        assert gettext("LDE limit") == "LDE-termijn"
        assert gettext("Post") == "Werkpost"
        assert str(Worker._meta.verbose_name_plural) == "doelgroepmedewerkers"
        # The menu label ("POP-opvolging") is in tests/core/test_navigation.py; the count of
        # POPs falling due says so rather than "te doen".
        assert gettext("POPs due") == "Vervallende POP's"


def test_retired_words_are_gone_from_the_dutch_catalogue():
    retired = [
        r"\bhandicap",  # "arbeidshandicap" or "beperking"
        r"LDE-limiet",  # "LDE-termijn"
        r"POP's te doen",  # the menu says "POP-opvolging"
        r"\bwerkplek",  # "werkpost"
        r"doelgroepverminderingskaart",  # an invented card: the ACTIVA-werkkaart
        r"Bijzondere gegevens",  # one term for special-category data: "gevoelige gegevens"
        r"(?<![\w-])[Mm]edewerkers (per|zonder|in een|met|en trajecten|importeren)",  # staff or worker?
    ]
    texts = _dutch_texts()
    for pattern in retired:
        found = [text for text in texts if re.search(pattern, text)]
        assert not found, (pattern, found)
