import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import coaches_of, teams_of
from bwise.accounts.models import User
from bwise.core.forms import SELECT_LIMIT, AutocompleteInput, FastSelect
from trajects.models import Statuut, Worker
from trajects.state import Phase

NO_TRAJECTORY = "none"
LEFT = "left"
EVERYONE = "all"


def coach_choices(coach_filter, user) -> None:
    """Offer the coaches of the workers ``user`` sees: a select while they are few, a search
    field (``trajects:coach_choices``) for a reader of a whole large organisation."""
    coaches = coaches_of(user)
    coach_filter.queryset = coaches
    if coaches.count() > SELECT_LIMIT:
        coach_filter.extra["widget"] = AutocompleteInput(
            source=reverse("trajects:coach_choices"), attrs={"placeholder": _("Type a name")}
        )
    else:
        coach_filter.extra["widget"] = FastSelect


class CaseloadFilter(django_filters.FilterSet):
    """Runs on the queryset annotated by ``trajects.selectors.caseload_for``."""

    q = django_filters.CharFilter(label=_("Search by name"), method="filter_name")
    phase = django_filters.ChoiceFilter(
        label=_("Phase"),
        choices=[*Phase.choices, (NO_TRAJECTORY, _("no open trajectory"))],
        method="filter_phase",
    )
    statuut = django_filters.ChoiceFilter(label=_("Statuut"), choices=Statuut.choices)
    team = django_filters.ChoiceFilter(label=_("Team"), choices=[], widget=FastSelect)
    coach = django_filters.ModelChoiceFilter(label=_("Coach"), queryset=User.objects.none())
    employment = django_filters.ChoiceFilter(
        label=_("Employment"),
        choices=[(LEFT, _("no longer employed")), (EVERYONE, _("everyone, also who left"))],
        empty_label=_("currently employed"),
        method="filter_employment",
    )
    overdue = django_filters.BooleanFilter(
        label=_("Next steps overdue"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", "---------"), ("true", _("yes")), ("false", _("no"))]),
    )

    class Meta:
        model = Worker
        fields = ["q", "phase", "statuut", "team", "coach", "employment", "overdue"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        coach_choices(self.filters["coach"], user)
        self.filters["team"].extra["choices"] = [(team, team) for team in teams_of(user)]

    def filter_queryset(self, queryset):
        # Who left is out of the caseload unless the employment filter asks for them.
        if not self.form.cleaned_data.get("employment"):
            queryset = queryset.employed_on(timezone.localdate())
        return super().filter_queryset(queryset)

    def filter_employment(self, queryset, name, value):
        if value == LEFT:
            return queryset.left_by(timezone.localdate())
        return queryset

    def filter_name(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term))
        return queryset

    def filter_phase(self, queryset, name, value):
        if value == NO_TRAJECTORY:
            return queryset.filter(current_phase__isnull=True)
        return queryset.filter(current_phase=value)

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        if value:
            return queryset.filter(next_due__lt=today)
        return queryset.exclude(next_due__lt=today)
