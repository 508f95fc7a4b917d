"""SIGKILL a real `parley run` at several points of its life, check that every dataset is still
readable, rerun, and compare with a clean run through DuckDB: no row lost, none duplicated."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import BIN, parley, rows

DATASETS = {"articles": "article_id", "events": "event_id", "conditions": "condition_id"}
DAYS = 30


def corpus(path: Path) -> Path:
    """150 negotiation stories spread over 30 days: many partitions to be killed between."""
    with path.open("w") as out:
        for i in range(150):
            day = date(2026, 10, 25) + timedelta(days=i % DAYS)
            text = (
                f"The union met the rail operator in Leeds for round {i} of wage talks. "
                f"The union rejected the offer of {i % 9 + 2} percent. "
                "The union said it would return to the talks only if the operator dropped its "
                "demand for Sunday shifts."
            )
            record = {
                "url": f"http://wire.test/{i}",
                "title": f"Wage talks, round {i}",
                "text": text,
                "published": f"{day.isoformat()}T09:00:00Z",
            }
            out.write(json.dumps(record) + "\n")
    return path


def partitions(out: Path, dataset: str) -> int:
    return len(list((out / dataset).glob("date=*/part-00000.parquet")))


# When to kill: (name, predicate on the output folder, checked every few milliseconds)
KILL_POINTS = [
    ("while starting", lambda out, t: t > 1.5),
    # A temp file lives for well under a millisecond, too short to catch by polling; the run's
    # temp folder appears with the first one and stays until the run ends.
    ("first write started", lambda out, t: any((out / ".parley-tmp").glob("*"))),
    ("events half written", lambda out, t: partitions(out, "events") >= DAYS // 2),
    ("articles first written", lambda out, t: partitions(out, "articles") >= 1),
    ("articles half written", lambda out, t: partitions(out, "articles") >= DAYS // 2),
]


def table(out: Path, dataset: str) -> tuple[int, set[str]]:
    if not list((out / dataset).glob("date=*/*.parquet")):
        return 0, set()
    found = rows(f"SELECT {DATASETS[dataset]} FROM read_parquet('{out}/{dataset}/**/*.parquet')")
    return len(found), {r[0] for r in found}


def kill_at(args: list[str], out: Path, predicate) -> bool:
    """Start a run and SIGKILL it when ``predicate`` holds; False if it finished first.

    The killed process's scratch folders (Beam's ``beam-pipeline-temp*``) go to a temporary
    folder beside ``out``, so a killed run leaves nothing behind in the machine's /tmp.
    """
    scratch = out.parent / f"{out.name}-tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    process = subprocess.Popen(
        [str(BIN / "parley"), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ | {"PYTHONWARNINGS": "ignore", "TMPDIR": str(scratch)},
    )
    try:
        while process.poll() is None:
            if predicate(out, time.monotonic() - started):
                process.send_signal(signal.SIGKILL)
                process.wait()
                return True
            time.sleep(0.002)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("crash")
    source = corpus(tmp / "corpus.jsonl")
    out = tmp / "clean"
    parley("run", "--input", str(source), "--output", str(out))
    return source, {name: table(out, name)[1] for name in DATASETS}


@pytest.mark.parametrize(("point", "predicate"), KILL_POINTS, ids=[p[0] for p in KILL_POINTS])
def test_sigkill_then_rerun_loses_and_duplicates_nothing(clean, tmp_path, point, predicate):
    source, truth = clean
    out = tmp_path / "out"
    args = ["run", "--input", str(source), "--output", str(out)]
    killed = kill_at(args, out, predicate)

    # Whatever the moment, what queries see is readable and holds no partial or temp file.
    for dataset in [*DATASETS, "failures"]:
        stray = [p for p in (out / dataset).rglob("*") if p.name != "part-00000.parquet"]
        assert all(p.is_dir() for p in stray), stray
        if list((out / dataset).glob("date=*/*.parquet")):  # DuckDB reads every file whole
            rows(f"SELECT count(*) FROM read_parquet('{out}/{dataset}/**/*.parquet')")
    after_kill = {name: table(out, name) for name in DATASETS}

    rerun = parley(*args)
    assert "exit status         0" in rerun.stdout
    report = []
    for dataset in DATASETS:
        total, found = table(out, dataset)
        lost, duplicated = len(truth[dataset] - found), total - len(found)
        report.append(
            f"{dataset}: {after_kill[dataset][0]} after kill, {total} after rerun, "
            f"{lost} lost, {duplicated} duplicated, {len(found - truth[dataset])} extra"
        )
        assert (lost, duplicated) == (0, 0), dataset
        assert found == truth[dataset], dataset
    print(f"\n[{point}] killed={killed}; " + "; ".join(report))
    if point != "while starting":
        assert killed, f"the run finished before '{point}': make the corpus bigger"
