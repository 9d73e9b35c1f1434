from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "sigap.discipline"
    label = "discipline"
    verbose_name = _("Discipline and TPP")

    def ready(self) -> None:
        from sigap.discipline import (
            privacy,  # noqa: F401 - registers retention, export, breach
            receivers,  # noqa: F401 - connects the signal receivers
        )
