# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: firewall_normalize
short_description: The firewall role's ruleset, worked out once from its variables
version_added: 0.1.0
description:
  - From the C(firewall_*) variables (already checked), the table name, every C(accept) line of the C(input) chain
    (SSH, C(firewall_rules), VRRP; IPv4 and IPv6 sources apart, overlapping networks merged) and the timeouts of the
    guard. The logic lives in C(plugins/plugin_utils/firewall_rules.py).
options:
  _input:
    description: The role's C(firewall_*) variables, name to value.
    type: dict
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Work out the ruleset
  ansible.builtin.set_fact:
    __firewall: "{{ {'firewall_enabled': true, 'firewall_table': 'webstack', 'firewall_ssh_from': ['10.0.0.0/8'],
                     'firewall_ssh_port': 22, 'firewall_rules': [], 'firewall_vrrp_from': [],
                     'firewall_rollback_timeout': 30} | webstack.nginx_uwsgi.firewall_normalize }}"
"""

RETURN = r"""
_value:
  description: C(enabled), C(table), C(accept) (rule lines), C(rollback_timeout) and C(confirm_timeout).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import firewall_rules


def firewall_normalize(values):
    """The ruleset of the firewall role."""
    if not isinstance(values, dict):
        raise AnsibleFilterError('firewall_normalize: expects the firewall_* variables as a dict')
    return firewall_rules.normalize(values)


class FilterModule(object):
    """The firewall role's values."""

    def filters(self):
        return {"firewall_normalize": firewall_normalize}
