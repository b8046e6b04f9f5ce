"""A release whose import fails: the uwsgi_app role must never switch to it."""

import webstack_missing_dependency  # noqa: F401  pylint: disable=unused-import,import-error

app = None
