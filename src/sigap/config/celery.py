"""The Celery application. Workers: `celery -A sigap.config.celery worker`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.config.settings")

app = Celery("sigap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
