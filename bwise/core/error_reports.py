"""Error reports (the 500 e-mail to ADMINS, any error tracker fed from it) without personal data.

Django's default filter hides only what is marked sensitive. Here every form field,
query parameter and local variable is hidden in production: a traceback's locals and a
form's POST body are exactly where a worker's name or health note would sit. With
DEBUG on (a developer's machine) the filter steps aside, like Django's own.
"""

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from bwise.core.logging import scrub


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if self.is_active(request):
            # The query string may carry a search for a worker's name.
            meta["QUERY_STRING"] = self.cleansed_substitute
        return meta


class PersonalDataExceptionReporter(ExceptionReporter):
    """Also hides query parameters (in the URL and the GET list) and scrubs the exception message."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is None or not self.filter.is_active(self.request):
            return data
        substitute = self.filter.cleansed_substitute
        data["request_GET_items"] = [(key, substitute) for key in self.request.GET]
        data["request_insecure_uri"] = data["request_insecure_uri"].split("?", 1)[0]
        if "exception_value" in data:
            data["exception_value"] = scrub(data["exception_value"])
        return data
