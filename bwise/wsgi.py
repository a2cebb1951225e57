import os

from django.core.wsgi import get_wsgi_application

from bwise.core.checks import require_configuration

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bwise.settings")

application = get_wsgi_application()

# Gunicorn runs no system checks: a missing DATABASE_URL or SECRET_KEY stops it here, by name.
require_configuration()
