//! wasm-only crate; see Cargo.toml.
