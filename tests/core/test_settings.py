"""Settings without side effects: importing them starts, writes and creates nothing; a start
without DATABASE_URL or SECRET_KEY stops by name; development values come from bwise.embedded."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bwise import embedded

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_VARIABLES = {"DATABASE_URL", "SECRET_KEY", "CELERY_BROKER_URL", "HTTPS", "BWISE_VAR_DIR"}


def _run(args: list[str], var_dir: Path, **extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}
    env.update({"BWISE_VAR_DIR": str(var_dir), "DEBUG": "0", **extra})
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_importing_the_settings_without_any_value_starts_and_writes_nothing(tmp_path):
    var_dir = tmp_path / "var"
    result = _run(
        [
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'bwise.settings'; django.setup(); "
            "from django.conf import settings as s; "
            "print(s.DATABASES['default']['HOST'], s.SECURE_SSL_REDIRECT)",
        ],
        var_dir,
    )
    assert result.returncode == 0, result.stderr
    # A database nobody can reach (no embedded server started), HTTPS on, no var/.
    assert result.stdout.strip().splitlines()[-1] == "/DATABASE_URL-is-not-set True"
    assert not var_dir.exists()


def test_a_fresh_checkout_checks_its_migrations_without_production_values(tmp_path):
    result = _run(["manage.py", "makemigrations", "--check", "--dry-run"], tmp_path / "var")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    assert not (tmp_path / "var").exists()


@pytest.mark.parametrize(
    ("given", "missing"),
    [({}, ["DATABASE_URL", "SECRET_KEY"]), ({"SECRET_KEY": "k" * 60}, ["DATABASE_URL"])],
)
def test_a_start_without_the_production_values_stops_naming_them(tmp_path, given, missing):
    check = _run(["manage.py", "check"], tmp_path / "var", **given)
    starts = [check]
    # The web server and the worker read the same check: with nothing set, each must stop too
    # (with one value given, `check` alone shows that only the other is named).
    if not given:
        wsgi = _run(["-c", "import bwise.wsgi"], tmp_path / "var", **given)
        worker = _run(["-m", "celery", "-A", "bwise", "worker", "--concurrency=1"], tmp_path / "var", **given)
        assert "ImproperlyConfigured" in wsgi.stderr and "ImproperlyConfigured" in worker.stderr
        starts += [wsgi, worker]
    for result in starts:
        assert result.returncode != 0
        for name in ("DATABASE_URL", "SECRET_KEY"):
            assert (f"{name} is not set" in result.stderr) == (name in missing), result.stderr
    assert "make run" in check.stderr


def test_the_development_values_fill_only_what_is_unset(tmp_path, monkeypatch):
    monkeypatch.setenv("BWISE_VAR_DIR", str(tmp_path))
    given = {
        "DATABASE_URL": "postgres://db/x",
        "SECRET_KEY": "s",
        "CELERY_BROKER_URL": "redis://r",
        "HTTPS": "1",
    }
    assert embedded.development_environment(given) == {}
    assert list(tmp_path.iterdir()) == []

    # Without a key and a broker: a key kept in var/ (the same the next time) and the
    # filesystem broker's folders; the database stays the one given.
    first = embedded.development_environment({"DATABASE_URL": "postgres://db/x", "HTTPS": "1"})
    second = embedded.development_environment({"DATABASE_URL": "postgres://db/x", "HTTPS": "1"})
    assert first == second
    assert set(first) == {"SECRET_KEY", "CELERY_BROKER_URL"}
    assert len(first["SECRET_KEY"]) >= 50 and first["CELERY_BROKER_URL"] == "filesystem://"
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in (tmp_path / "broker").iterdir()) == ["control", "processed", "queue"]
    assert embedded.development_environment(
        {"DATABASE_URL": "x", "SECRET_KEY": "s", "CELERY_BROKER_URL": "y"}
    ) == {"HTTPS": "0"}


@pytest.mark.parametrize(("given", "passed_on"), [(None, "None"), ("bwise.settings", "bwise.settings")])
def test_the_development_wrapper_passes_on_only_the_settings_module_the_developer_set(
    tmp_path, monkeypatch, given, passed_on
):
    """Importing the package sets DJANGO_SETTINGS_MODULE (for Celery); passed on to pytest, it
    made pytest-django read the settings before the tests' defaults, in one process."""
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    extra = {"DATABASE_URL": "postgres://db/x"}
    if given:
        extra["DJANGO_SETTINGS_MODULE"] = given
    show = "import os; print(os.environ.get('DJANGO_SETTINGS_MODULE'))"
    shown = _run(["-m", "bwise.embedded", sys.executable, "-c", show], tmp_path, **extra)
    assert shown.stdout.strip() == passed_on, shown.stderr
