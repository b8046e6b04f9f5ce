# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/bench/containers.py: the TLS server names of an nginx file, without Docker."""

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.scripts.bench import containers


def test_tls_server_names_of_the_first_ssl_server():
    conf = """server {
    listen 80;
    server_name plain.example.org;
}

server {
    listen 443 ssl http2;
    server_name www.example.org example.org;
    ssl_certificate /etc/ssl/site/webstack-lb/fullchain.pem;
}
"""
    assert containers.tls_server_names(conf) == ['www.example.org', 'example.org']
    assert not containers.tls_server_names('server {\n    listen 8080 default_server;\n    server_name single;\n}\n')
