use super::*;

fn err(text: &str) -> String {
    Config::parse(text, Path::new("/etc/montui.toml"))
        .expect_err("an error")
        .to_string()
}

#[test]
fn example_file_matches_defaults() {
    let text = include_str!("../../config.toml.example");
    let parsed = Config::parse(text, Path::new("config.toml.example")).expect("example parses");
    assert_eq!(parsed, Config::default());
    // Every key of the defaults is written out (not just left to default) in the example.
    for key in [
        "interval",
        "db",
        "frame_interval",
        "history",
        "flush_interval",
        "top_processes",
        "default_rules",
        "binary",
        "config_file",
        "connect_timeout",
    ] {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{key} ="))),
            "config.toml.example does not document `{key}`"
        );
    }
}

#[test]
fn empty_file_is_defaults() {
    assert_eq!(
        Config::parse("", Path::new("x")).unwrap(),
        Config::default()
    );
}

#[test]
fn unknown_key_names_file_line_and_key() {
    let e = err("interval = \"2s\"\n\n[ui]\nframe_interval = \"20ms\"\ncolour = \"red\"\n");
    assert!(e.contains("/etc/montui.toml line 5"), "{e}");
    assert!(e.contains("key `colour`"), "{e}");
    assert!(e.contains("\"red\""), "{e}");
    assert!(e.contains("unknown field"), "{e}");
}

#[test]
fn bad_duration_names_line_key_and_value() {
    let e = err("# comment\ninterval = \"fast\"\n");
    assert!(e.contains("line 2"), "{e}");
    assert!(e.contains("key `interval`"), "{e}");
    assert!(e.contains("value `\"fast\"`"), "{e}");
}

#[test]
fn out_of_range_value_is_refused() {
    let e = err("[ui]\nhistory = 1\n");
    assert!(
        e.contains("line 2") && e.contains("key `history`") && e.contains("value `1`"),
        "{e}"
    );
    let e = err("interval = \"10ms\"\n");
    assert!(e.contains("between 100ms and 1h"), "{e}");
}

#[test]
fn wrong_type_is_refused() {
    let e = err("[collect]\ntop_processes = \"many\"\n");
    assert!(
        e.contains("line 2") && e.contains("key `top_processes`"),
        "{e}"
    );
}

#[test]
fn db_path_precedence() {
    let mut c = Config::default();
    assert!(c.db_path(None).ends_with("montui/history.db"));
    c.db = "/x/y.db".into();
    assert_eq!(c.db_path(None), PathBuf::from("/x/y.db"));
    assert_eq!(c.db_path(Some(Path::new("/z.db"))), PathBuf::from("/z.db"));
}

#[test]
fn retention_must_be_consistent() {
    let e = err("[store]\nraw_retention = \"30d\"\nrollup_retention = \"7d\"\n");
    assert!(
        e.contains("line 3")
            && e.contains("key `rollup_retention`")
            && e.contains("at least raw_retention"),
        "{e}"
    );
    let r = Config::parse("[store]\nmax_size_mb = 2\n", Path::new("x"))
        .unwrap()
        .retention();
    assert_eq!(r.max_bytes, Some(2 << 20));
    assert_eq!(r.raw_ms, 7 * 86_400_000);
}

#[test]
fn alert_rules_from_config() {
    let text = "[alerts]\ndefault_rules = false\n\n[[alerts.rules]]\nname = \"slow\"\nexpr = \"network_receive_bytes_per_second < 100 and load1 > 2.0\"\nfor = \"2m\"\nseverity = \"warning\"\n\n[[alerts.rules]]\nname = \"root_full\"\nmetric = \"filesystem_used_percent\"\nabove = 95\nclear = 90\nseverity = \"critical\"\n";
    let c = Config::parse(text, Path::new("x")).unwrap();
    let rules = c.alerts.rules(text, Path::new("x")).unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0].for_ms, 120_000);
    assert_eq!(
        Config::default()
            .alerts
            .rules("", Path::new("x"))
            .unwrap()
            .len(),
        12
    );
    // A predicted rule: the forecast of a metric reaching a line within a time.
    let text = "[alerts]\ndefault_rules = false\n[[alerts.rules]]\nname = \"fill\"\nmetric = \"filesystem_used_percent\"\nabove = 95\npredict = \"12h\"\nseverity = \"warning\"\n";
    let c = Config::parse(text, Path::new("x")).unwrap();
    let rules = c.alerts.rules(text, Path::new("x")).unwrap();
    assert!(matches!(
        rules[0].condition,
        crate::alert::rules::Condition::Predict {
            within_ms: 43_200_000,
            below: false,
            ..
        }
    ));
    let e = err(&text.replace("12h", "10s"));
    assert!(
        e.contains("key `predict`") && e.contains("between 1m and 30d"),
        "{e}"
    );
    let e = err(&text.replace("above = 95\n", ""));
    assert!(
        e.contains("key `predict`") && e.contains("one of `above` or `below`"),
        "{e}"
    );
    // An unusual rule: the anomaly detector's score.
    let text = text.replace("above = 95\npredict = \"12h\"", "unusual = 0.9");
    let c = Config::parse(&text, Path::new("x")).unwrap();
    let rules = c.alerts.rules(&text, Path::new("x")).unwrap();
    assert!(matches!(
        rules[0].condition,
        crate::alert::rules::Condition::Unusual { score: 0.9, .. }
    ));
    let e = err(&text.replace("0.9", "2"));
    assert!(
        e.contains("key `unusual`") && e.contains("at most 1"),
        "{e}"
    );
}

#[test]
fn rule_labels_and_annotations_are_templates_checked_at_load() {
    let text = "[[alerts.rules]]\nname = \"root_full\"\nmetric = \"filesystem_used_percent\"\nabove = 95\nseverity = \"critical\"\n[alerts.rules.labels]\nteam = \"storage-{host}\"\n[alerts.rules.annotations]\nsummary = \"{mount} on {host} at {value}% (line {threshold}, team {team})\"\n";
    let c = Config::parse(text, Path::new("x")).unwrap();
    let rules = c.alerts.rules(text, Path::new("x")).unwrap();
    let r = rules.iter().find(|r| r.name == "root_full").unwrap();
    assert_eq!(
        r.labels,
        [("team".to_string(), "storage-{host}".to_string())]
    );
    // A label may not use a figure: it would make a new alert each time the figure moves.
    let e = err(&text.replace("storage-{host}", "storage-{value}"));
    assert!(
        e.contains("line 7") && e.contains("key `team`") && e.contains("`{value}` is not known"),
        "{e}"
    );
    let e = err(&text.replace("{mount} on", "{mount on"));
    assert!(e.contains("line 9") && e.contains("key `summary`"), "{e}");
    let e = err(&text.replace("filesystem_used_percent", "filesystem_usd_percent"));
    assert!(e.contains("line 3") && e.contains("no metric"), "{e}");
}

#[test]
fn bad_alert_rules_name_line_key_and_value() {
    let e = err(
        "[[alerts.rules]]\nname = \"a\"\nseverity = \"warning\"\nexpr = \"cpu >\"\n\n[[alerts.rules]]\nname = \"b\"\nexpr = \"cpu > \"\nseverity = \"info\"\n",
    );
    assert!(
        e.contains("line 4") && e.contains("key `expr`") && e.contains("column 6: expected"),
        "{e}"
    );
    let e = err("[[alerts.rules]]\nname = \"a\"\nmetric = \"load1\"\nseverity = \"loud\"\n");
    assert!(
        e.contains("line 4") && e.contains("key `severity`") && e.contains("loud"),
        "{e}"
    );
    let e = err(
        "[[alerts.rules]]\nname = \"cpu_high\"\nmetric = \"load1\"\nabove = 1\nseverity = \"info\"\n",
    );
    assert!(e.contains("line 2") && e.contains("exists already"), "{e}");
    let e = err("[[alerts.rules]]\nname = \"x\"\nmetric = \"load1\"\nseverity = \"info\"\n");
    assert!(e.contains("either `expr`"), "{e}");
}

#[test]
fn rules_that_can_never_work_are_load_errors() {
    let rule = |body: &str| err(&format!("[[alerts.rules]]\nname = \"r\"\n{body}\n"));
    let e = rule("expr = \"avg(cpu_bussy_percent, 5m) > 80\"");
    assert!(
        e.contains("line 3")
            && e.contains("key `expr`")
            && e.contains("no metric `cpu_bussy_percent`"),
        "{e}"
    );
    let e = rule("expr = \"cpu_busy_percent\"");
    assert!(e.contains("line 3") && e.contains("not a condition"), "{e}");
    let e = rule("metric = \"cpu_busy_percent\"\nabove = 1\nclear = 95");
    assert!(
        e.contains("line 5")
            && e.contains("key `clear`")
            && e.contains("95")
            && e.contains("at or below"),
        "{e}"
    );
    let e = rule("metric = \"cpu_busy_percent\"\nbelow = 10\nclear = 5");
    assert!(e.contains("line 5") && e.contains("at or above"), "{e}");
    for v in ["nan", "inf", "-inf"] {
        let e = rule(&format!("metric = \"cpu_busy_percent\"\nabove = {v}"));
        assert!(
            e.contains("line 4")
                && e.contains("key `above`")
                && e.contains(v)
                && e.contains("finite"),
            "{e}"
        );
    }
}

#[test]
fn a_rule_without_severity_is_a_warning() {
    let text = "[alerts]\ndefault_rules = false\n[[alerts.rules]]\nname = \"r\"\nmetric = \"load1\"\nabove = 4\n";
    let c = Config::parse(text, Path::new("/etc/montui.toml")).expect("loads");
    let rules = c.alerts.rules(text, Path::new("/etc/montui.toml")).unwrap();
    assert_eq!(
        rules[0].severity,
        crate::alert::lifecycle::Severity::Warning
    );
}

#[test]
fn the_examples_commented_out_in_the_example_file_are_valid() {
    let text: String = include_str!("../../config.toml.example")
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if rest.starts_with('[')
                    || rest.split_once(" = ").is_some_and(|(k, _)| {
                        k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    }) =>
            {
                rest
            }
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let (cfg, policy) =
        Config::parse_with_policy(&text, Path::new("x")).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(cfg.remote.len(), 1);
    let served = cfg
        .served
        .as_ref()
        .map(|s| (s.listen.to_string(), s.token.is_some()));
    assert_eq!(served, Some(("127.0.0.1:9930".to_string(), false)));
    let (host, every) = &cfg.remote[0];
    assert_eq!((host.name.as_str(), every.as_secs()), ("db1", 5));
    assert!(
        policy
            .rule("root_nearly_full")
            .is_some_and(|r| r.labels.len() == 1)
    );
    assert_eq!(policy.inhibitions.len(), 3);
    assert_eq!(policy.quiet.len(), 2);
    assert_eq!(
        (policy.quiet[0].from_min, policy.quiet[1].days.len()),
        (22 * 60, 2)
    );
    let e = &policy.escalations[0];
    assert_eq!(
        e.matchers,
        [("severity".to_string(), "warning".to_string())]
    );
    assert_eq!(e.steps.len(), 2);
    assert_eq!(e.steps[1].assignee.as_deref(), Some("team-lead"));
}

#[test]
fn bad_quiet_windows_name_the_key_and_value() {
    let e = err(
        "[alerts.notify]\ngroup_wait = \"1m\"\n\n[[alerts.notify.quiet]]\nfrom = \"25:00\"\nto = \"07:00\"\n",
    );
    assert!(
        e.contains("line 5") && e.contains("key `from`") && e.contains("time of day"),
        "{e}"
    );
}

#[test]
fn host_labels_reach_the_policy_and_bad_ones_are_named() {
    let text = "[[hosts]]\nssh = \"admin@db1:2222\"\nlabels = { env = \"prod\", team = \"db\" }\n";
    let (_, policy) = Config::parse_with_policy(text, Path::new("c.toml")).unwrap();
    let want = std::collections::BTreeMap::from([
        ("env".to_string(), "prod".to_string()),
        ("team".to_string(), "db".to_string()),
    ]);
    assert_eq!(policy.host_labels["db1"], want);
    let e = err("[[hosts]]\nssh = \"db1\"\n[hosts.labels]\nhost = \"other\"\n");
    assert!(
        e.contains("line 4") && e.contains("host") && e.contains("set by montui"),
        "{e}"
    );
    let e = err("[[hosts]]\nssh = \"db1\"\n[hosts.labels]\n\"1x\" = \"y\"\n");
    assert!(
        e.contains("line 4") && e.contains("not a label name"),
        "{e}"
    );
}

#[test]
fn log_sources_are_checked() {
    let cfg = Config::parse(
        "logs = [\"/var/log/*.log\", { command = \"app --follow\", name = \"app\" }, { journald = true }]\n",
        Path::new("x"),
    )
    .expect("parses");
    let names: Vec<&str> = cfg.log_sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["/var/log/*.log", "app", "journal"]);
    let e = err("logs = [{ path = \"/a\", command = \"b\" }]\n");
    assert!(e.contains("line 1") && e.contains("exactly one of"), "{e}");
    let e = err("logs = [\"/a\", \"/a\"]\n");
    assert!(e.contains("listed already"), "{e}");
    let e = err("logs = [\"/var/log/[x\"]\n");
    assert!(e.contains("not a glob"), "{e}");
    let e = err("logs = [{ path = \"/a\", format = \"<time> <level>\" }]\n");
    assert!(e.contains("format") && e.contains("<message>"), "{e}");
    let ok = "logs = [{ path = \"/a\", format = \"<time> <level>: <message>\" }]\n";
    let cfg = Config::parse(ok, Path::new("x")).expect("parses");
    assert!(cfg.log_sources[0].format.is_some());
    let e = err("logs = [{ path = \"/a\", max_line = 10 }]\n");
    assert!(
        e.contains("max_line") && e.contains("`10`") || e.contains("256"),
        "{e}"
    );
}

#[test]
fn remote_log_files_are_checked() {
    let ok = "[[hosts]]\nssh = \"admin@web1\"\nlogs = [\"/var/log/*.log\", { path = \"/srv/app.log\", name = \"app\" }]\n";
    let cfg = Config::parse(ok, Path::new("x")).expect("parses");
    let names: Vec<&str> = cfg.remote_logs["web1"]
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["web1:/var/log/*.log", "web1:app"]);
    let e = err("[[hosts]]\nssh = \"web1\"\nlogs = [{ journald = true }]\n");
    assert!(e.contains("line 3") && e.contains("are files"), "{e}");
    let e = err("[[hosts]]\nssh = \"web1\"\nlogs = [\"/a\\nb\"]\n");
    assert!(e.contains("control characters"), "{e}");
}

#[test]
fn log_patterns_are_checked() {
    let text = "[[log_patterns]]\nname = \"pay_declined\"\ncontains = [\"Payment Declined\"]\nseverity = \"error\"\n";
    let cfg = Config::parse(text, Path::new("x")).expect("parses");
    assert_eq!(cfg.known_patterns[0].phrases, ["payment declined"]);
    let e = err("[[log_patterns]]\nname = \"x\"\ncontains = [\"a\"]\nseverity = \"loud\"\n");
    assert!(e.contains("line 4") && e.contains("severity"), "{e}");
    let e = err("[[log_patterns]]\nname = \"x y\"\ncontains = [\"a\"]\nseverity = \"warn\"\n");
    assert!(e.contains("line 2"), "{e}");
}

#[test]
fn anomaly_tunings_reach_the_policy_and_bad_ones_are_named() {
    let text = "[anomalies]\nscore = 0.9\n[[anomalies.metric]]\nmetric = \"network_*\"\nscore = 0.95\noff = [\"shape\", \"median/MAD\"]\n[[anomalies.metric]]\nmetric = \"load*\"\nignore = true\n";
    let (_, policy) = Config::parse_with_policy(text, Path::new("c.toml")).expect("parses");
    let a = &policy.anomalies;
    assert_eq!(a.score, 0.9);
    assert_eq!(a.tunings.len(), 2);
    assert_eq!(a.tunings[0].score, Some(0.95));
    assert_eq!(
        a.tunings[0].off,
        crate::detect::CONTEXT | crate::detect::ROBUST
    );
    assert!(a.tunings[1].ignore && a.tunings[1].score.is_none());
    let e = err("[anomalies]\nscore = 1.5\n");
    assert!(e.contains("line 2") && e.contains("key `score`"), "{e}");
    let e = err("[[anomalies.metric]]\nmetric = \"cpu_*\"\noff = [\"magic\"]\n");
    assert!(
        e.contains("line 3") && e.contains("no detector `magic`") && e.contains("EWMA"),
        "{e}"
    );
    let e = err("[[anomalies.metric]]\nmetric = \"[x\"\n");
    assert!(e.contains("line 2") && e.contains("not a glob"), "{e}");
    let e = err("[[anomalies.metric]]\nmetric = \"x\"\nthreshold = 1\n");
    assert!(e.contains("threshold"), "{e}");
}

#[test]
fn an_error_about_an_item_of_a_list_names_its_line() {
    let e = err("interval = \"1s\"\nlogs = [\"/x\", \"/x\"]\n");
    assert!(e.contains("line 2") && e.contains("key `logs`"), "{e}");
}

#[test]
fn receivers_are_checked_and_named_by_line() {
    let ok = "[[notify.receivers]]\nname = \"ops\"\ncommand = { argv = [\"notify-ops\"] }\n";
    let cfg = Config::parse(ok, Path::new("/etc/montui.toml")).expect("parses");
    assert_eq!(cfg.receivers.len(), 1);
    assert!(cfg.receivers[0].send_resolved);
    let twice =
        format!("{ok}[[notify.receivers]]\nname = \"ops\"\ncommand = {{ argv = [\"x\"] }}\n");
    let e = err(&twice);
    assert!(e.contains("line 2") && e.contains("two receivers"), "{e}");
    let e = err(&format!("{ok}title = \"{{host\"\n"));
    assert!(
        e.contains("line 4") && e.contains("a `{` with no `}`"),
        "{e}"
    );
    let e = err("[[notify.receivers]]\nname = \"ops\"\n");
    assert!(e.contains("line 2") && e.contains("needs a kind"), "{e}");
    let e = err("[[notify.receivers]]\nname = \"ops\"\nslack = { url = \"x\" }\n");
    assert!(e.contains("line 3") && e.contains("slack"), "{e}");
}

#[test]
fn routes_name_receivers_and_matchers_that_parse() {
    let receivers = "[[notify.receivers]]\nname = \"pager\"\ncommand = { argv = [\"p\"] }\n\
                     [[notify.receivers]]\nname = \"mail\"\ncommand = { argv = [\"m\"] }\n";
    let ok = format!(
        "[alerts.notify]\ngroup_wait = \"10s\"\n{receivers}[notify]\ndefault = [\"mail\"]\n\
         [[notify.routes]]\nmatchers = ['severity=\"critical\"', 'host=~\"db-.*\"']\n\
         receivers = [\"pager\"]\ncontinue = true\ngroup_wait = \"0s\"\n"
    );
    let (_, policy) = Config::parse_with_policy(&ok, Path::new("/etc/m.toml")).expect("parses");
    let r = &policy.routing.routes;
    assert_eq!(r.len(), 2, "the route and the default");
    assert!(r[0].cont && r[0].matchers.len() == 2);
    assert_eq!(
        (r[0].grouping.group_wait_ms, r[1].grouping.group_wait_ms),
        (0, 10_000)
    );
    assert_eq!(r[1].receivers, ["mail"]);
    let e = err(&format!(
        "{receivers}[[notify.routes]]\nmatchers = []\nreceivers = [\"pagr\"]\n"
    ));
    assert!(
        e.contains("line 9") && e.contains("no receiver is named `pagr`"),
        "{e}"
    );
    let e = err(&format!(
        "{receivers}[[notify.routes]]\nmatchers = ['host=~\"(\"']\nreceivers = [\"pager\"]\n"
    ));
    assert!(e.contains("line 8") && e.contains("not a regex"), "{e}");
    let e = err(&format!(
        "{receivers}[[alerts.escalation]]\n[[alerts.escalation.steps]]\nafter = \"5m\"\nchannels = [\"sms\"]\n"
    ));
    assert!(
        e.contains("channels") && e.contains("no receiver is named `sms`"),
        "{e}"
    );
}

#[test]
fn process_columns_are_chosen_and_a_wrong_one_is_named() {
    let cfg = Config::parse(
        "[ui]\nprocess_columns = [\"pid\", \"cpu\", \"command\"]\n",
        Path::new("/etc/montui.toml"),
    )
    .expect("parses");
    use crate::model::ProcColumn::*;
    assert_eq!(cfg.ui.process_columns, [Pid, Cpu, Command]);
    let e = err("[ui]\nprocess_columns = [\"pid\", \"rss\"]\n");
    assert!(
        e.contains("line 2") && e.contains("key `process_columns`") && e.contains("\"rss\""),
        "{e}"
    );
    assert!(e.contains("one of pid, user, priority"), "{e}");
    let e = err("[ui]\nprocess_columns = []\n");
    assert!(e.contains("needs a column"), "{e}");
}

#[test]
fn the_layout_and_hidden_panes_are_set_and_a_wrong_pane_is_named() {
    let cfg = Config::parse(
        "[ui]\nlayout = \"processes\"\nhide = [\"network\", \"load\"]\n",
        Path::new("/etc/montui.toml"),
    )
    .expect("parses");
    use crate::app::{Pane, Preset};
    assert_eq!(cfg.ui.layout, Preset::Processes);
    assert_eq!(cfg.ui.hide, [Pane::Net, Pane::Load]);
    let e = err("[ui]\nhide = [\"net\"]\n");
    assert!(
        e.contains("line 2") && e.contains("key `hide`") && e.contains("\"net\""),
        "{e}"
    );
    let e = err("[ui]\nlayout = \"grid\"\n");
    assert!(e.contains("key `layout`") && e.contains("overview"), "{e}");
}

#[test]
fn a_host_is_read_over_ssh_or_from_its_node_exporter() {
    let text = "[[hosts]]\nssh = \"db1\"\n\n[[hosts]]\nscrape = [\"http://127.0.0.1:9100/metrics\"]\nlabels = { env = \"lab\" }\n\n[[hosts]]\nname = \"web\"\nscrape = [\"https://web.example:9100/metrics\"]\ninterval = \"15s\"\n";
    let (cfg, policy) = Config::parse_with_policy(text, Path::new("c.toml")).unwrap();
    assert_eq!(cfg.remote.len(), 1);
    let scraped: Vec<(&str, &str, u64)> = (cfg.scraped.iter())
        .map(|h| (h.name.as_str(), h.url.as_str(), h.every.as_secs()))
        .collect();
    assert_eq!(
        scraped,
        [
            ("127.0.0.1:9100", "http://127.0.0.1:9100/metrics", 1),
            ("web", "https://web.example:9100/metrics", 15)
        ]
    );
    assert_eq!(policy.host_labels["127.0.0.1:9100"]["env"], "lab");
    for (bad, says) in [
        ("[[hosts]]\nname = \"x\"\n", "`ssh`"),
        ("[[hosts]]\nscrape = [\"ftp://a/metrics\"]\n", "not an http"),
        (
            "[[hosts]]\nssh = \"a\"\nscrape = [\"http://a:9100/metrics\"]\n",
            "one of",
        ),
        (
            "[[hosts]]\nscrape = [\"http://a:1/m\", \"http://a:2/m\"]\n",
            "one of",
        ),
        (
            "[[hosts]]\nscrape = [\"http://a:1/m\"]\nlogs = [\"/var/log/x\"]\n",
            "no logs",
        ),
        (
            "[[hosts]]\nname = \"-o\"\nscrape = [\"http://a:1/m\"]\n",
            "host name",
        ),
        (
            "[[hosts]]\nssh = \"a\"\n[[hosts]]\nscrape = [\"http://a:1/m\"]\nname = \"a\"\n",
            "listed already",
        ),
    ] {
        let e = err(bad);
        assert!(e.contains(says) && e.contains("line"), "{bad}: {e}");
    }
}

#[test]
fn a_wrong_report_names_its_line_key_and_value() {
    let e = err("[[reports]]\nperiod = \"week\"\n\n[[reports]]\nperiod = \"fortnight\"\n");
    assert!(
        e.contains("line 5") && e.contains("`period`") && e.contains("fortnight"),
        "{e}"
    );
    let e = err("[[reports]]\nperiod = \"day\"\nat = \"8am\"\n");
    assert!(e.contains("at") && e.contains("8am"), "{e}");
    let e = err("[[reports]]\nperiod = \"day\"\n[[reports]]\nperiod = \"day\"\n");
    assert!(e.contains("name"), "{e}");
    let ok = Config::parse(
        "[[reports]]\nperiod = \"month\"\nat = \"08:30\"\nformat = \"md\"\n",
        Path::new("c.toml"),
    )
    .unwrap();
    assert_eq!(ok.report_jobs[0].at_min, 8 * 60 + 30);
}
