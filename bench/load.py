"""A load test of a realistic mix on gunicorn + PostgreSQL at bench scale (`python -m bench.load`; issue 14, "Load").

Closed loop: `--clients` threads, each one person of a role sending requests back to back (no think time) through
a real gunicorn (`--workers`, default 2) serving the benchmark database:

- info officers submit demands with a photo through the API (multipart; at most `--max-submissions` a run, then
  they read their demands list), and open their demand list;
- triage officers take the demands just submitted and assign them to the load expert (API), or open the triage
  queue page when there is nothing to assign;
- the expert accepts each demand assigned and replies in its thread (API), or opens the inbox page;
- county admins open the household list, the demand list and the county dashboard (pages, session cookie);
- API clients read the demands list and the county's indicators (token).

The work is handed from role to role through in-process queues, so no two clients ever act on the same demand: a
refusal is an error, and there must be none. The trivial view (`/healthz`) is measured first with the same clients
in the same run: the mix's req/s is printed as a share of it (goal ≥ 40 %, with p99 < 500 ms).

The load users (`load_*`) are created once, idempotently; the demands submitted (titled "[load]") stay in the
benchmark database, bounded by `--max-submissions` per run.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import queue
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sciaid_bench"
TRIVIAL = "trivial view (/healthz)"
#: The roles of the clients, in the order clients are given them (10 clients: two of each).
ROLES = ("officer", "triage", "expert", "county_admin", "api")
PASSWORD_UNUSABLE = "!"


@dataclass(frozen=True)
class Actors:
    """What the clients need to act: credentials and the ids the requests carry."""

    tokens: dict[str, str]
    sessions: dict[str, str]
    county: str
    village: str
    specialty: str
    expert_id: int


@dataclass
class Recorder:
    """Every request's kind, duration and outcome, from every thread."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


# --- the load users (in the benchmark database, created once) ------------------------------------------------------


def ensure_actors() -> Actors:
    """The load users of the benchmark province's first county, created on first use, with API tokens and login
    sessions for the clients."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from bench.generate import bench_users
    from sciaid.accounts.models import RoleGrant, User
    from sciaid.core.roles import Role
    from sciaid.experts.models import Expert, Specialty
    from sciaid.regions.choices import AreaLevel
    from sciaid.regions.models import Area

    _admin, county_admin = bench_users()
    county = county_admin.grants.get().area
    village = Area.objects.filter(level=AreaLevel.VILLAGE, code__range=county.subtree_bounds).order_by("code")[0]
    specialty = Specialty.objects.order_by("code")[0]
    users = {"county_admin": county_admin, "api": county_admin}
    for name, role, area in (
        ("officer", Role.INFO_OFFICER, village),
        ("triage", Role.TRIAGE_OFFICER, county),
        ("expert", Role.EXPERT, county),
    ):
        user, created = User.objects.get_or_create(username=f"load_{name}", defaults={"password": PASSWORD_UNUSABLE})
        if created:
            RoleGrant.objects.create(user=user, role=role, area=area)
        users[name] = user
    expert, created = Expert.objects.get_or_create(
        user=users["expert"],
        defaults={"name": "负载测试专家", "organisation": "Load test", "home_area": county, "phone": "13800000000"},
    )
    if created:
        expert.specialties.add(specialty)
    sessions = {}
    for name in ("officer", "triage", "expert", "county_admin"):
        client = Client()
        client.force_login(users[name])
        sessions[name] = client.cookies["sessionid"].value
    tokens = {name: Token.objects.get_or_create(user=user)[0].key for name, user in users.items()}
    return Actors(tokens, sessions, county.code, village.code, specialty.code, expert.pk)


def photo() -> bytes:
    """A phone photo as the demand form sends it once resized: a 640×480 JPEG (~20 KB)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), "#6b8e23")
    draw = ImageDraw.Draw(image)
    for step in range(0, 640, 16):
        draw.line([(step, 0), (640 - step, 480)], fill=(step % 255, 120, 60), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


# --- the clients ----------------------------------------------------------------------------------------------------


class Mix:
    """The roles' requests (one call = one request timed), and the queues handing demands from role to role."""

    def __init__(self, base: str, actors: Actors, recorder: Recorder, max_submissions: int):
        import requests

        self.requests = requests
        self.base, self.actors, self.recorder = base, actors, recorder
        self.to_assign: queue.Queue[int] = queue.Queue()
        self.to_accept: queue.Queue[int] = queue.Queue()
        self.submissions = itertools.count()
        self.max_submissions = max_submissions
        self.photo = photo()

    def session(self, role: str):
        session = self.requests.Session()
        if role in self.actors.sessions:
            session.cookies.set("sessionid", self.actors.sessions[role])
        return session

    def call(self, session, kind: str, method: str, path: str, expect: int = 200, **kwargs):
        """One timed request; anything but the expected status (or a connection failure) is an error."""
        started = time.perf_counter()
        error = None
        response = None
        try:
            response = session.request(method, self.base + path, timeout=30, **kwargs)
            if response.status_code != expect:
                error = f"{response.status_code} {path}: {response.text[:200]}"
        except self.requests.RequestException as exc:
            error = f"{type(exc).__name__} {path}"
        self.recorder.add(kind, time.perf_counter() - started, error)
        return response if error is None else None

    def api(self, role: str) -> dict:
        return {"Authorization": f"Token {self.actors.tokens[role]}"}

    def officer(self, session, turn: int) -> None:
        if turn % 2 or next(self.submissions) >= self.max_submissions:
            self.call(session, "officer: demand list (page)", "GET", "/demands/")
            return
        data = {
            "title": f"[load] 水稻叶片发黄 {turn}",
            "description": "稻田里大片叶片发黄，请专家看看是什么病。",
            "specialty": self.actors.specialty,
            "village": self.actors.village,
        }
        files = {"photos": ("leaf.jpg", self.photo, "image/jpeg")}
        headers = self.api("officer")
        response = self.call(
            session, "officer: submit demand + photo (API)", "POST", "/api/v1/demands/", 201,
            data=data, files=files, headers=headers,
        )  # fmt: skip
        if response is not None:
            self.to_assign.put(response.json()["id"])

    def triage(self, session, turn: int) -> None:
        try:
            demand = self.to_assign.get_nowait()
        except queue.Empty:
            self.call(session, "triage: queue (page)", "GET", "/demands/queue/")
            return
        body = {"experts": [self.actors.expert_id]}
        path = f"/api/v1/demands/{demand}/assign/"
        if self.call(session, "triage: assign (API)", "POST", path, json=body, headers=self.api("triage")):
            self.to_accept.put(demand)

    def expert(self, session, turn: int) -> None:
        try:
            demand = self.to_accept.get_nowait()
        except queue.Empty:
            self.call(session, "expert: inbox (page)", "GET", "/demands/inbox/")
            return
        headers = self.api("expert")
        if self.call(session, "expert: accept (API)", "POST", f"/api/v1/demands/{demand}/accept/", headers=headers):
            body = {"text": "多半是缺氮，先追施尿素，三天后拍照给我看。"}
            self.call(session, "expert: reply (API)", "POST", f"/api/v1/demands/{demand}/reply/", json=body,
                      headers=headers)  # fmt: skip

    def county_admin(self, session, turn: int) -> None:
        pages = (
            ("county admin: household list (page)", "/regions/households/"),
            ("county admin: demand list (page)", "/demands/"),
            ("county admin: dashboard (page)", f"/reports/?area={self.actors.county}&year=2020"),
        )
        kind, path = pages[turn % len(pages)]
        self.call(session, kind, "GET", path)

    def api_client(self, session, turn: int) -> None:
        headers = self.api("api")
        if turn % 2:
            self.call(session, "API: demands list", "GET", "/api/v1/demands/", headers=headers)
        else:
            path = f"/api/v1/indicators/?area={self.actors.county}&period=2020"
            self.call(session, "API: indicators (county)", "GET", path, headers=headers)

    def trivial(self, session, turn: int) -> None:
        self.call(session, TRIVIAL, "GET", "/healthz")

    def act(self, role: str) -> Callable:
        return {
            "officer": self.officer,
            "triage": self.triage,
            "expert": self.expert,
            "county_admin": self.county_admin,
            "api": self.api_client,
            "trivial": self.trivial,
        }[role]


def run_clients(mix: Mix, roles: list[str], seconds: float) -> float:
    """Each role in its own thread, requests back to back until `seconds` have passed; returns the elapsed time."""
    stop = time.perf_counter() + seconds

    def loop(role: str) -> None:
        session = mix.session(role)
        act = mix.act(role)
        for turn in itertools.count():
            if time.perf_counter() >= stop:
                return
            try:
                act(session, turn)
            except Exception as exc:  # a client's own failure is counted as an error, and the client goes on
                mix.recorder.add(f"{role}: client failure", 0.0, f"{type(exc).__name__}: {exc}")

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(role,), daemon=True) for role in roles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


# --- gunicorn -------------------------------------------------------------------------------------------------------


def start_gunicorn(workers: int, port: int, env: dict[str, str]) -> subprocess.Popen:
    """gunicorn serving the platform on the benchmark database; returns once /healthz answers."""
    import requests

    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "sciaid.wsgi",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        "--timeout=60",
    ]
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


# --- the report -------------------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def table(recorder: Recorder, elapsed: dict[str, float]) -> list[str]:
    """One line per kind (req/s, p50/p95/p99 in ms, errors), the mix's total and its share of the trivial view."""
    lines = [
        "| kind | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    mix_times: list[float] = []
    for kind, times in sorted(recorder.times.items(), key=lambda item: (item[0] == TRIVIAL, item[0])):
        seconds = elapsed["trivial" if kind == TRIVIAL else "mix"]
        if kind != TRIVIAL:
            mix_times += times
        lines.append(row(kind, times, seconds, len(recorder.errors[kind])))
    mix_errors = sum(len(errors) for kind, errors in recorder.errors.items() if kind != TRIVIAL)
    lines.append(row("**the whole mix**", mix_times, elapsed["mix"], mix_errors))
    trivial_rate = len(recorder.times[TRIVIAL]) / elapsed["trivial"]
    mix_rate = len(mix_times) / elapsed["mix"]
    p99 = percentile(mix_times, 0.99) * 1000 if mix_times else float("nan")
    met = mix_rate >= 0.4 * trivial_rate and p99 < 500 and mix_errors == 0
    lines.append("")
    lines.append(
        f"mix {mix_rate:.1f} req/s = {100 * mix_rate / trivial_rate:.0f} % of the trivial view's {trivial_rate:.1f} "
        f"req/s; mix p99 {p99:.0f} ms; {mix_errors} errors. Goal (≥ 40 %, p99 < 500 ms, 0 errors): "
        f"{'met' if met else 'NOT met'}."
    )
    return lines


def row(kind: str, times: list[float], seconds: float, errors: int) -> str:
    if not times:
        return f"| {kind} | 0 | — | — | — | — | {errors} |"
    p50, p95, p99 = (percentile(times, share) * 1000 for share in (0.5, 0.95, 0.99))
    return f"| {kind} | {len(times):,} | {len(times) / seconds:.1f} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {errors} |"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long the mix runs")
    parser.add_argument("--trivial-seconds", type=float, default=15, help="how long the trivial view runs")
    parser.add_argument("--clients", type=int, default=10, help="concurrent clients (the roles in turn)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--max-submissions", type=int, default=600, help="demands submitted at most in a run")
    return parser.parse_args(argv)


def vacuum_read_tables() -> None:
    """VACUUM ANALYZE what the mix reads and writes, as autovacuum keeps a live database (`bench.generate.vacuum`):
    earlier runs' steps and rolled-back imports leave dead rows the lists would otherwise wade through."""
    from bench.generate import vacuum

    vacuum(
        [
            "assistance_demand",
            "assistance_assignment",
            "assistance_message",
            "regions_household",
            "regions_householdincome",
            "core_objectchange",
            "django_session",
        ]
    )


def measure_load(args: argparse.Namespace, env: dict[str, str]) -> tuple[list[str], Recorder]:
    """Start gunicorn, run the trivial view then the mix with the same clients, stop gunicorn; the report lines."""
    actors = ensure_actors()
    vacuum_read_tables()
    recorder = Recorder()
    process = start_gunicorn(args.workers, args.port, env)
    try:
        mix = Mix(f"http://127.0.0.1:{args.port}", actors, recorder, args.max_submissions)
        roles = [ROLES[index % len(ROLES)] for index in range(args.clients)]
        elapsed = {"trivial": run_clients(mix, ["trivial"] * args.clients, args.trivial_seconds)}
        load_before = os.getloadavg()
        elapsed["mix"] = run_clients(mix, roles, args.seconds)
        load_after = os.getloadavg()
    finally:
        process.terminate()
        process.wait(timeout=30)
    lines = table(recorder, elapsed)
    lines.append(
        f"{args.clients} clients, {args.workers} gunicorn workers, mix {elapsed['mix']:.0f} s; load average "
        f"{load_before[0]:.1f} before the mix, {load_after[0]:.1f} after (1 min; the machine is shared)."
    )
    return lines, recorder


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_URL)
    env.setdefault("DJANGO_SETTINGS_MODULE", "sciaid.settings")
    env.setdefault("STATIC_FINGERPRINTS", "false")
    os.environ.update({key: env[key] for key in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "STATIC_FINGERPRINTS")})
    import django

    django.setup()
    lines, recorder = measure_load(args, env)
    print("\n".join(lines))
    for kind, errors in recorder.errors.items():
        for error in errors[:3]:
            print(f"error ({kind}): {error}", file=sys.stderr)
    return 0 if not any(recorder.errors.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
