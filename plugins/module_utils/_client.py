# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""HTTP client for the Volcengine Live OpenAPI, whatever the resource.

The client owns everything network-facing: it serialises the JSON body, signs
it with :mod:`signer`, sends it with a timeout, parses the response envelope
and maps every documented error code to a :class:`LiveApiError` whose message
says what went wrong, what to check and which ``RequestId`` to quote.

It knows no action and no resource: each resource's ``_<resource>_api.py`` says which actions it calls,
with which bodies, and which of them write (``call(action, body, write=True)``), which decides what may be
sent again (:meth:`RetryPolicy.may_resend`).

``requests`` is imported lazily, so code paths that never talk to the API
(validation, check mode without credentials) work without it.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import math
import os
import random
import re
import socket
import threading
import time
import traceback
from urllib.parse import urlsplit

from ansible_collections.volcengine.live.plugins.module_utils import signer

DEFAULT_ENDPOINT = 'https://live.volcengineapi.com'
DEFAULT_REGION = 'cn-north-1'
DEFAULT_TIMEOUT = 30
# The whole time a task may spend failing to reach the endpoint (a refused connection, a name that does not resolve,
# no TCP connection), and on requests that got no answer, across its retries and the looks after a lost answer.
DEFAULT_CONNECT_TIMEOUT = 15.0
DEFAULT_ANSWER_TIMEOUT = 90.0
# The two kinds of failed wait, each with its own budget (WaitBudget) and option.
CONNECT = 'connect'
ANSWER = 'answer'
_BUDGET_OPTIONS = {
    CONNECT: ('connect_timeout', 'VOLCENGINE_CONNECT_TIMEOUT'),
    ANSWER: ('answer_timeout', 'VOLCENGINE_ANSWER_TIMEOUT'),
}
# Less than this left of a budget is nothing left.
_NOTHING_LEFT = 0.001
# No Live answer comes near this: a List page of 500 items is a few MB. A larger answer is refused unread.
MAX_ANSWER_BYTES = 32 * 1024 * 1024
_READ_CHUNK = 64 * 1024
SERVICE = 'live'
API_VERSION = '2023-01-01'
USER_AGENT = 'ansible-collection-volcengine.live'

# Every error code of the public tables: the Live API pages (service codes) and the OpenAPI gateway's common
# codes. Each has what it means for a playbook author and its class: PERMANENT (asking again cannot help),
# TRANSIENT (it may succeed next time) or THROTTLE (transient, and the pacing slows down). Codes are looked up
# exactly, then by their family (the part before the first dot); a code in neither is classed by its HTTP status.
PERMANENT = 'permanent'
TRANSIENT = 'transient'
THROTTLE = 'throttle'
_RATE_HINT = "the account's request rate limit (10 requests/s per action) was exceeded"
_POLICY_HINT = 'the credentials are not allowed to call this action; grant the IAM user a Live policy'
ERRORS = {
    # Service codes of the Live API pages.
    'InvalidParam': (
        "a parameter was rejected by the service; check the task's options against the module's documentation",
        PERMANENT,
    ),
    'InvalidParam.BindError': ('the request body did not match the API types', PERMANENT),
    'InvalidParam.OutOfRange': ('a parameter is outside its allowed range', PERMANENT),
    'RequestForbidden': (
        'this account has no such resource (domain, app, template or certificate); check that '
        'the domain belongs to the account of access_key',
        PERMANENT,
    ),
    'RequestForbidden.AccountIDNotAllow': ('the domain does not belong to the account of access_key', PERMANENT),
    'RequestForbidden.BillingStatus': (
        'the Live service is not activated for this account, or the account is in arrears',
        PERMANENT,
    ),
    'ResourceNotFound': ('the domain, app or configuration the request names was not found', PERMANENT),
    'CommonErr': ('an unclassified service error; retrying usually helps', TRANSIENT),
    'InternalError': ('an internal service error', TRANSIENT),
    'InternalServiceError': ("an error between the service's internal components", TRANSIENT),
    'InternalServiceTimeout': ('an internal service timed out', TRANSIENT),
    # The gateway's common codes.
    'MissingParameter': ('a required parameter is missing from the request', PERMANENT),
    'MissingAuthenticationToken': ('the request carried no credentials; set access_key and secret_key', PERMANENT),
    'MissingSignature': ('the request carried no signature; set access_key and secret_key', PERMANENT),
    'MissingRequestInfo': (
        'the gateway found the request incomplete; check that endpoint is the Live OpenAPI '
        'and that no proxy rewrites requests',
        PERMANENT,
    ),
    'InvalidTimestamp': (
        "the request's X-Date is too far from the service clock; check the clock of the host that runs the module",
        PERMANENT,
    ),
    'ServiceNotFound': ('the endpoint does not serve Volcengine Live; check endpoint and region', PERMANENT),
    'ServiceUnavailable': (
        'the gateway does not know the requested service (a permanent error despite its name); '
        'check endpoint and region',
        PERMANENT,
    ),
    'InvalidActionOrVersion': ('the endpoint does not know this action or version; check endpoint', PERMANENT),
    'InvalidAccessKey': ('the access key is not known; check access_key (or VOLCENGINE_ACCESS_KEY)', PERMANENT),
    'InvalidClientTokenId': ('the access key is not known; check access_key (or VOLCENGINE_ACCESS_KEY)', PERMANENT),
    'SignatureDoesNotMatch': (
        'the signature did not verify; check that secret_key (or VOLCENGINE_SECRET_KEY) '
        'belongs to access_key, and session_token for temporary credentials',
        PERMANENT,
    ),
    'AccessDenied': (_POLICY_HINT, PERMANENT),
    'LackPolicy': (_POLICY_HINT, PERMANENT),
    'LackProjectPolicy': (
        'the credentials lack a Live policy in the project of the resource; grant the IAM user '
        'a policy for that project',
        PERMANENT,
    ),
    'MethodNotAllowed': (
        'the endpoint refused the HTTP method; check that endpoint is the Live OpenAPI and that '
        'no proxy rewrites requests',
        PERMANENT,
    ),
    'FailToConnect': ('the gateway could not reach the Live service', TRANSIENT),
    'UndefinedError': ('an unclassified gateway error', TRANSIENT),
    'ServiceUnavailableTemp': ('the service is temporarily unavailable', TRANSIENT),
    'FlowLimitExceeded': (_RATE_HINT, THROTTLE),
    'AccountFlowLimitExceeded': ('the account-wide request rate limit was exceeded', THROTTLE),
    # The client's own codes for answers that carry none.
    'Throttled': (_RATE_HINT, THROTTLE),
    'ConnectionError': (None, TRANSIENT),
    'Timeout': (None, TRANSIENT),
    # A garbled answer (a truncated body, a proxy's HTML page): safe to ask again for reads, and for writes
    # the caller looks the state up before deciding.
    'InvalidResponse': (None, TRANSIENT),
    'TLSError': (None, PERMANENT),
    # An answer larger than any the API gives (MAX_ANSWER_BYTES), or a request the HTTP stack refused to build.
    'AnswerTooLarge': (None, PERMANENT),
    'InvalidRequest': (None, PERMANENT),
}

TRANSIENT_HTTP_STATUS = frozenset((429, 500, 502, 503, 504))
DEFAULT_RETRIES = 8
DEFAULT_RETRY_MAX_DELAY = 20.0
RETRY_BASE_DELAY = 0.5

_TAG_RE = re.compile(r'<[^>]*>')
_SPACE_RE = re.compile(r'\s+')
SNIPPET_MAX = 200


def code_family(code):
    return (code or '').split('.', 1)[0]


def _known(code):
    """The ``(hint, class)`` of a code of the tables, or None."""
    return ERRORS.get(code) or ERRORS.get(code_family(code))


def error_hint(code):
    known = _known(code)
    return known[0] if known else None


def credential_hint(code, credentials_from, region):
    """The hint of a credential refusal that names where the credentials came from (``credentials_from``, such as
    "the environment variables VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY" or "profile main of <file>") and, for a
    signature refusal, a region other than Live's; None for any other code, or when nothing is known. Pure."""
    family = code_family(code)
    if family in ('InvalidAccessKey', 'InvalidClientTokenId') and credentials_from:
        return 'the access key is not known; check the access key of %s' % credentials_from
    if family != 'SignatureDoesNotMatch' or not (credentials_from or (region and region != DEFAULT_REGION)):
        return None
    where = 'the secret key of %s' % credentials_from if credentials_from else 'secret_key'
    hint = 'the signature did not verify; check that %s belongs to its access key (and session_token, for ' % where
    hint += 'temporary credentials)'
    if region and region != DEFAULT_REGION:
        hint += (
            ', and region: it is %s, while Volcengine Live signs with %s (a region the endpoint does not serve '
            'fails the signature)' % (region, DEFAULT_REGION)
        )
    return hint


def error_class(code, status=None):
    """PERMANENT, TRANSIENT or THROTTLE: from the tables for a known code, else from the HTTP status. Pure."""
    known = _known(code)
    if known:
        return known[1]
    if status == 429:
        return THROTTLE
    return TRANSIENT if status in TRANSIENT_HTTP_STATUS else PERMANENT


def is_transient(code, status=None):
    """Whether an error is worth retrying (the service may succeed next time)."""
    return error_class(code, status) != PERMANENT


class LiveApiError(Exception):
    """A call failed: the service answered with an error, or no usable answer came back.

    ``outcome_unknown`` is true when the request may have been carried out
    although no answer arrived (a read timeout or a dropped connection).
    ``after_write`` is set by a convergence when the error came after a write
    that may have taken effect: the task then reports a change.
    """

    def __init__(self, action, code, message, request_id=None, status=None, outcome_unknown=False):
        self.action = action
        self.code = code
        self.service_message = message
        self.request_id = request_id
        self.status = status
        self.outcome_unknown = outcome_unknown
        self.attempts = 1
        self.after_write = False
        # Where the credentials came from, and the region signed with: set by the client, for the hints.
        self.credentials_from = None
        self.region = None
        # CONNECT when the endpoint was not reached, ANSWER when a request got no answer (set by the client), else
        # None; ``endpoint`` is the host it was sent to, ``waited`` what the task spent on such failures in all.
        self.wait_kind = None
        self.endpoint = None
        self.waited = None
        super().__init__(action, code)

    def __str__(self):
        return self._compose()

    def after_attempts(self, attempts):
        """The same error, counting ``attempts`` attempts (a new error: the one caught is left as it was)."""
        error = LiveApiError(
            self.action,
            self.code,
            self.service_message,
            request_id=self.request_id,
            status=self.status,
            outcome_unknown=self.outcome_unknown,
        )
        error.attempts = attempts
        error.after_write = self.after_write
        error.wait_kind, error.endpoint, error.waited = self.wait_kind, self.endpoint, self.waited
        error.credentials_from, error.region = self.credentials_from, self.region
        return error

    @property
    def hint(self):
        return credential_hint(self.code, self.credentials_from, self.region) or error_hint(self.code)

    @property
    def transient(self):
        return is_transient(self.code, self.status)

    @property
    def throttled(self):
        return error_class(self.code, self.status) == THROTTLE

    def _compose(self):
        text = '%s failed' % self.action
        if self.attempts > 1:
            text += ' after %d attempts' % self.attempts
        text += ': %s' % self.code
        if self.service_message:
            text += ': %s' % self.service_message
        hint = self.hint
        if hint:
            text += ' (%s)' % hint
        details = []
        if self.status is not None:
            details.append('HTTP %s' % self.status)
        if self.request_id:
            details.append('RequestId: %s' % self.request_id)
        if details:
            text += ' [%s]' % ', '.join(details)
        if self.waited:
            text += '. %s' % self.waited
        return text

    def to_result(self):
        """Fields for a module's failure result (never anything secret)."""
        return {
            'error': {
                'action': self.action,
                'code': self.code,
                'message': self.service_message,
                'http_status': self.status,
                'attempts': self.attempts,
            },
            'request_id': self.request_id,
        }


def seconds_text(seconds):
    """``seconds`` as messages show them: a tenth of a second at most. Pure."""
    value = round(float(seconds), 1)
    return ('%d' % value) if value == int(value) else ('%s' % value)


class WaitBudget:
    """How long a task may spend on one kind of failed wait, across its retries, its requests and its threads.

    Spans of time are charged when they are over (``charge(start, end)``, in ``clock()`` seconds); what is spent is
    the length of their union, so the writers of parallel threads that wait at once for the same dead endpoint spend
    that time once. ``seconds`` None is no limit. Pure given ``clock``; safe to share between threads.
    """

    def __init__(self, seconds=None, clock=time.monotonic):
        self.seconds = math.inf if seconds is None else float(seconds)
        self.clock = clock
        self.spent = 0.0
        self._mark = -math.inf  # the end of the latest span charged
        self._lock = threading.Lock()

    @property
    def limited(self):
        return self.seconds != math.inf

    def charge(self, start, end):
        """Count the span from ``start`` to ``end``, less what of it is counted already."""
        with self._lock:
            begin = max(start, self._mark)
            if end > begin:
                self.spent += end - begin
                self._mark = end

    def left(self):
        return max(self.seconds - self.spent, 0.0)

    def exhausted(self):
        return self.left() < _NOTHING_LEFT


class RetryPolicy:
    """When to ask again, and how long to wait first: full-jitter exponential backoff, within two budgets.

    One policy is handed to the client (which retries what certainly did not happen) and to the convergence
    loop (which looks the state up again after a write whose outcome is open), and to every client of a task's
    threads: every decision to ask again is made here. ``unanswered_write_wait`` is the least wait after a write
    that got no answer at all: the service may still be carrying it out.

    ``connect_timeout`` bounds the whole time the task spends failing to reach the endpoint (the attempts that did
    not connect and the waits after them), ``answer_timeout`` the whole time it spends on requests that got no answer
    (the attempts, the waits after them, and the wait before a look after a write whose answer was lost); None is no
    limit. Each attempt waits to connect and for its answer at most what is left (:meth:`attempt_waits`), a wait
    charged to a budget takes at most half of what is left (the attempt after it keeps at least as much), and nothing
    is asked again once a budget the last failure draws on is spent. Throttling and answered errors draw on neither.
    """

    def __init__(
        self,
        retries=DEFAULT_RETRIES,
        max_delay=DEFAULT_RETRY_MAX_DELAY,
        unanswered_write_wait=0.0,
        rand=None,
        sleep=None,
        connect_timeout=None,
        answer_timeout=None,
        clock=None,
        timeout=None,
    ):
        self.retries = retries
        self.max_delay = max_delay
        self.unanswered_write_wait = unanswered_write_wait
        self.rand = rand or random.random
        self.sleep = sleep or time.sleep
        self.clock = clock or time.monotonic
        self.budgets = {
            CONNECT: WaitBudget(connect_timeout, self.clock),
            ANSWER: WaitBudget(answer_timeout, self.clock),
        }
        self.timeout = timeout  # each request's own wait, for messages

    def allows(self, attempt):
        """Whether attempt number ``attempt`` (1, 2, ...) may be followed by another."""
        return attempt <= self.retries

    def room(self, error):
        """Whether the budget that ``error`` drew on, if any, has time left."""
        return error.wait_kind is None or not self.budgets[error.wait_kind].exhausted()

    def used_up(self):
        """The kind (CONNECT, ANSWER) of a budget with nothing left, or None."""
        for kind, budget in self.budgets.items():
            if budget.exhausted():
                return kind
        return None

    def attempt_waits(self, timeout):
        """``(connect, answer)``: how long the next attempt may wait to connect and for its answer."""
        return min(timeout, self.budgets[CONNECT].left()), min(timeout, self.budgets[ANSWER].left())

    def charge(self, kind, start, end):
        """Count a failed wait of ``kind`` (CONNECT, ANSWER; None counts nowhere) from ``start`` to ``end``."""
        if kind is not None:
            self.budgets[kind].charge(start, end)

    def may_resend(self, error, attempt, write):
        """Whether the client may send the same request again after ``error`` on attempt ``attempt``.

        Reads are sent again on every transient error. A write is sent again only when it certainly was not
        carried out: it was throttled, or the connection failed before anything was sent. Any other transient
        failure of a write leaves its outcome open; the caller looks the state up again (:meth:`may_look_again`).
        Nothing is sent again once the budget ``error`` drew on is spent.
        """
        if not self.allows(attempt) or not error.transient or not self.room(error):
            return False
        if not write:
            return True
        return error.throttled or (error.code == 'ConnectionError' and not error.outcome_unknown)

    def may_look_again(self, error, attempt):
        """Whether a convergence may look the state up again, and plan anew, after a write failed with ``error``."""
        return error.transient and self.allows(attempt) and self.room(error)

    def may_look_for_create(self, attempt):
        """Whether a create whose answer was lost may be looked for once more, on attempt ``attempt``."""
        return self.allows(attempt) and not self.budgets[ANSWER].exhausted()

    def delay(self, attempt, paced=False):
        """The wait before retry number ``attempt`` (1, 2, ...). Pure given ``rand()``.

        ``paced``: the request was throttled and the client's pacer spaces the resend, which that answer has
        pushed out (and slowed down, unless it did so within the last second). The first retry then waits for the
        pacer's next slot only: a backoff on top of it would leave the slot, and the account's share of the limit,
        unused. Later retries back off as any other, so the retry budget is what it was.
        """
        if paced and attempt == 1:
            return 0.0
        return self.rand() * min(self.max_delay, RETRY_BASE_DELAY * 2 ** (attempt - 1))

    def wait(self, attempt, outcome_unknown=False, paced=False, kind=None):
        """Sleep before retry number ``attempt``: at least ``unanswered_write_wait`` after a write that got no
        answer at all; see :meth:`delay` for ``paced``. A wait after a failure of ``kind`` (CONNECT, ANSWER)
        counts against that budget and takes at most half of what is left of it."""
        delay = self.delay(attempt, paced=paced)
        if outcome_unknown:
            delay = max(delay, self.unanswered_write_wait)
        if kind is not None:
            delay = min(delay, self.budgets[kind].left() / 2)
        start = self.clock()
        self.sleep(delay)
        self.charge(kind, start, self.clock())

    def explain(self, error):
        """``error``, saying what its task spent on failures of its kind and which option limits that time."""
        kind = error.wait_kind
        budget = self.budgets.get(kind)
        if budget is None or not budget.limited:
            return error
        option, variable = _BUDGET_OPTIONS[kind]
        where = error.endpoint or 'the endpoint'
        spent = seconds_text(min(budget.spent, budget.seconds))
        if kind == CONNECT:
            what = 'Spent %s s in all failing to reach %s' % (spent, where)
        else:
            what = 'Waited %s s in all for answers from %s that did not come' % (spent, where)
        limit = '%s: at most %s s, or the environment variable %s' % (option, seconds_text(budget.seconds), variable)
        if kind == ANSWER and self.timeout is not None:
            limit += '; timeout: %s s for each request' % seconds_text(self.timeout)
        ran_out = '%s ran out. ' % option if budget.exhausted() else ''
        error.waited = '%s%s (%s)' % (ran_out, what, limit)
        return error


def body_snippet(text):
    """A short, tag-free excerpt of an unexpected response body for error messages."""
    text = _SPACE_RE.sub(' ', _TAG_RE.sub(' ', text or '')).strip()
    if len(text) > SNIPPET_MAX:
        text = text[:SNIPPET_MAX] + '...'
    return text


def timed_out(code, status):
    """Whether an answer says the service ran out of time: it may still carry the request out. Pure.

    A gateway timeout (HTTP 504) or a code of the ``*Timeout`` kind (``InternalServiceTimeout``) means the
    backend was not heard back from, not that it refused: a write may commit after the answer.
    """
    return status == 504 or (code or '').split('.', 1)[0].endswith('Timeout')


def may_have_acted(status):
    """Whether an answer that is not the API's (no envelope, or an HTTP error without a code) leaves open whether
    the request was carried out: a 2xx whose body is cut short or garbled, or a 5xx of a gateway or proxy that may
    have passed the request on. A 3xx or 4xx is a refusal before the service. Pure."""
    return 200 <= status < 300 or status >= 500


def parse_response(action, status, text):
    """Turn one HTTP answer into ``(result, request_id)`` or raise :class:`LiveApiError`.

    Pure: takes the status code and body text, so it is tested without HTTP.
    """
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        code = 'Throttled' if status == 429 else 'InvalidResponse'
        raise LiveApiError(
            action,
            code,
            'the endpoint answered with a body that is not a Volcengine API response: %r' % body_snippet(text),
            status=status,
            outcome_unknown=may_have_acted(status),
        )
    meta = data.get('ResponseMetadata')
    meta = meta if isinstance(meta, dict) else {}
    request_id = meta.get('RequestId') or None
    error = meta.get('Error')
    if isinstance(error, dict) and (error.get('Code') or error.get('Message')):
        code = str(error.get('Code') or ('Throttled' if status == 429 else 'UnknownError'))
        raise LiveApiError(
            action,
            code,
            error.get('Message') or None,
            request_id=request_id,
            status=status,
            outcome_unknown=timed_out(code, status),
        )
    if status == 429:
        raise LiveApiError(action, 'Throttled', None, request_id=request_id, status=status)
    if status >= 400:
        raise LiveApiError(
            action,
            'HTTPError',
            'the endpoint answered HTTP %d without an error code' % status,
            request_id=request_id,
            status=status,
            outcome_unknown=may_have_acted(status),
        )
    result = data.get('Result')
    return (result if isinstance(result, dict) else {}), request_id


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

    def __init__(
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
            def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
                parts = urlsplit(request.url)
                host = parts.hostname
                if (
                    timeout is not None
                    and not _is_ip_address(host)
                    and not requests.utils.select_proxy(request.url, proxies or {})
                ):
                    connect = timeout[0] if isinstance(timeout, tuple) else timeout
                    port = parts.port or (443 if parts.scheme == 'https' else 80)
                    resolve_within(host, port, connect)
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


def query_value(value):
    """A body field as a GET query carries it, as the official SDK's ``get(..., doseq=1)`` does: a number or a
    boolean as Python writes it (``True``), a list as one pair per item. Pure."""
    if isinstance(value, (list, tuple)):
        return [query_value(item) for item in value]
    return str(value)


def _whole(value):
    """An int other than a bool, or None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_last_page(page, size, count, pagination):
    """Whether a page of a paginated List answer is the last one. Pure.

    Trusts ``PageTotal``/``TotalCount`` when present and falls back on a short
    page, so a missing or inconsistent ``Pagination`` never loops forever.
    """
    if count < size:
        return True
    total_pages = _whole(pagination.get('PageTotal'))
    if total_pages is not None:
        return page >= total_pages
    total = _whole(pagination.get('TotalCount'))
    if total is not None:
        return page * size >= total
    return False


def invalid_answer(action, what, request_id=None):
    """The error of an answer that is not what ``action`` answers (``what``: how it is not)."""
    return LiveApiError(action, 'InvalidResponse', what, request_id=request_id, status=200)


def objects(value):
    """Whether ``value`` is a list of objects (JSON: a list of dicts)."""
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def list_page(result, action, what, request_id):
    """``(items, pagination)`` of one page of a List answer. Pure.

    ``List`` must be a list of objects (an absent one is empty) and ``Pagination`` an object (an absent one is
    empty, and :func:`is_last_page` then goes by the page's length); anything else fails as ``InvalidResponse``,
    ``what`` saying what the list should have been.
    """
    items = result.get('List') or []
    pagination = result.get('Pagination') or {}
    if not objects(items):
        raise invalid_answer(action, 'the answer is not a list of %s' % what, request_id)
    if not isinstance(pagination, dict):
        raise invalid_answer(action, "the answer's Pagination is not an object", request_id)
    return items, pagination


# More pages than this in one List (500 relay sources a page: half a million) is a service answering wrongly.
MAX_PAGES = 1000


def every_page(fetch_page, size, action, max_pages=MAX_PAGES):
    """Every item of a paginated List, page after page: ``fetch_page(page)`` answers one page (1, 2, ...) as
    ``(items, pagination)``, where ``pagination`` holds ``PageTotal`` and/or ``TotalCount`` as far as the answer
    says. Stops as :func:`is_last_page` says. A generator: no request is sent before the first item is asked for.

    A List of ``action`` that is still not over after ``max_pages`` pages is not what the service answers: it
    fails as ``InvalidResponse`` rather than read for ever.
    """
    page = 1
    while True:
        items, pagination = fetch_page(page)
        yield from items
        if is_last_page(page, size, len(items), pagination):
            return
        if page >= max_pages:
            raise invalid_answer(action, 'the list did not end after %d pages of %d' % (max_pages, size))
        page += 1


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
