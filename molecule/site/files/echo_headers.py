"""Test backend of the site scenario: answers every GET with the request's headers as JSON.

The mTLS tests read what nginx passed on (X-SSL-Client-*) and that a client's
forged copy of those headers did not get through. Each header is listed as a
[name, value] pair, in the order received, so a header sent twice shows twice.
Usage: echo_headers.py PORT (listens on 127.0.0.1).
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Echo(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        body = json.dumps({'path': self.path, 'headers': [[k, v] for k, v in self.headers.items()]}).encode() + b'\n'
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == '__main__':
    ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Echo).serve_forever()
