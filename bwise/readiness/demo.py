"""Demo data: two self-assessments half a year apart and a small action plan for the first
demo organisation. Run by ``bwise.accounts.demo`` once "bwise.readiness.demo" is in DEMO_MODULES."""

import datetime

from django.utils import timezone

from bwise.readiness.models import ActionItem, ActionStatus, Answer, SelfAssessment
from bwise.readiness.statements import STATEMENT_KEYS

# Per statement, in the order of STATEMENTS: 1 agreed, 0 not (yet).
EARLIER = [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1]
LATER = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1]
ACTIONS = [
    (
        "Definitie van doorstroom opnemen in het beleidsplan",
        "definition",
        "directie",
        30,
        ActionStatus.IN_PROGRESS,
    ),
    ("Coaches opleiden in gesprekken met werkgevers", "nec_training", "hr", 10, ActionStatus.OPEN),
    ("Netwerkontbijt met lokale bedrijven organiseren", "networking", "coach", 90, ActionStatus.OPEN),
]


def seed_demo(ctx) -> None:
    organisation = ctx.organisations[0]
    today = timezone.localdate()
    for days_ago, scores in ((200, EARLIER), (20, LATER)):
        assessed_on = today - datetime.timedelta(days=days_ago)
        assessment, created = SelfAssessment.objects.get_or_create(
            organisation=organisation, assessed_on=assessed_on, defaults={"created_by": ctx.users["directie"]}
        )
        if created:
            Answer.objects.bulk_create(
                Answer(assessment=assessment, statement=key, score=score)
                for key, score in zip(STATEMENT_KEYS, scores, strict=True)
            )
    for title, statement, owner, days, status in ACTIONS:
        ActionItem.objects.get_or_create(
            organisation=organisation,
            title=title,
            defaults={
                "statement": statement,
                "owner": ctx.users[owner],
                "deadline": today + datetime.timedelta(days=days),
                "status": status,
                "created_by": ctx.users["directie"],
            },
        )
