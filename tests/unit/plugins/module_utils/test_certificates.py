# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""When a certificate is due, and what type a key is (plugins/module_utils/certificates.py)."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest

cryptography = pytest.importorskip('cryptography')

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, rsa  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils import certificates  # noqa: E402

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


def make_cert(days, names=('shop.test',)):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(1).not_valid_before(NOW - datetime.timedelta(days=1))
            .not_valid_after(NOW + datetime.timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM), key


def test_a_fresh_certificate_is_not_due():
    pem, _key = make_cert(90, ('shop.test', 'www.shop.test'))
    status = certificates.status(pem, NOW, 30, ['www.shop.test', 'shop.test'])
    assert status['due'] is False and status['readable'] and status['names'] == ['shop.test', 'www.shop.test']
    assert status['days_left'] == pytest.approx(90, abs=0.01) and len(status['sha256']) == 64


@pytest.mark.parametrize('days, names, why', [
    (10, None, 'expires in 10.0 days'),
    (90, ['other.test'], 'names shop.test, wanted other.test'),
])
def test_due_certificates(days, names, why):
    pem, _key = make_cert(days)
    status = certificates.status(pem, NOW, 30, names)
    assert status['due'] is True and status['why'] == why


def test_missing_and_unreadable_are_due():
    assert certificates.status(None, NOW, 30)['why'] == 'missing'
    unreadable = certificates.status(b'not a certificate', NOW, 30)
    assert unreadable['due'] and unreadable['exists'] and not unreadable['readable']


def test_key_types():
    ec_key = ec.generate_private_key(ec.SECP256R1())
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for key, kind in ((ec_key, 'ecdsa'), (rsa_key, 'rsa')):
        for fmt in (serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL):
            pem = key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
            assert certificates.key_type(pem) == kind
    assert certificates.key_type(b'-----BEGIN PRIVATE KEY-----\nbroken\n') == 'other'


def openssl_run(argv, data):
    """What certificate_facts passes: the module's run_command, standard output as text, raising on failure."""
    proc = subprocess.run(argv, input=data, capture_output=True, check=False)
    if proc.returncode != 0:
        raise ValueError(proc.stderr.decode())
    return proc.stdout.decode()


def test_without_cryptography_openssl_reads_the_same(monkeypatch):
    pem, _key = make_cert(90, ('shop.test', 'www.shop.test'))
    with_library = certificates.status(pem, NOW, 30, ['shop.test', 'www.shop.test'])
    monkeypatch.setitem(sys.modules, 'cryptography', None)  # `from cryptography import x509` raises ImportError
    calls = []
    without = certificates.status(pem, NOW, 30, ['shop.test', 'www.shop.test'],
                                  openssl=lambda argv, data: calls.append(argv) or openssl_run(argv, data))
    assert calls and calls[0][:2] == ['openssl', 'x509']
    assert without == with_library
    unreadable = certificates.status(b'not a certificate', NOW, 30, openssl=openssl_run)
    assert unreadable['due'] and not unreadable['readable']
    assert certificates.status(pem, NOW, 30)['why'].startswith('unreadable: neither the cryptography library')
