# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: fleet_compose
short_description: The sites and upstreams a host of the fleet serves, from the webstack_* variables
version_added: 0.1.0
description:
  - For a host of C(webstack_appservers) and/or C(webstack_loadbalancers), the C(site_sites) and C(site_upstreams) of
    the C(webstack.nginx_uwsgi.site) role - on an app host nginx on C(webstack_app_port) in front of the first app's
    socket and the apps' static files, open to the load balancers and loopback; on a load balancer one HTTPS site in
    front of an upstream of every app host - unless C(webstack_app_sites), C(webstack_lb_sites) or
    C(webstack_lb_upstreams) say otherwise.
  - Also returns C(aliases), for the validation filters, so that a message about a composed entry names the variable
    the user set.
options:
  _input:
    description: The host's C(webstack_*) and C(uwsgi_app_*) variables, name to value.
    type: dict
    required: true
  host:
    description: The host (C(inventory_hostname)).
    type: str
    required: true
  groups:
    description: The C(groups) magic variable.
    type: dict
    required: true
  hostvars:
    description: The C(hostvars) magic variable (the load balancers' addresses).
    type: dict
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: What this host serves
  ansible.builtin.set_fact:
    __fleet: "{{ {'webstack_app_port': 8080, 'uwsgi_app_apps': uwsgi_app_apps}
                 | webstack.nginx_uwsgi.fleet_compose(inventory_hostname, groups, hostvars) }}"
"""

RETURN = r"""
_value:
  description: C(sites), C(upstreams), C(aliases), C(app) and C(lb) (whether the host is in each group).
  type: dict
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import fleet


def fleet_compose(values, host, groups, hostvars):
    """Sites and upstreams of ``host``."""
    return fleet.compose(host, dict(values or {}), groups or {}, hostvars or {})


class FilterModule(object):
    """The fleet's composition."""

    def filters(self):
        return {"fleet_compose": fleet_compose}
