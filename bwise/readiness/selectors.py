from dataclasses import dataclass, field

from django.db.models import Sum

from bwise.readiness.models import ActionItem, Answer, SelfAssessment
from bwise.readiness.statements import MAX_SCORE, STATEMENTS


@dataclass
class ScoredAssessment:
    assessment: SelfAssessment
    score: int
    change: int | None  # since the assessment before it; None for the first one

    @property
    def percent(self) -> int:
        return round(100 * self.score / MAX_SCORE)


def scored_assessments(user) -> list[ScoredAssessment]:
    """The organisation's self-assessments, newest first, each with its score and change (one query)."""
    rows = list(
        SelfAssessment.objects.visible_to(user)
        .select_related("created_by")
        .annotate(total=Sum("answers__score"))
        .order_by("assessed_on", "pk")
    )
    scored, previous = [], None
    for row in rows:
        score = row.total or 0
        scored.append(ScoredAssessment(row, score, None if previous is None else score - previous))
        previous = score
    return list(reversed(scored))


@dataclass
class StatementRow:
    key: str
    text: str
    answer: Answer | None
    previous: Answer | None
    actions: list = field(default_factory=list)

    @property
    def change(self) -> int | None:
        if self.answer is None or self.previous is None:
            return None
        return self.answer.score - self.previous.score


def statement_rows(assessment: SelfAssessment, previous: SelfAssessment | None) -> list[StatementRow]:
    answers = {a.statement: a for a in assessment.answers.all()}
    before = {a.statement: a for a in previous.answers.all()} if previous else {}
    return [StatementRow(key, text, answers.get(key), before.get(key)) for key, text in STATEMENTS]


def previous_assessment(assessment: SelfAssessment):
    return (
        SelfAssessment.objects.of_organisation(assessment)
        .filter(assessed_on__lte=assessment.assessed_on)
        .exclude(pk=assessment.pk)
        .exclude(assessed_on=assessment.assessed_on, pk__gt=assessment.pk)
        .order_by("-assessed_on", "-pk")
        .first()
    )


def action_items_for(user):
    return ActionItem.objects.visible_to(user).select_related("owner")
