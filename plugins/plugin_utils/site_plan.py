# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The files of the site role on a host, as one change for the ``managed_files`` module.

:func:`files` lists every path the role keeps (directories, upstreams, the
catch-all TLS server, each site's configuration, headers and link) and the
keys and certificates that this run put in a site's staging directory
(:func:`tls_files`), so that ``nginx -t`` checks all of it together and all
of it goes live, or none: a key that does not match its certificate never
replaces the live pair. Templates are named, not rendered: the module's
action plugin renders them on the controller.
"""

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import htpasswd

DIRECTORY_MODE = '0755'
TLS_DIRECTORY_MODE = '0750'
STAGED_DIRECTORY_MODE = '0700'
UPSTREAMS_TEMPLATE = 'etc/nginx/conf.d/site-upstreams.conf.j2'
DEFAULT_TLS_TEMPLATE = 'etc/nginx/conf.d/site-default-tls.conf.j2'
HEADERS_TEMPLATE = 'etc/nginx/snippets/site-headers.conf.j2'
AUTH_DIRECTORY_MODE = '0750'
AUTH_FILE_MODE = '0640'


class PlanError(ValueError):
    """The plan cannot be made from what it was given."""


def _directory(path: str, mode: str = DIRECTORY_MODE) -> dict:
    return {'path': path, 'state': 'directory', 'mode': mode}


def _owned(sites: list) -> list:
    return [s for s in sites if s.get('managed') and s.get('tls') and s['tls'].get('owned')]


def _client_files(site: dict) -> list:
    """The client CA and CRL of the site's tls.client_auth that are copied from the controller."""
    auth = site['tls'].get('client_auth') if site.get('tls') else None
    return list(auth['files']) if auth else []


def tls_directories(sites: list, tls_dir: str) -> list[dict]:
    """The directories of the keys, certificates and client CAs the role keeps (none without such a site)."""
    kept = [s for s in sites if s.get('managed') and s.get('tls') and (s['tls'].get('owned') or _client_files(s))]
    if not kept:
        return []
    return [_directory(tls_dir, TLS_DIRECTORY_MODE)] + [_directory(s['tls']['dir'], TLS_DIRECTORY_MODE) for s in kept]


def client_auth_files(sites: list) -> list[dict]:
    """The client CAs and CRLs (tls.client_auth.ca_src, crl_src) of the sites, copied from the controller.

    They go live with the sites' files, so that ``nginx -t`` checks them with
    the configuration that names them (a file that is not a CA puts it all
    back). Public material: 0644, shown in --diff.
    """
    out = []
    for site in sites:
        if site.get('managed'):
            out += [{'path': f['path'], 'controller_src': f['src'], 'mode': '0644'} for f in _client_files(site)]
    return out


def cache_directories(sites: list) -> list[dict]:
    """The directories above the cache zones of the sites the role keeps (nginx makes each zone's own, ``<dir>/proxy``).

    nginx creates only the last directory of a ``*_cache_path``, owned by its
    worker user, when it starts, reloads or runs ``nginx -t``: its parent must
    exist. A site that is removed loses its ``*_cache_path`` with its file;
    what it stored is left on disk.
    """
    paths = []
    for site in sites:
        if site.get('managed') and site.get('cache'):
            paths += [p for p in site['cache']['dirs'] if p not in paths]
    return [_directory(p) for p in paths]


def staging_directories(sites: list, tls_dir: str, names) -> list[dict]:
    """The directories a run stages the keys and certificates of the sites ``names`` in."""
    chosen = [s for s in _owned(sites) if s['name'] in set(names or [])]
    if not chosen:
        return []
    out = [_directory(tls_dir, TLS_DIRECTORY_MODE)]
    for site in chosen:
        out += [_directory(site['tls']['dir'], TLS_DIRECTORY_MODE),
                _directory(site['tls']['staged_dir'], STAGED_DIRECTORY_MODE)]
    return out


def controller_files(sites: list, tls_dir: str, key_mode: str) -> list[dict]:
    """The staged copies of the certificates and keys of tls.mode=files sites, read from the controller."""
    chosen = [s for s in _owned(sites) if s['tls']['mode'] == 'files']
    out = staging_directories(sites, tls_dir, [s['name'] for s in chosen])
    for site in chosen:
        tls = site['tls']
        out.append({'path': tls['staged_cert'], 'controller_src': tls['cert_src'], 'mode': '0644'})
        out.append({'path': tls['staged_key'], 'controller_src': tls['key_src'], 'mode': key_mode, 'diff': False})
    return out


def tls_files(sites: list, staged: dict, key_mode: str) -> list[dict]:
    """The live keys and certificates that take what this run staged (``staged``: site name to what it staged).

    A site goes live only with a staged certificate: a key staged alone (an
    ACME order that has not been answered yet) waits for its certificate, so
    the live pair always matches.
    """
    out = []
    for site in _owned(sites):
        what = (staged or {}).get(site['name']) or {}
        if not what.get('cert'):
            continue
        tls = site['tls']
        out.append({'path': tls['cert'], 'content_from': tls['staged_cert'], 'mode': '0644'})
        if what.get('chain') and tls.get('chain'):
            out.append({'path': tls['chain'], 'content_from': tls['staged_chain'], 'mode': '0644'})
        if what.get('key'):
            out.append({'path': tls['key'], 'content_from': tls['staged_key'], 'mode': key_mode})
    return out


def auth_files(item: dict, settings: dict, secrets) -> list[dict]:
    """The password files of one normalized site (basic_auth), hashed from ``secrets`` (the role's input, site_sites).

    The normalized sites carry no passwords: each file names the entry of
    ``secrets`` it comes from (the site's index, and the location's). Its
    content goes as ``secret_content`` (never shown in --diff or the module's
    arguments); mode 0640, root and nginx's group (``auth_group``).
    """
    if not item['auth_files']:
        return []
    if secrets is None or len(secrets) <= item['index']:
        raise PlanError('site_files: the passwords of site_sites[%d] (%s) are needed: pass secrets=site_sites'
                        % (item['index'], item['name']))
    group = settings.get('auth_group') or 'root'
    out = []
    raw_site = secrets[item['index']] or {}
    for entry in item['auth_files']:
        raw = raw_site if entry['location'] is None else (raw_site.get('locations') or [])[entry['location']]
        users = (raw.get('basic_auth') or {}).get('users') or []
        header = '%s %s' % (settings.get('marker') or '#', item['name'])
        text = htpasswd.content(users, context='%s\0%s' % (item['name'], entry['path']), header=header)
        out.append({'path': entry['path'], 'secret_content': text, 'mode': AUTH_FILE_MODE, 'owner': 'root',
                    'group': group})
    return out


def files(site: dict, settings: dict, staged: dict | None = None, secrets=None) -> list[dict]:
    """Every path of the role on the host (``site``: the result of site_normalize; ``settings``: the role's paths).

    ``settings``: available_dir, enabled_dir, snippets_dir, upstreams_file,
    default_tls_file, reject_unknown_names, acme_challenge_dir, tls_dir,
    key_mode, marker, auth_group. ``secrets``: the role's input (site_sites),
    whose passwords the password files of basic_auth are hashed from.
    """
    sites = site['sites']
    out = [_directory(settings[k]) for k in ('available_dir', 'enabled_dir', 'snippets_dir')]
    if any(s['acme'] for s in sites if s.get('managed') and s.get('enabled')):
        challenges = settings['acme_challenge_dir']
        out += [_directory(p) for p in (challenges, challenges + '/.well-known', challenges + '/.well-known/acme-challenge')]
    out += tls_directories(sites, settings['tls_dir'])
    out += client_auth_files(sites)
    out += cache_directories(sites)
    auth_dirs = sorted({s['auth_dir'] for s in sites if s['managed'] and s.get('auth_files')})
    out += [{'path': path, 'state': 'directory', 'mode': AUTH_DIRECTORY_MODE, 'group': settings.get('auth_group') or 'root'}
            for path in auth_dirs]
    out.append({'path': settings['upstreams_file'], 'mode': '0644', 'template': UPSTREAMS_TEMPLATE})
    if settings['reject_unknown_names'] and site.get('default_tls_listen'):
        out.append({'path': settings['default_tls_file'], 'mode': '0644', 'template': DEFAULT_TLS_TEMPLATE,
                    'template_vars': {'__site_default_tls_listen': site['default_tls_listen']}})
    else:
        out.append({'path': settings['default_tls_file'], 'state': 'absent'})
    for item in sites:
        paths = item['files']
        if item['managed']:
            out.append({'path': paths['headers'], 'mode': '0644', 'template': HEADERS_TEMPLATE,
                        'template_vars': {'site_item': item}})
            if item.get('error_pages'):
                out += [_directory(item['error_pages_dir'].rsplit('/', 1)[0]), _directory(item['error_pages_dir'])]
                out += [{'path': page['path'], 'mode': '0644', 'controller_src': page['src']}
                        for page in item['error_pages']]
            out += auth_files(item, settings, secrets)
            out.append({'path': paths['conf'], 'mode': '0644', 'template': item['template'],
                        'template_vars': {'site_item': item}})
        else:
            out += [{'path': paths['headers'], 'state': 'absent'}, {'path': paths['conf'], 'state': 'absent'}]
        if item['enabled']:
            out.append({'path': paths['link'], 'state': 'link', 'src': paths['conf']})
        else:
            out.append({'path': paths['link'], 'state': 'absent'})
    return out + tls_files(sites, staged or {}, settings['key_mode'])
