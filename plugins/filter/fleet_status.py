# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: fleet_status
short_description: The fleet's status from what status_facts read on each host, as a table or as data
version_added: 0.1.0
description:
  - Puts together the readings of the M(webstack.nginx_uwsgi.status_facts) module of every host, once on the
    controller - the release each app serves on most app hosts (a host on another one is marked C(!)), each app
    host as every load balancer sees it (C(up), C(down) when drained, C(failing)), who holds the floating address,
    and a note for everything that needs a look (another release, a pending reload, a failing server, a unit not
    active, a certificate with fewer than 14 days left).
  - With O(format=table) the lines of a table for people, with O(format=json) the report as data for scripts.
  - A O(format) other than V(table) or V(json) fails, naming C(webstack_status_format).
options:
  _input:
    description: Host to the result of status_facts on it.
    type: dict
    required: true
  groups_of:
    description: Host to its groups (C(group_names)).
    type: dict
    required: true
  format:
    description: V(table) or V(json) (C(webstack_status_format)).
    type: str
    default: table
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Print the fleet
  ansible.builtin.debug:
    msg: "{{ readings | webstack.nginx_uwsgi.fleet_status(groups_of, 'table') }}"
  run_once: true
"""

RETURN = r"""
_value:
  description:
    - For V(table), the lines of the table and the notes; for V(json), the report - C(hosts) (host to its
      C(groups), C(nginx), C(apps), C(upstreams), C(certificates), C(keepalived), C(members) - load balancer to
      the state of this host in its upstreams - and C(other_release) - the apps it serves another release of),
      C(releases) (app to the release most app hosts serve), C(floating) (address to its holders) and C(notes).
  type: raw
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import fleet_status as status


def fleet_status(readings, groups_of, format='table'):  # pylint: disable=redefined-builtin
    """The table's lines or the report."""
    problems = status.problems(format)
    if problems:
        raise AnsibleFilterError(' '.join(problems))
    result = status.report(dict(readings or {}), dict(groups_of or {}))
    return status.table(result) if format == 'table' else result


class FilterModule(object):
    """The fleet's status."""

    def filters(self):
        return {"fleet_status": fleet_status}
