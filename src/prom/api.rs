//! Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`), as Thanos, Mimir and
//! VictoriaMetrics serve it too: an instant vector's samples or a range's series with their
//! labels. No I/O here.

use std::collections::BTreeMap;

/// One sample of an instant vector: its labels (`__name__` among them) and value.
pub type VectorSample = (BTreeMap<String, String>, f64);

/// One series of a range: its labels and its points (ms, value), oldest first.
pub type RangeSeries = (BTreeMap<String, String>, Vec<(i64, f64)>);

/// The samples of a `/api/v1/query` answer whose result is a vector; an error says what
/// the server said or what was wrong.
pub fn vector(body: &str) -> Result<Vec<VectorSample>, String> {
    let mut out = Vec::new();
    for r in result(body, "vector", "an instant vector")? {
        if let Some(value) = value(&r["value"]) {
            out.push((labels(&r), value));
        }
    }
    Ok(out)
}

/// The series of a `/api/v1/query_range` answer (a matrix); points that are not a time and
/// a number are left out.
pub fn matrix(body: &str) -> Result<Vec<RangeSeries>, String> {
    let mut out = Vec::new();
    for r in result(body, "matrix", "a range")? {
        let points = (r["values"].as_array().into_iter().flatten())
            .filter_map(|p| Some(((p[0].as_f64()? * 1000.0).round() as i64, value(p)?)))
            .collect();
        out.push((labels(&r), points));
    }
    Ok(out)
}

/// The result array of an answer of `kind` (`what` names it in the error).
fn result(body: &str, kind: &str, what: &str) -> Result<Vec<serde_json::Value>, String> {
    let mut v: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("not the API's JSON: {e}"))?;
    if v["status"] != "success" {
        let why = v["error"].as_str().unwrap_or("no status");
        return Err(format!("the query failed: {why}"));
    }
    if v["data"]["resultType"] != kind {
        return Err(format!("the answer is not {what}"));
    }
    match v["data"]["result"].take() {
        serde_json::Value::Array(r) => Ok(r),
        _ => Err("the answer has no result".into()),
    }
}

fn labels(r: &serde_json::Value) -> BTreeMap<String, String> {
    (r["metric"].as_object().into_iter().flatten())
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect()
}

/// The value of a `[time, "value"]` pair.
fn value(pair: &serde_json::Value) -> Option<f64> {
    pair[1].as_str()?.parse::<f64>().ok()
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
    fn a_range_reads_each_series_points_in_ms() {
        let body = r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"up","instance":"a:9100"},"values":[[1700000000,"1"],[1700000015.5,"0"],["x","1"],[1700000030,"y"]]},
            {"metric":{"__name__":"up","instance":"b:9100"},"values":"garbage"}]}}"#;
        let m = matrix(body).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].0["instance"], "a:9100");
        assert_eq!(
            m[0].1,
            vec![(1_700_000_000_000, 1.0), (1_700_000_015_500, 0.0)]
        );
        assert!(m[1].1.is_empty());
        let vector = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
        assert!(matrix(vector).unwrap_err().contains("not a range"));
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
