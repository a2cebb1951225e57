import django_filters
from django.utils.translation import gettext_lazy as _

from bwise.access import colleagues_of, teams_of
from bwise.accounts.models import Role, User
from trajects.models import Statuut, Worker

UNKNOWN = "unknown"


class DashboardFilter(django_filters.FilterSet):
    """Narrows the workers every figure is computed on."""

    team = django_filters.ChoiceFilter(label=_("Team"), choices=[])
    statuut = django_filters.ChoiceFilter(
        label=_("Statuut"), choices=[*Statuut.choices, (UNKNOWN, _("unknown"))], method="filter_statuut"
    )
    coach = django_filters.ModelChoiceFilter(label=_("Coach"), queryset=User.objects.none())

    class Meta:
        model = Worker
        fields = ["team", "statuut", "coach"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["coach"].queryset = colleagues_of(user, [Role.COACH], active_only=False)
        self.filters["team"].extra["choices"] = [(team, team) for team in teams_of(user)]

    def filter_statuut(self, queryset, name, value):
        return queryset.filter(statuut="" if value == UNKNOWN else value)
