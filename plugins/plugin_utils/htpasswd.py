# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Password files of nginx's basic auth, hashed on the controller.

nginx checks a password with glibc's ``crypt(3)``; SHA-512-crypt
(``$6$salt$hash``, Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512")
is the strongest format every Debian glibc reads. Python 3.13 has no
``crypt`` module and ansible-core does not need passlib, so
:func:`sha512_crypt` implements the specification in pure Python (its unit
tests run the specification's published test vectors).

The salt is derived, not random, so that a run with the same password writes
the same file (the second run changes nothing) and a new password a new line:
:func:`derived_salt` takes it from a first SHA-512-crypt of the password (under
a salt made of the file and the user name), so that the salt, which the file
shows, costs an attacker as much to test a guess against as the hash itself.
"""

from __future__ import annotations

import hashlib
import hmac

ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
ROUNDS_DEFAULT = 5000
ROUNDS_MIN = 1000
ROUNDS_MAX = 999999999
SALT_MAX = 16
# byte order of the final encoding (the specification's table for SHA-512)
_ORDER = ((0, 21, 42), (22, 43, 1), (44, 2, 23), (3, 24, 45), (25, 46, 4), (47, 5, 26), (6, 27, 48), (28, 49, 7),
          (50, 8, 29), (9, 30, 51), (31, 52, 10), (53, 11, 32), (12, 33, 54), (34, 55, 13), (56, 14, 35), (15, 36, 57),
          (37, 58, 16), (59, 17, 38), (18, 39, 60), (40, 61, 19), (62, 20, 41))


def _b64_from_24bit(b2: int, b1: int, b0: int, count: int) -> str:
    value = (b2 << 16) | (b1 << 8) | b0
    return ''.join(ALPHABET[(value >> (6 * index)) & 0x3f] for index in range(count))


def _repeat(digest: bytes, length: int) -> bytes:
    return (digest * (length // len(digest) + 1))[:length]


def sha512_crypt(password, salt: str, rounds: int | None = None) -> str:
    """``$6$[rounds=N$]salt$hash`` of ``password`` (str or bytes), as glibc's crypt(3) computes it.

    ``salt`` is cut to 16 characters; ``rounds`` None is the default (5000,
    not written in the result), other values are clamped to 1000-999999999 and
    written.
    """
    key = password.encode('utf-8') if isinstance(password, str) else bytes(password)
    salt_text = str(salt)[:SALT_MAX]
    salt_bytes = salt_text.encode('utf-8')
    custom = rounds is not None
    count = ROUNDS_DEFAULT if rounds is None else max(ROUNDS_MIN, min(ROUNDS_MAX, int(rounds)))

    alternate = hashlib.sha512(key + salt_bytes + key).digest()
    ctx = hashlib.sha512(key + salt_bytes)
    length = len(key)
    while length > 64:
        ctx.update(alternate)
        length -= 64
    ctx.update(alternate[:length])
    length = len(key)
    while length > 0:
        ctx.update(alternate if length & 1 else key)
        length >>= 1
    digest_a = ctx.digest()

    p_bytes = _repeat(hashlib.sha512(key * len(key)).digest(), len(key))
    s_bytes = _repeat(hashlib.sha512(salt_bytes * (16 + digest_a[0])).digest(), len(salt_bytes))

    current = digest_a
    for index in range(count):
        ctx = hashlib.sha512(p_bytes if index & 1 else current)
        if index % 3:
            ctx.update(s_bytes)
        if index % 7:
            ctx.update(p_bytes)
        ctx.update(current if index & 1 else p_bytes)
        current = ctx.digest()

    encoded = ''.join(_b64_from_24bit(current[a], current[b], current[c], 4) for a, b, c in _ORDER)
    encoded += _b64_from_24bit(0, 0, current[63], 2)
    prefix = '$6$rounds=%d$' % count if custom else '$6$'
    return '%s%s$%s' % (prefix, salt_text, encoded)


def _salt_chars(data: bytes) -> str:
    return ''.join(ALPHABET[b & 0x3f] for b in data[:SALT_MAX])


def derived_salt(password, context: str) -> str:
    """A 16-character salt that depends on ``password`` and ``context`` (the file and the user), the same every run.

    First a SHA-512-crypt of the password under a salt of the context alone,
    then an HMAC of the context keyed with that hash: testing a guessed
    password against the salt costs a full SHA-512-crypt, as against the hash.
    """
    first_salt = _salt_chars(hashlib.sha512(('webstack-htpasswd\0' + context).encode('utf-8')).digest())
    first = sha512_crypt(password, first_salt)
    return _salt_chars(hmac.new(first.encode('ascii'), context.encode('utf-8'), hashlib.sha512).digest())


def line(user: str, password, context: str) -> str:
    """One line of a password file, ``user:$6$salt$hash``, stable for the same password and context."""
    salted = '%s\0%s' % (context, user)
    return '%s:%s' % (user, sha512_crypt(password, derived_salt(password, salted)))


def content(users, context: str, header: str = '') -> str:
    """The text of a password file for ``users`` (``name`` and ``password`` each); ``header`` a comment line."""
    lines = [header] if header else []
    lines += [line(str(user['name']), str(user['password']), context) for user in users]
    return '\n'.join(lines) + '\n'
