# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rules and values of the firewall role (one nftables table of the collection's own, input filtered).

:func:`problems` checks the ``firewall_*`` variables (the fleet checks its
``webstack_firewall_*`` ones with the same helpers, under their own names);
:func:`normalize` works out, once, every line the ruleset template renders;
:func:`lockout_problems` says whether the controller's own connection (the
``SSH_CONNECTION`` the host saw) is let in by the new ruleset, before it goes
live.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import rules

TABLE_RE = re.compile(r'^[A-Za-z][A-Za-z0-9_]{0,31}$')
COMMENT_RE = re.compile(r'^[A-Za-z0-9 _.,:/()+=-]{0,64}$')
PROTOS = ('tcp', 'udp')
ANYWHERE = ('0.0.0.0/0', '::/0')
RULE_KEYS = ('port', 'proto', 'from', 'comment')
# The unit the role installs (its vars/main.yml, __firewall_paths.unit), whose state the fleet's check reads.
UNIT = 'webstack-firewall.service'
ROLLBACK_MIN, ROLLBACK_MAX = 10, 3600


def _network(value):
    """The network of an address or CIDR range (host bits allowed), None when it is neither."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return ipaddress.ip_network(str(value).strip(), strict=False)
    except ValueError:
        return None


def network_list_problems(name: str, value, empty_ok: bool = True) -> list[str]:
    """Problems of a list of addresses/CIDR ranges named ``name`` (``webstack_firewall_ssh_from``, ...)."""
    if not isinstance(value, list):
        return ['%s must be a list of IPv4/IPv6 addresses or networks, got %r.' % (name, value)]
    out = ['%s[%d] (%s) is not an IPv4/IPv6 address or network.' % (name, index, entry)
           for index, entry in enumerate(value) if _network(entry) is None]
    if not value and not empty_ok:
        out.append('%s is empty: nobody could reach the host this way (give 0.0.0.0/0 and ::/0 for anywhere).' % name)
    return out


def rule_list_problems(name: str, value) -> list[str]:
    """Problems of a list of extra accepts ({port, proto, from, comment}) named ``name``."""
    if not isinstance(value, list):
        return ['%s must be a list of {port, proto, from} entries, got %r.' % (name, value)]
    out = []
    for index, rule in enumerate(value):
        where = '%s[%d]' % (name, index)
        if not isinstance(rule, dict):
            out.append('%s must be a mapping {port, proto, from}, got %r.' % (where, rule))
            continue
        for key in sorted(k for k in rule if k not in RULE_KEYS):
            out.append('%s.%s is not a key of a rule (%s).' % (where, key, ', '.join(RULE_KEYS)))
        if not rules.is_port(rule.get('port')):
            out.append('%s.port (%s) must be a port (1-65535).' % (where, rule.get('port')))
        if rule.get('proto', 'tcp') not in PROTOS:
            out.append('%s.proto (%s) must be one of %s.' % (where, rule.get('proto'), ', '.join(PROTOS)))
        if 'from' not in rule:
            out.append('%s.from is missing: the addresses or networks let in (0.0.0.0/0 and ::/0 for anywhere).'
                       % where)
        else:
            out.extend(network_list_problems('%s.from' % where, rule['from'], empty_ok=False))
        if not COMMENT_RE.match(str(rule.get('comment', ''))):
            out.append('%s.comment (%s) must be up to 64 letters, digits, spaces and _.,:/()+=-.'
                       % (where, rule.get('comment')))
    return out


def problems(values: dict) -> list[str]:
    """Every problem of the ``firewall_*`` variables, each naming its variable."""
    out = []
    if not TABLE_RE.match(str(values.get('firewall_table'))):
        out.append('firewall_table (%s) must be a name of letters, digits and _ (up to 32, a letter first).'
                   % values.get('firewall_table'))
    out.extend(network_list_problems('firewall_ssh_from', values.get('firewall_ssh_from'), empty_ok=False))
    if not rules.is_port(values.get('firewall_ssh_port')):
        out.append('firewall_ssh_port (%s) must be a port (1-65535).' % values.get('firewall_ssh_port'))
    out.extend(rule_list_problems('firewall_rules', values.get('firewall_rules')))
    out.extend(network_list_problems('firewall_vrrp_from', values.get('firewall_vrrp_from')))
    timeout = values.get('firewall_rollback_timeout')
    if isinstance(timeout, bool) or not str(timeout).isdigit() or not ROLLBACK_MIN <= int(timeout) <= ROLLBACK_MAX:
        out.append('firewall_rollback_timeout (%s) must be a number of seconds from %d to %d.'
                   % (timeout, ROLLBACK_MIN, ROLLBACK_MAX))
    return out


def _sources(entries) -> tuple[list, list]:
    """IPv4 and IPv6 networks of ``entries``, each collapsed (nft rejects overlapping elements of a set)."""
    nets = [_network(entry) for entry in entries or []]
    v4 = list(ipaddress.collapse_addresses(n for n in nets if n is not None and n.version == 4))
    v6 = list(ipaddress.collapse_addresses(n for n in nets if n is not None and n.version == 6))
    return v4, v6


def _match_lines(entries, what: str) -> list[str]:
    """nft rule lines accepting ``what`` (``tcp dport 22``) from ``entries``: one per family, none for a family
    no entry names, no address match for a family let in whole (``0.0.0.0/0``)."""
    v4, v6 = _sources(entries)
    whole4 = any(n.prefixlen == 0 for n in v4)
    whole6 = any(n.prefixlen == 0 for n in v6)
    if whole4 and whole6:
        return [what]
    out = []
    for family, nets, whole in (('ip', v4, whole4), ('ip6', v6, whole6)):
        if whole:
            out.append('meta nfproto %s %s' % ('ipv4' if family == 'ip' else 'ipv6', what))
        elif nets:
            out.append('%s saddr { %s } %s' % (family, ', '.join(_element(n) for n in nets), what))
    return out


def _element(net) -> str:
    """An element of an nft set: an address alone, a network with its prefix length."""
    return str(net.network_address) if net.prefixlen == net.max_prefixlen else str(net)


def _comment(text: str) -> str:
    return ' comment "%s"' % text if text else ''


def normalize(values: dict) -> dict:
    """What the ruleset template renders: the table and the accept lines of the input chain, in order."""
    lines = []
    for line in _match_lines(values.get('firewall_ssh_from'), 'tcp dport %d' % int(values['firewall_ssh_port'])):
        lines.append('%s accept%s' % (line, _comment('ssh (firewall_ssh_from)')))
    for index, rule in enumerate(values.get('firewall_rules') or []):
        what = '%s dport %d' % (rule.get('proto', 'tcp'), int(rule['port']))
        for line in _match_lines(rule['from'], what):
            lines.append('%s accept%s' % (line, _comment(rule.get('comment') or 'firewall_rules[%d]' % index)))
    # VRRP (protocol 112) of the keepalived peers, unicast
    for line in _match_lines(values.get('firewall_vrrp_from'), 'meta l4proto 112'):
        lines.append('%s accept%s' % (line, _comment('vrrp (firewall_vrrp_from)')))
    return {'enabled': bool(values.get('firewall_enabled')), 'table': str(values['firewall_table']),
            'accept': lines, 'rollback_timeout': int(values['firewall_rollback_timeout']),
            # the controller gets half the rollback time to come back, so that it knows before the host reverts
            'confirm_timeout': max(5, int(values['firewall_rollback_timeout']) // 2)}


def _address(value):
    try:
        address = ipaddress.ip_address(str(value).strip().split('%', maxsplit=1)[0])
    except ValueError:
        return None
    mapped = getattr(address, 'ipv4_mapped', None)
    return mapped or address


def accepts(values: dict, address: str, port: int, proto: str = 'tcp') -> bool:
    """Whether the ruleset of ``values`` lets a new ``proto`` connection from ``address`` to ``port`` in."""
    parsed = _address(address)
    if parsed is None:
        return False
    if parsed.is_loopback:
        return True  # iif lo accept
    allowed = []
    if proto == 'tcp' and rules.is_port(values.get('firewall_ssh_port')) and int(values['firewall_ssh_port']) == port:
        allowed.extend(values.get('firewall_ssh_from') or [])
    for rule in values.get('firewall_rules') or []:
        if rule.get('proto', 'tcp') == proto and str(rule.get('port')) == str(port):
            allowed.extend(rule.get('from') or [])
    return any(parsed in net for net in (_network(e) for e in allowed) if net is not None and net.version == parsed.version)


def controller(ssh_connection) -> tuple[str, int] | None:
    """The controller's address and the host's SSH port from ``SSH_CONNECTION`` (client port server-address
    server-port), None when there is none (a local or container connection)."""
    fields = str(ssh_connection or '').split()
    if len(fields) != 4 or _address(fields[0]) is None or not fields[3].isdigit():
        return None
    return fields[0], int(fields[3])


def lockout_problems(values: dict, ssh_connection, host: str, name: str = 'firewall_ssh_from') -> list[str]:
    """A message when the new ruleset would not let the controller's next connection in (``name``: the variable
    to name, ``webstack_firewall_ssh_from`` in the fleet)."""
    if not values.get('firewall_enabled') or not values.get('firewall_lockout_check', True):
        return []
    found = controller(ssh_connection)
    if found is None:
        return []
    address, port = found
    if accepts(values, address, port):
        return []
    return ['%s (%s) does not let in the controller, which reaches %s from %s on port %d: the new ruleset would '
            'lock it out. Add its address or network (or firewall_rules for port %d).'
            % (name, ', '.join(str(e) for e in values.get('firewall_ssh_from') or []) or 'empty', host, address,
               port, port)]


def host_problems(values: dict, host_facts: dict, host: str, name: str = 'firewall_ssh_from') -> list[str]:
    """What the host (the ``firewall_facts`` module's result) says against loading the ruleset: no
    CAP_NET_ADMIN, or a controller the ruleset would lock out."""
    if not values.get('firewall_enabled'):
        return []
    facts = host_facts if isinstance(host_facts, dict) else {}
    out = []
    if not facts.get('net_admin'):
        out.append('%s may not change its packet filter (no CAP_NET_ADMIN; a container needs --cap-add NET_ADMIN): '
                   'the firewall cannot be loaded there. Turn it off for this host (firewall_enabled, '
                   'webstack_firewall in the fleet).' % host)
    return out + lockout_problems(values, facts.get('ssh_connection'), host, name)
