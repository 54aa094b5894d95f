//! `po-bridge`: the command-line exporter over the same core as the extension.

fn main() {
    eprintln!("po-bridge: the export command arrives with the export engine (issue 5).");
    std::process::exit(2);
}
