//! The `webhook` receiver: the notice as Alertmanager's webhook payload (version 4), so a
//! receiver written for Alertmanager takes it unchanged; `Montui-Notice-Id` to de-duplicate;
//! extra headers; with a secret, `Montui-Signature: sha256=<HMAC-SHA256 of the body, hex>`.

use std::time::Duration;

use hmac::{Hmac, Mac};

use super::http::{Post, post};
use super::secret::Secret;
use super::{Answer, Failure};
use crate::store::Pending;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub url: Secret,
    pub headers: Vec<(String, String)>,
    /// Signs each body with HMAC-SHA256 when given.
    pub secret: Option<Secret>,
}

pub fn send(w: &Webhook, p: &Pending, timeout: Duration) -> Answer {
    let url = w.url.value().map_err(Failure::retry)?;
    let mut headers = w.headers.clone();
    headers.push(("Montui-Notice-Id".into(), p.notice.clone()));
    if let Some(s) = &w.secret {
        let key = s.value().map_err(Failure::retry)?;
        headers.push(("Montui-Signature".into(), sign(&key, &p.payload)));
    }
    post(Post {
        url: &url,
        headers,
        body: p.payload.clone(),
        content_type: "application/json",
        timeout,
    })
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `key`.
pub fn sign(key: &str, body: &str) -> String {
    let mut mac = match Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()) {
        Ok(m) => m,
        // HMAC takes keys of any length; this arm is never taken.
        Err(_) => return String::new(),
    };
    mac.update(body.as_bytes());
    let hex: String = (mac.finalize().into_bytes().iter())
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_signature_is_rfc_4231s_hmac_sha256() {
        // RFC 4231 test case 2.
        assert_eq!(
            super::sign("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
