from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.generics import RetrieveAPIView
from rest_framework.response import Response

from bwise.api.exceptions import PROBLEM_CONTENT_TYPE, problem
from bwise.api.serializers import CurrentUserSerializer, OrganisationSerializer

# Django's own error handlers, for what happens before or outside DRF (an address no route
# matches, a crash): under /api/ they answer in the API's problem shape, elsewhere with the
# product's pages.


def _problem(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse(
        problem(status, detail, code, field=None), status=status, content_type=PROBLEM_CONTENT_TYPE
    )


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return _problem(404, _("Not found."), "not_found")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return _problem(500, _("Something went wrong on our side. Try again later."), "server_error")
    return defaults.server_error(request)


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


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per language and process: it is the same for
    every caller (the code decides it, not who asks) and takes seconds to make."""

    _made: dict[tuple[str, str | None], dict] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version)
        if key not in self._made:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            self._made[key] = generator.get_schema(request=request, public=self.serve_public)
        filename = self._get_filename(request, version)
        return Response(
            data=self._made[key], headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )
