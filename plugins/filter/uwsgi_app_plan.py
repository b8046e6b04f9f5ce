# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: uwsgi_app_plan
short_description: What a run of the uwsgi_app role does to each app of a host
version_added: 0.1.0
description:
  - From the normalized apps (C(uwsgi_app_normalize)) and what the host has (the C(uwsgi_app_facts) module), works
    out for each app the release it serves after the run, whether that is a switch, which of its files change,
    whether uWSGI must be reloaded (a new release or ini, a change left pending by an earlier run, a master that
    serves another release) or restarted (a new unit or environment, or not running), whether its workers move,
    and whether the change touches a release that serves (which a fleet rolls out batch by batch, drained).
options:
  _input:
    description: The normalized apps.
    type: list
    elements: dict
    required: true
  state:
    description: The C(apps) result of C(uwsgi_app_facts).
    type: dict
    required: true
  differ:
    description: The C(differ) result of C(uwsgi_app_facts) for the files the role wants.
    type: dict
    default: {}
  commits:
    description: App name to the commit its git version resolved to on the host.
    type: dict
    default: {}
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Work out what changes
  ansible.builtin.set_fact:
    __plan: "{{ __apps | webstack.nginx_uwsgi.uwsgi_app_plan(__facts.apps, __facts.differ) }}"
"""

RETURN = r"""
_value:
  description:
    - One item per app, C(name), C(path), C(release), C(serving), C(running), C(previous), C(built), C(switch),
      C(first), C(rolling_back), C(differing_files), C(units_changed), C(action), C(restart_workers), C(change),
      C(rolling), C(old_socket_links).
  type: list
  elements: dict
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import uwsgi_app_rules


def uwsgi_app_plan(apps, state, differ=None, commits=None):
    """What a run does to each app."""
    return uwsgi_app_rules.plan(list(apps or []), dict(state or {}), dict(differ or {}), dict(commits or {}))


class FilterModule(object):
    """Plan of the uwsgi_app role."""

    def filters(self):
        return {"uwsgi_app_plan": uwsgi_app_plan}
