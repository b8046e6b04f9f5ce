# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Example Flask app for the uwsgi_app role.

`/` answers `host=<hostname> release=<id> app=<name>`, so a load balancer's
round robin and a release switch are visible; `/healthz` answers `ok`.
APP_NAME and APP_RELEASE come from the uWSGI ini the role renders.
"""

import hashlib
import os
import socket

from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("APP_SECRET_KEY")

RELEASE = os.environ.get("APP_RELEASE", "unknown")
NAME = os.environ.get("APP_NAME", "app")


@app.get("/")
def index():
    body = "host=%s release=%s app=%s\n" % (socket.gethostname(), RELEASE, NAME)
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}


@app.get("/healthz")
def healthz():
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


@app.get("/config")
def config():
    """Which settings reached the app: the greeting, and of the secret only whether it is set and its SHA-256."""
    secret = app.config["SECRET_KEY"]
    return {
        "secret_key_set": bool(secret),
        "secret_key_sha256": hashlib.sha256(secret.encode("utf-8")).hexdigest() if secret else None,
        "greeting": os.environ.get("GREETING"),
    }
