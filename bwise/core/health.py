"""Health of the database and of the broker, for load balancers and operators."""

from django.conf import settings
from django.db import connection
from kombu import Connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means "unavailable"
        return "unavailable"


def broker_status(timeout: float = 1.0) -> str:
    """Probe the broker with a short timeout so that the page answers even when it is down."""
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=timeout,
            transport_options={**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "socket_timeout": timeout},
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
        return "ok"
    except Exception:  # noqa: BLE001
        return "unavailable"
