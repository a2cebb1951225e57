from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.generics import RetrieveAPIView

from bwise.api.serializers import CurrentUserSerializer, OrganisationSerializer


class CurrentUserView(RetrieveAPIView):
    """The caller, with their organisation, roles and resulting permissions."""

    serializer_class = CurrentUserSerializer

    def get_object(self):
        return self.request.user


class CurrentOrganisationView(RetrieveAPIView):
    """The caller's organisation."""

    serializer_class = OrganisationSerializer

    @extend_schema(responses=OrganisationSerializer)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        if self.request.user.organisation is None:
            raise Http404
        return self.request.user.organisation
