# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: uwsgi_app_problems
short_description: Every problem of the uwsgi_app role's variables that its argument spec cannot express
version_added: 0.1.0
description:
  - Applies the rules of the C(webstack.nginx_uwsgi.uwsgi_app) role (role-wide relations, then app names, modules,
    sockets, release ids, environment names, sources on the controller, git URLs and versions, shared paths,
    workers, hooks and static files of each app) and returns one message per problem, each naming its entry, for
    example C(uwsgi_app_apps[1].socket (/tmp/a.sock) must be directly in /run/uwsgi-app/b/ ...).
  - Expects values that passed the argument spec (see the C(argspec_problems) filter); the rules live in
    C(plugins/plugin_utils/uwsgi_app_rules.py), one function per rule.
options:
  _input:
    description: The role's variables, name to value (every option of its argument spec).
    type: dict
    required: true
  aliases:
    description: Prefix to name, see the C(argspec_problems) filter.
    type: dict
    default: {}
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Check the apps
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('\n') }}"
  vars:
    __problems: "{{ __uwsgi_app_values | webstack.nginx_uwsgi.uwsgi_app_problems }}"
"""

RETURN = r"""
_value:
  description: One message per problem; empty when the variables are right.
  type: list
  elements: str
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import uwsgi_app_rules
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rules import alias


def uwsgi_app_problems(variables, aliases=None):
    """Messages for every problem of the uwsgi_app role's variables."""
    return alias(uwsgi_app_rules.problems(dict(variables)), aliases or {})


class FilterModule(object):
    """Rules of the uwsgi_app role."""

    def filters(self):
        return {"uwsgi_app_problems": uwsgi_app_problems}
