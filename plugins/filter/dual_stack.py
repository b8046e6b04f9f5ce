# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: dual_stack
short_description: nginx listen values on IPv6 too
version_added: 0.1.0
description:
  - Each bare port (C(80)) or C(*:port) of the list is followed by C([::]:port) when O(ipv6) is true - nginx binds it
    with C(ipv6only=on), beside the IPv4 wildcard, so that one server answers on both stacks. Values with an address
    of their own stay as they are, and a C([::]) value already there is not added twice.
  - The C(nginx) role's catch-all server and the C(site) role's sites use the same rule (C(plugin_utils/rules.py)).
options:
  _input:
    description: C(listen) values.
    type: list
    elements: str
    required: true
  ipv6:
    description: Whether to add the IPv6 values (the host runs IPv6 and the role's setting allows it).
    type: bool
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: The catch-all server's listen values
  ansible.builtin.debug:
    msg: "{{ ['80', '10.0.0.1:8080'] | webstack.nginx_uwsgi.dual_stack(ansible_facts.nginx.ipv6) }}"
  # ['80', '[::]:80', '10.0.0.1:8080'] where the host runs IPv6
"""

RETURN = r"""
_value:
  description: The listen values, with the IPv6 ones.
  type: list
  elements: str
"""

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rules import dual_stack as _dual_stack


def dual_stack(values, ipv6):
    """The listen values, bare ports followed by their IPv6 wildcard when ``ipv6``."""
    return _dual_stack(values, boolean(ipv6, strict=False))


class FilterModule(object):
    """Dual-stack listen values."""

    def filters(self):
        return {"dual_stack": dual_stack}
