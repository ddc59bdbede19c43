"""`python manage.py seed_demo`: load the demo counties once, then print the demo logins every time."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sciaid.core.roles import Role
from sciaid.demo.builders import DEMO_LOGINS, PASSWORD, DemoBuilder, demo_exists
from sciaid.regions.models import Area


class Command(BaseCommand):
    help = "Load the demo counties (寿县 and 凤台县) with one user per role; a second run changes nothing."

    def handle(self, *args, **options):
        if demo_exists():
            self.stdout.write(_("The demo data is already loaded; nothing changed."))
        else:
            started = time.perf_counter()
            counts = DemoBuilder().build()
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Demo data loaded in %(seconds).1f s: %(townships)s townships, %(villages)s villages "
                        "(%(poor)s poor), %(households)s households, %(pairings)s cadre pairings, %(visits)s visits."
                    )
                    % {
                        "seconds": time.perf_counter() - started,
                        "townships": counts["areas_township"],
                        "villages": counts["areas_village"],
                        "poor": counts["poor_villages"],
                        "households": counts["households"],
                        "pairings": counts["pairings"],
                        "visits": counts["visits"],
                    }
                )
            )
        self.print_logins()

    def print_logins(self) -> None:
        names = dict(
            Area.objects.filter(code__in={login.area_code for login in DEMO_LOGINS}).values_list("code", "name")
        )
        self.stdout.write(_("Demo logins (password for all: %(password)s):") % {"password": PASSWORD})
        for login in DEMO_LOGINS:
            area = names.get(login.area_code, login.area_code)
            self.stdout.write(f"  {login.username:<16} {PASSWORD}  {Role(login.role).label} · {area}")
