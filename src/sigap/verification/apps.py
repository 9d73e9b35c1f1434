from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "sigap.verification"
    label = "verification"
    verbose_name = _("Verification (anti-cheating)")

    def ready(self) -> None:
        from sigap.org.agency_settings import register_agency_settings
        from sigap.verification import receivers  # noqa: F401 - connects the receivers
        from sigap.verification.settings import verification_settings

        register_agency_settings("verification", verification_settings)
