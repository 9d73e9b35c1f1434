"""Discipline pages: the monthly TPP statements (/tpp/), the PP 94/2021 duty-to-examine
alerts (/disiplin/peringatan/) and the monthly rewards (/penghargaan/).

Every read goes through sigap.discipline's selectors and statements, the one write through
its ladder service; the back end's refusals become 403/404 pages, a bad month a 400 page.
Bars are inline SVG drawn from the view's numbers (no script; the CSP allows no inline
style, so sizes are SVG attributes and colours live in sigap.css).
"""

from sigap.web.discipline_views.alerts import discipline_alert_ack, discipline_alerts
from sigap.web.discipline_views.rewards import best_of_last_month, rewards_page
from sigap.web.discipline_views.statement import tpp_employee, tpp_mine
from sigap.web.discipline_views.unit import tpp_unit

__all__ = [
    "best_of_last_month",
    "discipline_alert_ack",
    "discipline_alerts",
    "rewards_page",
    "tpp_employee",
    "tpp_mine",
    "tpp_unit",
]
