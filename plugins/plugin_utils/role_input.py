# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The input check every role runs first, before anything changes: one function for all of them.

A role's variables are checked against its argument spec (types, choices,
nested options, each problem named by its full path), then, when the types
are right, against the rules a spec cannot express (``<role>_rules``), and
the host against the platforms of the role's ``meta/main.yml`` - the one list
of supported systems, which Galaxy shows too. The role's per-platform values
live in ``vars/<distribution>-<major version>.yml``; a unit test keeps those
files and that list the same.
"""

from __future__ import annotations

import functools
import os

import yaml

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import (
    argument_specs,
    firewall_rules,
    metrics_rules,
    nginx_rules,
    patch_rules,
    site_rules,
    tls_material,
    uwsgi_app_rules,
)
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.argspec import check_variables
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rules import alias

# Galaxy names Debian's versions by their code names; the facts give both.
DEBIAN_RELEASES = {'buster': '10', 'bullseye': '11', 'bookworm': '12', 'trixie': '13', 'forky': '14', 'duke': '15'}


def platform_label(name: str, version: str) -> str:
    """``Debian 12 (bookworm)`` for a Debian code name, ``<name> <version>`` otherwise."""
    if name == 'Debian' and version in DEBIAN_RELEASES:
        return 'Debian %s (%s)' % (DEBIAN_RELEASES[version], version)
    return '%s %s' % (name, version)


def vars_file(name: str, version: str) -> str:
    """The name of the per-platform vars file of a platform of ``meta/main.yml`` (``Debian-12``)."""
    return '%s-%s' % (name, DEBIAN_RELEASES.get(version, version) if name == 'Debian' else version)


@functools.lru_cache(maxsize=None)
def _platform_file(path: str) -> dict:
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle) or {}


def platform_values(role_path: str, facts: dict) -> dict:
    """The values of a role's per-platform vars file for the host of ``facts``
    (``vars/<distribution>-<major version>.yml``), read once per process; ``{}`` where the role has none for it
    (``platform_problems`` names an unsupported platform first)."""
    facts = dict(facts or {})
    name = '%s-%s.yml' % (facts.get('distribution'), facts.get('distribution_major_version'))
    path = os.path.join(os.path.realpath(str(role_path)), 'vars', name)
    return dict(_platform_file(path)) if os.path.isfile(path) else {}


def platform_problems(role: str, supported: list, facts: dict, host: str) -> list[str]:
    """A message when the host's system is not one of ``supported`` (``(name, version)`` pairs)."""
    name = facts.get('distribution')
    versions = {str(facts.get(key)) for key in ('distribution_release', 'distribution_major_version')
                if facts.get(key) not in (None, '')}
    for platform, version in supported:
        if platform == name and (version == 'all' or version in versions):
            return []
    runs = ('%s %s' % (name, facts.get('distribution_version') or '')).strip() if name else 'a system the facts do not name'
    return ['webstack.nginx_uwsgi.%s supports %s; %s runs %s.'
            % (role, ', '.join(platform_label(*p) for p in supported) or 'no platform', host, runs)]


def site_problems(sites, upstreams, groups, hostvars, acme_directory, facts=None, cache_dir=None,
                  acme_dns=None) -> list[str]:
    """Every problem of the sites and upstreams (``site_rules``), then of the TLS material of the sites.

    ``facts``: the host's (nginx, distribution), for what its nginx can do; ``cache_dir``: site_cache_dir;
    ``acme_dns``: the site_acme_dns_* values, without the prefix (see :func:`acme_dns_settings`).
    """
    ctx = site_rules.Context(sites=list(sites or []), upstreams=list(upstreams or []), groups=groups or {},
                             hostvars=hostvars or {}, acme_directory=acme_directory or '', facts=dict(facts or {}),
                             cache_dir=cache_dir or site_rules.Context.cache_dir, acme_dns=dict(acme_dns or {}))
    messages = site_rules.problems(ctx)
    # A site whose tls has a problem already (a missing file, a bad mode) is not read.
    skip = {index for index in range(len(ctx.sites))
            if any(m.startswith('site_sites[%d].tls' % index) for m in messages)}
    return messages + tls_material.site_messages(ctx.sites, skip=skip)[0]


def acme_dns_settings(values: dict) -> dict:
    """The site_acme_dns_* values of the site role, without the prefix (``server``, ``key_secret``, ...)."""
    prefix = 'site_acme_dns_'
    return {key[len(prefix):]: value for key, value in values.items() if key.startswith(prefix)}


# The rules of each role that its values (and the context) are enough for;
# keepalived's need the host's routes, read after this check.
RULES = {
    'nginx': lambda values, context: nginx_rules.problems(values),
    'uwsgi_app': lambda values, context: uwsgi_app_rules.problems(values),
    'metrics': lambda values, context: metrics_rules.problems(values),
    'firewall': lambda values, context: firewall_rules.problems(values),
    'patch': lambda values, context: patch_rules.problems(values),
    'site': lambda values, context: site_problems(values['site_sites'], values['site_upstreams'], context.get('groups'),
                                                  context.get('hostvars'), values['site_acme_directory'],
                                                  context.get('facts'), values.get('site_cache_dir'),
                                                  acme_dns_settings(values)),
}


def problems(values: dict, role_path: str, facts: dict, host: str, aliases=None, context=None) -> list[str]:
    """Every problem of a role's input on ``host``: spec, then rules (when the spec passed), then platform.

    ``values``: the role's variables, name to value (every option of the main
    entry point); ``aliases``: the names to show for composed paths (see
    ``rules.alias``); ``context``: ``groups`` and ``hostvars`` for the rules
    that read other hosts.
    """
    role = os.path.basename(os.path.realpath(str(role_path)))
    values = dict(values)
    out = check_variables(values, argument_specs.options(role_path))
    if not out and role in RULES:
        out = RULES[role](values, dict(context or {}, facts=dict(facts or {})))
    return alias(out, aliases or {}) + platform_problems(role, argument_specs.platforms(role_path), dict(facts or {}), host)
