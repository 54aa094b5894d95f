//! `po-bridge`: the command-line exporter over the same core as the extension.
//!
//! ```text
//! po-bridge export --order ORDER.json [--products PRODUCTS.json] [--brand NAME] --shop SHOP_ID
//!                  --state STATE.json [--dry-run]
//!   --order (and --products) may repeat: several orders are one batch (`batch`); --brand is then
//!   given once or once per --order
//! po-bridge update --order ORDER.json [--products PRODUCTS.json] [--brand NAME] --state STATE.json
//!                  [--dry-run] [--archive-cancelled]
//!   environment: LIGHTSPEED_API_BASE (default https://api.lightspeedapp.com),
//!                LIGHTSPEED_ACCESS_TOKEN (required), LIGHTSPEED_ACCOUNT_ID (optional: else Account.json)
//! ```
//!
//! Every command prints exactly one JSON object on stdout (its shape is the command's module's;
//! a batch export prints one per order, JSON Lines)
//! and exits with its status's code; every non-zero exit also writes a sentence to stderr. Bad
//! usage is the status `invalid` (exit 2) like any other bad input; `--help` prints help.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod batch;
#[cfg(not(target_arch = "wasm32"))]
mod common;
#[cfg(not(target_arch = "wasm32"))]
mod export;
#[cfg(not(target_arch = "wasm32"))]
mod update;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::main());
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use crate::export::{self, ExportArgs};
    use crate::update::{self, UpdateArgs};
    use clap::{error::ErrorKind, Parser, Subcommand};
    use serde_json::Value;

    /// PO Bridge: NuORDER orders become Lightspeed Retail (R-Series) purchase orders.
    #[derive(Debug, Parser)]
    #[command(name = "po-bridge", version)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Debug, Subcommand)]
    enum Command {
        /// Export one NuORDER order as one Lightspeed purchase order (exactly once; a rerun resumes);
        /// several `--order`s: one batch, one JSON line per order.
        Export(ExportArgs),
        /// Bring an exported order's purchase order up to date with the order as NuORDER shows it now.
        Update(UpdateArgs),
    }

    /// What a command printed: its JSON, its status and message, and its exit code.
    struct Printed {
        json: Value,
        status: String,
        message: Option<String>,
        code: i32,
    }

    pub fn main() -> i32 {
        let cli = match Cli::try_parse() {
            Ok(cli) => cli,
            Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
                let _ = e.print();
                return 0;
            }
            Err(e) => return print(usage(&e, std::env::args().nth(1).as_deref())),
        };
        print(match cli.command {
            Command::Export(a) if a.order.len() > 1 => return crate::batch::print(&crate::batch::run(&a)),
            Command::Export(a) => export::run(&a).into(),
            Command::Update(a) => update::run(&a).into(),
        })
    }

    impl From<update::Report> for Printed {
        fn from(r: update::Report) -> Printed {
            let (status, message) = (r.status.to_string(), r.message.clone());
            Printed { json: r.to_json(), status, message, code: r.exit_code() }
        }
    }

    /// Bad usage in the shape of the command argv names (`update`'s, else `export`'s).
    fn usage(e: &clap::Error, command: Option<&str>) -> Printed {
        let r = usage_error(e);
        match command {
            Some("update") => update::Report::with_message("invalid", r.message.unwrap_or_default()).into(),
            _ => r.into(),
        }
    }

    impl From<export::Report> for Printed {
        fn from(r: export::Report) -> Printed {
            let (status, message) = (r.status.to_string(), r.message.as_deref().map(String::from));
            Printed { json: r.to_json(), status, message, code: r.exit_code() }
        }
    }

    /// Bad usage is bad input: the `invalid` status (in the command's own shape) with clap's
    /// first line and the usage.
    fn usage_error(e: &clap::Error) -> export::Report {
        let text = e.to_string();
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let first = lines.next().unwrap_or("bad usage").trim_start_matches("error: ").to_string();
        let usage = lines.find(|l| l.starts_with("Usage:")).unwrap_or("").trim().to_string();
        export::Report::with_message("invalid", format!("{first} {usage}").trim().to_string())
    }

    fn print(p: Printed) -> i32 {
        println!("{}", p.json);
        if let Some(warning) = p.json["warning"].as_str() {
            eprintln!("po-bridge: warning: {warning}");
        }
        if p.code != 0 {
            eprintln!("po-bridge: {}: {}", p.status, p.message.unwrap_or_else(|| p.status.clone()));
        }
        p.code
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn parse(s: &str) -> Result<Cli, clap::Error> {
            Cli::try_parse_from(std::iter::once("po-bridge").chain(s.split_whitespace()))
        }

        #[test]
        fn arguments() {
            let Command::Export(a) = parse("export --order o.json --shop 1 --state s.json --dry-run").unwrap().command
            else {
                panic!()
            };
            assert_eq!(
                (a.order.as_slice(), a.shop.as_str(), a.state.as_str(), a.dry_run),
                (&["o.json".to_string()][..], "1", "s.json", true)
            );
            let Command::Export(a) =
                parse("export --order=o.json --products p.json --brand X --shop=2 --state s").unwrap().command
            else {
                panic!()
            };
            assert_eq!(
                (a.products.as_slice(), a.brand.as_slice(), a.dry_run),
                (&["p.json".into()][..], &["X".into()][..], false)
            );
            let Command::Export(a) =
                parse("export --order a --order b --products p --products q --brand X --shop 1 --state s")
                    .unwrap()
                    .command
            else {
                panic!()
            };
            assert_eq!((a.order.len(), a.products.len(), a.brand.len()), (2, 2, 1));
            let msg = |s: &str| usage_error(&parse(s).unwrap_err()).message.unwrap_or_default();
            assert!(
                msg("export --order o.json --state s").contains("--shop"),
                "{}",
                msg("export --order o.json --state s")
            );
            assert!(msg("export --shop 1 --state s").contains("--order"));
            assert!(msg("export --bogus").contains("unexpected argument"));
            assert!(msg("import").contains("unrecognized subcommand"));
            assert!(msg("export --order").contains("a value is required"));
            assert!(msg("export --bogus").contains("Usage: po-bridge export"));
            let Command::Update(a) =
                parse("update --order o.json --state s.json --dry-run --archive-cancelled").unwrap().command
            else {
                panic!()
            };
            assert_eq!(
                (a.order.as_str(), a.state.as_str(), a.dry_run, a.archive_cancelled),
                ("o.json", "s.json", true, true)
            );
            assert!(msg("update --order o.json").contains("--state"), "{}", msg("update --order o.json"));
            let p = usage(&parse("update --bogus").unwrap_err(), Some("update"));
            assert_eq!((p.status.as_str(), p.code), ("invalid", 2));
            assert!(p.json.get("changes").is_some(), "the update shape: {}", p.json);
        }
    }
}
