//! Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`), as Thanos, Mimir and
//! VictoriaMetrics serve it too: an instant vector's samples or a range's series with their
//! labels. An answer is read a series at a time, its strings borrowed where they can be: a
//! fleet's answer of 100,000 series costs its text and one series, not a tree of values
//! ten times its size. No I/O here.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// A series' labels as the answer has them (`__name__` among them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Labels<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl<'a> Labels<'a> {
    pub fn get(&self, name: &str) -> Option<&str> {
        (self.0.iter()).find_map(|(k, v)| (k == name).then_some(v.as_ref()))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    pub fn into_owned(self) -> Labels<'static> {
        let owned = self.0.into_iter();
        Labels(
            owned
                .map(|(k, v)| (k.into_owned().into(), v.into_owned().into()))
                .collect(),
        )
    }
}

impl<'a, K: Into<Cow<'a, str>>, V: Into<Cow<'a, str>>> FromIterator<(K, V)> for Labels<'a> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        Labels(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

/// One sample of an instant vector: its labels and value.
pub type VectorSample = (Labels<'static>, f64);
/// One series of a range: its labels and its points (ms, value), oldest first.
pub type RangeSeries = (Labels<'static>, Vec<(i64, f64)>);

/// Calls `f` with each sample of a `/api/v1/query` answer whose result is a vector (a
/// sample whose value is not a time and a number is left out); an error says what the
/// server said or what was wrong.
pub fn vector_each(body: &str, mut f: impl FnMut(&Labels, f64)) -> Result<(), String> {
    each(body, "vector", "an instant vector", |s| {
        if let Some((_, v)) = s.value.and_then(point) {
            f(&s.metric, v);
        }
    })
}

/// The samples of an instant vector, owned.
pub fn vector(body: &str) -> Result<Vec<VectorSample>, String> {
    let mut out = Vec::new();
    vector_each(body, |l, v| out.push((l.clone().into_owned(), v)))?;
    Ok(out)
}

/// The series of a `/api/v1/query_range` answer (a matrix); points that are not a time and
/// a number are left out.
pub fn matrix(body: &str) -> Result<Vec<RangeSeries>, String> {
    let mut out = Vec::new();
    each(body, "matrix", "a range", |s| {
        let points = (s.values)
            .and_then(|v| serde_json::from_str::<Vec<&RawValue>>(v.get()).ok())
            .unwrap_or_default();
        out.push((
            s.metric.into_owned(),
            points.into_iter().filter_map(point).collect(),
        ));
    })?;
    Ok(out)
}

#[derive(Deserialize)]
struct Answer<'a> {
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(default, borrow)]
    error: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    data: Option<Data<'a>>,
}

#[derive(Deserialize)]
struct Data<'a> {
    #[serde(rename = "resultType", borrow)]
    kind: Cow<'a, str>,
    #[serde(default, borrow)]
    result: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Series<'a> {
    #[serde(default, borrow)]
    metric: Labels<'a>,
    #[serde(default, borrow)]
    value: Option<&'a RawValue>,
    #[serde(default, borrow)]
    values: Option<&'a RawValue>,
}

/// Calls `f` with each series of an answer of `kind` (`what` names it in the error).
fn each<'a>(
    body: &'a str,
    kind: &str,
    what: &str,
    f: impl FnMut(Series<'a>),
) -> Result<(), String> {
    let answer: Answer =
        serde_json::from_str(body).map_err(|e| format!("not the API's JSON: {e}"))?;
    if answer.status != "success" {
        let why = answer.error.unwrap_or(Cow::Borrowed("no status"));
        return Err(format!("the query failed: {why}"));
    }
    let Some(data) = answer.data.filter(|d| d.kind == kind) else {
        return Err(format!("the answer is not {what}"));
    };
    let Some(result) = data.result else {
        return Err("the answer has no result".into());
    };
    struct Each<F>(F);
    impl<'de, F: FnMut(Series<'de>)> Visitor<'de> for Each<F> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of series")
        }
        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
            while let Some(s) = seq.next_element::<Series<'de>>()? {
                (self.0)(s);
            }
            Ok(())
        }
    }
    let mut de = serde_json::Deserializer::from_str(result.get());
    (de.deserialize_seq(Each(f))).map_err(|e| format!("the answer's result: {e}"))
}

/// A `[time, "value"]` pair as (ms, value).
fn point(pair: &RawValue) -> Option<(i64, f64)> {
    let (t, v): (f64, Text) = serde_json::from_str(pair.get()).ok()?;
    Some(((t * 1000.0).round() as i64, v.0.parse().ok()?))
}

/// A string of the answer, borrowed unless it has escapes.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Labels<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Labels<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of label names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Labels<'de>, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some((k, v)) = map.next_entry::<Text, Text>()? {
                    out.push((k.0, v.0));
                }
                Ok(Labels(out))
            }
        }
        d.deserialize_map(Pairs)
    }
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
        assert_eq!((v[0].0.get("instance"), v[0].1), (Some("a:9100"), 1.0));
        assert_eq!(v[1].1, 0.0);
        assert!(v[2].1.is_nan());
    }

    #[test]
    fn escaped_label_values_read_as_written_and_bytes_never_panic() {
        let body = r#"{"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"__name__":"x","path":"C:\\a \"b\" \u00e9"},"value":[1,"2"]}]}}"#;
        let v = vector(body).unwrap();
        assert_eq!(v[0].0.get("path"), Some(r#"C:\a "b" é"#));
        // Every prefix, and every byte replaced in turn: an answer or an error.
        for i in 0..body.len() {
            let _ = vector(&body[..i]);
            let mut b = body.as_bytes().to_vec();
            b[i] = b'}';
            let _ = vector(&String::from_utf8_lossy(&b));
            let _ = matrix(&String::from_utf8_lossy(&b));
        }
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
        assert_eq!(m[0].0.get("instance"), Some("a:9100"));
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
