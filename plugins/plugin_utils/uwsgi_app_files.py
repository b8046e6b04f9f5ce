# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which files of an app each step of the uwsgi_app role writes, checks or puts back.

``files`` is the list of ``managed_files`` entries an app wants (its
directories, env file, ini, units, socket drop-in and links, from
``vars/main.yml``); ``app`` the normalized app and ``item`` its plan
(``uwsgi_app_plan``). The steps:

- :func:`env_files`: the env file, written apart (never shown) with the
  staged copy of the coming release removed;
- :func:`switch_files`: the ini (checked by uWSGI in strict mode before it
  replaces the live one), units, drop-in and links of a switch, ``previous``,
  and worker units no worker names any more;
- :func:`trial_files` and :func:`unit_paths`: what the build phase checks on a
  copy before any host is drained (``managed_files`` ``trial``): the ini of
  every app that changes, its units, which ``systemd-analyze verify`` reads
  together.
"""

from __future__ import annotations

UNIT_DIR = '/etc/systemd/system'


def _kind(entry: dict) -> str:
    return entry.get('state') or 'file'


def check_ini_command(ctl: str, binary: str) -> str:
    """The ``validate`` command of an ini: uWSGI parses it in strict mode."""
    return '/usr/bin/python3 %s check-ini %s %%s' % (ctl, binary)


def env_files(app: dict, item: dict, files: list) -> list[dict]:
    """The env file of a switch (when it changes) and the removal of its staged copy."""
    out = [f for f in files if f['path'] == app['env_file']] if item.get('stage_env') else []
    return out + [{'path': app['env_file'] + '.next', 'state': 'absent'}]


def switch_files(app: dict, item: dict, files: list, check_ini: str, stale_units=()) -> list[dict]:
    """The ini, units, drop-in and links of a switch, ``previous`` and the stale worker units' removal.

    ``previous`` names the release served before a switch (a rollback keeps it).
    """
    out = []
    for entry in files:
        if entry['path'] == app['env_file'] or _kind(entry) == 'directory':
            continue
        out.append(dict(entry, validate=check_ini) if entry['path'] == app['ini'] else entry)
    if item.get('switch') and not item.get('rolling_back'):
        out.append({'path': app['previous'], 'state': 'link', 'src': '%s/%s' % (app['releases_dir'], item['serving'])})
    out += [{'path': '%s/%s' % (UNIT_DIR, unit), 'state': 'absent'} for unit in stale_units or ()]
    return out


def _changing(apps: list, plan: list):
    by_name = dict((a['name'], a) for a in apps)
    return [(by_name[p['name']], p) for p in plan if p.get('change') and p['name'] in by_name]


def trial_files(apps: list, plan: list, files_by_app: dict, check_ini: str) -> list[dict]:
    """The files the build phase checks on a copy: the ini, units and drop-in of every app that changes."""
    out = []
    for app, item in _changing(apps, plan):
        for entry in files_by_app.get(app['name']) or []:
            if _kind(entry) != 'file' or entry['path'] == app['env_file']:
                continue
            if item.get('release') is None and entry['path'] == app['ini']:
                continue  # a git version not resolved here yet: its ini is checked at the switch
            out.append(dict(entry, validate=check_ini) if entry['path'] == app['ini'] else entry)
    return out


def unit_paths(apps: list, plan: list) -> list[str]:
    """The unit files of every app that changes, for ``systemd-analyze verify``."""
    out = []
    for app, _item in _changing(apps, plan):
        out += [app['unit_path'], app['socket_unit_path']] + [w['unit_path'] for w in app['workers']]
    return out


def restore_spec(app: dict, restored: dict, timeout) -> dict:
    """What ``uwsgi_app_ctl.py restore`` needs after the files of a switch were put back (``restored``: path to kind)."""
    removed = sorted(path.rsplit('/', 1)[-1] for path, kind in (restored or {}).items()
                     if kind == 'absent' and path.startswith(UNIT_DIR + '/') and path.endswith('.service'))
    return {
        'unit': app['unit'], 'socket_unit': app['socket_unit'], 'stats': app['stats'], 'current': app['current'],
        'timeout': timeout, 'worker_glob': app['worker_glob'], 'removed': removed,
        'socket_changed': app['socket_unit_path'] in (restored or {}),
    }
