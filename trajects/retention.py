"""What the privacy layer's retention needs to know of the workers and their trajectories."""

from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest, TruncDate

from trajects.models import Trajectory, Worker


def workers_closed_before(organisation, closed_before):
    """The workers of ``organisation`` whose retention clock started before ``closed_before``.

    The clock starts at the end of employment, or at the close of the last trajectory if
    that came later; a worker still employed, or with a trajectory open (nazorg after a
    move to the regular economy), keeps their file. Unscoped: the nightly retention runs
    over every organisation."""
    cutoff = closed_before.date() if hasattr(closed_before, "date") else closed_before
    return (
        Worker.objects.unscoped(reason="the nightly retention runs over every organisation")
        .filter(organisation=organisation, employment_end__isnull=False)
        .exclude(
            pk__in=Trajectory.objects.unscoped(reason="the nightly retention runs over every organisation")
            .current()
            .values("worker_id")
        )
        .annotate(
            clock=Greatest(
                "employment_end", Coalesce(TruncDate(Max("trajectories__closed_at")), "employment_end")
            )
        )
        .filter(clock__lt=cutoff)
    )
