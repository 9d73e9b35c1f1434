"""Signals between apps that must not import each other (lower layers send, upper listen)."""

from __future__ import annotations

from django.dispatch import Signal

# An employee's day changed in a way later consequences depend on (a recomputed attendance
# day after a request, correction or review; a roll-call participation; a report decision).
# kwargs: employee_id (int), date (datetime.date). Sent after the change is saved.
day_facts_changed = Signal()

# A check-in was stored (sent once its transaction committed). kwargs: check_in_id (int).
check_in_recorded = Signal()
