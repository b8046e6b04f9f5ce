# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which files of an app each step of the uwsgi_app role writes, checks or puts back.

``files`` is the list of ``managed_files`` entries an app wants (its
directories, env file, ini, units, socket drop-in and links:
:func:`wanted_files`, whose units and ini are templates that the action
plugins of ``managed_files`` and ``uwsgi_app_facts`` render); ``app`` the
normalized app and ``item`` its plan (``uwsgi_app_plan``). The steps:

- :func:`prepare_files`: the directories, the staged environment and the
  directory of the release to build, before its code comes;
- :func:`switch_files`: the env file (as ``secret_content``: never shown)
  with the staged copy of the coming release removed, the ini (checked by
  uWSGI in strict mode before it replaces the live one), units, drop-in and
  links of a switch, ``previous``, and worker units no worker names any more,
  one ``managed_files`` change;
- :func:`trial_files` and :func:`unit_paths`: what the build phase checks on a
  copy before any host is drained (``managed_files`` ``trial``): the ini of
  every app that changes, its units, which ``systemd-analyze verify`` reads
  together.
"""

from __future__ import annotations

from ansible.plugins.filter.core import to_nice_json

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.uwsgi_app_rules import release_dir

UNIT_DIR = '/etc/systemd/system'
# The role's templates (roles/uwsgi_app/templates), rendered by the action plugins that get the entries.
TEMPLATES = {
    'socket': 'etc/systemd/system/uwsgi-app.socket.j2',
    'service': 'etc/systemd/system/uwsgi-app.service.j2',
    'socket_path': 'etc/systemd/system/uwsgi-app-socket-path.conf.j2',
    'worker': 'etc/systemd/system/uwsgi-app-worker.service.j2',
    'ini': 'etc/uwsgi-app/app.ini.j2',
}


def env_text(app: dict) -> str:
    """The env file of an app: its environment and secrets as JSON, which ``uwsgi_app_ctl.py`` reads."""
    return to_nice_json({'env': app['env'], 'secrets': app['secrets']}, sort_keys=True) + '\n'


def wanted_files(apps: list, releases: dict) -> dict:
    """App name to the ``managed_files`` entries the app wants, ``releases`` naming the release each serves (none:
    no ini nor ``current`` yet, a git version the host resolves first)."""
    out = {}
    for app in apps:
        release = releases.get(app['name'])
        files = [
            {'path': app['path'], 'state': 'directory', 'mode': '0755'},
            {'path': app['releases_dir'], 'state': 'directory', 'mode': '0755'},
            {'path': app['env_file'], 'group': app['group'], 'mode': '0640', 'diff': False, 'content': env_text(app)},
            {'path': app['socket_unit_path'], 'mode': '0644', 'template': TEMPLATES['socket'], 'template_vars': {'app': app}},
            {'path': app['unit_path'], 'mode': '0644', 'template': TEMPLATES['service'], 'template_vars': {'app': app}},
        ]
        if app['shared']:
            files.append({'path': app['shared_dir'], 'state': 'directory', 'mode': '0755'})
            files += [{'path': '%s/%s' % (app['shared_dir'], shared), 'state': 'directory', 'mode': '0750',
                       'owner': app['user'], 'group': app['group']} for shared in app['shared']]
        if app['socket'] != app['listen']:
            # another socket path: a link to the listening socket, which the socket unit's drop-in declares
            files += [{'path': app['socket_dropin_path'], 'mode': '0644', 'template': TEMPLATES['socket_path'],
                       'template_vars': {'app': app}},
                      {'path': app['socket'], 'state': 'link', 'src': app['listen']}]
        else:
            files.append({'path': app['socket_dropin_path'], 'state': 'absent'})
        files += [{'path': worker['unit_path'], 'mode': '0644', 'template': TEMPLATES['worker'],
                   'template_vars': {'app': app, 'worker': worker}} for worker in app['workers']]
        if release:
            files += [{'path': app['ini'], 'mode': '0644', 'template': TEMPLATES['ini'],
                       'template_vars': {'app': app, 'release': release}},
                      {'path': app['current'], 'state': 'link', 'src': release_dir(app, release)}]
        out[app['name']] = files
    return out


def _kind(entry: dict) -> str:
    return entry.get('state') or 'file'


def check_ini_command(ctl: str, binary: str) -> str:
    """The ``validate`` command of an ini: uWSGI parses it in strict mode."""
    return '/usr/bin/python3 %s check-ini %s %%s' % (ctl, binary)


def building(item: dict) -> bool:
    """Whether the plan ``item`` builds its release on the host (not a rollback, not a release built before)."""
    return item.get('release') is not None and not item.get('built') and not item.get('rolling_back')


def prepare_files(app: dict, item: dict, files: list, staged: bool = False) -> list[dict]:
    """What an app needs before its release is built, as one ``managed_files`` call: its directories (every one of
    them where one is missing or differs), the environment of the coming release staged beside the live one
    (``<env file>.next``; not when ``staged``: this run staged the same already) and the directory of the release
    it builds (root's: the app may read its code, not change it)."""
    directories = [entry for entry in files if _kind(entry) == 'directory']
    differing = set(item.get('differing_files') or ())
    out = directories if any(entry['path'] in differing for entry in directories) else []
    if item.get('stage_env') and not staged:
        out += [dict(entry, path=entry['path'] + '.next') for entry in files if entry['path'] == app['env_file']]
    if building(item):
        out.append({'path': release_dir(app, item['release']), 'state': 'directory', 'owner': 'root', 'group': 'root',
                    'mode': '0755'})
    return out


def switch_files(app: dict, item: dict, files: list, check_ini: str, stale_units=(), backup=None) -> list[dict]:
    """The files of a switch, one ``managed_files`` change: the env file when it changes (its text as
    ``secret_content``, never shown) and the removal of its staged copy, the ini, units, drop-in and links,
    ``previous`` and the stale worker units' removal.

    ``previous`` names the release served before a switch (a rollback keeps it). ``backup`` (the path of the
    switch's record without its suffix) removes ``<backup>.env-backup``, the record of the env file's own call
    that earlier versions of the role kept: nothing reads it any more, and it may hold the secrets of an old
    environment.
    """
    out = []
    if item.get('stage_env'):
        for entry in files:
            if entry['path'] == app['env_file']:
                entry = dict(entry, secret_content=entry['content'])
                entry.pop('content')
                entry.pop('diff', None)
                out.append(entry)
    out.append({'path': app['env_file'] + '.next', 'state': 'absent'})
    for entry in files:
        if entry['path'] == app['env_file'] or _kind(entry) == 'directory':
            continue
        out.append(dict(entry, validate=check_ini) if entry['path'] == app['ini'] else entry)
    if item.get('switch') and not item.get('rolling_back'):
        out.append({'path': app['previous'], 'state': 'link', 'src': release_dir(app, item['serving'])})
    out += [{'path': '%s/%s' % (UNIT_DIR, unit), 'state': 'absent'} for unit in stale_units or ()]
    if backup:
        out.append({'path': backup + '.env-backup', 'state': 'absent'})
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


def _before(item: dict) -> tuple:
    """The point and release of the hooks before a switch: ``before_switch`` in the release to come, or
    ``before_rollback`` in the release a rollback leaves (the one that knows how to undo)."""
    if item.get('rolling_back'):
        return 'before_rollback', item.get('serving')
    return 'before_switch', item.get('release')


def hook_run(app: dict, hook: dict, point: str, release: str, env: str, ctl: str, host=None) -> dict:
    """One run of a hook: in ``release`` (its virtualenv and directory), with the environment of ``env``, as the app
    user, through ``uwsgi_app_ctl.py hook`` (which masks the secrets in its output); ``argv`` is the command."""
    directory = release_dir(app, release)
    argv = (['runuser', '-u', app['user'], '--', '/usr/bin/python3', ctl, 'hook', '--env', env,
             '--venv', directory + '/venv', '--chdir', directory, '--name', app['name'],
             '--timeout', str(hook['timeout']), '--'] + list(hook['command']))
    return {'host': host, 'app': app['name'], 'point': point, 'release': release, 'command': list(hook['command']),
            'argv': argv}


def hooks(app: dict, item: dict, moment: str, ctl: str) -> list[dict]:
    """The hooks of one app around its switch (``moment`` before or after), the once-hooks apart.

    Before: ``before_switch`` in the release to come, or ``before_rollback`` in the release a rollback leaves,
    with the staged environment (``check_env``); after: ``after_switch`` or ``after_rollback`` in the release that
    serves now, with the live environment.
    """
    if moment == 'before':
        (point, release), env = _before(item), item.get('check_env')
    else:
        point = 'after_rollback' if item.get('rolling_back') else 'after_switch'
        release, env = item.get('release'), app['env_file']
    return [hook_run(app, hook, point, release, env, ctl) for hook in app['hooks'][point] if not hook.get('once')]


def once_hooks(batch: list, ctl: str) -> list[dict]:
    """The once-hooks of the rollout (``hooks.<point>`` with ``once: true``), each app on the first host of ``batch``
    (``(host, plan, apps)`` in play order) where it changes and switches or serves for the first time.

    A rollback runs the ``before_rollback`` hooks in the release it leaves (the one that knows how to undo), a
    release the ``before_switch`` hooks in the release to come.
    """
    out, seen = [], set()
    for host, plan, apps in batch:
        for item in plan or []:
            if not (item.get('change') and (item.get('switch') or item.get('first'))) or item['name'] in seen:
                continue
            seen.add(item['name'])
            app = apps[item['index']]
            point, release = _before(item)
            if not release:
                continue
            out += [hook_run(app, hook, point, release, item.get('check_env'), ctl, host=host)
                    for hook in app['hooks'][point] if hook.get('once')]
    return out


def prune_paths(app: dict, item: dict, releases: list, keep: int) -> list[str]:
    """The directories of the releases beyond the newest ``keep`` (this run's release first, then the host's newest
    first) that are neither this run's, nor served, nor ``previous``: ``uwsgi_app_ctl.py apply`` removes them once
    the release of the switch serves."""
    ordered = []
    for release in [item.get('release')] + list(releases or []):
        if release and release not in ordered:
            ordered.append(release)
    kept = {item.get('release'), item.get('serving'), item.get('previous')}
    return [release_dir(app, release) for release in ordered[keep:] if release not in kept]
