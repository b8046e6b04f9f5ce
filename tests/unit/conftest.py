# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Make ``ansible_collections.webstack.nginx_uwsgi`` importable for plain pytest.

Creates ``<repo>/.cache/collections/ansible_collections/webstack/nginx_uwsgi``
as a symlink to the checkout (if missing) and puts ``<repo>/.cache/collections``
on ``sys.path``. Run with: ``python -m pytest -q tests/unit``.
"""

from __future__ import annotations

import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS_ROOT = os.path.join(REPO_ROOT, '.cache', 'collections')
COLLECTION_LINK = os.path.join(COLLECTIONS_ROOT, 'ansible_collections', 'webstack', 'nginx_uwsgi')


def _ensure_collection_link() -> None:
    if os.path.islink(COLLECTION_LINK):
        if os.path.realpath(COLLECTION_LINK) == os.path.realpath(REPO_ROOT):
            return
        os.unlink(COLLECTION_LINK)  # stale link (moved checkout): replace it
    elif os.path.exists(COLLECTION_LINK):
        return  # a real directory someone put there on purpose
    os.makedirs(os.path.dirname(COLLECTION_LINK), exist_ok=True)
    try:
        os.symlink(REPO_ROOT, COLLECTION_LINK)
    except FileExistsError:  # created concurrently
        pass


_ensure_collection_link()
if COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, COLLECTIONS_ROOT)
