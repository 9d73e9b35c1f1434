from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollcallConfig(AppConfig):
    name = "sigap.rollcall"
    label = "rollcall"
    verbose_name = _("Roll call (apel)")
