"""Celery application: used only when REDIS_URL is set; otherwise jobs run in process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciaid.settings")

app = Celery("sciaid")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
