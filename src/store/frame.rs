//! The container shared by blocks and rollups: a postcard header and byte parts, every part
//! length checked on the way back so corrupt data is an error, never a panic.
//! Layout: [u32 LE header length][postcard (header, part lengths)][part]…

use pco::ChunkConfig;
use pco::standalone::{simple_compress, simple_decompress};
use serde::{Serialize, de::DeserializeOwned};

pub fn frame<H: Serialize>(header: &H, parts: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    let lens: Vec<u32> = parts.iter().map(|p| p.len() as u32).collect();
    let head = postcard::to_stdvec(&(header, lens)).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(4 + head.len() + parts.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(&(head.len() as u32).to_le_bytes());
    out.extend_from_slice(&head);
    for p in parts {
        out.extend_from_slice(p);
    }
    Ok(out)
}

pub fn unframe<H: DeserializeOwned>(data: &[u8]) -> Result<(H, Vec<&[u8]>), String> {
    let bad = || "corrupt data".to_string();
    let len_bytes: [u8; 4] = data
        .get(..4)
        .ok_or_else(bad)?
        .try_into()
        .map_err(|_| bad())?;
    let hlen = u32::from_le_bytes(len_bytes) as usize;
    let (header, lens): (H, Vec<u32>) =
        postcard::from_bytes(data.get(4..4 + hlen).ok_or_else(bad)?).map_err(|e| e.to_string())?;
    let mut at = 4 + hlen;
    let mut parts = Vec::with_capacity(lens.len());
    for len in lens {
        parts.push(data.get(at..at + len as usize).ok_or_else(bad)?);
        at += len as usize;
    }
    Ok((header, parts))
}

/// A pco-compressed column.
pub fn pack<T: pco::data_types::Number>(values: &[T]) -> Result<Vec<u8>, String> {
    simple_compress(values, &ChunkConfig::default()).map_err(|e| e.to_string())
}

/// A pco column back, checked to hold `n` values.
pub fn unpack<T: pco::data_types::Number>(part: &[u8], n: usize) -> Result<Vec<T>, String> {
    let v: Vec<T> = simple_decompress(part).map_err(|e| e.to_string())?;
    if v.len() != n {
        return Err("corrupt column length".into());
    }
    Ok(v)
}
