from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArrangementsConfig(AppConfig):
    name = "sigap.arrangements"
    label = "arrangements"
    verbose_name = _("Work arrangements")

    def ready(self) -> None:
        from sigap.arrangements.selectors import ArrangementSettings
        from sigap.org.agency_settings import register_agency_settings

        register_agency_settings("arrangements", ArrangementSettings.for_agency)
