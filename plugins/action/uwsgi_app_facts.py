# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of the ``uwsgi_app_facts`` module: the wanted files' digests on the controller, then the module on the host.

``app_files`` (and ``files``) may hold ``managed_files`` entries with a
``template``, a ``controller_src`` or a ``content``: each is rendered or read
here and replaced by its SHA-1 (``plugin_utils/controller_files.py``), so
that the module compares the host's files without their contents (and the
secrets some hold) leaving the controller, and the role passes its wanted
files as Python worked them out.
"""

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.controller_files import ResolvingAction


class ActionModule(ResolvingAction):
    """Digest the wanted files of ``files`` and ``app_files``, then run the module."""

    MODULE = 'webstack.nginx_uwsgi.uwsgi_app_facts'
    KEYS = ('files', 'app_files')
    DIGESTS = True
