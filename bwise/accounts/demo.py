"""Demo and scale data: the demo organisations and users, then each app's part
(``<app>/demo.py``, named in DEMO_MODULES), in order.

Demo data is deterministic (a fixed random seed) and idempotent: every record is
found by a stable key before it is created, so running ``seed_demo`` twice leaves
the same data.
"""

import random
import time
from dataclasses import dataclass, field
from importlib import import_module

from django.db import transaction
from faker import Faker

from bwise.accounts.models import Organisation, Region, Role, User, WiseType
from bwise.core.bulk import history_after

# Apps that contribute demo data, in dependency order.
DEMO_MODULES = [
    "trajects.demo",
    "competenties.demo",
    "partners.demo",
    "bwise.readiness.demo",
    "bwise.portal.demo",
    # Last: the summaries count what the others made.
    "bwise.dashboard.demo",
]

DEMO_ORGANISATIONS = [
    ("Maatwerkbedrijf De Brug vzw", WiseType.PRODUCTIVE, Region.OOST_VLAANDEREN),
    ("LDE Groene Schakel vzw", WiseType.SOCIAL, Region.ANTWERPEN),
]

DEMO_USERS = [
    # username, first name, last name, organisation index, roles
    ("beheerder", "Annelies", "Van Damme", 0, [Role.BEHEERDER]),
    ("directie", "Koen", "De Smet", 0, [Role.DIRECTIE]),
    ("hr", "Sofie", "Claes", 0, [Role.HR]),
    ("coach", "Lotte", "Peeters", 0, [Role.COACH]),
    ("coach2", "Jonas", "Wouters", 0, [Role.COACH]),
    ("begeleider", "Marc", "Janssens", 0, [Role.BEGELEIDER]),
    ("begeleider2", "Hilde", "Mertens", 0, [Role.BEGELEIDER]),
    ("coach_b", "Elke", "Goossens", 1, [Role.COACH]),
    ("beheerder_b", "Tom", "Vermeulen", 1, [Role.BEHEERDER, Role.HR, Role.DIRECTIE]),
]

DEFAULT_DEMO_PASSWORD = "doorstroom-demo"  # noqa: S105 - demo data only, printed on purpose


@dataclass
class DemoContext:
    password: str
    organisations: list[Organisation] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))  # noqa: S311
    faker: Faker = field(default_factory=lambda: _faker(2026))
    log: list[str] = field(default_factory=list)


def _faker(seed: int) -> Faker:
    fake = Faker("nl_BE")
    fake.seed_instance(seed)
    return fake


@transaction.atomic
def seed_demo(password: str = DEFAULT_DEMO_PASSWORD) -> DemoContext:
    ctx = DemoContext(password=password)
    for name, wise_type, region in DEMO_ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=name, defaults={"wise_type": wise_type, "region": region}
        )
        ctx.organisations.append(organisation)
    for username, first, last, org_index, roles in DEMO_USERS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.bwise.localhost",
                "organisation": ctx.organisations[org_index],
                "roles": list(roles),
            },
        )
        user.set_password(password)
        user.is_active = True
        user.save()
        ctx.users[username] = user
    for module_name in DEMO_MODULES:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        module.seed_demo(ctx)
    return ctx


@history_after()
def seed_scale(*, workers: int, organisation_name: str, stdout=None) -> Organisation:
    ctx = DemoContext(password=DEFAULT_DEMO_PASSWORD)
    organisation, _ = Organisation.objects.get_or_create(
        name=organisation_name, defaults={"wise_type": WiseType.PRODUCTIVE, "region": Region.LIMBURG}
    )
    for module_name in DEMO_MODULES:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        if hasattr(module, "seed_scale"):
            started = time.monotonic()
            module.seed_scale(ctx, organisation=organisation, workers=workers, stdout=stdout)
            if stdout:
                stdout.write(f"  ({module_name}: {time.monotonic() - started:.1f} s)")
    return organisation
