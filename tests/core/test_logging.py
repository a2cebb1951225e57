"""No personal data in log lines or Celery messages."""

import inspect
import logging
import re
import sys

import pytest

from bwise.core.logging import PersonalDataFilter, scrub


@pytest.mark.parametrize(
    "text",
    [
        "could not send to an.peeters@example.be",
        "bad row: rijksregisternummer 85.07.30-033.28",
        "bad row: 85073003328",
        "call +32 470 12 34 56",
        "call 0470/12.34.56",
    ],
)
def test_scrub_removes_personal_data(text):
    cleaned = scrub(text)
    assert "[redacted]" in cleaned
    assert not re.search(r"\d{6,}|@", cleaned.replace(" ", "").replace(".", "").replace("/", ""))


def test_scrub_keeps_ordinary_numbers():
    assert scrub("worker 1234 moved to phase 2 in 2026") == "worker 1234 moved to phase 2 in 2026"


def test_the_console_handler_scrubs():
    record = logging.LogRecord(
        "bwise", logging.WARNING, __file__, 1, "mail to %s failed", ("jo@example.be",), None
    )
    assert PersonalDataFilter().filter(record)
    assert record.getMessage() == "mail to [redacted] failed"


def test_tracebacks_are_scrubbed_too():
    try:
        raise ValueError("no account for jo@example.be")
    except ValueError:
        record = logging.LogRecord("bwise", logging.ERROR, __file__, 1, "import failed", (), sys.exc_info())
    PersonalDataFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "ValueError" in formatted
    assert "jo@example.be" not in formatted


def test_logging_settings_attach_the_filter(settings):
    assert "personal_data" in settings.LOGGING["handlers"]["console"]["filters"]


# Celery messages travel through Redis and may be kept in its persistence files: tasks take
# primary keys (and simple flags), never model instances, names or other personal data.
PK_PARAMETER = re.compile(r"(^|_)(pk|id)s?$")
OUR_MODULES = ("bwise.", "trajects.", "competenties.", "partners.", "documents.", "reminders.")


def parameter_problems(func) -> list[str]:
    problems = []
    for parameter in inspect.signature(func).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD) or parameter.name == "self":
            continue
        if parameter.default is parameter.empty:
            if not PK_PARAMETER.search(parameter.name):
                problems.append(f"{parameter.name} must be a primary key")
        elif not (parameter.default is None or isinstance(parameter.default, bool | int)):
            problems.append(f"{parameter.name} may only be a flag or a number")
    return problems


def test_the_task_check_spots_instances_and_names():
    def bad(worker, *, name="x"): ...

    def good(worker_pk, document_ids, *, force=False, attempt=0): ...

    assert len(parameter_problems(bad)) == 2
    assert parameter_problems(good) == []


def test_celery_tasks_take_primary_keys_only(settings):
    from bwise.celery import app

    app.loader.import_default_modules()
    checked = set()
    for name, task in app.tasks.items():
        if name.startswith(OUR_MODULES):
            assert parameter_problems(task.run) == [], name
            checked.add(name)
    # Not vacuous: the tasks that exist today are among those checked (and every
    # task the beat schedule names is a task of ours).
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= checked
    assert {"bwise.documents.tasks.render_document", "bwise.privacy.tasks.apply_retention"} <= checked


@pytest.mark.parametrize("debug", [False, True])
def test_error_reports_carry_no_personal_data(rf, settings, debug):
    from django.views.debug import get_exception_reporter_class

    from bwise.core.error_reports import PersonalDataExceptionReporter

    settings.DEBUG = debug
    # Built at run time, so that the source lines quoted in the traceback do not contain it.
    marker = "-".join(["MARKER", "personal"])
    surname = "".join(["Verst", "raete"])
    request = rf.post(f"/workers/?q={surname}", {"health_note": marker})

    def view(worker_name):
        raise RuntimeError(f"no mail to {worker_name}@example.be")

    assert get_exception_reporter_class(request) is PersonalDataExceptionReporter
    try:
        view(marker)
    except RuntimeError:
        reporter = get_exception_reporter_class(request)(request, *sys.exc_info(), is_email=True)
        report = reporter.get_traceback_text() + reporter.get_traceback_html()
    assert "RuntimeError" in report and "health_note" in report
    assert marker not in report
    assert surname not in report
