"""What every benchmark script does before it imports the project's modules."""

import os
import sys
import warnings
from pathlib import Path


def setup_django() -> None:
    """Django on the project's settings, with pages and documents rendered without a
    collectstatic manifest (as in tests), for the test client's host."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bwise.settings")
    import django
    from django.conf import settings

    django.setup()
    # WhiteNoise's note that collectstatic has not run: the finders serve the files here.
    warnings.filterwarnings("ignore", message="No directory at")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
