"""Health watch pages (sigap.health): the employee's own page and declaration (also
offered on the phone check-in page), the unit's health dashboard (counts for everyone
with the unit in scope; flags, positives, WFH suggestions and overdue tests for the unit
head and HR), a person's health record, test documents."""

from sigap.web.health_views.mine import health_declare, health_document, health_me, health_test_new
from sigap.web.health_views.unit import (
    health_employee,
    health_employee_test,
    health_suggestion_decide,
    health_unit,
)

__all__ = [
    "health_declare",
    "health_document",
    "health_employee",
    "health_employee_test",
    "health_me",
    "health_suggestion_decide",
    "health_test_new",
    "health_unit",
]
