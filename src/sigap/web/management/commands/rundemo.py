"""sigap rundemo: serve the embedded demo on 127.0.0.1:8000, printing the logins."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sigap.web.management.commands.seed_demo import demo_logins_text


class Command(BaseCommand):
    help = "Serve the demo (SQLite, demo data) on http://127.0.0.1:8000."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options) -> None:
        if settings.SIGAP_FROZEN_TIME:
            self.stdout.write(
                _("Demo clock: the system's time is fixed at %(at)s (%(zone)s).")
                % {"at": settings.SIGAP_FROZEN_TIME, "zone": settings.TIME_ZONE}
            )
        self.stdout.write(demo_logins_text())
        self.stdout.write(
            _("SIGAP runs at http://%(addr)s/  (Ctrl+C to stop)") % {"addr": addrport}
        )
        call_command("runserver", addrport, use_reloader=False, insecure_serving=True)
