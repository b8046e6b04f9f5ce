"""Verify the fleet converged by playbooks/site.yml: lb1 in front of app1 and app2.

Hosts are the Molecule platforms fleet-lb1, fleet-app1 and fleet-app2 (host
names lb1, app1, app2); group_vars come from inventories/example. Every
request goes to loopback inside a container of this scenario, bounded by
curl's --max-time and a fixed count.
"""

import re
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
LB_NAME = "www.example.org"
ANSWER = re.compile(r"^host=(\S+) release=(\S+) app=%s$" % APP)


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
    sock = app_host.file(SOCKET)
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
