"""gunicorn settings for Arrears (README, Running for a firm):
`gunicorn -c deploy/gunicorn.conf.py`.

Several worker processes, each with its own app and database connections (no preloading:
connections are never shared across a fork). The workers do not follow the event log
themselves (FOLLOW off): the projection worker (`arrears project`, deploy/systemd/
arrears-worker.service) does, and each write brings the read models up to date itself.
Every worker must sign sessions with the same key: set ARREARS_SECRET_KEY.

    ARREARS_BIND         address:port to listen on (default 127.0.0.1:8000, behind a proxy)
    ARREARS_WEB_WORKERS  worker processes (default 2 x CPUs + 1, at most 8)
"""

import multiprocessing
import os

bind = os.environ.get("ARREARS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ARREARS_WEB_WORKERS") or min(2 * multiprocessing.cpu_count() + 1, 8))
wsgi_app = "web:create_app({'FOLLOW': False})"
worker_class = "sync"
timeout = 60
graceful_timeout = 30
# The app logs each request as one JSON line (logger arrears.request); no access log twice.
accesslog = None
errorlog = "-"
# The TLS-terminating proxy on the same host may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
