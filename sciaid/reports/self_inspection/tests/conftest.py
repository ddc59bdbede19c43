"""The self-inspection tests see the report's pages in the URL tree (see `urls.py` beside this file)."""

import pytest

pytestmark = pytest.mark.urls("sciaid.reports.self_inspection.tests.urls")


@pytest.fixture(autouse=True)
def _with_report_urls(settings):
    settings.ROOT_URLCONF = "sciaid.reports.self_inspection.tests.urls"
