# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The host's own IP addresses, read from /proc (no `ip` command, which minimal hosts lack).

Other hosts of the fleet need them: the app hosts let the load balancers in
(``allow``) and trust their ``X-Forwarded-For``; keepalived peers talk to them.
"""

from __future__ import annotations

import ipaddress


def parse_fib_trie(text: str) -> list[str]:
    """IPv4 addresses of the host from /proc/net/fib_trie (``/32 host LOCAL`` entries), loopback left out."""
    found, last = [], None
    for line in (text or '').splitlines():
        words = line.replace('|--', '').replace('+--', '').split()
        if not words:
            continue
        if len(words) == 1 and words[0].count('.') == 3:
            last = words[0]
        elif words[:3] == ['/32', 'host', 'LOCAL'] and last:
            if not last.startswith('127.') and last not in found:
                found.append(last)
    return found


def parse_if_inet6(text: str) -> list[str]:
    """Global IPv6 addresses from /proc/net/if_inet6 (loopback and link-local left out)."""
    found = []
    for line in (text or '').splitlines():
        fields = line.split()
        if len(fields) < 6 or fields[5] == 'lo' or fields[3] != '00':
            continue
        address = str(ipaddress.IPv6Address(int(fields[0], 16)))
        if address not in found:
            found.append(address)
    return found


def read(path: str) -> str:
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return ''


def has_ipv6(text: str) -> bool:
    """Whether the kernel runs IPv6 here: /proc/net/if_inet6 lists an address (``::1`` at least).

    A host (or container) with IPv6 turned off (``disable_ipv6``, a Docker
    network without IPv6) lists none, and nginx cannot bind ``[::]`` there.
    """
    return any(len(line.split()) >= 6 for line in (text or '').splitlines())


def ipv6() -> bool:
    """Whether this host runs IPv6 (see has_ipv6)."""
    return has_ipv6(read('/proc/net/if_inet6'))


def addresses() -> list[str]:
    """IPv4 then IPv6 addresses of this host."""
    return parse_fib_trie(read('/proc/net/fib_trie')) + parse_if_inet6(read('/proc/net/if_inet6'))


def parse_ip_addresses(text: str) -> list[tuple[str, str]]:
    """(interface, address) of every address ``ip -o address show`` lists, in its order, without prefix length."""
    found = []
    for line in (text or '').splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[2] in ('inet', 'inet6'):
            found.append((fields[1].rstrip(':').split('@')[0], fields[3].split('/')[0]))
    return found
