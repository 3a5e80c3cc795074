# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the connection tests need around the simulator: a private certificate authority, and a local proxy."""

from __future__ import annotations

import datetime
import ipaddress
import select
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# A host name that only the test proxy knows: it routes it to 127.0.0.1. An endpoint on it is not loopback to the
# client, which therefore sends it through the proxy the environment names (a loopback endpoint never is).
PROXIED_HOST = 'live.test'


def _name(text):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def private_ca(directory):
    """Write a CA and a server certificate for 127.0.0.1 and localhost that it signs.

    Returns ``(ca bundle, server certificate, server key)`` paths.
    """
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name('volcengine.live test CA'))
        .issuer_name(_name('volcengine.live test CA'))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(_name('127.0.0.1'))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName('localhost'),
                    x509.DNSName(PROXIED_HOST),
                    x509.IPAddress(ipaddress.ip_address('127.0.0.1')),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = (str(directory / 'ca.pem'), str(directory / 'server.pem'), str(directory / 'server.key'))
    with open(paths[0], 'wb') as handle:
        handle.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths[1], 'wb') as handle:
        handle.write(server.public_bytes(serialization.Encoding.PEM))
    with open(paths[2], 'wb') as handle:
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    return paths


def _route(host):
    return '127.0.0.1' if host == PROXIED_HOST else host


class Proxy:
    """A forward proxy on 127.0.0.1: CONNECT tunnels (HTTPS) and absolute-URI requests (HTTP). ``seen`` lists
    what it was asked for (``'CONNECT host:port'`` or ``'POST http://...'``)."""

    def __init__(self):
        self.seen = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, format, *args):  # pylint: disable=redefined-builtin
                """Quiet."""

            def do_CONNECT(self):  # noqa: N802 - http.server naming
                proxy.seen.append('CONNECT %s' % self.path)
                host, _sep, port = self.path.rpartition(':')
                upstream = socket.create_connection((_route(host), int(port)), timeout=10)
                self.send_response(200, 'Connection established')
                self.end_headers()
                sockets = [self.connection, upstream]
                try:
                    while True:
                        ready, _w, _x = select.select(sockets, [], [], 10)
                        if not ready:
                            return
                        for item in ready:
                            data = item.recv(65536)
                            if not data:
                                return
                            (upstream if item is self.connection else self.connection).sendall(data)
                finally:
                    upstream.close()
                    self.close_connection = True

            def _forward(self):
                proxy.seen.append('%s %s' % (self.command, self.path))
                url = urlsplit(self.path)
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else b''
                upstream = socket.create_connection((_route(url.hostname), url.port or 80), timeout=10)
                try:
                    target = url.path + ('?' + url.query if url.query else '')
                    head = ['%s %s HTTP/1.1' % (self.command, target)]
                    head += ['%s: %s' % (k, v) for k, v in self.headers.items() if k.lower() != 'proxy-connection']
                    upstream.sendall(('\r\n'.join(head) + '\r\n\r\n').encode('latin-1') + body)
                    answer = upstream.makefile('rb')
                    status = answer.readline()
                    headers, size = [], 0
                    while True:
                        line = answer.readline()
                        if line in (b'\r\n', b''):
                            break
                        headers.append(line)
                        if line.lower().startswith(b'content-length:'):
                            size = int(line.split(b':', 1)[1])
                    self.wfile.write(status + b''.join(headers) + b'\r\n' + answer.read(size))
                finally:
                    upstream.close()

            do_GET = _forward  # noqa: N815
            do_POST = _forward  # noqa: N815

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.httpd.server_address[1]

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
