"""The register of access, derived from the declaration and the access layer: per kind of
data and per role, whether and for which workers the role has access."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from bwise.access import ORGANISATION_WIDE_ROLES, ROLE_PERMISSIONS, Perm
from bwise.privacy.declaration import AUDIENCE_LABELS, AUDIENCE_ROLES, DECLARATION
from bwise.roles import Role


@dataclass(frozen=True)
class RegisterRow:
    data: str
    fields: str
    purpose: str
    role: str
    access: str


def _worker_scope_of(role) -> str:
    if Perm.VIEW_WORKERS not in ROLE_PERMISSIONS.get(role, frozenset()):
        return ""
    if role in ORGANISATION_WIDE_ROLES:
        return str(_("every worker of their organisation"))
    if role == Role.COACH:
        return str(_("the workers they coach or that are shared with them"))
    if role == Role.BEGELEIDER:
        return str(_("the workers they supervise on the shop floor"))
    return ""


def _field_names(fields) -> str:
    from django.apps import apps

    names = []
    for label, name in fields:
        meta = apps.get_model(label)._meta
        names.append(f"{meta.verbose_name}: {meta.get_field(name).verbose_name}")
    return ", ".join(names)


def register_rows() -> list[RegisterRow]:
    rows = []
    for role in Role:
        scope = _worker_scope_of(role)
        rows.append(
            RegisterRow(
                data=str(_("Worker file (identity, statuut, trajectory, competencies, coaching)")),
                fields=str(_("all fields not listed below")),
                purpose=str(_("Guiding the worker towards regular work.")),
                role=str(role.label),
                access=scope or str(_("no access")),
            )
        )
    for group in DECLARATION:
        for role in Role:
            audiences = [a for a in group.audience if AUDIENCE_ROLES[a] == role]
            access = (
                "; ".join(str(AUDIENCE_LABELS[a]) for a in audiences) if audiences else str(_("no access"))
            )
            rows.append(
                RegisterRow(
                    data=str(group.label),
                    fields=_field_names(group.fields),
                    purpose=str(group.purpose),
                    role=str(role.label),
                    access=access,
                )
            )
    return rows
