"""The WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from mestring import create_app

app = create_app()
