# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The example app's database (PostgreSQL through pg8000) and job queue (Redis)."""

import contextlib
import os
from urllib.parse import urlsplit

JOBS = "jobs"


@contextlib.contextmanager
def database():
    import pg8000.native

    url = urlsplit(os.environ["DATABASE_URL"])
    conn = pg8000.native.Connection(url.username, host=url.hostname, port=url.port or 5432,
                                    database=url.path.lstrip("/"), password=url.password, timeout=10)
    try:
        yield conn
    finally:
        conn.close()


try:
    import redis.exceptions
    QueueDown = redis.exceptions.ConnectionError
except ImportError:  # the hello-world deployments have no redis
    QueueDown = OSError


def queue():
    import redis

    return redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=10)


def migrate(db, directory, host, release):
    """Apply the pending .sql files of ``directory`` in name order, each in a transaction; log the run."""
    db.run("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz DEFAULT now())")
    db.run("CREATE TABLE IF NOT EXISTS migration_runs (id serial PRIMARY KEY, host text, release text, applied text,"
           " ran_at timestamptz DEFAULT now())")
    seen = {row[0] for row in db.run("SELECT name FROM schema_migrations")}
    done = []
    for name in sorted(n for n in os.listdir(directory) if n.endswith(".sql")):
        if name in seen:
            continue
        with open(os.path.join(directory, name)) as handle:
            statements = [s.strip() for s in handle.read().split(";") if s.strip()]
        db.run("BEGIN")
        try:
            for statement in statements:
                db.run(statement)
            db.run("INSERT INTO schema_migrations (name) VALUES (:name)", name=name)
            db.run("COMMIT")
        except Exception:
            db.run("ROLLBACK")
            raise
        done.append(name)
    db.run("INSERT INTO migration_runs (host, release, applied) VALUES (:host, :release, :applied)",
           host=host, release=release, applied=",".join(done))
    return done


def migration_runs(db):
    rows = db.run("SELECT host, release, applied FROM migration_runs ORDER BY id")
    return [{"host": h, "release": r, "applied": a} for h, r, a in rows]


def applied(db):
    return [row[0] for row in db.run("SELECT name FROM schema_migrations ORDER BY name")]
