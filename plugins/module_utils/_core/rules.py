# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The rules every Live resource shares: names, domains, times and time windows.

Pure functions: no I/O, no Ansible imports, so they run (and are tested) anywhere. A violation raises
:class:`ValidationError` naming the option and the rule. The rules of one resource are in the
``_<resource>/rules.py`` file named after it.
"""

from __future__ import annotations

import datetime
import ipaddress
import math
import re
from urllib.parse import urlsplit

# Live's App names, whatever the resource: 1-30 letters, digits, "_", "-" and "."; Stream names 1-100 of them.
APP_MAX = 30
STREAM_MAX = 100
MAX_SPAN_SECONDS = 7 * 24 * 3600
# Unix seconds accepted for times. From 2000-01-01T00:00:00Z: anything earlier is a mistake.
# Up to 2038-01-19T03:14:07Z: the official SDKs carry Live's times as 32-bit integers (Go int32, Java
# Integer), so no later time can be sent; larger values are most often milliseconds where seconds were meant.
EPOCH_MIN = 946684800
EPOCH_MAX = 2147483647
EPOCH_MIN_TEXT = '2000-01-01T00:00:00Z'
EPOCH_MAX_TEXT = '2038-01-19T03:14:07Z'
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
# The times of a window, and the suffix of the key beside each time of a result that gives it as a person reads it.
WINDOW_KEYS = ('start_time', 'end_time')
READABLE_SUFFIX = '_iso'

_NAME_RE = re.compile(r'[A-Za-z0-9_.\-]+')
# Every pattern is matched whole with fullmatch(): "$" would also match before a trailing newline. Digits are
# ASCII digits ([0-9], never \d, which takes every script's digits).
_LABEL_RE = re.compile(r'[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?')
_INT_RE = re.compile(r'[+]?[0-9]{1,19}')
_ISO_RE = re.compile(
    r'([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,32}))?)?'
    r'(Z|[+\-][0-9]{2}(?::?[0-9]{2})?)',
    re.IGNORECASE,
)
_ISO_NO_OFFSET_RE = re.compile(r'[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,32})?)?')
# A label of an origin's host name: letters, digits, "-" (not first or last) and "_" (names in DNS may hold it).
_HOST_LABEL_RE = re.compile(r'[A-Za-z0-9_]([A-Za-z0-9_\-]{0,61}[A-Za-z0-9_])?')
HOST_NAME_MAX = 253
# The largest whole number an int32 field of the wire carries (times, counts).
INT32_MAX = 2**31 - 1


class ValidationError(ValueError):
    """A parameter breaks a documented rule; ``option`` names it."""

    def __init__(self, option, message):
        super().__init__('%s: %s' % (option, message))
        self.option = option


def require_str(option, value):
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValidationError(option, 'must be a string, got %s' % type(value).__name__)
    return value


def require_printable(option, value):
    """``value`` (a string) when it holds no control character: none is valid in any field of the API."""
    if not value.isprintable():
        raise ValidationError(option, 'must not contain control characters, got %s' % shown(value))
    return value


def validate_text(option, value, max_len, pattern, allowed):
    """1 to ``max_len`` characters, each of which ``pattern`` matches (``allowed`` names them in the message)."""
    value = require_str(option, value)
    if not value:
        raise ValidationError(option, 'must not be empty')
    if len(value) > max_len:
        raise ValidationError(option, 'must be at most %d characters, got %d' % (max_len, len(value)))
    if not pattern.fullmatch(value):
        bad = sorted({ch for ch in value if not pattern.fullmatch(ch)})
        raise ValidationError(option, 'may contain only %s; found %s' % (allowed, ', '.join(repr(ch) for ch in bad)))
    return value


def validate_name(option, value, max_len):
    """App (1-30) and Stream (1-100): letters, digits, ``_``, ``-`` and ``.``."""
    return validate_text(option, value, max_len, _NAME_RE, 'letters, digits, "_", "-" and "."')


def validate_url(  # noqa: PLR0913 - one URL rule for every resource, the resource's parts passed in
    value,
    option,
    schemes,
    kinds,
    example,
    max_len=None,
    in_list=False,
):
    """A URL of one of ``schemes`` (named ``kinds`` in messages), with a host and an optional valid port.

    ``in_list``: the value is one entry of the list option ``option``, and the messages say so.
    """
    value = require_str(option, value)
    if not value.strip():
        raise ValidationError(option, 'must not contain empty entries' if in_list else 'must not be empty')
    if value != value.strip() or any(ch.isspace() for ch in value):
        what = 'entries must not contain' if in_list else 'must not contain'
        raise ValidationError(option, '%s white space: %r' % (what, value))
    if max_len is not None and len(value) > max_len:
        raise ValidationError(option, 'must be at most %d characters, got %d' % (max_len, len(value)))
    if '://' not in value:
        raise ValidationError(
            option,
            '%r has no scheme; use one of %s, for example "%s"'
            % (value, ', '.join('%s://' % s for s in schemes), example),
        )
    try:
        parts = urlsplit(value)
        if parts.hostname:
            _ascii_netloc(option, value, parts)  # before the port is parsed: int() takes every script's digits
        port = parts.port
    except ValidationError:
        raise
    except ValueError as exc:
        raise ValidationError(option, '%r is not a valid URL (%s)' % (value, exc)) from exc
    if parts.scheme.lower() not in schemes:
        raise ValidationError(
            option,
            '%r uses the unsupported scheme "%s"; supported: %s (%s)'
            % (value, parts.scheme, ', '.join(schemes), kinds),
        )
    if not parts.hostname:
        raise ValidationError(option, '%r has no host' % value)
    if port is not None and port == 0:
        raise ValidationError(option, '%r has port 0; use a port from 1 to 65535' % value)
    return value


def _ascii_netloc(option, value, parts):
    """The host and port of a URL are ASCII: a host in its IDNA (punycode) form, digits 0-9."""
    if not value.isprintable():
        raise ValidationError(option, '%s must not contain control characters' % shown(value))
    host = parts.hostname
    if parts.netloc.isascii():
        if not is_host(host):
            raise ValidationError(option, '%s: %s' % (shown(value), HOST_RULE))
        return
    if host.isascii():
        raise ValidationError(option, '%s: the port must be written with the digits 0-9' % shown(value))
    try:
        suggestion = '; write it as %s' % host.encode('idna').decode('ascii')
    except UnicodeError:
        suggestion = ''
    raise ValidationError(
        option,
        '%s: the host must be ASCII, an internationalised name in its IDNA (punycode) form%s'
        % (shown(value), suggestion),
    )


def is_ip_address(host):
    """Whether ``host`` is an IPv4 or IPv6 address (without brackets) an origin can have. Pure."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return '%' not in host  # a zone index ("fe80::1%eth0") is this machine's, never a Live origin's


def is_host_name(host):
    """Whether ``host`` is a host name: dot-separated labels of 1 to 63 letters, digits, "-" (not first or last)
    and "_", 253 characters in all, an optional final dot, the last label not all digits (a mistyped IPv4
    address). Pure."""
    name = host[:-1] if host.endswith('.') else host
    labels = name.split('.')
    return (
        0 < len(name) <= HOST_NAME_MAX
        and all(_HOST_LABEL_RE.fullmatch(label) for label in labels)
        and not labels[-1].isdigit()
    )


def is_host(host):
    """Whether ``host`` is what an origin's host can be: a host name or an IP address. Pure."""
    return is_ip_address(host) or is_host_name(host)


HOST_RULE = (
    'the host must be a host name (labels of letters, digits, "-" and "_", at most 63 characters each and 253 in '
    'all) or an IP address'
)


def shown(value, limit=80):
    """``value`` as a message quotes it: its repr, cut after ``limit`` characters (a whole number of more than
    20 digits is not written out: Python refuses to turn one of over 4300 into text)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**20:
        return 'a number of more than 20 digits'
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + '...'


def validate_domain(value, option='domain'):
    """A DNS host name with at least two labels; returned lower-cased."""
    value = require_str(option, value).strip()
    if not value:
        raise ValidationError(option, 'must not be empty')
    host = value.lower()
    if host.endswith('.'):
        host = host[:-1]
    if len(host) > 253:
        raise ValidationError(option, 'must be a host name of at most 253 characters')
    labels = host.split('.')
    if len(labels) < 2 or not all(_LABEL_RE.fullmatch(label) for label in labels):
        raise ValidationError(
            option,
            'must be a valid domain name such as "pull.example.com" '
            '(labels of letters, digits and "-", separated by dots), got %r' % value,
        )
    if labels[-1].isdigit():
        raise ValidationError(option, 'must be a domain name, not an IP address: %r' % value)
    return host


_SPACE_NAME_RE = re.compile(r'[A-Za-z0-9][A-Za-z0-9_\-]{0,63}')


def validate_vhost(value, option='vhost'):
    """A domain space (Vhost) as the domain APIs name it: a domain name (returned lower-cased, as
    :func:`validate_domain`), or a name of up to 64 letters, digits, "_" and "-" (returned as given)."""
    value = require_str(option, value).strip()
    if '.' in value or not value:
        return validate_domain(value, option=option)
    if not _SPACE_NAME_RE.fullmatch(value):
        raise ValidationError(
            option,
            'must be a domain space as DescribeDomain names it: a domain name such as "pull.example.com", or a name '
            'of up to 64 letters, digits, "_" and "-", got %s' % shown(value),
        )
    return value


def parse_time(value, option):
    """Unix seconds from an int, a string of digits or an ISO 8601 timestamp with an offset.

    ``None`` and ``''`` mean "not set" and return ``None``.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError(option, 'must be Unix seconds or an ISO 8601 timestamp, got a boolean')
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise ValidationError(option, 'must be whole Unix seconds, got %r' % value)
        value = int(value)
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text.lstrip('+').isdigit() and text.isascii() and not _INT_RE.fullmatch(text):
            raise ValidationError(option, 'must be Unix seconds up to %d, got %d digits' % (EPOCH_MAX, len(text)))
        seconds = int(text) if _INT_RE.fullmatch(text) else _parse_iso8601(text, option)
    else:
        raise ValidationError(option, 'must be Unix seconds or an ISO 8601 timestamp, got %s' % type(value).__name__)
    return _in_epoch_range(seconds, option)


def _in_epoch_range(seconds, option):
    """``seconds`` when the API can carry it; a message that never prints a number too long to read."""
    if seconds < EPOCH_MIN:
        raise ValidationError(
            option, 'must be %s (Unix seconds %d) or later, got %s' % (EPOCH_MIN_TEXT, EPOCH_MIN, shown(seconds))
        )
    if seconds > EPOCH_MAX:
        hint = ' (it looks like milliseconds; use seconds)' if 10**11 < seconds < 10**14 else ''
        raise ValidationError(
            option,
            'must be %s (Unix seconds %d) or earlier, the latest time the API carries '
            '(a 32-bit integer), got %s%s' % (EPOCH_MAX_TEXT, EPOCH_MAX, shown(seconds), hint),
        )
    return seconds


def _parse_iso8601(text, option):
    match = _ISO_RE.fullmatch(text)
    if not match:
        if _ISO_NO_OFFSET_RE.fullmatch(text):
            raise ValidationError(
                option, '%r has no UTC offset; add one, for example "%s+08:00" or "%sZ"' % (text, text, text)
            )
        raise ValidationError(
            option,
            'must be Unix seconds or an ISO 8601 timestamp with an offset '
            '(for example "2026-12-01T20:00:00+08:00"), got %s' % shown(text),
        )
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    if fraction and fraction.strip('0'):
        raise ValidationError(option, 'must be whole seconds, got %r' % text)
    if offset.upper() == 'Z':
        tz_delta = datetime.timedelta(0)
    else:
        sign = -1 if offset[0] == '-' else 1
        digits = offset[1:].replace(':', '')
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 23 or minutes > 59:
            raise ValidationError(option, '%r has an invalid UTC offset' % text)
        tz_delta = sign * datetime.timedelta(hours=hours, minutes=minutes)
    try:
        moment = datetime.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            tzinfo=datetime.timezone(tz_delta),
        )
    except ValueError as exc:
        raise ValidationError(option, '%r is not a valid date and time (%s)' % (text, exc)) from exc
    return int((moment - _EPOCH).total_seconds())


def validate_window(start_time, end_time, offset=None):
    """Both or neither; end after start; at most 7 days apart. Returns the pair. ``offset``: the one the task
    wrote its times in (:func:`play_offset`), for the messages."""
    if (start_time is None) != (end_time is None):
        missing = 'end_time' if end_time is None else 'start_time'
        raise ValidationError(
            missing, 'start_time and end_time must be given together (leave both out for a permanent relay)'
        )
    if start_time is None:
        return None, None
    if end_time <= start_time:
        raise ValidationError(
            'end_time',
            'must be later than start_time: it is %s, and start_time is %s'
            % (moment_text(end_time, offset), moment_text(start_time, offset)),
        )
    if end_time - start_time > MAX_SPAN_SECONDS:
        raise ValidationError(
            'end_time',
            'must be at most 7 days (%d seconds) after start_time, got %d seconds (%s to %s)'
            % (
                MAX_SPAN_SECONDS,
                end_time - start_time,
                readable_time(start_time, offset),
                readable_time(end_time, offset),
            ),
        )
    return start_time, end_time


def stated_offset(value):
    """The UTC offset, in seconds east of UTC, that the ISO 8601 time ``value`` states; None for Unix seconds (or
    no time, or text :func:`parse_time` refuses). Pure: messages show a time in the offset the play wrote it in."""
    if not isinstance(value, str):
        return None
    match = _ISO_RE.fullmatch(value.strip())
    if not match:
        return None
    offset = match.group(8)
    if offset.upper() == 'Z':
        return 0
    digits = offset[1:].replace(':', '')
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        return None
    return (-1 if offset[0] == '-' else 1) * (hours * 3600 + minutes * 60)


def readable_time(seconds, offset=None):
    """Unix ``seconds`` as a person reads them: ISO 8601 in ``offset`` (seconds east of UTC; None: UTC), such as
    ``2027-06-30T20:00:00+08:00``; None for no time (a permanent relay) or a value no calendar holds. Pure."""
    if seconds is None or isinstance(seconds, bool) or not isinstance(seconds, int):
        return None
    zone = datetime.timezone(datetime.timedelta(seconds=offset or 0))
    try:
        return (_EPOCH + datetime.timedelta(seconds=seconds)).astimezone(zone).isoformat()
    except OverflowError:
        return None


def moment_text(seconds, offset=None):
    """``seconds`` as a message shows them: ISO 8601 in ``offset`` (seconds east of UTC; None: UTC), then the Unix
    seconds, for example ``2025-12-24T22:30:00+08:00 (Unix 1766586600)``. Pure."""
    return '%s (Unix %d)' % (readable_time(int(seconds), offset), int(seconds))


def play_offset(params, keys=WINDOW_KEYS):
    """The UTC offset a task wrote its window in: that of ``end_time``, else of ``start_time`` (seconds east of
    UTC); None when it gave Unix seconds or no time. Results and messages show times in it. Pure."""
    for key in reversed(keys):
        offset = stated_offset(params.get(key)) if isinstance(params, dict) else None
        if offset is not None:
            return offset
    return None


def with_readable_times(item, offset=None, keys=WINDOW_KEYS):
    """A copy of the result ``item`` with, right after each time of ``keys`` it has, the same time as a person
    reads it (``start_time_iso``: ISO 8601 in ``offset``, None: UTC). The Unix seconds stay, so a play can still
    compare and add them, and what a module returns can be fed back (see :func:`readable_copy_problems`). Pure."""
    if not isinstance(item, dict):
        return item
    shown_item = {}
    for key, value in item.items():
        shown_item[key] = value
        if key in keys:
            shown_item[key + READABLE_SUFFIX] = readable_time(value, offset)
    return shown_item


def readable_copy_problems(params, times, keys=WINDOW_KEYS):
    """The problems of the readable copies of times (``start_time_iso``...) that a task gives back, as a list of
    :class:`ValidationError`. Results carry them beside the Unix seconds, and modules accept them so that what a
    module returns can be fed back as it is; a copy must then name the moment its time names (``times``: the
    parsed times by key, None where not given). Pure."""
    problems = []
    for key in keys:
        name = key + READABLE_SUFFIX
        value = params.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            copy = parse_time(value, name)
        except ValidationError as exc:
            problems.append(exc)
            continue
        if times.get(key) is None:
            problems.append(
                ValidationError(
                    name,
                    'is the readable copy of %s that results carry beside it, and %s is not given; set the window '
                    'with %s (it takes ISO 8601 too)' % (key, key, key),
                )
            )
        elif copy != times[key]:
            problems.append(
                ValidationError(
                    name,
                    'names %s, but %s names %s; results carry one time in both, so give %s alone'
                    % (moment_text(copy), key, moment_text(times[key]), key),
                )
            )
    return problems


def window_over(end_time, now):
    """Whether a window that ends at ``end_time`` (Unix seconds; None: no window, a permanent resource) is over at
    ``now``: the rule of every resource with a window (a fixed relay, a pull-to-push task). Pure."""
    return end_time is not None and end_time <= now


def past_window_error(end_time, now, offset=None, subject='it'):
    """The refusal of a create or an update of ``subject`` (``a fixed relay``, ``a pull-to-push task``) whose window
    ended at ``end_time``, before ``now``: nothing can be scheduled in the past. ``offset``: the one the play wrote
    ``end_time`` in (:func:`stated_offset`). Only a resource found with exactly that window is no change (a rerun
    after the window); the callers plan so. Pure."""
    return ValidationError(
        'end_time',
        'is in the past: the window ended at %s, and it is now %s. %s cannot be created or changed to end before '
        'now, and none was found with exactly this window (a rerun after the window that finds it so changes '
        'nothing); to remove it, use state=absent' % (moment_text(end_time, offset), moment_text(now, offset), subject),
    )
