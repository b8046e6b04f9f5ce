# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rules and normalization of the site role's ``site_sites`` and ``site_upstreams``.

Types, required keys and choices come from the role's argument specs
(checked first, see :mod:`argspec`); the rules here are what a spec cannot
say: patterns, relations between entries, references to upstreams and
inventory groups, files on the controller. Each rule yields messages that
name the entry (``site_sites[2].locations[0].socket``).

:func:`normalize` then fills every default and computes every derived value
(file paths, certificate paths, headers, upstream servers) once, so that the
templates and tasks only read them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import rules, site_cache
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.upstreams import UpstreamError, upstream_servers

NAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]*$')
UPSTREAM_NAME_RE = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9_.-]*$')
LOCATION_RE = re.compile(r'^[^;{}]+$')
SOCKET_RE = re.compile(r'^/[^\s;{}\'"]+$')
HOST_PATH_RE = SOCKET_RE  # a file on the host nginx reads: absolute, one nginx word
BACKEND_RE = re.compile(r'^https?://[^\s;{}\'"]+$')
ADDRESS_RE = re.compile(r'^[^\s;{}]+$')
HEADER_NAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9-]*$')
HEADER_VALUE_RE = re.compile(r'^[^"\r\n\\]*$')
REDIRECT_CODES = (301, 302, 303, 307, 308)
# Values that must be one of a list. They are checked here rather than with
# `choices` in the argument spec, whose check would stop at the first one
# without naming the entry.
SITE_STATES = ('present', 'disabled', 'absent')
KINDS = ('uwsgi', 'upstream', 'proxy', 'static', 'redirect')
TLS_MODES = ('files', 'paths', 'selfsigned', 'acme')
# ACME challenges: http-01 through the site's port 80, dns-01 through TXT
# records the role adds with RFC 2136 updates (the only one for wildcards).
CHALLENGES = ('http-01', 'dns-01')
# A name an ACME certificate can hold: a host name, or *. and one (dns-01 only).
ACME_NAME_RE = re.compile(r'^(\*\.)?([A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?\.)*[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.?$')
# What a DNS server address (site_acme_dns_server) may be: a host name or an IP address.
DNS_SERVER_RE = re.compile(r'^[A-Za-z0-9:.\[\]_-]+$')
DNS_ZONE_RE = re.compile(r'^([A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?\.)*[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?\.?$')
KEY_TYPES = ('ecdsa', 'rsa')
BALANCES = ('round_robin', 'least_conn', 'ip_hash', 'hash')
PROTOCOLS = ('http', 'uwsgi')
REQUEST_ID_MODES = ('generate', 'keep')
# (none, not off: YAML reads an unquoted off as false)
LOG_MODES = ('shared', 'own', 'none')
# The variables the nginx role defines in http{} (nginx.conf.j2): the id of
# the request, and a well-formed X-Request-ID of the client or a new id.
REQUEST_ID_VAR = '$nginx_request_id'
REQUEST_ID_KEPT_VAR = '$nginx_request_id_kept'
REQUEST_ID_HEADER = 'X-Request-ID'
# The access log format the nginx role defines in http{} (nginx.conf.j2): the
# one its nginx_access_log_format chooses, text or JSON.
ACCESS_LOG_FORMAT = 'nginx_access'

SITE_DEFAULTS = {
    'state': 'present',
    'listen': ['80'],
    'default_server': False,
    'root': None,
    'locations': [],
    'extra_directives': [],
    'headers': {},
    'allow': [],
    'template': None,
    'tls': None,
    'real_ip_from': [],
    'request_id': 'generate',
    'logs': None,
    'error_pages': {},
    'ipv6': None,
    'cache': None,
    'limit_req': None,
    'limit_conn': None,
    'basic_auth': None,
}
TLS_DEFAULTS = {
    'listen': ['443'],
    'redirect': True,
    'hsts': False,
    'http2': True,
    'ocsp_stapling': False,
    'http3': False,
    'key_type': None,
    'challenge': None,
    'cert_src': None,
    'key_src': None,
    'cert': None,
    'key': None,
    'chain': None,
    'client_auth': None,
}
# Client certificates (site_sites[].tls.client_auth, mTLS).
CLIENT_AUTH_DEFAULTS = {'ca_src': None, 'ca': None, 'verify': 'required', 'depth': 1, 'crl_src': None, 'crl': None}
CLIENT_VERIFY = {'required': 'on', 'optional': 'optional'}
LOCATION_CLIENT_AUTH = ('required',)
CLIENT_DEPTH = (1, 10)
# What the app gets of the verified certificate: headers for proxied locations,
# params for uWSGI ones (the mod_ssl names and, so that a client's header of the
# same name never reaches the app, the HTTP_X_SSL_CLIENT_* ones too).
CLIENT_VARS = (('Verify', '$ssl_client_verify'), ('S-DN', '$ssl_client_s_dn'), ('Serial', '$ssl_client_serial'),
               ('Fingerprint', '$ssl_client_fingerprint'))
LOCATION_DEFAULTS = {
    'socket': None,
    'upstream': None,
    'backend': None,
    'websocket': False,
    'buffering': True,
    'buffer_size': None,
    'buffers': None,
    'connect_timeout': 5,
    'read_timeout': 60,
    'root': None,
    'alias': None,
    'try_files': '$uri $uri/ =404',
    'index': None,
    'expires': None,
    'code': 301,
    'target': None,
    'headers': {},
    'extra_directives': [],
    'cache': None,
    'limit_req': None,
    'limit_conn': None,
    'basic_auth': None,
    'client_auth': None,
}
UPSTREAM_DEFAULTS = {
    'balance': 'round_robin',
    'hash_key': None,
    'hash_consistent': False,
    'protocol': 'http',
    'servers': [],
    'servers_from_group': None,
    'keepalive': 0,
    'next_upstream': None,
    'extra_directives': [],
}
# Traffic limits and basic auth (site_sites[] and site_sites[].locations[]).
LIMIT_REQ_DEFAULTS = {'rate': None, 'burst': 0, 'nodelay': False, 'delay': None, 'dry_run': False, 'status': 429,
                      'zone_size': '10m'}
LIMIT_CONN_DEFAULTS = {'max': None, 'dry_run': False, 'status': 429, 'zone_size': '10m'}
BASIC_AUTH_DEFAULTS = {'enabled': True, 'realm': 'Restricted', 'satisfy': 'all', 'users': []}
RATE_RE = re.compile(r'^[1-9][0-9]*r/[sm]$')
ZONE_SIZE_RE = re.compile(r'^([1-9][0-9]*)([kKmM])$')
ZONE_SIZE_MIN_K = 32  # nginx: a zone of fewer than 8 pages is "too small"
REALM_RE = re.compile(r'^[^"\\$\r\n]+$')
AUTH_USER_RE = re.compile(r'^[^:\s#][^:\s]*$')
SATISFY = ('all', 'any')
# The client's address, the real one once real_ip_from has replaced it.
LIMIT_KEY = '$binary_remote_addr'
SERVER_DEFAULTS = {'weight': None, 'max_fails': None, 'fail_timeout': None, 'backup': False, 'down': False}


@dataclass
class Context:
    """What the rules may look at besides the entry they check."""

    sites: list = field(default_factory=list)
    upstreams: list = field(default_factory=list)
    groups: dict = field(default_factory=dict)
    hostvars: dict = field(default_factory=dict)
    acme_directory: str = ''
    # the RFC 2136 settings of dns-01 (site_acme_dns_*, without the prefix): server, port, zone, key_name,
    # key_secret (only its presence is read), key_algorithm, ttl
    acme_dns: dict = field(default_factory=dict)
    # the host's facts (nginx_facts: the nginx fact and the distribution), for what the host's nginx can do
    facts: dict = field(default_factory=dict)
    cache_dir: str = '/var/cache/nginx/site'


def _with_defaults(value, defaults):
    return rules.with_defaults(value, defaults)


def _tls(site):
    return _with_defaults(site.get('tls'), TLS_DEFAULTS) if site.get('tls') else None


def _listens(site):
    """(variable suffix, values) of the plain and the TLS listen lists."""
    site = _with_defaults(site, SITE_DEFAULTS)
    tls = _tls(site)
    return [('listen', site['listen'] or []), ('tls.listen', tls['listen'] if tls else [])]


# ---------------------------------------------------------------- site rules

def _one_of(value, choices, what):
    if value is not None and value not in choices:
        yield '%s (%s) must be one of %s' % (what, value, ', '.join(str(c) for c in choices))


def site_choices(site, path, ctx):
    yield from _one_of(site.get('state'), SITE_STATES, path + '.state')
    yield from _one_of(site.get('request_id'), REQUEST_ID_MODES, path + '.request_id')
    yield from _one_of(site.get('logs'), LOG_MODES, path + '.logs')
    tls = site.get('tls') or {}
    yield from _one_of(tls.get('mode'), TLS_MODES, path + '.tls.mode')
    yield from _one_of(tls.get('key_type'), KEY_TYPES, path + '.tls.key_type')
    yield from _one_of(tls.get('challenge'), CHALLENGES, path + '.tls.challenge')
    for index, loc in enumerate(site.get('locations') or []):
        where = '%s.locations[%d]' % (path, index)
        yield from _one_of(loc.get('kind'), KINDS, where + '.kind')
        if loc.get('code') is not None:
            yield from _one_of(int(loc['code']), REDIRECT_CODES, where + '.code')


def site_name(site, path, ctx):
    if not NAME_RE.match(str(site.get('name', ''))):
        yield '%s.name (%s) must be letters, digits, ".", "-" and "_"' % (path, site.get('name'))


def site_unique_name(site, path, ctx):
    index = rules.index_of(path)
    if site.get('name') in [s.get('name') for s in ctx.sites[:index]]:
        yield '%s.name (%s) is a duplicate: two sites with the same name' % (path, site.get('name'))


def site_server_names(site, path, ctx):
    names = site.get('server_names') or []
    if not names:
        yield '%s.server_names must name at least one host' % path
    for index, name in enumerate(names):
        if not rules.is_token(name):
            yield ('%s.server_names[%d] (%s) must be one host name without spaces, quotes, ";" or braces'
                   % (path, index, name))


def site_listen(site, path, ctx):
    listens = _listens(site)
    for suffix, values in listens:
        for index, value in enumerate(values):
            if rules.listen_port(value) is None:
                yield '%s.%s[%d] (%s) must be a port (1-65535) or address:port' % (path, suffix, index, value)
    if not any(values for _suffix, values in listens):
        yield '%s has nothing to listen on (listen and tls.listen are empty)' % path


def site_name_clash(site, path, ctx):
    """Two enabled sites with the same server name on the same port (nginx only warns, then ignores one)."""
    if _with_defaults(site, SITE_DEFAULTS)['state'] != 'present':
        return
    index = rules.index_of(path)
    mine = _name_ports(site)
    for other_index, other in enumerate(ctx.sites[:index]):
        if _with_defaults(other, SITE_DEFAULTS)['state'] != 'present':
            continue
        for key in sorted(mine & _name_ports(other)):
            name, port = key.split(' ', 1)
            yield ('%s (%s) clashes with site_sites[%d] (%s): server name %s on %s is declared twice'
                   % (path, site.get('name'), other_index, other.get('name'), name, port))


def _name_ports(site):
    ports = {rules.listen_key(v) for _suffix, values in _listens(site) for v in values if rules.listen_port(v)}
    return {'%s %s' % (str(n).lower(), p) for n in site.get('server_names') or [] for p in ports}


def site_tls(site, path, ctx):
    tls = _tls(site)
    if not tls:
        return
    mode = tls.get('mode')
    if mode in ('files', 'paths'):
        for key in ('cert_src', 'key_src') if mode == 'files' else ('cert', 'key'):
            if not tls[key]:
                yield '%s.tls.%s is required with tls.mode=%s (a certificate needs its key)' % (path, key, mode)
    if mode == 'files':
        for key in ('cert_src', 'key_src'):
            if tls[key] and not os.path.isfile(os.path.expanduser(str(tls[key]))):
                yield '%s.tls.%s (%s) is not a file on the controller' % (path, key, tls[key])
    elif mode == 'acme' and not ctx.acme_directory:
        yield '%s.tls.mode=acme needs site_acme_directory' % path
    if tls['challenge'] and mode != 'acme':
        yield '%s.tls.challenge (%s) is only for tls.mode=acme' % (path, tls['challenge'])
    if tls['ocsp_stapling'] and mode == 'selfsigned':
        yield '%s.tls.ocsp_stapling cannot be used with a self-signed certificate' % path


def site_acme_names(site, path, ctx):
    """The names of an ACME certificate: host names; a wildcard (*.example.test) only with dns-01."""
    tls = _tls(site)
    if not (tls and tls.get('mode') == 'acme'):
        return
    dns01 = tls['challenge'] == 'dns-01'
    for index, name in enumerate(site.get('server_names') or []):
        name = str(name)
        where = '%s.server_names[%d] (%s)' % (path, index, name)
        if not ACME_NAME_RE.match(name):
            yield ('%s cannot be in an ACME certificate: a host name, or *. and a host name with tls.challenge=dns-01'
                   % where)
        elif name.startswith('*.') and not dns01:
            yield ('%s is a wildcard: an ACME CA validates it only with tls.challenge=dns-01 (this site uses %s)'
                   % (where, tls['challenge'] or 'http-01'))


def site_acme_dns(site, path, ctx):
    """dns-01 adds TXT records with RFC 2136 updates: it needs the DNS server and the TSIG key."""
    tls = _tls(site)
    if not (tls and tls.get('mode') == 'acme' and tls['challenge'] == 'dns-01'):
        return
    dns = ctx.acme_dns or {}
    for key, what in (('server', 'the DNS server that takes the RFC 2136 updates'),
                      ('key_name', 'the name of the TSIG key'), ('key_secret', 'the TSIG key (base64)')):
        if not dns.get(key):
            yield '%s.tls.challenge=dns-01 needs site_acme_dns_%s (%s)' % (path, key, what)


def acme_dns_problems(ctx) -> list[str]:
    """The role-wide RFC 2136 settings (site_acme_dns_*), checked when a site uses dns-01."""
    if not any((_tls(s) or {}).get('challenge') == 'dns-01' for s in ctx.sites if isinstance(s, dict)):
        return []
    dns = ctx.acme_dns or {}
    out = []
    if dns.get('server') and not DNS_SERVER_RE.match(str(dns['server'])):
        out.append('site_acme_dns_server (%s) must be a host name or an IP address' % dns['server'])
    if dns.get('port') is not None and not rules.is_port(dns['port']):
        out.append('site_acme_dns_port (%s) must be a port (1-65535)' % dns['port'])
    if dns.get('zone') and not DNS_ZONE_RE.match(str(dns['zone'])):
        out.append('site_acme_dns_zone (%s) must be a DNS zone name (example.test)' % dns['zone'])
    if dns.get('key_name') and not DNS_ZONE_RE.match(str(dns['key_name'])):
        out.append('site_acme_dns_key_name (%s) must be a DNS name (letters, digits, "-", "_" and dots)'
                   % dns['key_name'])
    if dns.get('ttl') is not None and not 1 <= int(dns['ttl']) <= 86400:
        out.append('site_acme_dns_ttl (%s) must be 1 to 86400 seconds' % dns['ttl'])
    return out


# nginx of each Debian release, for a host where nginx is not installed yet
# (a fresh host, checked before the nginx role installs it).
DEBIAN_NGINX_HTTP3 = {'12': False, '13': True}


def site_http3(site, path, ctx):
    """tls.http3 needs nginx built with http_v3_module: said before any change, not by nginx -t."""
    tls = _tls(site)
    if not (tls and tls['http3']):
        return
    if not tls['listen']:
        yield '%s.tls.http3 needs tls.listen (QUIC listens on the ports of HTTPS)' % path
    nginx = (ctx.facts or {}).get('nginx') or {}
    if nginx.get('installed'):
        able, what = bool(nginx.get('http3')), 'nginx %s on this host' % nginx.get('version')
    else:
        release = str((ctx.facts or {}).get('distribution_major_version') or '')
        able = DEBIAN_NGINX_HTTP3.get(release, True) if (ctx.facts or {}).get('distribution') == 'Debian' else True
        what = "Debian %s's nginx" % release
    if not able:
        yield ('%s.tls.http3 needs nginx with the HTTP/3 module (http_v3_module): %s is built without it '
               '(Debian 13 and its nginx 1.26 have it)' % (path, what))


_PEM_MARKS = {'ca_src': (b'-----BEGIN CERTIFICATE-----', 'a PEM certificate (the CA that signs the clients)'),
              'crl_src': (b'-----BEGIN X509 CRL-----', 'a PEM certificate revocation list')}


def _pem_problem(src, key, where):
    """A controller file of client_auth that is missing or does not hold what nginx will read from it."""
    path = os.path.expanduser(str(src))
    if not os.path.isfile(path):
        return '%s.%s (%s) is not a file on the controller' % (where, key, src)
    mark, what = _PEM_MARKS[key]
    try:
        with open(path, 'rb') as handle:
            data = handle.read(1024 * 1024)
    except OSError as exc:
        return '%s.%s (%s) cannot be read on the controller: %s' % (where, key, src, exc.strerror or exc)
    if mark not in data:
        return '%s.%s (%s) does not hold %s' % (where, key, src, what)
    return None


def site_client_auth(site, path, ctx):
    """tls.client_auth (client certificates) of the site and the locations that require one."""
    raw = (site.get('tls') or {}).get('client_auth') if isinstance(site.get('tls'), dict) else None
    where = path + '.tls.client_auth'
    if raw:
        auth = _with_defaults(raw, CLIENT_AUTH_DEFAULTS)
        for src, host in (('ca_src', 'ca'), ('crl_src', 'crl')):
            if auth[src] and auth[host]:
                yield '%s: %s and %s are mutually exclusive (a file of the controller or one on the host)' % (
                    where, src, host)
        if not (auth['ca_src'] or auth['ca']):
            yield '%s needs ca_src (a file of the controller) or ca (a file on the host): the CA of the clients' % where
        for key in ('ca_src', 'crl_src'):
            if auth[key]:
                problem = _pem_problem(auth[key], key, where)
                if problem:
                    yield problem
        for key in ('ca', 'crl'):
            if auth[key] and not HOST_PATH_RE.match(str(auth[key])):
                yield '%s.%s (%s) must be an absolute path without spaces, quotes, ";" or braces' % (where, key, auth[key])
        yield from _one_of(auth['verify'], tuple(CLIENT_VERIFY), where + '.verify')
        try:
            depth = int(auth['depth'])
        except (TypeError, ValueError):
            depth = None
        if depth is None or not CLIENT_DEPTH[0] <= depth <= CLIENT_DEPTH[1]:
            yield '%s.depth (%s) must be %d to %d (certificates between the client and the CA, nginx ssl_verify_depth)' % (
                where, auth['depth'], CLIENT_DEPTH[0], CLIENT_DEPTH[1])
        tls = _tls(site)
        if auth['verify'] == 'required' and _with_defaults(site, SITE_DEFAULTS)['listen'] and not tls['redirect']:
            yield ('%s.verify=required needs tls.redirect (or no plain listen): the plain HTTP server would serve the '
                   'site without a client certificate' % where)
    for index, loc in enumerate(site.get('locations') or []):
        value = (loc or {}).get('client_auth')
        if value is None:
            continue
        loc_where = '%s.locations[%d].client_auth' % (path, index)
        if value not in LOCATION_CLIENT_AUTH:
            yield '%s (%s) must be one of %s' % (loc_where, value, ', '.join(LOCATION_CLIENT_AUTH))
        elif not raw:
            yield ('%s needs the site\'s tls.client_auth (the CA that verifies the clients, %s)'
                   % (loc_where, where))


ERROR_PAGE_CODES = (404, 500, 502, 503, 504)


def site_error_pages(site, path, ctx):
    pages = site.get('error_pages') or {}
    for code, src in sorted(pages.items(), key=lambda item: str(item[0])):
        if str(code) not in [str(c) for c in ERROR_PAGE_CODES]:
            yield '%s.error_pages.%s: the status must be one of %s' % (path, code, ', '.join(map(str, ERROR_PAGE_CODES)))
        elif not src or not os.path.isfile(os.path.expanduser(str(src))):
            yield '%s.error_pages.%s (%s) is not a file on the controller' % (path, code, src)


def site_headers(site, path, ctx):
    yield from _header_problems(site.get('headers') or {}, path + '.headers')


def _header_problems(headers, path):
    for name, value in headers.items():
        if not HEADER_NAME_RE.match(str(name)):
            yield '%s: %s is not a header name (letters, digits and "-")' % (path, name)
        elif value is not None and not HEADER_VALUE_RE.match(str(value)):
            yield '%s.%s must be one line without double quotes or backslashes' % (path, name)


def site_addresses(site, path, ctx):
    for index, value in enumerate(site.get('allow') or []):
        if str(value) not in ('all', 'unix:') and not rules.is_address_or_network(value):
            yield '%s.allow[%d] (%s) must be an IPv4 or IPv6 address, a CIDR range or unix:' % (path, index, value)


def site_real_ip_from(site, path, ctx):
    """The hops whose X-Forwarded-For the site believes: addresses or ranges, never a name or "all"."""
    for index, value in enumerate(site.get('real_ip_from') or []):
        if not rules.is_address_or_network(value):
            yield '%s.real_ip_from[%d] (%s) must be an IPv4 or IPv6 address or a CIDR range' % (path, index, value)
    if site.get('real_ip_from'):
        # With real_ip_from, the site checks `allow` against the address of the
        # connection with a geo block (nginx's allow would see the client's),
        # and geo knows no unix: peers.
        for index, value in enumerate(site.get('allow') or []):
            if str(value) == 'unix:':
                yield ('%s.allow[%d] (unix:) cannot be used with real_ip_from (the site checks allow against the '
                       'address of the connection)' % (path, index))


def site_request_id(site, path, ctx):
    """request_id=keep takes the X-Request-ID of every client the site lets in: only for a site closed to the rest."""
    for where, headers in [(path, site.get('headers'))] + [
            ('%s.locations[%d]' % (path, index), (loc or {}).get('headers'))
            for index, loc in enumerate(site.get('locations') or [])]:
        for name in headers or {}:
            if str(name).lower() == REQUEST_ID_HEADER.lower():
                yield '%s.headers.%s is sent by the site itself (the id of the request, see request_id)' % (where, name)
    if site.get('request_id') == 'keep':
        allow = [str(v) for v in site.get('allow') or []]
        if not allow or 'all' in allow:
            yield ('%s.request_id=keep needs allow (the hosts whose X-Request-ID the site keeps): open to everyone, '
                   'any client would choose the id of its requests' % path)


def site_locations(site, path, ctx):
    seen = []
    upstream_names = [u.get('name') for u in ctx.upstreams]
    for index, raw in enumerate(site.get('locations') or []):
        loc = _with_defaults(raw, LOCATION_DEFAULTS)
        where = '%s.locations[%d]' % (path, index)
        location = str(loc.get('path', ''))
        if not LOCATION_RE.match(location):
            yield '%s.path (%s) must be a location match without ";" or braces' % (where, location)
        elif location in seen:
            yield '%s.path (%s) is declared twice in the site' % (where, location)
        seen.append(location)
        kind = loc.get('kind')
        if kind == 'uwsgi' and not SOCKET_RE.match(str(loc['socket'] or '')):
            yield ('%s.socket (%s) must be the absolute path of a unix socket, without spaces, quotes, ";" or braces'
                   % (where, loc['socket'] or ''))
        elif kind == 'upstream' and loc['upstream'] not in upstream_names:
            yield '%s.upstream (%s) must name an entry of site_upstreams' % (where, loc['upstream'] or '')
        elif kind == 'proxy' and not BACKEND_RE.match(str(loc['backend'] or '')):
            yield '%s.backend (%s) must be an http:// or https:// URL with kind=proxy' % (where, loc['backend'] or '')
        elif kind == 'static' and bool(loc['root']) == bool(loc['alias']):
            yield '%s needs exactly one of root and alias with kind=static' % where
        elif kind == 'redirect' and not loc['target']:
            yield '%s.target is required with kind=redirect' % where
        yield from _header_problems(loc['headers'] or {}, where + '.headers')


def _levels(site, path):
    """(path, entry) of the site and of each of its locations: the levels that take limits and basic auth."""
    yield path, site
    for index, loc in enumerate(site.get('locations') or []):
        yield '%s.locations[%d]' % (path, index), loc or {}


def _status(value, where):
    if value is not None and not 400 <= int(value) <= 599:
        yield '%s (%s) must be an HTTP error status, 400-599' % (where, value)


def _zone_size(value, where):
    match = ZONE_SIZE_RE.match(str(value)) if value is not None else True
    if not match:
        yield '%s (%s) must be a size in k or m, for example 10m' % (where, value)
    elif match is not True and int(match.group(1)) * (1024 if match.group(2) in 'mM' else 1) < ZONE_SIZE_MIN_K:
        yield '%s (%s) must be at least %dk (nginx needs 8 pages)' % (where, value, ZONE_SIZE_MIN_K)


def site_limits(site, path, ctx):
    """limit_req and limit_conn of the site and of each location: what nginx would reject, each named."""
    for where, entry in _levels(site, path):
        req = entry.get('limit_req')
        if req:
            req_path = where + '.limit_req'
            if not RATE_RE.match(str(req.get('rate') or '')):
                yield ('%s.rate (%s) must be requests per second or minute, for example 10r/s or 60r/m'
                       % (req_path, req.get('rate') or ''))
            for key in ('burst', 'delay'):
                if req.get(key) is not None and int(req[key]) < 0:
                    yield '%s.%s (%s) must be 0 or more' % (req_path, key, req[key])
            if req.get('nodelay') and req.get('delay') is not None:
                yield '%s: nodelay and delay are mutually exclusive (delay=N delays past the first N excess requests)' % req_path
            yield from _status(req.get('status'), req_path + '.status')
            yield from _zone_size(req.get('zone_size'), req_path + '.zone_size')
        conn = entry.get('limit_conn')
        if conn:
            conn_path = where + '.limit_conn'
            if conn.get('max') is not None and int(conn['max']) < 1:
                yield '%s.max (%s) must be 1 or more' % (conn_path, conn['max'])
            yield from _status(conn.get('status'), conn_path + '.status')
            yield from _zone_size(conn.get('zone_size'), conn_path + '.zone_size')


def site_basic_auth(site, path, ctx):
    """basic_auth of the site and of each location: realm, users (never showing a password), satisfy."""
    for where, entry in _levels(site, path):
        auth = entry.get('basic_auth')
        if not auth:
            continue
        auth_path = where + '.basic_auth'
        yield from _one_of(auth.get('satisfy'), SATISFY, auth_path + '.satisfy')
        auth = _with_defaults(auth, BASIC_AUTH_DEFAULTS)
        if not auth['enabled']:
            continue
        if not REALM_RE.match(str(auth['realm'])) or str(auth['realm']).lower() == 'off':
            yield ('%s.realm (%s) must be one line without double quotes, backslashes or "$" (and not "off")'
                   % (auth_path, auth['realm']))
        users = auth['users'] or []
        if not users:
            yield '%s.users must name at least one user' % auth_path
        names = []
        for index, user in enumerate(users):
            user_path = '%s.users[%d]' % (auth_path, index)
            name = str(user.get('name') or '')
            if not AUTH_USER_RE.match(name):
                yield '%s.name (%s) must be a user name without ":" or white space, not starting with "#"' % (user_path, name)
            elif name in names:
                yield '%s.name (%s) is a duplicate: two users with the same name' % (user_path, name)
            names.append(name)
            if user.get('password') is None or str(user.get('password')) == '':
                yield '%s.password must not be empty' % user_path
        if auth['satisfy'] == 'any':
            allow = [str(v) for v in site.get('allow') or []]
            if not allow or 'all' in allow:
                yield ('%s.satisfy=any needs the site\'s allow (the hosts let in without a password)' % auth_path)
            elif site.get('real_ip_from'):
                yield ('%s.satisfy=any cannot be used with real_ip_from (the site checks allow with a geo block, '
                       'not with nginx\'s access module that satisfy combines)' % auth_path)


def site_cache_rule(site, path, ctx):
    """The site's cache and its locations' (plugins/plugin_utils/site_cache.py)."""
    yield from site_cache.site_rules(site, path, ctx.sites[:rules.index_of(path)], ctx.cache_dir)


SITE_RULES = (site_choices, site_name, site_unique_name, site_server_names, site_listen, site_name_clash, site_tls,
              site_acme_names, site_acme_dns, site_http3, site_client_auth,
              site_headers, site_error_pages, site_addresses, site_real_ip_from, site_request_id, site_locations,
              site_cache_rule, site_limits, site_basic_auth)


# ---------------------------------------------------------------- upstream rules

def upstream_name(up, path, ctx):
    if not UPSTREAM_NAME_RE.match(str(up.get('name', ''))):
        yield '%s.name (%s) must be letters, digits, ".", "-" and "_"' % (path, up.get('name'))
    index = rules.index_of(path)
    if up.get('name') in [u.get('name') for u in ctx.upstreams[:index]]:
        yield '%s.name (%s) is a duplicate: two upstreams with the same name' % (path, up.get('name'))


def upstream_choices(up, path, ctx):
    yield from _one_of(up.get('balance'), BALANCES, path + '.balance')
    yield from _one_of(up.get('protocol'), PROTOCOLS, path + '.protocol')


def upstream_balance(up, path, ctx):
    up = _with_defaults(up, UPSTREAM_DEFAULTS)
    if up['balance'] == 'hash' and not up['hash_key']:
        yield '%s.hash_key is required with balance=hash' % path


def upstream_servers_rule(up, path, ctx):
    up = _with_defaults(up, UPSTREAM_DEFAULTS)
    count = len(up['servers'])
    for index, server in enumerate(up['servers']):
        if up['balance'] in ('ip_hash', 'hash') and server.get('backup'):
            yield '%s.servers[%d].backup cannot be used with balance=%s' % (path, index, up['balance'])
        if not ADDRESS_RE.match(str(server.get('address', ''))):
            yield '%s.servers[%d].address (%s) must be host:port or unix:/path' % (path, index, server.get('address', ''))
    source = up['servers_from_group']
    if source:
        group = source.get('group')
        if group not in ctx.groups:
            yield '%s.servers_from_group.group (%s): inventory group does not exist' % (path, group)
            return
        try:
            count += len(_group_servers(source, ctx))
        except UpstreamError as exc:
            yield '%s.servers_from_group: %s' % (path, str(exc).replace('upstream_servers: ', ''))
            return
    if count == 0:
        yield '%s (%s) has no servers (servers and servers_from_group are empty)' % (path, up.get('name'))


UPSTREAM_RULES = (upstream_choices, upstream_name, upstream_balance, upstream_servers_rule)


def _group_servers(source, ctx):
    return upstream_servers(ctx.groups, ctx.hostvars, source.get('group'), port=source.get('port'),
                            port_var=source.get('port_var'), address_var=source.get('address_var'),
                            params=source.get('params') or {})


def problems(ctx: Context) -> list[str]:
    """Every problem of ``ctx.sites`` and ``ctx.upstreams``."""
    return (rules.run(ctx.sites, SITE_RULES, 'site_sites', ctx) + acme_dns_problems(ctx)
            + rules.run(ctx.upstreams, UPSTREAM_RULES, 'site_upstreams', ctx))


# ---------------------------------------------------------------- normalization

def normalize(ctx: Context, settings: dict) -> dict:
    """``{'sites': [...], 'upstreams': [...]}`` with every default filled and every derived value computed.

    ``settings`` holds the role-wide variables a site reads: ``security_headers``,
    ``hsts_max_age``, ``hsts_include_subdomains``, ``tls_dir``, ``tls_key_type``,
    ``template``, ``available_dir``, ``enabled_dir``, ``snippets_dir``,
    ``proxy_next_upstream``, ``logs`` (site_logs), ``log_dir`` and
    ``cache_dir`` (site_cache_dir). Only call it on input without problems.
    """
    upstreams = [_normalize_upstream(u, ctx, settings) for u in ctx.upstreams]
    by_name = {u['name']: u for u in upstreams}
    sites = [_normalize_site(s, by_name, settings) for s in ctx.sites]
    _quic_reuseport(sites)
    for index, site in enumerate(sites):
        site['index'] = index
        # allow/deny would check the client's address once real_ip_from has
        # replaced it: such a site checks the connection's address
        # ($realip_remote_addr) with a geo block of its own instead.
        site['deny_var'] = 'site_denied_%d' % index if site['access'] == 'geo' else None
    return {'sites': sites, 'upstreams': upstreams, 'default_tls_listen': _default_tls_listen(sites),
            'host_files': _host_files(sites)}


def _host_files(sites):
    """The files the sites name on the host, which must exist: ``path`` and the ``msg`` if not.

    The keys and certificates of tls.mode=paths sites, and the client CA and
    CRL given as ``tls.client_auth.ca`` and ``.crl``.
    """
    out = []
    for site in sites:
        if not (site['managed'] and site['tls']):
            continue
        if site['tls']['mode'] == 'paths':
            for key in ['cert', 'key'] + (['chain'] if site['tls'].get('chain') else []):
                out.append({'path': site['tls'][key], 'msg': 'site_sites[%d].tls.%s (%s) does not exist on the host.'
                            % (site['index'], key, site['tls'][key])})
        # client_auth.ca and .crl given as paths on the host (not copied from the controller)
        auth = site['tls']['client_auth']
        copied = [f['path'] for f in auth['files']] if auth else []
        for key in ('ca', 'crl') if auth else ():
            if auth[key] and auth[key] not in copied:
                out.append({'path': auth[key], 'msg': 'site_sites[%d].tls.client_auth.%s (%s) does not exist on the host.'
                            % (site['index'], key, auth[key])})
    return out


def _quic_reuseport(sites):
    """QUIC listens: ``reuseport`` on the first enabled site of each address, as nginx wants it once per address.

    With more than one worker, QUIC needs ``reuseport`` (the kernel then hands
    each connection's packets to the same worker); nginx refuses the option
    twice on one address:port, so only the first site of the host that listens
    there with QUIC carries it.
    """
    seen = set()
    for site in sites:
        tls = site['tls']
        if not (tls and tls['http3']):
            continue
        lines = []
        for value in tls['listen_all']:
            key = rules.listen_key(value)
            first = site['enabled'] and key not in seen
            if site['enabled']:
                seen.add(key)
            lines.append('%s quic%s%s' % (value, ' reuseport' if first else '', site['default_server_flag']))
        tls['quic_lines'] = lines


def _default_tls_listen(sites):
    """TLS listen values of the enabled sites that no site serves as default_server (for the catch-all)."""
    wanted, taken = [], set()
    for site in sites:
        if not (site['enabled'] and site['tls']):
            continue
        for value in site['tls']['listen_all']:
            if site['default_server']:
                taken.add(rules.listen_key(value))
            elif value not in wanted:
                wanted.append(value)
    return [v for v in wanted if rules.listen_key(v) not in taken]


def _normalize_upstream(raw, ctx, settings):
    up = _with_defaults(raw, UPSTREAM_DEFAULTS)
    servers = [_with_defaults(s, SERVER_DEFAULTS) for s in up['servers']]
    if up['servers_from_group']:
        servers += [_with_defaults(s, SERVER_DEFAULTS) for s in _group_servers(up['servers_from_group'], ctx)]
    up['servers'] = servers
    up['keepalive'] = int(up['keepalive'])
    up['next_upstream'] = up['next_upstream'] or settings['proxy_next_upstream']
    del up['servers_from_group']
    return up


def _normalize_site(raw, upstreams, settings):
    site = _with_defaults(raw, SITE_DEFAULTS)
    name = site['name']
    site['listen'] = [str(v) for v in site['listen']]
    # dual stack: [::]:port beside each bare port where the host runs IPv6
    site['ipv6'] = bool((settings.get('ipv6', True) if site['ipv6'] is None else site['ipv6'])
                        and settings.get('host_ipv6'))
    site['listen_all'] = rules.dual_stack(site['listen'], site['ipv6'])
    site['default_server_flag'] = ' default_server' if site['default_server'] else ''
    site['enabled'] = site['state'] == 'present'
    site['managed'] = site['state'] != 'absent'
    site['template'] = site['template'] or settings['template']
    site['files'] = {
        'conf': '%s/%s.conf' % (settings['available_dir'], name),
        'link': '%s/%s.conf' % (settings['enabled_dir'], name),
        'headers': '%s/site-%s-headers.conf' % (settings['snippets_dir'], name),
    }
    tls = _tls(raw)
    if tls:
        tls['listen'] = [str(v) for v in tls['listen']]
        # (how HTTP/2 is turned on, `http2 on;` or `listen ... http2`, is the
        # template's: it reads the nginx fact of the run, which a fleet's check
        # before nginx is installed does not know yet)
        tls['listen_all'] = rules.dual_stack(tls['listen'], site['ipv6'])
        tls['quic_lines'] = []  # normalize() fills them in, once every site is known
        tls['key_type'] = tls['key_type'] or settings['tls_key_type']
        tls['redirect_port'] = tls['listen'][0].rsplit(':', 1)[-1] if tls['listen'] else '443'
        tls['owned'] = tls['mode'] != 'paths'
        tls['challenge'] = (tls['challenge'] or 'http-01') if tls['mode'] == 'acme' else None
        tls['dir'] = '%s/%s' % (settings['tls_dir'], name)
        if tls['owned']:
            tls['cert'] = tls['dir'] + '/fullchain.pem'
            tls['key'] = tls['dir'] + '/privkey.pem'
            tls['chain'] = tls['dir'] + '/chain.pem' if tls['mode'] == 'acme' else None
            # what a run makes, orders, receives or copies from the controller lands here first; it goes live
            # with the sites, in the change that nginx -t checks as a whole (site_plan.tls_files)
            tls['staged_dir'] = tls['dir'] + '/staged'
            tls['staged_cert'] = tls['staged_dir'] + '/fullchain.pem'
            tls['staged_key'] = tls['staged_dir'] + '/privkey.pem'
            tls['staged_chain'] = tls['staged_dir'] + '/chain.pem' if tls['mode'] == 'acme' else None
            tls['staged_leaf'] = tls['staged_dir'] + '/cert.pem' if tls['mode'] == 'acme' else None
        tls['client_auth'] = _client_auth(tls)
    site['tls'] = tls
    site['acme'] = bool(tls and tls['mode'] == 'acme')
    # the verified client certificate, passed on by every location that passes requests on (none without client_auth)
    auth = tls['client_auth'] if tls else None
    site['client_headers'] = [('X-SSL-Client-' + name, var) for name, var in CLIENT_VARS] if auth else []
    site['client_params'] = ([('SSL_CLIENT_' + name.upper().replace('-', '_'), var) for name, var in CLIENT_VARS]
                             + [('HTTP_X_SSL_CLIENT_' + name.upper().replace('-', '_'), var) for name, var in CLIENT_VARS]
                             if auth else [])
    headers = {}
    for key, value in list((settings['security_headers'] or {}).items()) + list(site['headers'].items()):
        headers[key] = value
    headers = {k: str(v) for k, v in headers.items() if v is not None and v != ''}
    if tls and tls['http3'] and tls['listen']:
        # the value is rendered inside nginx's double quotes: its own are escaped
        headers['Alt-Svc'] = 'h3=\\":%s\\"; ma=86400' % tls['redirect_port']
    if tls and tls['hsts']:
        headers['Strict-Transport-Security'] = 'max-age=%d%s' % (
            int(settings['hsts_max_age']), '; includeSubDomains' if settings['hsts_include_subdomains'] else '')
    # The id of the request goes back to the client too; a proxied location
    # hides the backend's copy like that of every header the site sets.
    headers[REQUEST_ID_HEADER] = REQUEST_ID_VAR
    site['headers'] = headers
    site['real_ip_from'] = [str(v) for v in site['real_ip_from']]
    site['allow'] = list(dict.fromkeys(str(v) for v in site['allow']))
    site['access'] = (None if not site['allow'] or 'all' in site['allow']
                      else 'geo' if site['real_ip_from'] else 'allow')
    site['request_id_var'] = REQUEST_ID_VAR
    site['request_id_source'] = REQUEST_ID_KEPT_VAR if site['request_id'] == 'keep' else None
    site['locations'] = [_normalize_location(loc, headers, upstreams, name) for loc in site['locations']]
    site['cache'] = site_cache.site(site, site['locations'], settings.get('cache_dir') or '/var/cache/nginx/site')
    _normalize_traffic(site, settings)
    site['logs'] = site['logs'] or settings.get('logs') or 'shared'
    # error pages of the site's own (files of the controller), each served from an internal location
    errors_dir = '%s/%s' % (str(settings.get('errors_dir') or '/etc/nginx/site-errors').rstrip('/'), name)
    site['error_pages'] = [{'code': int(code), 'src': os.path.expanduser(str(src)), 'uri': '/.site-error-%s.html' % code,
                            'path': '%s/%s.html' % (errors_dir, code)}
                           for code, src in sorted(site['error_pages'].items(), key=lambda item: int(item[0]))]
    site['error_pages_dir'] = errors_dir
    site.update(_log_directives(site['name'], site['logs'], settings))
    return site


def _client_auth(tls):
    """The client certificates of a site's TLS server: the files (where they come from) and the directives.

    The CA (and the CRL) of ``ca_src``/``crl_src`` are copied from the
    controller to the site's TLS directory (``client-ca.pem``,
    ``client-crl.pem``), in the change that ``nginx -t`` checks; ``ca`` and
    ``crl`` name files already on the host.
    """
    raw = tls.get('client_auth')
    if not raw:
        return None
    auth = _with_defaults(raw, CLIENT_AUTH_DEFAULTS)
    files = []
    for src_key, host_key, name in (('ca_src', 'ca', 'client-ca.pem'), ('crl_src', 'crl', 'client-crl.pem')):
        if auth[src_key]:
            auth[host_key] = '%s/%s' % (tls['dir'], name)
            files.append({'path': auth[host_key], 'src': os.path.expanduser(str(auth[src_key]))})
        elif auth[host_key]:
            auth[host_key] = str(auth[host_key])
    auth['depth'] = int(auth['depth'])
    auth['files'] = files
    auth['lines'] = ['ssl_client_certificate %s' % auth['ca'], 'ssl_verify_client %s' % CLIENT_VERIFY[auth['verify']],
                     'ssl_verify_depth %d' % auth['depth']] + (['ssl_crl %s' % auth['crl']] if auth['crl'] else [])
    return auth


def _limit_lines(name, req, conn):
    """(zones, directives) of one level's limit_req and limit_conn; ``name`` names its zones."""
    zones, lines = [], []
    if req:
        req = _with_defaults(req, LIMIT_REQ_DEFAULTS)
        zone = '%s_req' % name
        zones.append('limit_req_zone %s zone=%s:%s rate=%s' % (LIMIT_KEY, zone, req['zone_size'], req['rate']))
        args = 'zone=%s' % zone + (' burst=%d' % int(req['burst']) if int(req['burst']) else '')
        args += ' nodelay' if req['nodelay'] else ' delay=%d' % int(req['delay']) if req['delay'] is not None else ''
        lines += ['limit_req %s' % args, 'limit_req_status %d' % int(req['status']),
                  'limit_req_dry_run %s' % ('on' if req['dry_run'] else 'off')]
    if conn:
        conn = _with_defaults(conn, LIMIT_CONN_DEFAULTS)
        zone = '%s_conn' % name
        zones.append('limit_conn_zone %s zone=%s:%s' % (LIMIT_KEY, zone, conn['zone_size']))
        lines += ['limit_conn %s %d' % (zone, int(conn['max'])), 'limit_conn_status %d' % int(conn['status']),
                  'limit_conn_dry_run %s' % ('on' if conn['dry_run'] else 'off')]
    return zones, lines


def _auth(raw, path):
    """(directives, file) of one level's basic_auth: None when it has none, ``auth_basic off`` when disabled.

    ``file`` (``path`` and the user names) is the password file; the passwords
    stay out of the normalized sites (site_plan reads them from the input and
    hashes them into the file's content).
    """
    if not raw:
        return None, None
    auth = _with_defaults(raw, BASIC_AUTH_DEFAULTS)
    if not auth['enabled']:
        return ['auth_basic off'], None
    lines = ['satisfy %s' % auth['satisfy'], 'auth_basic "%s"' % auth['realm'], 'auth_basic_user_file %s' % path]
    return lines, {'path': path, 'users': [str(u['name']) for u in auth['users']]}


def _normalize_traffic(site, settings):
    """Limits and basic auth of the site and its locations: the zones (http level), directives and password files.

    A location's own limit_req, limit_conn or basic_auth replaces the site's
    (its directives are rendered there; nginx inherits a server's only into
    locations without any). Zones are named after the site (and the
    location's index), so each is declared once in http{}.
    """
    name = site['name']
    auth_dir = str(settings.get('auth_dir') or '/etc/nginx/site-auth').rstrip('/')
    zones, site['limits'] = _limit_lines('site_%s' % name, site.pop('limit_req'), site.pop('limit_conn'))
    site['auth'], auth_file = _auth(site.pop('basic_auth'), '%s/%s.htpasswd' % (auth_dir, name))
    files = [dict(auth_file, location=None)] if auth_file else []
    for index, loc in enumerate(site['locations']):
        loc_zones, loc['limits'] = _limit_lines('site_%s_loc%d' % (name, index), loc.pop('limit_req'),
                                                loc.pop('limit_conn'))
        zones += loc_zones
        loc['auth'], loc_file = _auth(loc.pop('basic_auth'), '%s/%s.loc%d.htpasswd' % (auth_dir, name, index))
        if loc_file:
            files.append(dict(loc_file, location=index))
    site['limit_zones'] = zones
    site['auth_files'] = files
    site['auth_dir'] = auth_dir


def _log_directives(name, logs, settings):
    """The site's access_log and error_log directives' arguments (None: nginx's own logs, the http{} ones).

    ``own`` logs are files named after the site in the log directory, which
    Debian's logrotate for nginx rotates (``/var/log/nginx/*.log``), in the
    format the nginx role chose; ``none`` turns the site's access log off.
    An access_log of a server replaces the http{} ones there: ``own`` logs
    also include the access logs other roles add to every server
    (``access_logs_include``, the metrics role's 5xx log).
    """
    prefix = '%s/%s' % (str(settings.get('log_dir') or '/var/log/nginx').rstrip('/'), name)
    return {
        'access_log': ('%s.access.log %s' % (prefix, ACCESS_LOG_FORMAT) if logs == 'own'
                       else 'off' if logs == 'none' else None),
        'access_logs_include': settings.get('access_logs_include') if logs == 'own' else None,
        'error_log': '%s.error.log warn' % prefix if logs == 'own' else None,
    }


def _normalize_location(raw, site_headers, upstreams, site_name):
    loc = _with_defaults(raw, LOCATION_DEFAULTS)
    loc['headers'] = {k: str(v) for k, v in (loc['headers'] or {}).items() if v is not None and v != ''}
    loc['headers'].update(site_cache.status_headers(loc))
    # A backend that sends a header this site adds too would send it twice:
    # hide the backend's copy of every header the site sets.
    names = list(site_headers) + [n for n in loc['headers'] if n.lower() not in {s.lower() for s in site_headers}]
    loc['hide_headers'] = names if loc['kind'] in ('uwsgi', 'upstream', 'proxy') else []
    if loc['kind'] == 'upstream':
        up = upstreams[loc['upstream']]
        loc['protocol'] = up['protocol']
        loc['next_upstream'] = up['next_upstream']
        loc['keepalive'] = up['keepalive'] > 0
    loc['cache'] = site_cache.location(loc, site_name)
    loc['code'] = int(loc['code'])
    # (only with the site's tls.client_auth, the rules see to it)
    loc['client_auth_required'] = loc['client_auth'] == 'required'
    return loc


# ---------------------------------------------------------------- shared certificates

MADE_MODES = ('selfsigned', 'acme')


def tls_peers(host: str, play_hosts, sites_of) -> dict:
    """For each site whose key and certificate the role makes on ``host``, the hosts of the play that make them too.

    ``sites_of(h)`` returns the normalized sites of host ``h`` (None when it has
    none). Hosts that serve a site of the same name, TLS mode and server
    names share one key and certificate: the first of them (in play order) makes
    them (orders them from the ACME server), the others get copies.
    """
    def made(sites):
        return dict((s['name'], (s['tls']['mode'], sorted(str(n).lower() for n in s.get('server_names') or [])))
                    for s in sites or []
                    if s.get('tls') and s['tls']['mode'] in MADE_MODES and (s['enabled'] or s['tls']['mode'] == 'selfsigned'))

    mine = made(sites_of(host))
    peers = dict((name, []) for name in mine)
    for other in play_hosts:
        theirs = made(sites_of(other)) if other != host else mine
        for name, mode in mine.items():
            if theirs.get(name) == mode:
                peers[name].append(other)
    return peers
