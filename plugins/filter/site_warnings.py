# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: site_warnings
short_description: What clients of the site role's sites would notice, each message naming its entry
version_added: 0.1.0
description:
  - Reads the certificate of every enabled C(tls.mode=files) site of C(site_sites) on the controller and returns
    one message per site whose certificate does not cover all its C(server_names) (RFC 6125 wildcards; the
    subjectAltName, else the common name). Each message starts with the variable (C(site_sites[0].tls.cert_src)) and
    gives the names of the certificate and the server names it leaves out.
  - Nothing here stops a run; the problems of the same material (a key that does not match, an expired certificate,
    a chain in the wrong order) are those of the C(site_problems) filter. Both share
    C(plugins/plugin_utils/tls_material.py), which parses each certificate and key once per process and day.
requirements:
  - cryptography (on the controller, a dependency of ansible-core).
options:
  _input:
    description: The sites (C(site_sites)).
    type: list
    elements: dict
    required: true
  aliases:
    description: Prefix to name, see the C(argspec_problems) filter.
    type: dict
    default: {}
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Warn about server names the certificates do not cover
  ansible.builtin.debug:
    msg: "{{ __warnings }}"
  when: __warnings | length > 0
  vars:
    __warnings: "{{ site_sites | webstack.nginx_uwsgi.site_warnings(aliases=site_aliases | default({})) }}"
"""

RETURN = r"""
_value:
  description: One message per warning; empty when clients would notice nothing.
  type: list
  elements: str
  sample: ["site_sites[0].tls.cert_src (names shop.test) does not cover server_names www.shop.test: clients will see a
           name mismatch; give a certificate that holds them"]
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rules import alias
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import tls_material


def site_warnings(sites, aliases=None):
    """Messages for what clients of the sites would notice (server names their certificates do not cover)."""
    return alias(tls_material.site_messages(list(sites or []))[1], aliases or {})


class FilterModule(object):
    """Warnings of the site role."""

    def filters(self):
        return {"site_warnings": site_warnings}
