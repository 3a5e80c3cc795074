# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The simulator's pull-to-push tasks and groups, driven through real signed HTTP requests (GET included)."""

from __future__ import annotations

import datetime
import http.client
import json
import os
import re
import time
import urllib.request

import pytest

from ansible_collections.volcengine.live.tests.unit.helpers.simulator import (
    AK,
    DROP,
    SK,
    admin,
    admin_refused,
    body_of,
    call,
    ok,
    refused,
    sdk,
    sdk_refused,
    signed_request,
)
from ansible_collections.volcengine.live.tools.live_simulator.server import RateLimiter, Simulator

HEX32 = re.compile(r'^[0-9a-f]{32}$')


@pytest.fixture
def sim(tmp_path):
    simulator = Simulator(state_path=str(tmp_path / 'state.json'), accounts={AK: SK}, rate_limit=0).start()
    yield simulator
    simulator.stop()


@pytest.fixture(scope='module')
def shared(tmp_path_factory):
    """One simulator for the tests whose requests are all refused (nothing is ever stored)."""
    simulator = Simulator(
        state_path=str(tmp_path_factory.mktemp('shared') / 'state.json'), accounts={AK: SK}, rate_limit=0
    ).start()
    yield simulator
    simulator.stop()


def live(**extra):
    now = int(time.time())
    return body_of(
        {
            'Title': 'live1',
            'Type': 0,
            'StartTime': now + 3600,
            'EndTime': now + 7200,
            'SrcAddr': 'rtmp://origin.example.com/live/src',
            'DstAddr': 'rtmp://push.example.com/live/dst',
        },
        extra,
    )


def vod(**extra):
    now = int(time.time())
    return body_of(
        {
            'Title': 'vod1',
            'Type': 1,
            'StartTime': now + 3600,
            'EndTime': now + 7200,
            'SrcAddrS': ['http://vod.example.com/a.mp4', 'http://vod.example.com/b.mp4'],
            'CycleMode': 0,
            'Domain': 'push.example.com',
            'App': 'live',
            'Stream': 's1',
        },
        extra,
    )


def tasks(sim, **body):
    return ok(sim, 'ListPullToPushTaskV2', body)['List']


def state(sim):
    return admin(sim, '/_sim/state')['pull_to_push']


def writes(sim):
    return admin(sim, '/_sim/stats')['writes']


# --- create and list ------------------------------------------------------------------------------------------


def test_create_and_list_a_live_task(sim):
    body = live(DstAddr=DROP, Domain='push.example.com', App='live', Stream='s1', Title='直播Live1')
    task_id = ok(sim, 'CreatePullToPushTask', body)['TaskId']
    assert HEX32.match(task_id)
    (item,) = tasks(sim)
    assert item == {
        'TaskId': task_id,
        'Title': '直播Live1',
        'GroupName': 'default',
        'Type': 0,
        'SrcAddr': 'rtmp://origin.example.com/live/src',
        'DstAddr': 'rtmp://push.example.com/live/s1',
        'StartTime': datetime.datetime.fromtimestamp(body['StartTime'], datetime.timezone.utc)
        .astimezone(datetime.timezone(datetime.timedelta(hours=8)))
        .isoformat(),
        'EndTime': datetime.datetime.fromtimestamp(body['EndTime'], datetime.timezone.utc)
        .astimezone(datetime.timezone(datetime.timedelta(hours=8)))
        .isoformat(),
        'Status': '未开始',
    }
    assert item['StartTime'].endswith('+08:00')
    assert writes(sim) == 1
    # The group default came into being on first use.
    assert ok(sim, 'ListPullToPushGroup') == {
        'List': [{'Name': 'default', 'ProjectName': 'default', 'Status': 1, 'Tags': []}],
        'Total': 1,
    }
    (stored,) = state(sim)['tasks']
    assert (stored['TaskId'], stored['GroupName'], stored['stopped']) == (task_id, 'default', False)
    assert (stored['StartTime'], stored['EndTime']) == (body['StartTime'], body['EndTime'])


def test_times_are_rfc3339_in_china_time(sim):
    start = int(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.timezone.utc).timestamp())
    admin(sim, '/_sim/state', {'pull_to_push_tasks': [live(StartTime=start, EndTime=start + 3600)]})
    (item,) = tasks(sim)
    assert (item['StartTime'], item['EndTime']) == ('2026-12-02T20:00:00+08:00', '2026-12-02T21:00:00+08:00')


def test_titles_are_not_unique(sim):
    first = ok(sim, 'CreatePullToPushTask', live(Title='same'))['TaskId']
    second = ok(sim, 'CreatePullToPushTask', live(Title='same', SrcAddr='rtmp://o2.example.com/live/src'))['TaskId']
    assert first != second
    items = tasks(sim)
    assert [(i['TaskId'], i['Title']) for i in items] == [(first, 'same'), (second, 'same')]
    assert items[1]['SrcAddr'] == 'rtmp://o2.example.com/live/src'
    assert writes(sim) == 2


def test_optional_fields_are_kept_and_listed_as_sent(sim):
    watermark = {'Picture': 'data:image/png;base64,AAAA', 'Ratio': 0.2, 'RelativePosX': 0.1, 'RelativePosY': 0.9}
    body = vod(
        CallbackURL='https://hook.example.com/p2p',
        PlayTimes=0,
        ContinueStrategy=1,
        PreDownload=1,
        Offset=2.5,
        OffsetS=[1.0, 2.0],
        Watermark=watermark,
        CycleMode=1,
    )
    ok(sim, 'CreatePullToPushTask', body)
    (item,) = tasks(sim)
    for key in ('CallbackURL', 'PlayTimes', 'ContinueStrategy', 'PreDownload', 'Offset', 'OffsetS', 'CycleMode'):
        assert item[key] == body[key], key
    assert item['Watermark'] == watermark
    # A key that was not sent is not listed.
    ok(sim, 'CreatePullToPushTask', live(Title=DROP))
    second = tasks(sim)[1]
    assert second['Title'] == ''
    assert not {'CallbackURL', 'PlayTimes', 'ContinueStrategy', 'Watermark', 'CycleMode'} & set(second)


def test_create_accepts_the_documented_limits(sim):
    now = int(time.time())
    bodies = [
        live(Title='测' * 20, StartTime=now, EndTime=now + 7 * 86400, SrcAddr='rtmp://o.example.com/' + 'x' * 979),
        live(Title='a' * 20, CallbackURL='https://h.example.com/' + 'c' * 490),
        vod(SrcAddrS=['http://vod.example.com/%d.mp4' % i for i in range(30)]),
        vod(
            SrcAddrS=DROP,
            VodSrcAddrs=[
                {'SrcAddr': 'http://vod.example.com/%d.mp4' % i, 'StartOffset': 1, 'EndOffset': 9.5} for i in range(30)
            ],
        ),
        live(Title='', GroupName=''),  # empty: no title, the group default
    ]
    assert len(bodies[0]['SrcAddr']) == 1000 and len(bodies[1]['CallbackURL']) == 512
    for body in bodies:
        ok(sim, 'CreatePullToPushTask', body)
    stored = state(sim)['tasks']
    assert len(stored) == 5
    assert len(stored[2]['SrcAddrS']) == 30 and len(stored[3]['VodSrcAddrs']) == 30
    assert 'Title' not in stored[4] and stored[4]['GroupName'] == 'default'


NOW = int(time.time())


@pytest.mark.parametrize(
    'body, status, code, words',
    [
        (live(Type=DROP), 400, 'InvalidParam', 'Type is required'),
        (live(Type=2), 400, 'InvalidParam', 'Type must be'),
        (live(Type='0'), 400, 'InvalidParam.BindError', 'Type'),
        (live(StartTime=DROP), 400, 'InvalidParam', 'StartTime is required'),
        (live(EndTime=DROP), 400, 'InvalidParam', 'EndTime is required'),
        (live(StartTime=NOW + 9000, EndTime=NOW + 9000), 400, 'InvalidParam', 'later than'),
        (live(StartTime=NOW + 60, EndTime=NOW + 60 + 7 * 86400 + 1), 400, 'InvalidParam', '7 days'),
        (live(StartTime=str(NOW + 60)), 400, 'InvalidParam.BindError', 'StartTime'),
        (live(StartTime=2147480000, EndTime=2**31), 400, 'InvalidParam.BindError', 'int32'),
        (live(StartTime=NOW - 7200, EndTime=NOW - 10), 400, 'InvalidParam', 'in the past'),
        (live(SrcAddr=DROP), 400, 'InvalidParam', 'SrcAddr is required'),
        (live(SrcAddr='rtmp://o.example.com/' + 'x' * 980), 400, 'InvalidParam', 'at most 1000'),
        (live(SrcAddr=5), 400, 'InvalidParam.BindError', 'SrcAddr'),
        (live(SrcAddrS=['http://vod.example.com/a.mp4']), 400, 'InvalidParam', 'VOD tasks'),
        (vod(SrcAddrS=DROP), 400, 'InvalidParam', 'needs SrcAddrS or VodSrcAddrs'),
        (vod(SrcAddrS=[]), 400, 'InvalidParam', 'needs SrcAddrS or VodSrcAddrs'),
        (vod(VodSrcAddrs=[{'SrcAddr': 'http://vod.example.com/a.mp4'}]), 400, 'InvalidParam', 'both'),
        (vod(SrcAddrS=['http://v.example.com/%d' % i for i in range(31)]), 400, 'InvalidParam', 'at most 30'),
        (
            vod(SrcAddrS=DROP, VodSrcAddrs=[{'SrcAddr': 'http://v.example.com/%d' % i} for i in range(31)]),
            400,
            'InvalidParam',
            'at most 30',
        ),
        (vod(SrcAddrS='http://vod.example.com/a.mp4'), 400, 'InvalidParam.BindError', 'array'),
        (vod(SrcAddrS=['']), 400, 'InvalidParam', 'empty'),
        (vod(SrcAddrS=DROP, VodSrcAddrs=[{'StartOffset': 1}]), 400, 'InvalidParam', 'needs a SrcAddr'),
        (
            vod(SrcAddrS=DROP, VodSrcAddrs=[{'SrcAddr': 'http://v.example.com/a', 'EndOffset': 'end'}]),
            400,
            'InvalidParam.BindError',
            'EndOffset',
        ),
        (vod(SrcAddrS=DROP, VodSrcAddrs=['http://v.example.com/a']), 400, 'InvalidParam.BindError', 'object'),
        (vod(CycleMode=DROP), 400, 'InvalidParam', 'CycleMode is required'),
        (vod(CycleMode='loop'), 400, 'InvalidParam.BindError', 'CycleMode'),
        (vod(SrcAddr='rtmp://o.example.com/live/src'), 400, 'InvalidParam', 'live tasks'),
        (live(PlayTimes=-1), 400, 'InvalidParam', 'PlayTimes'),
        (live(PlayTimes=1.5), 400, 'InvalidParam.BindError', 'PlayTimes'),
        (live(DstAddr='http://push.example.com/live/dst'), 400, 'InvalidParam', 'RTMP'),
        (live(DstAddr='rtmp://'), 400, 'InvalidParam', 'RTMP'),
        (live(DstAddr=DROP, Domain='push.example.com', App='live'), 400, 'InvalidParam', 'missing Stream'),
        (live(DstAddr=''), 400, 'InvalidParam', 'missing Domain, App, Stream'),
        (live(CallbackURL='https://h.example.com/' + 'c' * 491), 400, 'InvalidParam', 'at most 512'),
        (live(Title='t' * 21), 400, 'InvalidParam', 'Title'),
        (live(Title='with space'), 400, 'InvalidParam', 'Title'),
        (live(Title='a-b'), 400, 'InvalidParam', 'Title'),
        (live(Title='ab\n'), 400, 'InvalidParam', 'Title'),
        (live(Title=5), 400, 'InvalidParam.BindError', 'Title'),
        (live(GroupName='nosuchgroup'), 404, 'ResourceNotFound', 'nosuchgroup'),
        (['not', 'an', 'object'], 400, 'InvalidParam.BindError', 'object'),
        (b'{not json', 400, 'InvalidParam.BindError', 'JSON'),
    ],
)
def test_create_rejects(shared, body, status, code, words):
    got_status, got_code, message = refused(shared, 'CreatePullToPushTask', body)
    assert (got_status, got_code) == (status, code)
    assert words in message
    assert state(shared)['tasks'] == []
    assert writes(shared) == 0


@pytest.mark.parametrize('name', ['g-1', 'g_1', 'g1\n', 'g' * 21])
def test_a_group_name_is_chinese_characters_letters_and_digits(sim, name):
    status, answer = call(sim, 'CreatePullToPushGroup', {'Name': name, 'ProjectName': 'p1'})
    assert status == 400 and answer['ResponseMetadata']['Error']['Code'] == 'InvalidParam'


def test_a_task_goes_into_an_existing_group(sim):
    ok(sim, 'CreatePullToPushGroup', {'Name': 'g1', 'ProjectName': 'p1'})
    ok(sim, 'CreatePullToPushTask', live(GroupName='g1'))
    assert [i['GroupName'] for i in tasks(sim)] == ['g1']
    assert [g['Name'] for g in ok(sim, 'ListPullToPushGroup')['List']] == ['g1']  # no default: not used


# --- the clock -----------------------------------------------------------------------------------------------


def test_statuses_move_with_the_clock(sim):
    now = int(time.time())
    task_id = ok(sim, 'CreatePullToPushTask', live(StartTime=now + 100, EndTime=now + 200))['TaskId']

    def status():
        (item,) = tasks(sim)
        (via_get,) = ok(sim, 'ListPullToPushTask', {}, method='GET')['List']
        assert via_get['Status'] == item['Status']
        return item['Status']

    assert status() == '未开始'
    assert admin(sim, '/_sim/config', {'clock_offset': 150})['clock_offset'] == 150
    assert status() == '生效中'
    ok(sim, 'StopPullToPushTask', {'TaskId': task_id})
    assert status() == '停用'
    admin(sim, '/_sim/config', {'clock_offset': 50})
    assert status() == '停用'  # stopped, and not started yet
    admin(sim, '/_sim/config', {'clock_offset': 200})
    assert status() == '已结束'  # from EndTime on, stopped or not
    ok(sim, 'ContinuePullToPushTask', {'TaskId': task_id})
    assert status() == '已结束'
    admin(sim, '/_sim/config', {'clock_offset': 190.5})
    assert status() == '生效中'
    assert admin(sim, '/_sim/config')['clock_offset'] == 190.5


def test_an_end_in_the_past_by_the_simulator_clock_is_refused(sim):
    now = int(time.time())
    body = live(StartTime=now + 100, EndTime=now + 200)
    admin(sim, '/_sim/config', {'clock_offset': 300})
    status, code, message = refused(sim, 'CreatePullToPushTask', body)
    assert (status, code) == (400, 'InvalidParam') and 'past' in message
    admin(sim, '/_sim/config', {'clock_offset': 0})
    ok(sim, 'CreatePullToPushTask', body)
    assert len(state(sim)['tasks']) == 1


def test_seeded_tasks_may_be_ended_or_stopped(sim):
    now = int(time.time())
    answer = admin(
        sim,
        '/_sim/state',
        {
            'pull_to_push_groups': [{'Name': 'g1', 'ProjectName': 'p1'}],
            'pull_to_push_tasks': [
                live(StartTime=now - 7200, EndTime=now - 3600, TaskId='ended-task'),
                live(StartTime=now - 60, EndTime=now + 3600, stopped=True, GroupName='g1'),
                live(StartTime=now - 60, EndTime=now + 3600),
            ],
        },
    )
    assert answer['ok'] is True and answer['added'] == 4
    assert answer['task_ids'][0] == 'ended-task' and HEX32.match(answer['task_ids'][1])
    items = tasks(sim)
    assert [(i['TaskId'], i['GroupName'], i['Status']) for i in items] == [
        ('ended-task', 'default', '已结束'),
        (answer['task_ids'][1], 'g1', '停用'),
        (answer['task_ids'][2], 'default', '生效中'),
    ]
    assert [t['stopped'] for t in state(sim)['tasks']] == [False, True, False]
    assert writes(sim) == 0  # seeding is not an API write


@pytest.mark.parametrize(
    'body',
    [
        {'pull_to_push_tasks': [live(), live(Type=DROP)]},
        {'pull_to_push_tasks': [live(GroupName='nosuchgroup')]},
        {'pull_to_push_tasks': [live(TaskId='twice'), live(TaskId='twice')]},
        {'pull_to_push_tasks': [live(stopped='yes')]},
        {'pull_to_push_groups': [{'Name': 'g1'}]},
        {'pull_to_push_groups': [{'Name': 'g1', 'ProjectName': 'p'}, {'Name': 'g1', 'ProjectName': 'p'}]},
    ],
)
def test_seeding_checks_everything_before_adding_anything(shared, body):
    assert admin_refused(shared, '/_sim/state', body) == 400
    assert state(shared) == {'tasks': [], 'groups': []}


# --- the GET -------------------------------------------------------------------------------------------------


def seed_listing(sim):
    """45 tasks: task00..task29 in group g1, task30..task44 in default."""
    admin(
        sim,
        '/_sim/state',
        {
            'pull_to_push_groups': [{'Name': 'g1', 'ProjectName': 'p1'}],
            'pull_to_push_tasks': [
                live(Title='task%02d' % i, TaskId='id%02d' % i, GroupName='g1' if i < 30 else '') for i in range(45)
            ],
        },
    )


def test_list_by_get_signed_by_the_official_sdk(sim):
    seed_listing(sim)
    answer = sdk(sim).list_pull_to_push_task({'Page': 2, 'Size': 4, 'GroupName': 'g1', 'Title': 'task1'})
    assert answer['ResponseMetadata']['Action'] == 'ListPullToPushTask'
    result = answer['Result']
    assert [i['TaskId'] for i in result['List']] == ['id14', 'id15', 'id16', 'id17']
    assert result['Pagination'] == {'PageCur': 2, 'PageSize': 4, 'PageTotal': 3, 'TotalCount': 10}
    assert all('GroupName' not in item for item in result['List'])
    assert result['List'][0]['Status'] == '未开始'
    # Every group without GroupName; the defaults of Page and Size.
    everything = sdk(sim).list_pull_to_push_task({})['Result']
    assert everything['Pagination'] == {'PageCur': 1, 'PageSize': 20, 'PageTotal': 3, 'TotalCount': 45}
    assert [i['TaskId'] for i in everything['List']] == ['id%02d' % i for i in range(20)]


def test_a_get_with_a_chinese_title_and_a_space_verifies(sim):
    ok(sim, 'CreatePullToPushTask', live(Title='直播一号'))
    result = sdk(sim).list_pull_to_push_task({'Title': '直播'})['Result']
    assert [i['Title'] for i in result['List']] == ['直播一号']
    assert sdk(sim).list_pull_to_push_task({'Title': 'no such title'})['Result']['List'] == []
    assert ok(sim, 'ListPullToPushTask', {'Title': '一号', 'Page': 1}, method='GET')['Pagination']['TotalCount'] == 1


def test_a_get_with_a_wrong_secret_or_a_tampered_query_is_rejected(sim):
    assert sdk_refused(sdk(sim, secret='wrong').list_pull_to_push_task, {})['Code'] == 'SignatureDoesNotMatch'
    status, answer = call(sim, 'ListPullToPushTask', {'Size': 5}, method='GET', sent_query={'Size': '6'})
    assert (status, answer['ResponseMetadata']['Error']['Code']) == (401, 'SignatureDoesNotMatch')
    assert admin(sim, '/_sim/stats')['auth_failures'] == 2


def test_a_repeated_query_key_is_signed_once_per_value(sim):
    # The signature verifies; the service then refuses two GroupNames.
    status, code, message = refused(sim, 'ListPullToPushTask', {'GroupName': ['g1', 'g2']}, method='GET')
    assert (status, code) == (400, 'InvalidParam.BindError') and 'GroupName' in message


@pytest.mark.parametrize(
    'action, method',
    [
        ('ListPullToPushTask', 'POST'),
        ('ListPullToPushTaskV2', 'GET'),
        ('CreatePullToPushTask', 'GET'),
        ('ListPullToPushGroup', 'GET'),
        ('ListRelaySourceV4', 'GET'),
    ],
)
def test_each_action_takes_its_own_method(shared, action, method):
    status, code, message = refused(shared, action, {}, method=method)
    assert (status, code) == (405, 'MethodNotAllowed')
    assert message == '%s accepts %s only' % (action, 'POST' if method == 'GET' else 'GET')


# --- list filters and pages ----------------------------------------------------------------------------------


def test_list_v2_filters_and_pages(sim):
    seed_listing(sim)
    pages = [ok(sim, 'ListPullToPushTaskV2', {'Page': page, 'Size': 20}) for page in (1, 2, 3, 4)]
    assert [len(p['List']) for p in pages] == [20, 20, 5, 0]
    assert pages[2]['Pagination'] == {'PageCur': 3, 'PageSize': 20, 'PageTotal': 3, 'TotalCount': 45}
    assert [i['TaskId'] for p in pages for i in p['List']] == ['id%02d' % i for i in range(45)]
    assert ok(sim, 'ListPullToPushTaskV2')['Pagination'] == {
        'PageCur': 1,
        'PageSize': 20,
        'PageTotal': 3,
        'TotalCount': 45,
    }
    assert len(tasks(sim, Size=500)) == 45
    assert len(tasks(sim, GroupNames=['g1'], Size=500)) == 30
    assert len(tasks(sim, GroupNames=['default'], Size=500)) == 15
    assert len(tasks(sim, GroupNames=['g1', 'default'], Size=500)) == 45
    assert len(tasks(sim, GroupNames=[], Size=500)) == 45
    assert tasks(sim, GroupNames=['nosuchgroup']) == []
    assert [i['Title'] for i in tasks(sim, Title='task1')] == ['task%d' % i for i in range(10, 20)]
    assert tasks(sim, Title='Task1') == []  # case-sensitive
    assert [i['Title'] for i in tasks(sim, Title='4', GroupNames=['default'])] == [
        'task34',
        'task40',
        'task41',
        'task42',
        'task43',
        'task44',
    ]


@pytest.mark.parametrize(
    'action, method, body, code',
    [
        ('ListPullToPushTaskV2', 'POST', {'Size': 501}, 'InvalidParam'),
        ('ListPullToPushTaskV2', 'POST', {'Size': 0}, 'InvalidParam'),
        ('ListPullToPushTaskV2', 'POST', {'Page': 0}, 'InvalidParam'),
        ('ListPullToPushTaskV2', 'POST', {'Size': True}, 'InvalidParam.BindError'),
        ('ListPullToPushTaskV2', 'POST', {'Size': 2.5}, 'InvalidParam.BindError'),
        ('ListPullToPushTaskV2', 'POST', {'GroupNames': 'g1'}, 'InvalidParam.BindError'),
        ('ListPullToPushTaskV2', 'POST', {'GroupNames': [1]}, 'InvalidParam.BindError'),
        ('ListPullToPushTaskV2', 'POST', {'Title': 5}, 'InvalidParam.BindError'),
        ('ListPullToPushTask', 'GET', {'Size': 501}, 'InvalidParam'),
        ('ListPullToPushTask', 'GET', {'Size': 0}, 'InvalidParam'),
        ('ListPullToPushTask', 'GET', {'Page': 0}, 'InvalidParam'),
        ('ListPullToPushTask', 'GET', {'Size': 'twenty'}, 'InvalidParam.BindError'),
        ('ListPullToPushGroup', 'POST', {'PageSize': 1001}, 'InvalidParam'),
        ('ListPullToPushGroup', 'POST', {'PageSize': 0}, 'InvalidParam'),
        ('ListPullToPushGroup', 'POST', {'PageNum': 0}, 'InvalidParam'),
        ('ListPullToPushGroup', 'POST', {'PageNum': '1'}, 'InvalidParam.BindError'),
    ],
)
def test_list_rejects(shared, action, method, body, code):
    status, got, _message = refused(shared, action, body, method=method)
    assert (status, got) == (400, code)


def test_largest_list_pages_are_accepted(sim):
    seed_listing(sim)
    assert ok(sim, 'ListPullToPushTask', {'Size': 500}, method='GET')['Pagination']['PageTotal'] == 1
    assert ok(sim, 'ListPullToPushGroup', {'PageSize': 1000})['Total'] == 2


# --- update, stop, continue, delete -----------------------------------------------------------------------------


def test_update_replaces_the_definition_and_keeps_the_group(sim):
    ok(sim, 'CreatePullToPushGroup', {'Name': 'g1', 'ProjectName': 'p1'})
    body = live(GroupName='g1', CallbackURL='https://hook.example.com/', PlayTimes=3, Title='before')
    first = ok(sim, 'CreatePullToPushTask', body)['TaskId']
    second = ok(sim, 'CreatePullToPushTask', live(GroupName='g1', Title='other'))['TaskId']
    update = vod(TaskId=first, GroupName='g1', Title='after')
    assert ok(sim, 'UpdatePullToPushTask', update) is None
    items = tasks(sim)
    assert [i['TaskId'] for i in items] == [first, second]  # the same task, in its place
    item = items[0]
    assert (item['Title'], item['Type'], item['GroupName']) == ('after', 1, 'g1')
    assert item['SrcAddrS'] == update['SrcAddrS'] and item['DstAddr'] == 'rtmp://push.example.com/live/s1'
    assert not {'CallbackURL', 'PlayTimes', 'SrcAddr'} & set(item)  # fields not sent are cleared
    stored = state(sim)['tasks'][0]
    assert not {'CallbackURL', 'PlayTimes', 'SrcAddr'} & set(stored) and stored['TaskId'] == first
    assert writes(sim) == 4


@pytest.mark.parametrize(
    'change, status, code, words',
    [
        ({'TaskId': DROP}, 400, 'InvalidParam', 'TaskId is required'),
        ({'TaskId': 'nosuchtask'}, 404, 'ResourceNotFound', 'nosuchtask'),
        ({'StartTime': DROP}, 400, 'InvalidParam', 'StartTime is required'),
        ({'EndTime': DROP}, 400, 'InvalidParam', 'EndTime is required'),
        ({'Type': DROP}, 400, 'InvalidParam', 'Type is required'),
        ({'GroupName': 'g2'}, 400, 'InvalidParam', 'belongs to the group g1'),
        ({'GroupName': DROP}, 400, 'InvalidParam', 'not default'),  # absent is default
        ({'StartTime': NOW - 7200, 'EndTime': NOW - 60}, 400, 'InvalidParam', 'past'),
        ({'Title': 'bad title'}, 400, 'InvalidParam', 'Title'),
    ],
)
def test_update_rejects(sim, change, status, code, words):
    for name in ('g1', 'g2'):
        ok(sim, 'CreatePullToPushGroup', {'Name': name, 'ProjectName': 'p'})
    task_id = ok(sim, 'CreatePullToPushTask', live(GroupName='g1'))['TaskId']
    before = state(sim)['tasks']
    got = refused(sim, 'UpdatePullToPushTask', live(**dict({'TaskId': task_id, 'GroupName': 'g1'}, **change)))
    assert got[:2] == (status, code) and words in got[2]
    assert state(sim)['tasks'] == before
    assert writes(sim) == 3


@pytest.mark.parametrize('mode, stopped, status', [('keep', True, '停用'), ('resume', False, '生效中')])
def test_update_status_modes(sim, mode, stopped, status):
    admin(sim, '/_sim/config', {'pull_to_push_update_status': mode})
    now = int(time.time())
    body = live(StartTime=now - 60, EndTime=now + 3600)
    task_id = ok(sim, 'CreatePullToPushTask', body)['TaskId']
    ok(sim, 'StopPullToPushTask', {'TaskId': task_id})
    ok(sim, 'UpdatePullToPushTask', dict(body, TaskId=task_id, Title='renamed'))
    (item,) = tasks(sim)
    assert (item['Title'], item['Status']) == ('renamed', status)
    assert state(sim)['tasks'][0]['stopped'] is stopped
    # A task that runs stays running under either mode.
    ok(sim, 'ContinuePullToPushTask', {'TaskId': task_id})
    ok(sim, 'UpdatePullToPushTask', dict(body, TaskId=task_id))
    assert tasks(sim)[0]['Status'] == '生效中'


def test_stop_continue_and_delete(sim):
    ok(sim, 'CreatePullToPushGroup', {'Name': 'g1', 'ProjectName': 'p1'})
    now = int(time.time())
    task_id = ok(sim, 'CreatePullToPushTask', live(GroupName='g1', StartTime=now - 60, EndTime=now + 3600))['TaskId']
    other = ok(sim, 'CreatePullToPushTask', live())['TaskId']

    def status():
        return {i['TaskId']: i['Status'] for i in tasks(sim)}[task_id]

    assert status() == '生效中'
    assert ok(sim, 'StopPullToPushTask', {'TaskId': task_id}) is None
    assert status() == '停用'
    ok(sim, 'StopPullToPushTask', {'TaskId': task_id, 'GroupName': 'g1'})  # stopping a stopped task succeeds
    assert status() == '停用'
    ok(sim, 'ContinuePullToPushTask', {'TaskId': task_id, 'GroupName': 'g1'})
    assert status() == '生效中'
    ok(sim, 'ContinuePullToPushTask', {'TaskId': task_id})  # continuing a running task succeeds
    assert status() == '生效中'
    assert writes(sim) == 7
    for action in ('StopPullToPushTask', 'ContinuePullToPushTask', 'DeletePullToPushTask'):
        assert refused(sim, action, {'TaskId': 'nosuchtask'})[:2] == (404, 'ResourceNotFound')
        assert refused(sim, action, {})[:2] == (400, 'InvalidParam')
        assert refused(sim, action, {'TaskId': 7})[:2] == (400, 'InvalidParam.BindError')
        got = refused(sim, action, {'TaskId': task_id, 'GroupName': 'default'})
        assert got[:2] == (400, 'InvalidParam') and 'belongs to the group g1' in got[2]
    assert status() == '生效中' and writes(sim) == 7
    assert ok(sim, 'DeletePullToPushTask', {'TaskId': task_id, 'GroupName': 'g1'}) is None
    assert [i['TaskId'] for i in tasks(sim)] == [other]
    assert refused(sim, 'DeletePullToPushTask', {'TaskId': task_id})[:2] == (404, 'ResourceNotFound')
    ok(sim, 'DeletePullToPushTask', {'TaskId': other})
    assert tasks(sim) == [] and writes(sim) == 9


# --- groups ------------------------------------------------------------------------------------------------------


def test_group_lifecycle(sim):
    tags = [{'Key': 'team', 'Value': 'media', 'Category': 'Custom'}, {'Key': 'env', 'Value': 'prod'}]
    assert ok(sim, 'CreatePullToPushGroup', {'Name': 'g' * 20, 'ProjectName': 'p1', 'Tags': tags}) is None
    ok(sim, 'CreatePullToPushGroup', {'Name': '第二组', 'ProjectName': 'p2'})
    result = ok(sim, 'ListPullToPushGroup', {'StatusList': [0, 1]})
    assert result == {
        'List': [
            {'Name': 'g' * 20, 'ProjectName': 'p1', 'Status': 1, 'Tags': tags},
            {'Name': '第二组', 'ProjectName': 'p2', 'Status': 1, 'Tags': []},
        ],
        'Total': 2,
    }
    assert 'Pagination' not in result
    got = refused(sim, 'CreatePullToPushGroup', {'Name': '第二组', 'ProjectName': 'p3'})
    assert got[:2] == (400, 'InvalidParam') and 'already exists' in got[2]
    ok(sim, 'UpdatePullToPushGroup', {'Name': 'g' * 20, 'ProjectName': 'p9', 'Tags': [{'Key': 'k', 'Value': 'v'}]})
    ok(sim, 'UpdatePullToPushGroup', {'Name': '第二组', 'ProjectName': 'p2', 'Tags': tags})
    listed = ok(sim, 'ListPullToPushGroup')['List']
    assert [(g['ProjectName'], g['Tags']) for g in listed] == [('p9', [{'Key': 'k', 'Value': 'v'}]), ('p2', tags)]
    ok(sim, 'UpdatePullToPushGroup', {'Name': '第二组', 'ProjectName': 'p2'})  # no Tags: none left
    assert ok(sim, 'ListPullToPushGroup')['List'][1]['Tags'] == []
    assert refused(sim, 'UpdatePullToPushGroup', {'Name': 'nosuch', 'ProjectName': 'p'})[:2] == (
        404,
        'ResourceNotFound',
    )
    assert ok(sim, 'DeletePullToPushGroup', {'Name': '第二组'}) is None
    assert [g['Name'] for g in ok(sim, 'ListPullToPushGroup')['List']] == ['g' * 20]
    assert refused(sim, 'DeletePullToPushGroup', {'Name': '第二组'})[:2] == (404, 'ResourceNotFound')
    ok(sim, 'CreatePullToPushGroup', {'Name': '第二组', 'ProjectName': 'p2'})  # a deleted name can be used again
    assert writes(sim) == 7
    assert [g['Name'] for g in state(sim)['groups']] == ['g' * 20, '第二组']


def test_the_default_group_is_a_group_once_used(sim):
    ok(sim, 'CreatePullToPushTask', live())
    got = refused(sim, 'CreatePullToPushGroup', {'Name': 'default', 'ProjectName': 'p'})
    assert got[:2] == (400, 'InvalidParam') and 'already exists' in got[2]
    ok(sim, 'UpdatePullToPushGroup', {'Name': 'default', 'ProjectName': 'mine'})
    assert ok(sim, 'ListPullToPushGroup')['List'][0]['ProjectName'] == 'mine'


@pytest.mark.parametrize(
    'action, body, code, words',
    [
        ('CreatePullToPushGroup', {'ProjectName': 'p'}, 'InvalidParam', 'Name is required'),
        ('CreatePullToPushGroup', {'Name': '', 'ProjectName': 'p'}, 'InvalidParam', 'Name is required'),
        ('CreatePullToPushGroup', {'Name': 'g' * 21, 'ProjectName': 'p'}, 'InvalidParam', '1 to 20'),
        ('CreatePullToPushGroup', {'Name': 5, 'ProjectName': 'p'}, 'InvalidParam.BindError', 'Name'),
        ('CreatePullToPushGroup', {'Name': 'g'}, 'InvalidParam', 'ProjectName is required'),
        ('CreatePullToPushGroup', {'Name': 'g', 'ProjectName': 'p', 'Tags': {}}, 'InvalidParam.BindError', 'Tags'),
        ('CreatePullToPushGroup', {'Name': 'g', 'ProjectName': 'p', 'Tags': ['k']}, 'InvalidParam.BindError', 'tag'),
        ('CreatePullToPushGroup', {'Name': 'g', 'ProjectName': 'p', 'Tags': [{'Value': 'v'}]}, 'InvalidParam', 'Key'),
        ('UpdatePullToPushGroup', {'Name': 'g'}, 'InvalidParam', 'ProjectName is required'),
        ('DeletePullToPushGroup', {}, 'InvalidParam', 'Name is required'),
        ('DeletePullToPushGroup', {'Name': 5}, 'InvalidParam.BindError', 'Name'),
    ],
)
def test_group_rejects(shared, action, body, code, words):
    status, got, message = refused(shared, action, body)
    assert (status, got) == (400, code) and words in message
    assert state(shared)['groups'] == []


def test_group_pages(sim):
    admin(sim, '/_sim/state', {'pull_to_push_groups': [{'Name': 'g%02d' % i, 'ProjectName': 'p'} for i in range(25)]})
    pages = [ok(sim, 'ListPullToPushGroup', {'PageNum': n, 'PageSize': 10}) for n in (1, 2, 3, 4)]
    assert [len(p['List']) for p in pages] == [10, 10, 5, 0]
    assert {p['Total'] for p in pages} == {25}
    assert [g['Name'] for p in pages for g in p['List']] == ['g%02d' % i for i in range(25)]
    assert len(ok(sim, 'ListPullToPushGroup')['List']) == 10  # PageSize 10 by default


@pytest.mark.parametrize(
    'mode, groups, left',
    [
        ('refuse', ['default', 'g1'], ['a', 'b', 'c']),
        ('cascade', ['default'], ['c']),
        ('orphan', ['default'], ['a', 'b', 'c']),
    ],
)
def test_group_delete_modes(sim, mode, groups, left):
    admin(sim, '/_sim/config', {'pull_to_push_group_delete': mode})
    ok(sim, 'CreatePullToPushGroup', {'Name': 'g1', 'ProjectName': 'p1'})
    ok(sim, 'CreatePullToPushTask', live(GroupName='g1', Title='a'))
    ok(sim, 'CreatePullToPushTask', live(GroupName='g1', Title='b'))
    ok(sim, 'CreatePullToPushTask', live(Title='c'))
    status, answer = call(sim, 'DeletePullToPushGroup', {'Name': 'g1'})
    if mode == 'refuse':
        error = answer['ResponseMetadata']['Error']
        assert (status, error['Code']) == (400, 'InvalidParam') and 'still has 2 task' in error['Message']
    else:
        assert status == 200 and 'Error' not in answer['ResponseMetadata']
    assert sorted(g['Name'] for g in ok(sim, 'ListPullToPushGroup')['List']) == groups
    items = tasks(sim)
    assert [i['Title'] for i in items] == left
    if mode == 'orphan':  # the tasks keep their old GroupName, are found by it and are still managed by it
        assert [i['GroupName'] for i in items] == ['g1', 'g1', 'default']
        assert [i['Title'] for i in tasks(sim, GroupNames=['g1'])] == ['a', 'b']
        ok(sim, 'StopPullToPushTask', {'TaskId': items[0]['TaskId'], 'GroupName': 'g1'})
        assert refused(sim, 'CreatePullToPushTask', live(GroupName='g1'))[:2] == (404, 'ResourceNotFound')


# --- modes ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize('mode', ['url', 'fields', 'signed_url'])
def test_destination_modes(sim, mode):
    admin(sim, '/_sim/config', {'pull_to_push_dst': mode})
    ok(sim, 'CreatePullToPushTask', live(DstAddr=DROP, Domain='push.example.com', App='live', Stream='s1'))
    ok(sim, 'CreatePullToPushTask', live(DstAddr='rtmp://push.example.com/live/s2?k=v'))
    fields_item, url_item = tasks(sim)
    via_get = ok(sim, 'ListPullToPushTask', {}, method='GET')['List'][0]
    if mode == 'url':
        assert fields_item['DstAddr'] == 'rtmp://push.example.com/live/s1'
        assert not {'Domain', 'App', 'Stream'} & set(fields_item)
    elif mode == 'fields':
        assert fields_item['DstAddr'] == ''
        assert (fields_item['Domain'], fields_item['App'], fields_item['Stream']) == ('push.example.com', 'live', 's1')
    else:
        match = re.match(
            r'^rtmp://push\.example\.com/live/s1\?volcTime=(\d+)&volcSecret=([0-9a-f]{32})$', fields_item['DstAddr']
        )
        assert match, fields_item['DstAddr']
        assert not {'Domain', 'App', 'Stream'} & set(fields_item)
    assert via_get['DstAddr'] == fields_item['DstAddr']
    # A DstAddr destination comes back as sent, whatever the mode.
    assert url_item['DstAddr'] == 'rtmp://push.example.com/live/s2?k=v'
    assert not {'Domain', 'App', 'Stream'} & set(url_item)
    # The mode changes what List answers, never what is stored.
    stored = state(sim)['tasks'][0]
    assert (stored['Domain'], stored['App'], stored['Stream']) == ('push.example.com', 'live', 's1')
    assert 'DstAddr' not in stored


@pytest.mark.parametrize('mode', ['as_sent', 'vod_src_addrs'])
def test_vod_list_modes(sim, mode):
    admin(sim, '/_sim/config', {'pull_to_push_vod_list': mode})
    plain = ['http://vod.example.com/a.mp4', 'http://vod.example.com/b.mp4']
    detailed = [{'SrcAddr': 'http://vod.example.com/c.mp4', 'StartOffset': 5, 'EndOffset': 60.5}]
    ok(sim, 'CreatePullToPushTask', vod(SrcAddrS=plain))
    ok(sim, 'CreatePullToPushTask', vod(SrcAddrS=DROP, VodSrcAddrs=detailed))
    first, second = tasks(sim)
    if mode == 'as_sent':
        assert first['SrcAddrS'] == plain and 'VodSrcAddrs' not in first
    else:
        assert first['VodSrcAddrs'] == [{'SrcAddr': a} for a in plain] and 'SrcAddrS' not in first
    assert second['VodSrcAddrs'] == detailed and 'SrcAddrS' not in second
    assert state(sim)['tasks'][0]['SrcAddrS'] == plain  # stored as sent


def test_the_configuration_lists_the_defaults(sim):
    config = admin(sim, '/_sim/config')
    assert {k: config[k] for k in config if k.startswith('pull_to_push_')} == {
        'pull_to_push_dst': 'url',
        'pull_to_push_vod_list': 'as_sent',
        'pull_to_push_update_status': 'keep',
        'pull_to_push_group_delete': 'refuse',
    }
    assert config['clock_offset'] == 0
    assert config['action_rates'] == {'ListPullToPushTaskV2': 15, 'ListPullToPushTask': 15}
    assert Simulator().limiter.rates == {'ListPullToPushTaskV2': 15, 'ListPullToPushTask': 15}


def test_modes_are_reset_only_by_configuration(sim):
    changed = {
        'pull_to_push_dst': 'signed_url',
        'pull_to_push_vod_list': 'vod_src_addrs',
        'pull_to_push_update_status': 'resume',
        'pull_to_push_group_delete': 'orphan',
        'clock_offset': 60,
        'action_rates': {'CreatePullToPushTask': 3},
    }
    admin(sim, '/_sim/config', changed)
    admin(sim, '/_sim/reset', {'stats': True, 'faults': True, 'state': True})
    config = admin(sim, '/_sim/config')
    assert {k: config[k] for k in changed} == changed


@pytest.mark.parametrize(
    'body',
    [
        {'pull_to_push_dst': 'path'},
        {'pull_to_push_vod_list': 'both'},
        {'pull_to_push_update_status': 'restart'},
        {'pull_to_push_group_delete': 'ignore'},
        {'clock_offset': 'soon'},
        {'clock_offset': True},
        {'action_rates': 15},
        {'action_rates': {'ListEverything': 15}},
        {'action_rates': {'ListPullToPushTask': 'fast'}},
        {'rate_limit': 3, 'clock_offset': 10, 'pull_to_push_dst': 'nope'},
    ],
)
def test_unknown_settings_are_refused_and_nothing_changes(shared, body):
    before = admin(shared, '/_sim/config')
    assert admin_refused(shared, '/_sim/config', body) == 400
    assert admin(shared, '/_sim/config') == before


# --- rate limits ------------------------------------------------------------------------------------------------


def burst(sim, action, count, body=None, method='POST'):
    """The HTTP statuses of ``count`` requests sent back to back (all within one second)."""
    started = time.monotonic()
    statuses = [call(sim, action, body, method)[0] for _unused in range(count)]
    assert time.monotonic() - started < 0.9, 'too slow to test a one-second window'
    return statuses


def test_each_action_at_its_documented_rate(sim):
    admin(sim, '/_sim/config', {'rate_limit': 10})
    assert burst(sim, 'ListPullToPushTaskV2', 16) == [200] * 15 + [429]
    assert burst(sim, 'ListPullToPushTask', 16, {}, 'GET') == [200] * 15 + [429]
    assert burst(sim, 'ListPullToPushGroup', 11) == [200] * 10 + [429]
    assert burst(sim, 'CreatePullToPushTask', 11, live()) == [200] * 10 + [429]
    status, answer = call(sim, 'CreatePullToPushTask', live())
    assert (status, answer['ResponseMetadata']['Error']['Code']) == (429, 'FlowLimitExceeded')
    stats = admin(sim, '/_sim/stats')
    assert stats['throttled'] == 5 and stats['writes'] == 10
    assert len(state(sim)['tasks']) == 10


def test_action_rates_and_the_general_rate(sim):
    admin(sim, '/_sim/config', {'rate_limit': 4, 'action_rates': {'ListPullToPushGroup': 2}})
    assert admin(sim, '/_sim/config')['action_rates'] == {'ListPullToPushGroup': 2}
    assert burst(sim, 'ListPullToPushGroup', 3) == [200, 200, 429]
    assert burst(sim, 'ListPullToPushTaskV2', 5) == [200] * 4 + [429]  # no longer listed: the general rate
    admin(sim, '/_sim/config', {'rate_limit': 0})  # unlimited, for every action
    assert burst(sim, 'ListPullToPushGroup', 20) == [200] * 20


def test_rate_limiter_per_action_rates():
    limiter = RateLimiter(10, {'ListPullToPushTaskV2': 15, 'ListPullToPushGroup': 0})
    lists, creates = ('AK', 'ListPullToPushTaskV2'), ('AK', 'CreatePullToPushTask')
    assert [limiter.allow(lists, now=100.0 + i * 0.01) for i in range(16)] == [True] * 15 + [False]
    assert [limiter.allow(creates, now=100.0 + i * 0.01) for i in range(11)] == [True] * 10 + [False]
    assert all(limiter.allow(('AK', 'ListPullToPushGroup'), now=100.0) for _unused in range(50))
    assert limiter.allow(lists, now=101.0)  # the window moved on
    limiter.rate = 0
    assert all(limiter.allow(lists, now=101.5) for _unused in range(50))


# --- faults -----------------------------------------------------------------------------------------------------


def test_dropped_connection_after_a_committed_create(sim):
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'drop_after_commit', 'action': 'CreatePullToPushTask'}]})
    with pytest.raises((OSError, http.client.HTTPException)):
        urllib.request.urlopen(signed_request(sim, 'CreatePullToPushTask', live(Title='lost')), timeout=5)
    assert [i['Title'] for i in tasks(sim)] == ['lost']  # carried out all the same
    stats = admin(sim, '/_sim/stats')
    assert (stats['writes'], stats['faults']) == (1, 1)
    ok(sim, 'CreatePullToPushTask', live(Title='lost'))  # the fault was used up
    assert len(tasks(sim)) == 2


def test_a_fault_for_one_title_forever(sim):
    fault = {'kind': 'error', 'status': 400, 'code': 'InvalidParam', 'title': 'cursed', 'count': 0}
    admin(sim, '/_sim/faults', {'faults': [fault]})
    for _unused in range(3):
        assert refused(sim, 'CreatePullToPushTask', live(Title='cursed'))[:2] == (400, 'InvalidParam')
    ok(sim, 'CreatePullToPushTask', live(Title='blessed'))
    assert [t['Title'] for t in state(sim)['tasks']] == ['blessed']
    # A GET's query string stands for its body.
    assert refused(sim, 'ListPullToPushTask', {'Title': 'cursed'}, method='GET')[:2] == (400, 'InvalidParam')
    assert ok(sim, 'ListPullToPushTask', {'Title': 'bless'}, method='GET')['Pagination']['TotalCount'] == 1
    assert admin(sim, '/_sim/stats')['faults'] == 4


def test_faults_for_the_new_actions(sim):
    admin(
        sim,
        '/_sim/faults',
        {
            'faults': [
                {'kind': 'http500', 'action': 'ListPullToPushTask'},
                {'kind': 'common_err', 'action': 'StopPullToPushTask'},
                {'kind': 'http502', 'action': 'CreatePullToPushTask', 'stream': 's9'},
            ]
        },
    )
    assert sdk_refused(sdk(sim).list_pull_to_push_task, {})['Code'] == 'InternalError'
    task_id = ok(sim, 'CreatePullToPushTask', live())['TaskId']  # not the fault's stream
    assert refused(sim, 'StopPullToPushTask', {'TaskId': task_id})[:2] == (200, 'CommonErr')
    assert tasks(sim)[0]['Status'] == '未开始'  # not stopped
    body = live(DstAddr=DROP, Domain='push.example.com', App='live', Stream='s9')
    assert refused(sim, 'CreatePullToPushTask', body)[:2] == (502, 'InternalServiceError')
    assert len(state(sim)['tasks']) == 1
    assert admin(sim, '/_sim/stats')['faults'] == 3


# --- state --------------------------------------------------------------------------------------------------------


def test_state_survives_a_restart_and_reset_clears_it(tmp_path):
    path = str(tmp_path / 'state.json')
    first = Simulator(state_path=path, accounts={AK: SK}, rate_limit=0).start()
    try:
        ok(first, 'CreatePullToPushGroup', {'Name': 'g1', 'ProjectName': 'p1'})
        task_id = ok(first, 'CreatePullToPushTask', live(GroupName='g1', Title='kept'))['TaskId']
        ok(first, 'StopPullToPushTask', {'TaskId': task_id})
    finally:
        first.stop()
    assert os.path.exists(path + '.pull_to_push')
    second = Simulator(state_path=path, accounts={AK: SK}, rate_limit=0).start()
    try:
        (item,) = tasks(second)
        assert (item['TaskId'], item['Title'], item['GroupName'], item['Status']) == (task_id, 'kept', 'g1', '停用')
        assert [g['Name'] for g in ok(second, 'ListPullToPushGroup')['List']] == ['g1']
        admin(second, '/_sim/reset', {})
        assert len(state(second)['tasks']) == 1  # state is kept unless asked
        admin(second, '/_sim/reset', {'state': True})
        assert state(second) == {'tasks': [], 'groups': []}
        assert tasks(second) == []
    finally:
        second.stop()
    with open(path + '.pull_to_push', encoding='utf-8') as handle:
        assert json.load(handle) == {'tasks': [], 'groups': []}
