"""sigap seed_demo [--employees N]: the demo regency (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sigap.attendance.demo import seed_attendance_history
from sigap.core import clock
from sigap.org.demo import DEMO_ACCOUNTS, MIN_EMPLOYEES, demo_agency, seed_org
from sigap.org.demo_data import DEMO_PASSWORD, TIME_ZONE
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
                total=employees, desc="Membuat pegawai demo", unit="pegawai", disable=quiet
            ) as bar:
                result = seed_org(employees=employees, progress=bar.update)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo dibuat: {result.agency.name}: {result.units} unit, "
                    f"{result.offices} kantor, {result.employees} pegawai."
                )
            )
        else:
            result = seed_org(employees=employees)
            self.stdout.write(
                f"Demo sudah ada, dipakai lagi: {result.agency.name} ({result.employees} pegawai)."
            )
        today = clock.today(TIME_ZONE)
        calendar = seed_worktime_demo(agency=result.agency, year=today.year, today=today)
        self.stdout.write(
            f"Kalender: {calendar.holidays} hari libur baru, "
            f"{calendar.assignments} jadwal shift baru."
        )
        with tqdm(
            total=history_days + 1, desc="Riwayat presensi", unit="hari", disable=quiet
        ) as bar:
            events = seed_attendance_history(
                agency=result.agency, today=today, days=history_days, progress=bar.update
            )
        self.stdout.write(f"Riwayat presensi: {events} presensi baru.")
        self.stdout.write(demo_logins_text())


def demo_logins_text() -> str:
    lines = [f"Akun demo (kata sandi semua akun: {DEMO_PASSWORD}):"]
    lines += [f"  {name:<16} {role}" for name, role in DEMO_ACCOUNTS.items()]
    lines.append("  Setiap pegawai lain dapat masuk dengan NIP-nya dan kata sandi yang sama.")
    return "\n".join(lines)
