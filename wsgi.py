"""WSGI entry point: `gunicorn wsgi:app`."""

from audit import create_app

app = create_app()
