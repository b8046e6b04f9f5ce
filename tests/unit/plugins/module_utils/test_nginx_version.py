# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.nginx_version import (
    empty_facts,
    modules_from_configure,
    parse_load_modules,
    parse_nginx_v,
    parse_user_directive,
    supports_http2_directive,
    version_tuple,
)

DEBIAN_COMMON_ARGS = (
    "--prefix=/usr/share/nginx --conf-path=/etc/nginx/nginx.conf"
    " --http-log-path=/var/log/nginx/access.log --error-log-path=stderr"
    " --lock-path=/var/lock/nginx.lock --pid-path=/run/nginx.pid"
    " --modules-path=/usr/lib/nginx/modules"
    " --http-client-body-temp-path=/var/lib/nginx/body"
    " --http-fastcgi-temp-path=/var/lib/nginx/fastcgi"
    " --http-proxy-temp-path=/var/lib/nginx/proxy"
    " --http-scgi-temp-path=/var/lib/nginx/scgi"
    " --http-uwsgi-temp-path=/var/lib/nginx/uwsgi"
    " --with-compat --with-debug --with-pcre-jit --with-http_ssl_module"
    " --with-http_stub_status_module --with-http_realip_module"
    " --with-http_auth_request_module --with-http_v2_module --with-http_dav_module"
    " --with-http_slice_module --with-threads --with-http_addition_module"
    " --with-http_flv_module --with-http_gunzip_module --with-http_gzip_static_module"
    " --with-http_mp4_module --with-http_random_index_module"
    " --with-http_secure_link_module --with-http_sub_module --with-mail_ssl_module"
    " --with-stream_ssl_module --with-stream_ssl_preread_module"
    " --with-stream_realip_module --with-http_geoip_module=dynamic"
    " --with-http_image_filter_module=dynamic --with-http_perl_module=dynamic"
    " --with-http_xslt_module=dynamic --with-mail=dynamic --with-stream=dynamic"
    " --with-stream_geoip_module=dynamic"
)

# nginx 1.22.1-9+deb12u1 on Debian 12 (bookworm); nginx writes -V to stderr.
DEBIAN12_NGINX_V = (
    "nginx version: nginx/1.22.1\n"
    "built with OpenSSL 3.0.11 19 Sep 2023 (running with OpenSSL 3.0.15 3 Sep 2024)\n"
    "TLS SNI support enabled\n"
    "configure arguments: --with-cc-opt='-g -O2"
    " -ffile-prefix-map=/build/reproducible-path/nginx-1.22.1=."
    " -fstack-protector-strong -Wformat -Werror=format-security -fPIC -Wdate-time"
    " -D_FORTIFY_SOURCE=2' --with-ld-opt='-Wl,-z,relro -Wl,-z,now -fPIC' "
    + DEBIAN_COMMON_ARGS + "\n"
)

# nginx 1.26.3 on Debian 13 (trixie), with a distribution suffix on the version.
DEBIAN13_NGINX_V = (
    "nginx version: nginx/1.26.3 (Debian)\n"
    "built with OpenSSL 3.5.1 1 Jul 2025\n"
    "TLS SNI support enabled\n"
    "configure arguments: --with-cc-opt='-g -O2 -Werror=implicit-function-declaration"
    " -ffile-prefix-map=/build/reproducible-path/nginx-1.26.3=."
    " -fstack-protector-strong -fstack-clash-protection -Wformat"
    " -Werror=format-security -fcf-protection -fPIC -Wdate-time -D_FORTIFY_SOURCE=2'"
    " --with-ld-opt='-Wl,-z,relro -Wl,-z,now -fPIC' "
    + DEBIAN_COMMON_ARGS + " --with-http_v3_module\n"
)

OPENRESTY_V = (
    "nginx version: openresty/1.21.4.1\n"
    "built by gcc 12.2.0 (Debian 12.2.0-14)\n"
    "built with OpenSSL 1.1.1n  15 Mar 2022\n"
    "TLS SNI support enabled\n"
    "configure arguments: --prefix=/usr/local/openresty/nginx"
    " --with-cc-opt=-O2 --add-module=../ngx_devel_kit-0.3.1"
    " --add-module=../echo-nginx-module-0.62/"
    " --add-dynamic-module=/usr/src/ngx_brotli"
    " --with-openssl=../openssl-1.1.1n --with-pcre=../pcre-8.45"
    " --with-http_ssl_module --with-stream --with-stream_ssl_module"
    " --without-http_fastcgi_module\n"
)

DEBIAN_NGINX_CONF = """\
user www-data;
worker_processes auto;
pid /run/nginx.pid;
error_log /var/log/nginx/error.log;
include /etc/nginx/modules-enabled/*.conf;

events {
\tworker_connections 768;
\t# multi_accept on;
}

http {
\tsendfile on;
\ttcp_nopush on;
\tinclude /etc/nginx/mime.types;
\tdefault_type application/octet-stream;
}
"""


def test_debian12():
    facts = parse_nginx_v(DEBIAN12_NGINX_V)
    assert facts['installed'] is True
    assert facts['flavor'] == 'nginx'
    assert facts['version'] == '1.22.1'
    assert facts['version_info'] == [1, 22, 1]
    assert facts['http2_directive'] is False
    assert facts['http3'] is False
    assert facts['ssl'] is True
    assert facts['tls_sni'] is True
    assert facts['openssl_version'] == '3.0.11'
    assert facts['openssl_runtime_version'] == '3.0.15'
    assert facts['paths'] == {
        'prefix': '/usr/share/nginx',
        'conf_path': '/etc/nginx/nginx.conf',
        'conf_dir': '/etc/nginx',
        'error_log_path': 'stderr',
        'http_log_path': '/var/log/nginx/access.log',
        'pid_path': '/run/nginx.pid',
        'modules_path': '/usr/lib/nginx/modules',
        'sbin_path': None,
    }
    assert facts['user'] is None
    assert facts['group'] is None
    assert facts['dynamic_modules'] == []
    # quoted values are one argument each, without the quotes
    args = facts['configure_arguments']
    assert args[0].startswith('--with-cc-opt=-g -O2 -ffile-prefix-map=')
    assert args[0].endswith('-D_FORTIFY_SOURCE=2')
    assert args[1] == '--with-ld-opt=-Wl,-z,relro -Wl,-z,now -fPIC'
    assert args[-1] == '--with-stream_geoip_module=dynamic'
    assert facts['modules'] == [
        'http_addition_module', 'http_auth_request_module', 'http_dav_module',
        'http_flv_module', 'http_geoip_module', 'http_gunzip_module',
        'http_gzip_static_module', 'http_image_filter_module', 'http_mp4_module',
        'http_perl_module', 'http_random_index_module', 'http_realip_module',
        'http_secure_link_module', 'http_slice_module', 'http_ssl_module',
        'http_stub_status_module', 'http_sub_module', 'http_v2_module',
        'http_xslt_module', 'mail', 'mail_ssl_module', 'stream',
        'stream_geoip_module', 'stream_realip_module', 'stream_ssl_module',
        'stream_ssl_preread_module',
    ]


def test_debian13_version_suffix():
    facts = parse_nginx_v(DEBIAN13_NGINX_V)
    assert facts['flavor'] == 'nginx'
    assert facts['version'] == '1.26.3'
    assert facts['version_info'] == [1, 26, 3]
    assert facts['http2_directive'] is True
    assert facts['openssl_version'] == '3.5.1'
    assert facts['openssl_runtime_version'] is None
    assert facts['http3'] is True
    assert 'http_v3_module' in facts['modules']
    assert 'http_v2_module' in facts['modules']
    assert facts['paths']['conf_dir'] == '/etc/nginx'


def test_output_on_stdout_and_stderr_combined():
    facts = parse_nginx_v('\n' + DEBIAN12_NGINX_V)
    assert facts['version'] == '1.22.1'


def test_openresty():
    facts = parse_nginx_v(OPENRESTY_V)
    assert facts['flavor'] == 'openresty'
    assert facts['version'] == '1.21.4.1'
    assert facts['version_info'] == [1, 21, 4, 1]
    assert facts['http2_directive'] is False
    assert facts['openssl_version'] == '1.1.1n'
    assert facts['modules'] == [
        'echo-nginx-module-0.62', 'http_ssl_module', 'ngx_brotli',
        'ngx_devel_kit-0.3.1', 'stream', 'stream_ssl_module',
    ]
    assert facts['paths']['prefix'] == '/usr/local/openresty/nginx'
    assert facts['paths']['conf_path'] is None
    assert facts['paths']['conf_dir'] is None


def test_missing_configure_arguments():
    facts = parse_nginx_v('nginx version: nginx/1.18.0\n')
    assert facts['installed'] is True
    assert facts['version'] == '1.18.0'
    assert facts['configure_arguments'] == []
    assert facts['modules'] == []
    assert facts['ssl'] is False
    assert facts['tls_sni'] is False
    assert facts['openssl_version'] is None
    assert all(value is None for value in facts['paths'].values())


def test_empty_configure_arguments_line():
    facts = parse_nginx_v('nginx version: nginx/1.25.1\nconfigure arguments:\n')
    assert facts['configure_arguments'] == []
    assert facts['http2_directive'] is True


def test_garbage_output():
    facts = parse_nginx_v('something unexpected')
    assert facts['version'] is None
    assert facts['version_info'] == []
    assert facts['flavor'] is None
    assert facts['http2_directive'] is False


def test_user_group_from_configure():
    facts = parse_nginx_v(
        'nginx version: nginx/1.27.4\n'
        'built by gcc 12.2.0 (Debian 12.2.0-14)\n'
        'built with OpenSSL 3.0.15 3 Sep 2024\n'
        'TLS SNI support enabled\n'
        'configure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx'
        ' --conf-path=/etc/nginx/nginx.conf --user=nginx --group=nginx'
        ' --with-http_ssl_module --with-http_v2_module\n'
    )
    assert facts['user'] == 'nginx'
    assert facts['group'] == 'nginx'
    assert facts['paths']['sbin_path'] == '/usr/sbin/nginx'
    assert facts['http2_directive'] is True


def test_tls_sni_disabled():
    facts = parse_nginx_v('nginx version: nginx/1.22.1\nTLS SNI support disabled\n')
    assert facts['tls_sni'] is False


def test_unbalanced_quotes_fall_back_to_whitespace_split():
    facts = parse_nginx_v("configure arguments: --with-cc-opt='-O2 --with-http_ssl_module\n")
    assert facts['configure_arguments'] == ["--with-cc-opt='-O2", '--with-http_ssl_module']
    assert facts['ssl'] is True


def test_modules_from_configure_ignores_non_modules():
    args = [
        '--with-compat', '--with-threads', '--with-file-aio', '--with-pcre-jit',
        '--with-openssl=/src/openssl', '--with-cc-opt=-O2',
        '--without-http_gzip_module', '--with-mail', '--add-module=',
    ]
    assert modules_from_configure(args) == ['mail']


@pytest.mark.parametrize('version, expected', [
    ('1.25.0', False),
    ('1.25.1', True),
    ('1.26.3', True),
    ('1.22.1', False),
    ('1.24.0', False),
    ('1.27.0', True),
    ('2.0', True),
    ('1.25.3.1', True),  # openresty 1.25.3.x is based on nginx 1.25.3
    ('1.21.4.1', False),
    ('', False),
    (None, False),
    ('unknown', False),
])
def test_supports_http2_directive(version, expected):
    assert supports_http2_directive(version) is expected


@pytest.mark.parametrize('version, expected', [
    ('1.22.1', (1, 22, 1)),
    ('1.21.4.1', (1, 21, 4, 1)),
    (' 1.26.3 (Debian)', (1, 26, 3)),
    ('1.25.3rc1', (1, 25, 3)),
    ('2', (2,)),
])
def test_version_tuple(version, expected):
    assert version_tuple(version) == expected


def test_version_tuple_invalid():
    with pytest.raises(ValueError):
        version_tuple('nginx')


@pytest.mark.parametrize('text, expected', [
    (DEBIAN_NGINX_CONF, ('www-data', None)),
    ('user nginx nginx;\n', ('nginx', 'nginx')),
    ('  user\tnobody   nogroup ;  # trailing comment\n', ('nobody', 'nogroup')),
    ('# user root;\n#user root root;\nuser www-data; # the worker\n', ('www-data', None)),
    ('worker_processes 1;\nuser\n    "web user"\n    web;\n', ('web user', 'web')),
    ('worker_processes auto; user www-data;', ('www-data', None)),
    ('', (None, None)),
    ('# user nobody;\nworker_processes auto;\n', (None, None)),
    # not top level / not the user directive
    ('http { user nobody; userid on; }\n', (None, None)),
    ('events { worker_connections 768; }\nhttp {\n server { listen 80; }\n}\nuser late;\n',
     ('late', None)),
    ('userid on;\nuser first;\nuser second;\n', ('first', None)),
    ('user;\n', (None, None)),
])
def test_parse_user_directive(text, expected):
    assert parse_user_directive(text) == expected


def test_parse_load_modules():
    text = (
        '# Debian modules-enabled snippet\n'
        'load_module modules/ngx_http_geoip_module.so;\n'
        'load_module "/usr/lib/nginx/modules/ngx_stream_module.so";\n'
        '#load_module modules/ngx_mail_module.so;\n'
    )
    assert parse_load_modules(text) == ['ngx_http_geoip_module', 'ngx_stream_module']
    assert parse_load_modules('') == []


def test_empty_facts():
    facts = empty_facts()
    assert facts['installed'] is False
    assert facts['version'] is None
    assert facts['modules'] == []
    assert sorted(facts['paths']) == [
        'conf_dir', 'conf_path', 'error_log_path', 'http_log_path',
        'modules_path', 'pid_path', 'prefix', 'sbin_path',
    ]
    # a fresh copy every time
    facts['modules'].append('x')
    assert empty_facts()['modules'] == []
