# montui's remote sampler: POSIX sh and awk, reading /proc. One long-running awk prints a
# frame at once and then one for every line montui sends (so montui keeps the time, measures
# the round trip and never has two polls in flight): markers, /proc text as the kernel wrote
# it, and the processes worth showing (top by CPU since the last frame, then top by memory),
# so a frame stays small. It ends when montui's side closes.
# Argument: processes to keep per kind.
LC_ALL=C
export LC_ALL
tck=$(getconf CLK_TCK 2>/dev/null) || tck=100
pg=$(getconf PAGESIZE 2>/dev/null) || pg=4096
exec awk -v top="$1" -v tck="$tck" -v pg="$pg" '
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
function procs(   cmd, pid, line, a, b, comm, rest, f, n, j, k, best, sel, D, R, L, ticks) {
    print "@procs"
    # One cat for all: a process that ends meanwhile is skipped (awk would stop on the error).
    cmd = "cat /proc/[0-9]*/stat 2>/dev/null"
    n = 0
    while ((cmd | getline line) > 0) {
        a = index(line, "(")
        b = 0
        for (k = length(line); k > a; k--) if (substr(line, k, 1) == ")") { b = k; break }
        if (a < 2 || b == 0) continue
        pid = substr(line, 1, a - 2)
        comm = substr(line, a + 1, b - a - 1)
        gsub(/[^ -~]/, "?", comm)
        rest = substr(line, b + 2)
        split(rest, f, " ")
        # f[7] flags, f[12] utime, f[13] stime, f[20] starttime, f[22] rss (pages).
        if (int(f[7] / 2097152) % 2 == 1) continue
        n++
        ticks = f[12] + f[13]
        D[n] = (pid in last) ? ticks - last[pid] : 0
        seen[pid] = ticks
        R[n] = f[22]
        L[n] = pid " " f[20] " " ticks " " f[22] " " comm
    }
    close(cmd)
    for (k in last) delete last[k]
    for (k in seen) last[k] = seen[k]
    for (k in seen) delete seen[k]
    for (k = 1; k <= top; k++) {
        best = 0
        for (j = 1; j <= n; j++)
            if (!(j in sel) && (best == 0 || D[j] > D[best] || (D[j] == D[best] && R[j] > R[best]))) best = j
        if (best) sel[best] = 1
    }
    for (k = 1; k <= top; k++) {
        best = 0
        for (j = 1; j <= n; j++)
            if (!(j in sel) && (best == 0 || R[j] > R[best])) best = j
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
        # File systems fill slowly: df every tenth frame, repeated in between.
        if (frame++ % 10 == 0) {
            nd = 0
            while (("df -P -k 2>/dev/null" | getline line) > 0) dfl[++nd] = line
            close("df -P -k 2>/dev/null")
        }
        print "@df"
        for (k = 1; k <= nd; k++) print dfl[k]
        procs()
        print "@@end"
        fflush()
        # sh reads one line and no more from stdin (awk would buffer ahead).
        if (system("read t") != 0) exit 0
    }
}'
