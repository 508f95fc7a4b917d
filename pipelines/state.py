"""Run state kept beside the output, under ``ROOT/_state/``: the run lock and what feeds said.

- ``run.lock``: one run at a time per output root. A second run waits (``--wait``) or refuses
  with a message naming the holder. A lock whose process is gone (killed, crashed) is stale and
  taken over.
- ``feeds.json``: per feed URL, the ``ETag`` and ``Last-Modified`` it last answered, for
  conditional GETs. Runs write their answers to ``pending-RUN.json``; only a run that finished
  commits them (atomic rename), so a killed run never makes the next one skip what it lost.

Everything goes through Beam's ``FileSystems`` so ``gs://`` and ``s3://`` roots work; on object
stores the lock is best effort (creation is not atomic there), which the README says.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass

from apache_beam.io.filesystems import FileSystems

from transforms.write import write_json

STATE_DIR = "_state"


class RunLocked(RuntimeError):
    pass


def state_path(root: str, name: str) -> str:
    return FileSystems.join(root, STATE_DIR, name)


def read_json(path: str, default):
    if not FileSystems.exists(path):
        return default
    with FileSystems.open(path, compression_type="uncompressed") as handle:
        return json.loads(handle.read().decode("utf-8"))


@dataclass
class RunLock:
    """``with RunLock(root, run_id, wait=0):`` holds the output root for one run."""

    root: str
    run_id: str
    wait: float = 0.0

    @property
    def path(self) -> str:
        return state_path(self.root, "run.lock")

    def __enter__(self) -> RunLock:
        deadline = time.monotonic() + self.wait
        while True:
            holder = self._try_take()
            if holder is None:
                return self
            if time.monotonic() >= deadline:
                raise RunLocked(
                    f"another parley run ({holder.get('run_id')}, pid {holder.get('pid')} on "
                    f"{holder.get('host')}, started {holder.get('started')}) is writing to "
                    f"{self.root}; wait for it, or pass --wait SECONDS"
                )
            time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))

    def __exit__(self, *exc) -> None:
        try:
            if read_json(self.path, {}).get("run_id") == self.run_id:
                FileSystems.delete([self.path])
        except OSError:
            pass

    def _try_take(self) -> dict | None:
        """None when taken; the current holder's record otherwise."""
        record = {
            "run_id": self.run_id,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        if "://" not in self.root:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = read_json(self.path, {})
                if _stale(holder):
                    os.unlink(self.path)
                    return self._try_take()
                return holder
            with os.fdopen(fd, "w") as handle:
                json.dump(record, handle)
            return None
        holder = read_json(self.path, None)
        if holder is not None and not _stale(holder):
            return holder
        write_json(self.path, record)
        return None


def _stale(holder: dict) -> bool:
    """A lock left by a process that no longer runs on this host (killed, crashed)."""
    if holder.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(holder.get("pid", 0)), 0)
    except (ProcessLookupError, ValueError):
        return True
    except PermissionError:
        return False
    return False


def feed_validators(root: str) -> dict[str, dict]:
    """URL -> {"etag", "last_modified"} from the last finished run."""
    return read_json(state_path(root, "feeds.json"), {})


def commit_feed_validators(root: str, run_id: str) -> None:
    """Fold a finished run's pending feed answers into feeds.json."""
    pending = state_path(root, f"pending-{run_id}.json")
    answers = read_json(pending, None)
    if answers is None:
        return
    merged = feed_validators(root)
    merged.update(answers)
    write_json(state_path(root, "feeds.json"), merged)
    FileSystems.delete([pending])


def clear_leftovers(root: str, run_id: str, temp_root: str) -> list[str]:
    """Remove what killed runs left behind: their temp folders and uncommitted feed answers.

    Called while holding the lock, so no other run can own them. Nothing here is ever where
    queries look; this only keeps the root tidy.
    """
    leftovers = _matching(state_path(root, "pending-*.json*"))
    if "://" in temp_root:  # object stores: temp "folders" are prefixes of objects
        leftovers += _matching(FileSystems.join(temp_root, "**"))
    elif os.path.isdir(temp_root):
        leftovers += [os.path.join(temp_root, name) for name in os.listdir(temp_root)]
    leftovers = [path for path in leftovers if run_id not in path]
    leftovers = sorted(set(leftovers))
    if leftovers:
        FileSystems.delete(leftovers)
    return leftovers


def _matching(pattern: str) -> list[str]:
    try:
        return [m.path for m in FileSystems.match([pattern])[0].metadata_list]
    except Exception:  # nothing there yet
        return []
