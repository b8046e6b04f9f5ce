# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.filter.upstream_servers import FilterModule, upstream_servers

GROUPS = {"all": ["app1", "app2", "app3"], "app": ["app1", "app2"], "db": [], "v6": ["app3"]}
HOSTVARS = {
    "app1": {"ansible_host": "10.0.0.11", "private_ip": "192.168.0.11"},
    "app2": {"ansible_host": "10.0.0.12", "app_port": 8001, "private_ip": "192.168.0.12"},
    "app3": {"ansible_host": "2001:db8::3", "app_port": "9000"},
}


def test_addresses_from_ansible_host_and_port_fallback():
    assert upstream_servers(GROUPS, HOSTVARS, "app", port=8000, port_var="app_port") == [
        {"address": "10.0.0.11:8000", "host": "app1"},
        {"address": "10.0.0.12:8001", "host": "app2"},
    ]


def test_address_var_and_params():
    servers = upstream_servers(GROUPS, HOSTVARS, "app", port=80, address_var="private_ip",
                               params={"max_fails": 2, "weight": 3})
    assert servers == [
        {"address": "192.168.0.11:80", "host": "app1", "max_fails": 2, "weight": 3},
        {"address": "192.168.0.12:80", "host": "app2", "max_fails": 2, "weight": 3},
    ]


def test_inventory_name_without_ansible_host():
    assert upstream_servers({"g": ["web1.example"]}, {"web1.example": {}}, "g", port=81) == [{"address": "web1.example:81", "host": "web1.example"}]


def test_ipv6_in_brackets_and_port_as_text():
    assert upstream_servers(GROUPS, HOSTVARS, "v6", port_var="app_port") == [{"address": "[2001:db8::3]:9000", "host": "app3"}]


def test_empty_group_gives_no_servers():
    assert upstream_servers(GROUPS, HOSTVARS, "db", port=80) == []


def test_registered_as_filter():
    assert FilterModule().filters()["upstream_servers"] is upstream_servers


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"group": "nope", "port": 80}, "inventory group 'nope' does not exist"),
        ({"group": "", "port": 80}, "'group' must be a group name"),
        ({"group": "app", "port": 80, "address_var": "public_ip"}, "host 'app1' of group 'app' has no address"),
        ({"group": "app"}, "host 'app1' of group 'app' has no port"),
        ({"group": "app", "port_var": "nope"}, "has no port \\(set variable 'nope'"),
        ({"group": "app", "port": 70000}, "out of range"),
        ({"group": "app", "port": "http"}, "is not a port number"),
        ({"group": "app", "port": 80, "params": ["weight"]}, "'params' must be a dict"),
        ({"group": "app", "port": 80, "params": {"address": "x"}}, "cannot set 'address'"),
        ({"group": "app", "port": 80, "params": {"host": "x"}}, "cannot set 'host'"),
    ],
)
def test_bad_input_raises(kwargs, message):
    with pytest.raises(AnsibleFilterError, match=message):
        upstream_servers(GROUPS, HOSTVARS, **kwargs)


def test_groups_must_be_a_mapping():
    with pytest.raises(AnsibleFilterError, match="expected the 'groups' variable"):
        upstream_servers(["app1"], HOSTVARS, "app", port=80)


def test_host_without_hostvars():
    with pytest.raises(AnsibleFilterError, match="host 'ghost' has no hostvars"):
        upstream_servers({"g": ["ghost"]}, {}, "g", port=80)


def test_address_with_spaces_rejected():
    with pytest.raises(AnsibleFilterError, match="invalid address"):
        upstream_servers({"g": ["h"]}, {"h": {"ansible_host": "bad host"}}, "g", port=80)
