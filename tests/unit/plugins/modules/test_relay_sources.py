# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""relay_sources end to end, both paths, with HTTP mocked at requests.Session."""

from __future__ import annotations

import json
import time

import pytest
import requests

from ansible_collections.volcengine.live.plugins.modules.relay_source_info import DEFINITION as INFO
from ansible_collections.volcengine.live.plugins.modules.relay_sources import DEFINITION
from ansible_collections.volcengine.live.tests.unit.helpers.fake_live import envelope, stored
from ansible_collections.volcengine.live.tests.unit.helpers.harness import masks

SECRET = 'Sk-Batch-Secret-0c4e'


def source(stream, app='live', **extra):
    item = {'app': app, 'stream': stream, 'src_addrs': ['rtmp://origin.example.com/%s/%s' % (app, stream)]}
    item.update(extra)
    return item


def api(stream, app='live', **extra):
    """The stored form of :func:`source`."""
    item = {
        'Domain': 'pull.example.com',
        'App': app,
        'Stream': stream,
        'SrcAddrS': ['rtmp://origin.example.com/%s/%s' % (app, stream)],
    }
    item.update(extra)
    return item


def args(relay_sources, **overrides):
    base = dict(
        domain='pull.example.com',
        relay_sources=relay_sources,
        access_key='AKLTbatch',
        secret_key=SECRET,
        retry_max_delay=0,
        rate_limit=0,
    )
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def streams(entries):
    return sorted(entry['stream'] for entry in entries)


def test_creates_with_one_read(run, http):
    result, failed = run(DEFINITION, args([source('s%03d' % i) for i in range(120)]))
    assert not failed and result['changed'] is True
    assert len(result['created']) == 120 and all(entry['task_id'] for entry in result['created'])
    assert result['updated'] == result['deleted'] == [] and result['unchanged'] == 0
    assert http.count('ListRelaySourceV4') == 1 and http.count('CreateRelaySourceV4') == 120
    assert sorted(c['Stream'] for c in http.configs) == ['s%03d' % i for i in range(120)]


def test_a_rerun_reads_each_page_once_and_writes_nothing(run, http):
    http.configs.extend(api('s%04d' % i) for i in range(1100))
    result, failed = run(DEFINITION, args([source('s%04d' % i) for i in range(1100)]))
    assert not failed and result['changed'] is False
    assert result['unchanged'] == 1100
    assert http.actions() == ['ListRelaySourceV4'] * 3
    assert [call['body']['Size'] for call in http.calls] == [500] * 3


def test_mixed_changes_with_purge(run, http):
    http.configs.extend([api('keep'), api('change'), api('stale-1'), api('stale-2', app='other')])
    wanted = [source('keep'), source('change', src_addrs=['srt://new.example.com:9000']), source('new')]
    result, failed = run(DEFINITION, args(wanted, purge=True))
    assert not failed and result['changed'] is True
    assert streams(result['created']) == ['new']
    assert result['updated'] == [{'app': 'live', 'stream': 'change'}]
    assert streams(result['deleted']) == ['stale-1', 'stale-2']
    assert result['unchanged'] == 1
    assert sorted(c['Stream'] for c in http.configs) == ['change', 'keep', 'new']


def test_without_purge_unlisted_configurations_stay(run, http):
    http.configs.extend([api('keep'), api('stale')])
    result, failed = run(DEFINITION, args([source('keep')]))
    assert not failed and result['changed'] is False
    assert len(http.configs) == 2


def test_purge_apps_limits_what_purge_removes(run, http):
    http.configs.extend([api('a1', app='sports'), api('b1', app='news'), api('a2', app='sports')])
    result, failed = run(DEFINITION, args([source('a1', app='sports')], purge=True, purge_apps=['sports']))
    assert not failed
    assert result['deleted'] == [{'app': 'sports', 'stream': 'a2'}]
    assert sorted((c['App'], c['Stream']) for c in http.configs) == [('news', 'b1'), ('sports', 'a1')]


def test_an_empty_list_with_purge_empties_the_domain(run, http):
    http.configs.extend([api('a'), api('b')])
    result, failed = run(DEFINITION, args([], purge=True))
    assert not failed and streams(result['deleted']) == ['a', 'b'] and http.configs == []


def test_absent_deletes_the_listed_streams_that_exist(run, http):
    http.configs.extend([api('a'), api('b')])
    result, failed = run(
        DEFINITION, args([{'app': 'live', 'stream': 'a'}, {'app': 'live', 'stream': 'gone'}], state='absent')
    )
    assert not failed
    assert result['deleted'] == [{'app': 'live', 'stream': 'a'}] and result['unchanged'] == 1
    assert [c['Stream'] for c in http.configs] == ['b']


def test_check_mode_gives_the_exact_plan_and_writes_nothing(run, http):
    http.configs.extend([api('keep'), api('change'), api('stale')])
    wanted = [source('keep'), source('change', src_addrs=['srt://new.example.com:9000']), source('new')]
    before = json.dumps(http.configs)
    predicted, failed = run(DEFINITION, dict(args(wanted, purge=True), _ansible_check_mode=True, _ansible_diff=True))
    assert not failed and http.actions() == ['ListRelaySourceV4'] and json.dumps(http.configs) == before
    applied, failed = run(DEFINITION, dict(args(wanted, purge=True), _ansible_diff=True))
    assert not failed
    assert predicted['created'] == [{'app': 'live', 'stream': 'new', 'task_id': None}]
    for key in ('updated', 'deleted', 'unchanged', 'changed', 'diff'):
        assert predicted[key] == applied[key], key


def test_diff_has_a_summary_first_then_each_change(run, http):
    http.configs.extend([api('change'), api('stale')])
    result, failed = run(
        DEFINITION,
        dict(
            args([source('change', src_addrs=['srt://n.example.com:1']), source('new')], purge=True), _ansible_diff=True
        ),
    )
    assert not failed
    summary, *changes = result['diff']
    assert summary['after'] == 'plan: create 1, update 1, delete 1, unchanged 0\n'
    assert summary['before_header'] == 'relay sources of pull.example.com'
    assert [(c['before_header'], bool(c['before']), bool(c['after'])) for c in changes] == [
        ('relay source pull.example.com/live/new', False, True),
        ('relay source pull.example.com/live/change', True, True),
        ('relay source pull.example.com/live/stale', True, False),
    ]


def test_every_problem_at_once_and_nothing_sent(run, http):
    items = [
        source('ok'),
        source('bad stream'),
        {'app': 'live', 'stream': 'no-sources'},
        source('many', src_addrs=['rtmp://o%d.example.com/l/s' % i for i in range(11)]),
        source('ok'),
        source('elsewhere', domain='other.example.com'),
        source('late', start_time=2147483000, end_time=2147483648),
    ]
    result, failed = run(DEFINITION, args(items))
    assert failed and http.calls == []
    assert result['option'] == 'relay_sources'
    assert result['problems'] == [
        'relay_sources[1] (live/bad stream): stream: may contain only letters, digits, "_", "-" and "."; found \' \'',
        'relay_sources[1] (live/bad stream): src_addrs: entries must not contain white space: '
        "'rtmp://origin.example.com/live/bad stream'",
        'relay_sources[2] (live/no-sources): src_addrs: is required',
        'relay_sources[3] (live/many): src_addrs: accepts at most 10 source URLs, got 11',
        'relay_sources[4] (live/ok): lists the same app and stream as relay_sources[0]',
        "relay_sources[5] (live/elsewhere): domain: names other.example.com, not the task's domain pull.example.com",
        'relay_sources[6] (live/late): end_time: must be 2038-01-19T03:14:07Z (Unix seconds 2147483647) or earlier, '
        'the latest time the API carries (a 32-bit integer), got 2147483648',
    ]


def test_a_duplicate_of_an_item_that_breaks_a_rule_is_reported_in_the_same_pass(run, http):
    # Issue 31: the duplicate was reported only once the first item was fixed.
    items = [
        {'app': 'live', 'stream': 'no-sources'},
        source('ok'),
        {'app': 'live', 'stream': 'no-sources', 'start_time': 'soon'},
        {'app': 'bad app', 'stream': 'x', 'src_addrs': ['ftp://o.example.com/x'], 'end_time': 2114337600},
    ]
    result, failed = run(DEFINITION, args(items))
    assert failed and http.calls == []
    assert result['problems'] == [
        'relay_sources[0] (live/no-sources): src_addrs: is required',
        'relay_sources[2] (live/no-sources): src_addrs: is required',
        'relay_sources[2] (live/no-sources): start_time: must be Unix seconds or an ISO 8601 timestamp with an offset '
        '(for example "2026-12-01T20:00:00+08:00"), got \'soon\'',
        'relay_sources[2] (live/no-sources): lists the same app and stream as relay_sources[0]',
        'relay_sources[3] (bad app/x): app: may contain only letters, digits, "_", "-" and "."; found \' \'',
        'relay_sources[3] (bad app/x): src_addrs: \'ftp://o.example.com/x\' uses the unsupported scheme "ftp"; '
        'supported: rtmp, http, https, srt (RTMP, FLV, HLS, SRT)',
        'relay_sources[3] (bad app/x): start_time: start_time and end_time must be given together '
        '(leave both out for a permanent relay)',
    ]
    assert result['msg'].startswith('7 problem(s) in relay_sources, nothing was sent: ')


A_YEAR_AGO = int(time.time()) - 365 * 86400


def test_an_item_whose_window_is_over_is_refused_and_nothing_is_written(run, http):
    http.configs.extend([api('ended', StartTime=A_YEAR_AGO - 3600, EndTime=A_YEAR_AGO), api('stale')])
    over = dict(start_time=A_YEAR_AGO - 3600, end_time=A_YEAR_AGO)
    end_text = time.strftime('%Y-%m-%dT%H:%M:%S+08:00', time.gmtime(A_YEAR_AGO + 8 * 3600))
    items = [
        source('ended', **over),  # found with exactly this window: no change
        source('new'),
        source('late', start_time=over['start_time'], end_time=end_text),
        source('ended2', **over),
    ]
    for check in (True, False):
        result, failed = run(DEFINITION, dict(args(items, purge=True), _ansible_check_mode=check))
        assert failed and result['changed'] is False and result['option'] == 'relay_sources', result
        late, ended2 = result['problems']
        assert late.startswith(
            'relay_sources[2] (live/late): end_time: is in the past: the window ended at %s '
            '(Unix %d)' % (end_text, A_YEAR_AGO)
        ), late
        assert ended2.startswith('relay_sources[3] (live/ended2): end_time: is in the past')
        assert '+00:00 (Unix %d)' % A_YEAR_AGO in ended2
    assert set(http.actions()) == {'ListRelaySourceV4'} and len(http.configs) == 2
    rerun, failed = run(DEFINITION, args([source('ended', **over), source('new')]))
    assert not failed and rerun['created'] == [
        {'app': 'live', 'stream': 'new', 'task_id': rerun['created'][0]['task_id']}
    ]
    assert rerun['unchanged'] == 1
    gone, failed = run(DEFINITION, args([{'app': 'live', 'stream': 'ended'}], state='absent'))
    assert not failed and gone['deleted'] == [{'app': 'live', 'stream': 'ended'}]


def test_an_unknown_key_of_an_item_is_refused_before_any_request(run, http):
    item = {'app': 'live', 'stream': 'x', 'src_addrs': ['rtmp://o.example.com/l/x'], 'colour': 'blue'}
    result, failed = run(DEFINITION, args([item]))
    assert failed and http.calls == []
    assert 'colour' in result['msg'] and 'relay_sources' in result['msg']


def test_problems_without_unknown_keys(run, http):
    result, failed = run(
        DEFINITION, args([source('ok'), {'stream': 'orphan', 'src_addrs': ['rtmp://o.example.com/x']}, source('ok')])
    )
    assert failed and http.calls == []
    assert result['problems'] == [
        'relay_sources[1]: app: is required',
        'relay_sources[2] (live/ok): lists the same app and stream as relay_sources[0]',
    ]
    assert result['msg'].startswith('2 problem(s) in relay_sources, nothing was sent: relay_sources[1]: app: ')


def test_what_relay_source_info_returns_can_be_fed_back(run, http):
    http.configs.extend([api('a', StartTime=2114337600, EndTime=2114359200), api('b')])
    listed, failed = run(INFO, dict(domain='PULL.example.com', access_key='AKLTbatch', secret_key=SECRET, rate_limit=0))
    assert not failed
    assert listed['relay_sources'][0]['start_time_iso'] == '2036-12-31T12:00:00+00:00'  # fed back with them
    result, failed = run(DEFINITION, args(listed['relay_sources'], domain='pull.example.com', purge=True))
    assert not failed and result['changed'] is False and result['unchanged'] == 2


def test_a_readable_copy_that_disagrees_is_a_problem_of_its_item_with_every_other(run, http):
    items = [
        source('a', start_time=2114337600, end_time=2114359200, end_time_iso='2036-12-31T18:00:00+00:00'),
        source('b', start_time=2114337600, end_time=2114359200, start_time_iso='2036-12-31T20:00:00+00:00'),
        source('c', end_time_iso='2036-12-31T18:00:00+00:00'),
        source('d', src_addrs=None),
    ]
    result, failed = run(DEFINITION, args(items))
    assert failed and http.calls == []
    assert result['problems'] == [
        'relay_sources[1] (live/b): start_time_iso: names 2036-12-31T20:00:00+00:00 (Unix 2114366400), but '
        'start_time names 2036-12-31T12:00:00+00:00 (Unix 2114337600); results carry one time in both, so give '
        'start_time alone',
        'relay_sources[2] (live/c): end_time_iso: is the readable copy of end_time that results carry beside it, '
        'and end_time is not given; set the window with end_time (it takes ISO 8601 too)',
        'relay_sources[3] (live/d): src_addrs: is required',
    ]


def test_the_diff_shows_each_stream_s_times_in_the_offset_its_item_was_written_in(run, http):
    http.configs.append(api('a', StartTime=2114337600, EndTime=2114359200))
    items = [
        source('a', start_time='2036-12-31T21:00:00+08:00', end_time='2037-01-01T02:00:00+08:00'),
        source('b', start_time=2114337600, end_time=2114359200),
    ]
    result, failed = run(DEFINITION, args(items, _ansible_diff=True, _ansible_check_mode=True))
    assert not failed
    views = {view['after_header'] + '|' + view['after'].get('stream', ''): view for view in result['diff'][1:]}
    updated = views['relay source pull.example.com/live/a|a']
    assert updated['before']['start_time_iso'] == '2036-12-31T20:00:00+08:00'
    assert updated['after']['start_time_iso'] == '2036-12-31T21:00:00+08:00'
    created = views['relay source pull.example.com/live/b|b']
    assert created['after']['end_time_iso'] == '2036-12-31T18:00:00+00:00'


def test_purge_needs_state_present(run, http):
    result, failed = run(DEFINITION, args([], state='absent', purge=True))
    assert failed and result['option'] == 'purge' and http.calls == []


def test_purge_apps_without_purge_warns(run, http):
    result, failed = run(DEFINITION, args([source('a')], purge_apps=['live']))
    assert not failed
    assert 'purge_apps limits purge, which is off' in result['warnings'][0]


def test_a_refused_write_fails_its_stream_only(run, http):
    http.configs.extend([api('upd'), api('del')])
    http.refuse[('CreateRelaySourceV4', 'bad')] = envelope(
        'CreateRelaySourceV4', error='InvalidParam', request_id='rid-bad', status=400
    )
    wanted = [source('good'), source('bad'), source('upd', src_addrs=['srt://n.example.com:1'])]
    result, failed = run(DEFINITION, args(wanted, purge=True))
    assert failed and result['changed'] is True
    assert streams(result['created']) == ['good']
    assert result['updated'] == [{'app': 'live', 'stream': 'upd'}]
    assert result['deleted'] == [{'app': 'live', 'stream': 'del'}]
    (failure,) = result['failures']
    assert (failure['app'], failure['stream'], failure['action']) == ('live', 'bad', 'create')
    assert failure['request_id'] == 'rid-bad' and failure['error']['code'] == 'InvalidParam'
    assert result['msg'].startswith('1 of 4 write(s) failed: live/bad: CreateRelaySourceV4 failed: InvalidParam')
    assert result['msg'].endswith('Done anyway: created 1, updated 1, deleted 1.')
    assert http.count('CreateRelaySourceV4') == 2  # a permanent error is not retried
    assert masks(result, SECRET)


def test_many_failures_are_named_up_to_ten(run, http):
    for index in range(12):
        http.refuse[('CreateRelaySourceV4', 's%02d' % index)] = envelope(
            'CreateRelaySourceV4', error='InvalidParam', status=400
        )
    result, failed = run(DEFINITION, args([source('s%02d' % i) for i in range(12)]))
    assert failed and len(result['failures']) == 12
    assert '(and 2 more, see failures)' in result['msg']


@pytest.mark.parametrize(
    'failure',
    [
        requests.exceptions.ReadTimeout('read timed out'),
        requests.exceptions.ConnectionError('Connection aborted.'),
        envelope('CreateRelaySourceV4', error='InternalServiceError', status=502),
    ],
)
def test_a_create_whose_answer_was_lost_is_found_by_a_second_read_not_repeated(run, http, failure):
    http.after_commit['CreateRelaySourceV4'] = [failure]
    result, failed = run(DEFINITION, args([source('a'), source('b')]))
    assert not failed
    assert sorted(c['Stream'] for c in http.configs) == ['a', 'b']
    assert http.count('CreateRelaySourceV4') == 2 and http.count('ListRelaySourceV4') == 2
    assert sorted(entry['task_id'] is None for entry in result['created']) == [False, True]
    assert 'answers to 1 write(s) were lost' in result['warnings'][0]


def test_a_create_that_was_not_carried_out_is_made_after_the_second_read(run, http):
    http.answers['CreateRelaySourceV4'] = [envelope('CreateRelaySourceV4', error='InternalError', status=500)]
    result, failed = run(DEFINITION, args([source('a')]))
    assert not failed and len(http.configs) == 1 and result['created'][0]['task_id']
    assert http.actions() == ['ListRelaySourceV4', 'CreateRelaySourceV4', 'ListRelaySourceV4', 'CreateRelaySourceV4']


def test_a_create_without_an_answer_committed_after_the_reads_fails_its_stream_only(run, http):
    # The create of "a" gets no answer, and the service commits it only after the module's reads: it is not sent
    # again; "b" is created; the task fails naming "a", reporting a change. The rerun finds "a" and sends nothing.
    http.answers['CreateRelaySourceV4'] = [requests.exceptions.ReadTimeout('read timed out')]
    result, failed = run(DEFINITION, args([source('a'), source('b')], timeout=4))
    assert failed and result['changed'] is True
    assert streams(result['created']) == ['b']
    assert http.count('CreateRelaySourceV4') == 2 and http.count('ListRelaySourceV4') == 3
    assert http.sleeps == [4, 4]
    (failure,) = result['failures']
    assert (failure['stream'], failure['action'], failure['error']['code']) == ('a', 'create', 'Timeout')
    assert 'not found when looked up again 2 times' in failure['msg'] and 'not sent again' in failure['msg']
    assert result['msg'].startswith('1 of 2 write(s) failed: live/a: CreateRelaySourceV4 failed: Timeout')
    http.configs.append(api('a'))  # the late commit
    again, failed = run(DEFINITION, args([source('a'), source('b')], timeout=4))
    assert not failed and again['changed'] is False and http.count('CreateRelaySourceV4') == 2


def test_a_delete_whose_answer_was_lost_is_not_repeated(run, http):
    http.configs.extend([api('stale')])
    http.after_commit['DeleteRelaySourceV4'] = [requests.exceptions.ReadTimeout('read timed out')]
    result, failed = run(DEFINITION, args([], purge=True))
    assert not failed and result['deleted'] == [{'app': 'live', 'stream': 'stale'}]
    assert http.count('DeleteRelaySourceV4') == 1


def test_throttled_writes_are_retried_by_the_client(run, http):
    http.answers['CreateRelaySourceV4'] = [envelope('CreateRelaySourceV4', error='FlowLimitExceeded', status=429)]
    result, failed = run(DEFINITION, args([source('a')]))
    assert not failed and len(http.configs) == 1
    assert http.actions() == ['ListRelaySourceV4', 'CreateRelaySourceV4', 'CreateRelaySourceV4']


def test_open_writes_run_out_of_rounds(run, http):
    http.answers['CreateRelaySourceV4'] = [
        envelope('CreateRelaySourceV4', error='InternalError', status=500, request_id='rid-%d' % i) for i in range(3)
    ]
    result, failed = run(DEFINITION, args([source('a')], retries=2))
    assert failed and http.configs == []
    (failure,) = result['failures']
    assert failure['error']['attempts'] == 3 and failure['request_id'] == 'rid-2'


def test_an_unreadable_domain_fails_before_any_write(run, http):
    http.answers['ListRelaySourceV4'] = [envelope('ListRelaySourceV4', error='RequestForbidden', status=403)]
    result, failed = run(DEFINITION, args([source('a')]))
    assert failed and result['changed'] is False and result['error']['code'] == 'RequestForbidden'
    assert http.actions() == ['ListRelaySourceV4']


def test_a_window_the_service_keeps_is_reported(run, http):
    http.keep_window_on_update = True
    http.configs.extend([stored('timed', App='live', StartTime=2114337600, EndTime=2114359200)])
    result, failed = run(DEFINITION, args([source('timed')]))
    assert failed and result['updated'] == [{'app': 'live', 'stream': 'timed'}]
    assert (
        'kept the time window from 2036-12-31T12:00:00+00:00 (Unix 2114337600) to 2036-12-31T18:00:00+00:00 '
        '(Unix 2114359200) of live/timed' in result['failures'][0]['msg']
    )
    assert http.count('ListRelaySourceV4') == 2


def test_check_mode_without_credentials_validates_only(run, http):
    result, failed = run(
        DEFINITION, dict(args([source('a')], access_key=None, secret_key=None), _ansible_check_mode=True)
    )
    assert not failed and http.calls == [] and result['changed'] is True
    assert 'could not read the domain' in result['warnings'][0]
