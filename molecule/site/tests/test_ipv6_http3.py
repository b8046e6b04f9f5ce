"""IPv6 (dual stack) and HTTP/3 of the site role, on the scenario's network, which has IPv6 (molecule.yml)."""

import json

import pytest

# the containers' addresses on the scenario's network (molecule.yml)
ADDRESSES = {"debian12": ("10.30.61.12", "fd00:30:61::12"), "debian13": ("10.30.61.13", "fd00:30:61::13")}


def _me(host):
    return host.backend.get_hostname().rsplit("-", 1)[1]


def _request(host, address, port, name, path="/"):
    """(status, body) of one GET to address:port with the Host header, by the host's python; (None, error) if refused."""
    script = (
        "import http.client, json, sys\n"
        "c = http.client.HTTPConnection(sys.argv[1], int(sys.argv[2]), timeout=5)\n"
        "try:\n"
        "    c.request('GET', sys.argv[4], headers={'Host': sys.argv[3]})\n"
        "    r = c.getresponse()\n"
        "    print(json.dumps([r.status, r.read().decode()]))\n"
        "except OSError as e:\n"
        "    print(json.dumps([None, str(e)]))\n"
    )
    out = host.check_output("python3 -c %s %s %s %s %s", script, address, str(port), name, path)
    status, body = json.loads(out)
    return status, body


def test_the_host_runs_ipv6_and_nginx_knows(host):
    facts = host.ansible("webstack.nginx_uwsgi.nginx_facts", check=False)["ansible_facts"]["nginx"]
    assert facts["ipv6"] is True
    assert ADDRESSES[_me(host)][1] in facts["addresses"]
    assert facts["http3"] is (_me(host) == "debian13")


@pytest.mark.parametrize("peer", ["debian12", "debian13"])
def test_sites_answer_over_ipv4_and_ipv6_from_the_other_container(host, peer):
    """Each container asks the other one (and itself) over both stacks: alpha is dual stack by default."""
    v4, v6 = ADDRESSES[peer]
    assert _request(host, v4, 80, "alpha.test") == (200, "alpha\n")
    assert _request(host, v6, 80, "alpha.test") == (200, "alpha\n")
    # the nginx role's catch-all listens on [::]:80 too: unknown names get its 404, not a site
    assert _request(host, v6, 80, "unknown.test")[0] == 404
    # ipv6: false keeps a site on IPv4
    assert _request(host, v4, 8088, "v4only.test") == (200, "alpha\n")
    status, error = _request(host, v6, 8088, "v4only.test")
    assert status is None and "refused" in error.lower()


def test_listen_lines(host):
    conf = host.file("/etc/nginx/sites-available/alpha.conf").content_string
    assert "    listen 80;\n    listen [::]:80;\n" in conf
    assert "listen [::]" not in host.file("/etc/nginx/sites-available/v4only.conf").content_string
    sockets = host.check_output("ss -Hltn")
    assert "[::]:80 " in sockets and "0.0.0.0:80 " in sockets


def test_http3(host):
    """h3.test (Debian 13 only) answers over QUIC, on both stacks, and says so to TCP clients with Alt-Svc."""
    if _me(host) != "debian13":
        assert not host.file("/etc/nginx/sites-available/h3.conf").exists
        return
    conf = host.file("/etc/nginx/sites-available/h3.conf").content_string
    assert "listen 443 quic reuseport;" in conf and "listen [::]:443 quic reuseport;" in conf
    assert host.check_output("ss -Hlun 'sport = :443'"), "nothing listens on UDP 443"
    v4, v6 = ADDRESSES["debian13"]
    for address in (v4, "[%s]" % v6):
        out = host.check_output(
            "curl -sk -m 5 --http3-only --resolve h3.test:443:%s -o /dev/null -w '%%{http_version} %%{http_code}' "
            "https://h3.test/" % address)
        assert out == "3 200", (address, out)
    # over TCP: HTTP/2, with the one Alt-Svc header that announces HTTP/3
    head = host.check_output("curl -sk -m 5 -o /dev/null -D - --resolve h3.test:443:%s https://h3.test/" % v4)
    assert head.startswith("HTTP/2 200")
    assert [line for line in head.lower().splitlines() if line.startswith("alt-svc:")] == ['alt-svc: h3=":443"; ma=86400']


def test_an_upstream_over_ipv6_open_to_one_ipv6_client(host):
    """v6up.test: servers_from_group with an unbracketed IPv6 address (::1), allow with an IPv6 client."""
    assert "server [::1]:8083" in host.file("/etc/nginx/conf.d/site-upstreams.conf").content_string
    me = _me(host)
    v6 = ADDRESSES["debian13"][1]
    # the Debian 12 container is allowed, Debian 13 asking its own address is not
    expected = (200, "backend-c\n") if me == "debian12" else (403,)
    assert _request(host, v6, 80, "v6up.test")[:len(expected)] == expected
