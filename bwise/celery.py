import os

from celery import Celery, Task, signals

# Whether importing this package chose the settings module, rather than the environment:
# ``bwise.embedded`` passes on to the command it runs only what the developer set.
SETTINGS_MODULE_CHOSEN_HERE = "DJANGO_SETTINGS_MODULE" not in os.environ
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bwise.settings")


class ScopedTask(Task):
    """Tasks run with scoping enforced, as requests do (``bwise.access``): a task that
    reads an organisation's data says whose view it takes, or why it needs them all."""

    def __call__(self, *args, **kwargs):
        from bwise.access import scoping_enforced

        with scoping_enforced():
            return super().__call__(*args, **kwargs)


app = Celery("bwise", task_cls=ScopedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _require_configuration(**kwargs):
    """The worker and beat run no system checks: a missing DATABASE_URL or SECRET_KEY stops
    them here, by name, instead of at the first task."""
    from django.core.exceptions import ImproperlyConfigured

    from bwise.core.checks import require_configuration

    try:
        require_configuration()
    except ImproperlyConfigured as error:
        # Celery logs an exception from a signal handler and starts anyway; SystemExit stops it.
        raise SystemExit(f"ImproperlyConfigured: {error}") from error
