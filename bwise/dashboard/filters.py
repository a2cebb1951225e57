import django_filters
from django.utils.translation import gettext_lazy as _

from bwise.access import teams_of
from bwise.accounts.models import User
from bwise.core.forms import FastSelect
from trajects.filters import coach_choices
from trajects.models import Statuut, Worker

UNKNOWN = "unknown"


class DashboardFilter(django_filters.FilterSet):
    """Narrows the workers every figure is computed on."""

    team = django_filters.ChoiceFilter(label=_("Team"), choices=[], widget=FastSelect)
    statuut = django_filters.ChoiceFilter(
        label=_("Statuut"), choices=[*Statuut.choices, (UNKNOWN, _("unknown"))], method="filter_statuut"
    )
    coach = django_filters.ModelChoiceFilter(label=_("Coach"), queryset=User.objects.none())

    class Meta:
        model = Worker
        fields = ["team", "statuut", "coach"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        coach_choices(self.filters["coach"], user)
        self.filters["team"].extra["choices"] = [(team, team) for team in teams_of(user)]

    def filter_statuut(self, queryset, name, value):
        return queryset.filter(statuut="" if value == UNKNOWN else value)
