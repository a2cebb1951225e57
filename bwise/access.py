"""The access layer: who may do what, and which rows each user may see.

Every view, API endpoint and export reads through these functions, so the rules
live here and nowhere else:

* Capabilities per role (``ROLE_PERMISSIONS``): what a role may do at all.
* Row scopes (``worker_scope``, ``organisation_scope``): which rows of a
  worker-related or organisation-wide model a user may see. Scoped models
  inherit :class:`ScopedQuerySet` and declare the path to their worker or
  organisation; views call ``Model.objects.visible_to(user)`` and fetch objects
  from that queryset only, so an outsider's id gives 404.

A worker signed in with their own card reads as a ``WorkerSession``: no capability, no
organisation-wide record, and of the worker records only their own.

Platform staff without an organisation manage organisations and users but see no
worker data: personal data stays with the employer that holds it.

Scoping fails closed: while enforcement is on (every request, every Celery task), a
queryset of a scoped model refuses to run unless it came from ``visible_to(user)``,
from a related manager of an object already fetched (``worker.intakes.all()``), or
from a named ``unscoped(reason=...)`` entry (``Model.objects.unscoped(reason=...)`` or
the ``scopes_disabled(reason=...)`` block). Those entries belong to scanners, token
lookups, the federation view, demo data and services that write; the test
``tests/access/test_scoping.py`` keeps them out of views, forms, filters, exports and documents.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q

from bwise.roles import Role


class Perm(StrEnum):
    MANAGE_USERS = "manage_users"
    VIEW_WORKERS = "view_workers"
    EDIT_WORKERS = "edit_workers"
    VIEW_SENSITIVE = "view_sensitive"
    ADD_OBSERVATIONS = "add_observations"
    ASSESS = "assess"
    VIEW_HISTORY = "view_history"
    VIEW_DASHBOARD = "view_dashboard"
    MANAGE_FRAMEWORKS = "manage_frameworks"
    MANAGE_PARTNERS = "manage_partners"
    VIEW_PARTNERS = "view_partners"
    PRINT_DOCUMENTS = "print_documents"
    IMPORT_WORKERS = "import_workers"
    VIEW_ACCESS_LOG = "view_access_log"
    DATA_SUBJECT_RIGHTS = "data_subject_rights"
    VIEW_PROCESSING_REGISTER = "view_processing_register"
    # Choosing a worker's coach or supervisor, which decides who reads the worker's data.
    ASSIGN_STAFF = "assign_staff"


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.BEHEERDER: frozenset(
        {
            Perm.MANAGE_USERS,
            Perm.VIEW_HISTORY,
            Perm.MANAGE_PARTNERS,
            Perm.VIEW_PARTNERS,
            Perm.VIEW_PROCESSING_REGISTER,
        }
    ),
    Role.DIRECTIE: frozenset({Perm.VIEW_WORKERS, Perm.VIEW_DASHBOARD, Perm.VIEW_PARTNERS}),
    Role.HR: frozenset(
        {
            Perm.VIEW_WORKERS,
            Perm.EDIT_WORKERS,
            Perm.VIEW_SENSITIVE,
            Perm.VIEW_HISTORY,
            Perm.MANAGE_FRAMEWORKS,
            Perm.VIEW_PARTNERS,
            Perm.PRINT_DOCUMENTS,
            Perm.IMPORT_WORKERS,
            Perm.ASSESS,
            Perm.VIEW_ACCESS_LOG,
            Perm.DATA_SUBJECT_RIGHTS,
            Perm.VIEW_PROCESSING_REGISTER,
            Perm.ASSIGN_STAFF,
            # HR keeps the POP obligation and the readiness action plan with the director.
            Perm.VIEW_DASHBOARD,
        }
    ),
    Role.COACH: frozenset(
        {
            Perm.VIEW_WORKERS,
            Perm.EDIT_WORKERS,
            Perm.VIEW_SENSITIVE,
            Perm.ADD_OBSERVATIONS,
            Perm.ASSESS,
            Perm.MANAGE_FRAMEWORKS,
            Perm.MANAGE_PARTNERS,
            Perm.VIEW_PARTNERS,
            Perm.PRINT_DOCUMENTS,
            Perm.IMPORT_WORKERS,
        }
    ),
    Role.BEGELEIDER: frozenset({Perm.VIEW_WORKERS, Perm.ADD_OBSERVATIONS, Perm.ASSESS}),
}

# Roles that see every worker of their organisation; others see only their own.
ORGANISATION_WIDE_ROLES = (Role.HR, Role.DIRECTIE)


def roles_with(*perms: Perm) -> frozenset[str]:
    """The roles that hold any of ``perms``."""
    return frozenset(role for role, granted in ROLE_PERMISSIONS.items() if granted & set(perms))


# Roles that read special-category data: granting one grants that access.
SENSITIVE_ROLES = roles_with(Perm.VIEW_SENSITIVE)

# The roles an organisation's two-factor requirement covers, derived from the capabilities
# so that a new role or capability is covered without a list to update: whoever reads
# special-category data, whoever hands out access to it (users and their roles, a
# worker's coach), and whoever sees every worker record of the organisation (for this
# population the statuut, obstacles and preconditions already speak of health, and one
# more role on the same account would open the rest).
TWO_FACTOR_ROLES = roles_with(Perm.VIEW_SENSITIVE, Perm.MANAGE_USERS, Perm.ASSIGN_STAFF) | (
    roles_with(Perm.VIEW_WORKERS) & frozenset(ORGANISATION_WIDE_ROLES)
)


def worker_model():
    """The workers' model (``settings.WORKER_MODEL``): rows are scoped by their worker."""
    return apps.get_model(settings.WORKER_MODEL)


class WorkerSession:
    """A worker signed in with their own sign-in card (``bwise.portal``): a reader that is
    not a user. It holds no role and no capability, so every capability check and every
    organisation-wide scope answers "nothing"; the row scope of worker records answers the
    worker's own rows only. It is never ``request.user``: staff pages stay closed to it."""

    is_authenticated = True
    is_active = True
    is_staff = False
    is_superuser = False
    roles: tuple[str, ...] = ()
    # Never a user's id: a rule comparing ``user.pk`` with a coach or owner matches nobody.
    pk = None

    def __init__(self, *, worker_id: int, organisation_id: int, card_id: int):
        self.worker_id = worker_id
        self.organisation_id = organisation_id
        self.card_id = card_id

    def has_role(self, *roles: str) -> bool:
        return False

    def __repr__(self):
        return f"<WorkerSession worker={self.worker_id} card={self.card_id}>"


def is_worker_session(reader) -> bool:
    return isinstance(reader, WorkerSession)


def _active(user) -> bool:
    """A staff user who may act at all; a worker's session never counts as one."""
    return bool(user and not is_worker_session(user) and user.is_authenticated and user.is_active)


def permissions_of(user) -> frozenset[Perm]:
    if not _active(user) or user.organisation_id is None:
        return frozenset()
    perms: set[Perm] = set()
    for role in user.roles:
        perms |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(perms)


def has_perm(user, perm: Perm) -> bool:
    return perm in permissions_of(user)


def requires_two_factor(user) -> bool:
    """Whether the organisation's two-factor requirement applies to ``user``'s roles."""
    if not _active(user) or user.organisation_id is None:
        return False
    return not TWO_FACTOR_ROLES.isdisjoint(user.roles)


NOTHING = Q(pk__in=[])


def worker_scope(user, prefix: str = "") -> Q:
    """A filter on Worker (reached through ``prefix``) for the workers ``user`` may see: for a
    worker's own session, that worker alone."""
    p = f"{prefix}__" if prefix else ""
    if is_worker_session(user):
        return Q(**{f"{p}pk": user.worker_id, f"{p}organisation_id": user.organisation_id})
    if not has_perm(user, Perm.VIEW_WORKERS):
        return NOTHING
    in_org = Q(**{f"{p}organisation_id": user.organisation_id})
    if user.has_role(*ORGANISATION_WIDE_ROLES):
        return in_org
    own = NOTHING
    if user.has_role(Role.COACH):
        # One subquery of the coach's own and shared workers' ids, rather than "coach = me OR
        # id IN (shared)": PostgreSQL answers the OR by scanning every worker of the
        # organisation, the union from the coach index (a subquery keeps rows unique).
        Worker = worker_model()
        shared = Worker.shared_with.through.objects.filter(user_id=user.pk).values("worker_id")
        coached = Worker._base_manager.filter(coach_id=user.pk).values("pk")
        own |= Q(**{f"{p}pk__in": coached.union(shared)})
    if user.has_role(Role.BEGELEIDER):
        own |= Q(**{f"{p}supervisor_id": user.pk})
    return in_org & own


def organisation_scope(user, prefix: str = "organisation", perm: Perm | None = None) -> Q:
    """A filter for organisation-wide records (partners, frameworks, users)."""
    if not _active(user) or user.organisation_id is None:
        return NOTHING
    if perm is not None and not has_perm(user, perm):
        return NOTHING
    return Q(**{f"{prefix}_id": user.organisation_id})


class UnscopedQueryError(RuntimeError):
    """A programming error: a query on an organisation's data that nobody scoped."""


_enforced: ContextVar[bool] = ContextVar("bwise_scoping_enforced", default=False)
_disabled_for: ContextVar[str | None] = ContextVar("bwise_scoping_disabled_for", default=None)


def _reason_or_error(reason: str) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise TypeError("an unscoped query needs a reason")
    return reason


@contextmanager
def scoping_enforced() -> Iterator[None]:
    """Unscoped queries raise inside this block (requests and Celery tasks run in one)."""
    token = _enforced.set(True)
    try:
        yield
    finally:
        _enforced.reset(token)


@contextmanager
def scopes_disabled(*, reason: str) -> Iterator[None]:
    """Every query inside runs unscoped: for code that must see all organisations
    (scanners, the federation view, services that write). ``reason`` says why."""
    token = _disabled_for.set(_reason_or_error(reason))
    try:
        yield
    finally:
        _disabled_for.reset(token)


def enforcing_scopes() -> bool:
    return _enforced.get() and _disabled_for.get() is None


def _across_the_table(method):
    @functools.wraps(method)
    def validate(self, *args, **kwargs):
        # A unique constraint spans every organisation; checking it reveals no more than
        # the database's own refusal would.
        with scopes_disabled(reason="uniqueness is checked across the whole table"):
            return method(self, *args, **kwargs)

    return validate


def guard_uniqueness_checks() -> None:
    """Model validation (ModelForm, ``full_clean``) checks unique constraints through
    ``_default_manager``: let those checks run on scoped models. Called once, when the
    apps are ready."""
    for model in apps.get_models():
        if isinstance(model._default_manager.get_queryset(), ScopedQuerySet):
            for name in ("_perform_unique_checks", "validate_constraints"):
                setattr(model, name, _across_the_table(getattr(model, name)))


def _bounded_by(model, path: str, source, field: str, source_model=None) -> dict:
    """A lookup restricting ``path`` to ``field`` of a fetched object or a scoped queryset
    (of ``source_model`` when given)."""
    if source_model is not None and getattr(source, "model", type(source)) is not source_model:
        raise TypeError(f"{model.__name__}: expected a {source_model.__name__}, got {source!r}")
    if isinstance(source, ScopedQuerySet):
        return {f"{path}__in": source.order_by().values(field)}
    if isinstance(source, models.Model) and source.pk is not None:
        return {path: getattr(source, field)}
    raise TypeError(f"{model.__name__}: bound a query by a fetched object or a queryset")


def _organisation_ids(records: ScopedQuerySet) -> list[int]:
    """The organisations of ``records``, read once per queryset: an organisation has tens of
    thousands of workers and one id, and a figure bounds several queries by them (as a
    subquery, each of those semi-joined every worker again)."""
    if "_organisation_ids" not in records.__dict__:
        records.__dict__["_organisation_ids"] = list(
            records.order_by().values_list("organisation_id", flat=True).distinct()
        )
    return records.__dict__["_organisation_ids"]


def _bounded_scope(scope: str, source) -> str | None:
    # Rows of an unscoped queryset are as unscoped as it is.
    if isinstance(source, ScopedQuerySet) and not source.is_scoped:
        return None
    return scope


def marks_scoped(visible_to):
    @functools.wraps(visible_to)
    def scoped(self, user):
        queryset = visible_to(self, user)
        queryset._scope = "visible_to"
        return queryset

    # The static scoping test accepts a chain that starts with such a method.
    scoped.marks_scope = True
    return scoped


class ScopedQuerySet(models.QuerySet):
    """Base queryset of every model that holds an organisation's data.

    Subclasses set exactly one of:
    * ``worker_path``: the lookup path from the model to its Worker ("" for Worker itself);
    * ``organisation_path``: the lookup path to its Organisation, with ``view_perm``.

    ``enforced = False`` exempts a model from the runtime check (users: Django's
    authentication reads them before anybody is known); the static test still covers it.
    """

    worker_path: str | None = None
    organisation_path: str | None = None
    view_perm: Perm | None = None
    enforced = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "visible_to", "unscoped: <reason>", or None while nobody has scoped it.
        self._scope: str | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A model that narrows or widens its own scope still hands out scoped querysets.
        if "visible_to" in cls.__dict__:
            cls.visible_to = marks_scoped(cls.__dict__["visible_to"])

    def visible_to(self, user):
        if self.worker_path is not None:
            q = worker_scope(user, self.worker_path)
        elif self.organisation_path is not None:
            q = organisation_scope(user, self.organisation_path, self.view_perm)
        else:  # pragma: no cover - a programming error, caught by the access tests
            raise TypeError(f"{type(self).__name__} declares no scope path")
        clone = self.filter(q)
        clone._scope = "visible_to"
        return clone

    def of_worker(self, worker):
        """The rows of ``worker``, an object already read through the reader's scope, or of
        the workers of a Worker queryset: bounded by them as a related manager
        (``worker.intakes``) is, and scoped only if the queryset is. Never ids."""
        if self.worker_path is None:
            raise TypeError(f"{self.model.__name__} is not a worker record")
        path = self.worker_path or "pk"
        clone = self.filter(**_bounded_by(self.model, path, worker, "pk", worker_model()))
        clone._scope = _bounded_scope("of_worker", worker)
        return clone

    def of_organisation(self, record):
        """The organisation-wide rows (frameworks, job profiles, partners) of the organisation
        of ``record``, an object already read through the reader's scope, or of the
        organisations of a queryset (scoped only if that queryset is)."""
        if self.organisation_path is None:
            raise TypeError(f"{self.model.__name__} is not an organisation record")
        path = f"{self.organisation_path}_id"
        if isinstance(record, ScopedQuerySet) and (ids := _organisation_ids(record)):
            clone = self.filter(**{f"{path}__in": ids})
        else:  # a fetched object, or no records (kept as a subquery: SQL built on it stays valid)
            clone = self.filter(**_bounded_by(self.model, path, record, "organisation_id"))
        clone._scope = _bounded_scope("of_organisation", record)
        return clone

    def unscoped(self, *, reason: str):
        """All rows of every organisation, on purpose; ``reason`` says why."""
        clone = self._chain()
        clone._scope = f"unscoped: {_reason_or_error(reason)}"
        return clone

    @property
    def is_scoped(self) -> bool:
        # A related manager of a fetched object (``worker.intakes``, prefetches) is
        # bounded by that object, which was itself read through a scope.
        return self._scope is not None or "instance" in self._hints or self.query.is_empty()

    def _check_scope(self) -> None:
        if self.enforced and not self.is_scoped and enforcing_scopes():
            raise UnscopedQueryError(
                f"Unscoped query on {self.model._meta.label}: read it through "
                f"{self.model.__name__}.objects.visible_to(user), or name why it may see "
                f"every organisation with .unscoped(reason=...)."
            )

    def _clone(self):
        clone = super()._clone()
        clone._scope = self._scope
        return clone

    def _combined(self, combined, others, *, scoped: bool):
        if combined is not self and not any(combined is other for other in others):
            combined._scope = "visible_to" if scoped else None
            if not scoped:
                combined._hints = {k: v for k, v in combined._hints.items() if k != "instance"}
        return combined

    def _scoped_part(self, other) -> bool:
        return bool(getattr(other, "is_scoped", False))

    def __and__(self, other):
        # An intersection is as narrow as its narrowest part.
        scoped = self.is_scoped or self._scoped_part(other)
        return self._combined(super().__and__(other), [other], scoped=scoped)

    def __or__(self, other):
        # A union is scoped only when every part is.
        scoped = self.is_scoped and self._scoped_part(other)
        return self._combined(super().__or__(other), [other], scoped=scoped)

    def __xor__(self, other):
        scoped = self.is_scoped and self._scoped_part(other)
        return self._combined(super().__xor__(other), [other], scoped=scoped)

    def _combinator_query(self, combinator, *other_qs, all=False):
        scoped = self.is_scoped and not any(not self._scoped_part(other) for other in other_qs)
        combined = super()._combinator_query(combinator, *other_qs, all=all)
        return self._combined(combined, other_qs, scoped=scoped)

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._check_scope()
        return super().iterator(*args, **kwargs)

    def count(self):
        if self._result_cache is None:
            self._check_scope()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._check_scope()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._check_scope()
        return super().update(**kwargs)

    update.alters_data = True

    def _update(self, values):
        self._check_scope()
        return super()._update(values)

    _update.alters_data = True
    _update.queryset_only = False

    def delete(self):
        self._check_scope()
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def explain(self, **kwargs):
        self._check_scope()
        return super().explain(**kwargs)


def colleagues_of(user, roles=None, *, active_only: bool = True):
    """The users of ``user``'s own organisation with any of ``roles`` (all roles without):
    the choices for a coach, supervisor, owner or colleague, in forms, filters and the API."""
    users = apps.get_model("accounts", "User").objects
    if not _active(user) or user.organisation_id is None:
        return users.none()
    colleagues = users.filter(organisation_id=user.organisation_id)
    if active_only:
        colleagues = colleagues.filter(is_active=True)
    if roles is not None:
        colleagues = colleagues.filter(roles__overlap=list(roles))
    colleagues._scope = "colleagues_of"
    return colleagues


def coaches_of(user):
    """The coaches of the workers ``user`` may see: the coach filter's choices, so that a
    coach is offered the few who coach their workers, not every coach of the organisation."""
    users = apps.get_model("accounts", "User").objects
    if not _active(user) or user.organisation_id is None:
        return users.none()
    coached = worker_model().objects.visible_to(user).order_by().values("coach_id")
    coaches = users.filter(organisation_id=user.organisation_id, roles__overlap=[Role.COACH], pk__in=coached)
    coaches._scope = "colleagues_of"
    return coaches


def teams_of(user) -> list[str]:
    """The team names of the workers ``user`` may see, for team choices."""
    return worker_model().objects.team_names(user)


def scoped_choices(model, user):
    """The records of ``model`` that ``user`` may pick in a filter; none for a model that
    has no scope (fails closed)."""
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    return manager.none()
