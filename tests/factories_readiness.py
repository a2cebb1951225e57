import datetime

import factory
from factory.django import DjangoModelFactory

from bwise.readiness.models import ActionItem, Answer, SelfAssessment
from bwise.readiness.statements import STATEMENT_KEYS
from tests.factories import OrganisationFactory, UserFactory


class SelfAssessmentFactory(DjangoModelFactory):
    class Meta:
        model = SelfAssessment
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    assessed_on = datetime.date(2026, 1, 15)

    @factory.post_generation
    def scores(self, create, extracted, **kwargs):
        """``scores=[1, 0, ...]`` (one per statement, 1 agreed); all agreed by default."""
        values = extracted or [1] * len(STATEMENT_KEYS)
        Answer.objects.bulk_create(
            Answer(assessment=self, statement=key, score=value)
            for key, value in zip(STATEMENT_KEYS, values, strict=True)
        )


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    organisation = factory.SubFactory(OrganisationFactory)
    title = "Doorstroom opnemen in de visietekst"
    owner = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    deadline = datetime.date(2026, 6, 30)
