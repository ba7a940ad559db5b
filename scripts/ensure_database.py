"""Create the PostgreSQL database of a URL if it does not exist (used by `make bench`).
With --rebuild, drop it first (`make bench BENCH_REBUILD=1`)."""

import sys
from urllib.parse import urlparse

import psycopg

url = urlparse(sys.argv[1])
rebuild = "--rebuild" in sys.argv[2:]
name = url.path.lstrip("/")
with psycopg.connect(host=url.hostname or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
                     password=url.password, dbname="postgres", autocommit=True) as conn:
    if rebuild:
        print(f"Dropping the database {name} to rebuild it")
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
