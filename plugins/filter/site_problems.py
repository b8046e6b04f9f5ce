# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: site_problems
short_description: Every problem of the site role's sites and upstreams, each naming its entry
version_added: 0.1.0
description:
  - Applies the rules of the C(webstack.nginx_uwsgi.site) role that its argument spec cannot express (name
    patterns, duplicates, clashes of server names on a port, listen values, TLS requirements, references to
    upstreams and inventory groups, socket paths, header names, C(allow) addresses) and returns one message per
    problem, for example C(site_sites[2].locations[0].socket (/run/a b.sock) must be the absolute path ...).
  - Expects input that passed the argument spec (see the C(argspec_problems) filter); the rules live in
    C(plugins/plugin_utils/site_rules.py), one function per rule.
  - Then reads the certificate and key of every enabled C(tls.mode=files) site whose C(tls) has no other problem
    and reports, on the controller and before any host changes, a key that does not match the certificate, material
    that does not parse or is encrypted, a certificate out of its validity period and a chain not in issuing order
    (C(plugins/plugin_utils/tls_material.py)), for example
    C(site_sites[0].tls.key_src does not match the certificate of cert_src ...).
    Server names the certificate does not cover are warnings, see the C(site_warnings) filter.
requirements:
  - cryptography (on the controller, a dependency of ansible-core) for the checks of C(tls.mode=files) material.
options:
  _input:
    description: The sites (C(site_sites)).
    type: list
    elements: dict
    required: true
  upstreams:
    description: The upstreams (C(site_upstreams)).
    type: list
    elements: dict
    default: []
  groups:
    description: The C(groups) magic variable, for C(servers_from_group).
    type: dict
    default: {}
  hostvars:
    description: The C(hostvars) magic variable, for C(servers_from_group).
    type: dict
    default: {}
  acme_directory:
    description: C(site_acme_directory).
    type: str
    default: ""
  aliases:
    description: Prefix to name, see the C(argspec_problems) filter.
    type: dict
    default: {}
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Check the sites
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('\n') }}"
  vars:
    __problems: >-
      {{ site_sites | webstack.nginx_uwsgi.site_problems(site_upstreams, groups=groups, hostvars=hostvars,
                                                         acme_directory=site_acme_directory) }}
"""

RETURN = r"""
_value:
  description: One message per problem; empty when the sites and upstreams are right.
  type: list
  elements: str
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import role_input
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rules import alias


def site_problems(sites, upstreams=None, groups=None, hostvars=None, acme_directory='', aliases=None):
    """Messages for every problem of the sites and upstreams, then of the TLS material of the sites."""
    return alias(role_input.site_problems(sites, upstreams, groups, hostvars, acme_directory), aliases or {})


class FilterModule(object):
    """Rules of the site role."""

    def filters(self):
        return {"site_problems": site_problems}
