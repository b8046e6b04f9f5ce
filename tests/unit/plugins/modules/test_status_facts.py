# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""status_facts: the probe of an upstream server (on loopback only), the releases, the unit states."""

from __future__ import annotations

import http.server
import socket
import threading

import pytest

from ansible_collections.webstack.nginx_uwsgi.plugins.modules import status_facts


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the name http.server calls)
        self.send_response(200 if self.path == '/healthz' else 503)
        self.end_headers()

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def server():
    httpd = http.server.HTTPServer(('127.0.0.1', 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield '127.0.0.1:%d' % httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_probe_up_and_failing(server):
    assert status_facts.probe(server, '/healthz', 2.0) == ('up', 'HTTP 200')
    assert status_facts.probe(server, '/broken', 2.0) == ('failing', 'HTTP 503')


def test_probe_of_a_closed_port_fails():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    state, detail = status_facts.probe('127.0.0.1:%d' % port, '/healthz', 1.0)
    assert state == 'failing' and detail


def test_a_unix_socket_is_not_probed():
    assert status_facts.probe('unix:/run/x.sock', '/healthz', 1.0) == ('unknown', 'unix socket, not probed')


def test_link_release(tmp_path):
    (tmp_path / 'releases' / 'abc').mkdir(parents=True)
    (tmp_path / 'current').symlink_to('releases/abc/')
    assert status_facts.link_release(str(tmp_path / 'current')) == 'abc'
    assert status_facts.link_release(str(tmp_path / 'previous')) == ''


def test_state_text():
    assert status_facts.state_text({'loaded': True, 'state': 'active', 'sub_state': 'running'}) == 'active/running'
    assert status_facts.state_text({'loaded': False, 'state': 'inactive', 'sub_state': 'dead'}) == 'missing'
