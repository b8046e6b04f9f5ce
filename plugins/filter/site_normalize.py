# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: site_normalize
short_description: The site role's sites and upstreams with every default filled and every derived value computed
version_added: 0.1.0
description:
  - Returns C({sites, upstreams}) for the C(webstack.nginx_uwsgi.site) role, computed once per run so that its
    tasks and templates only read values - every option of the argument spec with its default, the file paths of
    each site (C(files.conf), C(files.link), C(files.headers)), its certificate and key paths (C(tls.cert),
    C(tls.key), C(tls.chain), C(tls.dir)), the final headers (security headers, site headers, HSTS), the headers a
    proxied location hides from its backend (so none is sent twice), the servers of each upstream (literal
    ones and those of C(servers_from_group)), and each site's cache zones and the directories above them.
  - Only for input without problems (see the C(site_problems) filter).
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
    description: The C(groups) magic variable.
    type: dict
    default: {}
  hostvars:
    description: The C(hostvars) magic variable.
    type: dict
    default: {}
  settings:
    description:
      - Role-wide values a site reads, C(security_headers), C(hsts_max_age), C(hsts_include_subdomains),
        C(tls_dir), C(tls_key_type), C(template), C(available_dir), C(enabled_dir), C(snippets_dir),
        C(proxy_next_upstream), C(cache_dir) (C(site_cache_dir), the default parent of each site's cache).
    type: dict
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Normalize the sites once
  ansible.builtin.set_fact:
    __site: "{{ site_sites | webstack.nginx_uwsgi.site_normalize(site_upstreams, groups=groups, hostvars=hostvars, settings=__site_settings) }}"
"""

RETURN = r"""
_value:
  description: C(sites) and C(upstreams), normalized.
  type: dict
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import site_rules


def site_normalize(sites, upstreams=None, groups=None, hostvars=None, settings=None):
    """Sites and upstreams with defaults filled and derived values computed."""
    ctx = site_rules.Context(sites=list(sites or []), upstreams=list(upstreams or []), groups=groups or {},
                             hostvars=hostvars or {})
    return site_rules.normalize(ctx, dict(settings or {}))


class FilterModule(object):
    """Normalization of the site role's input."""

    def filters(self):
        return {"site_normalize": site_normalize}
