import django_filters
from django.utils.translation import gettext_lazy as _

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

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["coach"].queryset = User.objects.filter(
            organisation_id=organisation_id, roles__contains=[Role.COACH]
        )
        teams = (
            Worker.objects.filter(organisation_id=organisation_id)
            .exclude(team="")
            .order_by("team")
            .values_list("team", flat=True)
            .distinct()
        )
        self.filters["team"].extra["choices"] = [(team, team) for team in teams]

    def filter_statuut(self, queryset, name, value):
        return queryset.filter(statuut="" if value == UNKNOWN else value)
