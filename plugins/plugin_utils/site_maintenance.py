# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The files of the site role's `maintenance` entry point, as managed_files entries.

On: the http-level file that marks the clients ($site_maintenance), the
snippet every served server block includes, and the page (the user's file
from the controller, or the role's plain one). Off: the first two absent; the
page stays (nginx reads it at every request until the reload has gone
through, and the sites' include pattern matches only the snippet).
"""

from __future__ import annotations

CONF_TEMPLATE = 'etc/nginx/conf.d/site-maintenance.conf.j2'
SERVER_TEMPLATE = 'etc/nginx/site-maintenance/server.conf.j2'
PAGE_TEMPLATE = 'etc/nginx/site-maintenance/page.html.j2'


def files(paths: dict, on: bool, page: str | None = None) -> list[dict]:
    """The managed_files entries of the maintenance state ``on`` (``paths``: the role's __site_paths)."""
    directory = paths['maintenance_dir']
    if not on:
        # the page stays: the running nginx reads it at every request until the reload, and nothing
        # serves it afterwards (the next `on` replaces it)
        return [{'path': p, 'state': 'absent'} for p in (paths['maintenance_conf'], directory + '/server.conf')]
    page_entry = {'path': directory + '/page.html', 'mode': '0644'}
    page_entry.update({'controller_src': page} if page else {'template': PAGE_TEMPLATE})
    return [{'path': directory, 'state': 'directory', 'mode': '0755'},
            page_entry,
            {'path': directory + '/server.conf', 'mode': '0644', 'template': SERVER_TEMPLATE},
            {'path': paths['maintenance_conf'], 'mode': '0644', 'template': CONF_TEMPLATE}]
