# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: patch_plan
short_description: What a package upgrade does on a host - before it (the plan) or after it (restarts, reboot)
version_added: 0.1.0
description:
  - For the C(webstack.nginx_uwsgi.patch) role - given what the C(patch_facts) module read on a host, the packages to
    upgrade, the services to restart (nginx apart - it moves to its new binary gracefully), whether systemd
    re-executes, whether the host reboots and why, what a host that serves meanwhile is not given (C(gaps)), and
    one line for the report.
  - The rules live in C(plugins/plugin_utils/patch_rules.py) (C(plan)).
options:
  _input:
    description: The C(patch_facts) module's result.
    type: dict
    required: true
  reboot:
    description: C(patch_reboot) - C(auto), C(always) or C(never).
    type: str
    default: auto
  serving:
    description: C(patch_serving) - whether the host serves during its upgrade.
    type: bool
    default: false
  upgraded:
    description: After the upgrade, whether it installed anything; omit before it (the plan).
    type: bool
  host:
    description: The host (C(inventory_hostname)), named by the problems.
    type: str
    default: this host
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Work out the plan
  ansible.builtin.set_fact:
    patch_plan: "{{ read | webstack.nginx_uwsgi.patch_plan(patch_reboot, patch_serving) }}"
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    upgrades:
      description: The packages apt upgrades (C(name), C(from), C(to), C(origin)).
      type: list
      elements: dict
    install:
      description:
        - C(name=version) of each installed package to upgrade, the versions the plan listed (what the C(apt) task
          is given).
      type: list
      elements: str
    restart:
      description: The services to restart.
      type: list
      elements: str
    nginx_binary:
      description: After the upgrade - whether nginx moves to its new binary.
      type: bool
    reexec:
      description: Whether systemd re-executes.
      type: bool
    reboot:
      description: Whether the host reboots.
      type: bool
    reboot_reason:
      description: Why it reboots, or why a reboot it needs is not made.
      type: str
    gaps:
      description: What the host is not given (a reboot not made, services excluded from restarts).
      type: list
      elements: str
    todo:
      description: Before the upgrade - whether the host has anything to do.
      type: bool
    summary:
      description: One line for the report.
      type: str
    problems:
      description: Before the upgrade - what forbids it (packages of C(patch_packages) the host has not installed).
      type: list
      elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import patch_rules


def patch_plan(read, reboot='auto', serving=False, upgraded=None, host='this host'):
    """The plan (before) or the follow-up (after) of a host's upgrade."""
    if not isinstance(read, dict):
        raise AnsibleFilterError('patch_plan: expects the patch_facts result (a dict)')
    return patch_rules.plan(read, str(reboot), bool(serving), None if upgraded is None else bool(upgraded), str(host))


class FilterModule(object):
    """The patch role's plan."""

    def filters(self):
        return {"patch_plan": patch_plan}
