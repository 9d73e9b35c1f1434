from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "sigap.privacy"
    label = "privacy"
    verbose_name = _("Personal data protection")

    def ready(self) -> None:
        from sigap.org.agency_settings import register_agency_settings
        from sigap.privacy.contact import dpo_contact
        from sigap.privacy.settings import privacy_settings

        register_agency_settings("privacy", privacy_settings)
        register_agency_settings("dpo", dpo_contact)
