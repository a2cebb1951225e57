"""The start stops while production values are missing.

The settings give DATABASE_URL and SECRET_KEY no default (a development default would be a
weak key or a database nobody backs up). Django's system checks stop `manage.py` commands
(runserver, migrate, check --deploy); the WSGI/ASGI application and the Celery worker and beat
call ``require_configuration`` themselves, as they run no checks. Commands that neither serve
nor read the database (``OFFLINE_COMMANDS``) run without them, so that a fresh checkout can check
its migrations and translations.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

HINT = (
    "Set it in the environment (README.md, 'Configuration'). On a development machine "
    "`make run` and `make test` provide development values (python -m bwise.embedded COMMAND)."
)


def _missing_message(name: str) -> str:
    return f"{name} is not set: B-WISE Doorstroom does not start without it."


OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "collectstatic"}


def _offline_command() -> bool:
    argv = sys.argv
    return (
        len(argv) > 1 and Path(argv[0]).name in ("manage.py", "django-admin") and argv[1] in OFFLINE_COMMANDS
    )


@register()
def required_configuration(app_configs=None, **kwargs):
    if _offline_command():
        return []
    return [Error(_missing_message(name), hint=HINT, id="bwise.E001") for name in settings.MISSING_VARIABLES]


def require_configuration() -> None:
    if settings.MISSING_VARIABLES:
        messages = " ".join(_missing_message(name) for name in settings.MISSING_VARIABLES)
        raise ImproperlyConfigured(f"{messages} {HINT}")
