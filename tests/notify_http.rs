//! The HTTP receivers against a real HTTP server on loopback: each payload has what its API
//! requires; answers are judged (2xx delivered, 429 waits its Retry-After, 5xx retried, other
//! 4xx a dead letter after one attempt, a hang times out, a refused connection retried); and
//! secrets never show in what montui says.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::http::{Answer, Server};
use common::notify::{firing, notify_test, recorder, stop, write};

#[test]
fn each_http_receiver_sends_what_its_api_requires() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(Answer::Status(202));
    let cfg = write(
        dir.path(),
        &format!(
            r#"
[[notify.receivers]]
name = "hook"
webhook = {{ url = "{hook}", headers = {{ X-Team = "ops" }}, secret_env = "T_HMAC" }}
[[notify.receivers]]
name = "chat"
slack = {{ url_env = "T_SLACK" }}
[[notify.receivers]]
name = "pager"
pagerduty = {{ routing_key_env = "T_PD", url = "{pd}" }}
[[notify.receivers]]
name = "genie"
opsgenie = {{ api_key_env = "T_OG", url = "{og}" }}
[[notify.receivers]]
name = "phone"
ntfy = {{ url = "{ntfy}", token_env = "T_NTFY" }}
title = "{{status}} {{alertname}} x{{count}} {{{{braces}}}}"
body = "on {{host}}:\n{{alerts}}"
[[notify.receivers]]
name = "am"
alertmanager = {{ urls = ["{am}"] }}
"#,
            hook = s.url("/hook"),
            pd = s.url("/pd"),
            og = s.url("/og"),
            ntfy = s.url("/ntfy/alerts"),
            am = s.url("/am"),
        ),
    );
    let slack = s.url("/slack/services/T1/B2/XYZ");
    let env = [
        ("T_HMAC", "k3y"),
        ("T_SLACK", slack.as_str()),
        ("T_PD", "pd-routing-key"),
        ("T_OG", "og-api-key"),
        ("T_NTFY", "tk_token"),
    ];
    let (ok, said) = notify_test(dir.path(), &cfg, &env);
    assert!(ok, "{said}");
    for name in ["hook", "chat", "pager", "genie", "phone", "am"] {
        assert!(said.contains(&format!("{name}: delivered")), "{said}");
    }
    for answer in [
        "hook: delivered: HTTP 202: ok",
        "am: delivered: http://127.0.0.1",
    ] {
        assert!(said.contains(answer), "the server's answer: {said}");
    }
    let got = s.requests();
    let at = |prefix: &str| {
        got.iter()
            .find(|r| r.path.starts_with(prefix))
            .unwrap_or_else(|| panic!("nothing at {prefix}: {got:?}"))
    };
    // Webhook: Alertmanager's payload, the notice id, the extra header, a signature.
    let hook = at("/hook");
    let v = hook.json();
    for k in [
        "version",
        "groupKey",
        "status",
        "receiver",
        "groupLabels",
        "commonLabels",
        "commonAnnotations",
        "alerts",
        "truncatedAlerts",
    ] {
        assert!(v.get(k).is_some(), "webhook lacks {k}: {v}");
    }
    assert_eq!(v["receiver"], "hook");
    assert_eq!(hook.header("x-team"), Some("ops"));
    assert_eq!(
        hook.header("montui-notice-id"),
        v["montuiNoticeId"].as_str()
    );
    let sig = hook.header("montui-signature").unwrap_or_default();
    assert!(sig.starts_with("sha256=") && sig.len() == 71, "{sig}");
    // Slack: a text and a coloured attachment.
    let v = at("/slack/").json();
    assert!(
        v["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("[FIRING:1] montui_test")),
        "{v}"
    );
    assert!(v["attachments"][0]["color"].is_string(), "{v}");
    let fields = v["attachments"][0]["fields"].to_string();
    for f in ["host", "value", "since"] {
        assert!(
            fields.contains(&format!("\"title\":\"{f}\"")),
            "slack lacks {f}: {fields}"
        );
    }
    // PagerDuty Events v2: routing_key, event_action, dedup_key, payload summary/source/severity.
    let v = at("/pd").json();
    assert_eq!(v["routing_key"], "pd-routing-key");
    assert_eq!(v["event_action"], "trigger");
    assert_eq!(v["dedup_key"].as_str().map(str::len), Some(16));
    for k in ["summary", "source", "severity"] {
        assert!(
            v["payload"][k].is_string(),
            "pagerduty lacks payload.{k}: {v}"
        );
    }
    assert_eq!(v["payload"]["severity"], "info");
    // Opsgenie: a create with message and alias, the key in the Authorization header.
    let og = at("/og/v2/alerts");
    assert_eq!(og.header("authorization"), Some("GenieKey og-api-key"));
    let v = og.json();
    assert!(
        v["message"].is_string() && v["alias"].as_str().map(str::len) == Some(16),
        "{v}"
    );
    // ntfy: the title and priority as headers, the token as a bearer, the lines as body.
    let n = at("/ntfy/alerts");
    assert_eq!(
        n.header("title"),
        Some("FIRING montui_test x1 {braces}"),
        "its template"
    );
    assert_eq!(n.header("priority"), Some("3"));
    assert_eq!(n.header("authorization"), Some("Bearer tk_token"));
    assert!(
        n.body.starts_with("on ") && n.body.contains("\nFIRING montui_test"),
        "{}",
        n.body
    );
    // Alertmanager API v2: a list of alerts with labels and times.
    let am = at("/am/api/v2/alerts");
    let v = am.json();
    assert_eq!(v[0]["labels"]["alertname"], "montui_test");
    assert!(
        v[0]["startsAt"].is_string() && v[0]["endsAt"].is_string(),
        "{v}"
    );
}

#[test]
fn answers_are_judged_and_secrets_never_said() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(Answer::Status(500));
    let marker = "SECRETMARKER";
    let cfg = write(
        dir.path(),
        "[[notify.receivers]]\nname = \"hook\"\ntimeout = \"1s\"\n\
         webhook = { url_env = \"T_URL\" }\n",
    );
    let url = s.url(&format!("/services/T1/{marker}"));
    let env = [("T_URL", url.as_str())];
    let said = |_: &Server| notify_test(dir.path(), &cfg, &env);
    let (ok, out) = said(&s);
    assert!(
        !ok && out.contains("would be retried") && out.contains("HTTP 500"),
        "{out}"
    );
    s.answer(Answer::Status(400));
    let (_, out) = said(&s);
    assert!(
        out.contains("refused for good") && out.contains("HTTP 400"),
        "{out}"
    );
    s.answer(Answer::Status(401));
    let (_, out) = said(&s);
    assert!(out.contains("authentication refused"), "{out}");
    s.answer(Answer::Hang);
    let (_, out) = said(&s);
    assert!(
        out.contains("would be retried") && out.contains("timed out"),
        "{out}"
    );
    s.stop();
    let (_, out) = said(&s);
    assert!(
        out.contains("would be retried") && out.contains("cannot connect"),
        "{out}"
    );
    assert!(!out.contains(marker), "{out}");
    // A wrong URL in the environment: said, masked.
    let bad = format!("ftp://x/{marker}");
    let (_, out) = notify_test(dir.path(), &cfg, &[("T_URL", bad.as_str())]);
    assert!(!out.contains(marker), "{out}");
}

#[test]
fn a_429_waits_its_retry_after_and_a_400_is_a_dead_letter_after_one_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let busy = Server::start(Answer::TooMany(3));
    let refusing = Server::start(Answer::Status(400));
    let marker = "SECRETMARKER";
    let cfg = write(
        dir.path(),
        &firing(&format!(
            "[[notify.receivers]]\nname = \"busy\"\nwebhook = {{ url = \"{}\" }}\n\
             [[notify.receivers]]\nname = \"refusing\"\nwebhook = {{ url_env = \"T_URL\", secret_env = \"T_KEY\" }}\n",
            busy.url("/hook"),
        )),
    );
    let url = refusing.url(&format!("/services/T1/{marker}"));
    let env = [("T_URL", url.as_str()), ("T_KEY", marker)];
    let child = recorder(dir.path(), &cfg, &env);
    let first = busy.wait_for(1, common::WAIT);
    assert!(!first.is_empty(), "no attempt");
    busy.answer(Answer::Status(200));
    let two = busy.wait_for(2, common::WAIT);
    assert!(two.len() >= 2, "no second attempt");
    let gap = two[1].at - two[0].at;
    assert!(
        gap >= Duration::from_millis(2900),
        "retried after {gap:?}, not after Retry-After: 3"
    );
    assert_eq!(
        two[0].header("montui-notice-id"),
        two[1].header("montui-notice-id")
    );
    // The 400: one attempt, then nothing more, however long.
    std::thread::sleep(Duration::from_secs(3));
    stop(child);
    assert_eq!(refusing.requests().len(), 1, "a 400 is not retried");
    let log = std::fs::read_to_string(dir.path().join("stderr.log")).unwrap();
    assert!(
        log.contains("given up") && log.contains("HTTP 400"),
        "{log}"
    );
    assert!(!log.contains(marker), "a secret in the log: {log}");
}

#[test]
fn routes_send_critical_alerts_to_the_pager_and_the_rest_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let pager = Server::start(Answer::Status(202));
    let chat = Server::start(Answer::Status(200));
    let cfg = write(
        dir.path(),
        &format!(
            r#"interval = "200ms"
[alerts.notify]
group_wait = "0s"
[[alerts.rules]]
name = "up_critical"
metric = "up"
above = 0.5
severity = "critical"
[[alerts.rules]]
name = "up_warning"
metric = "up"
above = 0.5
severity = "warning"
[[notify.receivers]]
name = "pager"
webhook = {{ url = "{}" }}
[[notify.receivers]]
name = "chat"
webhook = {{ url = "{}" }}
[notify]
default = ["chat"]
[[notify.routes]]
matchers = ['severity="critical"']
receivers = ["pager"]
"#,
            pager.url("/pager"),
            chat.url("/chat"),
        ),
    );
    let child = recorder(dir.path(), &cfg, &[]);
    let paged = pager.wait_for(1, common::WAIT);
    let chatted = chat.wait_for(1, common::WAIT);
    std::thread::sleep(Duration::from_secs(1));
    stop(child);
    let names = |got: &[common::http::Request]| -> Vec<String> {
        (got.iter())
            .flat_map(|r| r.json()["alerts"].as_array().cloned().unwrap_or_default())
            .map(|a| a["labels"]["alertname"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(names(&paged), ["up_critical"]);
    assert_eq!(names(&chatted), ["up_warning"]);
    assert_eq!(paged[0].json()["receiver"], "pager");
}

#[test]
fn a_receiver_failing_raises_notification_failing_to_the_fallback_only() {
    let dir = tempfile::tempdir().unwrap();
    let hook = Server::start(Answer::Status(400));
    let backup = Server::start(Answer::Status(200));
    let cfg = write(
        dir.path(),
        &firing(&format!(
            "[[notify.receivers]]\nname = \"hook\"\nwebhook = {{ url = \"{}\" }}\n\
             [[notify.receivers]]\nname = \"backup\"\nwebhook = {{ url = \"{}\" }}\n\
             [notify]\ndefault = [\"hook\"]\nfallback = [\"backup\"]\nfailing_after = \"1s\"\n",
            hook.url("/hook"),
            backup.url("/backup"),
        )),
    );
    let child = recorder(dir.path(), &cfg, &[]);
    let got = backup.wait_for(1, common::WAIT);
    stop(child);
    assert!(!got.is_empty(), "the fallback heard nothing");
    let v = got[0].json();
    let a = &v["alerts"][0];
    assert_eq!(a["labels"]["alertname"], "notification_failing", "{v}");
    assert_eq!(a["labels"]["receiver"], "hook", "{v}");
    let summary = a["annotations"]["summary"].as_str().unwrap_or("");
    assert!(summary.contains("HTTP 400"), "{summary}");
    // The rule's own alert went to the default route only; the failing receiver was not told
    // of its own failure.
    let names: Vec<String> = (hook.requests().iter())
        .map(|r| r.json()["alerts"][0]["labels"]["alertname"].to_string())
        .collect();
    assert_eq!(names, ["\"always\""]);
}

/// The notice ids in the outbox of the history at `db` (read as the UI reads it).
fn queued(db: &Path) -> Vec<String> {
    montui::store::Store::open_reader(db)
        .and_then(|s| s.sent(None, 1000))
        .map(|rows| rows.into_iter().map(|r| r.notice).collect())
        .unwrap_or_default()
}

#[test]
fn kill_9_with_50_notices_queued_for_a_down_receiver_loses_none_and_sends_none_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut hook = Server::start(Answer::Status(200));
    hook.stop();
    // 50 rules that fire at once, each a group of its own: 50 notices.
    let rules: String = (0..50)
        .map(|i| format!("[[alerts.rules]]\nname = \"up_{i}\"\nmetric = \"up\"\nabove = 0.5\n"))
        .collect();
    let cfg = write(
        dir.path(),
        &format!(
            "interval = \"200ms\"\n[alerts.notify]\ngroup_wait = \"0s\"\ngroup_by = [\"alertname\"]\n\
             {rules}[[notify.receivers]]\nname = \"hook\"\nwebhook = {{ url = \"{}\" }}\n",
            hook.url("/hook")
        ),
    );
    let db = dir.path().join("h.db");
    let child = recorder(dir.path(), &cfg, &[]);
    let start = std::time::Instant::now();
    let mut ids = queued(&db);
    while ids.len() < 50 && start.elapsed() < common::WAIT {
        std::thread::sleep(Duration::from_millis(200));
        ids = queued(&db);
    }
    assert_eq!(ids.len(), 50, "50 notices queued");
    Command::new("kill")
        .args(["-9", &child.id().to_string()])
        .status()
        .unwrap();
    let _ = child.wait_with_output();
    hook.restart();
    let child = recorder(dir.path(), &cfg, &[]);
    hook.wait_for(50, common::WAIT);
    // Time for a second send of any of them, or for new notices about the same alerts.
    std::thread::sleep(Duration::from_secs(3));
    stop(child);
    let got = hook.notice_ids();
    let (unique, once) = common::http::once(&got);
    assert!(once, "a notice id came twice: {got:?}");
    let mut want = ids.clone();
    want.sort();
    assert_eq!(
        unique, want,
        "each queued notice once, and nothing new for alerts already told"
    );
}
