"""Every assessment made before rounds existed joins a closed round: one round per worker,
framework and day, each assessment its own invited rater, and per competency the agreed
level the rule gives today (the lower median of the professional raters' levels). No
assessment or score changes, and a competency only the worker rated stays without an
agreed level, as it would in a new round."""

import datetime
from collections import defaultdict

from django.db import migrations

PROFESSIONAL = {"coach", "werkvloerbegeleider", "external"}
JUSTIFICATION = (
    "Overgenomen uit de beoordelingen van vóór de meetrondes: de laagste mediaan van de "
    "niveaus van de professionele beoordelaars."
)


def _lower_median(levels):
    given = sorted(level for level in levels if level is not None)
    return given[(len(given) - 1) // 2] if given else None


def forwards(apps, schema_editor):
    Assessment = apps.get_model("competenties", "Assessment")
    IndicatorScore = apps.get_model("competenties", "IndicatorScore")
    MeasurementRound = apps.get_model("competenties", "MeasurementRound")
    RoundParticipant = apps.get_model("competenties", "RoundParticipant")
    RoundRater = apps.get_model("competenties", "RoundRater")
    AgreedLevel = apps.get_model("competenties", "AgreedLevel")

    groups = defaultdict(list)
    for assessment in (
        Assessment.objects.filter(round__isnull=True)
        .select_related("worker", "framework")
        .order_by("date", "pk")
    ):
        groups[(assessment.worker_id, assessment.framework_id, assessment.date)].append(assessment)
    for (_worker_id, _framework_id, day), assessments in groups.items():
        first = assessments[0]
        measurement_round = MeasurementRound.objects.create(
            organisation_id=first.worker.organisation_id,
            title=f"{first.framework.name} · {day.isoformat()}",
            framework_id=first.framework_id,
            starts_on=day,
            ends_on=day,
            status="closed",
            opened_by_id=first.entered_by_id,
            closed_by_id=first.entered_by_id,
            closed_at=datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC),
        )
        participant = RoundParticipant.objects.create(round=measurement_round, worker_id=first.worker_id)
        per_rater = defaultdict(list)  # (competency, assessment) -> indicator levels
        names = {}
        for assessment in assessments:
            rater = RoundRater.objects.create(
                round=measurement_round,
                role=assessment.rater_role,
                user_id=assessment.rater_id,
                external_name=assessment.external_rater_name,
            )
            Assessment.objects.filter(pk=assessment.pk).update(round=measurement_round, round_rater=rater)
            if assessment.rater_role not in PROFESSIONAL:
                continue
            for competency_id, name, level in IndicatorScore.objects.filter(
                assessment=assessment, competency__isnull=False
            ).values_list("competency_id", "competency_name", "level"):
                per_rater[(competency_id, assessment.pk)].append(level)
                names[competency_id] = name
        by_competency = defaultdict(list)
        for (competency_id, _assessment_id), levels in per_rater.items():
            by_competency[competency_id].append(_lower_median(levels))
        AgreedLevel.objects.bulk_create(
            AgreedLevel(
                participant=participant,
                competency_id=competency_id,
                competency_name=names[competency_id],
                level=level,
                justification=JUSTIFICATION,
                decided_by_id=first.entered_by_id,
            )
            for competency_id, levels in by_competency.items()
            if (level := _lower_median(levels)) is not None
        )


def backwards(apps, schema_editor):
    """Rounds do not exist before this migration: every assessment leaves its round."""
    apps.get_model("competenties", "Assessment").objects.update(round=None, round_rater=None)
    apps.get_model("competenties", "MeasurementRound").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("competenties", "0003_measurement_rounds")]

    operations = [migrations.RunPython(forwards, backwards)]
