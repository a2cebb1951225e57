"""What a competency passport can hold, and what the employer's page receives.

A passport holds items of registered kinds. Each kind says what the worker may share now
(``choices``) and what the employer sees of the chosen records (``shared``), copied
field by field from the allow-list ``PASSPORT_EMPLOYER_FIELDS`` of the privacy
declaration, never the records themselves. Agreed competency levels are the first kind;
the stoefboek and the CV add theirs with one registration, a template fragment and their
fields in the allow-list::

    register(PassportItemKind(
        key="stoefboek", label=_("Achievements"), template="competenties/passport/_stoefboek.html",
        choices=lambda worker: [ItemChoice(item.pk, item.title) for item in confirmed_items(worker)],
        shared=lambda worker, refs: [allowed_fields(i, FIELDS["stoefboek.Item"]) for i in ...],
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from bwise.privacy.declaration import PASSPORT_EMPLOYER_FIELDS
from bwise.privacy.minimise import allowed_fields
from competenties.models import Achievement, AgreedLevel, RoundParticipant, RoundStatus


@dataclass(frozen=True)
class ItemChoice:
    ref: int
    label: str


@dataclass(frozen=True)
class PassportItemKind:
    key: str
    label: str
    # worker -> what may be shared now.
    choices: Callable[[object], list[ItemChoice]]
    # (worker, chosen refs) -> the employer's copies of the chosen records that may still be
    # shared (one that was withdrawn since is left out), allow-listed by the declaration.
    shared: Callable[[object, list[int]], list]
    # A fragment that shows ``items`` on the employer's page.
    template: str


_kinds: dict[str, PassportItemKind] = {}


def register(kind: PassportItemKind) -> PassportItemKind:
    if kind.key in _kinds and _kinds[kind.key] != kind:
        raise ValueError(f"passport item kind {kind.key!r} is registered twice")
    _kinds[kind.key] = kind
    return kind


def item_kinds() -> list[PassportItemKind]:
    return list(_kinds.values())


def get_item_kind(key: str) -> PassportItemKind | None:
    return _kinds.get(key)


# --- Agreed competency levels --------------------------------------------------------------


def _latest_closed_participation(worker):
    return (
        RoundParticipant.objects.of_worker(worker)
        .filter(round__status=RoundStatus.CLOSED, round__closed_at__isnull=False)
        .select_related("round__framework")
        .order_by("-round__closed_at", "-round_id")
        .first()
    )


def _agreed_choices(worker) -> list[ItemChoice]:
    """The levels agreed in the worker's latest closed measurement round: the most recent
    judgement the coach stands behind, not a level an older round superseded."""
    participation = _latest_closed_participation(worker)
    if participation is None:
        return []
    return [
        ItemChoice(agreed.pk, f"{agreed.competency_name}: {agreed.get_level_display()}")
        for agreed in participation.agreed.order_by("competency_name", "pk")
    ]


def _agreed_shared(worker, refs: list[int]) -> list:
    allowed = {choice.ref for choice in _agreed_choices(worker)}
    participation = _latest_closed_participation(worker)
    if participation is None:
        return []
    measured = {
        "round": allowed_fields(
            participation.round, PASSPORT_EMPLOYER_FIELDS["competenties.MeasurementRound"]
        ),
        "framework": allowed_fields(
            participation.round.framework, PASSPORT_EMPLOYER_FIELDS["competenties.Framework"]
        ),
    }
    agreed_levels = AgreedLevel.objects.of_worker(worker).filter(pk__in=set(refs) & allowed)
    items = []
    for agreed in agreed_levels.order_by("competency_name", "pk"):
        item = allowed_fields(agreed, PASSPORT_EMPLOYER_FIELDS["competenties.AgreedLevel"])
        item.__dict__.update(measured)
        items.append(item)
    return items


AGREED_LEVELS = register(
    PassportItemKind(
        key="agreed_level",
        label=_("Agreed competency levels"),
        choices=_agreed_choices,
        shared=_agreed_shared,
        template="competenties/passport/_agreed_levels.html",
    )
)


# --- Confirmed stoefboek items ---------------------------------------------------------------


def _confirmed_achievements(worker):
    # Only what the coach confirmed: the worker's own unconfirmed notes are not evidence yet.
    return Achievement.objects.of_worker(worker).confirmed().order_by("-achieved_on", "-pk")


def _stoefboek_choices(worker) -> list[ItemChoice]:
    return [ItemChoice(item.pk, Truncator(item.text).chars(80)) for item in _confirmed_achievements(worker)]


def _stoefboek_shared(worker, refs: list[int]) -> list:
    # The photo is a declared group the employer is not in; the allow-list leaves it out.
    return [
        allowed_fields(item, PASSPORT_EMPLOYER_FIELDS["competenties.Achievement"])
        for item in _confirmed_achievements(worker).filter(pk__in=refs)
    ]


STOEFBOEK = register(
    PassportItemKind(
        key="stoefboek",
        label=_("Confirmed stoefboek items"),
        choices=_stoefboek_choices,
        shared=_stoefboek_shared,
        template="competenties/passport/_stoefboek.html",
    )
)


def passport_choices(worker) -> list[tuple[PassportItemKind, list[ItemChoice]]]:
    """Per kind, what the worker may put in a passport now (kinds with nothing left out)."""
    found = [(kind, kind.choices(worker)) for kind in item_kinds()]
    return [(kind, choices) for kind, choices in found if choices]


def employer_page(passport) -> dict:
    """What the employer's page receives: the worker's name, the link's end, and per kind
    the chosen items as the declaration's allow-list copies them."""
    worker = passport.worker
    refs: dict[str, list[int]] = {}
    for item in passport.items.all():
        refs.setdefault(item.kind, []).append(item.ref)
    sections = []
    for kind in item_kinds():
        if refs.get(kind.key):
            items = kind.shared(worker, refs[kind.key])
            if items:
                sections.append({"label": kind.label, "template": kind.template, "items": items})
    return {
        "worker": allowed_fields(worker, PASSPORT_EMPLOYER_FIELDS["trajects.Worker"]),
        "passport": allowed_fields(passport, PASSPORT_EMPLOYER_FIELDS["competenties.Passport"]),
        "sections": sections,
    }
