"""Query slots (web/sparql/slots.py): a bounded wait, a bounded queue, and slots lent between sibling processes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from lod_pub.web.sparql.slots import Full, Slots, Stalled, TimedOut

SIBLING = """
import sys, time
from pathlib import Path
from lod_pub.web.sparql.slots import Slots
slots = Slots(1, 4, Path(sys.argv[1]))
hold = sys.argv[2] == "hold"
slot = slots.acquire(0) if hold else None
print("ready", flush=True)
sys.stdin.readline()               # until told, then try to take its own slot at once
try:
    mine = slots.acquire(0)
    print("own" if mine.own else "borrowed", flush=True)
except Exception as exc:
    print(type(exc).__name__, flush=True)
sys.stdin.readline()
"""


def end(proc: subprocess.Popen) -> None:
    proc.kill()
    proc.wait()
    proc.stdin.close()
    proc.stdout.close()


def sibling(group, hold: bool = False) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", SIBLING, str(group), "hold" if hold else "idle"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


def ask(proc: subprocess.Popen) -> str:
    proc.stdin.write("\n")
    proc.stdin.flush()
    return proc.stdout.readline().strip()


def test_a_query_waits_for_a_slot_and_is_woken_when_one_frees():
    slots = Slots(1, 4, None)
    held = slots.acquire(0)
    threading.Timer(0.2, slots.release, args=(held,)).start()
    started = time.monotonic()
    slot = slots.acquire(5)
    assert slot.own and time.monotonic() - started < 2  # woken by the release, long before the bound
    slots.release(slot)


def test_past_the_wait_timed_out_and_past_the_queue_full():
    slots = Slots(1, 1, None)
    held = slots.acquire(0)
    started = time.monotonic()
    with pytest.raises(TimedOut):
        slots.acquire(0.3)
    assert time.monotonic() - started >= 0.3
    waiter = threading.Thread(target=lambda: pytest.raises(TimedOut, slots.acquire, 1.0))
    waiter.start()
    time.sleep(0.2)
    assert slots.waiting == 1
    with pytest.raises(Full):  # the one place in the queue is taken
        slots.acquire(5)
    waiter.join()
    slots.release(held)
    assert slots.acquire(0).own


def test_a_busy_process_borrows_a_sibling_s_free_slot_which_the_sibling_then_waits_for(tmp_path):
    group = tmp_path / "group"
    other = sibling(group)
    slots = Slots(1, 4, group, borrow_after=0.05)
    try:
        own = slots.acquire(0)
        borrowed = slots.acquire(2)
        assert own.own and not borrowed.own
        assert ask(other) == "TimedOut"  # its only slot is lent: it waits like any query
        slots.release(borrowed)
        slots.release(own)
    finally:
        end(other)
        slots.close()


def test_a_busy_sibling_lends_nothing_and_a_dead_one_s_slot_is_removed(tmp_path):
    group = tmp_path / "group"
    busy = sibling(group, hold=True)
    slots = Slots(1, 4, group, borrow_after=0.0)
    held = slots.acquire(0)
    try:
        with pytest.raises(TimedOut):
            slots.acquire(0.3)  # the sibling's only slot is in use
        end(busy)
        with pytest.raises(TimedOut):
            slots.acquire(0.3)  # a dead process's slot is not a slot
        assert [p.name.split("-")[0] for p in group.iterdir()] == [str(os.getpid())]
    finally:
        slots.release(held)
        slots.close()
    assert not group.exists()  # the last process of the group removes its folder


def test_a_query_behind_long_queries_is_refused_once_they_have_run_the_stall():
    slots = Slots(2, 4, None, stall=0.4)
    first, second = slots.acquire(0), slots.acquire(0)
    slots.running(first)
    slots.running(second)
    started = time.monotonic()
    with pytest.raises(Stalled):
        slots.acquire(10)  # both taken just now: it waits until both have run 0.4 s, not the 10 s
    assert 0.3 < time.monotonic() - started < 3
    started = time.monotonic()
    with pytest.raises(Stalled):
        slots.acquire(10)  # both held by long queries: refused at once, holding nothing while it waits
    assert time.monotonic() - started < 0.2
    slots.release(first)
    young = slots.acquire(0)  # a short query takes the slot
    slots.running(young)
    threading.Timer(0.2, slots.release, args=(young,)).start()
    taken = slots.acquire(10)  # one slot is held by a young query: worth waiting for
    assert taken.own
    slots.release(taken)
    slots.release(second)


def test_a_slot_whose_query_waits_for_its_worker_does_not_stall_the_queue():
    """A slot counts toward a stall from `running` on: a query holding it while its worker starts (a
    second or more on a loaded machine, at a server's start) is not a long query, and the queries behind
    it wait rather than being refused."""
    slots = Slots(1, 4, None, stall=0.05)
    starting = slots.acquire(0)
    threading.Timer(0.4, slots.release, args=(starting,)).start()  # its worker took 0.4 s to start, then it ran
    started = time.monotonic()
    slot = slots.acquire(5)  # waits past the stall: nothing has been running for it
    assert slot.own and 0.3 < time.monotonic() - started < 3
    slots.running(slot)
    with pytest.raises(Stalled):
        slots.acquire(5)  # this one does run, and past the stall: the next is refused
    slots.release(slot)


def test_a_waiter_is_refused_once_the_slot_it_waits_for_begins_a_long_query():
    slots = Slots(1, 4, None, stall=0.2)
    starting = slots.acquire(0)
    threading.Timer(0.2, slots.running, args=(starting,)).start()
    started = time.monotonic()
    with pytest.raises(Stalled):
        slots.acquire(10)  # woken when the query began, refused 0.2 s later; not at the 10 s deadline
    assert 0.3 < time.monotonic() - started < 3
    slots.release(starting)
