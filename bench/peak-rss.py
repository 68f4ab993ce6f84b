#!/usr/bin/env python3
"""Run a command as a user would; print one JSON line: wall ms, user+sys CPU ms, exit status and peak RSS (its own and its children's)."""
import json, resource, subprocess, sys, time

start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
ms = (time.perf_counter() - start) * 1000
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(proc.stderr.decode(errors="replace")[-2000:])
print(
    json.dumps(
        {
            "ms": ms,
            "cpuMs": (usage.ru_utime + usage.ru_stime) * 1000,
            "status": proc.returncode,
            "maxRssKB": usage.ru_maxrss,
            "stdout": proc.stdout.decode(errors="replace")[-4000:],
        }
    )
)
