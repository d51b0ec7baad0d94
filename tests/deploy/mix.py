"""A scripted mix of every demo role's pages, from concurrent clients spread over the instances."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tests.deploy.browser import Browser, Page
from tests.deploy.instances import DEMO_PASSWORD, Deployment, Instance

# As many clients as the two instances have workers: a load without queueing behind one another.
CLIENTS = 4
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
