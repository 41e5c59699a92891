"""Gunicorn settings for production: ``gunicorn -c python:scorecard.gunicorn_conf scorecard.wsgi``.

Every value can be overridden with gunicorn's own ``GUNICORN_CMD_ARGS`` or the
variables below. Threads let one worker wait on the database while another request
runs; two to four workers per core is gunicorn's usual advice.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(max(2, multiprocessing.cpu_count() * 2))))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Long enough for a large import or a PDF report, short enough to free a stuck worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The reverse proxy in front sets X-Forwarded-*; trust it only from the local machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
