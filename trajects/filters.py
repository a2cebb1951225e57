import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bwise.accounts.models import Role, User
from trajects.models import Worker


class CaseloadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search by name"), method="filter_name")
    coach = django_filters.ModelChoiceFilter(label=_("Coach"), queryset=User.objects.none())

    class Meta:
        model = Worker
        fields = ["q", "coach"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["coach"].queryset = User.objects.filter(
            organisation_id=user.organisation_id, roles__contains=[Role.COACH]
        )

    def filter_name(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term))
        return queryset
