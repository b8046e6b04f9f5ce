# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Small pieces shared by the validation rules of the roles.

A rule is a function ``rule(item, path, ctx)`` that yields one message per
problem of ``item`` (an entry of a list variable, named ``path``, for example
``site_sites[2]``). :func:`run` applies every rule of a list to every item and
returns all the messages, so a run reports every problem at once.

It also reads what both the keepalived role's rules and the fleet's
composition need: a host's ``keepalived_vip`` and the keepalived.conf it has
now (:func:`keepalived_conf`), whose floating addresses
(:func:`floating_addresses`) are not the host's own. The callers pass the
values: no function here reads a role's variables.
"""

from __future__ import annotations

import ipaddress
import re

# "80", "8080", "127.0.0.1:8080", "[::1]:443", "unix:..." is not a listen value here
_LISTEN_RE = re.compile(r'^(?:(?P<addr>\[[0-9A-Fa-f:.]+\]|[^\s:\[\];{}]+):)?(?P<port>[0-9]{1,5})$')
# a value nginx reads as one token: no white space, quotes, ";" or braces
_TOKEN_RE = re.compile(r'^[^\s;{}\'"]+$')
# what a keepalived.conf the keepalived role wrote says of the host
_KEEPALIVED_SRC_RE = re.compile(r'^\s*unicast_src_ip\s+(\S+)', re.M)
_KEEPALIVED_VIPS_RE = re.compile(r'^\s*virtual_ipaddress\s*\{([^}]*)\}', re.M)


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


def with_defaults(value, defaults) -> dict:
    """``defaults`` updated with the keys of ``value`` that are not None."""
    out = dict(defaults)
    out.update({k: v for k, v in (value or {}).items() if v is not None})
    return out


def dual_stack(values, ipv6: bool) -> list[str]:
    """The listen values, each bare port (``80``) or ``*:80`` followed by ``[::]:80`` when ``ipv6``.

    nginx binds ``[::]:80`` with ``ipv6only=on`` (its default), beside the
    IPv4 wildcard: one server answers on both stacks. A value with an address
    of its own (``10.0.0.1:80``, ``[::1]:80``) stays as it is; a ``[::]`` value
    already given is not added twice.
    """
    out = [str(v) for v in values or []]
    if not ipv6:
        return out
    for value in list(out):
        match = _LISTEN_RE.match(value)
        if match and match.group('addr') in (None, '*'):
            extra = '[::]:' + match.group('port')
            if extra not in out:
                out.insert(out.index(value) + 1, extra)
    return out


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


def as_list(value) -> list:
    """A list variable that may be given as one value."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def parse_ipv4(value):
    """An IPv4 address as an IPv4Address, None when it is not one."""
    try:
        return ipaddress.IPv4Address(str(value).strip())
    except ValueError:
        return None


def parse_vip(value):
    """An IPv4 address with its prefix length (``10.0.0.100/24``) as an IPv4Interface, None when it is not one."""
    text = str(value).strip()
    if '/' not in text:
        return None
    try:
        return ipaddress.IPv4Interface(text)
    except ValueError:
        return None


def keepalived_conf(text: str) -> dict:
    """What a keepalived.conf the role wrote says of the host: ``src`` (unicast_src_ip) and ``vips`` (addresses)."""
    src = _KEEPALIVED_SRC_RE.search(text or '')
    vips = []
    for block in _KEEPALIVED_VIPS_RE.findall(text or ''):
        for line in block.splitlines():
            words = line.split()
            if words and parse_ipv4(words[0].split('/')[0]) is not None:
                vips.append(words[0].split('/')[0])
    return {'src': src.group(1) if src else None, 'vips': vips}


def floating_addresses(vips, conf: str = '') -> set[str]:
    """The floating addresses of a host, which are not its own.

    Those of its ``keepalived_vip`` ``vips`` (the text before "/" of a value
    that is not an address with its prefix length) and those its keepalived.conf
    ``conf`` holds now, which may name the VIP of an earlier inventory.
    """
    floating = set(keepalived_conf(conf)['vips'])
    for vip in as_list(vips):
        parsed = parse_vip(vip)
        floating.add(str(parsed.ip) if parsed is not None else str(vip).split('/', 1)[0])
    return floating
