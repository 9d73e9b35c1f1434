"""The bench agency: an office, employees with their face references, the burst's
check-ins with their selfies in the storage; and removing all of it."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
import random
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from sigap.attendance import rules as attendance_rules
from sigap.attendance.bench.environment import frozen_check_in_time
from sigap.attendance.models import CheckIn, Source
from sigap.core import clock
from sigap.core.geo import Point, distance_m
from sigap.org.bench import remove_bench_agency as remove_agency
from sigap.org.models import Agency, Employee, Office, Position, Unit, UnitKind
from sigap.org.rules import make_nip
from sigap.org.selectors import org_changed
from sigap.verification import face
from sigap.verification.bench.results import Progress
from sigap.verification.bench.selfies import Portrait, Selfie, jpeg
from sigap.verification.models import (
    FaceReference,
    ReferenceSource,
    ReferenceStatus,
)

CODE = "BENCH-VERIFY"
ZONE = "Asia/Makassar"
PREFIX = "bench-verify"  # the storage folder of the bench's selfies and references
OFFICE = Point(-2.68, 118.89)
JITTER_M = 25.0  # people stand up to this far from the office centre (geofence 100 m)
BURST_MINUTES = 25  # the burst's check-ins are recorded over the 25 minutes before 07:25


def seed_agency(
    claimed: list[str], portraits: dict[str, Portrait]
) -> tuple[Office, list[Employee]]:
    """The agency, an office with a 100 m geofence and an employee per entry of
    `claimed` (a portrait's name), each with an active face reference of that person."""
    now = clock.now()
    references = {
        name: default_storage.save(f"{PREFIX}/reference-{name}.jpg", ContentFile(jpeg(p.image)))
        for name, p in portraits.items()
    }
    with transaction.atomic():
        agency = Agency.objects.create(code=CODE, name="Bench verification", time_zone=ZONE)
        unit = Unit.objects.create(agency=agency, code="OPD", name="OPD bench", kind=UnitKind.OPD)
        office = Office.objects.create(
            agency=agency,
            code="K1",
            name="Kantor bench",
            latitude=OFFICE.latitude,
            longitude=OFFICE.longitude,
            radius_m=100,
            time_zone=ZONE,
        )
        office.units.add(unit)
        position = Position.objects.create(agency=agency, name="Analis")
        people = Employee.objects.bulk_create(
            Employee(
                agency=agency, nip=nip, name=f"Pegawai {n + 1:04d}", unit=unit, position=position
            )
            for n, nip in enumerate(_free_nips(len(claimed)))
        )
        FaceReference.objects.bulk_create(
            FaceReference(
                employee=person,
                image=references[name],
                template=list(portraits[name].template),
                face_px=portraits[name].box[2] - portraits[name].box[0],
                status=ReferenceStatus.ACTIVE,
                source=ReferenceSource.HR_UPLOAD,
                model_version=face.MODEL_VERSION,
                created_at=now,
            )
            for person, name in zip(people, claimed, strict=True)
        )
    org_changed(agency.pk)
    return office, people


def _free_nips(count: int) -> list[str]:
    """NIPs of the bench's own pattern that no employee has yet (NIPs are unique)."""
    found: list[str] = []
    n = 0
    while len(found) < count:
        wanted = [_nip(k) for k in range(n, n + count - len(found) + 10)]
        n += len(wanted)
        taken = set(Employee.objects.filter(nip__in=wanted).values_list("nip", flat=True))
        found += [nip for nip in wanted if nip not in taken][: count - len(found)]
    return found


def _nip(n: int) -> str:
    birth = dt.date(1968, 3, 1) + dt.timedelta(days=n % 9000)
    return make_nip(birth, (2006 + n % 14, 1 + n % 12), "M" if n % 2 else "F", 950 + n // 9000)


def morning() -> dt.datetime:
    """07:25 on the latest working day, in the agency's zone."""
    return frozen_check_in_time(clock.today(ZONE)).replace(tzinfo=ZoneInfo(ZONE))


def near_office(rng: random.Random) -> Point:
    """A point within JITTER_M of the office centre (inside its geofence)."""
    reach, bearing = JITTER_M * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    north, east = reach * math.cos(bearing), reach * math.sin(bearing)
    metres_per_degree = 111_320.0
    return Point(
        round(OFFICE.latitude + north / metres_per_degree, 7),
        round(
            OFFICE.longitude + east / (metres_per_degree * math.cos(math.radians(OFFICE.latitude))),
            7,
        ),
    )


def store_burst(
    office: Office, people: list[Employee], crowd: list[Selfie], progress: Progress | None
) -> list[int]:
    """One check-in per selfie of the crowd (people[n] sends crowd[n]) over the morning,
    its selfie in the storage; the new check-ins' ids in order."""
    at, rng = morning(), random.Random(11)
    rows = []
    for n, selfie in enumerate(crowd):
        recorded = at - dt.timedelta(minutes=BURST_MINUTES * (1 - n / len(crowd)))
        point = near_office(rng)
        rows.append(
            CheckIn(
                employee=people[n],
                request_id=uuid.uuid4(),
                kind="in",
                recorded_at=recorded,
                captured_at=recorded - dt.timedelta(seconds=rng.randint(1, 20)),
                work_date=at.date(),
                time_zone=ZONE,
                mode="WFO",
                latitude=point.latitude,
                longitude=point.longitude,
                accuracy_m=round(rng.uniform(4.0, 25.0), 1),
                device_id=f"bench-{people[n].pk}",
                place_kind=attendance_rules.PlaceKind.OFFICE,
                place_name=office.name,
                place_latitude=office.latitude,
                place_longitude=office.longitude,
                place_radius_m=office.radius_m,
                distance_m=round(distance_m(point, OFFICE), 1),
                inside=True,
                selfie=default_storage.save(f"{PREFIX}/{n:05d}.jpg", ContentFile(selfie.data)),
                selfie_sha256=hashlib.sha256(selfie.data).hexdigest(),
                source=Source.API,
                rule_version=attendance_rules.RULE_VERSION,
            )
        )
        if progress and ((n + 1) % 50 == 0 or n + 1 == len(crowd)):
            progress("burst", n + 1, len(crowd))
    return [row.pk for row in CheckIn.objects.bulk_create(rows, batch_size=500)]


def remove_bench_agency() -> None:
    """The bench agency with everything it made, and the bench's files in the storage."""
    agency = Agency.objects.filter(code=CODE).first()
    if agency is not None:
        for name in sorted(_remove_agency(agency)):
            default_storage.delete(name)
    unsupported = (NotImplementedError,)  # a storage without listdir/path (not local)
    with contextlib.suppress(*unsupported, FileNotFoundError):  # files left by a failed run
        for name in default_storage.listdir(PREFIX)[1]:
            default_storage.delete(f"{PREFIX}/{name}")
    with contextlib.suppress(*unsupported, OSError):  # not local, or not empty
        Path(default_storage.path(PREFIX)).rmdir()


def _remove_agency(agency: Agency) -> set[str]:
    """Delete the agency's rows; the names of their files (selfies, references)."""
    people = Employee.objects.filter(agency=agency)
    files = set(
        CheckIn.objects.filter(employee__in=people)
        .exclude(selfie="")
        .values_list("selfie", flat=True)
    )
    files |= set(FaceReference.objects.filter(employee__in=people).values_list("image", flat=True))
    remove_agency(agency.code)
    return files
