# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the certificate and key of a ``tls.mode=files`` site, on the controller.

The site rules only see that ``cert_src`` and ``key_src`` are files; a key
that does not belong to the certificate, an expired certificate or a chain in
the wrong order would reach the hosts and make nginx fail there (or clients
refuse the site). :func:`check` reads the PEM material and returns what is
wrong (problems) and what clients would notice (warnings, such as a server
name the certificate does not cover), before any host changes.

:func:`site_messages` applies it to every such site of ``site_sites``, each
result cached per process: the filters that call it run on every host of a
fleet with the same files.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import os
import re
from collections.abc import Container

try:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
except ImportError:
    HAS_CRYPTOGRAPHY = False
else:
    HAS_CRYPTOGRAPHY = True

NO_CRYPTOGRAPHY = ('cert_src and key_src cannot be checked: the Python of ansible-core on the controller lacks the '
                   'cryptography package; install it there (pip install cryptography)')
_CERT_RE = re.compile(rb'-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----', re.DOTALL)
_KEY_RE = re.compile(rb'-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----.*?-----END \1PRIVATE KEY-----', re.DOTALL)
_CACHE: dict = {}
_CACHE_SIZE = 256


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)


def _not_after(cert) -> datetime.datetime:
    return getattr(cert, 'not_valid_after_utc', None) or _utc(cert.not_valid_after)


def _not_before(cert) -> datetime.datetime:
    return getattr(cert, 'not_valid_before_utc', None) or _utc(cert.not_valid_before)


def _date(value: datetime.datetime) -> str:
    return value.astimezone(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S UTC')


def _reason(exc: Exception) -> str:
    """The first sentence of an exception of cryptography (some run over several lines)."""
    text = ' '.join(str(exc).split()) or type(exc).__name__
    text = re.sub(r' ?[{(].*', '', text.split('. ', 1)[0]).rstrip('.: ')
    return text[:117] + '...' if len(text) > 120 else text


def _subject(cert) -> str:
    return cert.subject.rfc4514_string() or 'empty'


def _issuer(cert) -> str:
    return cert.issuer.rfc4514_string() or 'empty'


def _describe(cert) -> str:
    return 'subject %s, serial %s' % (_subject(cert), hex(cert.serial_number))


def _spki(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _load_certificates(data: bytes) -> tuple[list, list[str]]:
    """The certificates of ``cert_src`` in their order, or the problem that stops reading them."""
    blocks = _CERT_RE.findall(data)
    if not blocks:
        hint = '; it holds a private key: are cert_src and key_src swapped?' if _KEY_RE.search(data) else ''
        return [], ['cert_src does not hold a PEM certificate (no -----BEGIN CERTIFICATE----- block%s): give the '
                    'certificate in PEM format, the leaf first, then each issuer' % hint]
    certs = []
    for number, block in enumerate(blocks, 1):
        try:
            certs.append(x509.load_pem_x509_certificate(block))
        except ValueError as exc:
            return [], ['cert_src does not hold a PEM certificate (certificate %d does not parse: %s): give the '
                        'certificate in PEM format' % (number, _reason(exc))]
    return certs, []


def _load_key(data: bytes):
    """The private key of ``key_src`` (the first one, as nginx reads it), or the problem that stops reading it."""
    match = _KEY_RE.search(data)
    if not match:
        hint = '; it holds a certificate: are cert_src and key_src swapped?' if _CERT_RE.search(data) else ''
        return None, ['key_src does not hold a PEM private key (no -----BEGIN PRIVATE KEY----- block%s): give the '
                      'key of the certificate in PEM format' % hint]
    block = match.group(0)
    encrypted = ('key_src holds an encrypted private key (nginx would ask for a passphrase): give it without one '
                 '(openssl pkey -in <key_src> -out <new file>)')
    if match.group(1) == b'ENCRYPTED ' or b'Proc-Type: 4,ENCRYPTED' in block:
        return None, [encrypted]
    try:
        return serialization.load_pem_private_key(block, password=None), []
    except TypeError:  # cryptography's word for "encrypted, and no password given"
        return None, [encrypted]
    except UnsupportedAlgorithm as exc:
        return None, ['key_src does not hold a private key nginx can use (%s): give an RSA or EC key in PEM format'
                      % _reason(exc)]
    except ValueError as exc:
        return None, ['key_src does not hold a PEM private key (it does not parse: %s): give the key of the '
                      'certificate in PEM format' % _reason(exc)]


def _key_problems(certs: list, key) -> list[str]:
    wanted = _spki(key.public_key())
    if _spki(certs[0].public_key()) == wanted:
        return []
    message = 'key_src does not match the certificate of cert_src (%s)' % _describe(certs[0])
    for number, cert in enumerate(certs[1:], 2):
        if _spki(cert.public_key()) == wanted:
            return [message + ': it matches certificate %d (subject %s); put the leaf first, then each issuer'
                    % (number, _subject(cert))]
    return [message + ': give the key the certificate was issued for, or the certificate of this key']


def _validity_problems(certs: list, now: datetime.datetime) -> list[str]:
    problems = []
    for number, cert in enumerate(certs, 1):
        what = 'cert_src (%s)' % _describe(cert) if number == 1 else 'cert_src: certificate %d (subject %s)' % (
            number, _subject(cert))
        todo = 'renew it' if number == 1 else 'give the current certificate of that issuer'
        if _not_after(cert) < now:
            problems.append('%s expired on %s: %s' % (what, _date(_not_after(cert)), todo))
        elif _not_before(cert) > now:
            problems.append('%s is not valid before %s: clients would refuse it until then (check the date of the '
                            'certificate and the clock of the controller)' % (what, _date(_not_before(cert))))
    return problems


def _chain_problems(certs: list) -> list[str]:
    problems = []
    for number, (cert, issuer) in enumerate(zip(certs, certs[1:]), 1):
        if cert.issuer != issuer.subject:
            problems.append('cert_src: certificate %d (subject %s) did not issue certificate %d (issuer %s): put the '
                            'leaf first, then each issuer' % (number + 1, _subject(issuer), number, _issuer(cert)))
            continue
        verify = getattr(cert, 'verify_directly_issued_by', None)  # cryptography >= 40
        if verify is None:
            continue
        try:
            verify(issuer)
        except InvalidSignature:
            problems.append('cert_src: certificate %d (subject %s) did not sign certificate %d although it bears the '
                            'name of its issuer: give the issuer certificate that signed it'
                            % (number + 1, _subject(issuer), number))
        except (TypeError, ValueError) as exc:
            problems.append('cert_src: the signature of certificate %d by certificate %d (subject %s) cannot be '
                            'verified (%s): give a chain of RSA or EC certificates'
                            % (number, number + 1, _subject(issuer), _reason(exc)))
    return problems


def _cert_names(cert) -> list[str]:
    """The DNS names and addresses of the subjectAltName, else the common names of the subject."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return [str(attr.value) for attr in cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)]
    return list(san.get_values_for_type(x509.DNSName)) + [str(a) for a in san.get_values_for_type(x509.IPAddress)]


def _covers(cert_name: str, name: str) -> bool:
    """RFC 6125: ``*.example.test`` covers ``a.example.test``, not ``a.b.example.test`` nor ``example.test``.

    A wildcard server name is covered only by the same wildcard.
    """
    cert_name, name = cert_name.lower().rstrip('.'), name.lower().rstrip('.')
    if cert_name == name:
        return True
    if not cert_name.startswith('*.') or name.startswith('*.'):
        return False
    label, _dot, rest = name.partition('.')
    return bool(label) and '*' not in label and rest == cert_name[2:]


def _checked_names(name: str) -> list[str]:
    """The host names a ``server_name`` value stands for, in the form a certificate holds them.

    ``.example.test`` stands for ``example.test`` and ``*.example.test``; a
    regular expression, a trailing wildcard (``www.example.*``) and the
    catch-all ``_`` cannot be compared with a certificate and are left out.
    """
    name = str(name).strip().rstrip('.')
    if not name or name == '_' or name.startswith('~'):
        return []
    if name.startswith('.'):
        return [name[1:], '*' + name]
    if '*' in name[2:] or ('*' in name[:2] and not name.startswith('*.')):
        return []
    return [name]


def _name_warnings(cert, names: list[str]) -> list[str]:
    held = _cert_names(cert)
    missing = []
    for server_name in names:
        for name in _checked_names(server_name):
            try:
                address = ipaddress.ip_address(name)
            except ValueError:
                covered = any(_covers(h, name) for h in held)
            else:
                covered = any(h == str(address) for h in held)
            if not covered and name.lower() not in [m.lower() for m in missing]:
                missing.append(name)
    if not missing:
        return []
    return ['cert_src (names %s) does not cover server_names %s: clients will see a name mismatch; give a '
            'certificate that holds them' % (', '.join(held) or 'none', ', '.join(missing))]


def check(cert_pem: bytes, key_pem: bytes, names: list[str],
          now: datetime.datetime | None = None) -> tuple[list[str], list[str]]:
    """``(problems, warnings)`` of the PEM contents of ``cert_src`` and ``key_src`` for a site of ``names``.

    Each message starts with ``cert_src`` or ``key_src``; the caller puts the
    name of the site's ``tls`` variable in front. Problems: unreadable or
    encrypted material, a key that does not belong to the first certificate
    (the leaf), a certificate out of its validity period, a chain not in
    issuing order (the leaf first, then each issuer). Warnings: server names
    the leaf does not cover.
    """
    if not HAS_CRYPTOGRAPHY:
        return [NO_CRYPTOGRAPHY], []
    now = now or datetime.datetime.now(datetime.timezone.utc)
    now = _utc(now)
    certs, problems = _load_certificates(bytes(cert_pem))
    key, key_problems = _load_key(bytes(key_pem))
    problems += key_problems
    if not certs:
        return problems, []
    if key is not None:
        problems += _key_problems(certs, key)
    problems += _validity_problems(certs, now)
    problems += _chain_problems(certs)
    return problems, _name_warnings(certs[0], list(names or []))


def _cached_check(cert_pem: bytes, key_pem: bytes, names: list[str]) -> tuple[list[str], list[str]]:
    """:func:`check` once per process and day for the same material and names."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    key = (hashlib.sha256(cert_pem).hexdigest(), hashlib.sha256(key_pem).hexdigest(), tuple(names), today)
    result = _CACHE.get(key)
    if result is None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        problems, warnings = check(cert_pem, key_pem, names)
        result = _CACHE[key] = (tuple(problems), tuple(warnings))
    return list(result[0]), list(result[1])


def _read(path: str) -> bytes:
    with open(path, 'rb') as handle:
        return handle.read()


def site_messages(sites: list, skip: Container[int] = ()) -> tuple[list[str], list[str]]:
    """``(problems, warnings)`` of every enabled ``tls.mode=files`` site whose cert_src and key_src are files.

    Messages start with ``site_sites[<index>].tls.``; sites whose index is in
    ``skip`` (those with another problem of their ``tls``) are left out, and
    so are disabled and absent sites (nginx loads none of their material).
    """
    problems: list[str] = []
    warnings: list[str] = []
    for index, site in enumerate(sites or []):
        tls = site.get('tls') if isinstance(site, dict) else None
        if index in skip or not isinstance(tls, dict) or tls.get('mode') != 'files':
            continue
        if (site.get('state') or 'present') != 'present' or not tls.get('cert_src') or not tls.get('key_src'):
            continue
        paths = [os.path.expanduser(str(tls[k])) for k in ('cert_src', 'key_src')]
        if not all(os.path.isfile(p) for p in paths):
            continue  # the site rules report it
        prefix = 'site_sites[%d].tls.' % index
        try:
            cert_pem, key_pem = (_read(p) for p in paths)
        except OSError as exc:
            problems.append('%scert_src or key_src cannot be read on the controller: %s (%s)'
                            % (prefix, exc.strerror or exc, exc.filename))
            continue
        names = [str(n) for n in site.get('server_names') or []]
        found, noticed = _cached_check(cert_pem, key_pem, names)
        problems += [prefix + m for m in found]
        warnings += [prefix + m for m in noticed]
    return problems, warnings
