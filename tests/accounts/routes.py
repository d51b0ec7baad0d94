"""Access matrix rows for sign-in, the account page, the start page and the accessibility
statement."""

from tests.routes import Routes

ROUTES: Routes = {
    "accounts.login": ("GET", lambda w: "/login", (200, 302, 302, 302, 302, 302)),
    "accounts.logout": ("POST", lambda w: "/logout", (302, 302, 302, 302, 302, 302)),
    "accounts.account": ("GET", lambda w: "/account", (302, 200, 200, 200, 200, 200)),
    "accounts.password": ("POST", lambda w: "/account/password", (302, 400, 400, 400, 400, 400)),
    "accounts.set_language": ("POST", lambda w: "/language", (302, 302, 302, 302, 302, 302)),
    # A wrong token is 404 whoever asks; a valid one is tested in tests/accounts.
    "accounts.setup_password": (
        "GET",
        lambda w: "/account/setup/not-a-real-token-0123456789abcdef",
        (404, 404, 404, 404, 404, 404),
    ),
    "home.index": ("GET", lambda w: "/", (302, 200, 200, 200, 200, 200)),
    "home.accessibility": ("GET", lambda w: "/tilgjengelighet", (200, 200, 200, 200, 200, 200)),
}
