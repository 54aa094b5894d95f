//! Build-time generator: writes `po-bridge-spec.js`, the in-page spec (routes, selectors, labels)
//! that the content script's JS fallback runs on. The wasm layer compiles the same definitions in.
//! Usage: `gen-assets OUT_DIR`.

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: gen-assets OUT_DIR");
        std::process::exit(2);
    });
    let path = std::path::Path::new(&out).join("po-bridge-spec.js");
    if let Err(e) = std::fs::write(&path, po_bridge::inpage::spec::in_page_spec_js()) {
        eprintln!("gen-assets: cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
}
