"""Verify the site role on the converged Debian 12 and 13 containers (after side_effect.yml)."""

import re
import uuid

import pytest
import testinfra

SITES = "/etc/nginx/sites-available"
ENABLED = "/etc/nginx/sites-enabled"


def _curl(host, args):
    """Return (status, headers, body) of one bounded request to loopback."""
    out = host.check_output("curl -s -m 5 -D - " + args)  # args: constants of this file
    head, _sep, body = out.partition("\r\n\r\n")
    lines = head.splitlines()
    headers = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body.strip()  # check_output strips anyway


def _get(host, name, path="/"):
    return _curl(host, "-H 'Host: %s' http://127.0.0.1%s" % (name, path))


def _https(host, name, path="/", extra=""):
    return _curl(host, "-k %s --resolve %s:443:127.0.0.1 https://%s%s" % (extra, name, name, path))


def _s_client(host, name, options=""):
    return host.run("echo | timeout 5 openssl s_client -connect 127.0.0.1:443 -servername %s %s 2>&1" % (name, options))


def test_nginx_configuration_is_valid(host):
    result = host.run("nginx -t")
    assert result.rc == 0
    assert "conflicting server name" not in result.stderr


@pytest.mark.parametrize("name, body", [("alpha.test", "alpha"), ("beta.test", "beta"), ("www.beta.test", "beta")])
def test_host_header_routing(host, name, body):
    status, _headers, content = _get(host, name)
    assert status == 200
    assert content == body


def test_security_headers_kept_in_a_location_with_its_own_header(host):
    headers = _get(host, "beta.test")[1]
    assert headers["x-served-by"] == "beta"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "SAMEORIGIN"


def test_redirect_location(host):
    status, headers = _get(host, "beta.test", "/old")[:2]
    assert status == 301
    assert headers["location"].endswith("/new")


@pytest.mark.parametrize("path, status, text", [("/missing", 404, "beta: not found"), ("/app/", 502, "beta: the app is away")])
def test_error_pages_of_the_site(host, path, status, text):
    """error_pages: nginx's own errors of the site answer with its pages, with their status and headers."""
    got, headers, content = _get(host, "beta.test", path)
    assert got == status
    assert text in content
    assert headers["x-content-type-options"] == "nosniff"
    assert "(page of the site)" not in _get(host, "alpha.test", path)[2]


def test_uwsgi_location_rendered(host):
    conf = host.file(SITES + "/beta.conf").content_string
    assert "uwsgi_pass unix:/run/uwsgi-app/beta.sock;" in conf
    assert "include /etc/nginx/uwsgi_params;" in conf
    assert "uwsgi_read_timeout 30s;" in conf
    assert "uwsgi_buffers 8 16k;" in conf


def test_http_redirects_to_https_with_308(host):
    status, headers = _get(host, "secure.test", "/x?y=1")[:2]
    assert status == 308
    assert headers["location"] == "https://secure.test/x?y=1"


def test_https_serves_the_self_signed_certificate(host):
    status, headers, body = _https(host, "secure.test")
    assert status == 200
    assert body == "secure"
    assert headers["strict-transport-security"] == "max-age=63072000; includeSubDomains"
    out = _s_client(host, "secure.test").stdout
    assert re.search(r"subject=\s*CN\s*=\s*secure\.test", out)
    assert re.search(r"issuer=\s*CN\s*=\s*secure\.test", out)


def test_http2(host):
    version = host.check_output(
        "curl -sk -m 5 --http2 -o /dev/null -w '%{http_version}' --resolve secure.test:443:127.0.0.1 https://secure.test/")
    assert version == "2"
    conf = host.file(SITES + "/secure.conf").content_string
    if host.ansible("webstack.nginx_uwsgi.nginx_facts", check=False)["ansible_facts"]["nginx"]["http2_directive"]:
        assert "http2 on;" in conf
    else:
        assert "listen 443 ssl http2;" in conf


@pytest.mark.parametrize("option, accepted", [("-tls1_1 -cipher DEFAULT@SECLEVEL=0", False), ("-tls1_2", True), ("-tls1_3", True)])
def test_tls_versions(host, option, accepted):
    result = _s_client(host, "secure.test", option)
    handshake = re.search(r"New, TLSv1\.[23], Cipher is [A-Z0-9_-]+", result.stdout) is not None
    assert handshake is accepted, result.stdout


def test_acme_certificate_issued_by_pebble(host):
    # pebble leaves the subject empty: the name is in the subjectAltName
    out = host.check_output(
        "echo | timeout 5 openssl s_client -connect 127.0.0.1:443 -servername acme.test 2>/dev/null"
        " | openssl x509 -noout -issuer -ext subjectAltName")
    assert re.search(r"issuer=\s*CN\s*=\s*Pebble Intermediate CA", out)
    assert "DNS:acme.test" in out
    status, _headers, body = _https(host, "acme.test")
    assert (status, body) == (200, "acme")
    # plain HTTP: redirect, but the challenge directory stays reachable
    assert _get(host, "acme.test")[0] == 308
    assert _get(host, "acme.test", "/.well-known/acme-challenge/none")[0] == 404


@pytest.mark.parametrize("site", ["secure", "acme"])
def test_hosts_of_a_site_present_one_certificate(host, site):
    """The first host of the play makes (orders) it, the other gets a copy (site_tls_share)."""
    paths = "/etc/ssl/site/%s/fullchain.pem /etc/ssl/site/%s/privkey.pem" % (site, site)
    sums = set()
    prefix = host.backend.get_hostname().rsplit("-", 1)[0]  # site-debian12 -> site
    for name in (prefix + "-debian12", prefix + "-debian13"):
        other = testinfra.get_host("docker://" + name)
        sums.add(" ".join(line.split()[0] for line in other.check_output("sha256sum " + paths).splitlines()))
    assert len(sums) == 1, sums
    served = host.check_output(
        "echo | timeout 5 openssl s_client -connect 127.0.0.1:443 -servername %s.test 2>/dev/null"
        " | openssl x509 -outform der | sha256sum" % site)
    assert served.split()[0] == host.check_output(
        "openssl x509 -in /etc/ssl/site/%s/fullchain.pem -outform der | sha256sum" % site).split()[0]


@pytest.mark.parametrize("site", ["secure", "acme"])
def test_private_keys(host, site):
    key = host.file("/etc/ssl/site/%s/privkey.pem" % site)
    assert key.user == "root"
    assert key.group == "root"
    assert key.mode in (0o600, 0o640)
    assert host.file("/etc/ssl/site/%s" % site).mode == 0o750


def test_upstream_alternates_and_survives_a_dead_backend(host):
    bodies = [_get(host, "lb.test")[2] for _request in range(6)]
    assert set(bodies) == {"backend-a", "backend-b"}
    host.run("systemctl stop backend-b")
    try:
        answers = [_get(host, "lb.test") for _request in range(10)]
    finally:
        host.run("systemctl start backend-b")
    assert [answer[0] for answer in answers] == [200] * 10
    assert {answer[2] for answer in answers} == {"backend-a"}


def test_upstream_file(host):
    conf = host.file("/etc/nginx/conf.d/site-upstreams.conf").content_string
    assert "server 127.0.0.1:8081 max_fails=1 fail_timeout=10s;" in conf
    assert "server 127.0.0.1:8082 max_fails=1 fail_timeout=10s;" in conf
    assert "keepalive 8;" in conf
    assert "map $http_upgrade $connection_upgrade" in conf
    lb = host.file(SITES + "/lb.conf").content_string
    assert "proxy_next_upstream error timeout http_502 http_503 http_504;" in lb
    assert 'proxy_set_header Connection "";' in lb
    assert "proxy_set_header Connection $connection_upgrade;" in lb  # /direct/ with websocket


def test_plain_proxy_location(host):
    status, _headers, body = _get(host, "lb.test", "/direct/")
    assert (status, body) == (200, "backend-a")


def test_disabled_site_keeps_its_file(host):
    assert host.file(SITES + "/retired-disabled.conf").exists
    assert not host.file(ENABLED + "/retired-disabled.conf").exists
    assert _get(host, "disabled.test")[0] == 404  # the catch-all now


@pytest.mark.parametrize("site", ["retired-absent", "retired-purged"])
def test_absent_and_purged_sites_are_gone(host, site):
    assert not host.file(SITES + "/%s.conf" % site).exists
    assert not host.file(ENABLED + "/%s.conf" % site).exists
    assert not host.file("/etc/nginx/snippets/site-%s-headers.conf" % site).exists


def test_purge_keeps_files_written_by_hand(host):
    assert host.file(SITES + "/handmade.conf").exists


def test_enabled_sites_are_symlinks_with_the_marker(host):
    for site in ["alpha", "beta", "secure", "acme", "lb"]:
        link = host.file(ENABLED + "/%s.conf" % site)
        assert link.is_symlink
        assert link.linked_to == SITES + "/%s.conf" % site
        assert "# Managed by webstack.nginx_uwsgi.site: %s" % site in host.file(SITES + "/%s.conf" % site).content_string


@pytest.mark.parametrize("group, accepted", [("X25519", True), ("prime256v1", True), ("secp384r1", True),
                                             ("X448", False), ("secp521r1", False)])
def test_key_exchange_groups_are_mozilla_intermediate(host, group, accepted):
    result = _s_client(host, "secure.test", "-tls1_3 -groups %s" % group)
    handshake = re.search(r"New, TLSv1\.3, Cipher is [A-Z0-9_-]+", result.stdout) is not None
    assert handshake is accepted, result.stdout


@pytest.mark.parametrize("sni", ["evil.example", ""])
def test_tls_handshake_refused_for_names_no_site_declares(host, sni):
    """No certificate is shown for an unknown name (or none), so neither a site nor the app answers a stranger."""
    result = host.run("echo | timeout 5 openssl s_client -connect 127.0.0.1:443 %s 2>&1"
                      % ("-servername " + sni if sni else "-noservername"))
    assert "unrecognized name" in result.stdout, result.stdout
    assert "BEGIN CERTIFICATE" not in result.stdout and "Cipher is (NONE)" in result.stdout


def test_unknown_host_on_a_known_tls_connection_is_misdirected(host):
    status = _curl(host, "-k --resolve secure.test:443:127.0.0.1 -H 'Host: evil.example' https://secure.test/")[0]
    assert status == 421
    assert _https(host, "secure.test")[0] == 200


def test_security_headers_sent_once(host):
    for headers in (_get(host, "beta.test")[1], _https(host, "secure.test")[1]):
        assert headers["x-content-type-options"] == "nosniff"
    raw = host.check_output("curl -sk -m 5 -o /dev/null -D - --resolve secure.test:443:127.0.0.1 https://secure.test/")
    names = [line.split(":", 1)[0].lower() for line in raw.splitlines()[1:] if ":" in line]
    assert len(names) == len(set(names)), raw


def _cached(host, path, extra=""):
    """(status, X-Cache-Status, body) of one request to the cached site."""
    status, headers, body = _curl(host, "%s -H 'Host: cached.test' 'http://127.0.0.1%s'" % (extra, path))
    return status, headers.get("x-cache-status"), body


def test_cache_miss_then_hit_and_bypass(host):
    """cache: stored on the first request, served from the cache on the second; a session or credentials bypass it."""
    uri = "/?t=" + uuid.uuid4().hex  # a new key on every run of the test
    assert _cached(host, uri) == (200, "MISS", "backend-a")
    assert _cached(host, uri) == (200, "HIT", "backend-a")
    # what the cache holds is not served to a request with the session cookie (Flask's) ...
    assert _cached(host, uri, "-b session=abc") == (200, "BYPASS", "backend-a")
    # ... and what such a request, or one with an Authorization header, gets is not stored
    for extra in ("-b session=abc", "-H 'Authorization: Basic dTpw'"):
        fresh = "/?t=" + uuid.uuid4().hex
        assert _cached(host, fresh, extra)[1] == "BYPASS"
        assert _cached(host, fresh)[1] == "MISS"


def test_cache_status_sent_once_through_two_caches(host):
    """/twice/ passes through the site's cached /: the inner X-Cache-Status is hidden, the outer one sent once."""
    token = uuid.uuid4().hex
    raw = host.check_output("curl -s -m 5 -o /dev/null -D - -H 'Host: cached.test' 'http://127.0.0.1/twice/?t=%s'" % token)
    names = [line.split(":", 1)[0].lower() for line in raw.splitlines()[1:] if ":" in line]
    assert names.count("x-cache-status") == 1, raw
    assert len(names) == len(set(names)), raw
    assert "x-cache-status: miss" in raw.lower()
    # the inner location answered (and stored) the same key: it sent its own header, which the outer one hid
    assert _cached(host, "/?t=" + token)[1] == "HIT"


def test_cache_zones_and_directories(host):
    """The role makes the site's cache directory; nginx makes each zone's, owned by its workers."""
    conf = host.file(SITES + "/cached.conf").content_string
    assert ("proxy_cache_path /var/cache/nginx/site/cached/proxy levels=1:2 keys_zone=site_cached_proxy:1m "
            "max_size=16m inactive=5m use_temp_path=off;") in conf
    # no uWSGI here: the zone of the uwsgi location is checked by nginx -t (test_nginx_configuration_is_valid)
    assert "uwsgi_cache_path /var/cache/nginx/site/cached/uwsgi levels=1:2 keys_zone=site_cached_uwsgi:1m" in conf
    assert "uwsgi_cache site_cached_uwsgi;" in conf
    assert "proxy_cache_use_stale error timeout updating;" in conf
    site_dir = host.file("/var/cache/nginx/site/cached")
    assert (site_dir.is_directory, site_dir.user, site_dir.mode) == (True, "root", 0o755)
    for zone in ("proxy", "uwsgi"):
        zone_dir = host.file("/var/cache/nginx/site/cached/" + zone)
        assert zone_dir.is_directory and zone_dir.user == "www-data"


# ------------------------------------------------------------ limits and basic auth (issue 30)


def _statuses(host, args, count):
    """The statuses of ``count`` requests made back to back (args: constants of this file)."""
    out = host.check_output("for i in $(seq %d); do curl -s -m 5 -o /dev/null -w '%%{http_code} ' %s; done"
                            % (count, args))
    return out.split()


def test_rate_limit_answers_429_past_the_burst_then_200(host):
    """limited.test: 1r/s with a burst of 1 (nodelay): two pass, the third is refused; a second later one passes."""
    args = "-H 'Host: limited.test' http://127.0.0.1/"
    assert _statuses(host, args, 3) == ["200", "200", "429"]
    host.run("sleep 1.1")
    assert _statuses(host, args, 1) == ["200"]


def test_location_limit_replaces_the_site_limit_and_dry_run_passes(host):
    assert _statuses(host, "-H 'Host: limited.test' http://127.0.0.1/loose/", 6) == ["200"] * 6
    assert _statuses(host, "-H 'Host: limited.test' http://127.0.0.1/dry/", 4) == ["200"] * 4
    conf = host.file(SITES + "/limited.conf").content_string
    assert "limit_req_zone $binary_remote_addr zone=site_limited_req:10m rate=1r/s;" in conf
    assert "limit_conn site_limited_conn 20;" in conf
    assert "limit_req_dry_run on;" in conf


def test_behind_the_load_balancer_clients_are_limited_apart(host):
    """limited-lb.test believes 127.0.0.1's X-Forwarded-For: client A past its rate gets 429, client B still 200."""
    client = "-H 'Host: limited-lb.test' -H 'X-Forwarded-For: %s' http://127.0.0.1/"
    assert _statuses(host, client % "192.0.2.10", 2) == ["200", "429"]
    assert _statuses(host, client % "192.0.2.20", 1) == ["200"]


def test_basic_auth_asks_for_the_password(host):
    status, headers = _get(host, "private.test")[:2]
    assert status == 401
    assert headers["www-authenticate"] == 'Basic realm="Staff only"'
    assert _statuses(host, "-u alice:wrong -H 'Host: private.test' http://127.0.0.1/", 1) == ["401"]
    # alice's first password again: side_effect.yml changed it, its last converge put it back
    assert _curl(host, "-u alice:alice-Pa55-one -H 'Host: private.test' http://127.0.0.1/")[::2] == (200, "alpha")
    assert _statuses(host, "-u bob:bob-Pa55-two -H 'Host: private.test' http://127.0.0.1/", 1) == ["200"]
    assert _statuses(host, "-u alice:alice-NEW-pass-2 -H 'Host: private.test' http://127.0.0.1/", 1) == ["401"]
    # a location with basic_auth.enabled=false is open
    assert _statuses(host, "-H 'Host: private.test' http://127.0.0.1/health/", 1) == ["200"]


def test_satisfy_any_lets_allowed_addresses_in_without_a_password(host):
    office = "-H 'Host: office.test' http://127.0.0.1/"
    assert _statuses(host, "--interface 127.0.0.2 " + office, 1) == ["200"]
    assert _statuses(host, office, 1) == ["401"]
    assert _statuses(host, "-u carol:carol-Pa55-three " + office, 1) == ["200"]


@pytest.mark.parametrize("name", ["private", "office"])
def test_password_files_are_hashed_and_readable_by_nginx_only(host, name):
    path = "/etc/nginx/site-auth/%s.htpasswd" % name
    entry = host.file(path)
    assert entry.mode == 0o640
    assert entry.user == "root"
    assert entry.group == "www-data"
    text = entry.content_string
    assert re.search(r"^(alice|carol):\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$", text, re.M), text
    assert "Pa55" not in text
    assert host.file("/etc/nginx/site-auth").mode == 0o750
