"""Headers and transport: the CSP, no caching of pages, production settings behind TLS."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from bwise.core.middleware import CONTENT_SECURITY_POLICY
from tests.security_helpers import INLINE_SCRIPT, PAGES

ROOT = Path(__file__).resolve().parents[2]


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_csp_allows_no_inline_or_eval_scripts():
    directives = _directives(CONTENT_SECURITY_POLICY)
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for values in directives.values():
        assert "'unsafe-eval'" not in values
    assert "'unsafe-inline'" not in directives.get("script-src-elem", [])


# --- Every page, as every role ---------------------------------------------------------


# Every role's answers on every page (object pages too) are checked by the leak walks
# (tests/privacy/test_leaks.py, `header_problems`); here the readers those walks do not have.
@pytest.fixture
def walkers(db):
    from tests.factories import PlatformStaffFactory

    return {"platform staff": PlatformStaffFactory(), "anonymous": None}


def test_the_walk_covers_the_main_pages():
    assert {"home", "trajects:caseload", "accounts:user_list", "mfa_index", "account_login"} <= set(PAGES)


def test_every_page_is_uncacheable_and_free_of_inline_scripts(client, walkers):
    walked = 0
    for label, user in walkers.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for name in PAGES:
            url = reverse(name)
            response = client.get(url)
            assert response.status_code < 500, f"{label} {url}: {response.status_code}"
            assert "no-store" in response.get("Cache-Control", ""), f"{label} {url} may be cached"
            if response.get("Content-Type", "").startswith("text/html"):
                assert not INLINE_SCRIPT.search(response.content.decode()), (
                    f"{label} {url} has an inline script"
                )
                assert "script-src 'self'" in response["Content-Security-Policy"]
            walked += 1
    assert walked == len(walkers) * len(PAGES)


# --- Production settings (HTTPS on by default), loaded in a fresh process -----------------


# Test-run conveniences that production never sets (conftest sets the async one for Playwright).
DEV_ONLY_VARIABLES = {"TESTING", "FAST_PASSWORD_HASHER", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _production_env(**extra) -> dict[str, str]:
    # HTTPS=0 is the test run's own (tests/conftest.py): production leaves it unset.
    env = {k: v for k, v in os.environ.items() if k not in DEV_ONLY_VARIABLES | {"HTTPS"}}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(60)[:60],
            "ALLOWED_HOSTS": "bwise.example.be",
            **extra,
        }
    )
    return env


def _manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_notices_a_missing_tls_setup():
    # Proves that .ci/run's `check --deploy` with production values alone (which passes there,
    # and below in-process) can fail: with HTTPS=0 said explicitly it complains.
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env(HTTPS="0"))
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stdout + result.stderr


def test_production_values_alone_pass_the_deploy_check_and_turn_on_secure_cookies_hsts_and_redirect():
    code = (
        "import json; from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING'); "
        "from django.conf import settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_HTTPONLY', 'DEBUG']}))"
    )
    result = _manage("shell", "-c", code, env=_production_env())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "DEBUG": False,
    }
