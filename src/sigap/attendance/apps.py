from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "sigap.attendance"
    label = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        from sigap.attendance.policy import AttendancePolicy
        from sigap.attendance.requests.selectors import RequestSettings
        from sigap.org.agency_settings import register_agency_settings

        register_agency_settings("attendance", AttendancePolicy.for_agency)
        register_agency_settings("requests", RequestSettings.for_agency)
        from sigap.attendance import privacy  # noqa: F401 - registers retention, export, breach
