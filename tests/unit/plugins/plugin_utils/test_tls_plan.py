# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import tls_plan
from ansible_collections.webstack.nginx_uwsgi.plugins.filter.site_tls_plan import site_tls_plan


def made(name, mode='selfsigned', key_type='ecdsa', base='/etc/ssl/site'):
    d = '%s/%s' % (base, name)
    return {'name': name, 'enabled': True, 'acme': mode == 'acme', 'server_names': [name + '.example.org'],
            'tls': {'mode': mode, 'key_type': key_type, 'dir': d, 'cert': d + '/fullchain.pem',
                    'key': d + '/privkey.pem', 'chain': d + '/chain.pem' if mode == 'acme' else None,
                    'staged_dir': d + '/staged', 'staged_cert': d + '/staged/fullchain.pem',
                    'staged_key': d + '/staged/privkey.pem',
                    'staged_chain': d + '/staged/chain.pem' if mode == 'acme' else None}}


def facts(*entries):
    """certificate_facts-like result: (site, cert sha or None, key type or None, key sha, due)."""
    certs, keys = {}, {}
    for site, cert_sha, key_type, key_sha, is_due in entries:
        certs[site['tls']['cert']] = {'exists': cert_sha is not None, 'readable': cert_sha is not None,
                                      'due': is_due, 'sha256': cert_sha}
        keys[site['tls']['key']] = {'exists': key_type is not None, 'type': key_type, 'sha256': key_sha}
    return {'certificates': certs, 'private_keys': keys}


SHOP, BLOG = made('shop', 'acme'), made('blog')
PEERS = {'shop': ['lb1', 'lb2'], 'blog': ['lb1', 'lb2']}


def test_only_the_owner_makes_a_missing_key_and_certificate():
    empty = facts((SHOP, None, None, None, True), (BLOG, None, None, None, True))
    owner = tls_plan.due('lb1', [SHOP, BLOG], empty, PEERS)
    assert owner == {'key_due': ['shop', 'blog'], 'selfsigned_due': ['blog'], 'acme_ready': [], 'acme_due': ['shop'],
                     'acme_dns_due': []}
    other = tls_plan.due('lb2', [SHOP, BLOG], empty, PEERS)
    assert other == {'key_due': [], 'selfsigned_due': [], 'acme_ready': [], 'acme_due': [], 'acme_dns_due': []}


def test_a_key_of_another_type_is_made_again_with_its_certificate():
    rsa_blog = made('blog', key_type='rsa')
    current = facts((rsa_blog, 'c1', 'ecdsa', 'k1', False))
    assert tls_plan.due('lb1', [rsa_blog], current, {'blog': ['lb1']}) == {
        'key_due': ['blog'], 'selfsigned_due': ['blog'], 'acme_ready': [], 'acme_due': [], 'acme_dns_due': []}


def test_a_valid_certificate_is_left_alone_and_an_acme_one_is_ready():
    current = facts((SHOP, 'c1', 'ecdsa', 'k1', False), (BLOG, 'c2', 'ecdsa', 'k2', False))
    assert tls_plan.due('lb1', [SHOP, BLOG], current, PEERS) == {
        'key_due': [], 'selfsigned_due': [], 'acme_ready': ['shop'], 'acme_due': [], 'acme_dns_due': []}


def test_a_site_served_by_one_host_is_its_own():
    assert tls_plan.due('lb1', [BLOG], facts((BLOG, None, None, None, True)), {})['selfsigned_due'] == ['blog']


def test_every_peer_takes_part_in_the_owners_order_and_publishes_its_challenges_once():
    state = {'lb1': {'acme_due': ['shop'], 'acme_challenges': [{'key': 'shop.example.org', 'value': 1}]}}
    assert tls_plan.acme_work('lb2', [SHOP, BLOG], PEERS, lambda h: state.get(h, {})) == ['shop']
    assert tls_plan.acme_work('lb2', [SHOP], PEERS, lambda h: {}) == []
    twice = {'shop': ['lb1', 'lb2'], 'shop2': ['lb1', 'lb2']}
    assert tls_plan.acme_challenges(['shop', 'shop2'], twice, 'lb2', lambda h: state.get(h, {})) == [
        {'key': 'shop.example.org', 'value': 1}]


NEW_PAIR = {'cert': True, 'key': True, 'chain': False}


def test_the_owner_hands_over_what_a_peer_lacks_or_what_it_staged_now():
    mine = facts((SHOP, 'c1', 'ecdsa', 'k1', False), (BLOG, 'c2', 'ecdsa', 'k2', False))
    same = {'lb2': {'certs': mine}}
    assert tls_plan.share_owned('lb1', [SHOP, BLOG], PEERS, mine, {}, same.get) == {}
    # what it staged now is read from the staging directory: it is not live yet
    assert tls_plan.share_owned('lb1', [SHOP, BLOG], PEERS, mine, {'blog': NEW_PAIR}, same.get) == {
        'blog': {'cert': BLOG['tls']['staged_cert'], 'key': BLOG['tls']['staged_key'], 'chain': None}}
    # a renewal with the same key: the new certificate and chain, the live key
    renewed = {'shop': {'cert': True, 'key': False, 'chain': True}}
    assert tls_plan.share_owned('lb1', [SHOP], PEERS, mine, renewed, same.get) == {
        'shop': {'cert': SHOP['tls']['staged_cert'], 'key': SHOP['tls']['key'], 'chain': SHOP['tls']['staged_chain']}}
    stale = {'lb2': {'certs': facts((SHOP, 'old', 'ecdsa', 'k1', False), (BLOG, 'c2', 'ecdsa', 'k2', False))}}
    owned = tls_plan.share_owned('lb1', [SHOP, BLOG], PEERS, mine, {}, stale.get)
    assert owned == {'shop': {'cert': SHOP['tls']['cert'], 'key': SHOP['tls']['key'], 'chain': SHOP['tls']['chain']}}
    # a peer does not hand anything over
    assert tls_plan.share_owned('lb2', [SHOP, BLOG], PEERS, mine, {'blog': NEW_PAIR}, {'lb1': {'certs': {}}}.get) == {}


def test_the_owner_reads_certificates_chains_and_keys():
    owned = {'shop': {'cert': '/a/full.pem', 'key': '/a/key.pem', 'chain': '/a/chain.pem'},
             'blog': {'cert': '/b/full.pem', 'key': '/b/key.pem', 'chain': None}}
    assert tls_plan.share_read(owned) == {
        'certificates': [{'path': '/b/full.pem'}, {'path': '/a/full.pem'}, {'path': '/a/chain.pem'}],
        'keys': ['/b/key.pem', '/a/key.pem']}


def test_peers_stage_the_owners_contents_at_their_own_paths():
    there = made('shop', 'acme', base='/srv/tls')
    owner = {'share_owned': {'shop': {'cert': there['tls']['cert'], 'key': there['tls']['key'],
                                      'chain': there['tls']['chain']}},
             'share_read': {there['tls']['cert']: 'CERT', there['tls']['key']: 'KEY', there['tls']['chain']: 'CHAIN'}}
    files = tls_plan.share_files('lb2', [SHOP, BLOG], PEERS, '0640', {'lb1': owner}.get)
    assert files == [
        {'path': '/etc/ssl/site/shop', 'state': 'directory', 'mode': '0750'},
        {'path': '/etc/ssl/site/shop/staged', 'state': 'directory', 'mode': '0700'},
        {'path': '/etc/ssl/site/shop/staged/fullchain.pem', 'mode': '0644', 'content': 'CERT'},
        {'path': '/etc/ssl/site/shop/staged/privkey.pem', 'mode': '0640', 'diff': False, 'content': 'KEY'},
        {'path': '/etc/ssl/site/shop/staged/chain.pem', 'mode': '0644', 'content': 'CHAIN'}]
    # the owner writes nothing, and a peer whose owner hands nothing over neither
    assert tls_plan.share_files('lb1', [SHOP, BLOG], PEERS, '0600', {'lb1': owner}.get) == []
    assert tls_plan.share_files('lb2', [SHOP, BLOG], PEERS, '0600', {'lb1': {}}.get) == []


def test_received_names_the_sites_whose_copy_is_staged():
    files = [{'path': SHOP['tls']['staged_key']}, {'path': BLOG['tls']['staged_cert']}]
    assert tls_plan.received([SHOP, BLOG], files) == ['blog']
    assert tls_plan.received([SHOP, BLOG], []) == []


def test_staged_says_what_each_step_of_the_run_staged():
    assert tls_plan.staged([SHOP, BLOG], files_sites=['files-site']) == {'files-site': NEW_PAIR}
    # a self-signed certificate with its new key; an ACME key alone waits for its certificate
    assert tls_plan.staged([SHOP, BLOG], key_due=['shop', 'blog'], selfsigned_due=['blog']) == {'blog': NEW_PAIR}
    before = {'blog': NEW_PAIR}
    assert tls_plan.staged([SHOP, BLOG], key_due=['shop'], issued=['shop'], before=before) == {
        'blog': NEW_PAIR, 'shop': {'cert': True, 'key': True, 'chain': True}}
    assert tls_plan.staged([SHOP], issued=['shop']) == {'shop': {'cert': True, 'key': False, 'chain': True}}
    assert tls_plan.staged([SHOP], received_now=['shop']) == {'shop': {'cert': True, 'key': True, 'chain': True}}


def test_read_and_challenge_files():
    assert tls_plan.read([SHOP]) == {'certificates': [{'path': SHOP['tls']['cert'], 'names': ['shop.example.org']}],
                                     'keys': [SHOP['tls']['key']]}
    challenge = {'key': 'shop.example.org', 'value': {'http-01': {'resource': '.well-known/acme-challenge/t1',
                                                                  'resource_value': 't1.k'}}}
    assert tls_plan.challenge_files([challenge], '/var/acme') == [
        {'path': '/var/acme/.well-known/acme-challenge/t1', 'content': 't1.k', 'mode': '0644'}]
    assert tls_plan.challenge_files([challenge], '/var/acme', present=False) == [
        {'path': '/var/acme/.well-known/acme-challenge/t1', 'state': 'absent'}]


def test_the_filter_reads_the_facts_of_the_other_hosts():
    hostvars = {
        'lb1': {'__site': {'sites': [SHOP]},
                '__site_tls': {'acme_due': ['shop'],
                               'share_owned': {'shop': {'cert': SHOP['tls']['cert'], 'key': SHOP['tls']['key'],
                                                        'chain': None}}},
                '__site_share_read': {'contents': {SHOP['tls']['cert']: 'C', SHOP['tls']['key']: 'K'}}},
        'lb2': {'__site': {'sites': [SHOP]}},
    }
    peers = site_tls_plan('lb2', 'peers', hostvars=hostvars, play_hosts=['lb1', 'lb2'])
    assert peers == {'shop': ['lb1', 'lb2']}
    assert site_tls_plan('lb2', 'peers', hostvars=hostvars, play_hosts=['lb1', 'lb2'], share=False) == {
        'shop': ['lb2']}
    assert site_tls_plan('lb2', 'acme_work', made=[SHOP], hostvars=hostvars, peers=peers) == ['shop']
    files = site_tls_plan('lb2', 'share_files', made=[SHOP], hostvars=hostvars, peers=peers, key_mode='0600')
    assert [f.get('content') for f in files] == [None, None, 'C', 'K']
    assert site_tls_plan('lb2', 'staged', made=[SHOP], files=files) == {'shop': {'cert': True, 'key': True,
                                                                                 'chain': True}}


def test_an_acme_key_without_its_certificate_is_not_handed_over():
    key_only = facts((SHOP, None, 'ecdsa', 'k1', True))
    assert tls_plan.share_owned('lb1', [SHOP], PEERS, key_only, {}, {'lb2': {'certs': {}}}.get) == {}
    # a pair made now is handed over although the facts were read before it existed
    assert list(tls_plan.share_owned('lb1', [BLOG], PEERS, facts((BLOG, None, None, None, True)), {'blog': NEW_PAIR},
                                     {'lb2': {'certs': {}}}.get)) == ['blog']


def test_a_peer_writes_nothing_its_owner_could_not_read():
    owner = {'share_owned': {'shop': {'cert': SHOP['tls']['cert'], 'key': SHOP['tls']['key'], 'chain': None}},
             'share_read': {SHOP['tls']['key']: 'KEY'}}
    assert tls_plan.share_files('lb2', [SHOP], PEERS, '0600', {'lb1': owner}.get) == []


def order(site, challenge, data=None, dns=None, changed=True):
    """An acme_certificate result of the loop over the signing requests (item: the CSR result, its item: the site)."""
    site = dict(site, tls=dict(site['tls'], challenge=challenge))
    return {'changed': changed, 'item': {'csr': 'CSR', 'item': site}, 'challenge_data': data or {},
            'challenge_data_dns': dns or {}}


# the CA offers every type of challenge for each name
BOTH = {'http-01': {'resource': '.well-known/acme-challenge/t', 'resource_value': 'v'},
        'dns-01': {'resource': '_acme-challenge', 'resource_value': 'd', 'record': '_acme-challenge.x.test'}}


def test_only_http_01_orders_are_published_over_http():
    orders = [order(SHOP, 'http-01', data={'shop.example.org': BOTH}),
              order(BLOG, 'dns-01', data={'blog.example.org': BOTH}),
              order(BLOG, 'http-01', data={'old.example.org': BOTH}, changed=False)]
    assert tls_plan.http_challenges(orders) == [{'key': 'shop.example.org', 'value': BOTH}]
    assert site_tls_plan('lb1', 'http_challenges', orders=orders) == [{'key': 'shop.example.org', 'value': BOTH}]


def test_the_dns_01_records_are_absolute_and_a_wildcard_shares_its_base_names_record():
    orders = [order(SHOP, 'dns-01', dns={'_acme-challenge.x.test': ['base', 'wild'], '_acme-challenge.y.test.': ['y']}),
              order(BLOG, 'dns-01', dns={'_acme-challenge.x.test': ['wild', 'other']}),
              order(BLOG, 'http-01', dns={'_acme-challenge.z.test': ['z']}),
              order(BLOG, 'dns-01', dns={'_acme-challenge.q.test': ['q']}, changed=False)]
    assert tls_plan.dns_records(orders) == [
        {'record': '_acme-challenge.x.test.', 'values': ['base', 'wild', 'other']},
        {'record': '_acme-challenge.y.test.', 'values': ['y']}]
    assert site_tls_plan('lb1', 'dns_records', orders=orders) == tls_plan.dns_records(orders)
    assert tls_plan.dns_records(None) == []


def test_due_says_which_orders_need_the_dns_packages():
    dns_shop = dict(SHOP, tls=dict(SHOP['tls'], challenge='dns-01'))
    http_shop = dict(made('web', 'acme'), tls=dict(made('web', 'acme')['tls'], challenge='http-01'))
    plan = tls_plan.due('lb1', [dns_shop, http_shop], facts(), {'shop': ['lb1', 'lb2'], 'web': ['lb1', 'lb2']})
    assert plan['acme_due'] == ['shop', 'web']
    assert plan['acme_dns_due'] == ['shop']
    # the other host orders nothing
    assert tls_plan.due('lb2', [dns_shop], facts(), {'shop': ['lb1', 'lb2']})['acme_dns_due'] == []
