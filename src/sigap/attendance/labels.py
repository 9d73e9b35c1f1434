"""Plain-language meaning of each day code (pages, the phone app and official reports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

CODE_LEGEND = {
    "HADIR": gettext_lazy("Present"),
    "TL1": gettext_lazy("Late 1-30 minutes"),
    "TL2": gettext_lazy("Late 31-60 minutes"),
    "TL3": gettext_lazy("Late 61-90 minutes"),
    "TL4": gettext_lazy("Late over 90 minutes or no check-in"),
    "PSW1": gettext_lazy("Left 1-30 minutes early"),
    "PSW2": gettext_lazy("Left 31-60 minutes early"),
    "PSW3": gettext_lazy("Left 61-90 minutes early"),
    "PSW4": gettext_lazy("Left over 90 minutes early or no check-out"),
    "TK": gettext_lazy("Absent without notice"),
    "DL": gettext_lazy("Official duty elsewhere"),
    "CT": gettext_lazy("Annual leave"),
    "CB": gettext_lazy("Long leave"),
    "CS": gettext_lazy("Sick leave"),
    "CM": gettext_lazy("Maternity leave"),
    "CAP": gettext_lazy("Leave for important reasons"),
    "CBER": gettext_lazy("Collective leave (cuti bersama)"),
    "CLTN": gettext_lazy("Unpaid leave"),
    "SAKIT": gettext_lazy("Sick"),
    "IZIN": gettext_lazy("Permission"),
    "TB": gettext_lazy("Study assignment"),
    "LIBUR": gettext_lazy("Day off"),
    "BELUM": gettext_lazy("Not yet checked in"),
}
