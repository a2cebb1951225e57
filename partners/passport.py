"""The CV as an item of the competency passport (``competenties.passport``): the worker may
share it once it has some text; the employer sees its sections as the declaration's
allow-list copies them."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from bwise.privacy.declaration import PASSPORT_EMPLOYER_FIELDS
from bwise.privacy.minimise import allowed_fields
from competenties.passport import ItemChoice, PassportItemKind, register
from partners.models import CurriculumVitae

_FIELDS = PASSPORT_EMPLOYER_FIELDS["partners.CurriculumVitae"]


def _written_cv(worker):
    cv = CurriculumVitae.objects.of_worker(worker).first()
    if cv is None or not any(getattr(cv, name).strip() for name in _FIELDS):
        return None
    return cv


def _cv_choices(worker) -> list[ItemChoice]:
    cv = _written_cv(worker)
    return [ItemChoice(cv.pk, _("CV"))] if cv is not None else []


def _cv_shared(worker, refs: list[int]) -> list:
    cv = _written_cv(worker)
    if cv is None or cv.pk not in refs:
        return []
    copy = allowed_fields(cv, _FIELDS)
    sections = [
        (capfirst(CurriculumVitae._meta.get_field(name).verbose_name), getattr(copy, name).strip())
        for name in _FIELDS
    ]
    return [[(title, text) for title, text in sections if text]]


CV = register(
    PassportItemKind(
        key="cv",
        label=_("CV"),
        choices=_cv_choices,
        shared=_cv_shared,
        template="partners/passport/_cv.html",
    )
)
