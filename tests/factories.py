"""factory_boy factories for the organisation."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from sigap.core.models import User
from sigap.org.models import Agency, Employee, Office, Position, RoleAssignment, Unit, UnitKind
from sigap.org.rules import make_nip

PASSWORD = "rahasia-uji-123"
_sequence = itertools.count(1)


def next_nip(gender: str = "M") -> str:
    n = next(_sequence)
    birth = dt.date(1970, 1, 1) + dt.timedelta(
        days=n % 5000
    )  # born by 1983: appointed 2005+ is 18+
    return make_nip(birth, (2005 + n % 15, 1 + n % 12), gender, 1 + n % 999)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Pemkab Uji {n}")
    time_zone = "Asia/Makassar"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = UnitKind.OPD


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"K{n}")
    name = factory.Sequence(lambda n: f"Kantor {n}")
    latitude = -2.68
    longitude = 118.89
    radius_m = 100
    time_zone = "Asia/Makassar"


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Jabatan {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    agency = factory.SubFactory(AgencyFactory)
    nip = factory.LazyFunction(next_nip)
    name = factory.Sequence(lambda n: f"Pegawai {n}")
    unit = factory.SubFactory(UnitFactory, agency=factory.SelfAttribute("..agency"))
    position = factory.SubFactory(PositionFactory, agency=factory.SelfAttribute("..agency"))
    user = factory.SubFactory(UserFactory)
    home_latitude = -2.70
    home_longitude = 118.90
    start_date = dt.date(2015, 1, 1)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
