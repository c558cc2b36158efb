use crate::model::RawSample;

/// Encoding of the `data` column, stored per row in `fmt` so old rows stay readable.
pub const FORMAT: i64 = 1;

pub(super) fn encode(s: &RawSample) -> Result<Vec<u8>, postcard::Error> {
    postcard::to_stdvec(s)
}

pub(super) fn decode(fmt: i64, data: &[u8], host: &str) -> Result<RawSample, String> {
    if fmt != FORMAT {
        return Err(format!("unknown sample format {fmt}"));
    }
    let mut s: RawSample = postcard::from_bytes(data).map_err(|e| e.to_string())?;
    s.host = host.to_string();
    Ok(s)
}
