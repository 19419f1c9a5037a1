"""Generate scenarios/traces/sample.csv: a synthetic six-hour trace in sim's trace format.

Synthetic (no third-party data): three task groups with different shapes, seeded, so the file
is reproducible with `python3 scenarios/traces/make_sample.py`.
"""
import csv
import math
import random

rng = random.Random(20261129)
rows = []
t = 0.0
n = 0
while t < 6 * 3600:
    # arrivals speed up in hours 2-4 (a burst of batch work)
    rate = 1 / 8.0 if 7200 <= t < 14400 else 1 / 20.0
    t += rng.expovariate(rate)
    if t >= 6 * 3600:
        break
    n += 1
    kind = rng.choices(["web", "batch", "ml"], weights=[6, 4, 0.5])[0]
    if kind == "web":
        cpu, mem, dur = 256, 512, rng.expovariate(1 / 90)
        used_cpu, used_mem = cpu * rng.uniform(0.2, 0.6), mem * rng.uniform(0.4, 0.8)
    elif kind == "batch":
        cpu = rng.choice([512, 1024, 2048])
        mem = cpu * rng.choice([2, 4])
        dur = math.exp(rng.gauss(math.log(300), 0.8))
        used_cpu, used_mem = cpu * rng.uniform(0.5, 0.95), mem * rng.uniform(0.3, 0.9)
    else:
        cpu, mem, dur = 2048, 8192, rng.uniform(600, 1800)
        used_cpu, used_mem = cpu * rng.uniform(0.7, 1.0), mem * rng.uniform(0.5, 0.9)
    rows.append([f"{t:.3f}", f"{max(dur, 1):.3f}", cpu, mem, f"t{n:05d}", kind,
                 f"{used_cpu:.1f}", f"{used_mem:.1f}"])

with open(__file__.replace("make_sample.py", "sample.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["arrival_s", "duration_s", "cpu_units", "memory_mib", "task_id", "group",
                "cpu_used_units", "memory_used_mib"])
    w.writerows(rows)
print(f"{len(rows)} rows")
