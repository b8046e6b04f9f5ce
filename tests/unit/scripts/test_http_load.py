# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/http_load.py against a loopback server that closes connections on purpose."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import socket
import socketserver
import threading

import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'scripts', 'http_load.py')
SPEC = importlib.util.spec_from_file_location('http_load', SCRIPT)
http_load = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(http_load)

BODY = b'hello from host=app1 release=r1 \n'


def read_request(conn):
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return False
        data += chunk
    return True


class Handler(socketserver.BaseRequestHandler):
    """Answers `answers` requests per connection (keep-alive), then reads the
    next one and closes the connection without a word, like an nginx worker
    retiring an idle connection as the request arrives."""

    answers = 1
    status = b'200 OK'

    def handle(self):
        for _answer in range(self.answers):
            if not read_request(self.request):
                return
            self.request.sendall(b'HTTP/1.1 ' + self.status + b'\r\nContent-Length: %d\r\n\r\n' % len(BODY) + BODY)
        read_request(self.request)
        self.request.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def server(answers, status=b'200 OK'):
    handler = type('H', (Handler,), {'answers': answers, 'status': status})
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    srv = socketserver.ThreadingTCPServer(('127.0.0.1', 0), handler)
    srv.daemon_threads = True
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield 'http://127.0.0.1:%d/' % srv.server_address[1]
    finally:
        srv.shutdown()
        srv.server_close()


def run(url, *args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        http_load.main([url, '--connections', '1', '--max-seconds', '0.5', '--pause', '0.01'] + list(args))
    return json.loads(out.getvalue())


def test_closed_idle_connection_is_retried_once_and_counted():
    with server(answers=1) as url:
        result = run(url)
    assert result['requests'] > 5
    assert result['socket_errors'] == 0
    assert result['non_2xx'] == 0
    # every connection after the first ends with a retry of its second request
    assert result['keepalive_retries'] == result['requests'] - 1
    assert result['releases'] == {'r1': result['requests']}
    assert result['hosts'] == {'app1': result['requests']}


def test_connection_closed_before_any_answer_is_a_socket_error():
    with server(answers=0) as url:
        result = run(url)
    assert result['requests'] == 0
    assert result['keepalive_retries'] == 0
    assert result['socket_errors'] > 0
    assert 'RemoteDisconnected' in result['errors'][0]


def test_retry_that_fails_again_is_a_socket_error(monkeypatch):
    calls = []
    real_send = http_load.send

    def send(conn, path, server_name):
        calls.append(1)
        if len(calls) > 1:
            raise ConnectionResetError('reset again')
        return real_send(conn, path, server_name)

    monkeypatch.setattr(http_load, 'send', send)
    with server(answers=1) as url:
        result = run(url)
    assert result['requests'] == 1
    assert result['keepalive_retries'] == 1
    assert result['socket_errors'] > 0


def test_non_2xx_answers_are_counted():
    with server(answers=3, status=b'503 Service Unavailable') as url:
        result = run(url)
    assert result['requests'] > 0
    assert result['non_2xx'] == result['requests']
    assert result['releases'] == {}


@pytest.mark.parametrize('argv', [['--connections', '0'], ['--connections', '65'], ['--max-seconds', '601'],
                                  ['--max-seconds', '0']])
def test_bounds(argv):
    with pytest.raises(SystemExit):
        http_load.parse_args(['http://127.0.0.1/'] + argv)


def test_tls_close_without_close_notify_on_a_reused_connection_is_retried(monkeypatch):
    """The TLS form of an idle connection closed as the request goes out: ssl's SSLEOFError, retried once."""
    calls = []
    real_send = http_load.send

    def send(conn, path, server_name):
        calls.append(1)
        if len(calls) == 2:
            raise http_load.ssl.SSLEOFError(8, 'EOF occurred in violation of protocol')
        return real_send(conn, path, server_name)

    monkeypatch.setattr(http_load, 'send', send)
    with server(answers=5) as url:
        result = run(url)
    assert result['socket_errors'] == 0
    assert result['keepalive_retries'] >= 1
    assert result['requests'] > 2
