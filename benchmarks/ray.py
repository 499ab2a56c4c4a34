"""The Ray engine against the local engine on one corpus (issue 17): documents per second of
`python -m pipeline run --engine ray` (a local Ray instance of this machine's cores, started by
the run) and `--engine local`, with Ray's start-up timed apart (a process that only starts and
stops Ray), and each run's stages as `--verbose` prints them (the costs docs/scale.md is
estimated from).

Usage: python benchmarks/ray.py CORPUS [--jobs 2] [--layout dataset|files] [--repeat 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reference import corpus_files
from run import REPO, PeakRss, Run, machine_info

STAGE = re.compile(r"^([a-z ]+): (\d+\.\d+) s")
RAY_START = "import ray, time; t = time.perf_counter(); ray.init(include_dashboard=False); " \
            "print(time.perf_counter() - t); ray.shutdown()"


def pipeline_run(corpus: Path, engine: str, jobs: int, layout: str) -> tuple[Run, dict[str, float]]:
    """One timed run into a fresh folder (wall time, peak RSS of its process tree), and the
    seconds of each stage it printed."""
    with tempfile.TemporaryDirectory(prefix="bench-ray-") as out:
        command = [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out), "--no-cache",
                   "--jobs", str(jobs), "--engine", engine, "--layout", layout, "--verbose"]
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = PeakRss(process.pid)
        sampler.start()
        _, stderr = process.communicate()
        sampler.stopped.set()
        sampler.join()
        run = Run(engine, command, time.perf_counter() - started, sampler.peak, process.returncode)
    if not run.ok:
        run.detail["stderr"] = stderr[-2000:]
    stages = {m.group(1): float(m.group(2)) for line in stderr.splitlines() if (m := STAGE.match(line))}
    return run, stages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the local engine")
    parser.add_argument("--layout", choices=["files", "dataset"], default="dataset",
                        help="the output layout of both engines (dataset: the shards' tasks write the parts)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the median of each is reported")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    files = corpus_files(args.corpus)
    docs, chars = len(files), sum(len(p.read_text(encoding="utf-8")) for p in files)

    walls: dict[str, list[float]] = {"local": [], "ray": [], "ray start-up": []}
    stages: dict[str, dict[str, float]] = {}
    peaks: dict[str, int] = {}
    for _ in range(args.repeat):
        for engine in ("local", "ray"):
            run, stage = pipeline_run(args.corpus, engine, args.jobs, args.layout)
            if not run.ok:
                print(f"{engine} failed:\n{run.detail.get('stderr', '')}", file=sys.stderr)
                return 1
            walls[engine].append(run.wall_s)
            stages[engine] = stage
            peaks[engine] = max(peaks.get(engine, 0), run.peak_rss_bytes)
        start = subprocess.run([sys.executable, "-c", RAY_START], capture_output=True, text=True, check=True)
        walls["ray start-up"].append(float(start.stdout.split()[-1]))

    print(f"corpus: {args.corpus}: {docs} documents, {chars:,} characters; --layout {args.layout}; "
          f"{args.repeat} round(s), medians")
    print(f"{'run':<16} {'wall s':>8} {'docs/s':>8} {'chars/s':>10} {'peak RSS MiB':>13}")
    for name in ("local", "ray"):
        wall = statistics.median(walls[name])
        print(f"{name:<16} {wall:>8.2f} {docs / wall:>8.1f} {chars / wall:>10,.0f} {peaks[name] / 2**20:>13.0f}")
    start_up = statistics.median(walls["ray start-up"])
    print(f"{'ray start-up':<16} {start_up:>8.2f}   (ray.init of a local instance, then shutdown)")
    ray_wall = statistics.median(walls["ray"])
    print(f"ray without its start-up: {ray_wall - start_up:.2f} s, {docs / (ray_wall - start_up):.1f} docs/s")
    for name in ("local", "ray"):
        print(f"stages, {name}: " + ", ".join(f"{k} {v:.2f}" for k, v in stages[name].items()))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine_info(), "documents": docs, "characters": chars, "layout": args.layout,
                                         "walls_s": walls, "stages_s": stages, "peak_rss_bytes": peaks},
                                        indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
