from django.contrib import admin
from django.urls import include, path

from sigap.api import api
from sigap.core.probes import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("sigap.web.urls")),
]

# a database outage outside a view still answers 503, not 500 (sigap.core.db_errors)
handler500 = "sigap.core.db_errors.server_error"
