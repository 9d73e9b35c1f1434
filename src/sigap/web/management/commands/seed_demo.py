"""sigap seed_demo [--employees N]: the demo regency (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from sigap.arrangements.demo import seed_arrangements_demo
from sigap.attendance.demo import seed_attendance_history
from sigap.attendance.requests.demo import seed_requests_demo
from sigap.core import clock
from sigap.discipline.demo import seed_discipline_demo
from sigap.health.demo import seed_health_demo
from sigap.org.demo import DEMO_ACCOUNTS, MIN_EMPLOYEES, demo_agency, seed_org
from sigap.org.demo_data import CENTRE, DEMO_PASSWORD, TIME_ZONE
from sigap.privacy.purge_demo import seed_privacy_purge_demo
from sigap.rollcall.demo import seed_rollcall_demo
from sigap.verification.demo import seed_verification_demo
from sigap.web.privacy_views.demo import seed_access_demo
from sigap.worktime.services import seed_worktime_demo


class Command(BaseCommand):
    help = (
        "Create the demo regency (Kabupaten Mamuju, WITA) with its employees; reuse it if present."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, default=2000)
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--history-days", type=int, default=14, help="days of past attendance to generate"
        )

    def handle(
        self, *args, employees: int, no_progress: bool, history_days: int, **options
    ) -> None:
        if employees < MIN_EMPLOYEES:
            raise CommandError(f"--employees must be at least {MIN_EMPLOYEES}")
        quiet = no_progress or options.get("verbosity", 1) == 0
        if demo_agency() is None:
            with tqdm(
                total=employees,
                desc=_("Creating demo employees"),
                unit=_("employees"),
                disable=quiet,
            ) as bar:
                result = seed_org(employees=employees, progress=bar.update)
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Demo created: %(name)s: %(units)d units, %(offices)d offices, "
                        "%(n)d employees."
                    )
                    % {
                        "name": result.agency.name,
                        "units": result.units,
                        "offices": result.offices,
                        "n": result.employees,
                    }
                )
            )
        else:
            result = seed_org(employees=employees)
            self.stdout.write(
                _("The demo exists already and is reused: %(name)s (%(n)d employees).")
                % {"name": result.agency.name, "n": result.employees}
            )
        today = clock.today(TIME_ZONE)
        calendar = seed_worktime_demo(agency=result.agency, year=today.year, today=today)
        self.stdout.write(
            _("Calendar: %(h)d new holidays, %(s)d new shift assignments.")
            % {"h": calendar.holidays, "s": calendar.assignments}
        )
        plans = seed_arrangements_demo(agency=result.agency, today=today, centre=CENTRE)
        self.stdout.write(
            _(
                "Work arrangements: %(g)d flexible-work grants, %(p)d emergency policies, "
                "%(e)d roster entries."
            )
            % {"g": plans.grants, "p": plans.policies, "e": plans.entries}
        )
        with tqdm(
            total=history_days + 1, desc=_("Attendance history"), unit=_("days"), disable=quiet
        ) as bar:
            events = seed_attendance_history(
                agency=result.agency, today=today, days=history_days, progress=bar.update
            )
        self.stdout.write(_("Attendance history: %(n)d new check-ins.") % {"n": events})
        requests = seed_requests_demo(agency=result.agency, today=today)
        self.stdout.write(
            _("Requests: %(n)d new (leave, official travel, a correction).") % {"n": requests}
        )
        rollcall = seed_rollcall_demo(agency=result.agency, today=today)
        if rollcall is not None:
            self.stdout.write(
                _("Roll call: %(title)s on %(date)s, board at /apel/%(id)d/papan/.")
                % {"title": rollcall.title, "date": rollcall.date.isoformat(), "id": rollcall.pk}
            )
        flagged = seed_verification_demo(agency=result.agency, today=today)
        self.stdout.write(
            _("Verification: %(n)d check-ins flagged for the inspector's review queue.")
            % {"n": flagged}
        )
        discipline = seed_discipline_demo(agency=result.agency, today=today)
        self.stdout.write(
            _(
                "Discipline: %(s)d TPP statements computed, %(a)d new duty-to-examine alerts "
                "(for %(boss)s, about %(who)s)."
            )
            % {
                "s": discipline.statements,
                "a": discipline.alerts,
                "boss": discipline.examiner or "-",
                "who": discipline.absentee or "-",
            }
        )
        health = seed_health_demo(agency=result.agency, today=today)
        self.stdout.write(
            _("Health watch: %(d)d new declarations, %(t)d new test results.")
            % {"d": health.declarations, "t": health.tests}
        )
        views = seed_access_demo(agency=result.agency, today=today)
        self.stdout.write(
            _("Access log: %(n)d new entries (who viewed whose selfie or location).") % {"n": views}
        )
        purge = seed_privacy_purge_demo(agency=result.agency)
        self.stdout.write(
            _("Retention: a dry run of the purge (%(n)d selfies due), at /privasi/retensi/.")
            % {"n": purge.counts.get("selfies", {}).get("rows", 0)}
        )
        self.stdout.write(demo_logins_text())


def demo_logins_text() -> str:
    lines = [_("Demo accounts (the password of every account: %(pw)s):") % {"pw": DEMO_PASSWORD}]
    lines += [f"  {name:<16} {_(role)}" for name, role in DEMO_ACCOUNTS.items()]
    lines.append("  " + _("Every other employee signs in with their NIP and the same password."))
    return "\n".join(lines)
