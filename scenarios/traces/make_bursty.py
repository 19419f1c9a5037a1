"""Generate scenarios/traces/bursty.csv: a synthetic 12-hour trace of batch bursts with idle gaps.

Synthetic (no third-party data), seeded, reproducible with
`python3 scenarios/traces/make_bursty.py`. Four bursts (at 0 h 30, 3 h, 6 h 30 and 9 h), each a
few minutes of arrivals of 1-4 vCPU batch tasks that run 5-40 minutes; nothing runs between
bursts for well over an hour, so a managed fleet can scale back to zero.
"""
import csv
import math
import random

rng = random.Random(20261130)
rows = []
n = 0
for start_h, count in [(0.5, 120), (3.0, 240), (6.5, 80), (9.0, 180)]:
    t = start_h * 3600
    for _ in range(count):
        t += rng.expovariate(1 / 2.0)  # a task every 2 s on average during the burst
        n += 1
        cpu = rng.choice([1024, 1024, 2048, 4096])
        mem = cpu * rng.choice([2, 4])
        dur = min(max(math.exp(rng.gauss(math.log(900), 0.5)), 300), 2400)
        rows.append([f"{t:.3f}", f"{dur:.3f}", cpu, mem, f"b{n:04d}", "batch",
                     f"{cpu * rng.uniform(0.5, 0.95):.1f}", f"{mem * rng.uniform(0.4, 0.9):.1f}"])

with open(__file__.replace("make_bursty.py", "bursty.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["arrival_s", "duration_s", "cpu_units", "memory_mib", "task_id", "group",
                "cpu_used_units", "memory_used_mib"])
    w.writerows(rows)
print(f"{len(rows)} rows")
