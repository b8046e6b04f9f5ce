# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: site_tls_plan
short_description: What the site role does with the keys and certificates it makes, step by step
version_added: 0.1.0
description:
  - The C(webstack.nginx_uwsgi.site) role makes the key and certificate of C(selfsigned) and C(acme) sites. Hosts of
    the play that serve a site of the same name, TLS mode and server names share them; the first of them in play order
    (the owner) makes them, or orders them once from the ACME server, and hands copies to the others, so that every
    load balancer of a name presents the same certificate.
  - Each O(step) returns what one task of the role needs, from the facts of this host and of the others (O(hostvars)).
    The rules are in the collection's C(tls_plan) module utils.
options:
  _input:
    description: The host (C(inventory_hostname)).
    type: str
    required: true
  step:
    description:
      - C(read) (the C(certificate_facts) arguments that read the certificates and keys of O(made)),
        C(challenge_files) and C(challenge_removals) (the C(managed_files) entries that publish or remove the
        challenges O(challenges) under O(directory)),
        C(peers) (site name to the hosts that share it, the owner first), C(due) (C(key_due), C(selfsigned_due),
        C(acme_ready), C(acme_due), C(acme_dns_due)), C(acme_work) (the ACME orders this host takes part in),
        C(acme_challenges) (the http-01 challenges it publishes), C(http_challenges) (the challenges of the http-01
        orders O(orders)), C(dns_records) (the TXT records of the dns-01 orders O(orders), each a record and its
        values), C(share_owned) (what the owner hands over now), C(share_read) (the
        C(certificate_facts) arguments that read it), C(share_files) (the C(managed_files) entries that write the
        copies), C(received) (ACME sites whose copy was just written).
    type: str
    required: true
    choices: [read, challenge_files, challenge_removals, peers, due, acme_work, acme_challenges, http_challenges,
              dns_records, share_owned, share_read, share_files, received, staged]
  made:
    description: The normalized sites whose key and certificate the role makes on this host.
    type: list
    elements: dict
  hostvars:
    description: The C(hostvars) magic variable (the C(__site*) facts of the other hosts).
    type: dict
  play_hosts:
    description: With O(step=peers), the hosts of the play (C(ansible_play_batch)).
    type: list
    elements: str
  share:
    description: With O(step=peers), false to make every host make its own (C(site_tls_share)).
    type: bool
    default: true
  certs:
    description: With O(step=due) and O(step=share_owned), this host's C(certificate_facts) result.
    type: dict
  peers:
    description: The result of O(step=peers).
    type: dict
  staged:
    description: With O(step=share_owned) and O(step=staged), the result of O(step=staged) so far.
    type: dict
  files_sites:
    description: With O(step=staged), the tls.mode=files sites.
    type: list
    elements: str
  key_due:
    description: With O(step=staged), the sites whose key was made now.
    type: list
    elements: str
  selfsigned_due:
    description: With O(step=staged), the sites whose self-signed certificate was made now.
    type: list
    elements: str
  issued:
    description: With O(step=staged), the ACME sites whose certificate was issued now.
    type: list
    elements: str
  work:
    description: With O(step=acme_challenges), the result of O(step=acme_work).
    type: list
    elements: str
  owned:
    description: With O(step=share_read), the result of O(step=share_owned).
    type: dict
  key_mode:
    description: With O(step=share_files), the mode of the keys (C(site_tls_key_mode)).
    type: str
  challenges:
    description: With O(step=challenge_files) and O(step=challenge_removals), the result of O(step=acme_challenges).
    type: list
    elements: dict
  directory:
    description: With O(step=challenge_files) and O(step=challenge_removals), the directory of the challenges.
    type: str
  orders:
    description: With O(step=http_challenges) and O(step=dns_records), the results of C(community.crypto.acme_certificate) (the orders).
    type: list
    elements: dict
  files:
    description: With O(step=received) and O(step=staged), the result of O(step=share_files).
    type: list
    elements: dict
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Who makes the certificates of this host's sites
  ansible.builtin.debug:
    msg: >-
      {{ inventory_hostname | webstack.nginx_uwsgi.site_tls_plan('peers', made=__site_made, hostvars=hostvars,
         play_hosts=ansible_play_batch) }}
"""

RETURN = r"""
_value:
  description: Depends on O(step); for C(peers), site name to the hosts that share its key and certificate.
  type: raw
  sample: {"webstack-lb": ["lb1", "lb2"]}
"""

from ansible.errors import AnsibleFilterError
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import tls_plan
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.site_rules import tls_peers

# state_of(host) keys to the facts the role's tasks leave on each host
_FACTS = {
    'acme_due': ('__site_tls', 'acme_due'),
    'acme_challenges': ('__site_tls', 'acme_challenges'),
    'certs': ('__site_certs',),
    'share_owned': ('__site_tls', 'share_owned'),
    'share_read': ('__site_share_read', 'contents'),
}


def _state(hostvars):
    def state_of(host):
        values = hostvars.get(host) or {}
        out = {}
        for key, path in _FACTS.items():
            value = values
            for part in path:
                value = value.get(part) if hasattr(value, 'get') else None
            out[key] = value
        return out
    return state_of


def site_tls_plan(host, step, made=None, hostvars=None, play_hosts=None, share=True, certs=None, peers=None,
                  staged=None, work=None, owned=None, key_mode=None, files=None, files_sites=None, key_due=None,
                  selfsigned_due=None, issued=None, challenges=None, directory=None, orders=None):
    """One step of the site role's keys and certificates (see DOCUMENTATION)."""
    made = list(made or [])
    state_of = _state(hostvars or {})
    if step == 'read':
        return tls_plan.read(made)
    if step in ('challenge_files', 'challenge_removals'):
        return tls_plan.challenge_files(challenges, directory, present=step == 'challenge_files')
    if step == 'peers':
        def sites_of(name):
            values = (hostvars or {}).get(name) or {}
            normalized = values.get('__site') if hasattr(values, 'get') else None
            return (normalized or {}).get('sites')
        return tls_peers(host, list(play_hosts or []) if share else [host], sites_of)
    if step == 'due':
        return tls_plan.due(host, made, certs, peers or {})
    if step == 'acme_work':
        return tls_plan.acme_work(host, made, peers or {}, state_of)
    if step == 'acme_challenges':
        return tls_plan.acme_challenges(work or [], peers or {}, host, state_of)
    if step == 'http_challenges':
        return tls_plan.http_challenges(orders)
    if step == 'dns_records':
        return tls_plan.dns_records(orders)
    if step == 'share_owned':
        return tls_plan.share_owned(host, made, peers or {}, certs, staged, state_of)
    if step == 'share_read':
        return tls_plan.share_read(owned or {})
    if step == 'share_files':
        return tls_plan.share_files(host, made, peers or {}, key_mode, state_of)
    if step == 'received':
        return tls_plan.received(made, files)
    if step == 'staged':
        return tls_plan.staged(made, files_sites, key_due, selfsigned_due, issued, tls_plan.received(made, files),
                               staged)
    raise AnsibleFilterError('site_tls_plan: unknown step %r' % (step,))


class FilterModule(object):
    """Keys and certificates of the site role."""

    def filters(self):
        return {"site_tls_plan": site_tls_plan}
