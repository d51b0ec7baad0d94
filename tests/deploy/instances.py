"""The README's production set-up on loopback: one fresh PostgreSQL database migrated once, the
demo data, rate limits in Redis and two gunicorn instances; a browser behind the TLS-terminating
proxy to drive them, and a scripted mix of every role's pages.

Shared by the two-instance test and the load script (`make instances`).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import redis
import sqlalchemy as sa
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("MESTRING_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DEMO_PASSWORD = "mestring-demo"
# The name users reach the proxy by; every instance sees it in the Host header.
PUBLIC_HOST = "mestring.test"
# For two cores: four sync workers in all keep both busy while some wait on PostgreSQL, and as
# many clients as workers load them without queueing requests behind one another.
WORKERS_PER_INSTANCE = 2
CLIENTS = 4
START_TIMEOUT = 30.0
REQUEST_TIMEOUT = 30.0


def redis_missing(url: str = REDIS_URL) -> str:
    """Why Redis cannot be used, or "" when it answers."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis at {url} does not answer ({error}): the two-instance set-up needs it"
    return ""


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``server_url``, dropped afterwards."""
    url = make_url(server_url)
    name = f"{url.database}_instances_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def rate_limit_keys(prefix: str, url: str = REDIS_URL) -> list[bytes]:
    with redis.Redis.from_url(url) as client:
        return list(client.scan_iter(match=f"*{prefix}*"))


def clear_rate_limits(prefix: str, url: str = REDIS_URL) -> None:
    keys = rate_limit_keys(prefix, url)
    if keys:
        with redis.Redis.from_url(url) as client:
            client.delete(*keys)


def production_environment(database_url: str, ratelimit_prefix: str) -> dict[str, str]:
    """The README's production settings; one proxy in front (the browser below plays it)."""
    return {
        **os.environ,
        "MESTRING_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": ratelimit_prefix,
        "MESTRING_TRUSTED_PROXIES": "1",
        "FLASK_APP": "mestring",
    }


def _run(environment: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603  (a fixed command line)
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )


@dataclass
class Instance:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path


def _listening_socket() -> socket.socket:
    """A socket bound to a free loopback port, handed to gunicorn so no other can take it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _start_instance(
    name: str, environment: dict[str, str], workers: int, log_folder: Path
) -> Instance:
    sock = _listening_socket()
    log = log_folder / f"gunicorn-{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603  (a fixed command line)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"fd://{sock.fileno()}",
                # Instances on one host would otherwise share one control socket path.
                "--no-control-socket",
                "wsgi:app",
            ],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            pass_fds=(sock.fileno(),),
        )
    port = sock.getsockname()[1]
    sock.close()
    return Instance(name, port, process, log)


def _wait_until_serving(instance: Instance, deadline: float) -> None:
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            break
        connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=2)
        try:
            connection.request("GET", "/login", headers={"Host": PUBLIC_HOST})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError(
        f"instance {instance.name} did not start:\n{instance.log.read_text()[-3000:]}"
    )


def _stop(instances: list[Instance]) -> None:
    """Gunicorn's quick shutdown: nothing is left to finish."""
    for instance in instances:
        instance.process.send_signal(signal.SIGINT)
    for instance in instances:
        try:
            instance.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            instance.process.kill()
            instance.process.wait()


@dataclass
class Deployment:
    database_url: str
    ratelimit_prefix: str
    instances: list[Instance]
    workers: int


@contextmanager
def two_instances(
    server_url: str, log_folder: Path, *, workers: int = WORKERS_PER_INSTANCE
) -> Iterator[Deployment]:
    """Migrate a fresh database once, load the demo, and serve it from two gunicorn instances."""
    prefix = f"mestring-test-{secrets.token_hex(4)}"
    with ExitStack() as stack:
        database_url = stack.enter_context(fresh_database(server_url))
        stack.callback(clear_rate_limits, prefix)
        environment = production_environment(database_url, prefix)
        _run(environment, "-m", "flask", "db", "upgrade")
        _run(environment, "-m", "flask", "mestring", "demo")
        instances: list[Instance] = []
        stack.callback(_stop, instances)
        for name in ("a", "b"):
            instances.append(_start_instance(name, environment, workers, log_folder))
        deadline = time.monotonic() + START_TIMEOUT
        for instance in instances:
            _wait_until_serving(instance, deadline)
        yield Deployment(database_url, prefix, instances, workers)


# --- The browser ------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The fields of every form on a page, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._fields: dict[str, str] | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attributes}
        if tag == "form":
            self._fields = self.forms.setdefault(attrs.get("action", ""), {})
        elif self._fields is None or "disabled" in attrs:
            return
        elif tag == "input" and attrs.get("name"):
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if attrs.get("type") not in {"submit", "button", "file"}:
                self._fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self._select, self._first_option = attrs.get("name"), None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self._fields.setdefault(self._select, value)
            if "selected" in attrs:
                self._fields[self._select] = value
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            if self._textarea:
                self._fields[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._fields is not None and self._textarea:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Page:
    path: str
    status: int
    headers: list[tuple[str, str]]
    text: str
    milliseconds: float

    @property
    def location(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "location"), "")

    def cookies_set(self) -> list[str]:
        return [v for k, v in self.headers if k.lower() == "set-cookie"]

    def form(self, action: str) -> dict[str, str]:
        """The fields of the form that posts to ``action`` (a form without one posts here)."""
        parser = _Forms()
        parser.feed(self.text)
        return dict(parser.forms["" if action == self.path else action])


CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*? value="([^"]+)"')


class Browser:
    """A browser that reaches the instances through the TLS-terminating proxy, which it also
    plays: it sends the proxy's headers (the public host, the HTTPS scheme and the browser's
    own address) and, as the connection to the proxy is HTTPS, also its `Secure` cookies."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.cookies: dict[str, str] = {}
        self.url = f"https://{PUBLIC_HOST}/"
        self.csrf_token = ""

    def request(
        self, instance: Instance, method: str, path: str, fields: dict[str, str] | None = None
    ) -> Page:
        headers = {
            "Host": PUBLIC_HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Referer": self.url,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = Page(
                path,
                response.status,
                response.getheaders(),
                response.read().decode("utf-8", "replace"),
                (time.perf_counter() - started) * 1000,
            )
        finally:
            connection.close()
        self._keep_cookies(page)
        if method == "GET" and page.status == 200:
            self.url = f"https://{PUBLIC_HOST}{path}"
        token = CSRF_TOKEN.search(page.text)
        if token:
            self.csrf_token = unescape(token.group(1))
        return page

    def get(self, instance: Instance, path: str) -> Page:
        return self.request(instance, "GET", path)

    def post(self, instance: Instance, path: str, fields: dict[str, str] | None = None) -> Page:
        return self.request(
            instance, "POST", path, {"csrf_token": self.csrf_token, **(fields or {})}
        )

    def sign_in(self, instance: Instance, email: str, password: str = DEMO_PASSWORD) -> Page:
        self.get(instance, "/login")
        return self.post(instance, "/login", {"email": email, "password": password})

    def _keep_cookies(self, page: Page) -> None:
        for header in page.cookies_set():
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


# --- The scripted mix -------------------------------------------------------------------------

# Each demo account's pages; "group" is the first group the user's group list links to.
ROLE_PAGES: dict[str, Sequence[str]] = {
    "koordinator@demo.no": (
        "/",
        "/referrals/?status=submitted",
        "/referrals/",
        "/groups/",
        "group",
        "/calendar/week",
        "/calendar/month",
        "/outcomes/",
        "/facilitators/",
    ),
    "analytiker@demo.no": ("/", "/outcomes/", "/outcomes/export.csv"),
    "ppt@demo.no": ("/", "/groups/", "group", "/calendar/week", "/calendar/month"),
    "helse@demo.no": ("/", "/groups/", "group", "/calendar/week"),
    "larer@demo.no": ("/", "/groups/", "group", "/calendar/month"),
    "skole.bestum@demo.no": ("/", "/referrals/"),
    "skole.smestad@demo.no": ("/", "/referrals/"),
    "admin@demo.no": ("/", "/admin/users"),
}
GROUP_LINK = re.compile(r'href="(/groups/\d+)"')


@dataclass
class Sample:
    instance: str
    method: str
    path: str
    status: int
    expected: int
    milliseconds: float
    missing: str = ""  # text the page should have held but did not

    @property
    def error(self) -> bool:
        return self.status != self.expected or bool(self.missing)


@dataclass
class Visitor:
    """One client: browsers signed in as demo accounts, taken in turn, each with its own
    address, every request going to the next instance (so each session moves with it)."""

    instances: list[Instance]
    accounts: list[tuple[Browser, str]]
    samples: list[Sample] = field(default_factory=list)

    def _send(
        self,
        browser: Browser,
        method: str,
        path: str,
        expected: int,
        fields: dict[str, str] | None = None,
        holds: str = "",
    ) -> Page:
        instance = self.instances[len(self.samples) % len(self.instances)]
        try:
            if method == "GET":
                page = browser.get(instance, path)
            else:
                page = browser.post(instance, path, fields)
        except OSError:
            page = Page(path, 0, [], "", 0.0)
        missing = "" if holds in page.text else holds
        self.samples.append(
            Sample(instance.name, method, path, page.status, expected, page.milliseconds, missing)
        )
        return page

    def sign_in(self) -> None:
        for browser, email in self.accounts:
            self._send(browser, "GET", "/login", 200)
            fields = {"email": email, "password": DEMO_PASSWORD}
            self._send(browser, "POST", "/login", 302, fields)

    def round(self) -> None:
        """Every page of each account, then a form post: to English and back to bokmål."""
        for browser, email in self.accounts:
            group = ""
            for path in ROLE_PAGES[email]:
                page = self._send(browser, "GET", group if path == "group" else path, 200)
                link = GROUP_LINK.search(page.text)
                if link and not group:
                    group = link.group(1)
            self._send(browser, "POST", "/language", 302, {"language": "en", "next": "/"})
            self._send(browser, "GET", "/", 200, holds='<html lang="en">')
            self._send(browser, "POST", "/language", 302, {"language": "nb", "next": "/"})


@dataclass
class MixResult:
    samples: list[Sample]  # every request, sign-ins included
    timed: list[Sample]  # the requests after sign-in, made in ``seconds``
    seconds: float

    @property
    def errors(self) -> list[Sample]:
        return [sample for sample in self.samples if sample.error]

    def per_instance(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for sample in self.samples:
            counts[sample.instance] = counts.get(sample.instance, 0) + 1
        return counts


def run_mix(
    deployment: Deployment, *, clients: int, rounds: int = 1, seconds: float = 0.0
) -> MixResult:
    """``clients`` clients at once sharing the demo accounts, each account signed in once
    with its own address; each client makes ``rounds`` rounds of its accounts' pages, or more
    until ``seconds`` pass."""
    emails = list(ROLE_PAGES)
    if not 0 < clients <= len(emails):
        raise ValueError(f"between 1 and {len(emails)} clients, one demo account or more each")
    visitors = [
        Visitor(
            deployment.instances,
            [
                (Browser(f"198.51.100.{n + 1}"), emails[n])
                for n in range(client, len(emails), clients)
            ],
        )
        for client in range(clients)
    ]
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(Visitor.sign_in, visitors))
        signed_in = [len(visitor.samples) for visitor in visitors]
        started = time.perf_counter()

        def visit(visitor: Visitor) -> None:
            done = 0
            while done < rounds or time.perf_counter() - started < seconds:
                visitor.round()
                done += 1

        list(pool.map(visit, visitors))
        elapsed = time.perf_counter() - started
    return MixResult(
        samples=[sample for visitor in visitors for sample in visitor.samples],
        timed=[
            sample
            for visitor, first in zip(visitors, signed_in, strict=True)
            for sample in visitor.samples[first:]
        ],
        seconds=elapsed,
    )
