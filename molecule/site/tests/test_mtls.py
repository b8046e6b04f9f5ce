"""Client certificates (tls.client_auth, issue 31) on the converged containers.

mtls.test requires a certificate of the test CA and checks its CRL;
mtls-opt.test only asks for one, and its /admin/ requires it. Both pass
requests to the echo backend (molecule/site/files/echo_headers.py), whose
answer lists the headers nginx sent it. The test PKI (prepare.yml): good and
revoked clients of the test CA, an evil client of another CA.
"""

import json

import pytest

PKI = "/etc/mtls-test"
SUBJECT = "CN=client-good,O=Webstack Test"


def _request(host, name, path="/", client=None, headers=()):
    """(status, body) of one bounded HTTPS request to loopback, with the client's certificate if given."""
    args = ["curl", "-sk", "-m", "5", "-o", "/tmp/mtls-body", "-w", "%{http_code}",
            "--resolve", "%s:443:127.0.0.1" % name]
    if client:
        args += ["--cert", "%s/%s.pem" % (PKI, client), "--key", "%s/%s.key" % (PKI, client)]
    for header in headers:
        args += ["-H", header]
    status = host.check_output(" ".join("'%s'" % a for a in args + ["https://%s%s" % (name, path)]))
    return int(status), host.check_output("cat /tmp/mtls-body")


def _seen(body):
    """The headers the echo backend received, name (lower case) to the list of their values."""
    out = {}
    for name, value in json.loads(body)["headers"]:
        out.setdefault(name.lower(), []).append(value)
    return out


def test_the_ca_and_crl_are_live_with_the_site(host):
    for name in ("client-ca.pem", "client-crl.pem"):
        f = host.file("/etc/ssl/site/mtls/%s" % name)
        assert f.exists and f.user == "root" and f.mode == 0o644
    conf = host.file("/etc/nginx/sites-available/mtls.conf").content_string
    for line in ("ssl_client_certificate /etc/ssl/site/mtls/client-ca.pem;", "ssl_verify_client on;",
                 "ssl_verify_depth 1;", "ssl_crl /etc/ssl/site/mtls/client-crl.pem;",
                 # uWSGI gets the identity as params (checked by nginx -t; no uWSGI in this scenario)
                 "uwsgi_param SSL_CLIENT_S_DN $ssl_client_s_dn;",
                 "uwsgi_param HTTP_X_SSL_CLIENT_VERIFY $ssl_client_verify;"):
        assert line in conf


def test_required_refuses_a_request_without_a_certificate(host):
    status, body = _request(host, "mtls.test")
    assert status == 400
    assert "No required SSL certificate was sent" in body


def test_required_passes_the_verified_subject_to_the_app(host):
    status, body = _request(host, "mtls.test", "/who", client="good",
                            headers=["X-SSL-Client-S-DN: CN=forged", "X-SSL-Client-Verify: FORGED"])
    assert status == 200
    seen = _seen(body)
    assert seen["x-ssl-client-verify"] == ["SUCCESS"]
    assert seen["x-ssl-client-s-dn"] == [SUBJECT]
    serial = host.check_output("openssl x509 -in %s/good.pem -noout -serial" % PKI).split("=", 1)[1]
    assert seen["x-ssl-client-serial"] == [serial.upper()]
    fingerprint = host.check_output("openssl x509 -in %s/good.pem -noout -fingerprint -sha1" % PKI)
    assert seen["x-ssl-client-fingerprint"] == [fingerprint.split("=", 1)[1].replace(":", "").lower()]


@pytest.mark.parametrize("client", ["evil", "revoked"])
def test_required_refuses_another_ca_and_a_revoked_certificate(host, client):
    status, body = _request(host, "mtls.test", client=client)
    assert status == 400
    assert "The SSL certificate error" in body


def test_optional_lets_a_client_without_certificate_in_and_drops_its_forged_headers(host):
    status, body = _request(host, "mtls-opt.test", "/", headers=[
        "X-SSL-Client-S-DN: CN=forged", "X-SSL-Client-Verify: SUCCESS", "X-SSL-Client-Serial: 01"])
    assert status == 200
    seen = _seen(body)
    assert seen["x-ssl-client-verify"] == ["NONE"]
    # an empty value is not passed on, and the client's copy is replaced by it
    assert "x-ssl-client-s-dn" not in seen and "x-ssl-client-serial" not in seen
    assert "forged" not in body.lower()


def test_optional_site_without_crl_takes_the_revoked_certificate(host):
    """The contrast of the CRL test: the same certificate passes where no CRL is configured."""
    status, body = _request(host, "mtls-opt.test", client="revoked")
    assert status == 200
    assert _seen(body)["x-ssl-client-verify"] == ["SUCCESS"]


@pytest.mark.parametrize("client, status", [(None, 403), ("good", 200), ("evil", 400)])
def test_a_location_requires_the_certificate_the_site_only_asks_for(host, client, status):
    got, body = _request(host, "mtls-opt.test", "/admin/", client=client)
    assert got == status
    if status == 200:
        seen = _seen(body)
        assert seen["x-ssl-client-verify"] == ["SUCCESS"]
        assert seen["x-ssl-client-s-dn"] == [SUBJECT]
