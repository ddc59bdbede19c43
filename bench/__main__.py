"""`python -m bench [--scale 1.0] [--repeat 50] [--import-rows 20000] [--only assistance]`: generate (once) and
measure on PostgreSQL.

Uses DATABASE_URL when set (it must be PostgreSQL); otherwise the dedicated database `sciaid_bench` on
127.0.0.1:5432 as user postgres, created when missing. The generated province stays for the next run at that scale.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sciaid_bench"
#: The parts `--only` may pick ("regions": the province's pages, statistics job and household import).
MEASUREMENTS = (
    "achievements",
    "assistance",
    "commissioners",
    "funds",
    "lists",
    "market",
    "pages",
    "portal",
    "regions",
    "reports",
    "training",
    "training_search",
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = a province (~50,000 villages); 0.01 is quick")
    parser.add_argument("--repeat", type=int, default=50, help="timed runs of each query measurement")
    parser.add_argument("--import-rows", type=int, default=20_000, help="rows of the household import")
    parser.add_argument(
        "--only", choices=sorted(MEASUREMENTS), help="measure one part only (the data are generated all the same)"
    )
    return parser.parse_args(argv)


def ensure_database(url: str) -> None:
    """Create the benchmark's own database on first use (never someone else's: only for the default URL)."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'sciaid_bench'").fetchone():
            conn.execute("CREATE DATABASE sciaid_bench")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.only == "pages":  # the demo on SQLite in a browser, not the generated province
        from bench.pages import main as measure_pages

        return measure_pages()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        print("The benchmarks need PostgreSQL: set DATABASE_URL to a postgres:// URL.", file=sys.stderr)
        return 2
    if url == DEFAULT_URL:
        ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciaid.settings")
    # Pages are rendered by the test client: the static files' URLs need no collected manifest.
    os.environ.setdefault("STATIC_FINGERPRINTS", "false")

    import django

    # The test client's whitenoise warns about a missing STATIC_ROOT; the pages measured do not serve static files.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command

    from bench.achievements import measure_achievements
    from bench.assistance import AssistancePlan, ensure_assistance, measure_assistance, remove_assistance
    from bench.commissioners import CommissionerPlan, ensure_commissioners, measure_commissioners, remove_commissioners
    from bench.funds import FundsPlan, ensure_funds, measure_funds, remove_funds
    from bench.generate import Plan, ensure_dataset, loaded_plan
    from bench.market import MarketPlan, ensure_market, measure_market, remove_market
    from bench.measure import format_table, measure
    from bench.portal import PortalPlan, ensure_portal, measure_portal, remove_portal
    from bench.reports import measure_reports
    from bench.training import TrainingPlan, ensure_training, measure_training, remove_training
    from bench.training_search import (
        SearchPlan,
        ensure_training_search,
        measure_training_search,
        remove_training_search,
    )

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    plan = Plan.for_scale(args.scale)
    print(f"Database {url.rsplit('@', 1)[-1]}, scale {args.scale} ({plan.key})", flush=True)
    if loaded_plan() != plan.key:
        remove_assistance()  # its demands point at the villages about to be replaced
        remove_commissioners()  # so do the commissioners' pairings and logs
        remove_funds()  # and the ledger's budgets
        remove_training()  # and the training events and sign-ins
        remove_training_search()  # and the knowledge-base articles of its counties
        remove_portal()  # and the portal's published achievements and news
        remove_market()  # and the market's suppliers, products and buyers
    dataset = ensure_dataset(plan, log=lambda line: print(line, flush=True))
    assistance = AssistancePlan.for_scale(args.scale)
    seconds, generated = ensure_assistance(assistance, plan.key, log=lambda line: print(line, flush=True))
    commissioners = CommissionerPlan.for_scale(args.scale)
    loaded = ensure_commissioners(commissioners, plan.key, log=lambda line: print(line, flush=True))
    funds_plan = FundsPlan.for_scale(args.scale)
    funds_loaded = ensure_funds(funds_plan, plan.key, log=lambda line: print(line, flush=True))
    print(f"Data ready ({'generated' if dataset.generated else 'already loaded'}); measuring…", flush=True)
    rows = []
    if args.only in (None, "regions"):
        rows += measure(dataset, args.repeat, args.import_rows)
    if args.only in (None, "assistance"):
        rows += measure_assistance(seconds, generated, assistance, args.repeat)
    if args.only in (None, "commissioners"):
        rows += measure_commissioners(*loaded, commissioners, args.repeat)
    if args.only in (None, "funds"):
        rows += measure_funds(*funds_loaded, funds_plan, args.repeat)
    if args.only in (None, "training"):
        training = TrainingPlan.for_scale(args.scale)
        trained = ensure_training(training, plan.key, log=lambda line: print(line, flush=True))
        rows += measure_training(*trained, training, args.repeat)
    if args.only in (None, "training_search"):
        searched = SearchPlan.for_scale(args.scale)
        articles = ensure_training_search(searched, plan.key, log=lambda line: print(line, flush=True))
        rows += measure_training_search(*articles, searched, args.repeat)
    if args.only in (None, "portal"):
        # The portal reads the stored figures the training and commissioner generators fill.
        ensure_training(TrainingPlan.for_scale(args.scale), plan.key, log=lambda line: print(line, flush=True))
        portal_plan = PortalPlan.for_scale(args.scale)
        published = ensure_portal(portal_plan, plan.key, log=lambda line: print(line, flush=True))
        rows += measure_portal(*published, portal_plan, args.repeat)
    if args.only in (None, "achievements"):
        # The catalogue and news searches read the rows the portal's generator loads.
        portal_plan = PortalPlan.for_scale(args.scale)
        ensure_portal(portal_plan, plan.key, log=lambda line: print(line, flush=True))
        rows += measure_achievements(portal_plan, args.repeat, log=lambda line: print(line, flush=True))
    if args.only in (None, "market"):
        market_plan = MarketPlan.for_scale(args.scale)
        stocked = ensure_market(market_plan, plan.key, log=lambda line: print(line, flush=True))
        rows += measure_market(*stocked, market_plan, args.repeat)
    if args.only in (None, "lists"):
        from bench.lists import measure_lists

        rows += measure_lists(args.repeat, log=lambda line: print(line, flush=True))
    if args.only in (None, "reports"):
        # The indicators read every domain: load the generators the steps above may have skipped.
        ensure_training(TrainingPlan.for_scale(args.scale), plan.key, log=lambda line: print(line, flush=True))
        ensure_portal(PortalPlan.for_scale(args.scale), plan.key, log=lambda line: print(line, flush=True))
        ensure_market(MarketPlan.for_scale(args.scale), plan.key, log=lambda line: print(line, flush=True))
        rows += measure_reports(args.repeat)
    print()
    print(format_table(rows))
    print(f"\nTotal {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
