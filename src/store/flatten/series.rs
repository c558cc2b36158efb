//! The series of scrapes and StatsD as keyed values and back: `ser␟<field>␟<id>`, the id
//! being the series' name and labels as JSON (any character, control ones escaped).

use super::SEP;
use crate::model::Series;

pub fn flatten(x: &Series, put: &mut impl FnMut(String, f64)) {
    let Ok(id) = serde_json::to_string(&(&x.name, &x.labels)) else {
        return;
    };
    let field = if x.counter { "c" } else { "g" };
    put(format!("ser{SEP}{field}{SEP}{id}"), x.value);
    put(format!("ser{SEP}t{SEP}{id}"), x.at_ms as f64);
    if let Some((at, v)) = x.prev {
        put(format!("ser{SEP}pt{SEP}{id}"), at as f64);
        put(format!("ser{SEP}pv{SEP}{id}"), v);
    }
}

/// Reads keyed values back into series; a series' keys are adjacent.
#[derive(Default)]
pub struct Unflatten {
    last: String,
}

impl Unflatten {
    pub fn take(&mut self, series: &mut Vec<Series>, field: &str, id: Option<&str>, v: f64) {
        let Some(id) = id else { return };
        if self.last != id || series.is_empty() {
            let Ok((name, labels)) = serde_json::from_str::<(String, Vec<(String, String)>)>(id)
            else {
                return;
            };
            self.last = id.to_string();
            series.push(Series {
                name,
                labels,
                ..Default::default()
            });
        }
        let Some(x) = series.last_mut() else { return };
        match field {
            "g" => x.value = v,
            "c" => (x.value, x.counter) = (v, true),
            "t" => x.at_ms = v as i64,
            "pt" => x.prev = Some((v as i64, x.prev.map_or(0.0, |p| p.1))),
            "pv" => x.prev = Some((x.prev.map_or(0, |p| p.0), v)),
            _ => {}
        }
    }
}
