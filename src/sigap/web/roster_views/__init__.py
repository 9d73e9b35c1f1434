"""Roster pages: the unit head's grid (/jadwal/) with edits by click, recalls and the
rotation generator run as a job, and flexible-work applications (/kerja-fleksibel/).

The grid's cells, counts and forms are htmx fragments (web/roster_grid.html); the
configuration reaches roster.js as JSON (the CSP forbids inline script).
"""

from sigap.web.roster_views.flexible import flexible_decide, flexible_page
from sigap.web.roster_views.roster import (
    roster_cell,
    roster_generate_view,
    roster_job_view,
    roster_page,
    roster_recall_view,
)

__all__ = [
    "flexible_decide",
    "flexible_page",
    "roster_cell",
    "roster_generate_view",
    "roster_job_view",
    "roster_page",
    "roster_recall_view",
]
