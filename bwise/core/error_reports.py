"""Error reports (the 500 e-mail to ADMINS, any error tracker fed from it) without personal data.

Django's default filter hides only what is marked sensitive. Here every form field,
query parameter and local variable is hidden, with DEBUG on as well: a traceback's locals
and a form's POST body are exactly where a worker's name or health note would sit, and
``make run`` turns DEBUG on over real data. The response to the browser is never the
technical page: with DEBUG on it is the product's own error page too; the traceback goes to
the log (``django.request``) as always.
"""

from django.core.exceptions import BadRequest
from django.template import loader
from django.utils.translation import gettext as _
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from bwise.core.logging import scrub


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request):
        return True  # DEBUG or not

    def get_post_parameters(self, request):
        if request is None:
            return super().get_post_parameters(request)
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        # The query string may carry a search for a worker's name.
        meta["QUERY_STRING"] = self.cleansed_substitute
        return meta


def error_page_html(exception) -> str:
    """The product's 400 or 500 page, rendered without a request or the database."""
    if isinstance(exception, BadRequest):
        return loader.render_to_string("400.html", {"errors": getattr(exception, "messages", [])})
    return loader.render_to_string("500.html")


class PersonalDataExceptionReporter(ExceptionReporter):
    """Also hides query parameters (in the URL and the GET list) and scrubs the exception message.

    Django builds the DEBUG error response with this class too (``technical_500_response``);
    that response is the product's page, only a report for ADMINS (``is_email``) has detail.
    """

    def get_traceback_html(self):
        if self.is_email:
            return super().get_traceback_html()
        return error_page_html(self.exc_value)

    def get_traceback_text(self):
        if self.is_email:
            return super().get_traceback_text()
        return _("Something went wrong. The error has been recorded.")

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is None:
            return data
        substitute = self.filter.cleansed_substitute
        data["request_GET_items"] = [(key, substitute) for key in self.request.GET]
        data["request_insecure_uri"] = data["request_insecure_uri"].split("?", 1)[0]
        if "exception_value" in data:
            data["exception_value"] = scrub(data["exception_value"])
        return data
