//! Prometheus's HTTP API (`/api/v1/query`), as Thanos, Mimir and VictoriaMetrics serve it
//! too: an instant vector's samples with their labels. No I/O here.

use std::collections::BTreeMap;

/// One sample of an instant vector: its labels (`__name__` among them) and value.
pub type VectorSample = (BTreeMap<String, String>, f64);

/// The samples of a `/api/v1/query` answer whose result is a vector; an error says what
/// the server said or what was wrong.
pub fn vector(body: &str) -> Result<Vec<VectorSample>, String> {
    let v: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("not the API's JSON: {e}"))?;
    if v["status"] != "success" {
        let why = v["error"].as_str().unwrap_or("no status");
        return Err(format!("the query failed: {why}"));
    }
    if v["data"]["resultType"] != "vector" {
        return Err("the answer is not an instant vector".into());
    }
    let Some(result) = v["data"]["result"].as_array() else {
        return Err("the answer has no result".into());
    };
    let mut out = Vec::with_capacity(result.len());
    for r in result {
        let labels: BTreeMap<String, String> = (r["metric"].as_object().into_iter().flatten())
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect();
        let value = r["value"][1].as_str().and_then(|v| v.parse::<f64>().ok());
        if let Some(value) = value {
            out.push((labels, value));
        }
    }
    Ok(out)
}

/// The label matchers of a selector: `up{job="node"}` → `job="node"` (none: empty).
pub fn matchers(selector: &str) -> &str {
    match (selector.find('{'), selector.rfind('}')) {
        (Some(a), Some(b)) if a < b => selector[a + 1..b].trim(),
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_vector_reads_with_labels_and_values() {
        let body = r#"{"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"__name__":"up","instance":"a:9100","job":"node"},"value":[1700000000.5,"1"]},
            {"metric":{"__name__":"up","instance":"b:9100","job":"node"},"value":[1700000000.5,"0"]},
            {"metric":{"__name__":"x"},"value":[1700000000.5,"NaN"]},
            {"metric":{"__name__":"y"},"value":"garbage"}]}}"#;
        let v = vector(body).unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!((v[0].0["instance"].as_str(), v[0].1), ("a:9100", 1.0));
        assert_eq!(v[1].1, 0.0);
        assert!(v[2].1.is_nan());
    }

    #[test]
    fn errors_say_what_went_wrong() {
        let e = vector(r#"{"status":"error","error":"parse error at char 3"}"#).unwrap_err();
        assert!(e.contains("parse error at char 3"), "{e}");
        assert!(vector("<html>").is_err());
        let matrix = r#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#;
        assert!(vector(matrix).is_err());
    }

    #[test]
    fn a_selectors_matchers() {
        assert_eq!(
            matchers(r#"up{job="node", env=~"prod.*"}"#),
            r#"job="node", env=~"prod.*""#
        );
        assert_eq!(matchers("up"), "");
    }
}
