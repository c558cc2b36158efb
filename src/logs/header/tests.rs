use super::*;

fn msg(line: &str) -> String {
    split(line).message.into_owned()
}

#[test]
fn common_formats_give_their_message() {
    let cases = [
        // syslog (RFC 3164), with a tag with pid, a pam tag, a version
        (
            "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown",
            "check pass; user unknown",
        ),
        ("Jun  9 06:06:20 combo syslogd 1.4.1: restart.", "restart."),
        (
            "Jul  1 09:00:55 calvisitor-10-105-160-95 kernel[0]: ARPT: 620651.021206: wl0: x",
            "ARPT: 620651.021206: wl0: x",
        ),
        (
            "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick",
            "'su root' failed for lonvick",
        ),
        // journalctl -o short-iso
        (
            "2026-11-23T19:47:21+0000 web1 sshd[812]: Accepted publickey for root from 10.0.0.1",
            "Accepted publickey for root from 10.0.0.1",
        ),
        (
            "2026-11-23T19:47:21+01:00 web1 kernel: Out of memory: Killed process 42 (java)",
            "Out of memory: Killed process 42 (java)",
        ),
        // RFC 5424
        (
            "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] An application event",
            "An application event",
        ),
        (
            "<13>1 2024-01-01T00:00:00Z host app 12 - - hello world",
            "hello world",
        ),
        // Java/Python loggers
        (
            "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_1",
            "Created MRAppMaster for application appattempt_1",
        ),
        (
            "2015-10-18 18:03:18,999 INFO [RMCommunicator Allocator] org.apache.X: Reduce slow start",
            "Reduce slow start",
        ),
        (
            "2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200",
            "Notification time out: 3200",
        ),
        (
            "17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls to: yarn,curi",
            "Changing view acls to: yarn,curi",
        ),
        (
            "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_3 terminating",
            "PacketResponder 1 for block blk_3 terminating",
        ),
        (
            "2023-01-01 12:00:00,123 - myapp.db - ERROR - connection refused",
            "connection refused",
        ),
        (
            "2024-05-01T10:00:00.123+02:00 [warn] disk almost full",
            "disk almost full",
        ),
        (
            "2024-05-01T10:00:00Z WARNING: disk almost full",
            "disk almost full",
        ),
        ("ERROR: could not open file", "could not open file"),
        // supercomputers
        (
            "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected",
            "instruction cache parity error corrected",
        ),
        (
            "- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root",
            "session closed for user root",
        ),
        (
            "134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change: Component is in the unavailable state (HWID=1925)",
            "Component State Change: Component is in the unavailable state (HWID=1925)",
        ),
        // Android, Apache error, Windows CBS, Proxifier, HealthApp, OpenStack
        (
            "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogsopening app wtoken",
            "printFreezingDisplayLogsopening app wtoken",
        ),
        (
            "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties",
            "workerEnv.init() ok /etc/httpd/conf/workers2.properties",
        ),
        (
            "2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1",
            "CBS    Loaded Servicing Stack v6.1",
        ),
        (
            "[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 close, 0 bytes sent",
            "proxy.cse.cuhk.edu.hk:5070 close, 0 bytes sent",
        ),
        (
            "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
            "onStandStepChanged 3579",
        ),
        (
            "nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-38101a0b - - -] 10.11.10.1 \"GET /v2/servers HTTP/1.1\" status: 200",
            "10.11.10.1 \"GET /v2/servers HTTP/1.1\" status: 200",
        ),
        // kernel ring buffer, plain lines
        (
            "[  5.123456] usb 1-1: new high-speed USB device",
            "usb 1-1: new high-speed USB device",
        ),
        (
            "just a message with 12:00:01 inside",
            "just a message with 12:00:01 inside",
        ),
        ("", ""),
        // structured
        (
            "{\"time\":\"2024-01-01T00:00:00Z\",\"level\":\"error\",\"msg\":\"db down\"}",
            "db down",
        ),
        (
            "time=2024-01-01T00:00:00Z level=warn msg=\"slow query\" ms=120",
            "slow query",
        ),
        (
            "level=info component=api took=3ms",
            "component=api took=3ms",
        ),
        // the level first, then the time
        ("WARN 10:00:07 Session 3 closed", "Session 3 closed"),
        ("[ERROR] 2024-01-01 10:00:00 disk full", "disk full"),
        // `|`-separated fields with a compact time
        (
            "20171223-22:15:29:615|Step_LSC|30002312|onStandStepChanged 3579",
            "onStandStepChanged 3579",
        ),
        // numeric fields before the message (an id, a node, a component, a state, an epoch)
        (
            "134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change",
            "Component State Change",
        ),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter(|(line, want)| msg(line) != *want)
        .map(|(line, want)| format!("{line}\n  got  {}\n  want {want}", msg(line)))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn levels_and_times_are_found() {
    let h = split("2015-10-18 18:01:47,978 WARN [main] a.B: x");
    assert_eq!(h.level, Some(Level::Warn));
    assert_eq!(h.time, Some("2015-10-18 18:01:47,978"));
    let h = split("Jun 14 15:16:01 combo sshd[1]: x");
    assert_eq!((h.level, h.time), (None, Some("Jun 14 15:16:01")));
    assert_eq!(
        split("<11>Oct 11 22:14:15 h su: x").level,
        Some(Level::Error)
    );
    assert_eq!(
        split("03-17 16:13:38.811 1 2 E Tag: x").level,
        Some(Level::Error)
    );
    assert_eq!(
        split("{\"level\":\"fatal\",\"msg\":\"x\"}").level,
        Some(Level::Critical)
    );
    // A word that is a level inside the message is not taken for one.
    assert_eq!(
        split("2024-01-01 10:00:00 worker: error while reading").level,
        None
    );
}

#[test]
fn access_lines_become_method_path_and_status_class() {
    let line = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif?x=1 HTTP/1.0\" 503 2326 \"http://r/\" \"Mozilla/4.08\"";
    let h = split(line);
    assert_eq!(h.message, "GET /apache_pb.gif server-error");
    assert_eq!(h.level, Some(Level::Error));
    assert_eq!(h.time, Some("[10/Oct/2000:13:55:36 -0700]"));
    let h = split("::1 - - [10/Oct/2000:13:55:36 +0000] \"POST /login HTTP/1.1\" 401 0");
    assert_eq!(
        (h.message.as_ref(), h.level),
        ("POST /login client-error", Some(Level::Warn))
    );
}

#[test]
fn garbage_never_panics() {
    let seeds = [
        "<999999999999>1 x",
        "<1>1",
        "[[[[[[[[[[ INFO",
        "2024-01-01 ",
        "{\"msg\":1",
        "time=\"unterminated",
        "a|b|c",
        "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET",
        "Jun 14 15:16:01",
        "é|ü ñ 2024-01-01T00:00:00Z ERROR\u{0}x",
    ];
    for s in seeds {
        for cut in 0..=s.len() {
            if let Some(p) = s.get(..cut) {
                let _ = split(p);
            }
        }
    }
}
