# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rules and values of the metrics role (Prometheus exporters behind an nginx server of their own).

The exporters listen on loopback only; nginx answers on ``metrics_address``
and ``metrics_port`` for the scrapers of ``metrics_allow`` and nobody else.
:func:`problems` checks the ``metrics_*`` variables; :func:`normalize`
works out, once, what the templates render (the collector's configuration and
the nginx server's ``listen`` and ``allow`` lines).
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import rules

NAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$')
URL_RE = re.compile(r'^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]{1,5})?/[^\s"\';{}]*$')
PORTS = ('metrics_port', 'metrics_nginx_exporter_port', 'metrics_collector_port')


def _address(value):
    try:
        return ipaddress.ip_address(str(value))
    except ValueError:
        return None


def problems(values: dict) -> list[str]:
    """Every problem of the ``metrics_*`` variables, each naming its variable."""
    out = []
    allow = values.get('metrics_allow') or []
    for index, entry in enumerate(allow):
        if str(entry) == 'all' or not rules.is_address_or_network(entry):
            out.append('metrics_allow[%d] (%s) must be the address or CIDR range of a scraper (not "all").'
                       % (index, entry))
        elif ipaddress.ip_network(str(entry), strict=False).prefixlen == 0:
            out.append('metrics_allow[%d] (%s) lets every address in: name the scrapers (their addresses or '
                       'networks).' % (index, entry))
    address = values.get('metrics_address')
    if address not in (None, ''):
        parsed = _address(address)
        if parsed is None:
            out.append('metrics_address (%s) must be an IPv4 or IPv6 address of the host.' % address)
        elif parsed.is_unspecified:
            out.append('metrics_address (%s) listens on every address: give the one address the scrapers reach.'
                       % address)
    elif allow:
        out.append('metrics_address is not set: give the address of the host the scrapers of metrics_allow '
                   'reach (the metrics are served nowhere else).')
    for name in PORTS:
        if not rules.is_port(values.get(name)):
            out.append('%s (%s) must be a port (1-65535).' % (name, values.get(name)))
    ports = [int(values[name]) for name in PORTS if rules.is_port(values.get(name))]
    if len(ports) == len(PORTS) and len(set(ports)) != len(ports):
        out.append('metrics_port, metrics_nginx_exporter_port and metrics_collector_port (%s) must be three '
                   'different ports.' % ', '.join(str(p) for p in ports))
    url = str(values.get('metrics_nginx_status_url') or '')
    if not URL_RE.match(url):
        out.append('metrics_nginx_status_url (%s) must be an http:// URL on loopback (nginx serves stub_status '
                   'there, nginx_status_path).' % url)
    for index, app in enumerate(values.get('metrics_uwsgi_apps') or []):
        if not isinstance(app, dict) or not NAME_RE.match(str(app.get('name') or '')):
            out.append('metrics_uwsgi_apps[%d] must be an app of uwsgi_app_apps, with its name.' % index)
    for index, pattern in enumerate(values.get('metrics_certificates') or []):
        if not str(pattern).startswith('/') or not rules.is_token(pattern):
            out.append('metrics_certificates[%d] (%s) must be an absolute path or pattern (no spaces or quotes).'
                       % (index, pattern))
    return out


def listen(address, port) -> str:
    """The ``listen`` argument of nginx for an address and a port (IPv6 in brackets)."""
    parsed = _address(address)
    host = '[%s]' % parsed if parsed is not None and parsed.version == 6 else str(address)
    return '%s:%s' % (host, int(port))


def normalize(values: dict, paths: dict) -> dict:
    """What the role installs, worked out once from the checked ``metrics_*`` variables.

    ``enabled``: whether there is anyone to serve (``metrics_allow`` names a
    scraper); ``listen`` and ``allow``: the nginx server's; ``apps``: each
    uWSGI app with its stats socket, the sockets nginx passes requests to
    (whose 5xx answers count for the app), its releases directory and
    ``current`` link, and its group (the collector joins it to read the stats
    socket); ``config``: the collector's configuration file. ``paths``: the
    role's fixed paths (``status_log``, the log of the 5xx answers nginx
    writes, and ``certificates_file``, what the certificates' reader found).
    """
    runtime = str(values.get('metrics_uwsgi_runtime_dir') or '/run/uwsgi-app').rstrip('/')
    base = str(values.get('metrics_uwsgi_base_dir') or '/srv').rstrip('/')
    apps = []
    for app in values.get('metrics_uwsgi_apps') or []:
        name = str(app['name'])
        run_dir = '%s/%s' % (runtime, name)
        path = str(app.get('path') or '%s/%s' % (base, name)).rstrip('/')
        sockets = [run_dir + '/uwsgi.sock']
        if app.get('socket') and str(app['socket']) not in sockets:
            sockets.append(str(app['socket']))
        apps.append({'name': name, 'group': str(app.get('group') or name), 'stats': run_dir + '/stats/stats.sock',
                     'sockets': sockets, 'releases_dir': path + '/releases', 'current': path + '/current'})
    collector_port = int(values['metrics_collector_port'])
    config = {
        'listen': '127.0.0.1',
        'port': collector_port,
        'apps': apps,
        'status_log': str(paths['status_log']),
        'certificates': [str(p) for p in values.get('metrics_certificates') or []],
        'certificates_file': str(paths['certificates_file']),
    }
    allow = [str(a) for a in values.get('metrics_allow') or []]
    return {
        'enabled': bool(allow),
        'listen': listen(values['metrics_address'], values['metrics_port']) if allow else '',
        'allow': allow,
        'exporter_listen': '127.0.0.1:%d' % int(values['metrics_nginx_exporter_port']),
        'collector_listen': '127.0.0.1:%d' % collector_port,
        'groups': sorted(set(['adm'] + [a['group'] for a in apps])),
        'apps': apps,
        'config': config,
    }
