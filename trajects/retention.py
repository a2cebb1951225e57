"""What the privacy layer's retention needs to know of the workers and their trajectories."""

from django.db.models import Max

from trajects.models import Trajectory, Worker


def workers_closed_before(organisation, closed_before):
    """The workers of ``organisation`` whose last trajectory closed before ``closed_before``,
    with none open. Workers who never had a trajectory are left out: their file is still
    being built. Unscoped: the nightly retention runs over every organisation."""
    return (
        Worker.objects.unscoped(reason="the nightly retention runs over every organisation")
        .filter(organisation=organisation, trajectories__isnull=False)
        .exclude(
            pk__in=Trajectory.objects.unscoped(reason="the nightly retention runs over every organisation")
            .current()
            .values("worker_id")
        )
        .annotate(last_closed=Max("trajectories__closed_at"))
        .filter(last_closed__lt=closed_before)
    )
