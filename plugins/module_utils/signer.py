# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Volcengine OpenAPI request signing (HMAC-SHA256, "SignerV4").

Pure functions only: no I/O, no clock unless the caller leaves ``now`` out.
The result is byte for byte what the official SDK's ``SignerV4`` computes
for the same request, which the unit tests check against the SDK itself.

Public API of this collection, for any Volcengine OpenAPI (not only Live): ``sign()`` and
``canonical_query()`` keep their signatures within a major version. The other module_utils of the
collection, whose names start with ``_``, are private.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from urllib.parse import quote

ALGORITHM = 'HMAC-SHA256'
# Headers signed besides every "X-*" header (compared case-insensitively).
_SIGNED_NAMES = frozenset(('content-type', 'content-md5', 'host'))
_UNRESERVED = '-_.~'


def _to_bytes(value):
    if isinstance(value, bytes):
        return value
    if value is None:
        return b''
    return str(value).encode('utf-8')


def sha256_hex(data):
    """Hex SHA-256 of ``data`` (str is encoded as UTF-8)."""
    return hashlib.sha256(_to_bytes(data)).hexdigest()


def _hmac(key, msg):
    return hmac.new(key, _to_bytes(msg), hashlib.sha256).digest()


def format_x_date(now):
    """``X-Date`` value for an aware or naive-UTC datetime: ``YYYYMMDD'T'HHMMSS'Z'``."""
    if now.tzinfo is not None:
        now = now.astimezone(datetime.timezone.utc)
    return now.strftime('%Y%m%dT%H%M%SZ')


def uri_encode(value):
    """RFC 3986 percent-encoding of a query key or value (space is ``%20``)."""
    return quote(_to_bytes(value), safe=_UNRESERVED)


def canonical_path(path):
    """Canonical URI path: percent-encoded, ``/`` kept, ``/`` when empty."""
    return quote(_to_bytes(path or '/'), safe='/')


def canonical_query(query):
    """Canonical query string: keys sorted, keys and values RFC 3986 encoded.

    ``query`` maps a key to a string or to a list of strings (one pair each,
    in the order given).
    """
    pairs = []
    for key in sorted(query or {}):
        values = query[key]
        if not isinstance(values, (list, tuple)):
            values = [values]
        for value in values:
            pairs.append('%s=%s' % (uri_encode(key), uri_encode(value)))
    return '&'.join(pairs)


def _host_value(value):
    host, sep, port = value.partition(':')
    if sep and port in ('80', '443'):
        return host
    return value


def canonical_headers(headers):
    """Return ``(canonical_headers_block, signed_header_names)`` for ``headers``.

    Signed are Content-Type, Content-Md5, Host and every ``X-*`` header,
    lower-cased and sorted; a Host port of 80 or 443 is dropped.
    """
    signed = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower in _SIGNED_NAMES or lower.startswith('x-'):
            text = str(value)
            signed[lower] = _host_value(text) if lower == 'host' else text
    names = sorted(signed)
    block = ''.join('%s:%s\n' % (name, signed[name]) for name in names)
    return block, ';'.join(names)


def canonical_request(method, path, query, headers, body_hash):
    """Return ``(canonical_request, signed_header_names)``."""
    block, signed_names = canonical_headers(headers)
    text = '\n'.join((method.upper(), canonical_path(path), canonical_query(query), block, signed_names, body_hash))
    return text, signed_names


def credential_scope(date, region, service):
    """``YYYYMMDD/region/service/request``."""
    return '/'.join((date, region, service, 'request'))


def signing_key(secret_key, date, region, service):
    """HMAC chain: secret -> date -> region -> service -> "request"."""
    key = _hmac(_to_bytes(secret_key), date)
    key = _hmac(key, region)
    key = _hmac(key, service)
    return _hmac(key, 'request')


def string_to_sign(x_date, scope, canonical):
    return '\n'.join((ALGORITHM, x_date, scope, sha256_hex(canonical)))


def sign(  # noqa: PLR0913 - the signature's inputs, one argument each, as the SDK takes them
    method, host, path, query, headers, body, access_key, secret_key, region, service, session_token=None, now=None
):
    """Sign one request and return the headers to send with it.

    ``headers`` are the request's own headers (for example Content-Type); they
    are not modified. The returned dict holds them plus ``Host``, ``X-Date``,
    ``X-Content-Sha256``, ``X-Security-Token`` (when a session token is given)
    and ``Authorization``.
    """
    if now is None:
        now = datetime.datetime.now(datetime.timezone.utc)
    x_date = format_x_date(now)
    body_hash = sha256_hex(body)

    out = dict(headers or {})
    out['Host'] = host
    out['X-Date'] = x_date
    out['X-Content-Sha256'] = body_hash
    if session_token:
        out['X-Security-Token'] = session_token

    canonical, signed_names = canonical_request(method, path, query, out, body_hash)
    scope = credential_scope(x_date[:8], region, service)
    signature = hmac.new(
        signing_key(secret_key, x_date[:8], region, service),
        _to_bytes(string_to_sign(x_date, scope, canonical)),
        hashlib.sha256,
    ).hexdigest()
    out['Authorization'] = '%s Credential=%s/%s, SignedHeaders=%s, Signature=%s' % (
        ALGORITHM,
        access_key,
        scope,
        signed_names,
        signature,
    )
    return out
