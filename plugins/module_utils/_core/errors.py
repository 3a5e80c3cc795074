# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The Live API's errors: every documented code with what it means and its class, the exception a failed
call raises, and how an answer maps to a result or to that exception. Pure: no I/O.
"""

from __future__ import annotations

import json
import re

# The region Volcengine Live signs with: the client's default, and what a signature hint compares a region with.
DEFAULT_REGION = 'cn-north-1'

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

    def __init__(  # noqa: PLR0913 - the fields of an API error, each in the task's result
        self,
        action,
        code,
        message,
        request_id=None,
        status=None,
        outcome_unknown=False,
    ):
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
