"""A browser behind the TLS-terminating proxy in front of the instances."""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.deploy.instances import DEMO_PASSWORD, PUBLIC_HOST, Instance

REQUEST_TIMEOUT = 30.0


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
