"""Demo and scale data for workers (and, as they are added, their trajectories)."""

from bwise.accounts.models import Role, User
from trajects.models import Worker

DEMO_WORKERS_PER_ORGANISATION = (30, 8)


def seed_demo(ctx) -> None:
    first_org, second_org = ctx.organisations
    coaches = [ctx.users["coach"], ctx.users["coach2"]]
    supervisors = [ctx.users["begeleider"], ctx.users["begeleider2"]]
    for index in range(DEMO_WORKERS_PER_ORGANISATION[0]):
        # Most workers with the main demo coach so that the caseload is well filled.
        coach = coaches[0] if index % 3 else coaches[1]
        _demo_worker(ctx, first_org, f"DB-{index + 1:04d}", coach, supervisors[index % 2])
    for index in range(DEMO_WORKERS_PER_ORGANISATION[1]):
        _demo_worker(ctx, second_org, f"GS-{index + 1:04d}", ctx.users["coach_b"], None)


def _demo_worker(ctx, organisation, external_id, coach, supervisor) -> Worker:
    first_name, last_name = ctx.faker.first_name(), ctx.faker.last_name()
    worker, _ = Worker.objects.get_or_create(
        organisation=organisation,
        external_id=external_id,
        defaults={"first_name": first_name, "last_name": last_name, "coach": coach, "supervisor": supervisor},
    )
    return worker


def seed_scale(ctx, *, organisation, workers: int, stdout=None) -> None:
    coach_count = max(1, workers // 40)
    supervisor_count = max(1, workers // 25)
    staff = []
    for prefix, count, role in (
        ("schaal-coach", coach_count, Role.COACH),
        ("schaal-begeleider", supervisor_count, Role.BEGELEIDER),
    ):
        existing = set(
            User.objects.filter(username__startswith=f"{prefix}-").values_list("username", flat=True)
        )
        staff.append(
            [
                User(
                    username=f"{prefix}-{i}",
                    first_name=ctx.faker.first_name(),
                    last_name=ctx.faker.last_name(),
                    organisation=organisation,
                    roles=[role],
                    password="!",  # noqa: S106 - an unusable password hash
                )
                for i in range(count)
                if f"{prefix}-{i}" not in existing
            ]
        )
    for new_users in staff:
        User.objects.bulk_create(new_users, batch_size=1000)
    coaches = list(User.objects.filter(organisation=organisation, roles__contains=[Role.COACH]))
    supervisors = list(User.objects.filter(organisation=organisation, roles__contains=[Role.BEGELEIDER]))
    start = Worker.objects.filter(organisation=organisation).count()
    batch = [
        Worker(
            organisation=organisation,
            external_id=f"S-{i:06d}",
            first_name=ctx.faker.first_name(),
            last_name=ctx.faker.last_name(),
            coach=coaches[i % len(coaches)],
            supervisor=supervisors[i % len(supervisors)],
        )
        for i in range(start, workers)
    ]
    Worker.objects.bulk_create(batch, batch_size=2000)
    if stdout:
        stdout.write(f"workers: {len(batch)} created")
