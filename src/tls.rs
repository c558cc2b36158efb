//! One TLS crypto provider for the whole binary (rustls with ring): installed before the
//! first HTTP client or mail connection is made.

/// Installs ring as the process's rustls provider, once (later calls do nothing).
pub fn provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Err only when a provider is installed already, which is as good. ring is deprecated
        // in rustls 0.23.48 for lacking post-quantum key exchange; it builds with gcc alone
        // (aws-lc needs cmake), and lettre takes the same provider.
        #[allow(deprecated)]
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
