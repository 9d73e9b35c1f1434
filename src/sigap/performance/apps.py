from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "sigap.performance"
    label = "performance"
    verbose_name = _("Work performance")

    def ready(self) -> None:
        from sigap.attendance.presenters import register_me_extension
        from sigap.performance.today import me_extension

        register_me_extension(me_extension)

        from sigap.org.agency_settings import register_agency_settings
        from sigap.performance.settings import report_settings

        register_agency_settings("reports", report_settings)
        from sigap.performance import privacy  # noqa: F401 - registers retention, export, breach
