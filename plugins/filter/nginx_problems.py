# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: nginx_problems
short_description: Every problem of the nginx role's variables that its argument spec cannot express
version_added: 0.1.0
description:
  - Relations and formats of the C(webstack.nginx_uwsgi.nginx) role's variables (open-file limit against worker
    connections, C(worker_processes), log format name, TLS curves and protocols, sizes, listen values and addresses
    of the catch-all server), one message per problem, each naming its variable.
  - Expects values that passed the argument spec (see the C(argspec_problems) filter); the rules live in
    C(plugins/plugin_utils/nginx_rules.py), one function per rule.
options:
  _input:
    description: The role's variables, name to value (every option of its argument spec).
    type: dict
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Check the nginx variables
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('\n') }}"
  vars:
    __problems: "{{ {'nginx_worker_connections': 4096, 'nginx_worker_rlimit_nofile': 1024} | webstack.nginx_uwsgi.nginx_problems }}"
"""

RETURN = r"""
_value:
  description: One message per problem; empty when the variables are right.
  type: list
  elements: str
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import nginx_rules


def nginx_problems(variables):
    """Messages for every problem of the nginx role's variables."""
    return nginx_rules.problems(dict(variables))


class FilterModule(object):
    """Rules of the nginx role."""

    def filters(self):
        return {"nginx_problems": nginx_problems}
