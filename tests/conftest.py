import os
import secrets
from contextlib import contextmanager
from urllib.parse import urlsplit

# The test run's own defaults, set before Django reads the settings (which is why
# DJANGO_SETTINGS_MODULE is set here and not in pyproject.toml): the test client and the live
# server speak plain HTTP, passwords hash fast, and a run without SECRET_KEY signs with a key
# of its own (in the environment too, for the processes some tests start). The database is
# the one DATABASE_URL names; `make test` starts the embedded one when it is unset.
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("FAST_PASSWORD_HASHER", "1")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# the same tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bwise.settings")
if not os.environ.get("DATABASE_URL"):
    raise SystemExit(
        "DATABASE_URL is not set: run the tests with `make test` (embedded PostgreSQL), "
        "or point DATABASE_URL at a PostgreSQL server whose user may create databases."
    )

# Celery lets the CELERY_BROKER_URL environment variable win over app.conf.broker_url, which
# would send every test's messages to the real broker and defeat the tests that point the
# app at a stopped or in-memory one. The Redis tests get it (on their own database number)
# through BWISE_TEST_REDIS_URL.
_broker_from_env = os.environ.pop("CELERY_BROKER_URL", "")
if _broker_from_env.startswith("redis://") and "BWISE_TEST_REDIS_URL" not in os.environ:
    os.environ["BWISE_TEST_REDIS_URL"] = urlsplit(_broker_from_env)._replace(path="/15").geturl()

import django  # noqa: E402

django.setup()

from django.db.backends.postgresql.operations import DatabaseOperations  # noqa: E402


def _delete_instead_of_truncate(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """Empties the tables after a transactional test (browser journeys, races) with DELETE.

    TRUNCATE gives each of the ~100 tables a new file, about two seconds per test on this
    machine; DELETE of the few rows a test made takes milliseconds. The replica role skips
    the triggers (the audit log's append-only guard, history capture, foreign-key checks)
    for this one transaction: the whole database is being emptied at once.
    """
    if reset_sequences or not tables:
        return _truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    return ["SET LOCAL session_replication_role = replica"] + [
        f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
    ]


_truncate = DatabaseOperations.sql_flush
DatabaseOperations.sql_flush = _delete_instead_of_truncate

import factory.random  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

from bwise.accounts.models import Role  # noqa: E402
from tests.database_template import django_db_setup  # noqa: E402, F401 - the fixture
from tests.factories import OrganisationFactory, UserFactory  # noqa: E402

# How hard the property tests and fuzzers push (tests/privacy/test_fuzz_*.py take their
# example counts from here): `make test` runs 12 of the full run's 200, so that the suite fits
# in five minutes on two cores; `make test-full` (FUZZ=full) runs them at full strength. No deadline: a shared
# machine makes one example slow now and then, which says nothing about the code.
hypothesis_settings.register_profile("quick", max_examples=12, deadline=None)
hypothesis_settings.register_profile("full", max_examples=200, deadline=None)
hypothesis_settings.load_profile("full" if os.environ.get("FUZZ") == "full" else "quick")


@pytest.fixture(autouse=True)
def _same_fake_data_whatever_ran_before(request):
    """Faker draws from one random state for the whole run, so a test's names would depend on
    how many names the tests before it drew, and on which xdist worker runs it (a "D'Hondt"
    that a test forgets to escape turns up in one order and not in another). Seeded by the
    test's own id, every test sees the same data alone, in the suite or on any worker."""
    factory.random.reseed_random(request.node.nodeid)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Documents, logos and import uploads go to a throw-away directory, never to var/private."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }


@pytest.fixture(autouse=True)
def _no_figures_kept_from_another_test():
    """The federation's kept figures live in the process (``caches["figures"]``): a test
    must not read those an earlier test's data made."""
    from django.core.cache import caches

    caches["figures"].clear()


@pytest.fixture(autouse=True, scope="session")
def _celery_in_memory():
    """Messages published by tests go to kombu's in-memory transport, not to var/broker;
    tests that need a real broker or worker point the app elsewhere themselves."""
    from bwise.celery import app

    app.conf.broker_url = "memory://"
    app.conf.broker_transport_options = {}
    yield


@pytest.fixture
def tasks_on_commit(django_capture_on_commit_callbacks):
    """``with tasks_on_commit(): ...`` runs the tasks the block enqueues on commit in this
    process at the block's end, as a worker would, instead of publishing them."""
    from bwise.celery import app

    @contextmanager
    def run():
        before = app.conf.task_always_eager, app.conf.task_eager_propagates
        app.conf.task_always_eager = app.conf.task_eager_propagates = True
        try:
            with django_capture_on_commit_callbacks(execute=True):
                yield
        finally:
            app.conf.task_always_eager, app.conf.task_eager_propagates = before

    return run


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory()


@pytest.fixture
def make_user(db, organisation):
    def make(*roles, org=None, **kwargs):
        return UserFactory(organisation=org or organisation, roles=list(roles) or [Role.COACH], **kwargs)

    return make


@pytest.fixture
def coach(make_user):
    return make_user(Role.COACH)


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def directie(make_user):
    return make_user(Role.DIRECTIE)


@pytest.fixture
def beheerder(make_user):
    return make_user(Role.BEHEERDER)


@pytest.fixture
def begeleider(make_user):
    return make_user(Role.BEGELEIDER)


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_MISSING = (
    f"Chromium is missing at {CHROMIUM}: the browser tests are skipped. Install it with "
    "scripts/install-system-packages (or point CHROMIUM_PATH at one)."
)
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_report_header(config):
    return [] if os.path.exists(CHROMIUM) else [CHROMIUM_MISSING]


def pytest_terminal_summary(terminalreporter):
    if not os.path.exists(CHROMIUM):
        terminalreporter.write_line(CHROMIUM_MISSING, yellow=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.skip(CHROMIUM_MISSING)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield _LessMotion(browser)
        browser.close()


class _LessMotion:
    """The browser, whose every window is that of a user who asked for less motion:
    Bootstrap then opens menus, panels and dialogs at once instead of animating them for
    0.15 to 0.35 s, which each test waited out (the menu's width test per role 4.1 to 2.8 s).
    What a page shows at rest is the same."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("reduced_motion", "reduce")
        return self._browser.new_context(**options)

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab in Dutch (the product's default), pointed at the live server."""
    # A desktop screen: the menu collapses behind a button below 1200 px.
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", viewport={"width": 1440, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    def do_login(username, password="secret-password-1"):
        page.goto("/accounts/login/")
        page.fill("input[name=login]", username)
        page.fill("input[name=password]", password)
        # The header's language switcher is also a form: click the login form's own button.
        page.click("main form[method=post] button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return do_login
