import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from factory.django import DjangoModelFactory

from bwise.accounts.models import Organisation, Region, Role, User, WiseType
from trajects.models import Worker
from trajects.services import teams_sync

factory.Faker._DEFAULT_LOCALE = "nl_BE"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Maatwerkbedrijf {n} vzw")
    wise_type = WiseType.PRODUCTIVE
    region = Region.OOST_VLAANDEREN


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.be")
    organisation = factory.SubFactory(OrganisationFactory)
    roles = factory.LazyFunction(lambda: [Role.COACH])
    password = factory.django.Password("secret-password-1")


class PlatformStaffFactory(UserFactory):
    """Platform staff with an activated authenticator, as every staff user must have one."""

    organisation = None
    roles = factory.LazyFunction(list)
    is_staff = True
    is_superuser = True

    @factory.post_generation
    def totp(user, create, extracted, **kwargs):
        if create:
            TOTP.activate(user, generate_totp_secret())


class WorkerFactory(DjangoModelFactory):
    class Meta:
        model = Worker
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    coach = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    supervisor = None

    @factory.post_generation
    def team_list(worker, create, extracted, **kwargs):
        # The worker service keeps the organisation's team list; a factory's worker joins it too.
        if create:
            teams_sync(organisation_id=worker.organisation_id, names={worker.team})
