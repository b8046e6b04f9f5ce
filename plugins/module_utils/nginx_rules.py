# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rules of the nginx role's variables that its argument spec cannot express.

Each rule takes the role's variables (name to value, after the argument
spec) and yields messages that name the variable.
"""

from __future__ import annotations

import re

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils import rules

WORD_RE = re.compile(r'^[A-Za-z0-9_]+$')
SIZE_RE = re.compile(r'^[0-9]+[kKmMgG]?$')
TIME_RE = re.compile(r'^([0-9]+(ms|s|m|h|d|w|M|y)?)+$')
CURVES_RE = re.compile(r'^[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)*$')


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


def ssl(v):
    if not v['nginx_ssl_protocols']:
        yield 'nginx_ssl_protocols must name at least one protocol.'
    if not CURVES_RE.match(str(v['nginx_ssl_ecdh_curve'])):
        yield ('nginx_ssl_ecdh_curve (%s) must be curve names separated by ":", for example X25519:prime256v1.'
               % v['nginx_ssl_ecdh_curve'])
    if not TIME_RE.match(str(v['nginx_ssl_session_timeout'])):
        yield 'nginx_ssl_session_timeout (%s) must be an nginx time such as 1d or 12h.' % v['nginx_ssl_session_timeout']


def sizes(v):
    if not SIZE_RE.match(str(v['nginx_client_max_body_size'])):
        yield ('nginx_client_max_body_size (%s) must be an nginx size such as 1m, 512k or 0.'
               % v['nginx_client_max_body_size'])


def default_server(v):
    for index, value in enumerate(v['nginx_default_server_listen']):
        if rules.listen_port(value) is None:
            yield 'nginx_default_server_listen[%d] (%s) must be a port (1-65535) or address:port.' % (index, value)
    for index, value in enumerate(v['nginx_status_allow']):
        if not rules.is_address_or_network(value):
            yield 'nginx_status_allow[%d] (%s) must be an IPv4 or IPv6 address or a CIDR range.' % (index, value)
    if not str(v['nginx_status_path']).startswith('/') or not rules.is_token(v['nginx_status_path']):
        yield 'nginx_status_path (%s) must be a path starting with / without spaces or quotes.' % v['nginx_status_path']


RULES = (rlimit, worker_processes, log_format_name, ssl, sizes, default_server)


def problems(variables: dict) -> list[str]:
    """Every problem of the nginx role's variables."""
    return [message for rule in RULES for message in rule(variables)]
