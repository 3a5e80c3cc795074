# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Property-based: every input either becomes a valid request or a clean failure naming an option."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.volcengine.live.plugins.module_utils._core.rules import ValidationError
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.api import to_api_body
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.rules import normalize_relay_source
from ansible_collections.volcengine.live.tools.live_simulator import rules

OPTIONS = {'domain', 'app', 'stream', 'src_addrs', 'start_time', 'end_time'}

names = st.one_of(
    st.text(alphabet='abcXYZ019_.-', min_size=1, max_size=35),
    st.text(min_size=0, max_size=120),
    st.just(''),
    st.integers(),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True),
    st.lists(st.text(max_size=3), max_size=2),
)
domains = st.one_of(
    st.from_regex(r'\A[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?){1,3}\Z'),
    st.text(max_size=80),
    st.integers(),
    st.none(),
    st.just('192.168.0.1'),
    st.just('pull.example.com'),
)
urls = st.one_of(
    st.builds(
        lambda scheme, host, port, path: '%s://%s%s/%s' % (scheme, host, port, path),
        st.sampled_from(['rtmp', 'http', 'https', 'srt', 'ftp', 'RTMP', 'rtsp', '']),
        st.sampled_from(['origin.example.com', '10.0.0.1', '[2001:db8::1]', '', 'bad host', '中文.cn']),
        st.sampled_from(['', ':1935', ':0', ':65536', ':x', ':443']),
        st.text(alphabet='abc/?=&#.-_ ', max_size=20),
    ),
    st.text(max_size=40),
    st.integers(),
    st.none(),
)
times = st.one_of(
    st.none(),
    st.integers(min_value=-(10**13), max_value=10**13),
    st.integers(1798000000, 1799000000),
    st.integers(2147000000, 2148000000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=30),
    st.datetimes().map(lambda d: d.isoformat() + 'Z'),
    st.datetimes().map(lambda d: d.isoformat()),
    st.lists(st.integers(), max_size=2),
)
parameters = st.fixed_dictionaries(
    {
        'domain': domains,
        'app': names,
        'stream': names,
        'src_addrs': st.one_of(st.lists(urls, max_size=12), urls, st.none()),
        'start_time': times,
        'end_time': times,
    }
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parameters)
def test_valid_request_or_clean_failure(params):
    try:
        relay_source = normalize_relay_source(params)
    except ValidationError as error:
        assert error.option in OPTIONS
        assert str(error).startswith(error.option + ': ')
        return
    # What the collection accepts, the simulator's independent reading of the API rules accepts too.
    rules.check_config(to_api_body(relay_source))
    assert set(relay_source) == OPTIONS
