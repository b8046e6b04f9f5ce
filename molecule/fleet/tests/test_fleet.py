"""Verify the fleet converged over SSH: two load balancers, one floating address, three app hosts.

The checks look at the result, so they reach the containers through Docker
(the same hosts Ansible reached over SSH). Every request goes to an address
of this scenario's network, from its client container, bounded by curl's
--max-time and a fixed count.
"""

import json
import re

import pytest
import testinfra

CLIENT = testinfra.get_host("docker://ssh-client")
LBS = {"ssh-lb1": "10.30.58.11", "ssh-lb2": "10.30.58.12"}
APPS = {"ssh-app1": "app1", "ssh-app2": "app2", "ssh-app3": "app3"}
VIP = "10.30.58.200"
NAME = "shop.fleet.test"
TLS_DIR = "/etc/ssl/site/webstack-lb"


def docker(name):
    return testinfra.get_host("docker://" + name)


def answers(address, count=24):
    """`count` HTTPS requests to the site at `address` from the client: the app hosts that answered."""
    out = CLIENT.check_output(
        "for i in $(seq %d); do curl -sk -m 5 --resolve %s:443:%s https://%s/; echo; done" % (count, NAME, address, NAME))
    return [m.group(1) for m in re.finditer(r"host=(\S+) release=", out)]


@pytest.mark.parametrize("address", [LBS["ssh-lb1"], LBS["ssh-lb2"], VIP], ids=["lb1", "lb2", "vip"])
def test_https_through_each_load_balancer_and_the_floating_address_reaches_every_app_host(address):
    hosts = answers(address)
    assert len(hosts) == 24
    assert set(hosts) == set(APPS.values())


def test_the_floating_address_is_held_by_exactly_one_load_balancer():
    holders = [name for name in LBS if VIP in docker(name).check_output("cat /proc/net/fib_trie")]
    assert len(holders) == 1


def test_both_load_balancers_present_one_certificate_and_key():
    digests = set()
    for name in LBS:
        host = docker(name)
        key = host.file(TLS_DIR + "/privkey.pem")
        assert key.mode == 0o600 and key.user == "root"
        digests.add(host.check_output("sha256sum %s/fullchain.pem %s/privkey.pem | cut -d' ' -f1" % (TLS_DIR, TLS_DIR)))
    assert len(digests) == 1
    served = set()
    for address in LBS.values():
        served.add(CLIENT.check_output(
            "openssl s_client -connect %s:443 -servername %s </dev/null 2>/dev/null | openssl x509 -noout -fingerprint"
            " -sha256" % (address, NAME)))
    assert len(served) == 1 and "Fingerprint" in served.pop()


def test_the_certificate_comes_from_the_acme_server_with_the_wildcard():
    out = docker("ssh-lb2").check_output("openssl x509 -noout -issuer -ext subjectAltName -in %s/fullchain.pem" % TLS_DIR)
    assert "Pebble" in out
    assert sorted(re.findall(r"DNS:([^,\s]+)", out)) == ["*.fleet.test", "fleet.test", "shop.fleet.test"]


def test_one_load_balancer_orders_through_dns_01_and_leaves_no_record():
    # ssh-lb1, the first of the group, owns the site: only it has an ACME account key, and dnspython for the updates
    lb1, lb2 = docker("ssh-lb1"), docker("ssh-lb2")
    assert lb1.file("/etc/ssl/site/acme-account.key").exists
    assert not lb2.file("/etc/ssl/site/acme-account.key").exists
    assert lb1.package("python3-dnspython").is_installed
    assert not lb2.package("python3-dnspython").is_installed
    # bind9 took ssh-lb1's updates signed with the TSIG key: at the first order and at the forced renewal, two values
    # for _acme-challenge.fleet.test (fleet.test and *.fleet.test) and one for shop.fleet.test each time, all removed
    log = CLIENT.check_output("journalctl -u named --no-pager -o cat")
    who = r"client @\S+ 10\.30\.58\.11#\d+/key acme-fleet: updating zone 'fleet\.test/IN': "
    added = re.findall(who + r"adding an RR at '(_acme-challenge\.[a-z.]+)' TXT", log)
    assert added.count("_acme-challenge.fleet.test") >= 4 and added.count("_acme-challenge.shop.fleet.test") >= 2
    assert len(re.findall(who + r"deleting rrset at '_acme-challenge\.[a-z.]+' TXT", log)) >= 4
    assert "10.30.58.12#" not in log  # ssh-lb2 sent nothing
    for name in ("_acme-challenge.fleet.test", "_acme-challenge.shop.fleet.test"):
        assert CLIENT.check_output("dig +short @10.30.58.30 %s TXT" % name) == ""
    # and no http-01 validation reached either load balancer
    for host in (lb1, lb2):
        assert "/.well-known/acme-challenge/" not in host.check_output("cat /var/log/nginx/access.log")


def test_every_app_host_runs_the_same_release_as_its_own_user():
    releases = set()
    for name in APPS:
        host = docker(name)
        releases.add(host.file("/srv/hello/current").linked_to)
        assert host.service("uwsgi-app-hello.service").is_running
        main = host.check_output("systemctl show --property=MainPID --value uwsgi-app-hello.service")
        pids = [main] + host.check_output("pgrep -P %s" % main).split()
        assert len(pids) >= 2
        assert {host.check_output("ps -o user= -p %s" % pid) for pid in pids} == {"hello"}
    assert len(releases) == 1


def test_a_new_app_host_ran_one_apt_transaction_for_nginx_and_uwsgi():
    """site.yml installs the uwsgi_app role's packages with nginx (webstack_nginx_packages): apt's history of each app
    host has one transaction that installed both, and none that installed uWSGI alone."""
    for name in APPS:
        history = docker(name).check_output("cat /var/log/apt/history.log")
        installs = [line for line in history.splitlines() if line.startswith("Install: ")]
        with_uwsgi = [line for line in installs if re.search(r"(^|[ ,])uwsgi-core:", line[len("Install:"):])]
        assert len(with_uwsgi) == 1, (name, installs)
        assert re.search(r"[ ,]nginx:", with_uwsgi[0]), (name, with_uwsgi[0])


def test_the_app_hosts_trust_and_let_in_the_load_balancers_addresses_not_the_floating_one():
    conf = docker("ssh-app1").check_output("cat /etc/nginx/sites-available/webstack-app.conf")
    trusted = re.findall(r"^\s*set_real_ip_from (\S+);", conf, re.M)
    allowed = re.findall(r"^\s*(\S+) 0;", conf, re.M)  # the geo block of the allow list
    assert set(trusted) == set(LBS.values())
    assert set(LBS.values()) <= set(allowed) and VIP not in allowed


def test_the_app_sees_the_client_behind_either_load_balancer_and_one_request_id():
    for address in list(LBS.values()) + [VIP]:
        out = CLIENT.check_output(
            "curl -sk -m 5 -D /tmp/headers --resolve %s:443:%s -H 'X-Forwarded-For: 203.0.113.9' https://%s/whoami;"
            " echo; grep -i '^x-request-id:' /tmp/headers" % (NAME, address, NAME))
        body, _sep, header = out.partition("\n")
        who = json.loads(body)
        assert who["remote_addr"] == "10.30.58.30"  # the client, neither 203.0.113.9 nor the load balancer
        assert header.split(":", 1)[1].strip() == who["request_id"]


def test_keepalived_runs_on_both_load_balancers_with_the_other_as_its_peer():
    for name, address in LBS.items():
        host = docker(name)
        assert host.service("keepalived").is_running
        conf = host.check_output("cat /etc/keepalived/keepalived.conf")
        other = [a for n, a in LBS.items() if n != name][0]
        assert re.search(r"unicast_src_ip %s\b" % re.escape(address), conf)
        assert other in conf


def test_everything_went_over_ssh():
    for name in list(LBS) + list(APPS):
        log = docker(name).check_output("journalctl -u ssh --no-pager -q | grep -c 'Accepted publickey for root' || true")
        assert int(log.strip() or 0) > 0, name


@pytest.mark.parametrize("name", list(LBS) + list(APPS))
def test_the_exporters_listen_on_loopback_not_as_root_and_nginx_serves_them_on_the_hosts_address(name):
    host = docker(name)
    listening = host.check_output("ss -Hltn")
    for port in ("9113", "9181"):
        assert re.findall(r"\s(\S+):%s\s" % port, listening) == ["127.0.0.1"], listening
    address = LBS.get(name) or "10.30.58.%d" % (20 + int(name[-1]))
    assert re.findall(r"\s(\S+):9180\s", listening) == [address], listening
    for unit in ("webstack-metrics", "prometheus-nginx-exporter"):
        assert host.service(unit).is_running and host.service(unit).is_enabled
        pid = host.check_output("systemctl show --property=MainPID --value %s" % unit)
        assert host.check_output("stat -c %%u /proc/%s" % pid) != "0", unit
    conf = host.file("/etc/nginx/conf.d/webstack-metrics.conf").content_string
    assert "allow 10.30.58.11;" in conf and "allow 10.30.58.12;" in conf and "deny all;" in conf


@pytest.mark.parametrize("name", list(LBS) + list(APPS))
def test_every_host_drops_what_its_packet_filter_does_not_let_in(name):
    host = docker(name)
    chain = host.check_output("nft list chain inet webstack input")
    assert "policy drop;" in chain and "ct state established,related accept" in chain
    assert host.service("webstack-firewall").is_enabled
    assert host.run("systemctl is-active webstack-firewall-revert.timer").stdout.strip() == "inactive"


def test_the_client_gets_no_answer_on_the_app_port_a_load_balancer_does():
    assert CLIENT.run("curl -s -o /dev/null --max-time 3 http://10.30.58.21:8080/healthz").rc == 28
    status = docker("ssh-lb1").check_output(
        "python3 -c \"import urllib.request; print(urllib.request.urlopen('http://10.30.58.21:8080/healthz',"
        " timeout=5).status)\"")
    assert status == "200"
