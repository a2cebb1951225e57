from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("NEC partners and placements")

    def ready(self):
        # The CV joins the competency passport's item kinds.
        import partners.passport  # noqa: F401
        from partners.services.hires import has_hire, hire_end_proposal
        from trajects.services import register_end_proposal
        from trajects.state import register_hire_check

        register_hire_check(has_hire)
        register_end_proposal(hire_end_proposal)
