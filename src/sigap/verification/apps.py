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

        # devices at sign-in (POST /auth/token) and the office QR at check-in
        from sigap.attendance.services.check_in import register_check_in_check
        from sigap.core.api_auth import register_token_check
        from sigap.verification.devices import device_sign_in
        from sigap.verification.kiosk import qr_check

        register_token_check(device_sign_in)
        register_check_in_check(qr_check)
        from sigap.verification import privacy  # noqa: F401 - registers retention, export, breach
