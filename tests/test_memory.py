"""hub.memory: glibc's arena cap and heap trim, on this (glibc) machine."""

import subprocess
import sys

from hub import memory


def test_limit_arenas_leaves_a_cap_the_environment_sets(monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert memory.limit_arenas() is False


def test_limit_arenas_sets_the_cap_in_a_fresh_process():
    # in a process of its own: the cap stays for the life of the process that sets it
    code = "import os; os.environ.pop('MALLOC_ARENA_MAX', None); from hub import memory; print(memory.limit_arenas())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"


def test_release_freed_memory_runs():
    assert memory.release_freed_memory() in (True, False)
