# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils import host_addresses
from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.host_addresses import has_ipv6, parse_fib_trie, parse_if_inet6

FIB_TRIE = """Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 127.0.0.0/8 2 0 2
           |-- 127.0.0.1
              /32 host LOCAL
     +-- 172.18.0.0/16 2 0 2
           |-- 172.18.0.0
              /16 link UNICAST
           |-- 172.18.0.2
              /32 host LOCAL
           |-- 172.18.0.100
              /32 host LOCAL
        |-- 172.18.255.255
           /32 link BROADCAST
Local:
           |-- 172.18.0.2
              /32 host LOCAL
"""


def test_ipv4_addresses_without_loopback_broadcast_or_duplicates():
    assert parse_fib_trie(FIB_TRIE) == ['172.18.0.2', '172.18.0.100']


def test_ipv6_global_addresses_only():
    text = ("20010db8000000000000000000000001 02 40 00 80 eth0\n"
            "fe800000000000000000000000000001 02 40 20 80 eth0\n"
            "00000000000000000000000000000001 01 80 10 80 lo\n")
    assert parse_if_inet6(text) == ['2001:db8::1']


def test_nothing_readable():
    assert parse_fib_trie('') == [] and parse_if_inet6('') == []


def test_has_ipv6():
    assert has_ipv6('00000000000000000000000000000001 01 80 10 80       lo\n')
    assert not has_ipv6('')


IP_O_ADDRESS = """1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
1: lo    inet 10.30.58.200/32 scope global lo\\       valid_lft forever preferred_lft forever
1: lo    inet6 ::1/128 scope host noprefixroute \\       valid_lft forever preferred_lft forever
2: eth0@if12    inet 10.30.58.11/24 brd 10.30.58.255 scope global eth0\\       valid_lft forever preferred_lft forever
2: eth0@if12    inet 10.30.58.201/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever
"""


def test_parse_ip_addresses_names_the_interface_of_each_address():
    assert host_addresses.parse_ip_addresses(IP_O_ADDRESS) == [
        ('lo', '127.0.0.1'), ('lo', '10.30.58.200'), ('lo', '::1'), ('eth0', '10.30.58.11'), ('eth0', '10.30.58.201')]
    assert host_addresses.parse_ip_addresses('') == []
