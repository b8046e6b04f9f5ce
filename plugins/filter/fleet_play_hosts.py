# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: fleet_play_hosts
short_description: The hosts of the fleet a play of a role is for, as the check play worked it out
version_added: 0.1.0
description:
  - For the C(hosts) of a play of the fleet playbooks - the hosts of C(webstack_appservers) and
    C(webstack_loadbalancers), in that order and once each, that the play has work on, by the facts of the plays
    before - C(firewall) those whose packet filter is on (C(webstack_firewall_vars.firewall_enabled)), C(metrics)
    those with a scraper named (C(webstack_metrics.metrics_allow)), C(rolling) the app hosts whose plan
    (C(uwsgi_app_plan)) has an app that rolls (the hosts a rollout drains), C(left_out) the app hosts that the
    upstreams of a load balancer still mark down (its C(site_member_down), a drain no run undid), which the
    playbooks put back once they serve, C(unchecked) those the check play of this run has not checked
    (C(webstack_validated) not true - every host when a playbook runs alone, none when C(site.yml) imports it).
  - A host the check play did not see (its fact undefined) is kept for C(firewall) and C(metrics), so that the play
    fails for it as it did before; an app host without a plan (it did not build) is not C(rolling).
  - A play whose hosts are chosen so imports its role with no C(when) - a C(when) on an imported role is copied onto
    each of its tasks, each a skipped task result per host; on an included role it costs one result per host.
options:
  _input:
    description: The C(groups) magic variable.
    type: dict
    required: true
  hostvars:
    description: The C(hostvars) magic variable.
    type: dict
    required: true
  role:
    description: The play.
    type: str
    choices: [firewall, metrics, rolling, left_out, unchecked]
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Guard every host with its packet filter
  hosts: "{{ groups | webstack.nginx_uwsgi.fleet_play_hosts(hostvars | default({}), 'firewall') }}"
  tasks: []
"""

RETURN = r"""
_value:
  description: The host names.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import fleet


def fleet_play_hosts(groups, hostvars, role):
    """The hosts of the fleet that the play of ``role`` has work on."""
    try:
        return fleet.play_hosts(groups or {}, hostvars or {}, role)
    except ValueError as exc:
        raise AnsibleFilterError('fleet_play_hosts: %s' % exc) from exc


class FilterModule(object):
    """The hosts of the fleet's plays."""

    def filters(self):
        return {"fleet_play_hosts": fleet_play_hosts}
