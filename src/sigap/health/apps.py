from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "sigap.health"
    label = "health"
    verbose_name = _("Health watch")

    def ready(self) -> None:
        from sigap.health.privacy import register_privacy
        from sigap.health.settings import health_settings
        from sigap.org.agency_settings import register_agency_settings

        register_agency_settings("health", health_settings)
        register_privacy()
