//! A notice as JSON, in the shape of Alertmanager's webhook payload (version 4), so receivers
//! written for Alertmanager read montui's unchanged; every notice has a stable id.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::alert::lifecycle::{Alert, Phase, fingerprint_pairs};

/// A notice's id: the same for every receiver and retry of it, different for each notice
/// of a group (a group's notices differ in time).
pub fn notice_id(group: &[(String, String)], at_ms: i64) -> String {
    let pairs = group.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    format!("{:016x}-{at_ms}", fingerprint_pairs("notice", pairs))
}

type Map = BTreeMap<String, String>;

/// What every map has alike.
fn common(all: &[Map]) -> Map {
    let mut c = all.first().cloned().unwrap_or_default();
    c.retain(|k, v| all.iter().all(|m| m.get(k) == Some(v)));
    c
}

fn time(ms: Option<i64>) -> String {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map_or_else(|| "0001-01-01T00:00:00Z".into(), |t| t.to_rfc3339())
}

/// The payload for `receiver`: the group's labels, and each alert with its labels
/// (`alertname` and `severity` among them), annotations and times; `event` (`acknowledge`)
/// as `montuiEvent`.
pub fn payload(
    receiver: &str,
    id: &str,
    group: &[(String, String)],
    alerts: &[(&Alert, Vec<(String, String)>)],
    event: Option<&str>,
) -> String {
    let labels = |a: &Alert| -> Map {
        let mut l = a.labels.clone();
        l.insert("alertname".into(), a.rule.clone());
        l.insert("severity".into(), a.severity.name().into());
        l
    };
    let labels: Vec<Map> = alerts.iter().map(|(a, _)| labels(a)).collect();
    let notes: Vec<Map> = (alerts.iter())
        .map(|(_, ann)| ann.iter().cloned().collect())
        .collect();
    let firing = alerts.iter().any(|(a, _)| a.phase == Phase::Firing);
    let items: Vec<Value> = (alerts.iter().zip(labels.iter().zip(&notes)))
        .map(|((a, _), (l, ann))| {
            let resolved = a.phase != Phase::Firing;
            json!({
                "status": if resolved { "resolved" } else { "firing" },
                "labels": l,
                "annotations": ann,
                "startsAt": time(Some(a.fired_at.unwrap_or(a.active_since))),
                "endsAt": time(if resolved { a.resolved_at } else { None }),
                "generatorURL": "",
                "fingerprint": format!("{:016x}", a.fingerprint),
                "montuiValue": crate::alert::template::figure(a.value),
            })
        })
        .collect();
    let group_labels: BTreeMap<&str, &str> = group
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let key: Vec<String> = group.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    let mut v = json!({
        "version": "4",
        "groupKey": format!("{{}}:{{{}}}", key.join(", ")),
        "truncatedAlerts": 0,
        "status": if firing { "firing" } else { "resolved" },
        "receiver": receiver,
        "groupLabels": group_labels,
        "commonLabels": common(&labels),
        "commonAnnotations": common(&notes),
        "externalURL": "",
        "alerts": items,
        "montuiNoticeId": id,
    });
    if let Some(e) = event {
        v["montuiEvent"] = json!(e);
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_is_alertmanagers_webhook_shape() {
        let mut a = Alert::firing("disk_full", &[("host", "web-1"), ("mount", "/data")]);
        a.fired_at = Some(1_700_000_000_000);
        let mut b = Alert::firing("disk_full", &[("host", "web-1"), ("mount", "/")]);
        b.phase = Phase::Resolved;
        b.resolved_at = Some(1_700_000_060_000);
        let group = vec![("host".to_string(), "web-1".to_string())];
        let ann = vec![("summary".to_string(), "full".to_string())];
        let text = payload("ops", "n-1", &group, &[(&a, ann.clone()), (&b, ann)], None);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["version"], "4");
        assert_eq!(v["status"], "firing");
        assert_eq!(v["receiver"], "ops");
        assert_eq!(v["groupLabels"]["host"], "web-1");
        assert_eq!(v["commonLabels"]["alertname"], "disk_full");
        assert!(v["commonLabels"].get("mount").is_none(), "not shared");
        assert_eq!(v["commonAnnotations"]["summary"], "full");
        assert_eq!(v["alerts"][0]["labels"]["mount"], "/data");
        assert_eq!(v["alerts"][0]["startsAt"], "2023-11-14T22:13:20+00:00");
        assert_eq!(v["alerts"][1]["status"], "resolved");
        assert_eq!(
            v["alerts"][0]["fingerprint"].as_str().map(str::len),
            Some(16)
        );
        assert_ne!(notice_id(&group, 1), notice_id(&group, 2));
    }
}
