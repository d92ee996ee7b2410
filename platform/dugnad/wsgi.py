"""The WSGI entry point for gunicorn: ``gunicorn dugnad.wsgi:app``.

With no Redis there is no ``dugnad worker``: the web processes run the periodic
schedules themselves, one of them at a time (``dugnad.jobs.local_cron``)."""

from dugnad.app import create_app
from dugnad.jobs import local_cron

app = create_app()
local_cron.start(app)
