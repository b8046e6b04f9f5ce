# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the certificate_facts module reports about certificates and keys, and when one is due.

Reading uses the ``cryptography`` library when the host has it, and the
``openssl`` command otherwise; a host with neither reports every existing
certificate as unreadable, which the roles treat as due (they install
``python3-cryptography`` before they generate or order anything).
"""

from __future__ import annotations

import datetime
import hashlib
import re


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)


def read_certificate(data: bytes, openssl=None) -> dict:
    """``{'not_after': datetime, 'names': [dns names]}`` of a PEM certificate (the first of a chain).

    Without the cryptography library, ``openssl(argv, data)`` (a module's run_command, returning the
    standard output, raising on failure) runs the openssl command instead.
    """
    try:
        from cryptography import x509
    except ImportError:
        if openssl is None:
            raise ValueError('neither the cryptography library nor a way to run openssl')
        return _read_with_openssl(data, openssl)
    cert = x509.load_pem_x509_certificate(data)
    not_after = getattr(cert, 'not_valid_after_utc', None) or _utc(cert.not_valid_after)
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
            x509.DNSName)
    except x509.ExtensionNotFound:
        names = []
    return {'not_after': not_after, 'names': sorted(names)}


def _read_with_openssl(data: bytes, openssl) -> dict:
    text = openssl(['openssl', 'x509', '-noout', '-enddate', '-ext', 'subjectAltName'], data)
    end = re.search(r'notAfter=(.+)', text).group(1).strip()
    not_after = datetime.datetime.strptime(end.replace(' GMT', ''), '%b %d %H:%M:%S %Y').replace(
        tzinfo=datetime.timezone.utc)
    return {'not_after': not_after, 'names': sorted(re.findall(r'DNS:([^,\s]+)', text))}


def key_type(data: bytes) -> str:
    """``ecdsa``, ``rsa`` or ``other`` for a PEM private key (from its header, or from the key itself)."""
    text = data.decode('ascii', 'replace')
    if 'BEGIN EC PRIVATE KEY' in text:
        return 'ecdsa'
    if 'BEGIN RSA PRIVATE KEY' in text:
        return 'rsa'
    try:
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        from cryptography.hazmat.primitives.serialization import load_pem_private_key
    except ImportError:
        return 'other'
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        return 'other'
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return 'ecdsa'
    if isinstance(key, rsa.RSAPrivateKey):
        return 'rsa'
    return 'other'


def status(cert: bytes | None, now: datetime.datetime, remaining_days: int, names=None, openssl=None) -> dict:
    """Facts of one certificate: exists, readable, not_after, days_left, names, due (and why).

    ``openssl``: as for read_certificate.
    """
    if cert is None:
        return {'exists': False, 'readable': False, 'not_after': None, 'days_left': None, 'names': [],
                'due': True, 'why': 'missing', 'sha256': None}
    digest = hashlib.sha256(cert).hexdigest()
    try:
        info = read_certificate(cert, openssl)
    except Exception as exc:  # pylint: disable=broad-except  # any parse failure means "order again"
        return {'exists': True, 'readable': False, 'not_after': None, 'days_left': None, 'names': [],
                'due': True, 'why': 'unreadable: %s' % exc, 'sha256': digest}
    days_left = (info['not_after'] - now).total_seconds() / 86400.0
    why = ''
    if days_left < remaining_days:
        why = 'expires in %.1f days' % days_left
    elif names is not None and sorted(set(names)) != sorted(set(info['names'])):
        why = 'names %s, wanted %s' % (', '.join(info['names']), ', '.join(sorted(set(names))))
    return {'exists': True, 'readable': True, 'not_after': info['not_after'].strftime('%Y-%m-%dT%H:%M:%SZ'),
            'days_left': round(days_left, 2), 'names': info['names'], 'due': bool(why), 'why': why,
            'sha256': digest}
