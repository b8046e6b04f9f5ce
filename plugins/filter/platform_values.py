# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: platform_values
short_description: The values of a role's per-platform vars file for a host
version_added: 0.1.0
description:
  - The variables of C(vars/<distribution>-<major version>.yml) of the role at the input path, for the host whose
    facts are given, read by the process that templates it (cached within that process, so a forked worker reads
    the small file at most once); an empty dict where the role has no file for that platform
    (the role's check names an unsupported platform first).
  - Read where the values are used, without an C(include_vars) task per host (the rules are in the collection's
    C(role_input) plugin utils).
options:
  _input:
    description: The path of the role (C(role_path)).
    type: path
    required: true
  facts:
    description: The host's facts (C(ansible_facts)), with C(distribution) and C(distribution_major_version).
    type: dict
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Show the uWSGI binary of the host's platform
  ansible.builtin.debug:
    msg: "{{ (role_path | webstack.nginx_uwsgi.platform_values(ansible_facts)).__uwsgi_app_binary }}"
"""

RETURN = r"""
_value:
  description: Variable name to value, as in the vars file.
  type: dict
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import role_input


def platform_values(role_path, facts):
    """The role's per-platform values for the host of ``facts``."""
    return role_input.platform_values(role_path, dict(facts or {}))


class FilterModule(object):
    """Per-platform values of a role."""

    def filters(self):
        return {"platform_values": platform_values}
