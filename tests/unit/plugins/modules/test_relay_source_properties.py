# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Property-based: the module turns any parameters into a result or a clean failure naming an option."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.volcengine.live.plugins.modules.relay_source import DEFINITION

OPTIONS = ('domain', 'app', 'stream', 'src_addrs', 'start_time', 'end_time', 'state')
# No NUL character: AnsibleModule itself refuses one in any argument, before the module's code runs, when it logs
# its invocation to syslog (in a module process as in-process); that failure is core's, not the module's.
text = st.text(alphabet=st.characters(blacklist_characters='\x00'), max_size=40)
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**13), max_value=10**13),
    text,
    st.floats(allow_nan=False),
    st.lists(st.text(alphabet=st.characters(blacklist_characters='\x00'), max_size=30), max_size=12),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(
        st.text(alphabet=st.characters(blacklist_characters='\x00'), max_size=3), st.integers(), max_size=2
    ),
    st.sampled_from(
        [
            'pull.example.com',
            'live',
            'rtmp://o.example.com/live/s',
            '2036-12-31T20:00:00+08:00',
            '2114337600',
            'present',
            'absent',
        ]
    ),
)
parameters = st.fixed_dictionaries({}, optional=dict.fromkeys(OPTIONS, values))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(parameters)
def test_result_or_clean_failure_and_never_a_request(run, http, params):
    args = {key: value for key, value in params.items() if value is not None}
    result, failed = run(DEFINITION, dict(args, _ansible_check_mode=True))
    assert http.calls == []  # no credentials: check mode validates only
    if failed:
        assert 'exception' not in result
        assert any(option in result['msg'] for option in OPTIONS), result['msg']
    elif args.get('state', 'present') == 'present':
        assert result['changed'] is True
        assert set(result['relay_source']) == {'domain', 'app', 'stream', 'src_addrs', 'start_time', 'end_time'}
    else:
        assert result['changed'] is True and result['relay_source'] is None
