# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rules of the nginx role's variables that its argument spec cannot express.

Each rule takes the role's variables (name to value, after the argument
spec) and yields messages that name the variable.
"""

from __future__ import annotations

import re

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import rules

WORD_RE = re.compile(r'^[A-Za-z0-9_]+$')
SIZE_RE = re.compile(r'^[0-9]+[kKmMgG]?$')
TIME_RE = re.compile(r'^([0-9]+(ms|s|m|h|d|w|M|y)?)+$')
# A syslog server as nginx's syslog:server= takes it: a host name or IPv4
# address, an [IPv6] address, each with an optional port, or a unix socket.
SYSLOG_SERVER_RE = re.compile(r'^(unix:/[^\s,;{}\'"]+|(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(:(?P<port>[0-9]+))?)$')
# The log format nginx.conf defines as the one nginx_access_log_format
# chooses; the site role's per-site access logs name it (site_rules).
ACCESS_LOG_FORMAT = 'nginx_access'
# A MIME type as gzip_types and brotli_types take it (type/subtype, RFC 6838
# characters), or * (every type).
MIME_TYPE_RE = re.compile(r'^([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*|\*)$')
CURVES_RE = re.compile(r'^[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)*$')
# The TLS groups OpenSSL knows on the supported platforms (3.0 on Debian 12,
# 3.5 on Debian 13, which adds the ML-KEM ones), compared without case as
# OpenSSL does. nginx -t cannot tell: it hands the list to OpenSSL only for a
# server with TLS, so an unknown name would pass the nginx role and break the
# first site with TLS.
TLS_GROUPS = frozenset(name.lower() for name in (
    'X25519', 'X448', 'prime256v1', 'secp256r1', 'P-256', 'secp384r1', 'P-384', 'secp521r1', 'P-521',
    'brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1', 'brainpoolP256r1tls13', 'brainpoolP384r1tls13',
    'brainpoolP512r1tls13', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192',
    'X25519MLKEM768', 'SecP256r1MLKEM768', 'SecP384r1MLKEM1024', 'MLKEM512', 'MLKEM768', 'MLKEM1024'))


def rlimit(v):
    if v['nginx_worker_rlimit_nofile'] < v['nginx_worker_connections']:
        yield ('nginx_worker_rlimit_nofile (%s) must be at least nginx_worker_connections (%s).'
               % (v['nginx_worker_rlimit_nofile'], v['nginx_worker_connections']))


def worker_processes(v):
    value = str(v['nginx_worker_processes'])
    if value != 'auto' and not (value.isdigit() and int(value) >= 1):
        yield 'nginx_worker_processes (%s) must be auto or a number of processes (at least 1).' % value


def log_format_name(v):
    if not WORD_RE.match(str(v['nginx_log_format_name'])):
        yield ('nginx_log_format_name (%s) must be one word of letters, digits and underscores.'
               % v['nginx_log_format_name'])
    elif str(v['nginx_log_format_name']) == ACCESS_LOG_FORMAT:
        yield ('nginx_log_format_name (%s) is taken: nginx.conf defines it as the format nginx_access_log_format '
               'chooses, which the sites log with; choose another name.' % ACCESS_LOG_FORMAT)


def ssl(v):
    if not v['nginx_ssl_protocols']:
        yield 'nginx_ssl_protocols must name at least one protocol.'
    curves = str(v['nginx_ssl_ecdh_curve'])
    if not CURVES_RE.match(curves):
        yield ('nginx_ssl_ecdh_curve (%s) must be curve names separated by ":", for example X25519:prime256v1.'
               % curves)
    elif curves != 'auto':
        unknown = [name for name in curves.split(':') if name.lower() not in TLS_GROUPS]
        if unknown:
            yield ('nginx_ssl_ecdh_curve (%s): %s %s not a TLS group OpenSSL knows; use names such as X25519, '
                   'prime256v1, secp384r1 (or auto).' % (curves, ', '.join(unknown), 'is' if len(unknown) == 1 else 'are'))
    if not TIME_RE.match(str(v['nginx_ssl_session_timeout'])):
        yield 'nginx_ssl_session_timeout (%s) must be an nginx time such as 1d or 12h.' % v['nginx_ssl_session_timeout']


def sizes(v):
    if not SIZE_RE.match(str(v['nginx_client_max_body_size'])):
        yield ('nginx_client_max_body_size (%s) must be an nginx size such as 1m, 512k or 0.'
               % v['nginx_client_max_body_size'])


def access_log(v):
    buffer = str(v['nginx_access_log_buffer'])
    if buffer and not (SIZE_RE.match(buffer) and int(buffer.rstrip('kKmMgG')) > 0):
        yield ("nginx_access_log_buffer (%s) must be empty (no buffer) or an nginx size above 0 such as 64k."
               % buffer)
    if not TIME_RE.match(str(v['nginx_access_log_flush'])):
        yield 'nginx_access_log_flush (%s) must be an nginx time such as 1s or 5s.' % v['nginx_access_log_flush']


def log_destination(v):
    """Where the logs go: a syslog server is needed with syslog, and must be one nginx can name."""
    server = str(v['nginx_log_syslog_server'] or '')
    match = SYSLOG_SERVER_RE.match(server)
    if v['nginx_log_destination'] == 'syslog' and not server:
        yield ('nginx_log_syslog_server is required with nginx_log_destination=syslog (the address of the syslog '
               'server, for example 192.0.2.10, logs.example.org:514 or unix:/dev/log).')
    elif server and not match:
        yield ('nginx_log_syslog_server (%s) must be host, host:port, [IPv6]:port or unix:/path '
               '(no spaces, commas, quotes, ";" or braces).' % server)
    elif match and match.group('port') and not rules.is_port(match.group('port')):
        yield 'nginx_log_syslog_server (%s): the port must be 1-65535.' % server


def compression_types(v):
    """The types of gzip_types, and of brotli_types with nginx_brotli: one word each, or nginx.conf breaks."""
    for index, value in enumerate(v['nginx_gzip_types']):
        if not MIME_TYPE_RE.match(str(value)):
            yield ('nginx_gzip_types[%d] (%s) must be a MIME type such as text/css (type/subtype, no spaces, quotes '
                   'or ";"), or *.' % (index, value))


def default_server(v):
    for index, value in enumerate(v['nginx_default_server_listen']):
        if rules.listen_port(value) is None:
            yield 'nginx_default_server_listen[%d] (%s) must be a port (1-65535) or address:port.' % (index, value)
    for index, value in enumerate(v['nginx_status_allow']):
        if not rules.is_address_or_network(value):
            yield 'nginx_status_allow[%d] (%s) must be an IPv4 or IPv6 address or a CIDR range.' % (index, value)
    if not str(v['nginx_status_path']).startswith('/') or not rules.is_token(v['nginx_status_path']):
        yield 'nginx_status_path (%s) must be a path starting with / without spaces or quotes.' % v['nginx_status_path']


RULES = (rlimit, worker_processes, log_format_name, ssl, sizes, access_log, log_destination, compression_types,
         default_server)


def problems(variables: dict) -> list[str]:
    """Every problem of the nginx role's variables."""
    return [message for rule in RULES for message in rule(variables)]
