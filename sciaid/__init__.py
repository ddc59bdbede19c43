"""SciAid Online (科技扶贫在线)."""

from sciaid.celery import app as celery_app

__all__ = ["celery_app"]
