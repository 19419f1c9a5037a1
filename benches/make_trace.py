"""Write a synthetic trace in sim's format for the whole-run benchmarks.

usage: python3 benches/make_trace.py ROWS OUT.csv [MEAN_CONCURRENT]

Poisson arrivals, exponential run times (mean 10 min), task sizes from a small menu (256..4096
CPU units, 512..8192 MiB); the arrival rate is set so that about MEAN_CONCURRENT tasks run at
once (default 6,000: roughly half of a 2,000-instance m5.xlarge fleet). Seeded: the same
arguments give the same file.
"""
import random
import sys

rows = int(sys.argv[1])
out = sys.argv[2]
concurrent = float(sys.argv[3]) if len(sys.argv) > 3 else 6000.0
mean_run = 600.0
rate = concurrent / mean_run  # arrivals per second (Little's law)
rng = random.Random(12345)
sizes = [(256, 512), (512, 1024), (1024, 2048), (1024, 4096), (2048, 4096), (4096, 8192)]
t = 0.0
with open(out, "w") as f:
    f.write("arrival_s,duration_s,cpu_units,memory_mib,group\n")
    for i in range(rows):
        t += rng.expovariate(rate)
        c, m = sizes[rng.randrange(len(sizes))]
        f.write(f"{t:.3f},{max(rng.expovariate(1 / mean_run), 0.001):.3f},{c},{m},g{i % 7}\n")
