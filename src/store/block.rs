//! A block: a run of one host's samples packed column by column. Timestamps once, then one
//! pco-compressed column per series (NaN where a series is absent from a sample).
//! Layout: [u32 LE header length][postcard header][timestamps][column]…

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::flatten::{flatten, unflatten};
use super::frame;
use crate::model::RawSample;

/// Encoding of `blocks.data`, stored per row so old blocks stay readable.
pub const BLOCK_FORMAT: i64 = 1;

#[derive(Serialize, Deserialize)]
struct Header {
    n: u32,
    keys: Vec<String>,
}

/// Packs samples (one host, oldest first).
pub fn encode(samples: &[RawSample]) -> Result<Vec<u8>, String> {
    let n = samples.len();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut keys: Vec<String> = Vec::new();
    let mut cols: Vec<Vec<f64>> = Vec::new();
    for (row, s) in samples.iter().enumerate() {
        for (k, v) in flatten(s) {
            let col = *index.entry(k.clone()).or_insert_with(|| {
                keys.push(k);
                cols.push(vec![f64::NAN; n]);
                cols.len() - 1
            });
            cols[col][row] = v;
        }
    }
    let ts: Vec<i64> = samples.iter().map(|s| s.ts_ms).collect();
    let mut parts = vec![frame::pack(&ts)?];
    for c in &cols {
        parts.push(frame::pack(c)?);
    }
    frame::frame(&Header { n: n as u32, keys }, &parts)
}

/// A parsed block; columns are decompressed on demand. Every length is checked, so a corrupt
/// blob is an error, never a panic.
pub struct Block<'a> {
    header: Header,
    ts: &'a [u8],
    cols: Vec<&'a [u8]>,
}

impl<'a> Block<'a> {
    pub fn parse(data: &'a [u8]) -> Result<Self, String> {
        let (header, mut parts): (Header, _) = frame::unframe(data)?;
        if parts.len() != header.keys.len() + 1 {
            return Err("corrupt block".into());
        }
        let cols = parts.split_off(1);
        Ok(Self {
            header,
            ts: parts[0],
            cols,
        })
    }

    pub fn times(&self) -> Result<Vec<i64>, String> {
        frame::unpack(self.ts, self.header.n as usize)
    }

    fn column_at(&self, i: usize) -> Result<Vec<f64>, String> {
        frame::unpack(self.cols[i], self.header.n as usize)
    }

    /// One series, as (time, value) where present.
    pub fn series(&self, key: &str) -> Result<Vec<(i64, f64)>, String> {
        let Some(i) = self.header.keys.iter().position(|k| k == key) else {
            return Ok(Vec::new());
        };
        let ts = self.times()?;
        let col = self.column_at(i)?;
        Ok(ts
            .into_iter()
            .zip(col)
            .filter(|(_, v)| !v.is_nan())
            .collect())
    }

    /// The samples with times in `[from, to]`.
    pub fn samples(&self, host: &str, from: i64, to: i64) -> Result<Vec<RawSample>, String> {
        let ts = self.times()?;
        let rows: Vec<usize> = (0..ts.len())
            .filter(|r| (from..=to).contains(&ts[*r]))
            .collect();
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let cols: Vec<Vec<f64>> = (0..self.cols.len())
            .map(|i| self.column_at(i))
            .collect::<Result<_, _>>()?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let values = self
                    .header
                    .keys
                    .iter()
                    .zip(&cols)
                    .filter(|(_, c)| !c[r].is_nan())
                    .map(|(k, c)| (k.as_str(), c[r]));
                unflatten(host, ts[r], values)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NetIo, ProcRaw};

    fn samples() -> Vec<RawSample> {
        (0..100)
            .map(|i| RawSample {
                host: "h".into(),
                ts_ms: 1000 * i,
                boot_time: 7,
                load: [i as f64 / 10.0, 0.5, 0.25],
                // An interface that comes and goes, and a process that starts midway.
                nets: if i % 3 == 0 {
                    vec![]
                } else {
                    vec![NetIo {
                        name: "eth0".into(),
                        rx_bytes: i as u64 * 10,
                        tx_bytes: 1,
                    }]
                },
                procs: if i < 50 {
                    vec![]
                } else {
                    vec![ProcRaw {
                        pid: 9,
                        start: 1,
                        name: "x".into(),
                        cpu_ms: i as u64,
                        rss: 5,
                        ..Default::default()
                    }]
                },
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn round_trip_with_series_that_come_and_go() {
        let s = samples();
        let data = encode(&s).unwrap();
        let b = Block::parse(&data).unwrap();
        assert_eq!(
            b.times().unwrap(),
            s.iter().map(|x| x.ts_ms).collect::<Vec<_>>()
        );
        assert_eq!(b.samples("h", i64::MIN, i64::MAX).unwrap(), s);
        assert_eq!(b.samples("h", 10_000, 12_000).unwrap(), s[10..=12]);
        let load = b.series("load\u{1f}0").unwrap();
        assert_eq!(load.len(), 100);
        assert_eq!(load[42], (42_000, 4.2));
        assert_eq!(b.series("net\u{1f}rx\u{1f}eth0").unwrap().len(), 66);
        assert!(b.series("nope").unwrap().is_empty());
    }

    #[test]
    fn corrupt_data_is_an_error_not_a_panic() {
        let data = encode(&samples()).unwrap();
        for cut in [0, 3, 4, 10, data.len() / 2, data.len() - 1] {
            let r = Block::parse(&data[..cut]).and_then(|b| b.samples("h", i64::MIN, i64::MAX));
            assert!(r.is_err(), "cut at {cut}");
        }
        let mut flipped = data.clone();
        for i in (20..flipped.len()).step_by(7) {
            flipped[i] ^= 0x5a;
        }
        let _ = Block::parse(&flipped).and_then(|b| b.samples("h", i64::MIN, i64::MAX));
    }
}
