"""Verify the nginx role on the converged Debian 12 and 13 containers."""

import json
import re

import pytest

EXPECTED_MINOR = {"12": "1.22.", "13": "1.26."}


def _debian_major(host):
    return host.file("/etc/debian_version").content_string.split(".")[0].strip()


def _curl_headers(host, url, host_header):
    out = host.check_output("curl -s -o /dev/null -D - -H %s %s", "Host: " + host_header, url)
    status = int(out.splitlines()[0].split()[1])
    headers = {}
    for line in out.splitlines()[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return status, headers


def test_package_from_the_debian_archive(host):
    pkg = host.package("nginx")
    assert pkg.is_installed
    assert pkg.version.startswith(EXPECTED_MINOR.get(_debian_major(host), ""))


def test_service_enabled_and_running(host):
    service = host.service("nginx")
    assert service.is_enabled
    assert service.is_running


def test_port_80_listens(host):
    assert host.socket("tcp://0.0.0.0:80").is_listening


def test_configuration_is_valid(host):
    assert host.run("nginx -t").rc == 0


def test_default_site_removed(host):
    assert not host.file("/etc/nginx/sites-enabled/default").exists
    assert not host.file("/etc/nginx/sites-available/default").exists


def test_unknown_host_gets_catch_all_without_version(host):
    status, headers = _curl_headers(host, "http://127.0.0.1/", "unknown.example")
    assert status == 404
    assert headers["server"] == "nginx"
    # the converge's extra http directive reached nginx.conf
    assert headers["x-webstack-role"] == "nginx"


def test_error_page_hides_version(host):
    body = host.check_output("curl -s http://127.0.0.1/missing")
    assert "nginx" in body
    assert not re.search(r"nginx/\d", body)


def test_status_page_on_loopback(host):
    body = host.check_output("curl -s http://127.0.0.1/nginx_status")
    assert body.startswith("Active connections:")


def test_main_config_file(host):
    conf = host.file("/etc/nginx/nginx.conf")
    assert conf.user == "root"
    assert conf.group == "root"
    assert conf.mode == 0o644
    content = conf.content_string
    assert "worker_connections 2048;" in content
    assert "server_tokens off;" in content
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in content
    assert "ssl_session_cache shared:MozSSL:10m;" in content
    assert "access_log /var/log/nginx/access.log main buffer=32k flush=1s;" in content
    assert "bogus_directive" not in content


def test_buffered_access_log_reaches_the_file(host):
    # nginx_access_log_buffer: 32k in converge.yml: a request's line is written within flush=1s, not lost
    marker = "/webstack-buffered-%s" % host.check_output("cat /proc/sys/kernel/random/uuid")
    host.run("curl -s -o /dev/null -H 'Host: nosuchsite.example' http://127.0.0.1%s", marker)
    found = host.run("for i in $(seq 50); do grep -q -- %s /var/log/nginx/access.log && exit 0; sleep 0.1; done; exit 1",
                     marker)
    assert found.rc == 0, "no access log line for %s within 5 s" % marker


@pytest.mark.parametrize("path", ["/etc/nginx/conf.d", "/etc/nginx/sites-available", "/etc/nginx/sites-enabled"])
def test_config_directories(host, path):
    directory = host.file(path)
    assert directory.is_directory
    assert directory.user == "root"
    assert directory.mode == 0o755


def test_workers_are_not_root(host):
    # from /proc: the hosts have no procps (ps), which the nginx role does not need
    users = host.check_output(
        "for d in /proc/[0-9]*; do [ \"$(cat $d/comm 2>/dev/null)\" = nginx ] && stat -c %U $d; done; true").split()
    assert "root" in users  # the master only
    assert users.count("www-data") >= 1
    assert users.count("root") == 1


def test_facts_module_matches_the_binary(host):
    result = host.ansible("webstack.nginx_uwsgi.nginx_facts", check=False)
    facts = result["ansible_facts"]["nginx"]
    version = re.search(r"nginx/([\d.]+)", host.run("nginx -v").stderr).group(1)
    assert facts["installed"] is True
    assert facts["version"] == version
    assert facts["http2_directive"] is (tuple(map(int, version.split("."))) >= (1, 25, 1))
    assert "http_ssl_module" in facts["modules"]
    assert facts["user"] == "www-data"
    assert json.dumps(facts)  # serialisable, as a fact must be


def test_brotli_off_again_keeps_the_packages_and_drops_the_directives(host):
    # side_effect.yml converged with nginx_brotli and nginx_gzip_static on, then with converge.yml's own
    # variables (both off): the module packages stay (documented), nginx.conf no longer uses them
    assert host.package("libnginx-mod-http-brotli-filter").is_installed
    assert host.package("libnginx-mod-http-brotli-static").is_installed
    content = host.file("/etc/nginx/nginx.conf").content_string
    directives = [line.split()[0] for line in content.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert [d for d in directives if d.startswith("brotli") or d == "gzip_static"] == []
    assert "gzip_types" in directives


def test_compression_with_brotli_and_gzip_static_off(host):
    # the test server and files of side_effect.yml (compression_probe.py): no br any more, gzip made on the fly
    answers = json.loads(host.check_output(
        "python3 /usr/local/bin/compression-probe probe http://127.0.0.1:8080 /var/www/compression-test"))
    assert answers["big.css br"]["content_encoding"] == ""
    assert answers["big.css br"]["raw_is_file"]
    assert answers["big.css gzip"]["content_encoding"] == "gzip"
    assert answers["big.css gzip"]["decoded"] == "original"
    assert answers["pre.css gzip"]["content_encoding"] == "gzip"
    assert not answers["pre.css gzip"]["raw_is_precompressed"]
    assert answers["pre.css gzip"]["decoded"] == "original"
