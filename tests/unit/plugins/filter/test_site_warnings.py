# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The site_warnings filter, and the TLS material checks the site_problems filter adds to the site rules."""

from __future__ import annotations

import datetime

import pytest

pytest.importorskip('cryptography')

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

from ansible_collections.webstack.nginx_uwsgi.plugins.filter import site_problems as problems_plugin  # noqa: E402
from ansible_collections.webstack.nginx_uwsgi.plugins.filter import site_warnings as warnings_plugin  # noqa: E402
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import tls_material  # noqa: E402

NOW = datetime.datetime.now(datetime.timezone.utc)
DAY = datetime.timedelta(days=1)
MISMATCH = ('key_src does not match the certificate of cert_src (subject CN=shop.test, serial 0x7): give the key the '
            'certificate was issued for, or the certificate of this key')
UNCOVERED = ('cert_src (names shop.test) does not cover server_names www.shop.test: clients will see a name mismatch; '
             'give a certificate that holds them')


def write_cert(path, key, before=NOW - DAY, after=NOW + 30 * DAY):
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'shop.test')])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(7).not_valid_before(before).not_valid_after(after)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName('shop.test')]), critical=False)
            .sign(key, hashes.SHA256()))
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(path)


def write_key(path, key):
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return str(path)


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch):
    monkeypatch.setattr(tls_material, '_CACHE', {})


@pytest.fixture
def material(tmp_path):
    """Paths: the certificate, its key, another key, and an expired certificate of the same key."""
    key = ec.generate_private_key(ec.SECP256R1())
    return {
        'cert': write_cert(tmp_path / 'fullchain.pem', key),
        'key': write_key(tmp_path / 'privkey.pem', key),
        'other_key': write_key(tmp_path / 'other.pem', ec.generate_private_key(ec.SECP256R1())),
        'expired': write_cert(tmp_path / 'expired.pem', key, before=NOW - 90 * DAY, after=NOW - DAY),
    }


def site(name, cert_src, key_src, server_names=('shop.test',), **tls):
    return {'name': name, 'server_names': list(server_names),
            'tls': dict({'mode': 'files', 'cert_src': cert_src, 'key_src': key_src}, **tls)}


# ---------------------------------------------------------------- site_warnings

def test_warnings_name_the_entry(material):
    sites = [{'name': 'plain', 'server_names': ['a.test']},
             site('good', material['cert'], material['key']),
             site('www', material['cert'], material['key'], ['shop.test', 'www.shop.test'])]
    assert warnings_plugin.site_warnings(sites) == ['site_sites[2].tls.' + UNCOVERED]
    assert warnings_plugin.site_warnings(sites[:2]) == []


def test_warnings_name_the_aliased_variable(material):
    sites = [site('www', material['cert'], material['key'], ['www.shop.test'])]
    assert warnings_plugin.site_warnings(sites, aliases={'site_sites[0].tls': 'webstack_lb_tls'}) == [
        'webstack_lb_tls.' + UNCOVERED]


def test_warnings_leave_the_problems_out(material):
    sites = [site('www', material['cert'], material['other_key'], ['www.shop.test'])]
    assert warnings_plugin.site_warnings(sites) == ['site_sites[0].tls.' + UNCOVERED]


def test_warnings_of_nothing():
    assert warnings_plugin.site_warnings(None) == [] and warnings_plugin.site_warnings([]) == []
    assert warnings_plugin.FilterModule().filters() == {'site_warnings': warnings_plugin.site_warnings}


# ---------------------------------------------------------------- site_problems

def test_problems_add_the_material_after_the_rules(material):
    sites = [dict(site('bad', material['cert'], material['other_key']), headers={'X A': 'b'}),
             site('good', material['cert'], material['key'], ['good.test']),
             site('old', material['expired'], material['key'], ['old.test']),
             dict(site('off', material['expired'], material['other_key'], ['off.test']), state='disabled')]
    assert problems_plugin.site_problems(sites) == [
        'site_sites[0].headers: X A is not a header name (letters, digits and "-")',
        'site_sites[0].tls.' + MISMATCH,
        'site_sites[2].tls.cert_src (subject CN=shop.test, serial 0x7) expired on %s: renew it'
        % (NOW - DAY).strftime('%Y-%m-%d %H:%M:%S UTC'),
    ]
    assert problems_plugin.site_problems(sites[1:2]) == []


def test_problems_name_the_aliased_variable(material):
    sites = [site('good', material['cert'], material['key']),
             site('bad', material['cert'], material['other_key'], ['bad.test'])]
    assert problems_plugin.site_problems(sites, aliases={'site_sites[1].tls': 'webstack_lb_tls'}) == [
        'webstack_lb_tls.' + MISMATCH]


def test_problems_do_not_read_a_tls_with_other_problems(material, tmp_path):
    missing = str(tmp_path / 'missing.pem')
    sites = [site('bad', material['cert'], material['other_key'], listen=['443', 'x']),
             site('gone', material['cert'], missing, server_names=['gone.test'])]
    assert problems_plugin.site_problems(sites) == [
        'site_sites[0].tls.listen[1] (x) must be a port (1-65535) or address:port',
        'site_sites[1].tls.key_src (%s) is not a file on the controller' % missing,
    ]


def test_problems_read_each_material_once_per_process(material, monkeypatch):
    calls = []
    real = tls_material.check

    def counting(cert_pem, key_pem, names, now=None):
        calls.append(names)
        return real(cert_pem, key_pem, names, now)

    monkeypatch.setattr(tls_material, 'check', counting)
    sites = [site('bad', material['cert'], material['other_key'], ['www.shop.test'])]
    for _host in range(20):
        assert problems_plugin.site_problems(sites) == ['site_sites[0].tls.' + MISMATCH]
        assert warnings_plugin.site_warnings(sites) == ['site_sites[0].tls.' + UNCOVERED]
    assert calls == [['www.shop.test']]
