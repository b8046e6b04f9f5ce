"""Verify the single host converged by playbooks/site.yml in both groups of the fleet.

Its load balancer site (TLS, www.example.org) serves the app itself: the
requests go straight to uWSGI's unix socket, as the app hosts' site on :8080
does, not through a second hop to that site. Every request goes to loopback
inside the scenario's container or to that container's own address, a fixed
count, bounded by curl's --max-time or a socket timeout.
"""

import json
import re
import shlex
import socket
import ssl
import time

APP = "hello"
SOCKET = "/run/uwsgi-app/%s/uwsgi.sock" % APP
LB_NAME = "www.example.org"
LB_SITE = "/etc/nginx/sites-available/webstack-lb.conf"
ANSWER = re.compile(r"^host=solo release=(\S+) app=%s$" % APP)
NEW_ID = re.compile(r"^[0-9a-f]{32}$")  # nginx's $request_id
ACCESS_LOG = "/var/log/nginx/access.log"


def _request(host, path, *headers):
    """One HTTPS request through the load balancer site on the host itself: (status, headers, body)."""
    args = " ".join("-H %s" % shlex.quote(h) for h in headers)
    out = host.check_output(
        "curl -sk -m 5 -D /tmp/headers -o /tmp/body -w '%%{http_code}' %s --resolve %s:443:127.0.0.1 "
        "https://%s%s; echo; cat /tmp/headers; echo; cat /tmp/body" % (args, LB_NAME, LB_NAME, path))
    status, _sep, rest = out.partition("\n")
    head, _sep, body = rest.partition("\r\n\r\n")
    return int(status), head, body.strip()


def _request_ids(headers):
    return re.findall(r"(?mi)^x-request-id:\s*(\S+)\s*$", headers)


def test_the_load_balancer_site_passes_straight_to_the_socket(host):
    conf = host.file(LB_SITE).content_string
    assert "uwsgi_pass unix:%s;" % SOCKET in conf
    assert "proxy_pass" not in conf
    # no upstream of app hosts: nothing else serves the app
    assert "upstream webstack-app" not in host.file("/etc/nginx/conf.d/site-upstreams.conf").content_string
    # the app hosts' site stays, for the health checks of the releases
    assert host.check_output("curl -sf -m 5 http://127.0.0.1:8080/healthz") == "ok"


def test_the_app_answers_over_https(host):
    status, headers, body = _request(host, "/")
    assert status == 200 and ANSWER.match(body), body
    assert re.search(r"(?mi)^server: nginx\s*$", headers)
    assert re.search(r"(?mi)^strict-transport-security:", headers) is None  # hsts: false in the example


def test_one_hop_one_request_id_one_log_line(host):
    status, headers, body = _request(host, "/whoami", "X-Request-ID: chosen-by-the-client",
                                     "X-Forwarded-For: 203.0.113.9")
    assert status == 200, body
    ids = _request_ids(headers)
    assert len(ids) == 1 and NEW_ID.match(ids[0]), headers
    seen = json.loads(body)
    # the edge makes its own id and believes no forwarded address
    assert seen == {"remote_addr": "127.0.0.1", "request_id": ids[0], "host": "solo"}, seen
    # nginx saw the request once: one hop
    lines = host.check_output("grep -F %s %s || true" % (shlex.quote(ids[0]), ACCESS_LOG)).splitlines()
    assert len(lines) == 1 and lines[0].startswith("127.0.0.1 "), lines


def test_the_app_sees_a_client_from_outside(host):
    """From the machine running the tests to the container's address: the app sees the address the request came
    from, not one the client forwarded."""
    address = host.check_output("hostname -I").split()[0]
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    data = b""
    with socket.create_connection((address, 443), timeout=5) as raw:
        client = raw.getsockname()[0]
        with context.wrap_socket(raw, server_hostname=LB_NAME) as conn:
            # HTTP/1.0: the answer ends with the connection, no chunks
            conn.sendall(("GET /whoami HTTP/1.0\r\nHost: %s\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n"
                          % LB_NAME).encode())
            for _count in range(100):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
    head, _sep, body = data.decode().partition("\r\n\r\n")
    assert head.split()[1] == "200", head
    seen = json.loads(body)
    assert seen["remote_addr"] == client and client != address, (seen, client)


def _uwsgi_log(host, request_id):
    """The lines of the app's uWSGI request log (4xx and 5xx only) for ``request_id``; journald may lag a little."""
    for _attempt in range(10):
        out = host.check_output("journalctl -u uwsgi-app-%s.service -o cat --no-pager | grep -F -e %s || true"
                                % (APP, shlex.quote("request_id=" + request_id)))
        if out:
            return out.splitlines()
        time.sleep(0.5)
    return []


def test_the_request_id_reaches_the_uwsgi_log(host):
    status, headers, _body = _request(host, "/no-such-page")
    assert status == 404
    ids = _request_ids(headers)
    assert len(ids) == 1 and NEW_ID.match(ids[0]), headers
    lines = _uwsgi_log(host, ids[0])
    assert len(lines) == 1 and " 404 " in lines[0] and lines[0].startswith("127.0.0.1 "), lines


def test_static_files_are_served_by_nginx(host):
    status, headers, body = _request(host, "/static/app.css")
    assert status == 200 and body, body
    assert re.search(r"(?mi)^cache-control: max-age=3600\s*$", headers), headers
    assert re.search(r"(?mi)^content-type: text/css", headers), headers
    # a file that is not there: nginx's 404, which uWSGI never saw (it logs its 404s)
    status, headers, _body = _request(host, "/static/no-such.css")
    assert status == 404
    ids = _request_ids(headers)
    assert len(ids) == 1 and _uwsgi_log(host, ids[0]) == []
