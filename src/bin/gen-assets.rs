//! Build-time generator: writes the in-page spec (`po-bridge-spec.json`) that the content script's
//! wasm and JS fallback both read. Usage: `gen-assets OUT_DIR`.

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: gen-assets OUT_DIR");
        std::process::exit(2);
    });
    let path = std::path::Path::new(&out).join("po-bridge-spec.json");
    if let Err(e) = std::fs::write(&path, po_bridge::nuorder::spec::in_page_spec_json()) {
        eprintln!("gen-assets: cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
}
