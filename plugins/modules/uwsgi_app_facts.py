#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: uwsgi_app_facts
short_description: Everything the uwsgi_app role needs to know about an app host, in one call
version_added: 0.1.0
description:
  - For each app, the releases built on the host (newest first) and the release directories of builds that did
    not finish (no marker), the releases C(current) and C(previous) name,
    whether a git clone exists, the release the running uWSGI master serves (its working directory), the state of
    the app's systemd units (for a socket unit also the path and backlog of the socket it listens on, as systemd
    loaded them) and of worker units no longer declared, whether a change is still to be loaded (the role's
    marker), and whether the app's user and group exist.
  - Which of the given files, symlinks and directories differ from what the role wants (content or its SHA-1,
    mode, owner, group, link target), so that a run with nothing to change writes nothing, and which of the given
    Debian packages are not installed.
  - Read-only, so it also runs in check mode; it never changes anything.
options:
  apps:
    description: The apps, as the role normalized them (only the keys below are read).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: App name.
        type: str
        required: true
      path:
        description: App directory (C(releases/), C(current), C(previous), C(repo)).
        type: path
        required: true
      user:
        description: User of the app.
        type: str
        required: true
      group:
        description: Group of the app.
        type: str
        required: true
      units:
        description: Units of the app (service, socket, workers).
        type: list
        elements: str
        default: []
      unit:
        description: The uWSGI service.
        type: str
      stats:
        description: The stats socket of the uWSGI master, whose working directory tells the release it serves.
        type: path
      worker_units:
        description: Worker services; one that started before C(current) last changed runs an older release.
        type: list
        elements: str
        default: []
      worker_glob:
        description: Shell pattern of the app's worker unit files in C(/etc/systemd/system).
        type: str
      marker:
        description: The app's marker of a change not yet loaded.
        type: path
      socket_dir:
        description: The app's runtime directory, where its socket paths are.
        type: path
      listen:
        description: The socket systemd listens on for the app; its other socket paths are symlinks to it.
        type: path
  files:
    description: Wanted state of files, symlinks and directories, as for C(managed_files) (C(sha1) may replace C(content)).
    type: list
    elements: dict
    default: []
  app_files:
    description:
      - More wanted paths, compared as O(files) but reported apart in RV(app_differ) - the files of the apps, when the
        controller knows them before it reads the host, so that the same run of the module compares them.
    type: list
    elements: dict
    default: []
  packages:
    description: Debian packages to look for.
    type: list
    elements: str
    default: []
  release_marker:
    description: Name of the file a release directory holds once it is completely built.
    type: str
    default: .uwsgi-app-release
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Read the state of the apps
  webstack.nginx_uwsgi.uwsgi_app_facts:
    apps:
      - {name: hello, path: /srv/hello, user: hello, group: hello, unit: uwsgi-app-hello.service,
         units: [uwsgi-app-hello.service, uwsgi-app-hello.socket]}
    packages: [uwsgi-core, uwsgi-plugin-python3]
  register: state
"""

RETURN = r"""
apps:
  description: App name to its state.
  returned: always
  type: dict
  sample: {"hello": {"releases": ["r2", "r1"], "unfinished": [], "current": "r2", "previous": "r1", "repo": false, "running": "r2",
           "workers_running": {}, "units": {}, "stale_units": [], "pending": false, "user": true, "group": true,
           "socket_links": []}}
differ:
  description: Path to the reasons it differs from what is wanted (only paths that differ).
  returned: always
  type: dict
app_differ:
  description: As RV(differ), for O(app_files).
  returned: always
  type: dict
missing_packages:
  description: The packages of O(packages) that are not installed.
  returned: always
  type: list
  elements: str
"""

import fnmatch
import grp
import json
import os
import pwd
import socket

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.managed_files import FileSet, ManagedFilesError
from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.systemd import (
    SOCKET_PROPERTIES, missing_state, parse_show, show_command)

UNIT_DIR = '/etc/systemd/system'


def releases(path, marker):
    """Built releases (those holding the marker), newest build first."""
    return release_dirs(path, marker)[0]


def release_dirs(path, marker):
    """(built releases, newest build first; release directories without the marker: unfinished builds)."""
    found, unfinished = [], []
    base = os.path.join(path, 'releases')
    try:
        names = os.listdir(base)
    except OSError:
        return [], []
    for name in names:
        try:
            found.append((os.stat(os.path.join(base, name, marker)).st_mtime, name))
        except OSError:
            if os.path.isdir(os.path.join(base, name)):
                unfinished.append(name)
    return [name for _mtime, name in sorted(found, reverse=True)], sorted(unfinished)


def link_release(path):
    try:
        return os.path.basename(os.readlink(path).rstrip('/'))
    except OSError:
        return ''


def serving_release(stats, path):
    """The release the uWSGI master behind the stats socket serves (its working directory), or ''."""
    if not stats:
        return ''
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(3)
    try:
        sock.connect(stats)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
        cwd = json.loads(b''.join(chunks).decode('utf-8', 'replace')).get('cwd') or ''
    except (OSError, ValueError):
        return ''
    finally:
        sock.close()
    prefix = os.path.join(path, 'releases') + '/'
    return cwd[len(prefix):].split('/')[0] if cwd.startswith(prefix) else ''


def worker_release(state, current_path, current):
    """The release a worker runs: what `current` named when it started, if it started after `current` changed."""
    try:
        switched = os.lstat(current_path).st_mtime
    except OSError:
        return ''
    if not (state.get('running') and state.get('started')):
        return ''
    return current if state['started'] >= switched else ''


def exists(lookup, name):
    try:
        lookup(name)
        return True
    except KeyError:
        return False


def socket_links(directory, listen):
    """The symlinks directly in ``directory`` that point to the socket ``listen`` (sorted paths)."""
    if not directory or not listen:
        return []
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    found = []
    for name in names:
        path = os.path.join(directory, name)
        try:
            target = os.readlink(path)
        except OSError:
            continue
        if os.path.join(directory, target) == listen:
            found.append(path)
    return sorted(found)


def differences(wanted):
    """Path to the reasons it differs, for each of the ``wanted`` paths (managed_files entries) that differs."""
    return dict((change.path, change.reasons) for change in FileSet(wanted).plan(strict=False)) if wanted else {}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            apps=dict(type='list', elements='dict', default=[], options=dict(
                name=dict(type='str', required=True),
                path=dict(type='path', required=True),
                user=dict(type='str', required=True),
                group=dict(type='str', required=True),
                units=dict(type='list', elements='str', default=[]),
                unit=dict(type='str'),
                stats=dict(type='path'),
                worker_units=dict(type='list', elements='str', default=[]),
                worker_glob=dict(type='str'),
                marker=dict(type='path'),
                socket_dir=dict(type='path'),
                listen=dict(type='path'),
            )),
            files=dict(type='list', elements='dict', default=[]),
            app_files=dict(type='list', elements='dict', default=[]),
            packages=dict(type='list', elements='str', default=[]),
            release_marker=dict(type='str', default='.uwsgi-app-release'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    units = [u for app in params['apps'] for u in app['units']]
    states = {}
    systemctl = module.get_bin_path('systemctl')
    if units and systemctl:
        rc, out, dummy = module.run_command(show_command(systemctl, units, SOCKET_PROPERTIES))
        states = parse_show(out if rc == 0 else '', units)
    try:
        unit_files = os.listdir(UNIT_DIR)
    except OSError:
        unit_files = []

    apps = {}
    for app in params['apps']:
        current = link_release(os.path.join(app['path'], 'current'))
        app_states = dict((u, states.get(u) or missing_state()) for u in app['units'])
        stale = sorted(f for f in unit_files if app['worker_glob'] and fnmatch.fnmatch(f, app['worker_glob'])
                       and f not in app['units'])
        built, unfinished = release_dirs(app['path'], params['release_marker'])
        apps[app['name']] = {
            'releases': built,
            'unfinished': unfinished,
            'current': current,
            'previous': link_release(os.path.join(app['path'], 'previous')),
            'repo': os.path.isdir(os.path.join(app['path'], 'repo')),
            'running': serving_release(app['stats'], app['path'])
            if (app_states.get(app['unit']) or {}).get('running') else '',
            'workers_running': dict((w, worker_release(app_states[w], os.path.join(app['path'], 'current'), current))
                                    for w in app['worker_units'] if w in app_states),
            'units': app_states,
            'stale_units': stale,
            'pending': bool(app['marker']) and os.path.lexists(app['marker']),
            'socket_links': socket_links(app['socket_dir'], app['listen']),
            'user': exists(pwd.getpwnam, app['user']),
            'group': exists(grp.getgrnam, app['group']),
        }

    try:
        differ, app_differ = differences(params['files']), differences(params['app_files'])
    except ManagedFilesError as exc:
        module.fail_json(msg=str(exc))

    missing = []
    if params['packages']:
        rc, out, dummy = module.run_command(['dpkg-query', '-W', '-f=${Package} ${db:Status-Status}\\n']
                                            + params['packages'])
        installed = set(line.split()[0] for line in out.splitlines() if line.endswith(' installed'))
        missing = [p for p in params['packages'] if p not in installed]

    module.exit_json(changed=False, apps=apps, differ=differ, app_differ=app_differ, missing_packages=missing)


if __name__ == '__main__':
    main()
