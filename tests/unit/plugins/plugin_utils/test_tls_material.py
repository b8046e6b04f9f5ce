# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The controller's checks of tls.mode=files material (plugins/plugin_utils/tls_material.py)."""

from __future__ import annotations

import datetime
import importlib.util
import ipaddress
import sys

import pytest

pytest.importorskip('cryptography')

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import tls_material as tm  # noqa: E402

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.timezone.utc)
DAY = datetime.timedelta(days=1)


def new_key():
    return ec.generate_private_key(ec.SECP256R1())


def make_cert(cn, key, names=None, issuer=None, signer=None, serial=0x1a, before=NOW - DAY, after=NOW + 30 * DAY,
              ca=False):
    """A certificate of ``key`` for ``cn``: self-signed, or issued by ``issuer`` (a certificate) with ``signer``."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer.subject if issuer is not None else subject)
               .public_key(key.public_key()).serial_number(serial).not_valid_before(before).not_valid_after(after))
    if names is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName(
            [x509.DNSName(n) for n in names if not n[0].isdigit()]
            + [x509.IPAddress(ipaddress.ip_address(n)) for n in names if n[0].isdigit()]),
            critical=False)
    if ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    return builder.sign(signer or key, hashes.SHA256())


def pem(*certs):
    return b''.join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def key_pem(key, fmt=serialization.PrivateFormat.PKCS8, encryption=None):
    return key.private_bytes(serialization.Encoding.PEM, fmt, encryption or serialization.NoEncryption())


@pytest.fixture(scope='module')
def pair():
    key = new_key()
    return make_cert('shop.test', key, names=['shop.test', 'www.shop.test']), key


@pytest.fixture(scope='module')
def chain():
    """(leaf, intermediate, leaf key, intermediate key): the leaf issued by the intermediate."""
    ca_key, leaf_key = new_key(), new_key()
    ca = make_cert('Test CA', ca_key, serial=2, ca=True, after=NOW + 365 * DAY)
    leaf = make_cert('shop.test', leaf_key, names=['shop.test'], issuer=ca, signer=ca_key, serial=3)
    return leaf, ca, leaf_key, ca_key


def check(cert, key, names=('shop.test',), now=NOW):
    return tm.check(cert, key, list(names), now=now)


# ---------------------------------------------------------------- certificate and key

def test_a_matching_pair_has_no_problem(pair):
    cert, key = pair
    assert check(pem(cert), key_pem(key), ['shop.test', 'WWW.Shop.Test']) == ([], [])
    # the traditional "EC PRIVATE KEY" form too
    assert check(pem(cert), key_pem(key, serialization.PrivateFormat.TraditionalOpenSSL)) == ([], [])


def test_a_key_of_another_certificate(pair):
    cert, _key = pair
    assert check(pem(cert), key_pem(new_key())) == ([
        'key_src does not match the certificate of cert_src (subject CN=shop.test, serial 0x1a): give the key the '
        'certificate was issued for, or the certificate of this key'], [])


def test_the_default_now_is_the_current_time():
    key = new_key()
    now = datetime.datetime.now(datetime.timezone.utc)
    fresh = make_cert('shop.test', key, names=['shop.test'], before=now - DAY, after=now + DAY)
    old = make_cert('shop.test', key, names=['shop.test'], before=now - 3 * DAY, after=now - DAY)
    assert tm.check(pem(fresh), key_pem(key), ['shop.test']) == ([], [])
    problems, _warnings = tm.check(pem(old), key_pem(key), ['shop.test'])
    assert len(problems) == 1 and ' expired on ' in problems[0]


def test_a_naive_now_is_read_as_utc(pair):
    cert, key = pair
    expiry = datetime.datetime(2026, 7, 1, 12, 0)
    assert check(pem(cert), key_pem(key), now=expiry - datetime.timedelta(seconds=1)) == ([], [])
    assert check(pem(cert), key_pem(key), now=expiry + datetime.timedelta(seconds=1))[0] == [
        'cert_src (subject CN=shop.test, serial 0x1a) expired on 2026-07-01 12:00:00 UTC: renew it']


def test_an_expired_certificate(pair):
    cert, key = pair
    assert check(pem(cert), key_pem(key), now=NOW + 31 * DAY) == ([
        'cert_src (subject CN=shop.test, serial 0x1a) expired on 2026-07-01 12:00:00 UTC: renew it'], [])


def test_a_certificate_not_valid_yet(pair):
    cert, key = pair
    assert check(pem(cert), key_pem(key), now=NOW - 2 * DAY) == ([
        'cert_src (subject CN=shop.test, serial 0x1a) is not valid before 2026-05-31 12:00:00 UTC: clients would '
        'refuse it until then (check the date of the certificate and the clock of the controller)'], [])


@pytest.mark.parametrize('fmt', [serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL])
def test_an_encrypted_key(pair, fmt):
    cert, key = pair
    encrypted = key_pem(key, fmt, serialization.BestAvailableEncryption(b'secret'))
    assert check(pem(cert), encrypted) == ([
        'key_src holds an encrypted private key (nginx would ask for a passphrase): give it without one '
        '(openssl pkey -in <key_src> -out <new file>)'], [])


def test_an_encrypted_key_is_named_so_before_it_is_parsed(pair):
    cert, _key = pair
    body = b'-----BEGIN ENCRYPTED PRIVATE KEY-----\nbm90IGEga2V5\n-----END ENCRYPTED PRIVATE KEY-----\n'
    assert check(pem(cert), body)[0] == [
        'key_src holds an encrypted private key (nginx would ask for a passphrase): give it without one '
        '(openssl pkey -in <key_src> -out <new file>)']


def test_garbage_text():
    assert check(b'hello\n', b'world\n') == ([
        'cert_src does not hold a PEM certificate (no -----BEGIN CERTIFICATE----- block): give the certificate in '
        'PEM format, the leaf first, then each issuer',
        'key_src does not hold a PEM private key (no -----BEGIN PRIVATE KEY----- block): give the key of the '
        'certificate in PEM format'], [])


def test_swapped_files(pair):
    cert, key = pair
    problems, warnings = check(key_pem(key), pem(cert))
    assert problems == [
        'cert_src does not hold a PEM certificate (no -----BEGIN CERTIFICATE----- block; it holds a private key: '
        'are cert_src and key_src swapped?): give the certificate in PEM format, the leaf first, then each issuer',
        'key_src does not hold a PEM private key (no -----BEGIN PRIVATE KEY----- block; it holds a certificate: are '
        'cert_src and key_src swapped?): give the key of the certificate in PEM format']
    assert warnings == []


def test_blocks_that_do_not_parse(pair):
    cert, key = pair
    bad_cert = b'-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n'
    bad_key = b'-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n'
    problems, warnings = check(pem(cert) + bad_cert, bad_key)
    assert warnings == [] and len(problems) == 2
    assert problems[0].startswith('cert_src does not hold a PEM certificate (certificate 2 does not parse: ')
    assert problems[0].endswith('): give the certificate in PEM format')
    assert problems[1].startswith('key_src does not hold a PEM private key (it does not parse: ')
    assert problems[1].endswith('): give the key of the certificate in PEM format')
    assert '\n' not in problems[0] + problems[1] and max(len(p) for p in problems) < 260


def test_other_blocks_around_the_key_are_skipped(pair):
    cert, key = pair
    params = b'-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n'
    assert check(pem(cert), params + key_pem(key, serialization.PrivateFormat.TraditionalOpenSSL)) == ([], [])


def test_a_controller_without_cryptography_gets_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setitem(sys.modules, 'cryptography', None)  # import cryptography raises ImportError
    spec = importlib.util.spec_from_file_location('tls_material_without_cryptography', tm.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.HAS_CRYPTOGRAPHY is False
    assert module.check(b'', b'', ['shop.test']) == ([tm.NO_CRYPTOGRAPHY], [])


def test_without_cryptography(monkeypatch, pair):
    cert, key = pair
    monkeypatch.setattr(tm, 'HAS_CRYPTOGRAPHY', False)
    assert check(pem(cert), key_pem(key)) == ([
        'cert_src and key_src cannot be checked: the Python of ansible-core on the controller lacks the '
        'cryptography package; install it there (pip install cryptography)'], [])


# ---------------------------------------------------------------- chains

def test_a_chain_in_order(chain):
    leaf, ca, leaf_key, _ca_key = chain
    assert check(pem(leaf, ca), key_pem(leaf_key)) == ([], [])


def test_a_chain_in_reverse_order(chain):
    leaf, ca, leaf_key, _ca_key = chain
    assert check(pem(ca, leaf), key_pem(leaf_key)) == ([
        'key_src does not match the certificate of cert_src (subject CN=Test CA, serial 0x2): it matches certificate '
        '2 (subject CN=shop.test); put the leaf first, then each issuer',
        'cert_src: certificate 2 (subject CN=shop.test) did not issue certificate 1 (issuer CN=Test CA): put the '
        'leaf first, then each issuer',
    ], ['cert_src (names Test CA) does not cover server_names shop.test: clients will see a name mismatch; give a '
        'certificate that holds them'])


def test_an_issuer_of_the_same_name_that_did_not_sign(chain):
    if not hasattr(x509.Certificate, 'verify_directly_issued_by'):
        pytest.skip('cryptography < 40 cannot verify signatures')
    leaf, _ca, leaf_key, _ca_key = chain
    impostor = make_cert('Test CA', new_key(), serial=4, ca=True)
    assert check(pem(leaf, impostor), key_pem(leaf_key)) == ([
        'cert_src: certificate 2 (subject CN=Test CA) did not sign certificate 1 although it bears the name of its '
        'issuer: give the issuer certificate that signed it'], [])


def test_signatures_are_not_checked_without_verify_directly_issued_by(chain):
    leaf, _ca, _leaf_key, _ca_key = chain
    impostor = make_cert('Test CA', new_key(), serial=4, ca=True)

    class Old:
        """A certificate of a cryptography without verify_directly_issued_by."""

        def __init__(self, cert):
            self.issuer, self.subject = cert.issuer, cert.subject

    assert tm._chain_problems([Old(leaf), Old(impostor)]) == []
    if hasattr(x509.Certificate, 'verify_directly_issued_by'):
        assert len(tm._chain_problems([leaf, impostor])) == 1


def test_an_expired_intermediate(chain):
    leaf, _ca, leaf_key, ca_key = chain
    old_ca = make_cert('Test CA', ca_key, serial=2, ca=True, before=NOW - 90 * DAY, after=NOW - DAY)
    assert check(pem(leaf, old_ca), key_pem(leaf_key)) == ([
        'cert_src: certificate 2 (subject CN=Test CA) expired on 2026-05-31 12:00:00 UTC: give the current '
        'certificate of that issuer'], [])


# ---------------------------------------------------------------- names

def names_warning(cert_names, server_names, cn='shop.test'):
    key = new_key()
    cert = make_cert(cn, key, names=cert_names)
    problems, warnings = check(pem(cert), key_pem(key), server_names)
    assert problems == []
    return warnings


@pytest.mark.parametrize('cert_names, server_names', [
    (['shop.test'], ['shop.test', 'SHOP.test.']),
    (['*.shop.test'], ['a.shop.test', 'B.Shop.Test']),
    (['*.shop.test'], ['*.shop.test']),
    (['shop.test', '*.shop.test'], ['.shop.test']),
    (['shop.test'], ['_', '~^(www\\.)?shop\\.test$', 'www.shop.*']),  # nothing a certificate could hold
    (['shop.test', '10.0.0.1'], ['10.0.0.1']),
    (['*.Shop.Test'], ['a.shop.test']),
])
def test_names_covered(cert_names, server_names):
    assert names_warning(cert_names, server_names) == []


@pytest.mark.parametrize('cert_names, server_names, missing', [
    (['shop.test'], ['shop.test', 'www.shop.test'], 'www.shop.test'),
    (['*.shop.test'], ['a.b.shop.test'], 'a.b.shop.test'),
    (['*.shop.test'], ['shop.test'], 'shop.test'),
    (['*.test'], ['*.shop.test'], '*.shop.test'),
    (['a.shop.test'], ['*.shop.test'], '*.shop.test'),
    (['*.shop.test'], ['.shop.test'], 'shop.test'),
    (['shop.test'], ['.shop.test'], '*.shop.test'),
    (['shop.test'], ['10.0.0.1'], '10.0.0.1'),
])
def test_names_not_covered(cert_names, server_names, missing):
    assert names_warning(cert_names, server_names) == [
        'cert_src (names %s) does not cover server_names %s: clients will see a name mismatch; give a certificate '
        'that holds them' % (', '.join(cert_names), missing)]


def test_the_warning_names_every_missing_name_once():
    assert names_warning(['a.test', 'b.test'], ['x.test', 'a.test', 'y.test', 'X.test']) == [
        'cert_src (names a.test, b.test) does not cover server_names x.test, y.test: clients will see a name '
        'mismatch; give a certificate that holds them']


def test_without_subject_alt_name_the_common_name_counts():
    assert names_warning(None, ['shop.test'], cn='shop.test') == []
    assert names_warning(None, ['www.shop.test'], cn='shop.test') == [
        'cert_src (names shop.test) does not cover server_names www.shop.test: clients will see a name mismatch; '
        'give a certificate that holds them']


def test_with_subject_alt_name_the_common_name_does_not_count():
    assert names_warning(['www.shop.test'], ['shop.test'], cn='shop.test') == [
        'cert_src (names www.shop.test) does not cover server_names shop.test: clients will see a name mismatch; '
        'give a certificate that holds them']


# ---------------------------------------------------------------- sites

@pytest.fixture
def files(tmp_path, pair):
    """cert_src and key_src of ``pair`` on disk."""
    cert, key = pair
    cert_path, key_path = tmp_path / 'fullchain.pem', tmp_path / 'privkey.pem'
    now = datetime.datetime.now(datetime.timezone.utc)
    fresh = make_cert('shop.test', key, names=['shop.test'], before=now - DAY, after=now + 30 * DAY, serial=cert.serial_number)
    cert_path.write_bytes(pem(fresh))
    key_path.write_bytes(key_pem(key))
    return str(cert_path), str(key_path)


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch):
    monkeypatch.setattr(tm, '_CACHE', {})


def tls_site(cert_src, key_src, names=('shop.test',), **kw):
    return dict(name='shop', server_names=list(names), tls={'mode': 'files', 'cert_src': cert_src, 'key_src': key_src},
                **kw)


def test_site_messages_prefix_the_entry(files, tmp_path):
    cert_src, _key_src = files
    other = tmp_path / 'other.pem'
    other.write_bytes(key_pem(new_key()))
    sites = [{'name': 'plain', 'server_names': ['a.test']},
             tls_site(cert_src, str(other), names=['shop.test', 'www.shop.test']),
             dict(tls_site(cert_src, str(other)), state='disabled'),
             dict(tls_site(cert_src, str(other)), state='absent'),
             {'name': 'made', 'server_names': ['a.test'], 'tls': {'mode': 'selfsigned'}}]
    assert tm.site_messages(sites) == ([
        'site_sites[1].tls.key_src does not match the certificate of cert_src (subject CN=shop.test, serial 0x1a): '
        'give the key the certificate was issued for, or the certificate of this key',
    ], [
        'site_sites[1].tls.cert_src (names shop.test) does not cover server_names www.shop.test: clients will see a '
        'name mismatch; give a certificate that holds them',
    ])
    assert tm.site_messages(sites, skip={1}) == ([], [])


def test_site_messages_leave_missing_files_to_the_site_rules(files, tmp_path):
    cert_src, key_src = files
    missing = str(tmp_path / 'missing.pem')
    sites = [tls_site(missing, key_src), tls_site(cert_src, missing), tls_site(cert_src, None),
             tls_site(str(tmp_path), key_src)]
    assert tm.site_messages(sites) == ([], [])


def test_site_messages_expand_the_home_directory(files, monkeypatch, tmp_path):
    cert_src, key_src = files
    monkeypatch.setenv('HOME', str(tmp_path))
    sites = [tls_site('~/fullchain.pem', '~/privkey.pem', names=['other.test'])]
    assert tm.site_messages(sites)[1] == [
        'site_sites[0].tls.cert_src (names shop.test) does not cover server_names other.test: clients will see a '
        'name mismatch; give a certificate that holds them']


def test_site_messages_report_unreadable_files(files, monkeypatch):
    cert_src, key_src = files

    def refuse(path):
        raise PermissionError(13, 'Permission denied', path)

    monkeypatch.setattr(tm, '_read', refuse)
    assert tm.site_messages([tls_site(cert_src, key_src)]) == ([
        'site_sites[0].tls.cert_src or key_src cannot be read on the controller: Permission denied (%s)' % cert_src],
        [])


def test_site_messages_check_each_material_once_a_day(files, monkeypatch):
    cert_src, key_src = files
    calls = []
    real = tm.check

    def counting(cert_pem, key_pem_, names, now=None):
        calls.append(tuple(names))
        return real(cert_pem, key_pem_, names, now)

    monkeypatch.setattr(tm, 'check', counting)
    sites = [tls_site(cert_src, key_src, names=['www.shop.test'])]
    first = tm.site_messages(sites)
    for _host in range(50):
        assert tm.site_messages(sites) == first
    assert calls == [('www.shop.test',)] and first[1]
    # other names are another check; the cached lists are not shared with the callers
    first[1].append('changed')
    assert tm.site_messages(sites)[1] == first[1][:1]
    tm.site_messages([tls_site(cert_src, key_src, names=['shop.test'])])
    assert calls == [('www.shop.test',), ('shop.test',)]


def test_the_cache_stays_small(files, monkeypatch):
    cert_src, key_src = files
    monkeypatch.setattr(tm, '_CACHE_SIZE', 2)
    for name in ('a.test', 'b.test', 'c.test'):
        tm.site_messages([tls_site(cert_src, key_src, names=[name])])
    assert [key[2] for key in tm._CACHE] == [('c.test',)]
