# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rules and values of the keepalived role (a floating address shared by the load balancers).

Where the values come from, decided here once:

- The peers are the hosts of ``keepalived_peers`` (default: the group
  ``webstack_loadbalancers``), in that order.
- A peer's address (its ``unicast_src_ip``, and a ``unicast_peer`` of the
  others) is its ``keepalived_address`` host variable when set, else the one
  address of its interfaces inside the network of a VIP, as the collection's
  ``nginx_facts`` module reported it (``ansible_facts.nginx.addresses``, read
  from /proc on each host). /proc does not tell a host's own address from
  one keepalived added, so the floating addresses are left out: those of
  ``keepalived_vip`` and those of the keepalived.conf the host has now (the
  role reads it into ``keepalived_current_conf`` on each host), which also names
  the address chosen before (``unicast_src_ip``) when several remain.
- The interface is ``keepalived_interface`` when set, else the interface of
  the connected route (from the host's /proc/net/route) whose network holds
  the host's address: minimal hosts have no ``ip`` command.
- A peer's priority is its ``keepalived_priority`` host variable when set,
  else 150 for the first host of the peers, 140 for the second, and so on.

Each rule takes a :class:`Context` and yields messages that name the
variable (and the host, for a value of another peer).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import struct

# in rules.py: the fleet's composition reads the floating addresses of a load balancer too
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rules import (
    as_list,
    keepalived_conf as parse_conf,
    parse_ipv4 as parse_address,
    parse_vip,
)

DEFAULT_GROUP = 'webstack_loadbalancers'
PRIORITY_FIRST = 150
PRIORITY_STEP = 10
# What every peer must agree on, when the inventory sets it for them.
SHARED = ('keepalived_vip', 'keepalived_router_id', 'keepalived_advert_int', 'keepalived_auth_pass')

# A Linux interface name: at most 15 bytes, no "/", white space or ":"-alias tricks keepalived rejects.
IFACE_RE = re.compile(r'^[A-Za-z0-9_.@-]{1,15}$')
USER_RE = re.compile(r'^[a-z_][a-z0-9_-]{0,31}$')
# VRRP PASS authentication carries 8 bytes; keepalived's lexer treats quotes,
# "#" and "!" (comments) and braces specially.
PASS_RE = re.compile(r'^[A-Za-z0-9$%&()*+,./:;<=>?@\[\]^_`|~-]{1,8}$')
URL_RE = re.compile(r'^http://(?P<host>[A-Za-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?(?P<path>/[^\s"\']*)?$')
RTF_UP, RTF_GATEWAY = 0x1, 0x2


def as_int(value):
    """An integer variable (``51`` or ``"51"``, as ``-e`` gives it), None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def parse_routes(text: str) -> list[tuple[str, ipaddress.IPv4Network]]:
    """Connected IPv4 routes (interface, network) of /proc/net/route, most specific first.

    /proc/net/route prints addresses in the byte order of the host; every
    platform the collection supports (amd64, arm64) is little-endian.
    """
    routes = []
    for line in (text or '').splitlines()[1:]:
        fields = line.split()
        if len(fields) < 8:
            continue
        try:
            iface, destination, gateway, flags, mask = fields[0], int(fields[1], 16), int(fields[2], 16), \
                int(fields[3], 16), int(fields[7], 16)
        except ValueError:
            continue
        if not flags & RTF_UP or flags & RTF_GATEWAY or gateway or not mask:
            continue
        network = '%s/%s' % (socket.inet_ntoa(struct.pack('<L', destination)),
                             socket.inet_ntoa(struct.pack('<L', mask)))
        try:
            routes.append((iface, ipaddress.IPv4Network(network)))
        except ValueError:
            continue
    return sorted(routes, key=lambda route: -route[1].prefixlen)


def route_interface(address, routes) -> str | None:
    """The interface whose connected network holds ``address`` (the most specific), None when none does."""
    address = parse_address(address)
    if address is None:
        return None
    for iface, network in routes:
        if address in network:
            return iface
    return None


def _vars(hostvars, host) -> dict:
    return hostvars.get(host) or {}


class Context:
    """The role's variables on ``host`` and what the inventory says of the peers."""

    def __init__(self, variables: dict, host: str, hostvars=None, groups=None, routes: str | None = None):
        self.v = dict(variables)
        self.host = host
        self.hostvars = hostvars or {}
        self.groups = groups or {}
        self.routes = None if routes is None else parse_routes(routes)
        self.vips = [parse_vip(value) for value in as_list(self.v.get('keepalived_vip'))]
        self.vip_addresses = [vip.ip for vip in self.vips if vip is not None]

    # the peers -------------------------------------------------------------
    @property
    def peers(self) -> list:
        value = self.v.get('keepalived_peers')
        return as_list(value) if value is not None else list(self.groups.get(DEFAULT_GROUP) or [])

    def value_of(self, peer: str, name: str):
        """A keepalived_* value of a peer: this host's own value, or what the inventory sets for the other."""
        if peer == self.host:
            return self.v.get(name)
        return _vars(self.hostvars, peer).get(name)

    def facts_addresses(self, peer: str):
        """The addresses nginx_facts reported for a peer, None when it did not run there."""
        facts = _vars(self.hostvars, peer).get('ansible_facts') or {}
        found = (facts.get('nginx') or {}).get('addresses')
        return None if found is None else list(found)

    def address_of(self, peer: str):
        """(address, None) of a peer, or (None, why it is unknown)."""
        given = self.value_of(peer, 'keepalived_address')
        if given:
            address = parse_address(given)
            if address is None:
                return None, 'keepalived_address (%s) of %s must be an IPv4 address.' % (given, peer)
            return str(address), None
        found = self.facts_addresses(peer)
        networks = [vip.network for vip in self.vips if vip is not None]
        if not networks:
            return None, None  # no valid keepalived_vip: its rule says so
        if found is None:
            return None, ('the address of %s is unknown: set keepalived_address for it in the inventory, or run the '
                          'play on every host of keepalived_peers at once (nginx_facts reads the addresses of each '
                          'host).' % peer)
        now = parse_conf(_vars(self.hostvars, peer).get('keepalived_current_conf') or '')
        floating = set(str(address) for address in self.vip_addresses) | set(now['vips'])
        candidates = []
        for text in found:
            address = parse_address(text)
            if address is not None and str(address) not in floating and any(address in n for n in networks):
                candidates.append(str(address))
        if len(candidates) == 1:
            return candidates[0], None
        if now['src'] in candidates:
            return now['src'], None
        where = ', '.join(str(n) for n in networks)
        if not candidates:
            return None, ('the address of %s is unknown: none of its addresses (%s) is in the network of keepalived_vip '
                          '(%s); set keepalived_address for it.' % (peer, ', '.join(found) or 'none', where))
        return None, ('the address of %s is ambiguous: %s are all in the network of keepalived_vip (%s); set '
                      'keepalived_address for it.' % (peer, ', '.join(candidates), where))

    def priority_of(self, peer: str):
        value = self.value_of(peer, 'keepalived_priority')
        if value is not None:
            return as_int(value)
        return PRIORITY_FIRST - PRIORITY_STEP * self.peers.index(peer)

    def interface(self):
        """(interface, None), or (None, why it cannot be found)."""
        if self.v.get('keepalived_interface'):
            return self.v['keepalived_interface'], None
        address, dummy = self.address_of(self.host)
        if address is None or self.routes is None:
            return None, None  # reported by another rule, or not read yet
        iface = route_interface(address, self.routes)
        if iface is None:
            return None, ('keepalived_interface is not set and no interface of %s has a route to the network of its '
                          'address %s (/proc/net/route); set keepalived_interface.' % (self.host, address))
        return iface, None


# the rules ------------------------------------------------------------------
def vip(ctx):
    values = as_list(ctx.v.get('keepalived_vip'))
    if not values:
        yield 'keepalived_vip must name at least one address with its prefix length, for example 10.0.0.100/24.'
    seen = set()
    for index, (value, parsed) in enumerate(zip(values, ctx.vips)):
        if parsed is None:
            yield ('keepalived_vip[%d] (%s) must be an IPv4 address with its prefix length, for example 10.0.0.100/24.'
                   % (index, value))
            continue
        edges = (parsed.network.network_address, parsed.network.broadcast_address)
        if parsed.network.prefixlen < 31 and parsed.ip in edges:
            yield ('keepalived_vip[%d] (%s) is the network or broadcast address of %s; take a host address.'
                   % (index, value, parsed.network))
        if parsed.ip in seen:
            yield 'keepalived_vip[%d] (%s) is listed twice.' % (index, value)
        seen.add(parsed.ip)


def router_id(ctx):
    value = ctx.v.get('keepalived_router_id')
    if as_int(value) is None or not 1 <= as_int(value) <= 255:
        yield ('keepalived_router_id (%s) must be between 1 and 255: the VRRP virtual router id, the same on every '
               'peer and different from any other VRRP group of the network.' % value)


def priority(ctx):
    value = ctx.v.get('keepalived_priority')
    if value is not None and (as_int(value) is None or not 1 <= as_int(value) <= 254):
        yield 'keepalived_priority (%s) must be between 1 and 254 (255 is for the owner of the address).' % value


def timers(ctx):
    for name, low, high in (('keepalived_advert_int', 1, 255), ('keepalived_check_interval', 1, 3600),
                            ('keepalived_check_timeout', 1, 3600), ('keepalived_check_fall', 1, 255),
                            ('keepalived_check_rise', 1, 255)):
        value = ctx.v.get(name)
        if as_int(value) is None or not low <= as_int(value) <= high:
            yield '%s (%s) must be between %d and %d.' % (name, value, low, high)


def auth_pass(ctx):
    value = ctx.v.get('keepalived_auth_pass')
    if value is not None and not PASS_RE.match(str(value)):
        # never the value itself: it is a secret
        yield ('keepalived_auth_pass must be 1 to 8 characters, without white space, quotes, "#", "!" or braces: '
               'VRRP PASS authentication carries 8 bytes (keepalived would cut a longer one).')


def names(ctx):
    iface = ctx.v.get('keepalived_interface')
    if iface is not None and not IFACE_RE.match(str(iface)):
        yield 'keepalived_interface (%s) must be an interface name (at most 15 letters, digits, ".", "-", "_", "@").' % iface
    user = ctx.v.get('keepalived_script_user')
    if not USER_RE.match(str(user)):
        yield 'keepalived_script_user (%s) must be a user name (lower case letters, digits, "_", "-").' % user


def check(ctx):
    script = ctx.v.get('keepalived_check_script')
    if script is not None and (not str(script).strip() or re.search(r'["\n\r]', str(script))):
        yield ('keepalived_check_script (%s) must be a command line without double quotes or line breaks (keepalived '
               'runs it as the script user).' % script)
    url = ctx.v.get('keepalived_check_url')
    match = URL_RE.match(str(url))
    if not match or (match.group('port') and not 1 <= int(match.group('port')) <= 65535):
        yield ('keepalived_check_url (%s) must be http://<address or name>[:port]/<path>, for example '
               'http://127.0.0.1/nginx_status.' % url)


def extra(ctx):
    for name in ('keepalived_extra_global_defs', 'keepalived_extra_instance_directives'):
        for index, line in enumerate(as_list(ctx.v.get(name))):
            if not str(line).strip() or '\n' in str(line):
                yield '%s[%d] (%s) must be one line of keepalived.conf.' % (name, index, line)


def peers(ctx):
    given = ctx.v.get('keepalived_peers')
    hosts = ctx.peers
    if given is None and not hosts:
        yield ('keepalived_peers is not set and the group %s has no hosts: name the hosts that share the address.'
               % DEFAULT_GROUP)
        return
    if len(set(hosts)) < 2:
        yield ('keepalived_peers (%s) must name at least two hosts: with no peer keepalived would fall back to '
               'multicast, and nobody would take the address over.' % ', '.join(map(str, hosts)))
    seen = set()
    for index, peer in enumerate(hosts):
        if peer in seen:
            yield 'keepalived_peers[%d] (%s) is listed twice.' % (index, peer)
        seen.add(peer)
        if peer not in ctx.hostvars:
            yield 'keepalived_peers[%d] (%s) is not a host of the inventory.' % (index, peer)
    if ctx.host not in hosts:
        yield ('%s is not one of keepalived_peers (%s): run the role on the hosts that share the address only.'
               % (ctx.host, ', '.join(map(str, hosts))))


def addresses(ctx):
    hosts = [p for p in dict.fromkeys(ctx.peers) if p in ctx.hostvars or p == ctx.host]
    if ctx.host not in hosts:
        return
    found = {}
    for peer in hosts:
        # a floating address the host has while its keepalived.conf does not hold it: its own address
        has = ctx.facts_addresses(peer) or []
        held = parse_conf(_vars(ctx.hostvars, peer).get('keepalived_current_conf') or '')['vips']
        taken = [(index, vip) for index, vip in enumerate(ctx.vips)
                 if vip is not None and str(vip.ip) in has and str(vip.ip) not in held]
        for index, vip in taken:
            yield ('keepalived_vip[%d] (%s) is an address of %s already (not one its keepalived holds): the floating '
                   'address must be one no host has.' % (index, vip, peer))
        address, why = ctx.address_of(peer)
        if address is None:
            if why and not taken:
                yield why
            continue
        if address in found:
            yield 'keepalived_address (%s) of %s is also the address of %s: each peer needs its own.' % (
                address, peer, found[address])
        found.setdefault(address, peer)
        for index, parsed in enumerate(ctx.vips):
            if parsed is not None and str(parsed.ip) == address:
                yield ('keepalived_vip[%d] (%s) is the address of %s itself: the floating address must be one no '
                       'host has.' % (index, parsed, peer))
    own = ctx.v.get('keepalived_address')
    known = ctx.facts_addresses(ctx.host)
    if own and parse_address(own) is not None and known is not None and str(parse_address(own)) not in known:
        yield 'keepalived_address (%s) is not an address of %s (its addresses: %s).' % (
            own, ctx.host, ', '.join(known) or 'none')


def priorities(ctx):
    hosts = [p for p in dict.fromkeys(ctx.peers) if p in ctx.hostvars or p == ctx.host]
    if ctx.host not in hosts:
        return
    seen = {}
    for peer in hosts:
        value = ctx.priority_of(peer)
        if value is None or not 1 <= value <= 254:
            if peer != ctx.host or ctx.v.get('keepalived_priority') is None:
                yield ('keepalived_priority of %s (%s) must be between 1 and 254: set keepalived_priority for it in '
                       'the inventory.' % (peer, value))
            continue
        if value in seen:
            yield ('keepalived_priority (%s) of %s is also that of %s: each peer needs its own (set it per host in '
                   'the inventory, or leave it unset on every peer: 150, 140, ... in the order of keepalived_peers).'
                   % (value, peer, seen[value]))
        seen.setdefault(value, peer)


def shared(ctx):
    for peer in dict.fromkeys(ctx.peers):
        if peer == ctx.host or peer not in ctx.hostvars:
            continue
        values = _vars(ctx.hostvars, peer)
        for name in SHARED:
            if name not in values:
                continue
            mine, theirs = ctx.v.get(name), values.get(name)
            if name == 'keepalived_vip':
                mine, theirs = [str(x) for x in as_list(mine)], [str(x) for x in as_list(theirs)]
            elif mine is not None and theirs is not None:
                mine, theirs = str(mine), str(theirs)
            if mine != theirs:
                if name == 'keepalived_auth_pass':
                    yield ('keepalived_auth_pass of %s differs from that of %s: every host of keepalived_peers needs '
                           'the same.' % (ctx.host, peer))
                else:
                    yield ('%s (%s) differs from that of %s (%s): every host of keepalived_peers needs the same.'
                           % (name, mine, peer, theirs))


def interface(ctx):
    dummy, why = ctx.interface()
    if why:
        yield why


RULES = (vip, router_id, priority, timers, auth_pass, names, check, extra, peers, addresses, priorities, shared,
         interface)


def problems(variables: dict, host: str, hostvars=None, groups=None, routes: str | None = None) -> list[str]:
    """Every problem of the keepalived role's variables on ``host``."""
    ctx = Context(variables, host, hostvars, groups, routes)
    return [message for rule in RULES for message in rule(ctx)]


def instance(variables: dict, host: str, hostvars=None, groups=None, routes: str | None = None) -> dict:
    """What keepalived.conf says for ``host``, worked out once (for variables that passed :func:`problems`)."""
    ctx = Context(variables, host, hostvars, groups, routes)
    own, dummy = ctx.address_of(host)
    iface, dummy = ctx.interface()
    others = []
    for peer in dict.fromkeys(ctx.peers):
        if peer != host:
            address, dummy = ctx.address_of(peer)
            if address is not None and address != own and address not in others:
                others.append(address)
    return {
        'address': own,
        'interface': iface,
        'peers': others,
        'priority': ctx.priority_of(host),
        'vips': [str(vip) for vip in ctx.vips if vip is not None],
        'vip_addresses': [str(address) for address in ctx.vip_addresses],
    }


# the planned hand-over (entry point handover) ----------------------------------
HANDOVER_VALUES = ('away', 'back')


def _check_argv(ctx, peer: str) -> list[str]:
    """The nginx check of a peer as its keepalived runs it (its own keepalived_check_* values, else this host's)."""
    def value(name):
        found = ctx.value_of(peer, name)
        return ctx.v.get(name) if found is None else found
    user = str(value('keepalived_script_user') or 'keepalived_script')
    script = value('keepalived_check_script')
    argv = str(script).split() if script else ['/etc/keepalived/webstack-check-nginx', str(value('keepalived_check_url'))]
    return argv if user == 'root' else ['runuser', '-u', user, '--'] + argv


def _why_not(state: dict | None) -> str | None:
    """Why a peer could not take the address over (every reason), None when it could."""
    if not state or state.get('failed') or state.get('unreachable'):
        return 'it could not be read (%s)' % ((state or {}).get('msg') or 'unreachable')
    if not state.get('running'):
        return 'keepalived does not run there'
    reasons = []
    if not state.get('declared'):
        reasons.append('its keepalived.conf has no hand-over file (run the role\'s main entry point there first)')
    if state.get('handover') == 'away':
        reasons.append('it is handed over itself (run back there first)')
    if state.get('healthy') is False:
        reasons.append('its nginx check fails')
    if state.get('vrrp_state') not in ('BACKUP', 'MASTER'):
        reasons.append('its VRRP instance is in %s' % (state.get('vrrp_state') or 'no known state'))
    return ', '.join(reasons) or None


def handover(variables: dict, host: str, hostvars=None, groups=None, here: dict | None = None,
             states: dict | None = None) -> dict:
    """The planned hand-over of ``host``, worked out once.

    Without ``here`` and ``states``: the other peers and each one's check. With
    them (the ``keepalived_handover`` module's read of this host and of each
    other peer): the problems, each naming the variable or host, and the peer
    expected to take the address (the eligible one of the highest priority, or
    the one that holds it already).
    """
    ctx = Context(variables, host, hostvars, groups)
    others = [peer for peer in dict.fromkeys(ctx.peers) if peer != host]
    plan = {
        'others': others,
        'checks': {peer: _check_argv(ctx, peer) for peer in [host] + others},
        'vip_addresses': [str(address) for address in ctx.vip_addresses],
        'problems': [],
        'taker': None,
        'reclaims': False,
    }
    value = variables.get('keepalived_handover')
    problems = plan['problems']
    if value not in HANDOVER_VALUES:
        problems.append('keepalived_handover (%s) must be away (hand the floating address to a peer) or back.' % value)
    timeout = variables.get('keepalived_handover_timeout', 30)
    if as_int(timeout) is None or not 1 <= as_int(timeout) <= 3600:
        problems.append('keepalived_handover_timeout (%s) must be between 1 and 3600 seconds.' % timeout)
    linger = variables.get('keepalived_handover_linger', 5)
    if as_int(linger) is None or not 0 <= as_int(linger) <= 600:
        problems.append('keepalived_handover_linger (%s) must be between 0 and 600 seconds.' % linger)
    if host not in ctx.peers:
        problems.append('%s is not one of keepalived_peers (%s): only a host that shares the address can hand it over.'
                        % (host, ', '.join(map(str, ctx.peers))))
    if not plan['vip_addresses']:
        problems.append('keepalived_vip names no floating address to hand over.')
    if here is None or problems:
        return plan
    if not here.get('running'):
        problems.append('keepalived does not run on %s: nothing to hand over.' % host)
    elif not here.get('declared'):
        problems.append('the keepalived.conf of %s has no hand-over file: run the keepalived role (site.yml) on it '
                        'first.' % host)
    if value == 'back' and here.get('handover') == 'away' and here.get('healthy') is False:
        problems.append('the nginx check of %s fails: start nginx there before back (keepalived keeps the instance '
                        'in FAULT while it fails).' % host)
    states = states or {}
    holders = [peer for peer in others if set(plan['vip_addresses']) & set((states.get(peer) or {}).get('holds') or [])]
    if value == 'away' and here.get('handover') != 'away':
        if not others:
            problems.append('keepalived_peers (%s) names no other host to hand the address of %s over to.'
                            % (', '.join(map(str, ctx.peers)), host))
        reasons = {peer: _why_not(states.get(peer)) for peer in others}
        eligible = [peer for peer in others if reasons[peer] is None]
        if others and not eligible:
            problems.append('no other host of keepalived_peers can take the address over from %s: %s.' % (
                host, '; '.join('%s: %s' % (peer, reasons[peer]) for peer in others)))
        if eligible:
            plan['taker'] = sorted(eligible, key=lambda peer: -(ctx.priority_of(peer) or 0))[0]
    if value == 'away' and plan['taker'] is None and holders:
        plan['taker'] = holders[0]
    if value == 'back' and not problems:
        # with preemption the host of the highest priority among those not handed over takes the address back
        rivals = [ctx.priority_of(peer) or 0 for peer in others if (states.get(peer) or {}).get('handover') != 'away']
        plan['reclaims'] = (not _true(variables.get('keepalived_nopreempt'))
                            and (ctx.priority_of(host) or 0) > max(rivals or [0]))
    return plan


def _true(value) -> bool:
    return value is True or str(value).strip().lower() in ('true', 'yes', 'on', '1')
