import pghistory
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm, ScopedQuerySet
from bwise.roles import Role

__all__ = ["Organisation", "Region", "Role", "User", "WiseType"]


class WiseType(models.TextChoices):
    PRODUCTIVE = "productive", _("Productive WISE")
    SOCIAL = "social", _("Social WISE")
    TRAINING = "training", _("Training WISE")


class Region(models.TextChoices):
    ANTWERPEN = "antwerpen", _("Antwerp")
    LIMBURG = "limburg", _("Limburg")
    OOST_VLAANDEREN = "oost-vlaanderen", _("East Flanders")
    VLAAMS_BRABANT = "vlaams-brabant", _("Flemish Brabant")
    WEST_VLAANDEREN = "west-vlaanderen", _("West Flanders")
    BRUSSEL = "brussel", _("Brussels")


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user sees exactly their own organisation; platform staff see none through the UI."""
        if not (user and user.is_authenticated and user.is_active and user.organisation_id):
            return self.none()
        return self.filter(pk=user.organisation_id)


@pghistory.track()
class Organisation(models.Model):
    """One social-economy employer; every record in the product belongs to one."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    wise_type = models.CharField(_("WISE type"), max_length=20, choices=WiseType.choices)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices)
    require_2fa_for_sensitive_roles = models.BooleanField(
        _("require two-factor authentication for roles that see sensitive data"),
        default=False,
        help_text=_(
            "Coaches and HR staff must activate an authenticator app before they can use the application."
        ),
    )
    # In the private default storage: printed documents inline it, no URL serves it.
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        help_text=_("Printed at the top of every document."),
    )
    lde_trajectory_reminder_months = models.PositiveSmallIntegerField(
        _("months after the LDE start before a reminder about a missing trajectory"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "An LDE worker works towards the regular economy from the first day: their coach is "
            "reminded when the worker has no trajectory this many months after the LDE start."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class UserQuerySet(ScopedQuerySet):
    """Users are listed and managed only by their own organisation's administrator."""

    organisation_path = "organisation"
    view_perm = Perm.MANAGE_USERS
    # Authentication (sessions, login, password reset, tokens) reads users before anybody
    # is known; the static scoping test still keeps unscoped user queries out of views.
    enforced = False

    def with_role(self, role):
        return self.filter(roles__contains=[role])


class BwiseUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    """A person who logs in. Belongs to one organisation; platform staff (superusers) may have none."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    roles = ArrayField(
        models.CharField(max_length=32, choices=Role.choices),
        verbose_name=_("roles"),
        default=list,
        blank=True,
    )

    objects = BwiseUserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_superuser=True) | models.Q(organisation__isnull=False),
                name="user_has_organisation_unless_platform_staff",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles if role in Role.values]
