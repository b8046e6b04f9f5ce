# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helper of the nginx scenario (not shipped), run on the hosts with python3-brotli.

``setup DIR``: writes the static files the test server serves: ``big.css``
(about 9 KB of CSS, compressible, above every min_length) and ``pre.css``
with ``pre.css.gz`` and ``pre.css.br`` next to it, whose content is NOT
``pre.css`` compressed but a marker line followed by it, so a response made
from them is told apart from one nginx compressed on the fly.

``probe URL DIR``: asks URL for both files with ``Accept-Encoding: br``,
``gzip`` and ``identity`` and prints, as JSON, for each ``<file> <encoding>``:
the status, the Content-Encoding and Vary headers, the length of the body as
sent, whether it is the original file as it is (``raw_is_file``), whether it
is the precompressed file byte for byte (``raw_is_precompressed``), and what
it decodes to (``original``, ``precompressed`` or ``other``).
"""

from __future__ import absolute_import, division, print_function

import gzip
import io
import json
import os
import sys

import brotli

try:
    from urllib.request import Request, urlopen
except ImportError:  # pragma: no cover - Python 2, never on the hosts
    pass

__metaclass__ = type

MARKER = b'/* precompressed */\n'
SUFFIX = {'br': '.br', 'gzip': '.gz'}


def setup(root):
    lines = [b'.rule-%d { margin: %dpx; padding: %dpx; color: #%06x; }\n' % (i, i % 17, i % 5, i * 4099 % 0xFFFFFF)
             for i in range(160)]
    files = {'big.css': b''.join(lines), 'pre.css': b''.join(lines[:80])}
    plain = MARKER + files['pre.css']
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode='wb', compresslevel=9, mtime=0) as out:
        out.write(plain)
    files['pre.css.gz'] = buf.getvalue()
    files['pre.css.br'] = brotli.compress(plain, quality=11)
    if not os.path.isdir(root):
        os.makedirs(root, 0o755)
    for name, content in files.items():
        with open(os.path.join(root, name), 'wb') as f:
            f.write(content)
        os.chmod(os.path.join(root, name), 0o644)


def decode(encoding, raw):
    if encoding == 'br':
        return brotli.decompress(raw)
    if encoding == 'gzip':
        return gzip.GzipFile(fileobj=io.BytesIO(raw)).read()
    return raw


def probe(url, root):
    result = {}
    for name in ('big.css', 'pre.css'):
        with open(os.path.join(root, name), 'rb') as f:
            original = f.read()
        for encoding in ('br', 'gzip', 'identity'):
            response = urlopen(Request(url.rstrip('/') + '/' + name, headers={'Accept-Encoding': encoding}))
            raw = response.read()
            sent = response.headers.get('Content-Encoding', '')
            precompressed_path = os.path.join(root, name + SUFFIX.get(sent, '.none'))
            precompressed = None
            if os.path.exists(precompressed_path):
                with open(precompressed_path, 'rb') as f:
                    precompressed = f.read()
            decoded = decode(sent, raw)
            result['%s %s' % (name, encoding)] = {
                'status': response.status,
                'content_encoding': sent,
                'vary': response.headers.get('Vary', ''),
                'length': len(raw),
                'original_length': len(original),
                'raw_is_file': raw == original,
                'raw_is_precompressed': raw == precompressed,
                'decoded': 'original' if decoded == original else 'precompressed' if decoded == MARKER + original
                           else 'other',
            }
    return result


def main(argv):
    if argv[1:2] == ['setup']:
        setup(argv[2])
        return 0
    print(json.dumps(probe(argv[2], argv[3]), indent=1, sort_keys=True))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
