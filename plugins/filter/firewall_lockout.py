# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: firewall_lockout
short_description: Whether a new ruleset would lock the controller out, or the host cannot load one
version_added: 0.1.0
description:
  - With what the C(webstack.nginx_uwsgi.firewall_facts) module read on the host, a message when the host lacks
    C(CAP_NET_ADMIN) or when the address the controller comes from (C(SSH_CONNECTION)) is not let in to the SSH port
    by the new ruleset (unless C(firewall_lockout_check) is false). Nothing for a connection without SSH (local, a
    container's). The logic lives in C(plugins/plugin_utils/firewall_rules.py).
options:
  _input:
    description: The role's C(firewall_*) variables, name to value.
    type: dict
    required: true
  host_facts:
    description: The result of C(webstack.nginx_uwsgi.firewall_facts).
    type: dict
    required: true
  host:
    description: The host (C(inventory_hostname)), named by the messages.
    type: str
    required: true
  name:
    description: The variable to name for the SSH sources (C(webstack_firewall_ssh_from) in the fleet).
    type: str
    default: firewall_ssh_from
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Check that the controller stays let in
  ansible.builtin.assert:
    that: __lockout | length == 0
    fail_msg: "{{ __lockout | join('\n') }}"
  vars:
    __lockout: "{{ firewall_values | webstack.nginx_uwsgi.firewall_lockout(__firewall_host, inventory_hostname) }}"
"""

RETURN = r"""
_value:
  description: One message per problem; empty when the ruleset may go live.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import firewall_rules


def firewall_lockout(values, host_facts, host, name='firewall_ssh_from'):
    """Messages when the host cannot load the ruleset or the ruleset locks the controller out."""
    if not isinstance(values, dict):
        raise AnsibleFilterError('firewall_lockout: expects the firewall_* variables as a dict')
    return firewall_rules.host_problems(values, host_facts if isinstance(host_facts, dict) else {}, str(host), name)


class FilterModule(object):
    """The firewall role's lock-out check."""

    def filters(self):
        return {"firewall_lockout": firewall_lockout}
