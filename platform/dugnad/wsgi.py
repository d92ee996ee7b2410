"""The WSGI entry point for gunicorn: ``gunicorn dugnad.wsgi:app``.

Gunicorn does not preload the app (ops/gunicorn.conf.py), so this runs in each worker
after the fork. Once the app is built, everything it allocated so far (modules,
templates, the plugin registry: some hundred thousand objects) is moved out of the
garbage collector's view with ``gc.freeze()``: a collection then walks only what
requests allocate, instead of the whole heap many times per request.

With no Redis there is no ``dugnad worker``: the web processes run the periodic
schedules themselves, one of them at a time (``dugnad.jobs.local_cron``).
"""

import gc

from dugnad.app import create_app
from dugnad.jobs import local_cron

app = create_app()
local_cron.start(app)
gc.collect()
gc.freeze()
