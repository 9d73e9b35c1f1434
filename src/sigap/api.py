"""The NinjaAPI that mounts each app's router (base path /api/v1)."""

from ninja import NinjaAPI
from ninja.security import django_auth

from sigap.arrangements.api import router as arrangements_router
from sigap.attendance.api import router as attendance_router
from sigap.attendance.requests.api import router as requests_router
from sigap.core.api_auth import BearerTokenAuth
from sigap.core.api_errors import install_error_handlers
from sigap.core.request_limits import install_request_limits
from sigap.discipline.api import router as discipline_router
from sigap.health.api import router as health_router
from sigap.org.api import router as auth_router
from sigap.performance.api import router as performance_router
from sigap.privacy.api import router as privacy_router
from sigap.privacy.export_api import router as privacy_export_router
from sigap.reports.api import router as reports_router
from sigap.rollcall.api import router as rollcall_router
from sigap.verification.api import router as verification_router

api = NinjaAPI(
    title="SIGAP API",
    version="1",
    description="Sistem Informasi Kehadiran dan Kinerja ASN",
    # phones send a bearer token; SIGAP's own pages use the session (with CSRF)
    auth=[BearerTokenAuth(), django_auth],
    urls_namespace="api",
)
install_error_handlers(api)
# 413 for bodies Django refuses to parse, 422 for NUL characters (hostile input)
install_request_limits(api)
api.add_router("/auth", auth_router)
api.add_router("/", attendance_router)
api.add_router("/", requests_router)
api.add_router("/", arrangements_router)
api.add_router("/", performance_router)
api.add_router("/", reports_router)
api.add_router("/", rollcall_router)
api.add_router("/", discipline_router)
api.add_router("/", verification_router)
api.add_router("/", privacy_router)
api.add_router("/", privacy_export_router)
api.add_router("/", health_router)
