# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The client against endpoints that misbehave on purpose: answers that trickle, answers too large to be Live's,
headers that cannot be sent, proxies in the environment. Real sockets on 127.0.0.1; nothing leaves the machine."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._client import (
    LiveApiError,
    LiveClient,
    RetryPolicy,
)

SECRET = 'Sk-Very-Secret-Value-7f3a'
TOKEN = 'StsToken-Very-Secret-9c1d'
# The limit of an answer's size: no Live answer comes near it (a List page of 500 items is a few MB).
LIMIT = 32 * 1024 * 1024
ANSWER = json.dumps({'ResponseMetadata': {'RequestId': 'rid-1'}, 'Result': {'TaskId': '7'}}).encode()


class RawServer:
    """One-shot HTTP server on 127.0.0.1 that answers each connection with ``answer(connection)``."""

    def __init__(self, answer):
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(8)
        self.answer = answer
        self.requests = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def endpoint(self):
        return 'http://127.0.0.1:%d' % self.sock.getsockname()[1]

    def _serve(self):
        while True:
            try:
                connection, _address = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(connection,), daemon=True).start()

    def _one(self, connection):
        try:
            connection.settimeout(10)
            data = b''
            while b'\r\n\r\n' not in data:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                data += chunk
            self.requests.append(data)
            self.answer(connection)
        except OSError:
            pass
        finally:
            connection.close()

    def stop(self):
        self.sock.close()


def client(endpoint, **kwargs):
    options = dict(
        access_key='AKLTtest',
        secret_key=SECRET,
        endpoint=endpoint,
        timeout=1.0,
        retry=RetryPolicy(retries=0, sleep=lambda seconds: None),
    )
    options.update(kwargs)
    return LiveClient(**options)


@pytest.fixture
def serve():
    servers = []

    def start(answer):
        servers.append(RawServer(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def trickle(connection):
    connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n')
    for _byte in range(200):
        connection.sendall(b' ')
        time.sleep(0.2)


def test_an_answer_that_trickles_is_bounded_by_timeout(serve):
    server = serve(trickle)
    started = time.monotonic()
    with pytest.raises(LiveApiError) as caught:
        client(server.endpoint).call('CreateRelaySourceV4', {'Domain': 'a.example.com'}, write=True)
    took = time.monotonic() - started
    assert caught.value.code == 'Timeout' and caught.value.outcome_unknown
    assert 'whole within 1.0s' in str(caught.value)
    assert took < 2.0, took  # a byte every 0.2 s never trips a socket timeout of 1 s: the whole answer's does


def test_an_answer_that_declares_a_size_no_live_answer_has_is_not_read(serve):
    def huge(connection):
        connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n' % (200 * 1024 * 1024))
        connection.sendall(b'{' * 65536)

    server = serve(huge)
    with pytest.raises(LiveApiError) as caught:
        client(server.endpoint, timeout=5.0).call('ListRelaySourceV4', {})
    assert caught.value.code == 'AnswerTooLarge' and not caught.value.transient


def test_an_answer_without_a_size_is_cut_at_the_limit(serve):
    def endless(connection):
        connection.sendall(b'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n')
        block = b' ' * (1024 * 1024)
        for _block in range(LIMIT // len(block) + 8):
            connection.sendall(block)

    server = serve(endless)
    with pytest.raises(LiveApiError) as caught:
        client(server.endpoint, timeout=20.0).call('ListRelaySourceV4', {})
    assert caught.value.code == 'AnswerTooLarge'


def test_an_ordinary_answer_still_arrives_whole(serve):
    def ok(connection):
        connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n' % len(ANSWER))
        connection.sendall(ANSWER[:10])
        time.sleep(0.1)
        connection.sendall(ANSWER[10:])

    server = serve(ok)
    assert client(server.endpoint).call('CreateRelaySourceV4', {}, write=True) == ({'TaskId': '7'}, 'rid-1')
    assert b'accept-encoding: identity' in server.requests[0].lower()


@pytest.mark.parametrize('where', ['access_key', 'session_token', 'region'])
def test_a_header_http_refuses_is_never_quoted(serve, where):
    """requests quotes a header it refuses, which would show the Authorization (signature and all) or the token."""
    server = serve(lambda connection: None)
    leaked = {'access_key': 'AKLTleak-4411\n', 'session_token': TOKEN + '\n', 'region': 'cn-north-1\n'}
    with pytest.raises(LiveApiError) as caught:
        client(server.endpoint, **{where: leaked[where]}).call('CreateRelaySourceV4', {}, write=True)
    text = str(caught.value) + json.dumps(caught.value.to_result())
    assert caught.value.code == 'InvalidRequest' and not caught.value.outcome_unknown
    for secret in ('AKLTleak-4411', TOKEN, SECRET, 'HMAC-SHA256', 'Signature='):
        assert secret not in text
    assert server.requests == []


def test_a_loopback_endpoint_never_goes_through_a_proxy(serve, monkeypatch):
    """HTTP_PROXY would carry a loopback endpoint's signed requests and session token to another host in clear."""
    proxied = []

    def proxy(connection):
        proxied.append(True)
        connection.sendall(b'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n')

    def ok(connection):
        connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n' % len(ANSWER) + ANSWER)

    proxy_server, server = serve(proxy), serve(ok)
    for name in ('HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'ALL_PROXY'):
        monkeypatch.setenv(name, proxy_server.endpoint)
    monkeypatch.delenv('NO_PROXY', raising=False)
    monkeypatch.delenv('no_proxy', raising=False)
    answer = client(server.endpoint, session_token=TOKEN).call('CreateRelaySourceV4', {}, write=True)
    assert answer == ({'TaskId': '7'}, 'rid-1')
    assert proxied == [] and len(server.requests) == 1
