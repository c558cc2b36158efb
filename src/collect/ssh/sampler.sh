# montui's remote sampler: POSIX sh and awk, reading /proc. One long-running awk prints a
# frame per interval: markers, /proc text as the kernel wrote it, and the processes worth
# showing (top by CPU since the last frame, then top by memory), so a frame stays small.
# Arguments: interval in seconds, processes to keep per kind.
LC_ALL=C
export LC_ALL
tck=$(getconf CLK_TCK 2>/dev/null) || tck=100
pg=$(getconf PAGESIZE 2>/dev/null) || pg=4096
exec awk -v iv="$1" -v top="$2" -v tck="$tck" -v pg="$pg" '
function dump(name, path,   line) {
    print "@" name
    while ((getline line < path) > 0) print line
    close(path)
}
# /proc/stat without its intr and softirq lines (thousands of counters montui does not use).
function stat(   line) {
    print "@stat"
    while ((getline line < "/proc/stat") > 0)
        if (line !~ /^(intr|softirq) /) print line
    close("/proc/stat")
}
function procs(   cmd, pid, path, line, a, b, comm, rest, f, n, j, k, best, sel, P, D, R, L, ticks) {
    print "@procs"
    cmd = "cd /proc && echo [0-9]*"
    cmd | getline line
    close(cmd)
    n = split(line, P, " ")
    for (j = 1; j <= n; j++) {
        pid = P[j]
        path = "/proc/" pid "/stat"
        line = ""
        getline line < path
        close(path)
        a = index(line, "(")
        b = 0
        for (k = length(line); k > a; k--) if (substr(line, k, 1) == ")") { b = k; break }
        if (a == 0 || b == 0) { D[j] = -1; continue }
        comm = substr(line, a + 1, b - a - 1)
        gsub(/[^ -~]/, "?", comm)
        rest = substr(line, b + 2)
        split(rest, f, " ")
        # f[7] flags, f[12] utime, f[13] stime, f[20] starttime, f[22] rss (pages).
        if (int(f[7] / 2097152) % 2 == 1) { D[j] = -1; continue }
        ticks = f[12] + f[13]
        D[j] = (pid in last) ? ticks - last[pid] : 0
        seen[pid] = ticks
        R[j] = f[22]
        L[j] = pid " " f[20] " " ticks " " f[22] " " comm
    }
    for (k in last) delete last[k]
    for (k in seen) last[k] = seen[k]
    for (k in seen) delete seen[k]
    for (k = 1; k <= top; k++) {
        best = 0
        for (j = 1; j <= n; j++)
            if (D[j] >= 0 && !(j in sel) && (best == 0 || D[j] > D[best] || (D[j] == D[best] && R[j] > R[best]))) best = j
        if (best) sel[best] = 1
    }
    for (k = 1; k <= top; k++) {
        best = 0
        for (j = 1; j <= n; j++)
            if (D[j] >= 0 && !(j in sel) && (best == 0 || R[j] > R[best])) best = j
        if (best) sel[best] = 1
    }
    for (j in sel) print L[j]
}
BEGIN {
    while (1) {
        # Nanoseconds where date has %N (GNU, busybox), else it prints seconds and "%N".
        "date +%s%N" | getline now
        close("date +%s%N")
        print "@@montui 1 " now " " tck " " pg
        dump("uptime", "/proc/uptime")
        stat()
        dump("meminfo", "/proc/meminfo")
        dump("loadavg", "/proc/loadavg")
        dump("netdev", "/proc/net/dev")
        dump("diskstats", "/proc/diskstats")
        print "@df"
        while (("df -P -k 2>/dev/null" | getline line) > 0) print line
        close("df -P -k 2>/dev/null")
        procs()
        print "@@end"
        fflush()
        if (system("sleep " iv) != 0) exit 1
    }
}'
