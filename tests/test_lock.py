"""Two runs on the same folder never interleave: the second waits, then refuses clearly."""

import subprocess
import sys
import time

import pytest

from pipeline.store.lock import FolderBusy, folder_lock

HOLD = """
import sys, time
from pathlib import Path
from pipeline.store.lock import folder_lock
with folder_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    (Path(sys.argv[1]) / "holder-done").write_text("done")
"""


def hold_in_another_process(folder, seconds):
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held"
    return process


def test_second_run_is_refused_with_a_message_naming_the_first(tmp_path):
    holder = hold_in_another_process(tmp_path, 30)
    try:
        started = time.monotonic()
        with pytest.raises(FolderBusy) as caught, folder_lock(tmp_path, wait_seconds=0.5):
            pass
        assert time.monotonic() - started < 5  # bounded wait
        assert f"папка {tmp_path} занята другим запуском (процесс {holder.pid}, начат" in str(caught.value)
        assert caught.value.exit_code == 3
    finally:
        holder.kill()
        holder.wait()


def test_second_run_waits_for_the_first_to_finish(tmp_path):
    holder = hold_in_another_process(tmp_path, 0.5)
    with folder_lock(tmp_path, wait_seconds=20):
        assert (tmp_path / "holder-done").exists()  # written by the holder just before it let go
    holder.wait()


def test_a_killed_holder_does_not_block_the_next_run(tmp_path):
    holder = hold_in_another_process(tmp_path, 60)
    holder.kill()  # SIGKILL: no clean-up code runs
    holder.wait()
    with folder_lock(tmp_path, wait_seconds=1):
        pass
