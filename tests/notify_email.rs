//! The email receiver against a real SMTP server (python3-aiosmtpd) on loopback, with
//! STARTTLS (a certificate of a test CA made here, trusted through `ca_file`) and AUTH: a
//! firing alert arrives as mail with the expected subject and body, then its resolve; a wrong
//! password is refused for good, naming the server's answer.

mod common;

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_montui");

#[test]
#[cfg_attr(
    any(montui_no_aiosmtpd, montui_no_openssl),
    ignore = "needs python3-aiosmtpd and openssl (apt-get install python3-aiosmtpd openssl)"
)]
fn a_firing_alert_arrives_as_mail_and_so_does_its_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = common::mail::Smtp::start(dir.path());
    let cfg = dir.path().join("config.toml");
    let text = format!(
        r#"interval = "500ms"
[alerts.notify]
group_wait = "0s"
group_interval = "1s"
[[alerts.rules]]
name = "loopback_busy"
metric = "network_receive_bytes_per_second"
above = 50000000
severity = "warning"
[alerts.rules.annotations]
summary = "{{interface}} receives {{value}}"
{}"#,
        smtp.receiver("T_SMTP_PASSWORD")
    );
    std::fs::write(&cfg, text).unwrap();
    let flood = common::http::Flood::start();
    let child = common::notify::recorder(dir.path(), &cfg, &[("T_SMTP_PASSWORD", "pw-right")]);
    let firing = smtp.mails(1);
    drop(flood);
    let both = smtp.mails(2);
    common::notify::stop(child);
    assert!(!firing.is_empty(), "no mail came");
    let mail = &firing[0];
    assert!(
        mail.contains("Subject: [FIRING:1] loopback_busy on "),
        "{mail}"
    );
    assert!(
        mail.contains("(lo)"),
        "the interface in the subject: {mail}"
    );
    assert!(
        mail.contains("To: ops@example.org, oncall@example.org"),
        "{mail}"
    );
    assert!(
        mail.contains("text/plain") && mail.contains("text/html"),
        "{mail}"
    );
    assert!(
        mail.contains("lo receives"),
        "the summary in the body: {mail}"
    );
    assert!(both.len() >= 2, "no resolve mail came");
    assert!(
        both.iter()
            .any(|m| m.contains("Subject: [RESOLVED] loopback_busy on ")),
        "{both:?}"
    );
}

#[test]
#[cfg_attr(
    any(montui_no_aiosmtpd, montui_no_openssl),
    ignore = "needs python3-aiosmtpd and openssl (apt-get install python3-aiosmtpd openssl)"
)]
fn a_wrong_password_is_refused_for_good_with_the_servers_answer() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = common::mail::Smtp::start(dir.path());
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, smtp.receiver("T_SMTP_PASSWORD")).unwrap();
    let run = |password: &str| {
        let o = Command::new(BIN)
            .arg("--config")
            .arg(&cfg)
            .args(["notify", "test"])
            .envs(common::home(dir.path()))
            .env("T_SMTP_PASSWORD", password)
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).to_string(),
        )
    };
    let (ok, said) = run("pw-wrong-MARKER");
    assert!(!ok, "{said}");
    assert!(
        said.contains("refused for good") && said.contains("535"),
        "{said}"
    );
    assert!(!said.contains("MARKER"), "{said}");
    let (ok, said) = run("pw-right");
    assert!(
        ok && said.contains("mail: delivered: 250 OK"),
        "the server's answer: {said}"
    );
    let mail = smtp.mails(1);
    assert!(
        mail.first()
            .is_some_and(|m| m.contains("Subject: [FIRING:1] montui_test")),
        "{mail:?}"
    );
}

/// `[[reports]] receivers`: yesterday's report, made at the start, arrives as mail with the
/// HTML report as its body.
#[test]
#[cfg_attr(
    any(montui_no_aiosmtpd, montui_no_openssl),
    ignore = "needs python3-aiosmtpd and openssl (apt-get install python3-aiosmtpd openssl)"
)]
fn a_scheduled_report_arrives_as_mail_with_the_html_as_its_body() {
    use montui::model::{MemRaw, RawSample};
    use montui::report::Period;
    let dir = tempfile::tempdir().unwrap();
    let smtp = common::mail::Smtp::start(dir.path());
    let db = dir.path().join("h.db");
    let now = chrono::Utc::now().timestamp_millis();
    let yesterday = Period::Day.span(None, now).unwrap();
    let day: Vec<RawSample> = (yesterday.from..yesterday.to)
        .step_by(60_000)
        .map(|t| RawSample {
            host: "web".into(),
            ts_ms: t,
            mem: MemRaw {
                total: 1 << 30,
                available: 1 << 29,
                ..Default::default()
            },
            ..Default::default()
        })
        .collect();
    let mut store = montui::store::Store::open_writer(&db).unwrap();
    store.insert(&day).unwrap();
    drop(store);
    let cfg = dir.path().join("config.toml");
    let text = format!(
        "{}\n[[reports]]\nperiod = \"day\"\nat = \"00:00\"\nhosts = [\"web\"]\nreceivers = [\"mail\"]\n",
        smtp.receiver("T_SMTP_PASSWORD")
    );
    std::fs::write(&cfg, text).unwrap();
    let child = common::notify::recorder(dir.path(), &cfg, &[("T_SMTP_PASSWORD", "pw-right")]);
    let mails = smtp.mails(1);
    common::notify::stop(child);
    let log = std::fs::read_to_string(dir.path().join("stderr.log")).unwrap_or_default();
    let mail = mails
        .first()
        .unwrap_or_else(|| panic!("no mail came: {log}"));
    let subject = format!("Subject: montui report: Day of {}", yesterday.first_day);
    assert!(mail.contains(&subject), "{mail}");
    assert!(
        mail.contains("text/html") && mail.contains("<h2>web</h2>"),
        "{mail}"
    );
}
