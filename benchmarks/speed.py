"""The figures of issue 16 for one corpus: the pipeline against kiwipiepy alone, --jobs 1
against --jobs 2, our extraction against the analysis, a run after one changed file against
the first run, peak memory of the process tree, and how much text reaches the analyser.

Each round runs, as fresh subprocesses from the repository root: the reference
(reference.py), `pipeline --jobs 2 --verbose --no-cache`, `pipeline --jobs 1 --no-cache`,
then on a copy of the corpus a cached first run and, after one file of it is changed, a
second run into the same output. Figures are medians over the rounds, with their ranges.

Usage: python benchmarks/speed.py CORPUS_DIR [--repeat 3] [--jobs 2] [--json FILE] [--timeout S]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from reference import corpus_files, usable_cores
from run import REFERENCE, Run, kiwi_model_files, machine_info, measure, measure_pipeline, warm_page_cache

CHANGED_LINE = "추가 사업비는 12억원이다.\n"       # appended to the one changed file
ANALYSE = re.compile(r"^analyse and extract: ([\d.]+) s \(.*?([\d,]+) characters analysed, ([\d.]+) analysis cpu s, "
                     r"([\d.]+) extraction cpu s\)$", re.M)


def stage_figures(run: Run) -> dict[str, float]:
    """The analyse-and-extract stage of a --verbose run: its seconds, the characters sent to
    the analyser and the workers' CPU seconds in the analyser and in our extraction."""
    found = ANALYSE.search("\n".join(run.detail.get("stages", [])))
    if found is None:
        return {}
    return {"stage_s": float(found[1]), "analysed_chars": int(found[2].replace(",", "")),
            "analysis_cpu_s": float(found[3]), "extraction_cpu_s": float(found[4])}


def changed_copy(corpus: Path, folder: Path) -> Path:
    """A copy of the corpus whose middle file is then changed by `change_one`."""
    copy = folder / "corpus"
    shutil.copytree(corpus, copy)
    return copy


def change_one(copy: Path) -> Path:
    """Append a line to the middle file of the copy: one document to analyse again."""
    files = corpus_files(copy)
    changed = files[len(files) // 2]
    with changed.open("a", encoding="utf-8") as text:
        text.write(CHANGED_LINE)
    return changed


def one_round(corpus: Path, jobs: int, timeout: float | None) -> dict[str, Run]:
    runs: dict[str, Run] = {}
    command = [sys.executable, str(REFERENCE), str(corpus), "--workers", str(usable_cores())]
    runs["reference"], stdout, _ = measure("reference", command, timeout)
    if runs["reference"].ok:
        runs["reference"].detail.update(json.loads(stdout))
    for n in dict.fromkeys([jobs, 1]):
        with tempfile.TemporaryDirectory(prefix="speed-out-") as out:
            runs[f"jobs {n}"] = measure_pipeline(f"pipeline --jobs {n}", corpus, Path(out), n, False, timeout,
                                                 verbose=True)
    with tempfile.TemporaryDirectory(prefix="speed-cache-") as folder:
        copy = changed_copy(corpus, Path(folder))
        out = Path(folder) / "out"
        runs["first"] = measure_pipeline("cached first run", copy, out, jobs, True, timeout, verbose=True)
        change_one(copy)
        runs["changed"] = measure_pipeline("one file changed", copy, out, jobs, True, timeout, verbose=True)
    return runs


def spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarise(rounds: list[dict[str, Run]], jobs: int) -> dict[str, dict[str, float]]:
    """Each figure's median and range over the rounds (a ratio is taken within its round)."""
    def each(figure) -> dict[str, float]:
        return spread([figure(r) for r in rounds])

    stages = [stage_figures(r[f"jobs {jobs}"]) for r in rounds]
    figures = {
        "reference_s": each(lambda r: r["reference"].wall_s),
        f"jobs{jobs}_s": each(lambda r: r[f"jobs {jobs}"].wall_s),
        "jobs1_s": each(lambda r: r["jobs 1"].wall_s),
        f"pipeline_jobs{jobs}/reference": each(lambda r: r[f"jobs {jobs}"].wall_s / r["reference"].wall_s),
        f"jobs1/jobs{jobs}": each(lambda r: r["jobs 1"].wall_s / r[f"jobs {jobs}"].wall_s),
        "changed/first": each(lambda r: r["changed"].wall_s / r["first"].wall_s),
        "first_s": each(lambda r: r["first"].wall_s),
        "changed_s": each(lambda r: r["changed"].wall_s),
    }
    if all(stages):
        figures["analysis_cpu_s"] = spread([s["analysis_cpu_s"] for s in stages])
        figures["extraction_cpu_s"] = spread([s["extraction_cpu_s"] for s in stages])
        figures["extraction/analysis"] = spread([s["extraction_cpu_s"] / s["analysis_cpu_s"] for s in stages])
        figures["analysed_chars"] = spread([s["analysed_chars"] for s in stages])
    for name in ("reference", f"jobs {jobs}", "jobs 1", "first", "changed"):
        figures[f"peak_rss_mib {name}"] = spread([r[name].peak_rss_bytes / 2**20 for r in rounds])
        figures[f"peak_pss_mib {name}"] = spread([r[name].peak_pss_bytes / 2**20 for r in rounds])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--jobs", type=int, default=usable_cores(), help="the parallel run's --jobs (default: cores)")
    parser.add_argument("--json", type=Path, help="also write every run and the figures to this file")
    parser.add_argument("--timeout", type=float, help="seconds after which a run is killed and counted as failed")
    args = parser.parse_args(argv)
    corpus = args.corpus.resolve()
    files = corpus_files(corpus)
    if not files:
        parser.error(f"no .txt files in {corpus}")
    chars = sum(len(path.read_text(encoding="utf-8")) for path in files)
    warm_page_cache([*kiwi_model_files(), *files])
    machine = machine_info()
    rounds = [one_round(corpus, args.jobs, args.timeout) for _ in range(args.repeat)]
    failed = [run for r in rounds for run in r.values() if not run.ok]
    print(f"machine: {machine['cpu_model']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
          f"load average {machine['load_average_1min']:.2f} before the runs; python {machine['python']}, "
          f"kiwipiepy {machine['kiwipiepy']}")
    print(f"corpus: {corpus}: {len(files)} documents, {chars:,} characters; {args.repeat} rounds")
    if failed:
        for run in failed:
            print(f"FAILED: {run.name} (exit {run.returncode})")
        return 1
    figures = summarise(rounds, args.jobs)
    analysed = figures.get("analysed_chars")
    for name, value in figures.items():
        print(f"{name:<36} {value['median']:>12,.3f}   ({value['min']:,.3f} to {value['max']:,.3f})")
    if analysed:
        print(f"{'share of the text analysed':<36} {analysed['median'] / chars:>12.3f}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "corpus": {"path": str(corpus), "docs": len(files),
                                                                        "chars": chars},
                                         "figures": figures,
                                         "rounds": [{k: vars(v) for k, v in r.items()} for r in rounds]},
                                        indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
