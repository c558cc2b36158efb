# montui's remote sampler: POSIX sh and awk, reading /proc. One long-running awk prints a
# frame at once and then one for every line montui sends (so montui keeps the time, measures
# the round trip and never has two polls in flight): markers, /proc text as the kernel wrote
# it, and the processes worth showing (top by CPU since the last frame, then top by memory),
# so a frame stays small. It ends when montui's side closes.
# Argument: processes to keep per kind. Log files to follow come in MONTUI_LOGS (one glob a
# line, after 1 when files there at the first look are read from their start, else 0; the
# glob is a sh word, quoted but for its wildcards) and where they were left in MONTUI_AT
# (INODE OFFSET PATH a line).
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
function procs(   cmd, pid, line, a, b, comm, rest, f, n, j, k, best, sel, D, R, L, ticks, id, T) {
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
        # f[1] state, f[2] ppid, f[7] flags, f[12] utime, f[13] stime, f[16] priority,
        # f[17] nice, f[18] threads, f[20] starttime, f[22] rss (pages).
        ticks = f[12] + f[13]
        # CPU every process alive now used since the last frame (all of it for one started
        # since), kernel threads too: the console takes it from the busy time, and what is
        # left is what processes that came and went used.
        id = pid " " f[20]
        if (id in last) acct += ticks - last[id]
        else if (looked_procs) acct += ticks
        seen[id] = ticks
        # Tasks by state, kernel threads too: processes, threads, R, D, Z, T.
        T[1]++
        T[2] += (f[18] > 0) ? f[18] : 1
        if (f[1] == "R") T[3]++
        else if (f[1] == "D") T[4]++
        else if (f[1] == "Z") T[5]++
        else if (f[1] == "T" || f[1] == "t") T[6]++
        if (int(f[7] / 2097152) % 2 == 1) continue
        n++
        D[n] = (id in last) ? ticks - last[id] : 0
        R[n] = f[22]
        P[n] = pid
        S[n] = f[20]
        C[n] = comm
        L[n] = pid " " f[20] " " ticks " " f[22] " " f[1] " " f[2] " " f[16] " " f[17] " " f[18] " " comm
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
    # The process followed, whatever it uses.
    for (j = 1; j <= n; j++) if ((P[j] " " S[j]) in pin) sel[j] = 1
    for (j in sel) print L[j]
    print "@procinfo"
    info(sel, P, S, C)
    for (k in cmdl) if (!(k in kept)) delete cmdl[k]
    for (k in kept) delete kept[k]
    looked_procs = 1
    print "@acct"
    printf "%.0f\n", acct
    print "@tasks"
    print T[1] + 0, T[2] + 0, T[3] + 0, T[4] + 0, T[5] + 0, T[6] + 0
}
# Owner, storage I/O (- where unreadable) and command line of the kept processes: `pid user
# read write cmdline` lines. Owners and I/O come from one grep over their status and io files
# (-s: a file gone or unreadable is no error; awk reading one itself would stop on the error);
# a command line is read once while its process is kept (a fork of tr, for its NULs).
function info(sel, P, S, C,   j, files, cmd, line, pid, path, f, who, uid, rd, wr, key, c) {
    files = ""
    for (j in sel) files = files " /proc/" P[j] "/status /proc/" P[j] "/io"
    cmd = "grep -s -H -e ^Uid: -e ^read_bytes: -e ^write_bytes:" files
    while ((cmd | getline line) > 0) {
        split(line, path, "/")
        pid = path[3]
        if (line ~ /:Uid:/) { split(line, f, /[ \t]+/); uid[pid] = f[2] }
        else if (line ~ /:read_bytes: /) rd[pid] = substr(line, index(line, ": ") + 2)
        else if (line ~ /:write_bytes: /) wr[pid] = substr(line, index(line, ": ") + 2)
    }
    close(cmd)
    for (j in sel) {
        pid = P[j]
        # By name too: a process that runs another program (exec) has a new command line.
        key = pid " " S[j] " " C[j]
        if (!(key in cmdl)) {
            c = ""
            cmd = "{ tr \"\\000\" \" \" < /proc/" pid "/cmdline; } 2>/dev/null"
            cmd | getline c
            close(cmd)
            gsub(/[^ -~]/, "?", c)
            cmdl[key] = substr(c, 1, 512)
        }
        kept[key] = 1
        who = (pid in uid) ? uid[pid] : "-"
        if (who in users) who = users[who]
        print pid " " who " " ((pid in rd) ? rd[pid] : "-") " " ((pid in wr) ? wr[pid] : "-") " " cmdl[key]
    }
}
# User names by uid, from /etc/passwd.
function passwd(   line, f) {
    while ((getline line < "/etc/passwd") > 0) if (split(line, f, ":") >= 3) {
        gsub(/[^!-~]/, "?", f[1])
        users[f[3]] = f[1]
    }
    close("/etc/passwd")
}
# s as one sh word.
function q(s,   n, p, k, out) {
    n = split(s, p, "\047")
    out = p[1]
    for (k = 2; k <= n; k++) out = out "\047\\\047\047" p[k]
    return "\047" out "\047"
}
function logsetup(   n, k, a, f) {
    nl = 0
    n = split(ENVIRON["MONTUI_LOGS"], a, "\n")
    for (k = 1; k <= n; k++) if (a[k] != "") {
        nl++
        lstart[nl] = substr(a[k], 1, 1)
        lword[nl] = substr(a[k], 3)
    }
    n = split(ENVIRON["MONTUI_AT"], a, "\n")
    for (k = 1; k <= n; k++) if (split(a[k], f, " ") >= 3) {
        ino[substr(a[k], length(f[1]) + length(f[2]) + 3)] = f[1]
        off[substr(a[k], length(f[1]) + length(f[2]) + 3)] = f[2]
    }
}
# One section: a header, n bytes of path from offset o (padded with zeros should the file
# shrink meanwhile, so the length holds), a line end.
function chunk(k, inode, o, n, path, from) {
    printf "@log %d %s %.0f %.0f %s\n", k - 1, inode, o, n, path
    fflush()
    if (n > 0) system("{ tail -c +" sprintf("%.0f", o + 1) " -- " q(from) " 2>/dev/null; cat /dev/zero; } | head -c " sprintf("%.0f", n))
    print ""
}
# A regular file as ls -dLin shows it: sets lsino, lssize; returns its path, or empty.
function lsfile(line,   f) {
    if (!match(line, /^ *[0-9]+ -[^ ]* +[0-9]+ +[^ ]+ +[^ ]+ +[0-9]+ +[^ ]+ +[^ ]+ +[^ ]+ /)) return ""
    split(line, f, " ")
    lsino = f[1]
    lssize = f[6]
    return substr(line, RLENGTH + 1)
}
# What each followed file gained since the last frame, at most 1 MiB a frame (the rest waits).
function logs(   k, j, n, cmd, line, path, P, I, S, K, budget, len, rot, rest) {
    n = 0
    for (k = 1; k <= nl; k++) {
        cmd = "ls -dLin -- " lword[k] " 2>/dev/null"
        while ((cmd | getline line) > 0) {
            path = lsfile(line)
            if (path == "") continue
            n++
            P[n] = path; I[n] = lsino; S[n] = lssize; K[n] = k
        }
        close(cmd)
    }
    budget = 1048576
    for (j = 1; j <= n; j++) {
        path = P[j]
        if (!(path in off)) {
            # Files there at the first look start at their end (unless asked), later ones at their start.
            off[path] = (looked || lstart[K[j]] == 1) ? 0 : S[j]
            ino[path] = I[j]
            chunk(K[j], I[j], off[path], 0, path, path)
        } else if (ino[path] != I[j]) {
            # Rotated: the rest of the old file, when it went to PATH.1.
            rot = path ".1"
            cmd = "ls -dLin -- " q(rot) " 2>/dev/null"
            if ((cmd | getline line) > 0 && lsfile(line) != "" && lsino == ino[path]) {
                rest = lssize - off[path]
                if (rest > budget) rest = budget
                if (rest > 0) { chunk(K[j], lsino, off[path], rest, path, rot); budget -= rest }
            }
            close(cmd)
            ino[path] = I[j]
            off[path] = 0
        }
        if (S[j] + 0 < off[path] + 0) off[path] = 0
        len = S[j] - off[path]
        if (len > budget) len = budget
        if (len > 0) { chunk(K[j], I[j], off[path], len, path, path); off[path] += len; budget -= len }
    }
    looked = 1
}
BEGIN {
    logsetup()
    passwd()
    asker = "read t && echo \"x $t\""
    nvsmi = ""
    if (system("command -v nvidia-smi >/dev/null 2>&1") == 0)
        nvsmi = "nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu --format=csv,noheader,nounits 2>/dev/null"
    sysgrep = "grep -s -H . /proc/pressure/cpu /proc/pressure/memory /proc/pressure/io /sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_cur_freq /sys/class/hwmon/hwmon[0-9]*/name /sys/class/hwmon/hwmon[0-9]*/temp[0-9]*_input /sys/class/hwmon/hwmon[0-9]*/temp[0-9]*_label /sys/class/hwmon/hwmon[0-9]*/fan[0-9]*_input /sys/class/hwmon/hwmon[0-9]*/fan[0-9]*_label /sys/class/drm/card[0-9]*/device/gpu_busy_percent /sys/class/drm/card[0-9]*/device/mem_info_vram_used /sys/class/drm/card[0-9]*/device/mem_info_vram_total 2>/dev/null"
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
            ni = 0
            while (("df -P -i 2>/dev/null" | getline line) > 0) dfi[++ni] = line
            close("df -P -i 2>/dev/null")
        }
        print "@df"
        for (k = 1; k <= nd; k++) print dfl[k]
        print "@dfi"
        for (k = 1; k <= ni; k++) print dfi[k]
        # Pressure, CPU frequencies, sensors: one grep for all (-s: a file missing is none).
        print "@sys"
        while ((sysgrep | getline line) > 0) print line
        close(sysgrep)
        # NVIDIA GPUs, where nvidia-smi (from the driver) is installed.
        if (nvsmi != "") {
            while ((nvsmi | getline line) > 0) print "nvidia-smi:" line
            close(nvsmi)
        }
        procs()
        if (nl) logs()
        print "@@end"
        fflush()
        # sh reads one line and no more from stdin (awk would buffer ahead): the processes
        # to keep whatever they use, as pid and start time pairs. None read: the end.
        asked = ""
        if ((asker | getline asked) <= 0) exit 0
        close(asker)
        for (k in pin) delete pin[k]
        np = split(asked, A, " ")
        for (k = 2; k < np; k += 2) pin[A[k] " " A[k + 1]] = 1
    }
}'
