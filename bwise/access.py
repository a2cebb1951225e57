"""The access layer: who may do what, and which rows each user may see.

Every view, API endpoint and export reads through these functions, so the rules
live here and nowhere else:

* Capabilities per role (``ROLE_PERMISSIONS``): what a role may do at all.
* Row scopes (``worker_scope``, ``organisation_scope``): which rows of a
  worker-related or organisation-wide model a user may see. Scoped models
  inherit :class:`ScopedQuerySet` and declare the path to their worker or
  organisation; views call ``Model.objects.visible_to(user)`` and fetch objects
  from that queryset only, so an outsider's id gives 404.

Platform staff without an organisation manage organisations and users but see no
worker data: personal data stays with the employer that holds it.
"""

from __future__ import annotations

from enum import StrEnum

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from bwise.accounts.roles import Role


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


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


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
    """A filter on Worker (reached through ``prefix``) for the workers ``user`` may see."""
    if not has_perm(user, Perm.VIEW_WORKERS):
        return NOTHING
    p = f"{prefix}__" if prefix else ""
    in_org = Q(**{f"{p}organisation_id": user.organisation_id})
    if user.has_role(*ORGANISATION_WIDE_ROLES):
        return in_org
    own = NOTHING
    if user.has_role(Role.COACH):
        # A subquery rather than a join keeps rows unique without DISTINCT.
        shared = apps.get_model("trajects", "Worker").shared_with.through.objects.filter(user_id=user.pk)
        own |= Q(**{f"{p}coach_id": user.pk}) | Q(**{f"{p}pk__in": shared.values("worker_id")})
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


class ScopedQuerySet(models.QuerySet):
    """Base queryset of every model that holds an organisation's data.

    Subclasses set exactly one of:
    * ``worker_path``: the lookup path from the model to its Worker ("" for Worker itself);
    * ``organisation_path``: the lookup path to its Organisation, with ``view_perm``.
    """

    worker_path: str | None = None
    organisation_path: str | None = None
    view_perm: Perm | None = None

    def visible_to(self, user):
        if self.worker_path is not None:
            q = worker_scope(user, self.worker_path)
        elif self.organisation_path is not None:
            q = organisation_scope(user, self.organisation_path, self.view_perm)
        else:  # pragma: no cover - a programming error, caught by the access tests
            raise TypeError(f"{type(self).__name__} declares no scope path")
        return self.filter(q)


def visible_or_404(model_or_queryset, user, **lookup):
    """Fetch one object through the user's scope; outsiders get 404, never a hint."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset.objects.all()
    )
    if not hasattr(queryset, "visible_to"):  # pragma: no cover - programming error
        raise TypeError(f"{queryset.model.__name__} is not a scoped model")
    try:
        return get_object_or_404(queryset.visible_to(user), **lookup)
    except Http404:
        # Imported here: this module loads while the apps' models are still being registered.
        from bwise.audit.services import log_refused_lookup

        log_refused_lookup(user=user, queryset=queryset, lookup=lookup)
        raise


def visible_sensitive_groups(user, worker) -> tuple:
    """The declared special-category field groups (``bwise.privacy.declaration``) that
    ``user`` may see on ``worker``: none outside the worker's organisation or without
    the VIEW_SENSITIVE capability, otherwise those whose audience the user is in."""
    from bwise.privacy.declaration import DECLARATION, group_visible

    if not has_perm(user, Perm.VIEW_SENSITIVE) or worker.organisation_id != user.organisation_id:
        return ()
    return tuple(group for group in DECLARATION if group_visible(user, worker, group))


def can_view_sensitive(user, worker, group: str | None = None) -> bool:
    """Whether ``user`` sees ``group`` (by key) on ``worker``, or, without a group, all of them.

    Derived from the declaration: today that is the worker's own coach and HR."""
    from bwise.privacy.declaration import DECLARATION

    keys = {g.key for g in visible_sensitive_groups(user, worker)}
    if group is not None:
        return group in keys
    return keys == {g.key for g in DECLARATION}


def require_perm(user, perm: Perm) -> None:
    """Raise 404 rather than 403 where the mere existence of a page could leak information."""
    if not has_perm(user, perm):
        raise Http404
