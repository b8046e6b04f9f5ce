"""Verify the floating address of keepalived-lb1 (Debian 12) and keepalived-lb2 (Debian 13).

keepalived-client is a bystander on the same network: it only requests the
VIP. The side effect moved the VIP once (nginx stopped on its holder, then
started again), so each load balancer has held it or handed it over.
"""

import re

import pytest
import testinfra

LBS = ("keepalived-lb1", "keepalived-lb2")
ADDRESSES = {"keepalived-lb1": "10.30.57.11", "keepalived-lb2": "10.30.57.12"}
VIP = "10.30.57.200"
CONF = "/etc/keepalived/keepalived.conf"
CHECK = "/etc/keepalived/webstack-check-nginx"
AUTH = "/etc/keepalived/webstack-auth.conf"
HANDOVER = "/etc/keepalived/webstack-handover"
# the holder's local routing table lists the VIP as one of its own addresses
HELD = re.compile(r"\|-- %s\n\s+/32 host LOCAL" % re.escape(VIP))


def _name(host):
    return host.backend.get_hostname()


@pytest.fixture()
def lb(host):
    if _name(host) not in LBS:
        pytest.skip("load balancer test")
    return host


def test_keepalived_runs_enabled(lb):
    service = lb.service("keepalived")
    assert service.is_enabled
    assert service.is_running
    assert lb.package("keepalived").is_installed


def test_exactly_one_load_balancer_holds_the_vip(host):
    if _name(host) != LBS[0]:
        pytest.skip("checked once, from the first load balancer")
    holders = [name for name in LBS
               if HELD.search(testinfra.get_host("docker://" + name).file("/proc/net/fib_trie").content_string)]
    assert len(holders) == 1, holders


def test_unicast_peers_and_no_multicast(lb):
    conf = lb.file(CONF).content_string
    own = ADDRESSES[_name(lb)]
    other = [address for name, address in ADDRESSES.items() if name != _name(lb)][0]
    # found by the role: the host's address in the VIP's network, the interface of its connected route
    assert re.search(r"(?m)^\s+unicast_src_ip %s$" % re.escape(own), conf)
    assert re.search(r"unicast_peer \{\n\s+%s\n\s+\}" % re.escape(other), conf)
    assert re.search(r"(?m)^\s+interface eth0$", conf)
    assert re.search(r"(?m)^\s+%s/24 dev eth0$" % re.escape(VIP), conf)
    assert "mcast" not in conf
    assert re.search(r"(?m)^\s+nopreempt$", conf)
    assert re.search(r"(?m)^\s+state BACKUP$", conf)
    # keepalived never joined VRRP's multicast group 224.0.0.18 (120000E0 in /proc/net/igmp)
    assert "120000E0" not in lb.file("/proc/net/igmp").content_string


def test_the_priorities_follow_the_peers(lb):
    priority = {"keepalived-lb1": 150, "keepalived-lb2": 140}[_name(lb)]
    assert re.search(r"(?m)^\s+priority %d$" % priority, lb.file(CONF).content_string)


def test_the_check_script_is_used_as_its_own_user(lb):
    conf = lb.file(CONF).content_string
    assert re.search(r'(?m)^\s+script "%s http://127\.0\.0\.1/nginx_status"$' % re.escape(CHECK), conf)
    assert re.search(r"track_script \{\n\s+webstack_check_nginx\n", conf)
    assert re.search(r"(?m)^\s+enable_script_security$", conf)
    assert re.search(r"(?m)^\s+script_user keepalived_script$", conf)
    script = lb.file(CHECK)
    assert (script.user, script.group, script.mode) == ("root", "root", 0o755)
    user = lb.user("keepalived_script")
    assert user.shell == "/usr/sbin/nologin"
    # it answers as that user while nginx runs
    assert lb.run("runuser -u keepalived_script -- %s http://127.0.0.1/nginx_status" % CHECK).rc == 0
    # keepalived ran it and saw it succeed
    journal = lb.check_output("journalctl --unit=keepalived --output=cat --no-pager")
    assert "webstack_check_nginx" in journal and "succeeded" in journal


def test_the_check_fails_when_nothing_answers(lb):
    assert lb.run("runuser -u keepalived_script -- %s http://127.0.0.1:9/" % CHECK).rc != 0


def test_the_password_is_readable_by_root_only(lb):
    auth = lb.file(AUTH)
    assert (auth.user, auth.group, auth.mode) == ("root", "root", 0o600)
    assert "auth_type PASS" in auth.content_string
    assert re.search(r"(?m)^\s+include %s$" % re.escape(AUTH), lb.file(CONF).content_string)


def test_the_config_test_passes(lb):
    # Debian 12's keepalived 2.2.7 ends its config test with SIGTERM (rc 143) even when the file is good, after
    # printing what it found wrong: nothing here
    out = lb.check_output("out=$(keepalived --config-test --use-file=%s 2>&1); echo \"$? $out\"" % CONF)
    rc, _sep, printed = out.partition(" ")
    assert rc in ("0", "143") and not printed.strip(), out
    if lb.system_info.codename == "trixie":
        assert rc == "0"


def test_the_holder_is_master_the_other_backup(host):
    if _name(host) != LBS[0]:
        pytest.skip("checked once, from the first load balancer")
    states, holders = {}, []
    for name in LBS:
        other_host = testinfra.get_host("docker://" + name)
        journal = other_host.check_output("journalctl --unit=keepalived --output=cat --no-pager")
        states[name] = re.findall(r"Entering (MASTER|BACKUP|FAULT) STATE", journal)
        if HELD.search(other_host.file("/proc/net/fib_trie").content_string):
            holders.append(name)
    # the side effect stopped the holder's nginx: its check failed, it went to FAULT and gave the address up, then
    # came back as BACKUP (nopreempt) while the other kept the address as MASTER
    assert any("FAULT" in found for found in states.values()), states
    assert len(holders) == 1, states
    for name in LBS:
        assert states[name][-1] == ("MASTER" if name in holders else "BACKUP"), states


def test_the_vip_answers_from_the_client(host):
    if _name(host) != "keepalived-client":
        pytest.skip("client test")
    out = host.check_output(
        "python3 -c \"import http.client; c = http.client.HTTPConnection('%s', 80, timeout=2); c.request('GET', '/'); "
        "r = c.getresponse(); print(r.status, r.getheader('X-Served-By'))\"" % VIP)
    status, served_by = out.split()
    assert status == "404"  # the nginx role's catch-all
    assert served_by in ("lb1", "lb2")


def test_the_hand_over_file_is_declared_and_back(lb):
    conf = lb.file(CONF).content_string
    # declared on every run (weight 0: a non-zero number means FAULT), created by keepalived when missing
    assert re.search(r'track_file webstack_handover \{\n\s+file "%s"\n\s+weight 0\n\s+init_file 0\n' % HANDOVER, conf)
    assert re.search(r"track_file \{\n\s+webstack_handover weight 0\n", conf)
    # the side effect handed each load balancer over once and put it back
    assert lb.file(HANDOVER).content_string.strip() == "0"
