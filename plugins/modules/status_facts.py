#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: status_facts
short_description: What a host of the fleet runs now, in one call (for playbooks/status.yml)
version_added: 0.1.0
description:
  - nginx - its version, the state of its unit, and whether a reload is pending (a file under O(config_dir), or a
    certificate a live file names, changed after nginx last loaded its configuration, which the start of its
    newest worker process tells).
  - Each app of O(apps) - the releases C(current) and C(previous) name, the state of its uWSGI service, socket and
    worker units (the unit files C(uwsgi-app-<name>-worker-*.service)), and the socket systemd listens on.
  - Each server of each upstream of O(upstreams_file) - C(down) when drained (the C(down) the site role's C(member)
    entry point writes), else C(up) or C(failing) from a short HTTP request to the server (O(probe_path), at most
    O(probe_timeout) seconds).
  - The certificates the live nginx files name (C(ssl_certificate)) with their names and days left, and keepalived -
    the state of its unit and whether this host holds one of O(floating_addresses).
  - Read-only, so it also runs in check mode; it never changes anything.
options:
  config_dir:
    description: nginx's configuration directory.
    type: path
    default: /etc/nginx
  service:
    description: The systemd unit of nginx.
    type: str
    default: nginx
  apps:
    description: Names of the apps of the uwsgi_app role on the host (C(uwsgi_app_apps[].name)).
    type: list
    elements: str
    default: []
  app_paths:
    description: The directory of each app, by name (an app without one is in O(base_dir)).
    type: dict
    default: {}
  base_dir:
    description: Where the apps live (C(uwsgi_app_base_dir)).
    type: path
    default: /srv
  upstreams_file:
    description: The site role's file of upstreams; a missing file means no upstream.
    type: path
    default: /etc/nginx/conf.d/site-upstreams.conf
  probe_path:
    description: Path requested from every upstream server that is not drained; empty to leave the servers unprobed.
    type: str
    default: /healthz
  probe_timeout:
    description: Seconds a probe may take.
    type: float
    default: 2.0
  keepalived_service:
    description: The systemd unit of keepalived (reported only when systemd knows it).
    type: str
    default: keepalived
  floating_addresses:
    description: The floating addresses (C(keepalived_vip), with or without a prefix length).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
notes:
  - The probes go from this host to its upstream servers, the way nginx reaches them (the app hosts let the load
    balancers in); an answer of 500 or more, or none within O(probe_timeout), is C(failing).
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Read what the host runs
  webstack.nginx_uwsgi.status_facts:
    apps: "{{ uwsgi_app_apps | default([]) | map(attribute='name') | list }}"
    floating_addresses: "{{ [keepalived_vip] if keepalived_vip is string else keepalived_vip | default([]) }}"
  register: status

- name: Say when nginx has not loaded its files yet
  ansible.builtin.debug:
    msg: "nginx on {{ inventory_hostname }} runs an older configuration than its files ({{ status.nginx.changed_file }})"
  when: status.nginx.reload_pending
"""

RETURN = r"""
nginx:
  description: nginx on the host.
  returned: always
  type: dict
  contains:
    installed:
      description: Whether the nginx binary was found.
      type: bool
    version:
      description: Its version (null when not installed).
      type: str
      sample: 1.22.1
    active:
      description: Whether its unit is active.
      type: bool
    state:
      description: ActiveState/SubState of its unit.
      type: str
      sample: active/running
    loaded_at:
      description: When nginx last loaded its configuration (start of its newest worker, epoch seconds; 0 when not running).
      type: float
    changed_at:
      description: When the newest of its files changed (epoch seconds).
      type: float
    changed_file:
      description: That file.
      type: str
    reload_pending:
      description: Whether a file changed after nginx last loaded its configuration (false when nginx is not running).
      type: bool
apps:
  description: Each app of O(apps), by name.
  returned: always
  type: dict
  contains:
    current:
      description: The release C(current) names (empty when none).
      type: str
    previous:
      description: The release C(previous) names (empty when none).
      type: str
    units:
      description: The state (ActiveState/SubState) of each of its units, by unit name (service, socket, workers).
      type: dict
    active:
      description: Whether its uWSGI service is active.
      type: bool
    socket:
      description: The socket systemd listens on for it.
      type: str
upstreams:
  description: Every server of every upstream of O(upstreams_file).
  returned: always
  type: list
  elements: dict
  contains:
    upstream:
      description: The upstream.
      type: str
    address:
      description: The server's address.
      type: str
    host:
      description: The inventory host (servers from a group), else null.
      type: str
    state:
      description: C(down) (drained), C(up) or C(failing) (or C(unknown) when not probed).
      type: str
    detail:
      description: The probe's answer (HTTP status) or error.
      type: str
certificates:
  description: The certificates the live nginx files name.
  returned: always
  type: list
  elements: dict
  contains:
    path:
      description: The file.
      type: str
    names:
      description: Its DNS names.
      type: list
      elements: str
    days_left:
      description: Days until it expires (null when unreadable).
      type: float
keepalived:
  description: keepalived on the host (null when systemd does not know its unit).
  returned: always
  type: dict
  contains:
    active:
      description: Whether its unit is active.
      type: bool
    state:
      description: ActiveState/SubState of its unit.
      type: str
    holds:
      description: The floating addresses this host holds now.
      type: list
      elements: str
"""

import datetime
import glob
import os
import time
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.six.moves import http_client

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.certificates import status as certificate_status
from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.host_addresses import addresses
from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.nginx_version import parse_nginx_v
from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.status import (
    certificate_paths,
    newest_change,
    newest_child_start,
    parse_upstreams,
    tree,
)
from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.systemd import SOCKET_PROPERTIES, parse_show, show_command

UNIT_DIR = '/etc/systemd/system'


def read(path, mode='r'):
    try:
        with open(path, mode) as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def process_stats():
    """pid to the text of /proc/<pid>/stat, for every process."""
    stats = {}
    for name in os.listdir('/proc'):
        if name.isdigit():
            text = read('/proc/%s/stat' % name)
            if text:
                stats[int(name)] = text
    return stats


def unit_states(module, units, extra=()):
    systemctl = module.get_bin_path('systemctl')
    if not units or not systemctl:
        return {}
    rc, out, dummy = module.run_command(show_command(systemctl, units, extra))
    return parse_show(out if rc == 0 else '', units)


def state_text(state):
    return '%s/%s' % (state['state'], state['sub_state']) if state['loaded'] else 'missing'


def link_release(path):
    try:
        return os.path.basename(os.readlink(path).rstrip('/'))
    except OSError:
        return ''


def probe(address, path, timeout):
    """``(state, detail)`` of one upstream server from an HTTP request to it."""
    if address.startswith('unix:'):
        return 'unknown', 'unix socket, not probed'
    host, sep, port = address.rpartition(':')
    if not sep or not port.isdigit():
        host, port = address, '80'
    connection = http_client.HTTPConnection(host.strip('[]'), int(port), timeout=timeout)
    try:
        connection.request('GET', path, headers={'User-Agent': 'webstack-status'})
        code = connection.getresponse().status
    except Exception as exc:  # pylint: disable=broad-except  # any error means the server fails
        return 'failing', str(exc) or exc.__class__.__name__
    finally:
        connection.close()
    return ('failing' if code >= 500 else 'up'), 'HTTP %d' % code


def nginx_status(module, params, states):
    binary = module.get_bin_path('nginx', opt_dirs=['/usr/sbin', '/usr/local/sbin'])
    out = {'installed': binary is not None, 'version': None}
    if binary:
        rc, stdout, stderr = module.run_command([binary, '-V'])
        out['version'] = parse_nginx_v('\n'.join([stdout or '', stderr or '']))['version'] if rc == 0 else None
    state = states.get(params['service'])
    out['active'] = bool(state and state['active'])
    out['state'] = state_text(state) if state else 'missing'
    files = tree(params['config_dir'])
    # the files nginx loads (nginx.conf, conf.d/*.conf, sites-enabled/*), not snippets nothing includes
    live = [path for path in files if os.path.isfile(path) and os.path.dirname(path) in (
        params['config_dir'], os.path.join(params['config_dir'], 'conf.d'), os.path.join(params['config_dir'], 'sites-enabled'))
        and (path.endswith('.conf') or '/sites-enabled/' in path)]
    certificates = sorted(set(cert for path in live for cert in certificate_paths(read(path) or '')))
    out['changed_at'], out['changed_file'] = newest_change(files + certificates)
    loaded = 0.0
    if state and state['running'] and state['main_pid']:
        uptime = float((read('/proc/uptime') or '0').split()[0])
        loaded = newest_child_start(process_stats(), state['main_pid'], os.sysconf('SC_CLK_TCK'), uptime, time.time())
    out['loaded_at'] = loaded
    out['reload_pending'] = bool(loaded) and out['changed_at'] > loaded
    return out, certificates


def main():
    module = AnsibleModule(
        argument_spec=dict(
            config_dir=dict(type='path', default='/etc/nginx'),
            service=dict(type='str', default='nginx'),
            apps=dict(type='list', elements='str', default=[]),
            app_paths=dict(type='dict', default={}),
            base_dir=dict(type='path', default='/srv'),
            upstreams_file=dict(type='path', default='/etc/nginx/conf.d/site-upstreams.conf'),
            probe_path=dict(type='str', default='/healthz'),
            probe_timeout=dict(type='float', default=2.0),
            keepalived_service=dict(type='str', default='keepalived'),
            floating_addresses=dict(type='list', elements='str', default=[]),
        ),
        supports_check_mode=True,
    )
    params = module.params
    workers = dict((name, sorted(os.path.basename(p) for p in glob.glob('%s/uwsgi-app-%s-worker-*.service' % (UNIT_DIR, name))))
                   for name in params['apps'])
    units = [params['service'], params['keepalived_service']]
    for name in params['apps']:
        units += ['uwsgi-app-%s.service' % name, 'uwsgi-app-%s.socket' % name] + workers[name]
    states = unit_states(module, units, SOCKET_PROPERTIES)

    nginx, paths = nginx_status(module, params, states)
    certificates = []
    now = datetime.datetime.now(datetime.timezone.utc)

    def openssl(argv, data):
        rc, out, err = module.run_command(argv, data=data, binary_data=True)
        if rc != 0:
            raise ValueError('%s: %s' % (' '.join(argv), err.strip()))
        return out

    for path in paths:
        info = certificate_status(read(path, 'rb'), now, 0, openssl=openssl)
        certificates.append({'path': path, 'names': info['names'], 'days_left': info['days_left'],
                             'not_after': info['not_after']})

    apps = {}
    for name in params['apps']:
        path = params['app_paths'].get(name) or os.path.join(params['base_dir'], name)
        app_units = ['uwsgi-app-%s.service' % name, 'uwsgi-app-%s.socket' % name] + workers[name]
        socket = states.get('uwsgi-app-%s.socket' % name) or {}
        apps[name] = {
            'current': link_release(os.path.join(path, 'current')),
            'previous': link_release(os.path.join(path, 'previous')),
            'units': dict((unit, state_text(states[unit])) for unit in app_units if unit in states),
            'active': bool((states.get('uwsgi-app-%s.service' % name) or {}).get('active')),
            'workers': workers[name],
            'socket': socket.get('listen') or '',
        }

    # the servers probed at once (a fleet of hundreds: one probe's time, not the sum)
    servers = parse_upstreams(read(params['upstreams_file']) or '')
    probed = [s for s in servers if not s['down'] and params['probe_path']]
    answers = {}
    if probed:
        with ThreadPoolExecutor(max_workers=min(32, len(probed))) as pool:
            answers = dict(zip([id(s) for s in probed],
                               pool.map(lambda s: probe(s['address'], params['probe_path'], params['probe_timeout']), probed)))
    upstreams = []
    for server in servers:
        if server['down']:
            state, detail = 'down', 'drained'
        elif params['probe_path']:
            state, detail = answers[id(server)]
        else:
            state, detail = 'unknown', 'not probed'
        upstreams.append(dict(server, state=state, detail=detail))

    keepalived = None
    state = states.get(params['keepalived_service'])
    if state and state['loaded']:
        mine = addresses()
        wanted = [a.split('/')[0] for a in params['floating_addresses']]
        keepalived = {'active': state['active'], 'state': state_text(state), 'holds': [a for a in wanted if a in mine]}

    module.exit_json(changed=False, nginx=nginx, apps=apps, upstreams=upstreams, certificates=certificates,
                     keepalived=keepalived)


if __name__ == '__main__':
    main()
