"""Time the pipeline against a bare kiwipiepy reference on one corpus folder.

Each workload runs as a fresh subprocess; its wall time is measured from spawn
to exit and its peak RSS is the largest sum of VmRSS over the process and all
its descendants, sampled every 50 ms from /proc.

Usage: python benchmarks/run.py CORPUS_DIR [--jobs N ...] [--cached] [--repeat N] [--json FILE] [--timeout S]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata, util
from pathlib import Path

from reference import corpus_files, usable_cores

REPO = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).with_name("reference.py")
SAMPLE_SECONDS = 0.05
PSS_EVERY = 10                   # PSS is sampled every this many RSS samples
STDERR_TAIL = 2000
STAGE = re.compile(r"[a-z ]+: \d+\.\d\d s( \(.*\))?$")        # a --verbose stage line


@dataclass
class Run:
    """One timed subprocess."""

    name: str
    command: list[str]
    wall_s: float
    peak_rss_bytes: int
    returncode: int
    peak_pss_bytes: int = 0
    chars_per_s: float = 0.0
    docs_per_s: float = 0.0
    detail: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def children_by_parent() -> dict[int, list[int]]:
    """Map each pid to its child pids, read from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rpartition(b")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _kib_field(path: str, key: bytes) -> int:
    """The first ``key`` line of a /proc file, in bytes (0 when the process is gone)."""
    try:
        with open(path, "rb") as lines:
            for line in lines:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants."""
    children = children_by_parent()
    pending, pids = [root], []
    while pending:
        pid = pending.pop()
        pids.append(pid)
        pending.extend(children.get(pid, []))
    return pids


def tree_rss_bytes(root: int) -> int:
    """Return the summed VmRSS of ``root`` and all its descendants (0 for exited ones)."""
    return sum(_kib_field(f"/proc/{pid}/status", b"VmRSS:") for pid in tree_pids(root))


def tree_pss_bytes(root: int) -> int:
    """Return the summed PSS of ``root`` and its descendants: a page shared by n processes
    counts 1/n in each, so this is the physical memory the tree holds."""
    return sum(_kib_field(f"/proc/{pid}/smaps_rollup", b"Pss:") for pid in tree_pids(root))


class PeakRss(threading.Thread):
    """Background sampler keeping the maximum process-tree RSS (and PSS) of one pid."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.peak_pss = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        samples = 0
        while True:
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            if samples % PSS_EVERY == 0:             # the kernel walks every mapping for it: not free
                self.peak_pss = max(self.peak_pss, tree_pss_bytes(self.pid))
            samples += 1
            if self.stopped.wait(SAMPLE_SECONDS):
                return


def measure(name: str, command: list[str], timeout: float | None) -> tuple[Run, str, str]:
    """Run ``command`` from the repository root, timing it and sampling its RSS; also return its stdout
    and stderr.

    The command runs in its own process group, killed as a whole on timeout or interruption.
    """
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    sampler = PeakRss(process.pid)
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException as error:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        if not isinstance(error, subprocess.TimeoutExpired):
            raise
        stderr += f"\ntimed out after {timeout} s"
    finally:
        wall = time.perf_counter() - start
        sampler.stopped.set()
        sampler.join()
    run = Run(name, command, wall, sampler.peak, process.returncode, peak_pss_bytes=sampler.peak_pss)
    if not run.ok:
        run.detail["stderr"] = stderr[-STDERR_TAIL:]
        print(f"{name} failed with exit code {process.returncode}:\n{stderr[-STDERR_TAIL:]}", file=sys.stderr)
    return run, stdout, stderr


def measure_pipeline(name: str, corpus: Path, out: Path, jobs: int, cache: bool, timeout: float | None,
                     verbose: bool = False) -> Run:
    """Time one ``python -m pipeline run`` into ``out``; record its summary line and Parquet files
    (and with ``verbose``, its stage lines)."""
    command = [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out), "--jobs", str(jobs)]
    run, stdout, stderr = measure(name, [*command, *([] if cache else ["--no-cache"]), *(["--verbose"] if verbose else [])],
                                  timeout)
    run.detail["stdout"] = stdout.strip()[-STDERR_TAIL:]
    if verbose:
        run.detail["stages"] = [line for line in stderr.splitlines() if STAGE.match(line)]
    run.detail["parquet_files"] = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.parquet"))
    return run


def cpu_model() -> str:
    """Return the first ``model name`` of /proc/cpuinfo."""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown"


def machine_info() -> dict[str, object]:
    """Describe the machine, its current load and the software versions."""
    meminfo = Path("/proc/meminfo").read_text().split()
    return {
        "cpu_model": cpu_model(),
        "cores": usable_cores(),
        "memory_gib": round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2, 1),
        "load_average_1min": os.getloadavg()[0],
        "python": platform.python_version(),
        "kiwipiepy": metadata.version("kiwipiepy"),
        "platform": platform.platform(),
    }


def warm_page_cache(paths: list[Path]) -> None:
    """Read the files once so the first timed run does not pay for cold disk reads."""
    for path in paths:
        path.read_bytes()


def kiwi_model_files() -> list[Path]:
    """Return the files of the installed ``kiwipiepy_model`` package, if any."""
    spec = util.find_spec("kiwipiepy_model")
    if spec is None or not spec.submodule_search_locations:
        return []
    return [path for root in spec.submodule_search_locations for path in Path(root).rglob("*") if path.is_file()]


def median_run(trials: list[Run]) -> Run:
    """The trial with the median wall time (a failed trial if any failed), with the largest
    peak RSS of all trials and every trial's wall time in its detail."""
    failed = [run for run in trials if not run.ok]
    chosen = failed[0] if failed else sorted(trials, key=lambda run: run.wall_s)[(len(trials) - 1) // 2]
    chosen.peak_rss_bytes = max(run.peak_rss_bytes for run in trials)
    chosen.peak_pss_bytes = max(run.peak_pss_bytes for run in trials)
    chosen.detail["walls_s"] = [round(run.wall_s, 3) for run in trials]
    return chosen


def ratio(numerator: Run, denominator: Run) -> float | None:
    """Return the wall-time ratio of two runs, or None if either failed."""
    return numerator.wall_s / denominator.wall_s if numerator.ok and denominator.ok else None


def ratios(runs: dict[str, Run], jobs: list[int]) -> dict[str, float | None]:
    """Return pipeline/reference, jobs1/jobsN speedup and cached/first ratios."""
    reference = runs["reference"]
    result: dict[str, float | None] = {}
    for n in jobs:
        result[f"pipeline_jobs{n}/reference"] = ratio(runs[f"pipeline --jobs {n}"], reference)
    if 1 in jobs:
        for n in jobs:
            if n != 1:
                result[f"speedup_jobs1/jobs{n}"] = ratio(runs["pipeline --jobs 1"], runs[f"pipeline --jobs {n}"])
    if "cached (second)" in runs:
        result["cached_second/first"] = ratio(runs["cached (second)"], runs["cached (first)"])
    return result


def print_report(
    machine: dict[str, object], corpus: dict[str, object], runs: list[Run], summary: dict[str, float | None]
) -> None:
    """Print machine info, the timing table and the ratios."""
    print(
        f"machine: {machine['cpu_model']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
        f"load average {machine['load_average_1min']:.2f} before the runs"
    )
    print(f"python {machine['python']}, kiwipiepy {machine['kiwipiepy']}, {machine['platform']}")
    print(f"corpus: {corpus['path']}: {corpus['docs']} docs, {corpus['chars']:,} chars, {corpus['bytes']:,} bytes")
    print()
    header = f"{'run':<22} {'wall s':>8} {'chars/s':>11} {'docs/s':>9} {'peak RSS MiB':>13}"
    print(header)
    print("-" * len(header))
    for run in runs:
        if run.ok:
            print(
                f"{run.name:<22} {run.wall_s:>8.2f} {run.chars_per_s:>11,.0f} "
                f"{run.docs_per_s:>9.1f} {run.peak_rss_bytes / 1024**2:>13.0f}"
            )
        else:
            print(f"{run.name:<22} {'FAILED (exit ' + str(run.returncode) + ')':>43}")
    if any(len(run.detail.get("walls_s", [])) > 1 for run in runs):
        print("\nmedian of rounds; every wall time, s:")
        for run in runs:
            print(f"  {run.name:<20} {' '.join(f'{wall:.2f}' for wall in run.detail['walls_s'])}")
    reference = runs[0]
    if reference.ok:
        print(
            f"\nreference breakdown: load {reference.detail['load_s']} s, read {reference.detail['read_s']} s, "
            f"tokenize {reference.detail['tokenize_s']} s, {reference.detail['lines']:,} lines, "
            f"{reference.detail['tokens']:,} tokens"
        )
    print()
    for name, value in summary.items():
        print(f"{name:<28} {'n/a' if value is None else f'{value:.2f}'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="corpus folder, e.g. benchmarks/corpus/1MB")
    parser.add_argument("--jobs", type=int, nargs="+", help="pipeline --jobs values (default: cores and 1)")
    parser.add_argument("--cached", action="store_true", help="also time a second run with the cache on")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--timeout", type=float, help="seconds after which a run is killed and counted as failed")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of every workload; the median wall time of each is reported (default: 1)")
    args = parser.parse_args(argv)

    corpus = args.corpus.resolve()
    files = corpus_files(corpus)
    if not files:
        parser.error(f"no .txt files in {corpus}")
    cores = usable_cores()
    jobs = list(dict.fromkeys(args.jobs or [cores, 1]))
    if min(jobs) < 1:
        parser.error("--jobs values must be at least 1")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    docs = len(files)
    chars = sum(len(path.read_text(encoding="utf-8")) for path in files)
    size = sum(path.stat().st_size for path in files)
    corpus_info = {"path": str(corpus), "docs": docs, "chars": chars, "bytes": size}
    warm_page_cache(kiwi_model_files())
    machine = machine_info()

    trials: dict[str, list[Run]] = {}
    reference_command = [sys.executable, str(REFERENCE), str(corpus), "--workers", str(cores)]
    for _ in range(args.repeat):                 # rounds, so that drift on the machine hits every workload
        reference, stdout, _ = measure("reference", reference_command, args.timeout)
        if reference.ok:
            reference.detail.update(json.loads(stdout))
        trials.setdefault("reference", []).append(reference)
        for n in jobs:
            with tempfile.TemporaryDirectory(prefix="bench-out-") as out:
                name = f"pipeline --jobs {n}"
                trials.setdefault(name, []).append(measure_pipeline(name, corpus, Path(out), n, False, args.timeout))
        if args.cached:
            with tempfile.TemporaryDirectory(prefix="bench-out-") as out:
                for name in ("cached (first)", "cached (second)"):
                    trials.setdefault(name, []).append(
                        measure_pipeline(name, corpus, Path(out), jobs[0], True, args.timeout))
    runs = {name: median_run(runs) for name, runs in trials.items()}
    for run in runs.values():
        if run.ok:
            run.chars_per_s = chars / run.wall_s
            run.docs_per_s = docs / run.wall_s

    summary = ratios(runs, jobs)
    print_report(machine, corpus_info, list(runs.values()), summary)
    if args.json:
        result = {
            "machine": machine,
            "corpus": corpus_info,
            "runs": [asdict(run) for run in runs.values()],
            "ratios": summary,
        }
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if all(run.ok for run in runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
