# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The signer against the official SDK (the test oracle) and rule by rule."""

from __future__ import annotations

import datetime
import hashlib
import random
from collections import OrderedDict

import pytest
from volcengine.auth.SignerV4 import SignerV4
from volcengine.auth.SignParam import SignParam
from volcengine.Credentials import Credentials

from ansible_collections.volcengine.live.plugins.module_utils import signer

REGIONS = ['cn-north-1', 'cn-beijing', 'cn-shanghai', 'ap-southeast-1', 'cn-guangzhou']
SERVICES = ['live', 'iam', 'vod']
# Characters that stress the encoding: reserved, unreserved, space, plus, percent, non-ASCII.
ALPHABET = list('abcXYZ019-_.~ !*\'();:@&=+$,/?#[]%"<>\\^`{|}') + ['中', '文', 'é', 'ß', '😀', '\u00a0']

AK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
SK_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789+/='


def sdk_authorization(  # noqa: PLR0913 - the signature's inputs, as the SDK takes them
    method,
    host,
    path,
    query,
    headers,
    body,
    ak,
    sk,
    region,
    service,
    token,
    when,
):
    """The Authorization header the official SDK computes for the same request."""
    param = SignParam()
    param.set_method(method)
    param.set_host(host)
    param.set_path(path)
    param.set_query(OrderedDict(query))
    param.set_header_list(OrderedDict(headers))
    param.set_body(body)
    param.set_date(when)
    result = SignerV4.sign_only(param, Credentials(ak, sk, service, region, token or ''))
    return result.authorization, result.xContextSha256


def random_text(rng, low, high):
    return ''.join(rng.choice(ALPHABET) for _unused in range(rng.randint(low, high)))


def generated_requests(count, seed=20261124):
    rng = random.Random(seed)
    for index in range(count):
        query = OrderedDict()
        for _unused in range(rng.randint(0, 5)):
            query[random_text(rng, 1, 8)] = random_text(rng, 0, 12)
        if index % 3 == 0:
            query.update(Action='CreateRelaySourceV4', Version='2023-01-01')
        body_kind = index % 4
        if body_kind == 0:
            body = b''
        elif body_kind == 1:
            body = ('{"App":"live","Stream":"%s"}' % random_text(rng, 1, 20)).encode('utf-8')
        elif body_kind == 2:
            body = random_text(rng, 1, 200)  # text bodies are hashed as UTF-8
        else:
            body = bytes(rng.getrandbits(8) for _unused in range(rng.randint(1, 64)))
        host = rng.choice(
            [
                'live.volcengineapi.com',
                'live.volcengineapi.com:443',
                '127.0.0.1:8080',
                'open.volcengineapi.com:80',
                'localhost:65535',
            ]
        )
        headers = OrderedDict([('Content-Type', rng.choice(['application/json', 'application/json; charset=utf-8']))])
        if index % 5 == 0:
            headers['X-Custom-Trace'] = random_text(rng, 1, 10).replace('\n', '')
        when = datetime.datetime(2000, 1, 1) + datetime.timedelta(seconds=rng.randint(0, 40 * 365 * 86400))
        yield dict(
            method=rng.choice(['POST', 'GET', 'PUT']),
            host=host,
            path=rng.choice(['/', '/', '/a b/c', '/live/%s' % random_text(rng, 1, 6)]),
            query=query,
            headers=headers,
            body=body,
            ak='AK' + ''.join(rng.choice(AK_ALPHABET) for _unused in range(rng.randint(8, 40))),
            sk=''.join(rng.choice(SK_ALPHABET) for _unused in range(rng.randint(1, 60))),
            region=rng.choice(REGIONS),
            service=rng.choice(SERVICES),
            token=rng.choice([None, None, 'STS' + random_text(rng, 5, 30).replace(' ', '')]),
            when=when,
        )


@pytest.mark.parametrize('case', list(generated_requests(400)), ids=lambda c: c['when'].isoformat())
def test_authorization_matches_official_sdk(case):
    headers = signer.sign(
        case['method'],
        case['host'],
        case['path'],
        case['query'],
        case['headers'],
        case['body'],
        case['ak'],
        case['sk'],
        case['region'],
        case['service'],
        session_token=case['token'],
        now=case['when'],
    )
    sdk_headers = OrderedDict(case['headers'])
    sdk_headers['Host'] = case['host']
    expected, body_hash = sdk_authorization(
        case['method'],
        case['host'],
        case['path'],
        case['query'],
        sdk_headers,
        case['body'],
        case['ak'],
        case['sk'],
        case['region'],
        case['service'],
        case['token'],
        case['when'],
    )
    assert headers['Authorization'] == expected
    assert headers['X-Content-Sha256'] == body_hash
    assert headers['X-Date'] == case['when'].strftime('%Y%m%dT%H%M%SZ')
    if case['token']:
        assert headers['X-Security-Token'] == case['token']
    else:
        assert 'X-Security-Token' not in headers


def test_a_different_secret_gives_a_different_signature():
    args = ('POST', 'live.volcengineapi.com', '/', {'Action': 'A'}, {}, b'{}', 'AK', 'secret-1', 'cn-north-1', 'live')
    when = datetime.datetime(2026, 11, 24, 12, 0, 0)
    one = signer.sign(*args, now=when)['Authorization']
    two = signer.sign(*(args[:7] + ('secret-2',) + args[8:]), now=when)['Authorization']
    assert one != two
    assert one.split('Signature=')[0] == two.split('Signature=')[0]


def test_authorization_layout():
    when = datetime.datetime(2026, 11, 24, 12, 30, 5, tzinfo=datetime.timezone.utc)
    headers = signer.sign(
        'POST',
        'live.volcengineapi.com',
        '/',
        {'Action': 'CreateRelaySourceV4'},
        {'Content-Type': 'application/json'},
        b'{}',
        'AKLTexample',
        's',
        'cn-north-1',
        'live',
        session_token='tok',
        now=when,
    )
    auth = headers['Authorization']
    assert auth.startswith('HMAC-SHA256 Credential=AKLTexample/20261124/cn-north-1/live/request, ')
    assert 'SignedHeaders=content-type;host;x-content-sha256;x-date;x-security-token, ' in auth
    signature = auth.rsplit('Signature=', 1)[1]
    assert len(signature) == 64 and int(signature, 16) >= 0
    assert headers['X-Date'] == '20261124T123005Z'
    assert headers['X-Content-Sha256'] == hashlib.sha256(b'{}').hexdigest()
    assert headers['Host'] == 'live.volcengineapi.com'


def test_sign_does_not_modify_the_callers_headers():
    mine = {'Content-Type': 'application/json'}
    signer.sign('POST', 'h.example.com', '/', {}, mine, b'', 'AK', 'SK', 'r', 's', now=datetime.datetime(2026, 1, 1))
    assert mine == {'Content-Type': 'application/json'}


def test_sign_uses_the_clock_when_no_time_is_given():
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    x_date = signer.sign('POST', 'h.example.com', '/', {}, {}, b'', 'AK', 'SK', 'r', 's')['X-Date']
    after = datetime.datetime.now(datetime.timezone.utc)
    stamp = datetime.datetime.strptime(x_date, '%Y%m%dT%H%M%SZ').replace(tzinfo=datetime.timezone.utc)
    assert before <= stamp <= after


@pytest.mark.parametrize(
    'when, expected',
    [
        (datetime.datetime(2026, 11, 24, 23, 59, 59), '20261124T235959Z'),
        (
            datetime.datetime(2026, 11, 25, 7, 59, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
            '20261124T235959Z',
        ),
        (
            datetime.datetime(2026, 11, 24, 18, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-6))),
            '20261125T000000Z',
        ),
    ],
)
def test_x_date_is_utc(when, expected):
    assert signer.format_x_date(when) == expected


@pytest.mark.parametrize(
    'query, expected',
    [
        ({}, ''),
        ({'b': '2', 'a': '1'}, 'a=1&b=2'),
        ({'Action': 'List', 'Version': '2023-01-01'}, 'Action=List&Version=2023-01-01'),
        ({'k': 'a b'}, 'k=a%20b'),
        ({'k': 'a+b'}, 'k=a%2Bb'),
        ({'k': '-_.~'}, 'k=-_.~'),
        ({'k': '/?#&='}, 'k=%2F%3F%23%26%3D'),
        ({'k': '中'}, 'k=%E4%B8%AD'),
        ({'k': ''}, 'k='),
        ({'k': ['2', '1']}, 'k=2&k=1'),
        ({'B': '1', 'a': '2'}, 'B=1&a=2'),
    ],
)
def test_canonical_query(query, expected):
    assert signer.canonical_query(query) == expected


@pytest.mark.parametrize(
    'path, expected',
    [
        ('', '/'),
        ('/', '/'),
        ('/a b/c', '/a%20b/c'),
        ('/中', '/%E4%B8%AD'),
        ('/a~b', '/a~b'),
    ],
)
def test_canonical_path(path, expected):
    assert signer.canonical_path(path) == expected


@pytest.mark.parametrize(
    'host, expected',
    [
        ('live.volcengineapi.com', 'live.volcengineapi.com'),
        ('live.volcengineapi.com:443', 'live.volcengineapi.com'),
        ('live.volcengineapi.com:80', 'live.volcengineapi.com'),
        ('127.0.0.1:8080', '127.0.0.1:8080'),
        ('example.com:4430', 'example.com:4430'),
    ],
)
def test_host_port_80_and_443_are_not_signed(host, expected):
    block, names = signer.canonical_headers({'Host': host})
    assert block == 'host:%s\n' % expected
    assert names == 'host'


def test_only_documented_headers_are_signed():
    block, names = signer.canonical_headers(
        {
            'Content-Type': 'application/json',
            'User-Agent': 'x',
            'Accept': '*/*',
            'X-Date': 'd',
            'x-lower': 'v',
            'Content-Md5': 'm',
            'Content-Length': '2',
            'Host': 'h',
        }
    )
    assert names == 'content-md5;content-type;host;x-date;x-lower'
    assert block == 'content-md5:m\ncontent-type:application/json\nhost:h\nx-date:d\nx-lower:v\n'


def test_signing_key_chain():
    import hmac

    def step(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    expected = step(step(step(step(b'secret', '20261124'), 'cn-north-1'), 'live'), 'request')
    assert signer.signing_key('secret', '20261124', 'cn-north-1', 'live') == expected


def test_sha256_of_text_and_bytes_agree():
    assert signer.sha256_hex('中文') == signer.sha256_hex('中文'.encode())
    assert signer.sha256_hex(None) == hashlib.sha256(b'').hexdigest()
