# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""nginx upstream servers from the hosts of an inventory group (the upstream_servers filter and the site role)."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.module_utils.common.text.converters import to_text


class UpstreamError(ValueError):
    """Bad input for upstream_servers; the message says what and where."""


def _lookup(hostvars, host):
    try:
        values = hostvars[host]
    except KeyError:
        raise UpstreamError("upstream_servers: host %r has no hostvars" % (host,))
    if not isinstance(values, Mapping):
        raise UpstreamError("upstream_servers: hostvars of %r are not a mapping" % (host,))
    return values


def _port(value, host, source):
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise UpstreamError("upstream_servers: %s of host %r is not a port number: %r" % (source, host, value))
    if not 1 <= port <= 65535:
        raise UpstreamError("upstream_servers: %s of host %r is out of range (1-65535): %d" % (source, host, port))
    return port


def upstream_servers(groups, hostvars, group, port=None, port_var=None, address_var=None, params=None):
    """Return [{'address': 'host:port', 'host': name, **params}, ...] for the hosts of ``group``."""
    if not isinstance(groups, Mapping):
        raise UpstreamError("upstream_servers: expected the 'groups' variable as input, got %s" % type(groups).__name__)
    if not isinstance(group, str) or not group:
        raise UpstreamError("upstream_servers: 'group' must be a group name")
    if group not in groups:
        raise UpstreamError("upstream_servers: inventory group %r does not exist" % (group,))
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise UpstreamError("upstream_servers: 'params' must be a dict, got %s" % type(params).__name__)
    for key in ("address", "host"):
        if key in params:
            raise UpstreamError("upstream_servers: 'params' cannot set %r" % key)

    servers = []
    for host in groups[group]:
        values = _lookup(hostvars, host)
        if address_var:
            if values.get(address_var) in (None, ""):
                raise UpstreamError(
                    "upstream_servers: host %r of group %r has no address (variable %r is not set)" % (host, group, address_var))
            address = values[address_var]
        else:
            address = values.get("ansible_host") or host
        address = to_text(address).strip()
        if not address or any(c.isspace() for c in address):
            raise UpstreamError("upstream_servers: host %r of group %r has an invalid address %r" % (host, group, address))

        if port_var and values.get(port_var) not in (None, ""):
            number = _port(values[port_var], host, "variable %r" % port_var)
        elif port is not None:
            number = _port(port, host, "'port'")
        else:
            raise UpstreamError(
                "upstream_servers: host %r of group %r has no port (set %s or pass port=)"
                % (host, group, ("variable %r" % port_var) if port_var else "port_var"))

        if ":" in address and not address.startswith("["):
            address = "[%s]" % address  # IPv6
        entry = {"address": "%s:%d" % (address, number), "host": host}
        entry.update(params)
        servers.append(entry)
    return servers
