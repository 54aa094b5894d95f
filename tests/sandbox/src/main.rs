//! `po-bridge-sandbox`: serves the NuORDER and Lightspeed stand-ins over HTTP and HTTPS on loopback.
//! Ports: `SANDBOX_HTTP_PORT` (8080) and `SANDBOX_HTTPS_PORT` (8443). Prints a line with `ready`.

#[tokio::main]
async fn main() {
    let config = po_bridge_sandbox::Config::from_env();
    if let Err(e) = po_bridge_sandbox::run(config).await {
        eprintln!("po-bridge-sandbox: {e}");
        std::process::exit(1);
    }
}
