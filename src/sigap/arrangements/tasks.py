"""Background jobs of work arrangements (thin wrappers around services).

The rotation generator runs as a job: `roster_generation_start` notes the job in the
cache and enqueues `roster_generate_task`, which stores its progress (done/total units)
and the final report under the job id; the roster page polls `roster_job(job_id)`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from sigap.arrangements.messages import problem_out
from sigap.arrangements.services import GenerationReport, roster_generate
from sigap.core.exceptions import DomainError
from sigap.core.models import User
from sigap.org.models import Unit

JOB_SECONDS = 3600


def _key(job_id: str) -> str:
    return f"arr:roster-job:{job_id}"


def roster_job(job_id: str) -> dict[str, Any] | None:
    """The job's state: state (queued|running|done|failed), done, total, and when done
    ok, written, people, days and problems (problem_out dicts with the unit's name)."""
    if not job_id or len(job_id) > 64:
        return None
    return cache.get(_key(job_id))


def _update(job_id: str, **changes: Any) -> dict[str, Any]:
    job = {**(cache.get(_key(job_id)) or {"job_id": job_id}), **changes}
    cache.set(_key(job_id), job, JOB_SECONDS)
    return job


def roster_generation_start(
    *, user: User, unit: Unit, start: dt.date, end: dt.date, extra: dict[str, Any] | None = None
) -> str:
    """Note a generation job for `user` and enqueue it; returns the job id. `extra` is kept
    with the job for the page (e.g. the view it was started from)."""
    job_id = uuid.uuid4().hex
    _update(
        job_id,
        user_id=user.pk,
        unit_id=unit.pk,
        start=start.isoformat(),
        end=end.isoformat(),
        state="queued",
        done=0,
        total=0,
        **(extra or {}),
    )
    roster_generate_task.delay(
        unit.pk, start.isoformat(), end.isoformat(), user.pk, job_id, translation.get_language()
    )
    return job_id


@shared_task(name="arrangements.roster_generate", ignore_result=True)
def roster_generate_task(
    unit_id: int, start: str, end: str, user_id: int, job_id: str, language: str | None = None
) -> dict[str, Any]:
    """Generate the unit's roster for [start, end]; the report is stored under `job_id`."""
    with translation.override(language or settings.LANGUAGE_CODE):
        _update(job_id, state="running")
        try:
            report = roster_generate(
                user=User.objects.get(pk=user_id),
                unit=Unit.objects.select_related("agency").get(pk=unit_id),
                start=dt.date.fromisoformat(start),
                end=dt.date.fromisoformat(end),
                progress=lambda done, total: _update(job_id, done=done, total=total),
            )
        except DomainError as exc:
            return _update(job_id, state="failed", message=str(exc.message))
        except (User.DoesNotExist, Unit.DoesNotExist):
            return _update(job_id, state="failed", message=_("The unit or the user is gone."))
        except Exception:
            _update(job_id, state="failed", message=_("The generator stopped with an error."))
            raise
        return _update(job_id, state="done", **_report_out(report))


def _report_out(report: GenerationReport) -> dict[str, Any]:
    names = dict(
        Unit.objects.filter(pk__in={p.unit_id for p in report.problems}).values_list("pk", "name")
    )
    problems = [{**problem_out(p), "unit_name": names.get(p.unit_id, "")} for p in report.problems]
    return {
        "ok": report.ok,
        "written": report.written,
        "people": report.people,
        "days": report.days,
        "problems": problems,
    }
