# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Small pieces shared by the validation rules of the roles.

A rule is a function ``rule(item, path, ctx)`` that yields one message per
problem of ``item`` (an entry of a list variable, named ``path``, for example
``site_sites[2]``). :func:`run` applies every rule of a list to every item and
returns all the messages, so a run reports every problem at once.
"""

from __future__ import annotations

import ipaddress
import re

# "80", "8080", "127.0.0.1:8080", "[::1]:443", "unix:..." is not a listen value here
_LISTEN_RE = re.compile(r'^(?:(?P<addr>\[[0-9A-Fa-f:.]+\]|[^\s:\[\];{}]+):)?(?P<port>[0-9]{1,5})$')
# a value nginx reads as one token: no white space, quotes, ";" or braces
_TOKEN_RE = re.compile(r'^[^\s;{}\'"]+$')


def run(items, rules, name: str, ctx) -> list[str]:
    """Messages of every rule for every item of the list variable ``name``."""
    messages: list[str] = []
    for index, item in enumerate(items or []):
        path = '%s[%d]' % (name, index)
        for rule in rules:
            messages.extend(rule(item, path, ctx) or ())
    return messages


def index_of(path: str) -> int:
    """The index of the entry a rule checks: 2 for ``site_sites[2]``."""
    return int(path.rsplit('[', 1)[1].rstrip(']'))


def alias(messages, aliases) -> list[str]:
    """Rename the variable a message starts with, by the longest matching prefix of ``aliases``.

    A playbook that composes a role variable from variables of its own (the
    fleet composes ``site_sites`` from ``webstack_*``) passes ``aliases`` so
    that a message names the variable the user set: with
    ``{'site_sites[1].tls': 'webstack_lb_tls'}``, ``site_sites[1].tls.mode
    (x) ...`` becomes ``webstack_lb_tls.mode (x) ...``.
    """
    if not aliases:
        return list(messages)
    keys = sorted(aliases, key=len, reverse=True)
    out = []
    for message in messages:
        for key in keys:
            if message.startswith(key) and (len(message) == len(key) or message[len(key)] in '.[ :'):
                message = aliases[key] + message[len(key):]
                break
        out.append(message)
    return out


def listen_port(value) -> int | None:
    """The port of an nginx ``listen`` value (``"443"``, ``"10.0.0.1:443"``, ``"[::]:443"``), None when invalid."""
    match = _LISTEN_RE.match(str(value))
    if not match:
        return None
    port = int(match.group('port'))
    return port if 1 <= port <= 65535 else None


def listen_key(value) -> str:
    """``*:443`` for a bare port, the value itself otherwise: what two servers share when equal."""
    text = str(value)
    return '*:' + text if text.isdigit() else text


def is_token(value) -> bool:
    """True when nginx reads ``value`` as a single word (no spaces, quotes, ";" or braces)."""
    return bool(_TOKEN_RE.match(str(value)))


def is_address_or_network(value) -> bool:
    """True for an IPv4/IPv6 address or a CIDR range (what nginx ``allow`` and ``set_real_ip_from`` take)."""
    try:
        ipaddress.ip_network(str(value), strict=False)
    except ValueError:
        return False
    return True


def is_port(value) -> bool:
    try:
        port = int(value)
    except (TypeError, ValueError):
        return False
    return str(value).strip().isdigit() and 1 <= port <= 65535
