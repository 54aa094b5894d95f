//! A self-signed certificate for every sandboxed host, made at start-up (browsers in tests run with
//! `--ignore-certificate-errors` / accept-insecure-certs).

use axum_server::tls_rustls::RustlsConfig;

pub async fn self_signed(hosts: &[&str]) -> Result<RustlsConfig, String> {
    let mut names: Vec<String> = hosts.iter().map(|h| h.to_string()).collect();
    names.push("127.0.0.1".into());
    let cert = rcgen::generate_simple_self_signed(names).map_err(|e| format!("certificate: {e}"))?;
    let cert_pem = cert.cert.pem();
    let key_pem = cert.signing_key.serialize_pem();
    RustlsConfig::from_pem(cert_pem.into_bytes(), key_pem.into_bytes()).await.map_err(|e| format!("tls: {e}"))
}
