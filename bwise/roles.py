"""The roles a user can hold in an organisation: the bottom of the platform, which the
access layer maps to capabilities."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BEHEERDER = "beheerder", _("Administrator")
    DIRECTIE = "directie", _("Management")
    HR = "hr", _("HR")
    COACH = "doorstroomcoach", _("Transition coach")
    BEGELEIDER = "werkvloerbegeleider", _("Shop-floor supervisor")
