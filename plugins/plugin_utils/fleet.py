# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fleet: what each host of webstack_appservers and webstack_loadbalancers serves.

:func:`compose` turns the ``webstack_*`` variables of a host (and what the
inventory says of the others) into the ``site_sites`` and ``site_upstreams``
of the site role, with the aliases that make a message about a composed entry
name the ``webstack_*`` (or ``uwsgi_app_*``) variable the user set.
:func:`problems` checks the ``webstack_*`` variables themselves.
"""

from __future__ import annotations

import difflib
import os
import re

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import firewall_rules, fleet_status, metrics_rules, rules

APP_GROUP = 'webstack_appservers'
LB_GROUP = 'webstack_loadbalancers'
DEFAULTS = {
    'webstack_app_port': 8080,
    'webstack_app_sites': None,
    'webstack_app_allow': None,
    'webstack_lb_server_names': None,
    'webstack_lb_tls': {'mode': 'selfsigned'},
    'webstack_lb_balance': 'round_robin',
    'webstack_lb_upstreams': None,
    'webstack_lb_sites': None,
    'webstack_lb_site_options': {},
    'webstack_lb_locations': [],
    'webstack_app_site_options': {},
    'webstack_lb_address': None,
    'webstack_serial': 1,
    'webstack_max_fail_percentage': 0,
    'webstack_health_path': '/healthz',
    'webstack_health_retries': 5,
    'webstack_status_format': 'table',
    'webstack_maintenance': None,
    'webstack_maintenance_allow': [],
    'webstack_maintenance_page': None,
    'webstack_maintenance_retry_after': 300,
    'webstack_metrics_address': None,
    'webstack_metrics_port': 9180,
    'webstack_metrics_allow': None,
    'webstack_firewall': True,
    'webstack_firewall_ssh_from': None,
    'webstack_firewall_rules': [],
}
BALANCES = ('round_robin', 'least_conn', 'ip_hash', 'hash')
SERIAL_RE = re.compile(r'^([1-9][0-9]*|([1-9][0-9]?|100)%)$')
LOOPBACK = ['127.0.0.1', '::1']
# Facts the webstack role sets for the playbooks (its entry points' descriptions
# say which): not input, so not unknown variables when a run checks again.
FACTS = ('webstack_site_sites', 'webstack_site_upstreams', 'webstack_site_aliases', 'webstack_validated',
         'webstack_nginx_packages', 'webstack_metrics', 'webstack_firewall_vars', 'webstack_firewall_host',
         'webstack_check_read')


def _get(values, name):
    value = values.get(name)
    return DEFAULTS[name] if value is None else value


def lb_addresses(groups, hostvars) -> tuple[list, list]:
    """Addresses of the load balancers (webstack_lb_address, else those nginx_facts read), and those unknown.

    A floating address (keepalived_vip, or one the keepalived.conf of the
    host holds now) is left out: it moves between the load balancers, and
    their connections to the app hosts leave from their own addresses.
    """
    found, unknown = [], []
    for host in groups.get(LB_GROUP) or []:
        values = hostvars.get(host) or {}
        own = values.get('webstack_lb_address')
        if own:
            addresses = own if isinstance(own, list) else [own]
        else:
            addresses = (((values.get('ansible_facts') or {}).get('nginx') or {}).get('addresses')) or []
            floating = rules.floating_addresses(values.get('keepalived_vip'), values.get('keepalived_current_conf') or '')
            addresses = [address for address in addresses if address not in floating]
        if not addresses:
            unknown.append(host)
        for address in addresses:
            if address not in found:
                found.append(address)
    return found, unknown


def _app_path(app, values):
    return app.get('path') or '%s/%s' % (str(values.get('uwsgi_app_base_dir') or '/srv').rstrip('/'), app.get('name'))


def _app_socket(app, values):
    run = str(values.get('uwsgi_app_runtime_dir') or '/run/uwsgi-app').rstrip('/')
    return app.get('socket') or '%s/%s/uwsgi.sock' % (run, app.get('name'))


def _app_locations(apps, values, index, aliases, offset=0):
    """The locations that serve ``apps`` on this host (site_sites[index]): each app's static files, then / to the
    first app's socket; ``offset``: how many locations of the site come before them."""
    locations = []
    for app_index, app in enumerate(apps):
        for static_index, static in enumerate(app.get('static') or []):
            aliases['site_sites[%d].locations[%d]' % (index, offset + len(locations))] = (
                'uwsgi_app_apps[%d].static[%d]' % (app_index, static_index))
            locations.append({
                'path': '^~ %s' % static.get('url'), 'kind': 'static',
                'alias': '%s/current/%s/' % (_app_path(app, values), str(static.get('dir', '')).strip('/')),
                'expires': static.get('expires') or '1h', 'try_files': '$uri =404'})
    if apps:
        aliases['site_sites[%d].locations[%d].socket' % (index, offset + len(locations))] = 'uwsgi_app_apps[0].socket'
        locations.append({'path': '/', 'kind': 'uwsgi', 'socket': _app_socket(apps[0], values)})
    return locations


# Keys of the default sites that the composition sets itself: the
# *_site_options variables cannot replace them (the sites' own variables can).
LB_SITE_KEYS = ('name', 'server_names', 'tls', 'locations', 'request_id')
APP_SITE_KEYS = ('name', 'server_names', 'listen', 'default_server', 'allow', 'real_ip_from', 'request_id', 'locations')


def _with_options(site: dict, index: int, options, variable: str, aliases: dict) -> dict:
    """``site`` with the keys of ``options`` (webstack_*_site_options), each message about them naming the variable."""
    for key, value in (options or {}).items() if isinstance(options, dict) else ():
        site[key] = value
        aliases['site_sites[%d].%s' % (index, key)] = '%s.%s' % (variable, key)
    return site


def compose(host: str, values: dict, groups: dict, hostvars: dict) -> dict:
    """The sites and upstreams of ``host`` from its variables ``values``.

    Returns ``sites``, ``upstreams``, ``aliases`` (prefix of a site role
    message to the name of the variable it comes from), ``app_site_names``
    and ``lb_site_names``.
    """
    is_app = host in (groups.get(APP_GROUP) or [])
    is_lb = host in (groups.get(LB_GROUP) or [])
    sites, upstreams, aliases = [], [], {}
    apps = values.get('uwsgi_app_apps') or []
    # A host that is the only app host and a load balancer with the default
    # sites (a single-host setup): its load balancer site sends the requests
    # straight to the app's socket, as the app hosts' site does, instead of
    # through a second nginx hop to itself.
    direct = (is_app and is_lb and bool(apps) and (groups.get(APP_GROUP) or []) == [host]
              and values.get('webstack_app_sites') is None and values.get('webstack_lb_sites') is None
              and values.get('webstack_lb_upstreams') is None)
    if is_app:
        given = values.get('webstack_app_sites')
        if given is not None:
            for index, site in enumerate(given):
                aliases['site_sites[%d]' % len(sites)] = 'webstack_app_sites[%d]' % index
                sites.append(site)
        else:
            index = len(sites)
            locations = _app_locations(apps, values, index, aliases)
            balancers = lb_addresses(groups, hostvars)[0]
            allow = values.get('webstack_app_allow')
            if allow is None:
                allow = balancers + LOOPBACK
                aliases['site_sites[%d].allow' % index] = 'the addresses of webstack_loadbalancers (webstack_lb_address)'
            else:
                aliases['site_sites[%d].allow' % index] = 'webstack_app_allow'
            aliases['site_sites[%d].listen' % index] = 'webstack_app_port'
            aliases['site_sites[%d].real_ip_from' % index] = 'the addresses of webstack_loadbalancers (webstack_lb_address)'
            aliases['site_sites[%d]' % index] = "the app hosts' site (webstack_app_sites)"
            # The load balancers say who the client is (X-Forwarded-For) and
            # which request it is (X-Request-ID); nobody else is believed. An
            # app host open to everyone (webstack_app_allow) makes its own ids.
            closed = bool(allow) and 'all' not in [str(a) for a in allow]
            sites.append(_with_options(
                {'name': 'webstack-app', 'server_names': [host], 'listen': [str(_get(values, 'webstack_app_port'))],
                 'default_server': True, 'allow': allow, 'real_ip_from': balancers,
                 'request_id': 'keep' if closed else 'generate', 'locations': locations},
                index, _own_options(values, 'webstack_app_site_options', APP_SITE_KEYS), 'webstack_app_site_options',
                aliases))
    if is_lb:
        given_up = values.get('webstack_lb_upstreams')
        if given_up is not None:
            for index, up in enumerate(given_up):
                aliases['site_upstreams[%d]' % len(upstreams)] = 'webstack_lb_upstreams[%d]' % index
                upstreams.append(up)
        elif not direct:  # (a direct site needs no upstream)
            aliases['site_upstreams[%d].balance' % len(upstreams)] = 'webstack_lb_balance'
            aliases['site_upstreams[%d]' % len(upstreams)] = 'webstack_lb_upstreams (default)'
            upstreams.append({
                'name': 'webstack-app', 'balance': _get(values, 'webstack_lb_balance'), 'keepalive': 16,
                'servers_from_group': {'group': APP_GROUP, 'port_var': 'webstack_app_port', 'port': 8080,
                                       'params': {'max_fails': 1, 'fail_timeout': '10s'}}})
        given = values.get('webstack_lb_sites')
        if given is not None:
            for index, site in enumerate(given):
                aliases['site_sites[%d]' % len(sites)] = 'webstack_lb_sites[%d]' % index
                sites.append(site)
        else:
            index = len(sites)
            aliases['site_sites[%d].tls' % index] = 'webstack_lb_tls'
            aliases['site_sites[%d].server_names' % index] = 'webstack_lb_server_names'
            aliases['site_sites[%d]' % index] = "the load balancers' site (webstack_lb_sites)"
            # locations of the user's own first (webstack_lb_locations: a rate-limited /login, a cached /static/)
            extra = _get(values, 'webstack_lb_locations')
            extra = list(extra) if isinstance(extra, list) else []
            for position in range(len(extra)):
                aliases['site_sites[%d].locations[%d]' % (index, position)] = 'webstack_lb_locations[%d]' % position
            if direct:
                locations = extra + _app_locations(apps, values, index, aliases, offset=len(extra))
            else:
                locations = extra + [{'path': '/', 'kind': 'upstream', 'upstream': 'webstack-app',
                                      'connect_timeout': 2, 'read_timeout': 30}]
            sites.append(_with_options({
                'name': 'webstack-lb', 'server_names': _get(values, 'webstack_lb_server_names') or [host],
                'tls': _get(values, 'webstack_lb_tls'), 'request_id': 'generate', 'locations': locations},
                index, _own_options(values, 'webstack_lb_site_options', LB_SITE_KEYS), 'webstack_lb_site_options',
                aliases))
    return {'sites': sites, 'upstreams': upstreams, 'aliases': aliases, 'app': is_app, 'lb': is_lb,
            'metrics': metrics(host, values, groups, hostvars), 'firewall': firewall(host, values, groups, hostvars)}


def _own_options(values: dict, variable: str, reserved) -> dict:
    """The keys of a *_site_options variable the composition does not set itself (problems() names the others)."""
    options = _get(values, variable)
    return {k: v for k, v in options.items() if k not in reserved} if isinstance(options, dict) else {}


def site_options_problems(values: dict) -> list[str]:
    """webstack_lb_site_options, webstack_app_site_options and webstack_lb_locations: their shape and reserved keys."""
    out = []
    for variable, reserved, what in (('webstack_lb_site_options', LB_SITE_KEYS, 'webstack_lb_sites'),
                                     ('webstack_app_site_options', APP_SITE_KEYS, 'webstack_app_sites')):
        options = _get(values, variable)
        if not isinstance(options, dict):
            out.append('%s must be a mapping (keys of a site_sites entry), got %r.' % (variable, options))
            continue
        for key in sorted(k for k in options if k in reserved):
            out.append('%s.%s is set by the fleet itself (%s are): to choose it, write the whole site with %s.'
                       % (variable, key, ', '.join(reserved), what))
    extra = _get(values, 'webstack_lb_locations')
    if not isinstance(extra, list) or not all(isinstance(loc, dict) for loc in extra):
        out.append('webstack_lb_locations must be a list of locations (site_sites[].locations entries), got %r.'
                   % (extra,))
    else:
        for position, loc in enumerate(extra):
            if str(loc.get('path', '')).strip() == '/':
                out.append('webstack_lb_locations[%d].path (/) is the default location of the site: use another path '
                           'or write the whole site with webstack_lb_sites.' % position)
    return out


# The metrics role's variables of a host from the fleet's (webstack_metrics_*)
# and, on an app host, its apps (only what the collector reads of them: no
# environment or secrets).
METRICS_NAMES = {'metrics_address': 'webstack_metrics_address', 'metrics_port': 'webstack_metrics_port',
                 'metrics_allow': 'webstack_metrics_allow'}
METRICS_APP_KEYS = ('name', 'group', 'socket', 'path')


def metrics(host: str, values: dict, groups: dict, hostvars: dict) -> dict:
    """The ``metrics_*`` variables of ``host``: ``metrics_address`` defaults to its ``ansible_host`` when that
    is an IP address (the address the controller, and so probably the scrapers, reach it at)."""
    address = values.get('webstack_metrics_address')
    if address in (None, ''):
        own = str((hostvars.get(host) or {}).get('ansible_host') or '')
        address = own if rules.is_address_or_network(own) and '/' not in own else ''
    out = {'metrics_address': str(address), 'metrics_port': _get(values, 'webstack_metrics_port'),
           'metrics_allow': list(values.get('webstack_metrics_allow') or [])}
    is_app = host in (groups.get(APP_GROUP) or [])
    out['metrics_uwsgi_apps'] = [dict((k, app[k]) for k in METRICS_APP_KEYS if app.get(k) is not None)
                                 for app in (values.get('uwsgi_app_apps') or [] if is_app else [])
                                 if isinstance(app, dict)]
    out['metrics_uwsgi_runtime_dir'] = values.get('uwsgi_app_runtime_dir') or '/run/uwsgi-app'
    out['metrics_uwsgi_base_dir'] = values.get('uwsgi_app_base_dir') or '/srv'
    return out


def metrics_problems(host: str, values: dict, hostvars: dict) -> list[str]:
    """The problems of the webstack_metrics_* variables (the metrics role's rules, by the fleet's names)."""
    allow = values.get('webstack_metrics_allow')
    if allow is not None and not isinstance(allow, list):
        return ['webstack_metrics_allow must be a list of addresses or CIDR ranges, got %r.' % (allow,)]
    given = metrics(host, values, {}, hostvars)
    checked = dict(given, metrics_nginx_exporter_port=9113, metrics_collector_port=9181,
                   metrics_nginx_status_url='http://127.0.0.1/nginx_status')
    out = []
    for message in metrics_rules.problems(checked):
        for name, fleet_name in METRICS_NAMES.items():
            message = re.sub(r'\b%s\b' % name, fleet_name, message)
        if 'webstack_metrics_' in message:
            out.append(message)
    if allow and values.get('webstack_metrics_address') in (None, '') and not given['metrics_address']:
        out = [m for m in out if not m.startswith('webstack_metrics_address is not set')]
        out.append('webstack_metrics_address is not set and the ansible_host of %s is not an IP address: give '
                   'the address the scrapers of webstack_metrics_allow reach.' % host)
    return out


def _valid_sources(entries) -> list[str]:
    return [str(e) for e in entries or [] if rules.is_address_or_network(e) and str(e) != 'all']


def firewall(host: str, values: dict, groups: dict, hostvars: dict) -> dict:
    """The ``firewall_*`` variables of ``host``: SSH from webstack_firewall_ssh_from (default anywhere), on an app
    host webstack_app_port from the load balancers' own addresses (or webstack_app_allow), on a load balancer 80 and
    443 from anywhere (443/udp too with webstack_lb_tls.http3) and VRRP from the load balancers (with keepalived_vip),
    the metrics port from webstack_metrics_allow, then webstack_firewall_rules."""
    is_app = host in (groups.get(APP_GROUP) or [])
    is_lb = host in (groups.get(LB_GROUP) or [])
    anywhere = list(firewall_rules.ANYWHERE)
    accepts = []
    balancers = lb_addresses(groups, hostvars)[0]
    if is_app and rules.is_port(_get(values, 'webstack_app_port')):
        allow = values.get('webstack_app_allow')
        allow = balancers if allow is None else allow if isinstance(allow, list) else []
        sources = anywhere if 'all' in [str(a) for a in allow] else _valid_sources(allow)
        if sources:
            accepts.append({'port': int(_get(values, 'webstack_app_port')), 'proto': 'tcp', 'from': sources,
                            'comment': 'webstack_app_port'})
    if is_lb:
        for port in (80, 443):
            accepts.append({'port': port, 'proto': 'tcp', 'from': anywhere, 'comment': 'sites of the load balancers'})
        tls = _get(values, 'webstack_lb_tls')
        if isinstance(tls, dict) and tls.get('http3'):
            accepts.append({'port': 443, 'proto': 'udp', 'from': anywhere, 'comment': 'HTTP/3 (webstack_lb_tls.http3)'})
    scrapers = _valid_sources(values.get('webstack_metrics_allow') if isinstance(values.get('webstack_metrics_allow'),
                                                                                 list) else [])
    if scrapers and rules.is_port(_get(values, 'webstack_metrics_port')):
        accepts.append({'port': int(_get(values, 'webstack_metrics_port')), 'proto': 'tcp', 'from': scrapers,
                        'comment': 'webstack_metrics_port'})
    extra = _get(values, 'webstack_firewall_rules')
    accepts.extend(dict({'proto': 'tcp'}, **rule) for rule in (extra if isinstance(extra, list) else []) if isinstance(rule, dict))
    vrrp = []
    if is_lb and (hostvars.get(host) or {}).get('keepalived_vip'):
        for peer in groups.get(LB_GROUP) or []:
            own = (hostvars.get(peer) or {}).get('keepalived_address')
            if own and own not in vrrp:
                vrrp.append(str(own))
        vrrp.extend(address for address in balancers if address not in vrrp)
    ssh = values.get('webstack_firewall_ssh_from')
    return {'firewall_enabled': bool(_get(values, 'webstack_firewall')),
            'firewall_ssh_from': list(ssh) if isinstance(ssh, list) else anywhere,
            'firewall_rules': accepts, 'firewall_vrrp_from': vrrp}


def firewall_problems(values: dict) -> list[str]:
    """The problems of webstack_firewall, webstack_firewall_ssh_from and webstack_firewall_rules."""
    out = []
    if not isinstance(_get(values, 'webstack_firewall'), bool):
        out.append('webstack_firewall (%s) must be true or false.' % (values.get('webstack_firewall'),))
    ssh = values.get('webstack_firewall_ssh_from')
    if ssh is not None:
        out.extend(firewall_rules.network_list_problems('webstack_firewall_ssh_from', ssh, empty_ok=False))
    out.extend(firewall_rules.rule_list_problems('webstack_firewall_rules', _get(values, 'webstack_firewall_rules')))
    return out


MAINTENANCE_STATES = {'on': True, 'off': False, 'true': True, 'false': False}


def maintenance_state(value) -> bool | None:
    """webstack_maintenance as a bool (on, off, true, false, in any case), None when it is none of them."""
    if isinstance(value, bool):
        return value
    return MAINTENANCE_STATES.get(str(value).strip().lower())


def maintenance_problems(values: dict) -> list[str]:
    """The problems of webstack_maintenance and webstack_maintenance_* (unset webstack_maintenance is fine)."""
    out = []
    state = values.get('webstack_maintenance')
    if state is not None and maintenance_state(state) is None:
        out.append('webstack_maintenance (%s) must be on or off.' % (state,))
    allow = _get(values, 'webstack_maintenance_allow')
    if not isinstance(allow, list):
        out.append('webstack_maintenance_allow must be a list of addresses or CIDR ranges, got %r.' % (allow,))
    else:
        for index, address in enumerate(allow):
            if not rules.is_address_or_network(address) or str(address) == 'all':
                out.append('webstack_maintenance_allow[%d] (%s) must be an IPv4 or IPv6 address or a CIDR range.'
                           % (index, address))
    retry = _get(values, 'webstack_maintenance_retry_after')
    if isinstance(retry, bool) or not str(retry).isdigit() or int(retry) < 1:
        out.append('webstack_maintenance_retry_after (%s) must be a number of seconds (1 or more).' % (retry,))
    page = values.get('webstack_maintenance_page')
    if page is not None and not os.path.isfile(str(page)):
        out.append('webstack_maintenance_page (%s) is not a file on the controller.' % (page,))
    out.extend(fleet_status.problems(_get(values, 'webstack_status_format')))
    return out


def problems(host: str, values: dict, groups: dict, hostvars: dict, known: list) -> list[str]:
    """Every problem of the webstack_* variables of ``host`` (``known``: the names the fleet reads)."""
    out = []
    for name in sorted(values):
        if name.startswith('webstack_') and name not in known and name not in FACTS:
            guess = difflib.get_close_matches(name, known, n=1)
            out.append('%s is not a variable of the fleet%s.' % (name, ' (did you mean %s?)' % guess[0] if guess else ''))
    is_app = host in (groups.get(APP_GROUP) or [])
    is_lb = host in (groups.get(LB_GROUP) or [])
    if is_app and not rules.is_port(_get(values, 'webstack_app_port')):
        out.append('webstack_app_port (%s) must be a port (1-65535).' % _get(values, 'webstack_app_port'))
    if is_lb:
        for app_host in groups.get(APP_GROUP) or []:
            port = (hostvars.get(app_host) or {}).get('webstack_app_port')
            if port is not None and not rules.is_port(port) and app_host != host:
                out.append('webstack_app_port (%s) of %s must be a port (1-65535).' % (port, app_host))
        if not (groups.get(APP_GROUP) or []) and values.get('webstack_lb_upstreams') is None:
            out.append('webstack_appservers has no host: the load balancers would have nothing to send requests to.')
        if _get(values, 'webstack_lb_balance') not in BALANCES:
            out.append('webstack_lb_balance (%s) must be one of %s.' % (values['webstack_lb_balance'], ', '.join(BALANCES)))
        names = values.get('webstack_lb_server_names')
        if names is not None and (not isinstance(names, list) or not names):
            out.append('webstack_lb_server_names must be a list of host names, got %r.' % (names,))
        tls = _get(values, 'webstack_lb_tls')
        if not isinstance(tls, dict):
            out.append('webstack_lb_tls must be a mapping (the tls of a site: mode, ...), got %r.' % (tls,))
        own = values.get('webstack_lb_address')
        for address in (own if isinstance(own, list) else [own] if own else []):
            if not rules.is_address_or_network(address) or '/' in str(address):
                out.append('webstack_lb_address (%s) must be an IPv4 or IPv6 address.' % address)
    allow = values.get('webstack_app_allow')
    if allow is not None:
        if not isinstance(allow, list):
            out.append('webstack_app_allow must be a list of addresses or CIDR ranges, got %r.' % (allow,))
        else:
            for index, address in enumerate(allow):
                if not rules.is_address_or_network(address):
                    out.append('webstack_app_allow[%d] (%s) must be an IPv4 or IPv6 address or a CIDR range.'
                               % (index, address))
    elif is_app:
        unknown = lb_addresses(groups, hostvars)[1]
        if unknown:
            out.append('the address of load balancer %s is unknown, so the app hosts cannot let it in: set its '
                       'webstack_lb_address (or webstack_app_allow).' % ', '.join(unknown))
    for name in ('webstack_app_sites', 'webstack_lb_sites', 'webstack_lb_upstreams'):
        if values.get(name) is not None and not isinstance(values[name], list):
            out.append('%s must be a list (of site_sites or site_upstreams entries), got %r.' % (name, values[name]))
    out.extend(metrics_problems(host, values, hostvars))
    out.extend(firewall_problems(values))
    out.extend(maintenance_problems(values))
    out.extend(site_options_problems(values))
    serial = _get(values, 'webstack_serial')
    for value in (serial if isinstance(serial, list) else [serial]):
        if not SERIAL_RE.match(str(value)):
            out.append('webstack_serial (%s) must be a number of hosts, a percentage (25%%) or a list of them.' % serial)
            break
    fail = _get(values, 'webstack_max_fail_percentage')
    if not (str(fail).isdigit() and 0 <= int(fail) <= 100):
        out.append('webstack_max_fail_percentage (%s) must be a number from 0 to 100.' % fail)
    path = str(_get(values, 'webstack_health_path'))
    if not path.startswith('/') or not rules.is_token(path):
        out.append('webstack_health_path (%s) must be a URL path starting with / (no spaces or quotes).' % path)
    retries = _get(values, 'webstack_health_retries')
    if not str(retries).isdigit():
        out.append('webstack_health_retries (%s) must be a number (0 or more).' % retries)
    return out


# What each play of the fleet playbooks that not every host needs reads of
# the facts of the plays before it: the hosts, the fact, and whether a host
# has work by it (None: the fact is not there).
PLAY_FACTS = {
    # site.yml: the check play's facts; a host without them is kept (its play fails for it as before)
    'firewall': ((APP_GROUP, LB_GROUP), 'webstack_firewall_vars',
                 lambda fact: fact.get('firewall_enabled', True) is not False if isinstance(fact, dict) else True),
    'metrics': ((APP_GROUP, LB_GROUP), 'webstack_metrics',
                lambda fact: len(fact.get('metrics_allow', ['?']) or []) > 0 if isinstance(fact, dict) else True),
    # rolling_release.yml: the build play's plan (uwsgi_app_plan); a host without one did not build: out
    'rolling': ((APP_GROUP,), 'uwsgi_app_plan',
                lambda plan: isinstance(plan, list) and any(isinstance(a, dict) and a.get('rolling') for a in plan)),
    # the playbooks site.yml imports: the hosts its check play did not check (all of them when run alone)
    'unchecked': ((APP_GROUP, LB_GROUP), 'webstack_validated', lambda checked: checked is not True),
}


def left_out(groups: dict, hostvars) -> list[str]:
    """The app hosts (in inventory order) that the upstreams of a load balancer still mark down: a drain that no
    run undid (a run killed after it, a host whose health check failed), as the check play read them
    (``site_member_down`` of each load balancer)."""
    down = set()
    for balancer in groups.get(LB_GROUP) or []:
        marked = (hostvars.get(balancer) or {}).get('site_member_down')
        down.update(marked if isinstance(marked, list) else [])
    out = []
    for host in groups.get(APP_GROUP) or []:
        if host in down and host not in out:
            out.append(host)
    return out


def play_hosts(groups: dict, hostvars, role: str) -> list[str]:
    """The hosts of the groups of ``role``'s play (in order, once each) that it has work on, by the facts of the
    plays before (``PLAY_FACTS``): ``firewall`` a packet filter on, ``metrics`` a scraper named, ``rolling`` an
    app whose change reloads or restarts what serves (the hosts a rollout drains), ``unchecked`` not checked by the
    check play of this run; ``left_out`` the app hosts an earlier run left out of the load balancers
    (:func:`left_out`)."""
    if role == 'left_out':
        return left_out(groups, hostvars)
    if role not in PLAY_FACTS:
        raise ValueError('no play of role %r (one of %s)' % (role, ', '.join(sorted(list(PLAY_FACTS) + ['left_out']))))
    names, fact, works = PLAY_FACTS[role]
    out = []
    for host in [h for name in names for h in groups.get(name) or []]:
        if host not in out and works((hostvars.get(host) or {}).get(fact)):
            out.append(host)
    return out
