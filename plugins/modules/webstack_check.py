#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: webstack_check
short_description: The fleet's check of one host before any host changes, in one task
version_added: 0.1.0
description:
  - The check step of the C(webstack) role (the check play of C(site.yml), C(rolling_release.yml), C(patch.yml) and
    C(maintenance.yml)), after its read of the nginx facts and the distribution
    (C(webstack.nginx_uwsgi.nginx_facts) with O(webstack.nginx_uwsgi.nginx_facts#module:distribution=true), on every
    host first - an app host's composition reads the load balancers' addresses). Runs on the controller every check
    the roles' C(validate) entry points run on the same values (argument spec, rules, platform) - the C(nginx_*) and
    C(webstack_*) variables; then the sites the fleet composes for the host (C(site) role), its apps (C(uwsgi_app),
    app hosts) and its metrics (C(metrics)); then, with one C(webstack.nginx_uwsgi.firewall_facts) read where the
    fleet loads a packet filter, that the host's packet filter lets the controller in again.
  - Fails with every problem of a stage, each named by the variable the user set. Where the site role's own check
    must read the host (files of C(tls.mode=paths) sites, servers of upstreams marked down on a load balancer),
    RV(webstack.sites_checked) is false and the role runs that check.
  - Runs in the action plugin; the module itself does nothing on a host.
options: {}
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Gather nginx facts and the distribution of the host
  webstack.nginx_uwsgi.nginx_facts:
    distribution: true

- name: Check every role's input and work out what the host serves
  webstack.nginx_uwsgi.webstack_check:
  register: webstack_check_read
"""

RETURN = r"""
webstack:
  description: What the host serves, for the playbooks.
  returned: success
  type: dict
  contains:
    site_sites:
      description: The C(site_sites) of the host.
      type: list
    site_upstreams:
      description: The C(site_upstreams) of the host.
      type: list
    site_aliases:
      description: The names of the variables the composed entries come from.
      type: dict
    metrics:
      description: The C(metrics_*) variables of the host.
      type: dict
    firewall_vars:
      description: The C(firewall_*) variables of the host.
      type: dict
    firewall_host:
      description: What C(webstack.nginx_uwsgi.firewall_facts) read, empty without a packet filter.
      type: dict
    sites_checked:
      description: Whether the sites were checked here; false where the site role's check reads the host.
      type: bool
"""

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec={}, supports_check_mode=True)
    module.fail_json(msg='webstack_check runs on the controller, as an action: call it as a task.')


if __name__ == '__main__':
    main()
