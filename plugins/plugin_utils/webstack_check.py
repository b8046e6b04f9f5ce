# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet's check of one host, in one task: every role's input, the plan of what the host serves, the lock-out check.

The ``webstack_check`` action (``plugins/action/webstack_check.py``) reads
the variables, the facts ``nginx_facts`` read in the task before, and the
host's ``firewall_facts``; everything it decides is here, so that it is tested without a
host. The checks are those each role's ``validate`` entry point runs
(``role_input.problems``: the argument spec, the rules, the platform), on
the same values: the host's variables over the role's defaults, and for the
site and metrics roles the values the fleet composes (``fleet.compose``).
Before, the check play included each role's ``validate``: about 25 tasks
per host, each a process ansible-core forks on the controller; now two
(the read of the facts, which every host finishes before any composes).

Stages, each stopped at when it has problems (a later one reads what an
earlier one checked): the nginx and webstack variables; the composition
and the site, uwsgi_app and metrics roles' input; the lock-out check of the
packet filter against the host's read.
"""

from __future__ import annotations

import os

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import (
    argument_specs,
    firewall_rules,
    fleet,
    role_input,
    tls_material,
    uwsgi_app_rules,
)
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.argspec import check_variables
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rules import alias

MISSING = object()


class CheckError(ValueError):
    """A role's files cannot be read (a broken installation, not the user's input)."""


def roles_dir() -> str:
    """The ``roles`` directory of the collection this file belongs to."""
    return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'roles')


def role_values(role_path: str, lookup, overrides=None, extra_vars=()) -> dict:
    """Every option of the role's main entry point: ``overrides``, else the host's value, else the role's default.

    ``lookup(name)`` gives the host's value of a variable or ``MISSING``. An
    extra variable (``-e``) wins over ``overrides``, as it wins over the vars
    of an include_role that passes them.
    An option without a value anywhere is left out (the spec check names it
    when it is required), as the role's own check would not see it either.
    """
    overrides = dict(overrides or {})
    defaults = argument_specs.defaults(role_path)
    out = {}
    for name in argument_specs.options(role_path):
        if name in overrides and name not in extra_vars:
            out[name] = overrides[name]
            continue
        value = lookup(name)
        if value is MISSING:
            value = defaults.get(name, MISSING)
        if value is not MISSING:
            out[name] = value
    return out


def nginx_problems(values: dict, facts: dict, host: str, roles: str) -> list[str]:
    """The nginx role's check (validate.yml and host_checks.yml)."""
    out = role_input.problems(values, os.path.join(roles, 'nginx'), facts, host)
    nginx = facts.get('nginx') or {}
    pid_file = (nginx.get('service') or {}).get('pid_file') if nginx.get('installed') else None
    if not out and pid_file not in (None, values.get('nginx_pid_file')):
        out.append('nginx_pid_file (%s) must be %s, the PIDFile of nginx.service on %s: a reload finds the master '
                   'through the pid file nginx.conf names, so with another one every reload would fail.'
                   % (values.get('nginx_pid_file'), pid_file, host))
    return out


def webstack_problems(values: dict, host: str, groups: dict, hostvars: dict, roles: str) -> list[str]:
    """The webstack_* variables: their argument spec, then the fleet's rules."""
    options = argument_specs.options(os.path.join(roles, 'webstack'))
    return check_variables(values, options) or fleet.problems(host, values, groups, hostvars, list(options))


def site_reads_host(sites, upstreams) -> bool:
    """Whether the site role's own check must read the host: files of tls.mode=paths sites or client_auth CA/CRL
    paths that must exist there, or upstream servers that name inventory hosts (the servers marked down)."""
    for site in sites or []:
        tls = site.get('tls') if isinstance(site, dict) else None
        if isinstance(tls, dict) and (tls.get('mode') == 'paths' or tls.get('client_auth')):
            return True
    for upstream in upstreams or []:
        if not isinstance(upstream, dict):
            return True
        if upstream.get('servers_from_group') or any(isinstance(s, dict) and 'host' in s
                                                     for s in upstream.get('servers') or []):
            return True
    return False


def site_problems(values: dict, facts: dict, host: str, groups: dict, hostvars: dict, roles: str) -> tuple:
    """The site role's check on composed sites: ``(problems, warnings)``, both named by the user's variables."""
    aliases = values.get('site_aliases') or {}
    out = role_input.problems(values, os.path.join(roles, 'site'), facts, host, aliases=aliases,
                              context={'groups': groups, 'hostvars': hostvars})
    warnings = [] if out else alias(tls_material.site_messages(list(values.get('site_sites') or []))[1], aliases)
    return out, warnings


def app_host_packages(values: dict, role_path: str, facts: dict) -> list[str]:
    """What the uwsgi_app role installs on an app host (its ``uwsgi_app_host_packages``), for the nginx play to
    install in nginx's own apt run on a new host: ``values`` the role's (as ``role_values`` gives them)."""
    return uwsgi_app_rules.role_host_packages(values, role_input.platform_values(role_path, facts))


def lockout_problems(firewall_vars: dict, host_facts: dict, host: str, lookup) -> list[str]:
    """The firewall role's lock-out check of the composed ruleset against the host's read (firewall_facts)."""
    if not firewall_vars.get('firewall_enabled'):
        return []
    port = lookup('firewall_ssh_port')
    check = lookup('firewall_lockout_check')
    values = dict(firewall_vars, firewall_ssh_port=22 if port is MISSING else port,
                  firewall_lockout_check=True if check is MISSING else check)
    return firewall_rules.host_problems(values, host_facts, host, 'webstack_firewall_ssh_from')
