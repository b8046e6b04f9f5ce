# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the site role does with the keys and certificates it makes, step by step.

The role makes the key and certificate of C(selfsigned) and C(acme) sites
(``made``: normalized sites). Hosts of the play that serve a site of the same
name, TLS mode and server names share them (``peers``: site name to hosts, from
site_rules.tls_peers): the first host, the owner, makes them or orders them
from the ACME server once for all, and hands copies to the others. Each
function here is one step of roles/site/tasks/{tls,acme,share}.yml; ``state_of``
returns what another host of the play found or did (its facts), so that the
tasks only pass values around.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


def _names(sites):
    return [s['name'] for s in sites]


def _owner(peers, name, host):
    return (peers.get(name) or [host])[0]


def _shared(peers, name):
    return len(peers.get(name) or []) > 1


def _sha(facts, kind, path):
    return ((facts or {}).get(kind) or {}).get(path, {}).get('sha256')


def read(made):
    """The certificate_facts arguments that read the certificates (with the names they must hold) and keys."""
    return {'certificates': [{'path': s['tls']['cert'], 'names': s['server_names']} for s in made],
            'keys': [s['tls']['key'] for s in made]}


def challenge_files(challenges, directory, present=True):
    """The managed_files entries that publish (or remove) the http-01 ``challenges`` under ``directory``."""
    out = []
    for challenge in challenges or []:
        http01 = challenge['value']['http-01']
        entry = {'path': '%s/%s' % (directory, http01['resource'])}
        entry.update({'content': http01['resource_value'], 'mode': '0644'} if present else {'state': 'absent'})
        out.append(entry)
    return out


def due(host, made, certs, peers):
    """Which keys and certificates ``host`` makes now, from its certificate_facts ``certs``.

    key_due: owned sites whose key is missing or of another type;
    selfsigned_due: owned self-signed sites whose certificate is due (missing,
    expiring, other names) or whose key is made now; acme_ready: ACME sites
    with a readable certificate here; acme_due: owned ACME sites to order.
    """
    certificates = (certs or {}).get('certificates') or {}
    keys = (certs or {}).get('private_keys') or {}
    owned = set(name for name, hosts in peers.items() if hosts and hosts[0] == host)
    owned.update(s['name'] for s in made if s['name'] not in peers)
    cert_due = set(s['name'] for s in made if (certificates.get(s['tls']['cert']) or {}).get('due'))
    key_due = [s['name'] for s in made
               if s['name'] in owned and (keys.get(s['tls']['key']) or {}).get('type') != s['tls']['key_type']]
    renew = cert_due.union(key_due)
    return {
        'key_due': key_due,
        'selfsigned_due': [s['name'] for s in made
                           if s['tls']['mode'] == 'selfsigned' and s['name'] in owned and s['name'] in renew],
        'acme_ready': [s['name'] for s in made if s['tls']['mode'] == 'acme'
                       and (certificates.get(s['tls']['cert']) or {}).get('readable', True)],
        'acme_due': [s['name'] for s in made
                     if s['tls']['mode'] == 'acme' and s['name'] in owned and s['name'] in renew],
        # those of them the CA checks with dns-01 (the host needs site_acme_dns_packages for the updates)
        'acme_dns_due': [s['name'] for s in made
                         if s['tls']['mode'] == 'acme' and s['tls'].get('challenge') == 'dns-01'
                         and s['name'] in owned and s['name'] in renew],
    }


def acme_work(host, made, peers, state_of):
    """The ACME sites whose order ``host`` takes part in: those its owner orders now (its ``acme_due``)."""
    return [s['name'] for s in made if s['tls']['mode'] == 'acme'
            and s['name'] in (state_of(_owner(peers, s['name'], host)).get('acme_due') or [])]


def acme_challenges(work, peers, host, state_of):
    """The http-01 challenges ``host`` publishes: those of the orders of its owners, each once."""
    out = []
    for name in work:
        for challenge in state_of(_owner(peers, name, host)).get('acme_challenges') or []:
            if challenge not in out:
                out.append(challenge)
    return out


def _orders(orders, challenge):
    """The ``orders`` (acme_certificate results of a loop over the signing requests of the sites) that asked for
    a new certificate with ``challenge``."""
    for order in orders or []:
        if not isinstance(order, dict) or not order.get('changed'):
            continue
        site = ((order.get('item') or {}).get('item') or {})
        if ((site.get('tls') or {}).get('challenge') or 'http-01') == challenge:
            yield order


def http_challenges(orders):
    """The http-01 challenges of the ``orders`` (their ``challenge_data`` as name/value items).

    The CA offers every type of challenge for each name; only the orders of
    http-01 sites are served over HTTP.
    """
    out = []
    for order in _orders(orders, 'http-01'):
        for name, value in sorted((order.get('challenge_data') or {}).items()):
            out.append({'key': name, 'value': value})
    return out


def dns_records(orders):
    """The TXT records of the dns-01 ``orders``: ``[{'record', 'values'}]``.

    ``record`` is absolute (``_acme-challenge.example.test.``), so that the
    update finds its zone when site_acme_dns_zone is empty; the values of a
    wildcard and of its base name (``*.example.test`` and ``example.test``)
    share one record, which gets both.
    """
    by_record = {}
    for order in _orders(orders, 'dns-01'):
        for record, values in sorted((order.get('challenge_data_dns') or {}).items()):
            name = str(record).rstrip('.') + '.'
            known = by_record.setdefault(name, [])
            known.extend(v for v in values or [] if v not in known)
    return [{'record': name, 'values': by_record[name]} for name in sorted(by_record)]


def share_owned(host, made, peers, certs, staged, state_of):
    """The shared sites whose key and certificate the owner ``host`` hands over now, to their paths here.

    Those it staged now (``staged``: see :func:`staged`; read from the staging
    directory, as they are not live yet), and those a peer has another copy of
    (SHA-256 of the certificate and key from each host's certificate_facts
    ``certs``), as long as the owner has both halves (an ACME key waits for its
    certificate).
    """
    out = {}
    for site in made:
        name, tls = site['name'], site['tls']
        if not _shared(peers, name) or peers[name][0] != host:
            continue
        now = (staged or {}).get(name) or {}
        mine = (_sha(certs, 'certificates', tls['cert']), _sha(certs, 'private_keys', tls['key']))
        if None in mine and not now.get('cert'):
            continue
        for peer in peers[name][1:]:
            theirs = state_of(peer).get('certs')
            got = (_sha(theirs, 'certificates', tls['cert']), _sha(theirs, 'private_keys', tls['key']))
            if got != mine or now.get('cert'):
                out[name] = {
                    'cert': tls['staged_cert'] if now.get('cert') else tls['cert'],
                    'key': tls['staged_key'] if now.get('key') else tls['key'],
                    'chain': (tls['staged_chain'] if now.get('chain') else tls['chain']) if tls.get('chain') else None,
                }
                break
    return out


def share_read(owned):
    """The certificate_facts arguments that read what the owner hands over (certificates, chains, keys)."""
    certificates = []
    for name in sorted(owned):
        certificates.extend({'path': path} for path in (owned[name]['cert'], owned[name]['chain']) if path)
    return {'certificates': certificates, 'keys': [owned[name]['key'] for name in sorted(owned)]}


def share_files(host, made, peers, key_mode, state_of):
    """The managed_files entries that stage, on ``host``, the copies its owners hand over.

    Written in the site's staging directory of ``host`` (they go live with
    its sites, site_plan.tls_files), from the contents its owner read
    (``share_read``) at the owner's paths (``share_owned``).
    """
    out = []
    for site in made:
        name, tls = site['name'], site['tls']
        owner = _owner(peers, name, host)
        if not _shared(peers, name) or owner == host:
            continue
        theirs = state_of(owner)
        other = (theirs.get('share_owned') or {}).get(name)
        if not other:
            continue
        read = theirs.get('share_read') or {}
        if other['cert'] not in read or other['key'] not in read:
            continue
        out.append({'path': tls['dir'], 'state': 'directory', 'mode': '0750'})
        out.append({'path': tls['staged_dir'], 'state': 'directory', 'mode': '0700'})
        out.append({'path': tls['staged_cert'], 'mode': '0644', 'content': read[other['cert']]})
        out.append({'path': tls['staged_key'], 'mode': key_mode, 'diff': False, 'content': read[other['key']]})
        if tls.get('chain') and other.get('chain') in read:
            out.append({'path': tls['staged_chain'], 'mode': '0644', 'content': read[other['chain']]})
    return out


def received(made, files):
    """The sites whose owner's copy ``files`` (the result of :func:`share_files`) stages here."""
    paths = set(f['path'] for f in files or [])
    return [s['name'] for s in made if s['tls']['staged_cert'] in paths]


def staged(made, files_sites=(), key_due=(), selfsigned_due=(), issued=(), received_now=(), before=None):
    """Site name to what this run staged of it: ``{'cert': bool, 'key': bool, 'chain': bool}``.

    ``files_sites``: tls.mode=files sites (their pair is copied from the
    controller at every run); ``key_due``, ``selfsigned_due``: what the owner
    made (see :func:`due`); ``issued``: ACME certificates the owner got now;
    ``received_now``: copies an owner handed over; ``before``: what an earlier
    step of the run staged.
    """
    out = dict(before or {})
    for name in files_sites or ():
        out[name] = {'cert': True, 'key': True, 'chain': False}
    for site in made:
        name, tls = site['name'], site['tls']
        if name in (received_now or ()):
            out[name] = {'cert': True, 'key': True, 'chain': bool(tls.get('chain'))}
        elif name in (selfsigned_due or ()) or name in (issued or ()):
            out[name] = {'cert': True, 'key': name in (key_due or ()), 'chain': bool(tls.get('chain'))}
    return out
