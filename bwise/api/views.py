from django.http import Http404, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.generics import RetrieveAPIView

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
    """The OpenAPI schema, generated and rendered once per language, version and format in a
    process: it is the same for every caller (the code decides it, not who asks), takes
    seconds to make, and a second more to write as YAML."""

    _made: dict[tuple[str, str | None], dict] = {}
    _rendered: dict[tuple[str, str | None, str], bytes] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version)
        if key not in self._made:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            self._made[key] = generator.get_schema(request=request, public=self.serve_public)
        renderer = request.accepted_renderer
        rendered_key = (*key, request.accepted_media_type)
        if rendered_key not in self._rendered:
            self._rendered[rendered_key] = renderer.render(
                self._made[key], request.accepted_media_type, self.get_renderer_context()
            )
        filename = self._get_filename(request, version)
        content_type = request.accepted_media_type
        if renderer.charset and "charset" not in content_type:
            content_type = f"{content_type}; charset={renderer.charset}"
        return HttpResponse(
            self._rendered[rendered_key],
            content_type=content_type,
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
