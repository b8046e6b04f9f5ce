# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Caching of the site role's proxied locations: the rules and the normalization of ``cache``.

A site's ``cache`` defines where and how much it stores (one cache zone per
nginx module that uses it: ``proxy_cache_path`` for ``proxy`` and http
``upstream`` locations, ``uwsgi_cache_path`` for ``uwsgi`` and uwsgi
``upstream`` ones); a location's ``cache`` turns caching on there and says
for how long, what is never cached (requests with a session cookie or an
``Authorization`` header) and whether the client sees ``X-Cache-Status``.

:func:`site_rules` yields the problems (called by ``site_rules.site_cache``),
:func:`location` and :func:`site` compute every value the template renders,
once, in :func:`site_rules.normalize`.
"""

from __future__ import annotations

import re

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rules import with_defaults as _with_defaults

SIZE_RE = re.compile(r'^[0-9]+[kmg]?$', re.I)
# nginx's time syntax in seconds (ngx_parse_time): 90, 10m, 1h30m, 1d, 1w, 1M, 1y
TIME_RE = re.compile(r'^(?:[0-9]+[smhdwMy])*[0-9]+[smhdwMy]?$')
STATUS_RE = re.compile(r'^[1-5][0-9][0-9]$')
# a cookie name nginx can read as the variable $cookie_<name>
COOKIE_RE = re.compile(r'^[A-Za-z0-9_]+$')
PATH_RE = re.compile(r'^/[^\s;{}\'"\\]*$')
KEY_RE = re.compile(r'^[^\s;\'"\\]+$')
USE_STALE = ('error', 'timeout', 'invalid_header', 'updating', 'http_500', 'http_502', 'http_503', 'http_504',
             'http_403', 'http_404', 'http_429')
CACHED_KINDS = ('uwsgi', 'upstream', 'proxy')
STATUS_HEADER = 'X-Cache-Status'
STATUS_VAR = '$upstream_cache_status'

SITE_DEFAULTS = {'path': None, 'size': '10m', 'max_size': '1g', 'inactive': '10m'}
LOCATION_DEFAULTS = {
    'valid': {'200 301 302': '10m'},
    # Flask's session cookie: a logged-in page is never stored nor served from the cache
    'bypass_cookies': ['session'],
    'bypass_authorization': True,
    'status_header': False,
    'lock': True,
    'use_stale': [],
    'key': '$scheme$request_method$host$request_uri',
}


def site_path(site: dict, cache_dir: str) -> str:
    """The directory of a site's cache: its ``cache.path`` or ``<site_cache_dir>/<name>``."""
    cache = _with_defaults(site.get('cache'), SITE_DEFAULTS)
    return str(cache['path'] or '%s/%s' % (str(cache_dir).rstrip('/'), site.get('name'))).rstrip('/') or '/'


# ---------------------------------------------------------------- rules

def site_rules(site: dict, path: str, earlier: list, cache_dir: str):
    """Problems of ``site``'s ``cache`` and of its locations' (``earlier``: the sites before it)."""
    has_cache = site.get('cache') is not None
    if has_cache:
        cache = _with_defaults(site['cache'], SITE_DEFAULTS)
        where = path + '.cache'
        if cache['path'] is not None and (not PATH_RE.match(str(cache['path'])) or str(cache['path']).rstrip('/') == ''):
            yield '%s.path (%s) must be an absolute path without spaces, quotes, ";" or braces' % (where, cache['path'])
        elif cache['path'] is None and not PATH_RE.match(str(cache_dir)):
            yield ('%s.path: site_cache_dir (%s) must be an absolute path without spaces, quotes, ";" or braces'
                   % (where, cache_dir))
        else:
            mine = site_path(site, cache_dir)
            for index, other in enumerate(earlier):
                if other.get('cache') is not None and site_path(other, cache_dir) == mine:
                    yield ('%s.path (%s) is the cache directory of site_sites[%d] (%s) too: each site needs its own'
                           % (where, mine, index, other.get('name')))
        for key in ('size', 'max_size'):
            if not SIZE_RE.match(str(cache[key])):
                yield '%s.%s (%s) must be a size: a number with an optional k, m or g (10m)' % (where, key, cache[key])
        if not TIME_RE.match(str(cache['inactive'])):
            yield '%s.inactive (%s) must be an nginx time (90, 10m, 1h30m, 1d)' % (where, cache['inactive'])
    for index, loc in enumerate(site.get('locations') or []):
        if (loc or {}).get('cache') is None:
            continue
        yield from _location_rules(loc, '%s.locations[%d]' % (path, index), path, has_cache)


def _location_rules(loc: dict, where: str, site_path_name: str, has_cache: bool):
    cache = _with_defaults(loc['cache'], LOCATION_DEFAULTS)
    here = where + '.cache'
    if loc.get('kind') not in CACHED_KINDS:
        yield '%s: only uwsgi, upstream and proxy locations can cache (kind is %s)' % (here, loc.get('kind'))
        return
    if not has_cache:
        yield ("%s needs the site's cache (%s.cache: where and how much the site stores)" % (here, site_path_name))
    if loc.get('buffering') is False:
        yield '%s cannot be used with buffering=false (nginx caches only buffered responses)' % here
    for codes, time in sorted((cache['valid'] or {}).items(), key=lambda item: str(item[0])):
        statuses = str(codes).split()
        if not statuses or any(not (STATUS_RE.match(s) or s == 'any') for s in statuses):
            yield '%s.valid: %s must be statuses (3 digits) or any, separated by spaces' % (here, codes)
        if not TIME_RE.match(str(time)):
            yield '%s.valid.%s (%s) must be an nginx time (90, 10m, 1h30m, 1d)' % (here, codes, time)
    for index, name in enumerate(cache['bypass_cookies'] or []):
        if not COOKIE_RE.match(str(name)):
            yield ('%s.bypass_cookies[%d] (%s) must be a cookie name of letters, digits and "_" (nginx reads it as '
                   '$cookie_<name>)' % (here, index, name))
    for index, value in enumerate(cache['use_stale'] or []):
        if value not in USE_STALE:
            yield '%s.use_stale[%d] (%s) must be one of %s' % (here, index, value, ', '.join(USE_STALE))
    if not KEY_RE.match(str(cache['key'])):
        yield '%s.key (%s) must be one word without spaces, quotes or ";" (nginx variables allowed)' % (here, cache['key'])
    for name in loc.get('headers') or {}:
        if cache['status_header'] and str(name).lower() == STATUS_HEADER.lower():
            yield '%s.headers.%s is sent by cache.status_header already' % (where, name)


# ---------------------------------------------------------------- normalization

def module(loc: dict) -> str:
    """The nginx module that passes a location's requests on: ``uwsgi`` or ``proxy``."""
    return 'uwsgi' if loc['kind'] == 'uwsgi' or loc.get('protocol') == 'uwsgi' else 'proxy'


def zone_name(site_name: str, mod: str) -> str:
    return 'site_%s_%s' % (site_name, mod)


def location(loc: dict, site_name: str) -> dict | None:
    """What a location's ``cache`` renders (None without one); ``loc`` has its kind and protocol."""
    if loc.get('cache') is None or loc['kind'] not in CACHED_KINDS:
        return None
    cache = _with_defaults(loc['cache'], LOCATION_DEFAULTS)
    mod = module(loc)
    bypass = ['$cookie_%s' % name for name in dict.fromkeys(str(n) for n in cache['bypass_cookies'] or [])]
    if cache['bypass_authorization']:
        bypass.append('$http_authorization')
    return {
        'module': mod,
        'zone': zone_name(site_name, mod),
        'key': str(cache['key']),
        'valid': [{'codes': ' '.join(str(codes).split()), 'time': str(time)}
                  for codes, time in sorted((cache['valid'] or {}).items(), key=lambda item: str(item[0]))],
        # a request with any of these non-empty is neither answered from the cache nor stored in it
        'bypass': bypass,
        'lock': bool(cache['lock']),
        'use_stale': ' '.join(dict.fromkeys(str(v) for v in cache['use_stale'] or [])),
        'status_header': bool(cache['status_header']),
    }


def status_headers(loc: dict) -> dict:
    """The header a location adds for its cache (``X-Cache-Status``), hidden from its backend like the others."""
    cache = loc.get('cache')
    if cache is None or loc.get('kind') not in CACHED_KINDS:
        return {}
    return {STATUS_HEADER: STATUS_VAR} if _with_defaults(cache, LOCATION_DEFAULTS)['status_header'] else {}


def site(raw: dict, locations: list, cache_dir: str) -> dict | None:
    """A site's cache: its directory, the zones its caching locations use and the directories the role makes.

    A zone is only declared for a module that a location of the site caches
    with; nginx makes ``<path>/<module>`` itself (owned by its worker user),
    the role makes ``<path>`` (and ``site_cache_dir`` for the default path).
    """
    if raw.get('cache') is None:
        return None
    cache = _with_defaults(raw['cache'], SITE_DEFAULTS)
    path = site_path(raw, cache_dir)
    used = {loc['cache']['module'] for loc in locations if loc.get('cache')}
    zones = [{'module': mod, 'name': zone_name(raw['name'], mod), 'path': '%s/%s' % (path, mod),
              'size': str(cache['size']), 'max_size': str(cache['max_size']), 'inactive': str(cache['inactive'])}
             for mod in ('proxy', 'uwsgi') if mod in used]
    dirs = []
    if zones:
        dirs = ([str(cache_dir).rstrip('/')] if cache['path'] is None else []) + [path]
    return {'path': path, 'zones': zones, 'dirs': dirs}
