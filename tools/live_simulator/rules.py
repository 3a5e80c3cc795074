# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The RelaySourceV4 request rules as the service applies them.

Written apart from the collection's own validation on purpose: the simulator
is the collection's peer in tests, so a rule misread in one place shows up as
a disagreement instead of being copied into both.
"""

from __future__ import annotations

import re

NAME_RE = re.compile(r'[A-Za-z0-9_.\-]+')
SCHEMES = ('rtmp://', 'http://', 'https://', 'srt://')
MAX_SRC_ADDRS = 10
MAX_SPAN = 7 * 86400
MAX_PAGE_SIZE = 500
# The SDKs' typed bodies carry StartTime/EndTime as 32-bit integers (Go int32, Java Integer): a larger number
# cannot be bound to the request type.
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
DEFAULT_PAGE_SIZE = 20


class ApiError(Exception):
    """An error answer: HTTP status, documented code, message."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def invalid(message, code='InvalidParam'):
    return ApiError(400, code, message)


def bind_error(message):
    return ApiError(400, 'InvalidParam.BindError', 'Request parameter error, please check input data: ' + message)


def _string(body, key, required=True):
    if key not in body or body[key] is None:
        if required:
            raise invalid('%s is required' % key)
        return None
    value = body[key]
    if not isinstance(value, str):
        raise bind_error('%s must be a string' % key)
    return value


def _time(body, key):
    """StartTime/EndTime: an integer, or a string of digits as in the API page's own example."""
    value = body.get(key)
    if value is None or value in ('', 0):
        return None
    if isinstance(value, bool):
        raise bind_error('%s must be an integer' % key)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int):
        raise bind_error('%s must be an integer' % key)
    if not INT32_MIN <= value <= INT32_MAX:
        raise bind_error('cannot unmarshal number %d into field %s of type int32' % (value, key))
    return value


def check_domain(body):
    domain = _string(body, 'Domain')
    if not domain:
        raise invalid('Domain is required')
    return domain


def check_key(body):
    """Domain, App and Stream of a configuration."""
    domain = check_domain(body)
    app = _string(body, 'App')
    if not (1 <= len(app) <= 30) or not NAME_RE.fullmatch(app):
        raise invalid('App must be 1 to 30 letters, digits, "_", "-" or "."')
    stream = _string(body, 'Stream')
    if not (1 <= len(stream) <= 100) or not NAME_RE.fullmatch(stream):
        raise invalid('Stream must be 1 to 100 letters, digits, "_", "-" or "."')
    return domain, app, stream


def check_config(body):
    """The whole body of CreateRelaySourceV4 / UpdateRelaySourceV4; returns the stored form."""
    if not isinstance(body, dict):
        raise bind_error('the body must be a JSON object')
    domain, app, stream = check_key(body)
    addrs = body.get('SrcAddrS')
    if addrs is None:
        raise invalid('SrcAddrS is required')
    if not isinstance(addrs, list) or not all(isinstance(a, str) for a in addrs):
        raise bind_error('SrcAddrS must be an array of strings')
    if not addrs:
        raise invalid('SrcAddrS must not be empty')
    if len(addrs) > MAX_SRC_ADDRS:
        raise invalid('SrcAddrS accepts at most %d addresses' % MAX_SRC_ADDRS)
    for addr in addrs:
        lower = addr.lower()
        scheme = next((s for s in SCHEMES if lower.startswith(s)), None)
        if scheme is None or len(addr) == len(scheme) or addr[len(scheme)] in '/:?#':
            raise invalid('SrcAddrS entry %r is not an RTMP, FLV, HLS or SRT address' % addr)
    start, end = _time(body, 'StartTime'), _time(body, 'EndTime')
    if (start is None) != (end is None):
        raise invalid('StartTime and EndTime must be given together')
    if start is not None:
        if end <= start:
            raise invalid('EndTime must be later than StartTime')
        if end - start > MAX_SPAN:
            raise invalid('the span between StartTime and EndTime must be at most 7 days', 'InvalidParam.OutOfRange')
    config = {'Domain': domain, 'App': app, 'Stream': stream, 'SrcAddrS': list(addrs)}
    if start is not None:
        config['StartTime'] = start
        config['EndTime'] = end
    return config


def check_page(body):
    """Page (default 1) and Size (default 20, at most 500) of ListRelaySourceV4."""
    page, size = body.get('Page', 1), body.get('Size', DEFAULT_PAGE_SIZE)
    for key, value in (('Page', page), ('Size', size)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise bind_error('%s must be an integer' % key)
    if page < 1:
        raise invalid('Page must be at least 1', 'InvalidParam.OutOfRange')
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise invalid('Size must be from 1 to %d' % MAX_PAGE_SIZE, 'InvalidParam.OutOfRange')
    return page, size
