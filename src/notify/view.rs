//! A notice read back from its outbox payload (Alertmanager's webhook shape), and the words
//! every channel starts from: a title like `[FIRING:2] disk_full on web-1 (/data)` and a line
//! per alert. Reading is lenient: a payload missing fields gives empty ones, never a panic.

use std::collections::BTreeMap;

use serde::Deserialize;

type Map = BTreeMap<String, String>;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Notice {
    pub status: String,
    pub receiver: String,
    pub group_labels: Map,
    pub common_labels: Map,
    pub alerts: Vec<AlertView>,
    pub montui_notice_id: String,
    /// `acknowledge` for a notice that an alert was acknowledged in montui (PagerDuty and
    /// Opsgenie take it); empty otherwise.
    #[serde(rename = "montuiEvent")]
    pub event: String,
    /// A report made on schedule (`[[reports]]`): its file and title; empty for alerts.
    pub montui_report: String,
    pub montui_title: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AlertView {
    pub status: String,
    pub labels: Map,
    pub annotations: Map,
    pub starts_at: String,
    pub ends_at: String,
    pub fingerprint: String,
    /// The value the alert watched, as people read it (montui's own field).
    pub montui_value: String,
}

impl Notice {
    pub fn parse(payload: &str) -> Self {
        serde_json::from_str(payload).unwrap_or_default()
    }

    pub fn firing(&self) -> impl Iterator<Item = &AlertView> {
        self.alerts.iter().filter(|a| a.status == "firing")
    }

    /// `[FIRING:2] disk_full on web-1 (/data)`, `[RESOLVED] …`: the rule, the host and the
    /// other labels the alerts share.
    pub fn title(&self) -> String {
        let n = self.firing().count();
        let status = match n {
            0 => "[RESOLVED]".to_string(),
            n => format!("[FIRING:{n}]"),
        };
        let common = &self.common_labels;
        let name = (common.get("alertname"))
            .or_else(|| self.group_labels.get("alertname"))
            .cloned()
            .unwrap_or_else(|| format!("{} alerts", self.alerts.len()));
        let mut t = format!("{status} {name}");
        if let Some(h) = common.get("host") {
            t.push_str(&format!(" on {h}"));
        }
        let rest: Vec<&str> = (common.iter())
            .filter(|(k, _)| !["alertname", "host", "severity"].contains(&k.as_str()))
            .map(|(_, v)| v.as_str())
            .collect();
        if !rest.is_empty() {
            t.push_str(&format!(" ({})", rest.join(", ")));
        }
        crate::text::one_line(&t).chars().take(200).collect()
    }

    /// The body every channel starts from: the title, then a line per alert with its labels.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n\n", self.title());
        for a in &self.alerts {
            out.push_str(&format!("{}\n  {}\n\n", a.line(), a.label_text()));
        }
        out
    }

    /// A receiver's template, rendered: `{status}` (FIRING or RESOLVED), `{count}` (firing),
    /// `{title}`, `{alerts}` (a line per alert), `{summary}` (the first alert's), `{severity}`,
    /// `{receiver}`, and any label the alerts share (`{alertname}`, `{host}`, `{mount}`…).
    /// Unknown placeholders stay as written; label values are text, never templates.
    pub fn render(&self, template: &str) -> String {
        let firing = self.firing().count();
        crate::alert::template::render(template, |k| match k {
            "status" => Some(if firing > 0 { "FIRING" } else { "RESOLVED" }.into()),
            "count" => Some(firing.to_string()),
            "title" => Some(self.title()),
            "alerts" => Some(
                self.alerts
                    .iter()
                    .map(AlertView::line)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            "summary" => Some(
                self.alerts
                    .first()
                    .map(AlertView::summary)
                    .unwrap_or_default(),
            ),
            "severity" => Some(self.severity().to_string()),
            "receiver" => Some(self.receiver.clone()),
            k => (self.common_labels.get(k))
                .or_else(|| self.group_labels.get(k))
                .cloned(),
        })
    }

    /// The highest severity among the alerts (`critical`, `warning`, `info`).
    pub fn severity(&self) -> &str {
        let rank = |s: &str| match s {
            "critical" => 3,
            "warning" => 2,
            _ => 1,
        };
        (self.alerts.iter())
            .filter_map(|a| a.labels.get("severity").map(String::as_str))
            .max_by_key(|s| rank(s))
            .unwrap_or("warning")
    }
}

impl AlertView {
    pub fn name(&self) -> &str {
        self.labels.get("alertname").map_or("alert", String::as_str)
    }

    pub fn host(&self) -> &str {
        self.labels.get("host").map_or("", String::as_str)
    }

    /// The summary annotation, else the rule on its host.
    pub fn summary(&self) -> String {
        match self.annotations.get("summary") {
            Some(s) => s.clone(),
            None => format!("{} on {}", self.name(), self.host()),
        }
    }

    /// `FIRING disk_full on web-1: /data is 97% full (since 2026-…)`.
    pub fn line(&self) -> String {
        let since = match self.status.as_str() {
            "firing" => format!(" (since {})", self.starts_at),
            _ => format!(" (resolved {})", self.ends_at),
        };
        format!(
            "{} {}: {}{since}",
            self.status.to_uppercase(),
            self.name(),
            self.summary()
        )
    }

    /// The labels, `k=v` joined.
    pub fn label_text(&self) -> String {
        let kv: Vec<String> = self
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        kv.join(", ")
    }
}

/// A notice's title and body for one receiver: its templates rendered, else the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub title: String,
    pub body: String,
    /// The body is the receiver's own (else the default, which channels may lay out richer).
    pub own_body: bool,
}

impl Words {
    pub fn of(n: &Notice, title: Option<&str>, body: Option<&str>) -> Self {
        let one_line = |s: String| crate::text::one_line(&s).chars().take(250).collect();
        Self {
            title: title.map_or_else(|| n.title(), |t| one_line(n.render(t))),
            body: body.map_or_else(|| n.text(), |b| n.render(b)),
            own_body: body.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Templates never panic and never let a label's text act as a template, whatever the
    /// labels and templates hold (braces, controls, any Unicode): 20,000 random cases.
    #[test]
    fn templates_never_panic_on_any_label_content() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let pieces = [
            "{", "}", "{{", "}}", "{host}", "{alerts}", "{count}", "{", "é", "\u{202e}", "\x1b[2J",
            "\0", "{nope", "}x{", "{ host }", "{mount}", "漢", "\n", "%s", "{{{", "}}}", "{}", "",
        ];
        let mut text = || -> String {
            let n = next() % 8;
            (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect()
        };
        for _ in 0..20_000 {
            let (host, mount, t) = (text(), text(), text());
            let n = Notice {
                common_labels: [("host".to_string(), host.clone()), ("mount".into(), mount)].into(),
                alerts: vec![AlertView {
                    status: "firing".into(),
                    labels: [("host".to_string(), host.clone())].into(),
                    ..Default::default()
                }],
                ..Default::default()
            };
            let out = n.render(&t);
            if t == "{host}" {
                assert_eq!(out, host, "a label is text, not a template");
            }
            let _ = (n.title(), n.text());
        }
    }

    #[test]
    fn a_title_names_the_count_rule_host_and_shared_labels() {
        let p = r#"{"status":"firing","commonLabels":{"alertname":"disk_full","host":"web-1",
            "mount":"/data","severity":"critical"},"alerts":[{"status":"firing"},{"status":"firing"}]}"#;
        let n = Notice::parse(p);
        assert_eq!(n.title(), "[FIRING:2] disk_full on web-1 (/data)");
        let r =
            Notice::parse(r#"{"commonLabels":{"alertname":"x"},"alerts":[{"status":"resolved"}]}"#);
        assert_eq!(r.title(), "[RESOLVED] x");
        assert_eq!(Notice::parse("not json").title(), "[RESOLVED] 0 alerts");
    }
}
