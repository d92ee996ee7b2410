"""The WSGI entry point for gunicorn: ``gunicorn dugnad.wsgi:app``."""

from dugnad.app import create_app

app = create_app()
