#!/usr/bin/env python3
"""Write a synthetic Google cluster-data 2011 task_events file (13 columns, no header, events in
time order) for the streaming benchmark of `sim trace import --format google-2011`.

    python3 benches/make_google_trace.py N OUT.csv      # N tasks, about 330 bytes each

Each task is SUBMIT, SCHEDULE (0-30 s later) and FINISH (lognormal run time, median 5 min,
capped at 6 h); one in ten is EVICTed and resubmitted once. About 20 tasks arrive per second,
so some thousands are open at any time: the importer's memory should stay flat as N grows.
Seeded: the same N gives the same file.
"""

import heapq
import random
import sys


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(5)
    t = 600_000_000  # µs: the 2011 trace starts at 600 s
    heap = []  # (time µs, seq, job, index, kind, cpu, mem)
    seq = 0
    user = "fJYeclskJqPWsAT6TX/r9X5OiIZpSEb2PBGliYAOMxM="
    with open(out, "w", buffering=1 << 20) as f:
        w = f.write

        def emit(ts, job, index, kind, cpu, mem):
            req = f"{cpu:.5f},{mem:.5f},0.0003862" if kind in (0, 1) else ",,"
            w(f"{ts},,{job},{index},{4000000 + index},{kind},{user},0,2,{req},0\n")

        for i in range(n):
            t += int(rng.expovariate(20.0) * 1e6)
            while heap and heap[0][0] <= t:
                ev = heapq.heappop(heap)
                emit(ev[0], *ev[2:])
            job, index = 6_000_000_000 + i // 50, i % 50
            cpu = rng.choice([0.00625, 0.0125, 0.025, 0.0625, 0.125])
            mem = rng.choice([0.0016, 0.0039, 0.0155, 0.031, 0.0625])
            emit(t, job, index, 0, cpu, mem)
            start = t + int(rng.uniform(0, 30) * 1e6)
            run = int(min(rng.lognormvariate(5.7, 1.0), 21600) * 1e6) + 1
            seq += 1
            heapq.heappush(heap, (start, seq, job, index, 1, cpu, mem))
            if rng.random() < 0.1:
                seq += 1
                heapq.heappush(heap, (start + run // 2, seq, job, index, 2, cpu, mem))
                seq += 1
                heapq.heappush(heap, (start + run // 2 + 1_000_000, seq, job, index, 0, cpu, mem))
                seq += 1
                heapq.heappush(heap, (start + run // 2 + 5_000_000, seq, job, index, 1, cpu, mem))
                seq += 1
                heapq.heappush(heap, (start + run + 5_000_000, seq, job, index, 4, cpu, mem))
            else:
                seq += 1
                heapq.heappush(heap, (start + run, seq, job, index, 4, cpu, mem))
        while heap:
            ev = heapq.heappop(heap)
            emit(ev[0], *ev[2:])


if __name__ == "__main__":
    main()
