"""sigap seed_demo [--employees N]: the demo regency (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sigap.org.demo import DEMO_ACCOUNTS, MIN_EMPLOYEES, demo_agency, seed_org
from sigap.org.demo_data import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Create the demo regency (Kabupaten Mamuju, WITA) with its employees; reuse it if present."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, default=2000)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, employees: int, no_progress: bool, **options) -> None:
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
        self.stdout.write(demo_logins_text())


def demo_logins_text() -> str:
    lines = [f"Akun demo (kata sandi semua akun: {DEMO_PASSWORD}):"]
    lines += [f"  {name:<16} {role}" for name, role in DEMO_ACCOUNTS.items()]
    lines.append("  Setiap pegawai lain dapat masuk dengan NIP-nya dan kata sandi yang sama.")
    return "\n".join(lines)
