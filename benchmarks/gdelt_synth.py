"""GDELT-shaped exports for benchmarks: the same 61 columns, with the codes, actors and places of a real export.

    .venv/bin/python benchmarks/gdelt_synth.py OUT_DIR [--exports 96] [--rows 1500] [--start 20191024000000]
                                                       [--sample tests/data/gdelt/20191024143000.export.CSV]

Each synthetic row is a row of the sample export (drawn at random, with a fixed seed), so the joint
distribution of event codes, actors, countries, places and coordinates is the real one; it gets a new
GLOBALEVENTID (increasing over the exports), DATEADDED its export's time, a day within the week before it
(SQLDATE and its derived columns), and its own SOURCEURL (one article for every four rows on average, as in the
sample: 2,111 rows cite 425 URLs). Exports are 15 minutes apart, named as GDELT names them. Deterministic.
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "gdelt" / "20191024143000.export.CSV"
ROWS_PER_URL = 5  # the sample: 2,111 rows, 425 URLs


def sample_rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text("utf-8").splitlines() if line]


def export_rows(sample: list[list[str]], rng: random.Random, stamp: datetime, first_id: int, rows: int,
                url_base: int) -> list[list[str]]:
    out = []
    for i in range(rows):
        row = list(rng.choice(sample))
        day = stamp - timedelta(days=rng.choice((0, 0, 0, 0, 1, 2, 7)))
        row[0] = str(first_id + i)
        row[1], row[2], row[3] = day.strftime("%Y%m%d"), day.strftime("%Y%m"), day.strftime("%Y")
        row[4] = f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}"
        row[59] = stamp.strftime("%Y%m%d%H%M%S")
        row[60] = f"https://news.example.org/{url_base + i // ROWS_PER_URL}"
        out.append(row)
    return out


def generate(out: Path, exports: int, rows: int, start: datetime, sample: Path = SAMPLE, seed: int = 14) -> list[Path]:
    """Write the exports (or keep those already there); their paths, oldest first."""
    out.mkdir(parents=True, exist_ok=True)
    real = sample_rows(sample)
    rng = random.Random(seed)
    paths = []
    for n in range(exports):
        stamp = start + timedelta(minutes=15 * n)
        path = out / f"{stamp:%Y%m%d%H%M%S}.export.CSV"
        chosen = export_rows(real, rng, stamp, 900_000_000 + n * rows, rows, n * rows)
        if not path.exists():
            path.write_text("".join("\t".join(r) + "\n" for r in chosen), "utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--exports", type=int, default=96, help="how many 15-minute exports (96: a day)")
    parser.add_argument("--rows", type=int, default=1500, help="rows per export (GDELT: about 1,000 to 2,000)")
    parser.add_argument("--start", default="20191024000000", help="the first export's time, YYYYMMDDHHMMSS")
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="the real export the rows are drawn from")
    args = parser.parse_args()
    paths = generate(args.out, args.exports, args.rows, datetime.strptime(args.start, "%Y%m%d%H%M%S"), args.sample)
    print(f"{len(paths)} exports of {args.rows} rows in {args.out}")


if __name__ == "__main__":
    main()
