"""Verify the fleet converged by playbooks/site.yml: lb1 in front of app1 and app2.

Hosts are the Molecule platforms fleet-lb1, fleet-app1 and fleet-app2 (host
names lb1, app1, app2); group_vars come from inventories/example. Every
request goes to loopback inside a container of this scenario, bounded by
curl's --max-time and a fixed count.
"""

import json
import re
import shlex
import time

import pytest
import testinfra

APP_HOSTS = {"fleet-app1": "app1", "fleet-app2": "app2"}
LB = "fleet-lb1"
APP = "hello"
UNIT = "uwsgi-app-%s.service" % APP
SOCKET_UNIT = "uwsgi-app-%s.socket" % APP
# renamed by the side effect (issue 12, item 2)
SOCKET = "/run/uwsgi-app/%s/app.sock" % APP
LISTEN = "/run/uwsgi-app/%s/uwsgi.sock" % APP
LB_NAME = "www.example.org"
ANSWER = re.compile(r"^host=(\S+) release=(\S+) app=%s$" % APP)
LB_URL = "--resolve %s:443:127.0.0.1 https://%s%%s" % (LB_NAME, LB_NAME)
APP_URL = "http://127.0.0.1:8080%s"
# the sites' own JSON access logs (site_logs: own, nginx_access_log_format: json
# in inventory/realapp.yml): webstack-lb.access.log, webstack-app.access.log
ACCESS_LOGS = "/var/log/nginx/*.access.log"
NEW_ID = re.compile(r"^[0-9a-f]{32}$")  # nginx's $request_id
CONTAINERS = {name: container for container, name in APP_HOSTS.items()}


def _name(host):
    return host.backend.get_hostname()


def _lb_get(host, path="/", count=1):
    """`count` HTTPS requests through the load balancer; returns (status, body) pairs."""
    out = host.check_output(
        "for i in $(seq %d); do curl -sk -m 5 -o /tmp/body -w '%%{http_code} ' --resolve %s:443:127.0.0.1 "
        "https://%s%s; cat /tmp/body; echo; done" % (count, LB_NAME, LB_NAME, path))
    pairs = []
    for line in filter(None, out.splitlines()):
        status, _sep, body = line.partition(" ")
        pairs.append((int(status), body.strip()))
    return pairs


def _lb_statuses(host, path, count):
    """The statuses of `count` HTTPS requests made back to back through the load balancer (bodies of any length)."""
    out = host.check_output(
        "for i in $(seq %d); do curl -sk -m 5 -o /dev/null -w '%%{http_code} ' --resolve %s:443:127.0.0.1 "
        "https://%s%s; done" % (count, LB_NAME, LB_NAME, path))
    return [int(status) for status in out.split()]


@pytest.fixture()
def lb_host(host):
    if _name(host) != LB:
        pytest.skip("load balancer test")
    return host


@pytest.fixture()
def app_host(host):
    if _name(host) not in APP_HOSTS:
        pytest.skip("app host test")
    return host


@pytest.fixture(autouse=True)
def fleet_host(host):
    """The database host of the scenario is not part of the fleet."""
    if _name(host) == "fleet-db":
        pytest.skip("database host")


def test_nginx_serves_a_valid_configuration(host):
    nginx = host.service("nginx")
    assert nginx.is_enabled
    assert nginx.is_running
    assert host.run("nginx -t").rc == 0
    assert not host.file("/etc/nginx/sites-enabled/default").exists


def test_no_version_in_server_header(host):
    if _name(host) == LB:
        url = "--resolve %s:443:127.0.0.1 https://%s/" % (LB_NAME, LB_NAME)
    else:
        url = "http://127.0.0.1:8080/"
    headers = host.check_output("curl -sk -m 5 -o /dev/null -D - %s" % url)
    assert re.search(r"(?mi)^server: nginx\s*$", headers)


def test_app_runs_as_its_user_under_systemd(app_host):
    assert app_host.service(UNIT).is_enabled
    assert app_host.service(UNIT).is_running
    pids = app_host.check_output("systemctl show --property=MainPID --value %s" % UNIT)
    workers = app_host.check_output("pgrep -P %s" % pids).split()
    assert len(workers) >= 1
    for pid in [pids] + workers:
        assert app_host.check_output("ps -o user= -p %s" % pid) == APP


def test_app_socket_is_not_world_writable(app_host):
    # the renamed path is a symlink to the socket systemd listens on, whatever the path
    link = app_host.file(SOCKET)
    assert link.is_symlink and link.linked_to == LISTEN
    sock = app_host.file(LISTEN)
    assert sock.is_socket
    assert sock.user == APP
    assert sock.group == "www-data"
    assert sock.mode == 0o660


def test_app_host_nginx_answers_from_its_own_app(app_host):
    body = app_host.check_output("curl -sf -m 5 http://127.0.0.1:8080/")
    match = ANSWER.match(body)
    assert match, body
    assert match.group(1) == APP_HOSTS[_name(app_host)]
    assert app_host.check_output("curl -sf -m 5 http://127.0.0.1:8080/healthz") == "ok"


def test_load_balancer_has_no_app(lb_host):
    assert not lb_host.file("/etc/systemd/system/" + UNIT).exists
    assert "server fleet-app1:8080" in lb_host.file("/etc/nginx/conf.d/site-upstreams.conf").content_string


def test_load_balancer_redirects_http_to_https(lb_host):
    headers = lb_host.check_output("curl -s -m 5 -o /dev/null -D - -H 'Host: %s' http://127.0.0.1/x" % LB_NAME)
    assert headers.splitlines()[0].split()[1] == "308"
    assert re.search(r"(?mi)^location: https://%s/x\s*$" % re.escape(LB_NAME), headers)


def test_load_balancer_refuses_old_tls(lb_host):
    for option, accepted in (("-tls1_1 -cipher DEFAULT@SECLEVEL=0", False), ("-tls1_2", True), ("-tls1_3", True)):
        result = lb_host.run("echo | timeout 5 openssl s_client -connect 127.0.0.1:443 -servername %s %s 2>&1"
                             % (LB_NAME, option))
        handshake = re.search(r"New, TLSv1\.[23], Cipher is [A-Z0-9_-]+", result.stdout) is not None
        assert handshake is accepted, option + "\n" + result.stdout


def test_requests_through_the_load_balancer_reach_every_app_host(lb_host):
    answers = _lb_get(lb_host, count=8)
    assert all(status == 200 for status, _body in answers), answers
    matches = [ANSWER.match(body) for _status, body in answers]
    assert all(matches), answers
    assert {m.group(1) for m in matches} == set(APP_HOSTS.values())
    assert len({m.group(2) for m in matches}) == 1, "every app host serves the same release"


def test_load_balancer_keeps_answering_with_one_app_host_down(lb_host):
    app2 = testinfra.get_host("docker://fleet-app2")
    # the socket too: systemd would start the app again at the next connection
    app2.check_output("systemctl stop %s %s" % (SOCKET_UNIT, UNIT))
    try:
        answers = _lb_get(lb_host, count=20)
    finally:
        app2.check_output("systemctl start %s %s" % (SOCKET_UNIT, UNIT))
    assert [status for status, _body in answers] == [200] * 20, answers
    assert {ANSWER.match(body).group(1) for _status, body in answers} == {"app1"}

    # app2 is back in the rotation after the upstream's fail_timeout (10 s).
    for _attempt in range(20):
        if any(ANSWER.match(body).group(1) == "app2" for _status, body in _lb_get(lb_host, count=2)):
            break
        time.sleep(1)
    else:
        pytest.fail("the load balancer did not send requests to app2 again")


def test_security_headers_reach_the_client_once(lb_host):
    """Issue 12, item 7: the app host's nginx and the load balancer both set them; the client gets each once."""
    raw = lb_host.check_output("curl -sk -m 5 -o /dev/null -D - --resolve %s:443:127.0.0.1 https://%s/" % (LB_NAME, LB_NAME))
    names = [line.split(":", 1)[0].lower() for line in raw.splitlines()[1:] if ":" in line]
    for header in ("x-content-type-options", "x-frame-options", "referrer-policy"):
        assert names.count(header) == 1, raw
    assert len(names) == len(set(names)), raw


@pytest.mark.parametrize("sni", ["evil.example", ""])
def test_load_balancer_refuses_names_no_site_declares(lb_host, sni):
    """Issue 12, item 9: no certificate and no app for a name the load balancer does not serve."""
    result = lb_host.run("echo | timeout 5 openssl s_client -connect 127.0.0.1:443 %s 2>&1"
                         % ("-servername " + sni if sni else "-noservername"))
    assert "unrecognized name" in result.stdout and "BEGIN CERTIFICATE" not in result.stdout, result.stdout
    status = lb_host.check_output("curl -sk -m 5 -o /dev/null -w '%%{http_code}' -H 'Host: evil.example' "
                                  "--resolve %s:443:127.0.0.1 https://%s/" % (LB_NAME, LB_NAME))
    assert status == "421"


def test_app_hosts_let_in_only_the_load_balancers_and_loopback(host):
    """Issue 12, item 11: nobody bypasses the load balancer and its TLS."""
    name = _name(host)
    other_app = testinfra.get_host("docker://fleet-app2")
    if name == LB:
        assert host.check_output("curl -s -m 5 -o /dev/null -w '%{http_code}' http://fleet-app1:8080/") == "200"
    elif name == "fleet-app1":
        assert other_app.check_output("curl -s -m 5 -o /dev/null -w '%{http_code}' http://fleet-app1:8080/") == "403"
        assert host.check_output("curl -s -m 5 -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/") == "200"


# Real client address and request id (real_ip_from and request_id of the site
# role, composed by the fleet): the load balancer makes the id and passes the
# client's address on; the app hosts believe only the load balancers.

def _request(host, url, *headers):
    """One bounded request from ``host`` to loopback: (status, [(name, value)] of the response, body)."""
    options = " ".join("-H %s" % shlex.quote(header) for header in headers)
    status = host.check_output("curl -sk -m 5 -D /tmp/verify-headers -o /tmp/verify-body -w '%%{http_code}' %s %s"
                               % (options, url))
    raw = host.file("/tmp/verify-headers").content_string
    pairs = [tuple(part.strip() for part in line.split(":", 1)) for line in raw.splitlines()[1:] if ":" in line]
    return int(status), pairs, host.file("/tmp/verify-body").content_string


def _request_ids(headers):
    return [value for name, value in headers if name.lower() == "x-request-id"]


def _access_log(host, request_id):
    """The lines of the sites' access logs on ``host`` for the request ``request_id``, each parsed as JSON."""
    out = host.check_output("cat %s | grep -F -e %s || true" % (ACCESS_LOGS, shlex.quote('"request_id":"%s"' % request_id)))
    return [line for line in (json.loads(text) for text in out.splitlines()) if line["request_id"] == request_id]


def _uwsgi_log(host, request_id):
    """The request lines of the app's uWSGI log (the journal of its unit) for ``request_id``, each a JSON object
    (uwsgi_app_log_format: json) whose message is the log-format line; journald may lag a little."""
    for _attempt in range(10):
        out = host.check_output("journalctl -u %s -o cat --no-pager | grep -F -e %s || true"
                                % (UNIT, shlex.quote("request_id=" + request_id)))
        if out:
            return [json.loads(line)["message"] for line in out.splitlines()]
        time.sleep(0.5)
    return []


def test_app_sees_the_client_behind_the_load_balancer(lb_host):
    status, _headers, body = _request(lb_host, LB_URL % "/whoami")
    assert status == 200, body
    seen = json.loads(body)
    # curl ran on the load balancer itself: the client is 127.0.0.1, not the
    # load balancer's address on the fleet's network (what the app saw before)
    own = lb_host.check_output("hostname -I").split()
    assert own and seen["remote_addr"] == "127.0.0.1" and seen["remote_addr"] not in own, (seen, own)
    lines = _access_log(testinfra.get_host("docker://" + CONTAINERS[seen["host"]]), seen["request_id"])
    assert len(lines) == 1 and lines[0]["client"] == "127.0.0.1", lines


def test_a_client_cannot_choose_its_address_through_the_load_balancer(lb_host):
    status, _headers, body = _request(lb_host, LB_URL % "/whoami", "X-Forwarded-For: 203.0.113.9")
    assert status == 200, body
    seen = json.loads(body)
    assert seen["remote_addr"] == "127.0.0.1", seen
    lines = _access_log(testinfra.get_host("docker://" + CONTAINERS[seen["host"]]), seen["request_id"])
    # the forged address reached the app host, which did not believe it
    assert len(lines) == 1 and lines[0]["forwarded_for"] == "203.0.113.9, 127.0.0.1", lines
    assert lines[0]["client"] == "127.0.0.1", lines


def test_app_host_believes_no_forwarded_address_from_loopback(app_host):
    status, _headers, body = _request(app_host, APP_URL % "/whoami", "X-Forwarded-For: 203.0.113.9")
    assert status == 200, body
    seen = json.loads(body)
    assert seen["remote_addr"] == "127.0.0.1" and seen["host"] == APP_HOSTS[_name(app_host)], seen
    lines = _access_log(app_host, seen["request_id"])
    assert len(lines) == 1 and lines[0]["client"] == "127.0.0.1", lines


@pytest.mark.parametrize("sent, kept", [("trace-1.a_b:c", True), ("not valid!", False), ("x" * 129, False)])
def test_app_host_keeps_only_a_well_formed_request_id(app_host, sent, kept):
    """The app gets exactly one id, the chosen one: nginx's HTTP_X_REQUEST_ID replaces the header the client sent."""
    status, headers, body = _request(app_host, APP_URL % "/whoami", "X-Request-ID: " + sent)
    assert status == 200, body
    request_id = json.loads(body)["request_id"]
    if kept:
        assert request_id == sent
    else:
        assert NEW_ID.match(request_id), request_id
    assert _request_ids(headers) == [request_id], headers
    assert len(_access_log(app_host, request_id)) == 1


def test_one_request_id_from_the_load_balancer_to_the_app(lb_host):
    # the load balancer faces clients: it makes its own id, whatever they send
    status, headers, body = _request(lb_host, LB_URL % "/whoami", "X-Request-ID: chosen-by-the-client")
    assert status == 200, body
    ids = _request_ids(headers)
    assert len(ids) == 1 and NEW_ID.match(ids[0]), headers
    seen = json.loads(body)
    assert seen["request_id"] == ids[0]
    assert len(_access_log(lb_host, ids[0])) == 1
    assert len(_access_log(testinfra.get_host("docker://" + CONTAINERS[seen["host"]]), ids[0])) == 1


def test_the_request_id_reaches_the_uwsgi_log(lb_host):
    """uWSGI logs the 4xx/5xx requests: a missing page, through the load balancer, is in all three logs."""
    status, headers, _body = _request(lb_host, LB_URL % "/no-such-page")
    assert status == 404
    ids = _request_ids(headers)
    assert len(ids) == 1 and NEW_ID.match(ids[0]), headers
    assert len(_access_log(lb_host, ids[0])) == 1
    served = []
    for container in sorted(CONTAINERS.values()):
        app = testinfra.get_host("docker://" + container)
        if _access_log(app, ids[0]):
            served.append(container)
            lines = _uwsgi_log(app, ids[0])
            assert len(lines) == 1 and " 404 " in lines[0] and lines[0].startswith("127.0.0.1 "), lines
    assert len(served) == 1, served


def test_the_fleet_sites_take_limits_of_the_users_own(lb_host):
    """webstack_lb_site_options and webstack_lb_locations (inventory/realapp.yml): limits per client at the edge."""
    conf = lb_host.file("/etc/nginx/sites-available/webstack-lb.conf").content_string
    assert "limit_conn site_webstack-lb_conn 64;" in conf
    assert "location /limited/ {" in conf
    # /limited/ reaches the app (which has no such page: 404) twice, then the limit answers 429
    assert _lb_statuses(lb_host, "/limited/", 3) == [404, 404, 429]
    # another client of the load balancer (app1, over the scenario's network) is limited apart
    address = lb_host.check_output("hostname -i").split()[0]
    app1 = testinfra.get_host("docker://fleet-app1")
    script = (
        "import socket, ssl, sys\n"
        "raw = socket.create_connection((sys.argv[1], 443), timeout=5)\n"
        "tls = ssl._create_unverified_context().wrap_socket(raw, server_hostname='www.example.org')\n"
        "tls.sendall(b'GET /limited/ HTTP/1.0\\r\\nHost: www.example.org\\r\\n\\r\\n')\n"
        "print(tls.recv(64).split()[1].decode())\n"
    )
    assert app1.check_output("python3 -c %s %s", script, address) == "404"
    # the first client gets in again a second later (1r/s)
    time.sleep(1.1)
    assert _lb_statuses(lb_host, "/limited/", 1) == [404]
