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

from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.retry import RetryPolicy
from ansible_collections.volcengine.live.plugins.module_utils._core.transport import LiveClient

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
    assert 'whole within 1s' in str(caught.value)
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


# Bounded, honest waits: an endpoint that cannot be reached fails within connect_timeout, one that never answers
# within answer_timeout, whatever retries are left, and the message says where, what, how long and which option.


def budgeted(endpoint, connect_timeout=60.0, answer_timeout=60.0, timeout=1.0, retries=8):
    policy = RetryPolicy(
        retries=retries,
        unanswered_write_wait=timeout,
        connect_timeout=connect_timeout,
        answer_timeout=answer_timeout,
        timeout=timeout,
    )
    return LiveClient(
        access_key='AKLTtest',
        secret_key=SECRET,
        endpoint=endpoint,
        timeout=timeout,
        retry=policy,
        allow_insecure_http=True,
    )


def closed_port():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def timed_failure(live_client, action='ListRelaySourceV4', write=False):
    started = time.monotonic()
    with pytest.raises(LiveApiError) as caught:
        live_client.call(action, {}, write=write)
    return time.monotonic() - started, caught.value


def test_a_refused_port_fails_within_the_connect_budget():
    port = closed_port()
    took, error = timed_failure(budgeted('http://127.0.0.1:%d' % port, connect_timeout=2.0))
    assert took < 2.5, took  # today the backoff alone of 8 retries takes up to a minute
    text = str(error)
    assert error.code == 'ConnectionError' and not error.outcome_unknown
    assert '127.0.0.1:%d' % port in text and 'refused' in text.lower()
    assert 'failing to reach 127.0.0.1:%d' % port in text and 'connect_timeout: at most 2 s' in text
    assert 'VOLCENGINE_CONNECT_TIMEOUT' in text


@pytest.fixture
def blackhole():
    """A port whose listen backlog is full: the kernel drops further SYNs, so a connect neither succeeds nor fails."""
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(0)
    fillers = []
    for _n in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(server.getsockname())
        fillers.append(filler)
    time.sleep(0.1)
    probe = socket.socket()
    probe.settimeout(0.5)
    try:
        probe.connect(server.getsockname())
    except OSError:
        pass  # timed out: blackholed
    else:
        pytest.skip('this kernel accepts connections beyond a full backlog')
    finally:
        probe.close()
    yield 'http://127.0.0.1:%d' % server.getsockname()[1]
    for filler in fillers:
        filler.close()
    server.close()


def test_a_connect_that_never_completes_fails_within_the_connect_budget(blackhole):
    took, error = timed_failure(budgeted(blackhole, connect_timeout=2.0, timeout=30.0))
    assert took < 3.0, took  # today each attempt waits timeout (30 s) to connect
    text = str(error)
    assert error.code == 'ConnectionError' and not error.outcome_unknown
    assert 'could not connect to %s within 2s' % blackhole[len('http://') :] in text
    assert 'connect_timeout ran out' in text


def test_a_name_that_does_not_resolve_fails_within_the_connect_budget():
    took, error = timed_failure(budgeted('http://nonexistent.invalid:8080', connect_timeout=2.0))
    assert took < 2.5, took
    text = str(error)
    assert 'nonexistent.invalid' in text and 'connect_timeout: at most 2 s' in text
    assert error.code == 'ConnectionError' and not error.outcome_unknown


def test_a_resolver_that_hangs_is_bounded_by_the_connect_budget(monkeypatch):
    """getaddrinfo has no timeout, and requests' connect timeout does not bound it."""
    resolving = threading.Event()

    def hang(*_args, **_kwargs):
        resolving.set()
        time.sleep(30)
        raise socket.gaierror(-3, 'Temporary failure in name resolution')

    monkeypatch.setattr(socket, 'getaddrinfo', hang)
    took, error = timed_failure(budgeted('http://slow-dns.example.test:8080', connect_timeout=1.5))
    assert resolving.is_set() and took < 2.0, took
    assert 'slow-dns.example.test did not resolve within' in str(error)
    assert 'connect_timeout ran out' in str(error) and not error.outcome_unknown


def test_a_slow_resolution_and_the_connect_share_one_connect_wait(monkeypatch, blackhole):
    """The resolution and the connect after it each got the whole connect wait: 1.2 s + 2 s for a wait of 2 s."""
    port = int(blackhole.rsplit(':', 1)[1])
    real, calls = socket.getaddrinfo, []

    def slow_first(host, *args, **kwargs):
        if host != 'slow-dns.example.test':
            return real(host, *args, **kwargs)
        calls.append(host)
        if len(calls) == 1:
            time.sleep(1.2)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, '', ('127.0.0.1', port))]

    monkeypatch.setattr(socket, 'getaddrinfo', slow_first)
    took, error = timed_failure(budgeted('http://slow-dns.example.test:%d' % port, connect_timeout=2.0, timeout=30.0))
    assert calls and took < 2.9, took  # 3.2 s when each got the whole wait
    assert error.code == 'ConnectionError' and not error.outcome_unknown and 'connect_timeout ran out' in str(error)


def silent(connection):
    time.sleep(30)  # accepts, reads the request, never answers


def test_an_endpoint_that_never_answers_fails_within_the_answer_budget_with_retries_left(serve):
    server = serve(silent)
    took, error = timed_failure(budgeted(server.endpoint, answer_timeout=2.5, timeout=1.0, retries=8))
    assert took < 3.0, took
    assert 2 <= len(server.requests) <= 4  # far fewer than the 9 attempts the retries allow
    text = str(error)
    host = server.endpoint[len('http://') :]
    assert error.code == 'Timeout' and error.outcome_unknown
    assert 'no answer from %s' % host in text
    assert 'answer_timeout ran out. Waited 2.5 s in all for answers from %s that did not come' % host in text
    assert 'VOLCENGINE_ANSWER_TIMEOUT' in text and 'timeout: 1 s for each request' in text


LIST_ANSWER = json.dumps({'ResponseMetadata': {'RequestId': 'rid-l'}, 'Result': {'List': []}}).encode()


def lists_but_never_creates(connection):
    """Answers a List (nothing is there), never a Create (the requests of this test come one at a time)."""
    if lists_but_never_creates.server.requests[-1].startswith(b'POST /?Action=CreateX'):
        time.sleep(30)
        return
    head = b'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n' % len(LIST_ANSWER)
    connection.sendall(head + LIST_ANSWER)


@pytest.mark.parametrize('answer_timeout, looks_after', [(1.0, 0), (3.0, 2)])
def test_an_unanswered_create_is_looked_for_only_while_the_budget_lasts_and_never_sent_again(
    serve, answer_timeout, looks_after
):
    from ansible_collections.volcengine.live.plugins.module_utils._core.converge import CreateOutcomeUnknown, converge

    server = lists_but_never_creates.server = serve(lists_but_never_creates)
    live_client = budgeted(server.endpoint, answer_timeout=answer_timeout, timeout=1.0)

    def look():
        return live_client.call('ListX', {})[0]['List'] or None

    def write(_action, _state):
        return live_client.call('CreateX', {}, write=True)

    started = time.monotonic()
    with pytest.raises(LiveApiError) as caught:
        converge(
            look,
            lambda state: 'create' if state is None else 'nothing',
            write,
            live_client.retry,
            unrepeatable=('create',),
        )
    took = time.monotonic() - started
    actions = [request.split(b'Action=')[1].split(b'&')[0] for request in server.requests]
    assert actions == [b'ListX', b'CreateX'] + [b'ListX'] * looks_after  # one create, however it ends
    assert took < answer_timeout + 0.5, took
    error = caught.value
    assert error.after_write and error.outcome_unknown
    # with the budget spent by the create itself, no look after it: it fails saying it was not sent again
    assert isinstance(error, CreateOutcomeUnknown) and error.looks == looks_after  # says: not sent again
    assert (
        'not found when looked up again 2 times' in str(error)
        if looks_after
        else 'answer_timeout ran out' in str(error)
    )


@pytest.mark.parametrize('chunked', [False, True], ids=['content-length', 'chunked'])
@pytest.mark.parametrize('read1', [True, False], ids=['urllib3-read1', 'http.client-read1'])
def test_an_answer_cut_short_leaves_the_outcome_open_and_never_a_traceback(serve, monkeypatch, chunked, read1):
    """urllib3 before 2.3 has no read1 of its own: the client reads http.client's, which raises IncompleteRead on a
    chunked answer cut short and returns a short body quietly on a Content-Length one."""
    if not read1:
        import urllib3

        monkeypatch.setattr(urllib3.response.HTTPResponse, 'read1', None, raising=False)

    def cut(connection):
        if chunked:
            head = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
            connection.sendall(head + b'%x\r\n' % 64 + ANSWER[:20])
        else:
            connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n' % len(ANSWER) + ANSWER[:20])

    server = serve(cut)
    with pytest.raises(LiveApiError) as caught:
        client(server.endpoint).call('CreateRelaySourceV4', {}, write=True)
    assert caught.value.code == 'ConnectionError' and caught.value.outcome_unknown, caught.value


def test_an_endpoint_with_a_password_is_refused_without_showing_it():
    with pytest.raises(ValueError) as caught:
        client('https://user:Pa55-Secret-77@live.volcengineapi.com')
    assert 'Pa55-Secret-77' not in str(caught.value) and 'credentials' in str(caught.value)
