# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""HTTP client for the Volcengine Live OpenAPI, whatever the resource.

The client owns everything network-facing: it serialises the JSON body, signs
it with :mod:`signer`, sends it with a timeout, parses the response envelope
and maps every documented error code to a :class:`LiveApiError` whose message
says what went wrong, what to check and which ``RequestId`` to quote.

It knows no action and no resource: each resource's ``_<resource>/api.py`` says which actions it calls,
with which bodies, and which of them write (``call(action, body, write=True)``), which decides what may be
sent again (:meth:`RetryPolicy.may_resend`).

``requests`` is imported lazily, so code paths that never talk to the API
(validation, check mode without credentials) work without it.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import os
import socket
import threading
import time
import traceback
from urllib.parse import urlsplit

from ansible_collections.volcengine.live.plugins.module_utils import signer
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import (
    _SPACE_RE,
    DEFAULT_REGION,
    LiveApiError,
    parse_response,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.paging import query_value
from ansible_collections.volcengine.live.plugins.module_utils._core.retry import (
    ANSWER,
    CONNECT,
    RetryPolicy,
    seconds_text,
)

DEFAULT_ENDPOINT = 'https://live.volcengineapi.com'


DEFAULT_TIMEOUT = 30


# No Live answer comes near this: a List page of 500 items is a few MB. A larger answer is refused unread.
MAX_ANSWER_BYTES = 32 * 1024 * 1024


_READ_CHUNK = 64 * 1024


SERVICE = 'live'


API_VERSION = '2023-01-01'


USER_AGENT = 'ansible-collection-volcengine.live'


def parse_endpoint(endpoint, allow_insecure_http=False, session_token=None):
    """Split an endpoint URL into ``(scheme, netloc, path)``; raise ValueError when it is unusable.

    The one place an endpoint is judged: its form, and whether requests may go to it over plain http
    (:func:`plain_http_problem`).
    """
    text = endpoint or ''
    if not isinstance(text, str) or not (text.isascii() and text.isprintable()):
        raise ValueError(
            'endpoint must be a URL of printable ASCII characters (a host in its IDNA form), got %r' % (endpoint,)
        )
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise ValueError('endpoint is not a valid URL (%s), got %r' % (exc, endpoint)) from None
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ValueError('endpoint must be an http:// or https:// URL with a host, got %r' % endpoint)
    if parts.username or parts.password:  # never shown: a password written into the URL is a secret
        raise ValueError('endpoint must not carry credentials (user:password@); the value is not shown')
    if parts.query or parts.fragment:
        raise ValueError('endpoint must not carry a query or a fragment, got %r' % endpoint)
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError('endpoint has an invalid port: %s' % exc) from exc
    if port == 0:
        raise ValueError('endpoint has an invalid port: 0')
    problem = plain_http_problem(endpoint, allow_insecure_http, session_token)
    if problem:
        raise ValueError(problem)
    return parts.scheme, parts.netloc, parts.path or '/'


def canonical_endpoint(endpoint):
    """``endpoint`` as one spelling (scheme and host in lower case, no trailing "/"), so that the files keyed by it
    (pacing, locks) are shared by every run that means the same endpoint; the text given when it is unusable. Pure."""
    try:
        parts = urlsplit(endpoint or '')
    except ValueError:
        return endpoint
    return '%s://%s%s' % (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip('/'))


def is_loopback_host(host):
    """Whether ``host`` is this machine: ``localhost``, 127.0.0.0/8 or ::1. Pure."""
    host = (host or '').lower().rstrip('.')
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_problem(endpoint, allow_insecure_http=False, session_token=None):
    """Why requests must not go to ``endpoint`` over plain http, or None. Pure.

    http:// is for loopback hosts (the local API simulator). Anywhere else a request and its signature (which
    anyone who sees it can replay while it is valid) would cross the network in clear text: that takes an
    explicit ``allow_insecure_http``, and even then a session token is never sent that way.
    """
    parts = urlsplit(endpoint or '')
    if parts.scheme != 'http' or is_loopback_host(parts.hostname):
        return None
    if not allow_insecure_http:
        return (
            'endpoint %s is plain http to a host other than this one: requests and their signatures would '
            'cross the network unencrypted, and anyone who sees a signed request can replay it. Use an '
            'https:// endpoint, or set allow_insecure_http: true for a test endpoint on a network you trust' % endpoint
        )
    if session_token:
        return (
            'session_token is never sent over plain http (endpoint %s): use an https:// endpoint for '
            'temporary credentials' % endpoint
        )
    return None


def import_requests():
    """Return the ``requests`` module, or ``(None, traceback)`` when it is missing."""
    try:
        import requests
    except ImportError:
        return None, traceback.format_exc()
    return requests, None


class LiveClient:
    """Signed JSON calls to one Volcengine Live endpoint."""

    def __init__(  # noqa: PLR0913 - the connection options, each an option of the modules
        self,
        access_key,
        secret_key,
        session_token=None,
        region=DEFAULT_REGION,
        endpoint=DEFAULT_ENDPOINT,
        validate_certs=True,
        timeout=DEFAULT_TIMEOUT,
        session=None,
        ca_path=None,
        clock=None,
        retry=None,
        pacer=None,
        allow_insecure_http=False,
        credentials_from=None,
    ):
        self.scheme, self.netloc, self.path = parse_endpoint(endpoint, allow_insecure_http, session_token)
        self._access_key = access_key
        self._secret_key = secret_key
        self._session_token = session_token or None
        self.region = region or DEFAULT_REGION
        self.validate_certs = validate_certs
        # A loopback endpoint is reached directly, never through a proxy of the environment (HTTP_PROXY would
        # otherwise carry its signed requests, and a session token, to another host in clear text).
        self.direct = is_loopback_host(urlsplit(endpoint).hostname)
        # What requests verifies with: a CA bundle file, True (REQUESTS_CA_BUNDLE, else certifi's), or False.
        self.verify = (ca_path or _environment_ca(self.direct) or True) if validate_certs else False
        self.timeout = timeout
        self._clock = clock
        self._session = session
        self.retry = retry or RetryPolicy()
        self.pacer = pacer
        self.credentials_from = credentials_from  # for the hints of credential refusals (credential_hint)

    def __repr__(self):
        return '<LiveClient %s://%s%s region=%s>' % (self.scheme, self.netloc, self.path, self.region)

    def _verified_with(self):
        return ' (verified with %s)' % self.verify if isinstance(self.verify, str) else ''

    def _get_session(self):
        if self._session is None:
            requests, error = import_requests()
            if requests is None:
                raise ImportError(error)
            self._session = requests.Session()
            mount = getattr(self._session, 'mount', None)  # a test's stand-in for the session may have none
            if mount is not None:
                for prefix in ('https://', 'http://'):
                    mount(prefix, bounded_resolution_adapter(requests))
            if self.direct:
                self._session.trust_env = False  # no proxy, no .netrc: _environment_ca() keeps the CA bundle
        return self._session

    def build_request(self, action, body, method='POST'):
        """Return ``(url, headers, data)`` for one signed call. Pure given the clock.

        A POST carries ``body`` as JSON. A GET carries it in the query string (integers and booleans as text, a
        list as one pair per item) with an empty body and no Content-Type, as the official SDK sends its GET
        actions.
        """
        query = {'Action': action, 'Version': API_VERSION}
        if method == 'GET':
            query.update((key, query_value(value)) for key, value in (body or {}).items() if value is not None)
            data, own_headers = b'', {}
        else:
            data = json.dumps(body, ensure_ascii=False, separators=(',', ':'), sort_keys=True).encode('utf-8')
            own_headers = {'Content-Type': 'application/json'}
        headers = signer.sign(
            method,
            self.netloc,
            self.path,
            query,
            own_headers,
            data,
            self._access_key,
            self._secret_key,
            self.region,
            SERVICE,
            session_token=self._session_token,
            now=self._clock() if self._clock else None,
        )
        # Not signed (the signature covers Content-Type, Host and the X- headers), as in the official SDKs.
        headers['Accept'] = 'application/json'
        # The answer is read as it arrives (bounded in time and size): uncompressed, so its size is what is read.
        headers['Accept-Encoding'] = 'identity'
        headers['User-Agent'] = USER_AGENT
        url = '%s://%s%s?%s' % (self.scheme, self.netloc, self.path, signer.canonical_query(query))
        return url, headers, data

    def call(self, action, body, write=False, method='POST'):
        """Send one action, paced and retried; return ``(result, request_id)`` or raise :class:`LiveApiError`.

        ``write``: whether the action changes anything, which decides what may be sent again
        (:meth:`RetryPolicy.may_resend`). ``method``: ``POST`` (a JSON body) or ``GET`` (the body's fields in
        the query string), as the action's API page says. The error raised after retries carries the number of
        attempts made. Each attempt waits at most what the retry policy's budgets leave; one that fails to reach
        the endpoint, or gets no answer, is charged to its budget. A call made when a budget is already spent fails
        at once, sending nothing.
        """
        retry = self.retry
        if retry.past_deadline():  # a look of a wait whose time is up: a fault that passes, the wait ends with it
            error = LiveApiError(action, 'Timeout', 'not sent: the wait for delivery ran out of time (wait_timeout)')
            error.past_deadline = True
            raise error
        spent = retry.used_up()
        if spent is not None:
            raise retry.explain(self._not_sent(action, spent))
        attempt = 1
        while True:
            connect_wait, answer_wait = retry.attempt_waits(self.timeout)
            sent_at = self.pacer.acquire(action) if self.pacer else None
            started = retry.clock()
            try:
                answer = self.call_once(action, body, method, connect_wait=connect_wait, answer_wait=answer_wait)
            except LiveApiError as error:
                retry.charge(error.wait_kind, started, retry.clock())
                if self.pacer:
                    self.pacer.answered(action, sent_at, throttled=error.throttled)
                if not retry.may_resend(error, attempt, write):
                    final = error.after_attempts(attempt)
                    final.credentials_from, final.region = self.credentials_from, self.region
                    raise retry.explain(final) from None
                retry.wait(attempt, paced=error.throttled and sent_at is not None, kind=error.wait_kind)
                attempt += 1
                continue
            if self.pacer:
                self.pacer.answered(action, sent_at)
            return answer

    def _not_sent(self, action, kind):
        """The error of a request not sent because the budget of ``kind`` was spent by earlier ones."""
        if kind == CONNECT:
            code, what = 'ConnectionError', 'earlier requests of this task spent the time allowed to reach %s'
        else:
            code, what = 'Timeout', 'earlier requests of this task spent the time allowed to wait for answers of %s'
        error = LiveApiError(action, code, 'not sent: ' + what % self.netloc)
        error.wait_kind, error.endpoint = kind, self.netloc
        return error

    def _answer_text(self, action, response, deadline, answer_wait):
        """The text of ``response``, read whole by ``deadline`` and within :data:`MAX_ANSWER_BYTES`; the request
        was sent and the service may have acted on it, so every failure here leaves the outcome open."""
        from urllib3.exceptions import HTTPError  # comes with requests, which the caller has imported

        try:
            return read_answer(response, deadline)
        except AnswerTooLarge as exc:
            code, text = (
                'AnswerTooLarge',
                'the answer of %s is larger than any Volcengine API answer (%s): not read'
                % (
                    self.netloc,
                    exc,
                ),
            )
        except (AnswerTimedOut, AnswerCutShort, OSError, HTTPError, http.client.HTTPException) as exc:
            if isinstance(exc, AnswerTimedOut) or time.monotonic() >= deadline or 'timed out' in str(exc).lower():
                code, text = (
                    'Timeout',
                    'the answer of %s did not arrive whole within %ss' % (self.netloc, seconds_text(answer_wait)),
                )
            else:
                code, text = (
                    'ConnectionError',
                    'the connection to %s broke while its answer arrived: %s'
                    % (
                        self.netloc,
                        _reason(exc),
                    ),
                )
        finally:
            response.close()
        error = LiveApiError(action, code, text, status=response.status_code, outcome_unknown=True)
        if code != 'AnswerTooLarge':
            error.wait_kind, error.endpoint = ANSWER, self.netloc
        raise error

    def call_once(self, action, body, method='POST', connect_wait=None, answer_wait=None):
        """Send one action once; return ``(result, request_id)`` or raise :class:`LiveApiError`.

        It waits at most ``connect_wait`` seconds to reach the endpoint (the host name's resolution included) and
        ``answer_wait`` for the whole answer; both are ``timeout`` unless given. An error of an attempt that did not
        reach the endpoint has ``wait_kind`` CONNECT, one of a request that got no answer ANSWER.
        """
        connect_wait = self.timeout if connect_wait is None else connect_wait
        answer_wait = self.timeout if answer_wait is None else answer_wait
        try:
            return self._send_once(action, body, method, connect_wait, answer_wait)
        except LiveApiError as error:
            if error.wait_kind is None:
                error.wait_kind = _wait_kind(error)
            error.endpoint = self.netloc
            raise

    def _send_once(self, action, body, method, connect_wait, answer_wait):
        session = self._get_session()
        import requests  # available: _get_session() succeeded

        url, headers, data = self.build_request(action, body, method)
        options = dict(
            headers=headers,
            timeout=(connect_wait, answer_wait),
            verify=self.verify,
            allow_redirects=False,
            stream=True,
        )
        deadline = time.monotonic() + answer_wait
        try:
            response = session.get(url, **options) if method == 'GET' else session.post(url, data=data, **options)
            text = self._answer_text(action, response, deadline, answer_wait)
        except NameNotResolved as exc:
            raise LiveApiError(action, 'ConnectionError', 'connection to %s failed: %s' % (self.netloc, exc)) from None
        except requests.exceptions.InvalidHeader:
            # Its message quotes the header, which may be the Authorization or the session token: never shown.
            raise LiveApiError(action, 'InvalidRequest', _HEADER_REFUSED) from None
        except requests.exceptions.ConnectTimeout as exc:
            raise LiveApiError(
                action,
                'ConnectionError',
                'could not connect to %s within %ss: %s' % (self.netloc, seconds_text(connect_wait), _reason(exc)),
            ) from exc
        except requests.exceptions.SSLError as exc:
            raise LiveApiError(
                action,
                'TLSError',
                "TLS verification of %s failed: %s. If a proxy or a private CA signs the endpoint's certificate, "
                'give its CA bundle with ca_path (or REQUESTS_CA_BUNDLE)%s; set validate_certs: false only for a '
                'trusted test endpoint' % (self.netloc, _reason(exc), self._verified_with()),
            ) from exc
        except requests.exceptions.ReadTimeout as exc:
            raise LiveApiError(
                action,
                'Timeout',
                'no answer from %s within %ss: %s' % (self.netloc, seconds_text(answer_wait), _reason(exc)),
                outcome_unknown=True,
            ) from exc
        except requests.exceptions.ProxyError as exc:
            raise LiveApiError(
                action,
                'ConnectionError',
                'the proxy failed the connection to %s: %s (the proxy comes from HTTPS_PROXY or HTTP_PROXY; hosts '
                'in NO_PROXY are reached directly)' % (self.netloc, _reason(exc)),
                outcome_unknown=_may_have_been_sent(exc),
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            raise LiveApiError(
                action,
                'ConnectionError',
                'connection to %s failed: %s' % (self.netloc, _reason(exc)),
                outcome_unknown=_may_have_been_sent(exc),
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise LiveApiError(
                action,
                'ConnectionError',
                'request to %s failed: %s' % (self.netloc, _reason(exc)),
                outcome_unknown=True,
            ) from exc
        except (ValueError, UnicodeError) as exc:  # raised while building the request: nothing was sent
            raise LiveApiError(
                action, 'InvalidRequest', '%s (%s)' % (_HEADER_REFUSED, exc.__class__.__name__)
            ) from None
        return parse_response(action, response.status_code, text)


def _wait_kind(error):
    """CONNECT for an error of the client that says the endpoint was not reached (nothing was sent), ANSWER for one
    that says a request sent got no answer, else None (an answer came, if a refusing one). Pure."""
    if error.code == 'ConnectionError':
        return ANSWER if error.outcome_unknown else CONNECT
    if error.code == 'Timeout' and error.status is None:
        return ANSWER
    return None


# The least a connect is given after a resolution that took (nearly) the whole connect wait: it then fails as a
# connect that did not complete in time, within a few milliseconds of that wait.
MIN_CONNECT_WAIT = 0.01


class NameNotResolved(Exception):
    """The endpoint's host name did not resolve, or not within the time allowed to connect."""


def resolve_within(host, port, seconds, resolve=None):
    """Resolve ``host`` within ``seconds``, or raise :class:`NameNotResolved`.

    The resolver (``socket.getaddrinfo``) has no timeout of its own, and the connect timeout of ``requests`` does
    not bound it: it runs on a daemon thread, waited for at most ``seconds`` (a resolution still running then is
    left to finish on its own).
    """
    resolve = resolve or socket.getaddrinfo
    outcome = {}

    def work():
        try:
            resolve(host, port, 0, socket.SOCK_STREAM)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            outcome['error'] = exc

    thread = threading.Thread(target=work, name='volcengine-live-resolve', daemon=True)
    thread.start()
    thread.join(max(seconds, 0.0))
    if thread.is_alive():
        raise NameNotResolved('the host name %s did not resolve within %ss' % (host, seconds_text(seconds)))
    if 'error' in outcome:
        error = outcome['error']
        raise NameNotResolved(
            'the host name %s does not resolve: %s' % (host, getattr(error, 'strerror', None) or error)
        )


def _is_ip_address(host):
    """Whether ``host`` needs no resolution: an IP address, a zone-indexed one too (unlike ``rules.is_ip_address``,
    which says what an origin may be, this says what the resolver may skip)."""
    try:
        ipaddress.ip_address(host or '')
    except ValueError:
        return False
    return True


_ADAPTERS = {}


def bounded_resolution_adapter(requests):
    """An HTTPAdapter that resolves the host name of each request within its connect timeout first, unless a
    proxy carries the request (the proxy then resolves it) or the host is an IP address."""
    adapter = _ADAPTERS.get('class')
    if adapter is None:

        class BoundedResolutionAdapter(requests.adapters.HTTPAdapter):
            def send(  # noqa: PLR0913 - requests' HTTPAdapter.send, which this overrides
                self,
                request,
                stream=False,
                timeout=None,
                verify=True,
                cert=None,
                proxies=None,
            ):
                parts = urlsplit(request.url)
                host = parts.hostname
                if (
                    timeout is not None
                    and not _is_ip_address(host)
                    and not requests.utils.select_proxy(request.url, proxies or {})
                ):
                    connect, answer = timeout if isinstance(timeout, tuple) else (timeout, timeout)
                    port = parts.port or (443 if parts.scheme == 'https' else 80)
                    started = time.monotonic()
                    resolve_within(host, port, connect)
                    # The resolution and the connect share the connect wait: the connect gets what is left.
                    timeout = (max(connect - (time.monotonic() - started), MIN_CONNECT_WAIT), answer)
                return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies)

        adapter = _ADAPTERS['class'] = BoundedResolutionAdapter
    return adapter()


_HEADER_REFUSED = (
    'the request could not be built: a header value (from access_key, session_token, region or endpoint) holds '
    'characters HTTP does not allow; the value is not shown'
)


class AnswerTooLarge(Exception):
    """An answer longer than :data:`MAX_ANSWER_BYTES`."""


class AnswerCutShort(Exception):
    """An answer that ended before the length its headers declared."""


class AnswerTimedOut(Exception):
    """An answer that did not arrive whole before its deadline."""


def read_answer(response, deadline, limit=MAX_ANSWER_BYTES, clock=time.monotonic):
    """The body of ``response`` (a ``requests`` answer opened with ``stream=True``) as text, read as it arrives.

    Raise :class:`AnswerTimedOut` when it is not whole at ``deadline`` (``clock()`` seconds), however slowly it
    trickles, and :class:`AnswerTooLarge` when it is, or says it will be, longer than ``limit`` bytes: neither is
    read whole into memory.
    """
    declared = (getattr(response, 'headers', None) or {}).get('Content-Length') or ''
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise AnswerTooLarge('%s bytes declared' % declared)
    raw = response.raw
    read_some = getattr(raw, 'read1', None) or getattr(getattr(raw, '_fp', None), 'read1', None) or raw.read
    chunks, size = [], 0
    while True:
        remaining = deadline - clock()
        if remaining <= 0:
            raise AnswerTimedOut()
        _limit_wait(raw, remaining)
        chunk = read_some(_READ_CHUNK)
        if not chunk:
            if declared.isascii() and declared.isdigit() and size < int(declared):
                raise AnswerCutShort('%d of the %s bytes declared arrived' % (size, declared))
            return b''.join(chunks).decode('utf-8', 'replace')
        size += len(chunk)
        if size > limit:
            raise AnswerTooLarge('more than %d bytes' % limit)
        chunks.append(chunk)


def _limit_wait(raw, seconds):
    """Let the next read of ``raw`` wait at most ``seconds`` for data, where its socket can be reached."""
    sock = getattr(getattr(raw, '_connection', None), 'sock', None)
    if sock is not None:
        try:
            sock.settimeout(max(seconds, 0.01))
        except OSError:
            pass


def _environment_ca(direct):
    """The CA bundle the environment names, for a session that does not read the environment itself."""
    if not direct:
        return None
    return os.environ.get('REQUESTS_CA_BUNDLE') or os.environ.get('CURL_CA_BUNDLE') or None


def _not_sent_errors():
    """urllib3's errors raised before a single byte of the request left the host."""
    from urllib3 import exceptions  # comes with requests, which the caller has imported

    return (
        exceptions.NewConnectionError,
        exceptions.ConnectTimeoutError,
        getattr(exceptions, 'NameResolutionError', exceptions.NewConnectionError),
    )


def _may_have_been_sent(exc):
    """False when a connection error certainly happened before the request was sent."""
    not_sent = _not_sent_errors()
    seen = set()
    todo = [exc]
    while todo:
        item = todo.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, not_sent):
            return False
        todo.extend([getattr(item, 'reason', None), item.__cause__, item.__context__])
        todo.extend(arg for arg in getattr(item, 'args', ()) if isinstance(arg, BaseException))
    return True


def _reason(exc):
    """A one-line reason for a requests exception."""
    text = str(exc.args[0]) if getattr(exc, 'args', None) else str(exc)
    return _SPACE_RE.sub(' ', text).strip()[:300] or exc.__class__.__name__
