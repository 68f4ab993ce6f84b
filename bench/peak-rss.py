#!/usr/bin/env python3
"""Run a command; print one JSON line with its wall time, exit status and peak RSS (its own and its children's)."""
import json, resource, subprocess, sys, time

start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
ms = (time.perf_counter() - start) * 1000
rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(proc.stderr.decode(errors="replace")[-2000:])
print(json.dumps({"ms": ms, "status": proc.returncode, "maxRssKB": rss_kb, "stdout": proc.stdout.decode(errors="replace")[-4000:]}))
