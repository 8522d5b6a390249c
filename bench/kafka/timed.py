#!/usr/bin/env python3
"""Runs one side of the Kafka benchmark once and appends `LABEL WALL CPU MOCK_CPU` (seconds) to LOG.

    timed.py MOCK_PID STDERR_FILE LOG LABEL -- ARGV...      (exits with the command's exit code)

WALL: process start to exit. CPU: user + system of the process and every descendant it waited for (for
`sh -c 'kcat -C | kcat -P'` both kcats), from wait4. MOCK_CPU: CPU the mock cluster process spent meanwhile
(/proc/PID/stat), which serves this side's fetches and produce requests on the same two cores.
"""
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
    except OSError:
        return 0.0


def main():
    mock_pid, err_path, log_path, label = sys.argv[1:5]
    argv = sys.argv[sys.argv.index("--") + 1:]
    mock0 = proc_cpu(mock_pid)
    with open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    mock = proc_cpu(mock_pid) - mock0
    code = os.waitstatus_to_exitcode(status)
    with open(log_path, "a") as log:
        log.write(f"{label} {wall:.3f} {usage.ru_utime + usage.ru_stime:.3f} {mock:.2f}\n")
    sys.exit(code)


if __name__ == "__main__":
    main()
