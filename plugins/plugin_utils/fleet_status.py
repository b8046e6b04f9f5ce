# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fleet's status (playbooks/status.yml): what each host's status_facts said, put together once.

:func:`report` joins the hosts' readings: the release each app serves on
most app hosts (a host on another one stands out), each app host as every
load balancer sees it (up, down when drained, failing), who holds the
floating address, and notes for whatever needs a look. :func:`table` prints
the report for people; the report itself is the JSON for scripts.
"""

from __future__ import annotations

from collections import Counter

FORMATS = ('table', 'json')
MARK = '!'
GROUP_NAMES = {'webstack_loadbalancers': 'lb', 'webstack_appservers': 'app'}


def _release_of_fleet(hosts: dict, app: str) -> str:
    """The release most app hosts serve for ``app`` (ties: the newest id, which sorts last)."""
    counts = Counter(h['apps'][app]['current'] for h in hosts.values() if app in h['apps'] and h['apps'][app]['current'])
    if not counts:
        return ''
    top = max(counts.values())
    return sorted(release for release, count in counts.items() if count == top)[-1]


def report(readings: dict, groups_of: dict) -> dict:
    """The fleet's status from ``readings`` (host to the result of status_facts) and ``groups_of`` (host to its groups).

    Returns ``hosts`` (host to its groups, nginx, apps, upstreams,
    certificates, keepalived, ``members``: how each load balancer sees it,
    ``other_release``), ``releases`` (app to the release of the fleet),
    ``floating`` (floating address to the hosts that hold it) and ``notes``.
    """
    hosts = {}
    for host in sorted(readings):
        reading = readings[host] or {}
        hosts[host] = {
            'groups': sorted(g for g in groups_of.get(host) or [] if g in GROUP_NAMES),
            'nginx': reading.get('nginx') or {},
            'apps': reading.get('apps') or {},
            'upstreams': reading.get('upstreams') or [],
            'certificates': reading.get('certificates') or [],
            'keepalived': reading.get('keepalived'),
            'members': {},
            'other_release': [],
        }
    notes = []
    releases = dict((app, _release_of_fleet(hosts, app)) for app in sorted(set(a for h in hosts.values() for a in h['apps'])))
    floating = {}
    for host, entry in hosts.items():
        for app, values in sorted(entry['apps'].items()):
            if values['current'] != releases[app]:
                entry['other_release'].append(app)
                notes.append('%s %s: %s serves release %s, most app hosts %s.'
                             % (MARK, host, app, values['current'] or '(none)', releases[app]))
            if not values['active']:
                notes.append('%s %s: the uWSGI service of %s is not active (%s).'
                             % (MARK, host, app, ', '.join('%s %s' % u for u in sorted(values['units'].items()))))
        nginx = entry['nginx']
        if nginx and not nginx.get('active'):
            notes.append('%s %s: nginx is not active (%s).' % (MARK, host, nginx.get('state')))
        if nginx.get('reload_pending'):
            notes.append('%s %s: nginx has not loaded %s yet (changed after its last reload).'
                         % (MARK, host, nginx.get('changed_file')))
        for server in entry['upstreams']:
            member = server.get('host')
            if member in hosts:
                hosts[member]['members'][host] = server['state']
            if server['state'] == 'failing':
                notes.append('%s %s: upstream %s server %s%s fails (%s).'
                             % (MARK, host, server['upstream'], server['address'],
                                ' (%s)' % member if member else '', server.get('detail')))
        for cert in entry['certificates']:
            if cert.get('days_left') is None or cert['days_left'] < 14:
                notes.append('%s %s: certificate %s has %s days left.' % (MARK, host, cert['path'], cert.get('days_left')))
        keepalived = entry['keepalived']
        for address in (keepalived or {}).get('holds') or []:
            floating.setdefault(address, []).append(host)
    for host in sorted(set(groups_of) - set(readings)):
        notes.append('%s %s: not read (unreachable, or its reading failed).' % (MARK, host))
    for address, holders in sorted(floating.items()):
        if len(holders) > 1:
            notes.append('%s %s is held by %s at once.' % (MARK, address, ', '.join(holders)))
    return {'hosts': hosts, 'releases': releases, 'floating': floating, 'notes': notes}


def _grid(header: list, rows: list) -> list[str]:
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    return ['  '.join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [header] + rows]


def _members(members: dict) -> str:
    if not members:
        return '-'
    states = sorted(set(members.values()))
    if len(states) == 1:
        return '%s (%d lb)' % (states[0], len(members))
    return ', '.join('%s on %s' % (state, lb) for lb, state in sorted(members.items()))


def _days(value) -> str:
    return 'unreadable' if value is None else '%d' % int(value)


def table(status: dict) -> list[str]:
    """The lines of the report for people: hosts, apps, upstream servers, certificates, notes."""
    hosts = status['hosts']
    lines = _grid(['HOST', 'GROUPS', 'NGINX', 'STATE', 'RELOAD', 'KEEPALIVED'], [
        [host, ','.join(GROUP_NAMES[g] for g in entry['groups']) or '-', entry['nginx'].get('version') or '-',
         entry['nginx'].get('state') or '-', 'pending' if entry['nginx'].get('reload_pending') else 'done',
         '-' if entry['keepalived'] is None else '%s%s' % (
             entry['keepalived']['state'],
             ', holds ' + ' '.join(entry['keepalived']['holds']) if entry['keepalived']['holds'] else '')]
        for host, entry in hosts.items()])
    rows = []
    for host, entry in hosts.items():
        for app, values in sorted(entry['apps'].items()):
            rows.append([(MARK + ' ' if app in entry['other_release'] else '  ') + host, app, values['current'] or '-',
                         values['previous'] or '-', ' '.join(sorted(set(values['units'].values()))) or '-',
                         values['socket'] or '-', _members(entry['members'])])
    if rows:
        lines += [''] + _grid(['  APP HOST', 'APP', 'CURRENT', 'PREVIOUS', 'UNITS', 'SOCKET', 'LOAD BALANCERS'], rows)
    rows = [[host, s['upstream'], s['address'], s.get('host') or '-',
             s['state'] + (' (drained)' if s['state'] == 'down' else ''), s.get('detail') or '']
            for host, entry in hosts.items() for s in entry['upstreams']]
    if rows:
        lines += [''] + _grid(['LOAD BALANCER', 'UPSTREAM', 'SERVER', 'HOST', 'STATE', 'DETAIL'], rows)
    rows = [[host, c['path'], ' '.join(c.get('names') or []) or '-', _days(c.get('days_left'))]
            for host, entry in hosts.items() for c in entry['certificates']]
    if rows:
        lines += [''] + _grid(['HOST', 'CERTIFICATE', 'NAMES', 'DAYS LEFT'], rows)
    lines += [''] + ['floating %s: held by %s' % (a, ', '.join(h)) for a, h in sorted(status['floating'].items())]
    lines += status['notes'] or ['nothing to note: every host runs the release of the fleet, nothing pending or failing']
    return lines


def problems(fmt) -> list[str]:
    """The problem of a value of webstack_status_format, if any."""
    if fmt not in FORMATS:
        return ['webstack_status_format (%s) must be one of %s.' % (fmt, ', '.join(FORMATS))]
    return []
