# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every documented RelaySourceV4 rule, good and bad."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.volcengine.live.plugins.module_utils._core.rules import (
    EPOCH_MAX,
    EPOCH_MIN,
    MAX_SPAN_SECONDS,
    ValidationError,
    moment_text,
    parse_time,
    past_window_error,
    play_offset,
    readable_copy_problems,
    readable_time,
    stated_offset,
    validate_domain,
    validate_name,
    validate_text,
    validate_url,
    validate_vhost,
    validate_window,
    window_over,
    with_readable_times,
)
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.api import to_api_body
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.rules import (
    normalize_relay_source,
    normalize_relay_source_list,
    validate_src_addr,
    validate_src_addrs,
)


def params(**overrides):
    base = dict(
        domain='pull.example.com',
        app='live',
        stream='stream-1',
        src_addrs=['rtmp://origin.example.com/live/stream-1'],
        start_time=None,
        end_time=None,
    )
    base.update(overrides)
    return base


def assert_fails(option, func, *args, match=None):
    with pytest.raises(ValidationError) as info:
        func(*args)
    assert info.value.option == option
    assert str(info.value).startswith(option + ': ')
    if match:
        assert match in str(info.value)
    return info.value


# --- App and Stream -------------------------------------------------------


@pytest.mark.parametrize('value', ['a', 'live', 'A-b_c.d', '0', 'x' * 30, '...', '-_-'])
def test_app_accepts(value):
    assert validate_name('app', value, 30) == value


@pytest.mark.parametrize(
    'value, match',
    [
        ('', 'must not be empty'),
        ('x' * 31, 'at most 30 characters, got 31'),
        ('live/app', "'/'"),
        ('live app', "' '"),
        ('直播', "'直'"),
        ('a:b', "':'"),
        ('a\nb', "'\\n'"),
    ],
)
def test_app_rejects(value, match):
    assert_fails('app', validate_name, 'app', value, 30, match=match)


@pytest.mark.parametrize('value', [None, 1, 1.5, True, ['live'], {'a': 1}])
def test_app_rejects_non_strings(value):
    assert_fails('app', validate_name, 'app', value, 30, match='must be a string')


def test_stream_length_limit_is_100():
    assert validate_name('stream', 's' * 100, 100) == 's' * 100
    assert_fails('stream', validate_name, 'stream', 's' * 101, 100, match='at most 100 characters, got 101')


# --- domain ----------------------------------------------------------------


@pytest.mark.parametrize(
    'value, expected',
    [
        ('pull.example.com', 'pull.example.com'),
        ('Pull.Example.COM', 'pull.example.com'),
        ('pull.example.com.', 'pull.example.com'),
        ('a-b.c-d.example.cn', 'a-b.c-d.example.cn'),
        ('xn--fiq228c.com', 'xn--fiq228c.com'),
        ('1live.example.com', '1live.example.com'),
        (' pull.example.com ', 'pull.example.com'),
    ],
)
def test_domain_accepts(value, expected):
    assert validate_domain(value) == expected


@pytest.mark.parametrize(
    'value, match',
    [
        ('', 'must not be empty'),
        ('   ', 'must not be empty'),
        ('localhost', 'valid domain name'),
        ('-bad.example.com', 'valid domain name'),
        ('bad-.example.com', 'valid domain name'),
        ('a..example.com', 'valid domain name'),
        ('pull_1.example.com', 'valid domain name'),
        ('http://pull.example.com', 'valid domain name'),
        ('pull.example.com/live', 'valid domain name'),
        ('pull.example.com:80', 'valid domain name'),
        ('直播.example.com', 'valid domain name'),
        ('192.168.1.10', 'not an IP address'),
        ('a' * 64 + '.example.com', 'valid domain name'),
        ('.'.join(['a' * 60] * 5), 'at most 253'),
    ],
)
def test_domain_rejects(value, match):
    assert_fails('domain', validate_domain, value, match=match)


def test_domain_rejects_non_strings():
    assert_fails('domain', validate_domain, 42, match='must be a string')


# --- src_addrs ---------------------------------------------------------------


@pytest.mark.parametrize(
    'value',
    [
        'rtmp://live.example.com',
        'rtmp://live.example.com/live/stream',
        'rtmp://live.example.com:1936/live/stream',
        'RTMP://LIVE.example.com/live/s',
        'http://origin.example.com/live/s.flv',
        'https://origin.example.com/live/s.flv?auth=abc&t=1',
        'https://origin.example.com/live/s/index.m3u8',
        'srt://origin.example.com:9000?streamid=#!::r=live/s,m=request',
        'rtmp://10.0.0.1:1935/live/s',
        'rtmp://[2001:db8::1]:1935/live/s',
    ],
)
def test_src_addr_accepts(value):
    assert validate_src_addr(value) == value


@pytest.mark.parametrize(
    'value, match',
    [
        ('', 'must not contain empty entries'),
        ('  ', 'must not contain empty entries'),
        ('live.example.com', 'has no scheme'),
        ('live.example.com:1935', 'has no scheme'),
        ('ftp://live.example.com/a', 'unsupported scheme "ftp"'),
        ('rtsp://live.example.com/a', 'unsupported scheme "rtsp"'),
        ('webrtc://live.example.com/a', 'unsupported scheme'),
        ('rtmp:///live/stream', 'has no host'),
        ('rtmp://:1935/live', 'has no host'),
        ('rtmp://live.example.com:99999/live', 'not a valid URL'),
        ('rtmp://live.example.com:abc/live', 'not a valid URL'),
        ('rtmp://live.example.com:0/live', 'port 0'),
        (' rtmp://live.example.com/live', 'white space'),
        ('rtmp://live.example.com/live stream', 'white space'),
        ('rtmp://[::1/live', 'not a valid URL'),
    ],
)
def test_src_addr_rejects(value, match):
    assert_fails('src_addrs', validate_src_addr, value, match=match)


def test_src_addrs_keeps_order():
    addrs = ['rtmp://b.example.com/l/s', 'rtmp://a.example.com/l/s', 'srt://c.example.com:9000']
    assert validate_src_addrs(addrs) == addrs


def test_src_addrs_allows_ten_not_eleven():
    ten = ['rtmp://o%d.example.com/live/s' % i for i in range(10)]
    assert validate_src_addrs(ten) == ten
    assert_fails(
        'src_addrs', validate_src_addrs, ten + ['rtmp://o10.example.com/live/s'], match='at most 10 source URLs, got 11'
    )


@pytest.mark.parametrize(
    'value, match',
    [
        ([], 'at least one'),
        ('rtmp://live.example.com', 'must be a list'),
        (None, 'must be a list'),
        ({'a': 'rtmp://x.example.com'}, 'must be a list'),
        (['rtmp://a.example.com/l/s', 'rtmp://a.example.com/l/s'], 'more than once'),
        ([1], 'must be a string'),
    ],
)
def test_src_addrs_rejects(value, match):
    assert_fails('src_addrs', validate_src_addrs, value, match=match)


# --- times ----------------------------------------------------------------


@pytest.mark.parametrize(
    'value, expected',
    [
        (None, None),
        ('', None),
        (946684800, 946684800),
        (1683518058, 1683518058),
        (1683518058.0, 1683518058),
        ('1683518058', 1683518058),
        (' 1683518058 ', 1683518058),
        ('+1683518058', 1683518058),
        ('2023-05-08T03:54:18Z', 1683518058),
        ('2023-05-08T03:54:18z', 1683518058),
        ('2023-05-08T11:54:18+08:00', 1683518058),
        ('2023-05-08T11:54:18+0800', 1683518058),
        ('2023-05-08T11:54:18+08', 1683518058),
        ('2023-05-07T22:54:18-05:00', 1683518058),
        ('2023-05-08 03:54:18Z', 1683518058),
        ('2023-05-08T03:54:18.000Z', 1683518058),
        ('2023-05-08T03:54Z', 1683518040),
        ('2000-01-01T00:00:00Z', 946684800),
        ('2038-01-19T03:14:07Z', 2147483647),
        ('2038-01-19T11:14:07+08:00', 2147483647),
        (2147483647, 2147483647),
    ],
)
def test_parse_time_accepts(value, expected):
    assert parse_time(value, 'start_time') == expected


@pytest.mark.parametrize(
    'value, match',
    [
        (True, 'boolean'),
        (-1, 'must be 2000-01-01T00:00:00Z (Unix seconds 946684800) or later, got -1'),
        (0, 'must be 2000-01-01T00:00:00Z (Unix seconds 946684800) or later, got 0'),
        (946684799, 'must be 2000-01-01T00:00:00Z (Unix seconds 946684800) or later'),
        (
            2147483648,
            'must be 2038-01-19T03:14:07Z (Unix seconds 2147483647) or earlier, the latest time the API '
            'carries (a 32-bit integer), got 2147483648',
        ),
        ('2038-01-19T03:14:08Z', 'must be 2038-01-19T03:14:07Z (Unix seconds 2147483647) or earlier'),
        (4102444800, 'must be 2038-01-19T03:14:07Z (Unix seconds 2147483647) or earlier'),
        (1683518058000, 'looks like milliseconds'),
        ('1999-12-31T23:59:59Z', 'or later'),
        ('9999-12-31T23:59:59Z', 'or earlier'),
        ('-1', 'ISO 8601'),
        (1.5, 'whole Unix seconds'),
        ('1.5', 'ISO 8601'),
        ('tomorrow', 'ISO 8601'),
        ('2023-05-08T03:54:18', 'no UTC offset'),
        ('2023-05-08 03:54', 'no UTC offset'),
        ('2023-05-08', 'ISO 8601'),
        ('2023-13-08T03:54:18Z', 'not a valid date'),
        ('2023-02-30T03:54:18Z', 'not a valid date'),
        ('2023-05-08T25:54:18Z', 'not a valid date'),
        ('2023-05-08T03:54:18+25:00', 'invalid UTC offset'),
        ('2023-05-08T03:54:18.5Z', 'whole seconds'),
        ([1], 'got list'),
        ({'a': 1}, 'got dict'),
    ],
)
def test_parse_time_rejects(value, match):
    assert_fails('end_time', parse_time, value, 'end_time', match=match)


def test_window_neither_is_permanent():
    assert validate_window(None, None) == (None, None)


def test_window_exactly_seven_days_is_allowed():
    assert validate_window(1000, 1000 + MAX_SPAN_SECONDS) == (1000, 1000 + MAX_SPAN_SECONDS)
    assert normalize_relay_source(params(start_time=1798718400, end_time=1798718400 + MAX_SPAN_SECONDS))
    assert MAX_SPAN_SECONDS == 604800


@pytest.mark.parametrize(
    'start, end, option, match',
    [
        (1000, None, 'end_time', 'given together'),
        (None, 1000, 'start_time', 'given together'),
        (2000, 1000, 'end_time', 'later than start_time'),
        (1000, 1000, 'end_time', 'later than start_time'),
        (1000, 1001 + 604800, 'end_time', 'at most 7 days'),
    ],
)
def test_window_rejects(start, end, option, match):
    assert_fails(option, validate_window, start, end, match=match)


# --- the whole relay source ---------------------------------------------------


def test_normalize_permanent_relay():
    result = normalize_relay_source(params(domain='PULL.example.com'))
    assert result == {
        'domain': 'pull.example.com',
        'app': 'live',
        'stream': 'stream-1',
        'src_addrs': ['rtmp://origin.example.com/live/stream-1'],
        'start_time': None,
        'end_time': None,
    }
    assert to_api_body(result) == {
        'Domain': 'pull.example.com',
        'App': 'live',
        'Stream': 'stream-1',
        'SrcAddrS': ['rtmp://origin.example.com/live/stream-1'],
    }


def test_normalize_timed_relay_mixing_iso_and_epoch():
    result = normalize_relay_source(params(start_time='2023-05-08T11:54:18+08:00', end_time='1683777258'))
    assert (result['start_time'], result['end_time']) == (1683518058, 1683777258)
    body = to_api_body(result)
    assert (body['StartTime'], body['EndTime']) == (1683518058, 1683777258)
    assert isinstance(body['StartTime'], int)


@pytest.mark.parametrize(
    'overrides, option',
    [
        (dict(domain='bad domain'), 'domain'),
        (dict(app=''), 'app'),
        (dict(stream='s/1'), 'stream'),
        (dict(src_addrs=[]), 'src_addrs'),
        (dict(start_time=1798718400), 'end_time'),
        (dict(start_time='x', end_time=5), 'start_time'),
    ],
)
def test_normalize_names_the_failing_option(overrides, option):
    with pytest.raises(ValidationError) as info:
        normalize_relay_source(params(**overrides))
    assert info.value.option == option


def test_normalize_does_not_modify_its_input():
    given = params(src_addrs=['rtmp://a.example.com/l/s'])
    normalize_relay_source(given)
    assert given == params(src_addrs=['rtmp://a.example.com/l/s'])


# --- a list of relay sources (relay_sources) -------------------------------------------


def _item(stream, **extra):
    item = {'app': 'live', 'stream': stream, 'src_addrs': ['rtmp://o.example.com/live/%s' % stream]}
    item.update(extra)
    return item


def test_a_valid_list_is_normalised_in_order():
    items = [
        _item('b', start_time='2026-12-31T20:00:00+08:00', end_time=1798740000),
        _item('a', domain='PULL.example.com.'),
    ]
    relay_sources, problems = normalize_relay_source_list('pull.example.com', items)
    assert problems == []
    assert [r['stream'] for r in relay_sources] == ['b', 'a']
    assert relay_sources[0]['start_time'] == 1798718400
    assert {r['domain'] for r in relay_sources} == {'pull.example.com'}


@pytest.mark.parametrize(
    'items, problems',
    [
        ('not a list', ['relay_sources: must be a list of relay sources']),
        ({'app': 'live'}, ['relay_sources: must be a list of relay sources']),
        (['rtmp://x'], ['relay_sources[0]: relay_sources: each item must be a dictionary, got str']),
        ([{'stream': 's', 'src_addrs': ['rtmp://o.example.com/s']}], ['relay_sources[0]: app: is required']),
        ([{'app': 'live', 'stream': 's'}], ['relay_sources[0] (live/s): src_addrs: is required']),
        (
            [_item('s', colour='blue')],
            [
                'relay_sources[0] (live/s): colour: is not an option of an item '
                '(options: app, stream, src_addrs, start_time, end_time, domain, start_time_iso, end_time_iso)'
            ],
        ),
        (
            [_item('s', domain='other.example.com')],
            ["relay_sources[0] (live/s): domain: names other.example.com, not the task's domain pull.example.com"],
        ),
        (
            [_item('s', domain='not a domain')],
            [
                'relay_sources[0] (live/s): domain: must be a valid domain name such '
                'as "pull.example.com" (labels of letters, digits and "-", separated by '
                "dots), got 'not a domain'"
            ],
        ),
        (
            [_item('s'), _item('t'), _item('s')],
            ['relay_sources[2] (live/s): lists the same app and stream as relay_sources[0]'],
        ),
        (
            [_item('s', start_time=1798718400)],
            [
                'relay_sources[0] (live/s): end_time: start_time and end_time must be '
                'given together (leave both out for a permanent relay)'
            ],
        ),
    ],
)
def test_every_problem_names_its_item_and_option(items, problems):
    assert normalize_relay_source_list('pull.example.com', items)[1] == problems


def test_all_problems_at_once_and_the_valid_items_still_normalised():
    items = [_item('ok'), _item('bad/1'), {'app': 'x'}, _item('ok'), _item('ok2')]
    relay_sources, problems = normalize_relay_source_list('pull.example.com', items)
    assert [p.split(':', maxsplit=1)[0] for p in problems] == [
        'relay_sources[1] (live/bad/1)',
        'relay_sources[2]',  # stream: is required
        'relay_sources[2]',  # src_addrs: is required: every problem of an item, not only its first
        'relay_sources[3] (live/ok)',
    ]
    assert [r['stream'] for r in relay_sources] == ['ok', 'ok2']


def test_absent_needs_only_app_and_stream():
    relay_sources, problems = normalize_relay_source_list('pull.example.com', [{'app': 'live', 'stream': 's'}], False)
    assert problems == [] and relay_sources == [{'domain': 'pull.example.com', 'app': 'live', 'stream': 's'}]


def test_no_list_is_an_empty_list():
    assert normalize_relay_source_list('pull.example.com', None) == ([], [])


@pytest.mark.parametrize(
    'value, in_list, message',
    [
        ('', False, 'callback_url: must not be empty'),
        ('', True, 'callback_url: must not contain empty entries'),
        ('http://a.example.com/x y', False, "callback_url: must not contain white space: 'http://a.example.com/x y'"),
        ('http://a.example.com/x y', True, 'callback_url: entries must not contain white space'),
    ],
)
def test_a_url_message_speaks_of_entries_only_for_a_list(value, in_list, message):
    with pytest.raises(ValidationError) as info:
        validate_url(value, 'callback_url', ('http',), 'HTTP', 'http://cb.example.com/', in_list=in_list)
    assert str(info.value).startswith(message)


def test_validate_text_names_every_character_it_refuses():
    pattern = re.compile(r'[a-z]+')
    assert validate_text('title', 'abc', 5, pattern, 'lowercase letters') == 'abc'
    error = assert_fails('title', validate_text, 'title', 'aB c!B', 9, pattern, 'lowercase letters')
    assert str(error) == "title: may contain only lowercase letters; found ' ', '!', 'B'"
    assert_fails('title', validate_text, 'title', 'abcdef', 5, pattern, 'x', match='at most 5 characters, got 6')


# --- what people type, and what an attacker would: never a traceback, never a request the API refuses ----------


@pytest.mark.parametrize(
    'value, words',
    [
        (float('inf'), 'whole Unix seconds'),
        (float('-inf'), 'whole Unix seconds'),
        (float('nan'), 'whole Unix seconds'),
        ('9' * 5000, 'got 5000 digits'),
        pytest.param(10**5000, 'more than 20 digits', id='10**5000'),
        pytest.param(-(10**5000), 'more than 20 digits', id='-10**5000'),
        ('2026-12-01T20:00:00.' + '0' * 5000 + '+08:00', "got '2026-12-01T20:00:00.000"),
        ('2026-12-01T20:00:00.5+08:00', 'whole seconds'),
        ('²', 'ISO 8601'),
        ('１７９８１２２６００', 'ISO 8601'),
        ('２０２６-12-01T20:00:00+08:00', 'ISO 8601'),
        ('2026-12-01T20:00:00+08:00\nX', 'ISO 8601'),
    ],
)
def test_times_that_are_no_time_fail_naming_the_option(value, words):
    with pytest.raises(ValidationError) as caught:
        parse_time(value, 'start_time')
    assert caught.value.option == 'start_time'
    assert words in str(caught.value)
    assert len(str(caught.value)) < 400


def test_a_fraction_of_zeros_is_still_whole_seconds():
    assert parse_time('2026-12-01T20:00:00.000000+08:00', 'start_time') == 1796126400


@pytest.mark.parametrize(
    'value', ['pull\n.example.com', 'pull.exa\nmple.com', 'pull.example.c\x00om', 'púll.example.com']
)
def test_a_domain_with_a_newline_or_a_foreign_byte_inside_is_refused(value):
    """``$`` matches before a trailing newline: a label of "pull\\n" passed the old pattern and was sent."""
    with pytest.raises(ValidationError) as caught:
        validate_domain(value)
    assert caught.value.option == 'domain'


@pytest.mark.parametrize(
    'value, words',
    [
        ('rtmp://origin\x00.example.com/live/s', 'control characters'),
        ('rtmp://origin.example.com:１９３５/live/s', 'digits 0-9'),
        ('rtmp://源站.example.com/live/s', 'xn--'),
        ('rtmp://origin.example.com/live/s\x7f', 'control characters'),
    ],
)
def test_a_url_host_and_port_are_ascii(value, words):
    with pytest.raises(ValidationError) as caught:
        validate_url(value, 'src_addrs', ('rtmp',), 'RTMP', 'rtmp://origin.example.com/live/s')
    assert caught.value.option == 'src_addrs'
    assert words in str(caught.value)


@pytest.mark.parametrize(
    'value',
    [
        'rtmp://o.example.com%0a.evil/l',
        'rtmp://o.exa mple.com/l',
        'rtmp://o!.example.com/l',
        'rtmp://-o.example.com/l',
        'rtmp://o..example.com/l',
        'rtmp://%s.example.com/l' % ('a' * 64),
        'rtmp://%s/l' % '.'.join(['a' * 63] * 4),
        'rtmp://[fe80::1%25eth0]:1935/l',
        'rtmp://10.0.0.999/l',
    ],
)
def test_a_url_host_is_a_host_name_or_an_ip_address(value):
    with pytest.raises(ValidationError) as caught:
        validate_url(value, 'source_url', ('rtmp',), 'RTMP', 'rtmp://origin.example.com/live/s')
    assert caught.value.option == 'source_url'


@pytest.mark.parametrize(
    'value',
    [
        'rtmp://[2001:db8::1]:1935/live/s',
        'rtmp://10.0.0.1/live/s',
        'rtmp://o_1.example.com/l',
        'rtmp://%s.example.com./l' % ('a' * 63),
        'rtmp://localhost:1935/l',
    ],
)
def test_ip_addresses_and_underscores_stay_valid_hosts(value):
    assert validate_url(value, 'source_url', ('rtmp',), 'RTMP', 'rtmp://origin.example.com/live/s') == value


# The one rule of a window that is over, for every resource with a window (fixed relays, pull-to-push tasks).


@pytest.mark.parametrize(
    'value, offset',
    [
        ('2025-12-24T22:30:00+08:00', 8 * 3600),
        ('2025-12-24T22:30:00+0800', 8 * 3600),
        (' 2025-12-24 14:30:00Z ', 0),
        ('2025-12-24T09:00:00-05:30', -(5 * 3600 + 1800)),
        ('2025-12-24T22:30:00.000+08', 8 * 3600),
        (1766586600, None),
        ('1766586600', None),
        (None, None),
        ('', None),
        ('2025-12-24T22:30:00', None),
    ],
)
def test_stated_offset_is_the_offset_the_time_was_written_in(value, offset):
    assert stated_offset(value) == offset
    if offset is not None:
        assert moment_text(parse_time(value, 'end_time'), offset).split(' ')[0][-6:] in ('+08:00', '+00:00', '-05:30')


def test_moment_text_is_iso_8601_with_the_offset_then_unix_seconds():
    assert moment_text(1766586600, 8 * 3600) == '2025-12-24T22:30:00+08:00 (Unix 1766586600)'
    assert moment_text(1766586600) == '2025-12-24T14:30:00+00:00 (Unix 1766586600)'
    assert moment_text(1766586600, -(5 * 3600 + 1800)) == '2025-12-24T09:00:00-05:30 (Unix 1766586600)'
    for offset in (None, 0, 8 * 3600, -12 * 3600, 14 * 3600):  # the text parses back to the same moment
        assert parse_time(moment_text(1766586600, offset).split(' ')[0], 'end_time') == 1766586600


def test_a_window_is_over_from_its_end_on_and_no_window_never_is():
    assert window_over(1000, 1000) and window_over(1000, 1000.5) and not window_over(1000, 999.9)
    assert not window_over(None, 2**31)


def test_the_refusal_names_end_time_and_when_it_ended():
    error = past_window_error(1766586600, 1766590200.7, 8 * 3600, 'A fixed relay')
    assert isinstance(error, ValidationError) and error.option == 'end_time'
    assert str(error).startswith(
        'end_time: is in the past: the window ended at 2025-12-24T22:30:00+08:00 (Unix 1766586600), and it is now '
        '2025-12-24T23:30:00+08:00 (Unix 1766590200). A fixed relay cannot be created or changed'
    )
    assert 'state=absent' in str(error)
    assert 'ended at 2025-12-24T14:30:00+00:00 (Unix 1766586600)' in str(past_window_error(1766586600, 1766590200))


# Times a person reads: ISO 8601 beside the Unix seconds in every result, the offset the task wrote its window in.


def test_readable_time_is_iso_8601_in_the_offset_or_utc():
    assert readable_time(1798718400, 8 * 3600) == '2026-12-31T20:00:00+08:00'
    assert readable_time(1798718400) == '2026-12-31T12:00:00+00:00'
    assert readable_time(1798718400, -(3 * 3600 + 1800)) == '2026-12-31T08:30:00-03:30'
    assert readable_time(None) is None and readable_time(True) is None and readable_time('1798718400') is None
    assert readable_time(EPOCH_MAX) == '2038-01-19T03:14:07+00:00'
    assert readable_time(10**30) is None  # no calendar holds it: None, never an OverflowError


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    seconds=st.integers(min_value=EPOCH_MIN, max_value=EPOCH_MAX),
    offset=st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(lambda minutes: minutes * 60),
)
def test_a_readable_time_reads_back_as_the_same_moment_in_the_same_offset(seconds, offset):
    text = readable_time(seconds, offset)
    assert parse_time(text, 'start_time') == seconds
    assert stated_offset(text) == offset
    assert moment_text(seconds, offset) == '%s (Unix %d)' % (text, seconds)


@pytest.mark.parametrize(
    'given, offset',
    [
        ({'start_time': '2027-06-30T20:00:00+08:00', 'end_time': '2027-06-30T23:00:00+08:00'}, 8 * 3600),
        ({'start_time': 1814356800, 'end_time': '2027-06-30T23:00:00-05:00'}, -5 * 3600),
        ({'start_time': '2027-06-30T20:00:00+08:00', 'end_time': 1814356800}, 8 * 3600),
        ({'start_time': 1814356800, 'end_time': 1814367600}, None),
        ({}, None),
        ({'start_time': '2027-06-30T20:00:00Z'}, 0),
    ],
)
def test_the_offset_of_a_task_is_that_of_its_end_time_else_its_start_time(given, offset):
    assert play_offset(given) == offset


def test_results_carry_each_time_and_right_after_it_the_same_time_as_a_person_reads_it():
    item = {'app': 'live', 'start_time': 1798718400, 'end_time': 1798740000, 'stream': 's'}
    shown_item = with_readable_times(item, 8 * 3600)
    assert list(shown_item) == ['app', 'start_time', 'start_time_iso', 'end_time', 'end_time_iso', 'stream']
    assert shown_item['start_time_iso'] == '2026-12-31T20:00:00+08:00'
    assert shown_item['end_time_iso'] == '2027-01-01T02:00:00+08:00'
    assert item == {'app': 'live', 'start_time': 1798718400, 'end_time': 1798740000, 'stream': 's'}  # a copy
    permanent = with_readable_times({'start_time': None, 'end_time': None})
    assert permanent == {'start_time': None, 'start_time_iso': None, 'end_time': None, 'end_time_iso': None}
    assert with_readable_times(None) is None and with_readable_times({'app': 'x'}) == {'app': 'x'}


@pytest.mark.parametrize(
    'copies',
    [
        {},
        {'start_time_iso': None, 'end_time_iso': None},
        {'start_time_iso': '', 'end_time_iso': '  '},
        {'start_time_iso': '2026-12-31T12:00:00+00:00', 'end_time_iso': '2027-01-01T02:00:00+08:00'},
        {'start_time_iso': 1798718400, 'end_time_iso': '1798740000'},
    ],
)
def test_a_readable_copy_that_names_the_moment_of_its_time_is_no_problem(copies):
    times = {'start_time': 1798718400, 'end_time': 1798740000}
    assert readable_copy_problems(dict(times, **copies), times) == []


@pytest.mark.parametrize(
    'copies, times, option, match',
    [
        ({'start_time_iso': '2026-12-31T21:00:00+08:00'}, None, 'start_time_iso', 'names 2026-12-31T13:00:00'),
        ({'end_time_iso': '2026-12-31T12:00:00'}, None, 'end_time_iso', 'has no UTC offset'),
        ({'end_time_iso': 'tomorrow'}, None, 'end_time_iso', 'ISO 8601'),
        ({'start_time_iso': '2026-12-31T12:00:00Z'}, {'start_time': None}, 'start_time_iso', 'start_time is not given'),
    ],
)
def test_a_readable_copy_that_disagrees_or_stands_alone_is_a_problem_naming_it(copies, times, option, match):
    times = times or {'start_time': 1798718400, 'end_time': 1798740000}
    problems = readable_copy_problems(copies, times)
    assert [problem.option for problem in problems] == [option]
    assert re.search(match, str(problems[0]))


def test_a_window_the_wrong_way_round_is_told_in_the_offset_the_task_wrote_it_in():
    with pytest.raises(ValidationError) as caught:
        validate_window(1798740000, 1798718400, 8 * 3600)
    assert str(caught.value) == (
        'end_time: must be later than start_time: it is 2026-12-31T20:00:00+08:00 (Unix 1798718400), and start_time '
        'is 2027-01-01T02:00:00+08:00 (Unix 1798740000)'
    )
    with pytest.raises(
        ValidationError, match=r'got 604801 seconds \(2026-12-31T12:00:00\+00:00 to 2027-01-07T12:00:01'
    ):
        validate_window(1798718400, 1798718400 + MAX_SPAN_SECONDS + 1)


@pytest.mark.parametrize(
    'value, expected',
    [
        ('Pull.Example.com', 'pull.example.com'),
        ('space1', 'space1'),
        ('Space_1-a', 'Space_1-a'),
        (' space1 ', 'space1'),
    ],
)
def test_a_vhost_is_a_domain_or_a_space_name_as_the_domain_apis_give_it(value, expected):
    assert validate_vhost(value) == expected


@pytest.mark.parametrize('value', ['', '-space', '_space', 'space 1', 'sp\nace', 's' * 65, 'sp\u00e4ce', 'a..b', 7])
def test_a_vhost_that_is_neither_is_refused_naming_the_option(value):
    with pytest.raises(ValidationError) as caught:
        validate_vhost(value)
    assert caught.value.option == 'vhost'
