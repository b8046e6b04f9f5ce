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

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.six import string_types


def _lookup(hostvars, host):
    try:
        values = hostvars[host]
    except KeyError:
        raise AnsibleFilterError("upstream_servers: host %r has no hostvars" % (host,))
    if not isinstance(values, Mapping):
        raise AnsibleFilterError("upstream_servers: hostvars of %r are not a mapping" % (host,))
    return values


def _port(value, host, source):
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise AnsibleFilterError("upstream_servers: %s of host %r is not a port number: %r" % (source, host, value))
    if not 1 <= port <= 65535:
        raise AnsibleFilterError("upstream_servers: %s of host %r is out of range (1-65535): %d" % (source, host, port))
    return port


def upstream_servers(groups, hostvars, group, port=None, port_var=None, address_var=None, params=None):
    """Return [{'address': 'host:port', 'host': name, **params}, ...] for the hosts of ``group``."""
    if not isinstance(groups, Mapping):
        raise AnsibleFilterError("upstream_servers: expected the 'groups' variable as input, got %s" % type(groups).__name__)
    if not isinstance(group, string_types) or not group:
        raise AnsibleFilterError("upstream_servers: 'group' must be a group name")
    if group not in groups:
        raise AnsibleFilterError("upstream_servers: inventory group %r does not exist" % (group,))
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise AnsibleFilterError("upstream_servers: 'params' must be a dict, got %s" % type(params).__name__)
    for key in ("address", "host"):
        if key in params:
            raise AnsibleFilterError("upstream_servers: 'params' cannot set %r" % key)

    servers = []
    for host in groups[group]:
        values = _lookup(hostvars, host)
        if address_var:
            if values.get(address_var) in (None, ""):
                raise AnsibleFilterError(
                    "upstream_servers: host %r of group %r has no address (variable %r is not set)" % (host, group, address_var))
            address = values[address_var]
        else:
            address = values.get("ansible_host") or host
        address = to_text(address).strip()
        if not address or any(c.isspace() for c in address):
            raise AnsibleFilterError("upstream_servers: host %r of group %r has an invalid address %r" % (host, group, address))

        if port_var and values.get(port_var) not in (None, ""):
            number = _port(values[port_var], host, "variable %r" % port_var)
        elif port is not None:
            number = _port(port, host, "'port'")
        else:
            raise AnsibleFilterError(
                "upstream_servers: host %r of group %r has no port (set %s or pass port=)"
                % (host, group, ("variable %r" % port_var) if port_var else "port_var"))

        if ":" in address and not address.startswith("["):
            address = "[%s]" % address  # IPv6
        entry = {"address": "%s:%d" % (address, number), "host": host}
        entry.update(params)
        servers.append(entry)
    return servers


class FilterModule(object):
    """nginx upstream servers from inventory groups."""

    def filters(self):
        return {"upstream_servers": upstream_servers}
