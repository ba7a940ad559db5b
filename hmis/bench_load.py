"""Load for ``make bench`` (issue 8): case workers using gunicorn at the same time.

Each virtual user is one case worker with an account, a session and a browser's
cookies of their own (a shared account would fight over one session, U8). They work
as people do, a page, then a pause to read or type (THINK_SECONDS), for a bounded
time. Two scripts: the intake (consent, client with the duplicate check, household
finish, enrollment) and reading client pages. Latency is measured per request, from
sending it to reading the whole response, on loopback.

A separate run without pauses gives the most requests a second the server can serve.
"""

import http.client
import random
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

THINK_SECONDS = (1.0, 3.0)
BENCH_PROJECT = "Riverbend Emergency Shelter"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """Just enough of a browser: one keep-alive connection, cookies, CSRF tokens."""

    def __init__(self, port: int, cookies: dict):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = dict(cookies)
        self.latencies: list[float] = []
        self.failures = 0
        self.form_token = ""  # the CSRF token of the last page with a form

    def request(self, method, path, form=None, expect=(200, 302)) -> tuple[int, dict, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            token = self.form_token or self.cookies.get("csrftoken", "")
            body = urlencode({**form, "csrfmiddlewaretoken": token}, doseq=True)
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/"}
        try:
            started = time.perf_counter()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # gunicorn closes a keep-alive connection idle for 2 s (a person reading the
            # page); a browser then opens a new one and sends the request again.
            self.connection.close()
            started = time.perf_counter()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode(errors="replace")
        self.latencies.append(time.perf_counter() - started)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        if response.status not in expect:
            self.failures += 1
        token = CSRF_FIELD.search(text)
        if token:
            self.form_token = token.group(1)
        return response.status, dict(response.getheaders()), text

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form)


@dataclass
class Outcome:
    latencies: list = field(default_factory=list)
    failures: int = 0
    journeys: int = 0
    elapsed: float = 0.0


def bench_workers(count: int):
    """``count`` trained case workers at the demo's Agency A, each with a session."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from agencies.models import Agency, License, Project
    from hmis.demo import complete_training, verified_session
    from hmis.models import User

    agency = Agency.objects.get(name__startswith="Agency A")
    project = Project.objects.get(agency=agency, name=BENCH_PROJECT)
    sessions = []
    for n in range(count):
        user, made = User.objects.get_or_create(username=f"bench_worker_{n:02d}", defaults={
            "first_name": "Bench", "last_name": f"Worker {n:02d}", "email": f"bench{n}@demo.invalid"})
        if made:
            TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
            license = License.objects.create(user=user, agency=agency, role=License.Role.END_USER)
            license.projects.add(project)
        complete_training(user)
        client = verified_session(user)
        sessions.append((user, {name: morsel.value for name, morsel in client.cookies.items()}))
    return sessions, project


def intake(browser: Browser, rng: random.Random, user, project, think) -> None:
    """One intake as the pages take it: consent, the person (duplicate check, then
    create), finish, the client's page, the enrollment and the stay's page."""
    from hmis import dates

    today = dates.today().isoformat()
    browser.get("/clients/intake/")
    think()
    status, headers, _ = browser.post("/clients/intake/", {
        "sharing_level": "full", "consent_type": "signed", "signed_on": today, "lock_warning_given": "on",
        "project": project.pk, "taken_by": user.pk})
    roi_page = headers.get("Location", "")
    if status != 302 or not roi_page:
        return
    browser.get(roi_page)
    think()
    person = {
        "first_name": rng.choice(["Ana", "Ben", "Cyd", "Dev", "Eli"]) + rng.choice(["ra", "lo", "ne", "to"]),
        "middle_name": "", "last_name": f"Bench{rng.randint(1000, 99999)}", "name_suffix": "",
        "name_data_quality": 1, "ssn": "", "ssn_data_quality": 99,
        "dob": (dates.today() - timedelta(days=rng.randint(8000, 20000))).isoformat(), "dob_data_quality": 1,
        "race_none": "", "hispanic_latinao": "on", "additional_race_ethnicity": "", "sex": rng.choice([0, 1]), "veteran_status": 0}
    browser.post(roi_page, {**person, "action": "check"})
    think()
    # A random "Bench" name may look like an earlier one: the worker, having compared them,
    # says why this is another person (D5: creating anyway needs a reason).
    browser.post(roi_page, {**person, "action": "create", "checked": "1",
                            "duplicate_reason": "Different person: date of birth checked with the client"})
    status, headers, _ = browser.post(roi_page.rstrip("/") + "/finish/", {})
    client_page = headers.get("Location", "")
    if status != 302 or not client_page:
        return
    browser.get(client_page)
    client_id = client_page.rstrip("/").rsplit("/", 1)[-1]
    think()
    browser.get(f"/enrollments/enroll/{client_id}/")
    think()
    status, headers, _ = browser.post(f"/enrollments/enroll/{client_id}/", {
        "project": project.pk, "entry_date": today, "information_date": today, f"relationship_{client_id}": 1,
        "living_situation": 116, "length_of_stay": 4, "date_to_street_essh": today, "times_homeless_past_three_years": 1,
        "months_homeless_past_three_years": 101, "disabling_condition": 0, "date_of_engagement": "",
        "income_from_any_source": 0, "total_monthly_income": "", "benefits_from_any_source": 0,
        "insurance_from_any_source": 0, "physical_disability": 0, "developmental_disability": 0,
        "chronic_health_condition": 0, "hiv_aids": 0, "mental_health_disorder": 0, "substance_use_disorder": 0,
        "domestic_violence_survivor": 0, "currently_fleeing": ""})
    if status == 302:
        browser.get(headers["Location"])
    else:
        browser.failures += 1  # the enrollment form was refused


def read_clients(browser: Browser, rng: random.Random, client_ids, think) -> None:
    browser.get(f"/clients/{rng.choice(client_ids)}/")
    think()


def run_users(port, sessions, journey, seconds: float, pause: tuple | None = THINK_SECONDS) -> Outcome:
    """Every session runs ``journey`` over and over for ``seconds``, pausing between
    pages for a random time within ``pause`` (seconds), or not at all."""
    outcome = Outcome()
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def user(n, user_and_cookies):
        rng = random.Random(n)
        browser = Browser(port, user_and_cookies[1])
        think = (lambda: time.sleep(rng.uniform(*pause))) if pause else (lambda: None)
        done = 0
        while time.perf_counter() < stop:
            journey(browser, rng, user_and_cookies[0], think)
            done += 1
        with lock:
            outcome.latencies += browser.latencies
            outcome.failures += browser.failures
            outcome.journeys += done

    threads = [threading.Thread(target=user, args=(n, s)) for n, s in enumerate(sessions)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcome.elapsed = time.perf_counter() - began
    return outcome


class Gunicorn:
    """gunicorn on a free loopback port, for the length of a ``with`` block, with the
    deployment's settings (gunicorn.conf.py)."""

    def __init__(self, env):
        self.env = env

    def __enter__(self) -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "hmis.wsgi", "-b", f"127.0.0.1:{self.port}", "--log-level", "warning"],
            env=self.env)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        return self.port

    def __exit__(self, *exc):
        self.server.terminate()
        self.server.wait(timeout=30)
