"""gunicorn settings for the web server (Dockerfile, docker-compose, make bench).

gunicorn reads this file from the working directory. Two processes per core, each
with a few threads: a request spends much of its time waiting for PostgreSQL, and
threads let another request use the core meanwhile. The benchmark (make bench)
measures this configuration.
"""

import multiprocessing
import os

workers = int(os.environ.get("WEB_WORKERS", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("WEB_THREADS", 4))
worker_class = "gthread"
# Load the application once, before the workers are forked: faster starts, shared pages.
preload_app = True
