"""Scoping fails closed (``bwise.access``).

Two nets for the same kind of mistake, a query on an organisation's data that nobody
scoped to the reader:

* statically, every view, API, form, filter, export, document, selector and task module
  reads scoped models only through ``visible_to(user)`` (or ``visible_or_404``, the
  access layer's helpers, a related manager of a fetched object, or a correlated
  subquery), and the few named ``unscoped(reason=...)`` entries are listed here;
* at run time, in requests and Celery tasks, evaluating a queryset of a scoped model
  that was not scoped raises ``UnscopedQueryError``.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import Count

from bwise.access import (
    ScopedQuerySet,
    UnscopedQueryError,
    colleagues_of,
    scopes_disabled,
    scoping_enforced,
    teams_of,
)
from bwise.accounts.models import Role
from tests.factories_trajects import TrajectoryFactory, WorkerFactory
from trajects.models import Trajectory, Worker

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("bwise", "trajects", "competenties", "partners")
# Modules that turn a request (or a task) into output: what they read must be scoped.
CHECKED = re.compile(r"^(views\w*|api|fields|forms|filters|exports|documents|printing|tasks|selectors)\.py$")
# Queryset methods that scope (or empty) a queryset; a chain must start with one of them.
SCOPING = {"visible_to", "of_worker", "of_organisation", "none"} | {
    # Methods of a model's queryset that bound it by a user (``bwise.access.marks_scoped``).
    name
    for model in apps.get_models()
    for name, method in vars(type(model._default_manager.get_queryset())).items()
    if getattr(method, "marks_scope", False)
}
# The named unscoped entries allowed in checked modules, with why.
ALLOWED_UNSCOPED = {
    # Platform staff's aggregates over every organisation; only figures, no worker lists.
    ("bwise/dashboard/selectors.py", "_federation_values"),
    # Names of the coach and supervisor ids in the history of a worker the reader opened.
    ("trajects/selectors.py", "_worker_changes"),
    # Used by the partner scanner, which reads every organisation.
    ("partners/selectors.py", "uncontacted_partners"),
}
# Calls whose queryset argument the access layer scopes itself.
SCOPING_CALLS = {"visible_or_404"}


def scoped_models() -> list[type]:
    return [
        model
        for model in apps.get_models()
        if isinstance(model._default_manager.get_queryset(), ScopedQuerySet)
    ]


def checked_modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if CHECKED.match(path.name) and "migrations" not in path.parts
    )


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


class _Scan(ast.NodeVisitor):
    """Finds ``<Model>.objects.<x>`` chains and manager back doors in one module."""

    def __init__(self, path: str, unscoped_names: set[str]):
        self.path = path
        # Model names whose querysets are not scoped (audit log, history events...).
        self.unscoped_names = unscoped_names
        self.function = ""
        self.exempt: set[int] = set()
        self.problems: list[str] = []

    def visit_FunctionDef(self, node):
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call):
        name = _call_name(node)
        if name in SCOPING_CALLS and node.args:
            self.exempt.update(_chain_ids(node.args[0]))
        if name == "Prefetch":
            # A prefetch is bounded by the objects it is attached to.
            for keyword in node.keywords:
                if keyword.arg == "queryset":
                    self.exempt.update(_chain_ids(keyword.value))
        if name in {"unscoped", "scopes_disabled"} and (self.path, self.function) not in ALLOWED_UNSCOPED:
            self.problems.append(
                f"{self.path}:{node.lineno} {name}() in {self.function or 'module'} is not allowed here"
            )
        if any(_call_name(arg) == "OuterRef" for arg in _call_args(node)):
            # A correlated subquery is bounded by the (scoped) outer query.
            self.exempt.update(_chain_ids(node))
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute):
        if id(node) in self.exempt:
            return
        if node.attr in {"_default_manager", "_base_manager"} and not self._unscoped_model(node.value):
            self.problems.append(f"{self.path}:{node.lineno} {ast.unparse(node)}")
        elif (
            isinstance(node.value, ast.Attribute)
            and node.value.attr == "objects"
            and not self._unscoped_model(node.value.value)
            and node.attr not in SCOPING | {"unscoped"}
        ):
            self.problems.append(f"{self.path}:{node.lineno} {ast.unparse(node)}")
            return
        self.generic_visit(node)

    def _unscoped_model(self, node) -> bool:
        return isinstance(node, ast.Name) and node.id in self.unscoped_names


def _call_args(node: ast.Call):
    for arg in [*node.args, *(kw.value for kw in node.keywords)]:
        yield from (n for n in ast.walk(arg) if isinstance(n, ast.Call))


def _chain_ids(node):
    """Every node along a method chain ``a.b(...).c(...)`` (not the arguments)."""
    while True:
        yield id(node)
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return


def scan(source: str, path: str) -> list[str]:
    scoped = {model.__name__ for model in scoped_models()}
    unscoped = {model.__name__ for model in apps.get_models()} - scoped
    visitor = _Scan(path, unscoped)
    visitor.visit(ast.parse(source))
    return visitor.problems


def test_output_modules_read_scoped_models_through_the_access_layer():
    problems = [
        problem
        for path in checked_modules()
        for problem in scan(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert not problems, "Unscoped queries (use visible_to(user)):\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        "def view(request):\n    return Worker.objects.all()",
        "def view(request):\n    return Intake.objects.filter(pk=1)",
        "def view(request):\n    return Worker._default_manager.get(pk=1)",
        "def view(request):\n    return self.model.objects.count()",
        "def view(request):\n    return Worker.objects.unscoped(reason='x')",
    ],
)
def test_the_scan_finds_unscoped_queries(source):
    assert scan(source, "trajects/views.py")


@pytest.mark.parametrize(
    "source",
    [
        "def view(request):\n    return Worker.objects.visible_to(request.user).filter(pk=1)",
        "def view(request):\n    return visible_or_404(Worker.objects.select_related('coach'), u, pk=1)",
        "def view(request):\n    return Trajectory.objects.filter(worker=OuterRef('pk')).values('phase')",
        "def view(request):\n    return Prefetch('notes', queryset=StarrNote.objects.order_by('pk'))",
        "def view(request):\n    return AccessLog.objects.filter(worker_id=1)",
        "def view(request):\n    return worker.intakes.all()",
    ],
)
def test_the_scan_lets_scoped_queries_through(source):
    assert not scan(source, "trajects/views.py")


def test_every_scoped_model_refuses_an_unscoped_query_under_enforcement(db):
    models = [model for model in scoped_models() if model.objects.get_queryset().enforced]
    assert len(models) > 30
    for model in models:
        queryset = model.objects.filter(pk__gt=0)
        with scoping_enforced():
            for run in (
                list,
                len,
                bool,
                lambda qs: qs.first(),
                lambda qs: qs.count(),
                lambda qs: qs.exists(),
                lambda qs: qs.aggregate(n=Count("pk")),
                lambda qs: list(qs.iterator()),
                lambda qs: list(qs.values_list("pk", flat=True)),
                lambda qs: qs.update(pk=0),
                lambda qs: qs.delete(),
                lambda qs: qs | qs.model.objects.unscoped(reason="a test"),
            ):
                with pytest.raises(UnscopedQueryError, match=model._meta.label):
                    result = run(queryset)
                    list(result)  # the union is lazy until evaluated


def test_scoped_and_named_unscoped_queries_run_under_enforcement(db, make_user):
    coach = make_user(Role.COACH)
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    WorkerFactory(organisation=coach.organisation)
    with scoping_enforced():
        assert list(Worker.objects.visible_to(coach)) == [worker]
        assert Worker.objects.visible_to(coach).filter(pk=worker.pk).count() == 1
        assert Worker.objects.unscoped(reason="test").count() == 2
        assert not Worker.objects.none().exists()
        # A related manager is bounded by the object it hangs off.
        assert list(worker.trajectories.all()) == []
        with scopes_disabled(reason="test"):
            assert Worker.objects.count() == 2
        with pytest.raises(UnscopedQueryError):
            Worker.objects.count()
    with pytest.raises(TypeError):
        Worker.objects.unscoped(reason="")


def test_outside_requests_and_tasks_nothing_is_enforced(db):
    WorkerFactory()
    assert Worker.objects.count() == 1


def test_requests_run_with_scoping_enforced(client, make_user, monkeypatch):
    from trajects import views

    seen = []

    def spy(*args, **kwargs):

        with pytest.raises(UnscopedQueryError):
            Worker.objects.count()
        seen.append(True)
        return original(*args, **kwargs)

    original = views.selectors.caseload_for
    monkeypatch.setattr(views.selectors, "caseload_for", spy)
    client.force_login(make_user(Role.COACH))
    assert client.get("/workers/").status_code == 200
    assert seen


def test_tasks_run_with_scoping_enforced(db):
    from bwise.celery import app

    @app.task
    def count_workers():

        return Worker.objects.count()

    with pytest.raises(UnscopedQueryError):
        count_workers.apply(throw=True).get()


def test_colleagues_are_active_users_of_the_own_organisation_with_the_roles(make_user, other_organisation):
    hr = make_user(Role.HR)
    coach = make_user(Role.COACH)
    make_user(Role.COACH, is_active=False)
    supervisor = make_user(Role.BEGELEIDER)
    make_user(Role.COACH, org=other_organisation)
    with scoping_enforced():
        assert set(colleagues_of(hr, [Role.COACH])) == {coach}
        assert set(colleagues_of(hr, [Role.COACH, Role.HR])) == {coach, hr}
        assert set(colleagues_of(coach)) == {hr, coach, supervisor}
    assert not colleagues_of(make_user(Role.COACH, is_active=False), [Role.COACH]).exists()


def test_teams_are_those_of_the_workers_the_user_sees(make_user, organisation):
    coach = make_user(Role.COACH)
    WorkerFactory(organisation=organisation, coach=coach, team="Groen")
    WorkerFactory(organisation=organisation, team="Atelier")
    with scoping_enforced():
        assert list(teams_of(coach)) == ["Groen"]
        assert list(teams_of(make_user(Role.HR))) == ["Atelier", "Groen"]


def test_rows_of_a_fetched_worker_or_a_scoped_worker_queryset(make_user):
    coach = make_user(Role.COACH)
    mine = TrajectoryFactory(worker=WorkerFactory(organisation=coach.organisation, coach=coach))
    TrajectoryFactory(worker=WorkerFactory(organisation=coach.organisation))
    with scoping_enforced():
        assert list(Trajectory.objects.of_worker(mine.worker)) == [mine]
        assert list(Trajectory.objects.of_worker(Worker.objects.visible_to(coach))) == [mine]
        for wrong in (mine.worker.pk, mine):
            with pytest.raises(TypeError):
                Trajectory.objects.of_worker(wrong)
        with pytest.raises(UnscopedQueryError):
            list(Trajectory.objects.of_worker(Worker.objects.all()))
        assert coach.organisation.pk in {
            row.organisation_id for row in type(coach).objects.of_organisation(mine.worker)
        }


def test_a_model_with_its_own_visible_to_still_hands_out_scoped_querysets(make_user):
    from bwise.readiness.models import ActionItem

    with scoping_enforced():
        assert ActionItem.objects.visible_to(make_user(Role.HR)).count() == 0


# The change history (pghistory's event tables copy every tracked field, special-category
# ones included) and the access log are unscoped tables: only these modules read them, each
# through the reader's minimisation or for the data subject's own rights.
HISTORY_READERS = {
    "bwise/privacy/history.py",  # history_for: events of records the reader may see, minimised
    "bwise/privacy/records.py",  # which event tables exist, for erasure and export of one subject
    "bwise/privacy/services.py",  # the data subject's own copy and erasure
    "bwise/privacy/selectors.py",  # HR's "who looked at this record" page
    "bwise/audit/services.py",  # writes the access log
    "bwise/audit/chain.py",  # verifies the access log's hash chain
    "bwise/audit/roles.py",  # grants on the tables, no reads
}
HISTORY_NAMES = {"AccessLog", "pgh_event_model"}


def history_models() -> set[str]:
    from pghistory.models import Event

    return {model.__name__ for model in apps.get_models() if issubclass(model, Event)}


def history_reads(source: str, names: set[str]) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Name)
            and node.id in names
            or isinstance(node, ast.Attribute)
            and node.attr in names
            or isinstance(node, ast.ImportFrom)
            and (node.module == "pghistory.models" or any(alias.name in names for alias in node.names))
        ):
            lines.append(node.lineno)
    return lines


def test_only_the_privacy_layer_reads_the_change_history_and_the_access_log():
    names = history_models() | HISTORY_NAMES
    problems = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts and str(path.relative_to(ROOT)) not in HISTORY_READERS
        for line in history_reads(path.read_text(), names)
    ]
    assert not problems, (
        "History events and the access log are read through bwise.privacy.history_for (or the "
        "privacy layer's selectors), never directly:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize(
    "source",
    [
        "from trajects.models import WorkerEvent\n",
        "def view(request):\n    return WorkerEvent.objects.filter(pgh_obj_id=1)",
        "def view(request):\n    return Worker.pgh_event_model.objects.all()",
        "from pghistory.models import Events\n",
        "def view(request):\n    return AccessLog.objects.filter(worker_id=1)",
    ],
)
def test_the_history_scan_finds_direct_reads(source):
    assert history_reads(source, history_models() | HISTORY_NAMES)
