# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A good and a bad case per rule of plugins/plugin_utils/nginx_rules.py, on the role's own defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import nginx_rules

DEFAULTS = yaml.safe_load((Path(__file__).resolve().parents[4] / 'roles/nginx/defaults/main.yml').read_text())


def test_the_defaults_have_no_problem():
    assert nginx_rules.problems(DEFAULTS) == []


@pytest.mark.parametrize('changes, message', [
    ({'nginx_worker_connections': 8192, 'nginx_worker_rlimit_nofile': 1024},
     'nginx_worker_rlimit_nofile (1024) must be at least nginx_worker_connections (8192).'),
    ({'nginx_worker_processes': '0'}, 'nginx_worker_processes (0) must be auto or a number of processes (at least 1).'),
    ({'nginx_log_format_name': 'my format'}, 'nginx_log_format_name (my format) must be one word'),
    ({'nginx_ssl_protocols': []}, 'nginx_ssl_protocols must name at least one protocol.'),
    ({'nginx_ssl_ecdh_curve': 'X25519 prime256v1'}, 'nginx_ssl_ecdh_curve (X25519 prime256v1) must be curve names'),
    ({'nginx_ssl_ecdh_curve': 'X25519:nosuchcurve'},
     'nginx_ssl_ecdh_curve (X25519:nosuchcurve): nosuchcurve is not a TLS group OpenSSL knows'),
    ({'nginx_ssl_session_timeout': 'one day'}, 'nginx_ssl_session_timeout (one day) must be an nginx time'),
    ({'nginx_client_max_body_size': '1 MB'}, 'nginx_client_max_body_size (1 MB) must be an nginx size'),
    ({'nginx_access_log_buffer': 'lots'}, 'nginx_access_log_buffer (lots) must be empty (no buffer) or an nginx size'),
    ({'nginx_access_log_buffer': '0k'}, 'nginx_access_log_buffer (0k) must be empty (no buffer) or an nginx size'),
    ({'nginx_access_log_flush': 'soon'}, 'nginx_access_log_flush (soon) must be an nginx time'),
    ({'nginx_default_server_listen': ['80', '99999']}, 'nginx_default_server_listen[1] (99999) must be a port'),
    ({'nginx_status_allow': ['localhost']}, 'nginx_status_allow[0] (localhost) must be an IPv4 or IPv6 address'),
    ({'nginx_status_path': 'status'}, 'nginx_status_path (status) must be a path starting with /'),
    ({'nginx_log_format_name': 'nginx_access'}, 'nginx_log_format_name (nginx_access) is taken'),
    ({'nginx_log_destination': 'syslog'}, 'nginx_log_syslog_server is required with nginx_log_destination=syslog'),
    ({'nginx_log_destination': 'syslog', 'nginx_log_syslog_server': 'logs.example.org:514,tag=x'},
     'nginx_log_syslog_server (logs.example.org:514,tag=x) must be host, host:port'),
    ({'nginx_log_destination': 'syslog', 'nginx_log_syslog_server': 'unix:dev/log'},
     'nginx_log_syslog_server (unix:dev/log) must be host, host:port'),
    ({'nginx_log_destination': 'syslog', 'nginx_log_syslog_server': '192.0.2.10:70000'},
     'nginx_log_syslog_server (192.0.2.10:70000): the port must be 1-65535.'),
    ({'nginx_log_syslog_server': '[2001:db8::1]:0'}, 'nginx_log_syslog_server ([2001:db8::1]:0): the port must be'),
    ({'nginx_gzip_types': ['text/css', 'text/css;']},
     'nginx_gzip_types[1] (text/css;) must be a MIME type such as text/css'),
    ({'nginx_gzip_types': ['text/css application/json']},
     'nginx_gzip_types[0] (text/css application/json) must be a MIME type'),
    ({'nginx_brotli': True, 'nginx_gzip_types': ['css']}, 'nginx_gzip_types[0] (css) must be a MIME type'),
])
def test_each_rule(changes, message):
    found = nginx_rules.problems(dict(DEFAULTS, **changes))
    assert len(found) == 1 and found[0].startswith(message), found


@pytest.mark.parametrize('changes', [{'nginx_worker_processes': '4'}, {'nginx_ssl_session_timeout': '12h'},
                                     {'nginx_client_max_body_size': '0'}, {'nginx_default_server_listen': ['[::]:80']},
                                     {'nginx_ssl_ecdh_curve': 'auto'}, {'nginx_access_log_buffer': '64k'},
                                     {'nginx_access_log_buffer': '1m', 'nginx_access_log_flush': '5s'},
                                     {'nginx_ssl_ecdh_curve': 'x25519:X25519MLKEM768:P-384:ffdhe2048'},
                                     {'nginx_access_log_format': 'json', 'nginx_log_destination': 'journald'},
                                     {'nginx_log_destination': 'syslog', 'nginx_log_syslog_server': '192.0.2.10'},
                                     {'nginx_log_destination': 'syslog', 'nginx_log_syslog_server': 'logs.example.org:514'},
                                     {'nginx_log_destination': 'syslog', 'nginx_log_syslog_server': '[2001:db8::1]:514'},
                                     {'nginx_log_destination': 'syslog', 'nginx_log_syslog_server': 'unix:/dev/log'},
                                     {'nginx_gzip_types': ['*']},
                                     {'nginx_gzip_types': ['application/vnd.ms-fontobject', 'font/woff2', 'image/svg+xml']},
                                     {'nginx_brotli': True, 'nginx_brotli_comp_level': 11, 'nginx_gzip_static': True}])
def test_good_values(changes):
    assert nginx_rules.problems(dict(DEFAULTS, **changes)) == []
