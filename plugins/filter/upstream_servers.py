# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: upstream_servers
short_description: Build nginx upstream server entries from the hosts of an inventory group
version_added: 0.1.0
description:
  - Turns the hosts of one inventory group into a list of server entries for an nginx C(upstream) block, as the
    C(webstack.nginx_uwsgi.site) role expects them in C(site_upstreams[].servers).
  - Each host's address is read from the host variable named by O(address_var); without it, from C(ansible_host),
    and failing that the inventory host name is used.
  - Each host's port is read from the host variable named by O(port_var), falling back to O(port).
  - IPv6 addresses are written in brackets. Hosts keep the order of the group.
  - Raises an error when the group does not exist, when a host lacks the address variable that was asked for, or when
    a host has no port.
options:
  _input:
    description: The C(groups) magic variable (group name to list of host names).
    type: dict
    required: true
  hostvars:
    description: The C(hostvars) magic variable.
    type: dict
    required: true
  group:
    description: Name of the inventory group whose hosts become servers.
    type: str
    required: true
  port:
    description: Port used for hosts that do not define O(port_var).
    type: int
  port_var:
    description: Name of a host variable holding the host's port.
    type: str
  address_var:
    description:
      - Name of a host variable holding the address nginx connects to.
      - When set, every host of the group must define it.
    type: str
  params:
    description:
      - Extra server parameters copied into every entry, for example C(weight), C(max_fails), C(fail_timeout),
        C(backup) or C(down).
    type: dict
    default: {}
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Load-balance the app group
  ansible.builtin.include_role:
    name: webstack.nginx_uwsgi.site
  vars:
    site_upstreams:
      - name: app
        servers: "{{ groups | webstack.nginx_uwsgi.upstream_servers(hostvars, group='app', port_var='app_port', port=8000) }}"

# With app1 (ansible_host=10.0.0.11) and app2 (ansible_host=10.0.0.12, app_port=8001) in group app:
# [{"address": "10.0.0.11:8000", "host": "app1"}, {"address": "10.0.0.12:8001", "host": "app2"}]

- name: Private addresses, with a weight for every server
  ansible.builtin.debug:
    msg: "{{ groups | webstack.nginx_uwsgi.upstream_servers(hostvars, group='app', address_var='private_ip', port=80, params={'max_fails': 2}) }}"
"""

RETURN = r"""
_value:
  description: One entry per host of the group.
  type: list
  elements: dict
  contains:
    address:
      description: C(address:port) of the host.
      type: str
      sample: 10.0.0.11:8000
    host:
      description:
        - Inventory name of the host. The C(webstack.nginx_uwsgi.site) role writes it as a comment after the
          server line, which its C(member) entry point uses to drain one host from the upstreams.
      type: str
      sample: app1
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.upstreams import UpstreamError
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.upstreams import upstream_servers as _upstream_servers


def upstream_servers(groups, hostvars, group, port=None, port_var=None, address_var=None, params=None):
    """Return [{'address': 'host:port', 'host': name, **params}, ...] for the hosts of ``group``."""
    try:
        return _upstream_servers(groups, hostvars, group, port=port, port_var=port_var, address_var=address_var,
                                 params=params)
    except UpstreamError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):
    """nginx upstream servers from inventory groups."""

    def filters(self):
        return {"upstream_servers": upstream_servers}
