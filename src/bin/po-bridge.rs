//! `po-bridge`: the command-line exporter over the same core as the extension.
//!
//! ```text
//! po-bridge export --order ORDER.json [--products PRODUCTS.json] [--brand NAME] --shop SHOP_ID
//!                  --state STATE.json [--dry-run]
//!   environment: LIGHTSPEED_API_BASE (default https://api.lightspeedapp.com),
//!                LIGHTSPEED_ACCESS_TOKEN (required), LIGHTSPEED_ACCOUNT_ID (optional: else Account.json)
//! ```
//!
//! Prints exactly one JSON object on stdout
//! `{"status","po_id","po_url","vendor_id","lines","items":{"confirmed","matched","created","needs_choice"},"message"}`
//! and exits: `exported` 0, `preview` 0, `already_exported` 3, `invalid` 2, `needs_choice` 4,
//! `failed` 1. Every non-zero exit also writes a sentence to stderr. `STATE.json` holds the saved
//! links and the job journals (created when missing, written atomically); an interrupted export
//! resumes from it on the next run.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::main());
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use po_bridge::accounts::Region;
    use po_bridge::app::errors::{advice, AppError, Surface};
    use po_bridge::app::exports::start_job;
    use po_bridge::app::platform::NativeCalendar;
    use po_bridge::app::resume::rerun_resumes;
    use po_bridge::export::file_store::FileStore;
    use po_bridge::export::job::build_journal;
    use po_bridge::export::journal::{JobKey, Journal, StepKind};
    use po_bridge::export::plan::{brand_name, BrandContext, Counts, Plan, PlanError};
    use po_bridge::export::runner::{preview, run_export, RunError, RunOutcome, Staged, StartJob};
    use po_bridge::lightspeed::client::{ClientConfig, ClientError, LightspeedClient, StaticToken};
    use po_bridge::lightspeed::endpoints::{Archived, GetAccounts, ListShops};
    use po_bridge::lightspeed::models::Shop;
    use po_bridge::lightspeed::native::{block_on, NativeTransport, SystemClock};
    use po_bridge::lightspeed::{OrderId, ShopId, VendorId};
    use po_bridge::nuorder::model::{parse_order, parse_products, Order, Product};
    use serde_json::{json, Value};

    type Client = LightspeedClient<NativeTransport, SystemClock, StaticToken>;

    const USAGE: &str = "usage: po-bridge export --order ORDER.json [--products PRODUCTS.json] [--brand NAME] --shop SHOP_ID --state STATE.json [--dry-run]";

    /// The one JSON object printed on stdout.
    #[derive(Debug, Default)]
    struct Report {
        status: &'static str,
        po_id: Option<OrderId>,
        vendor_id: Option<VendorId>,
        lines: usize,
        counts: ItemCounts,
        message: Option<String>,
    }

    #[derive(Debug, Default, Clone, Copy, serde::Serialize, serde::Deserialize)]
    struct ItemCounts {
        confirmed: usize,
        matched: usize,
        created: usize,
        needs_choice: usize,
    }

    impl ItemCounts {
        fn of(c: &Counts) -> ItemCounts {
            ItemCounts {
                confirmed: c.confirmed,
                matched: c.upc_match + c.sku_match + c.chosen_existing,
                created: c.new + c.chosen_new,
                needs_choice: c.needs_choice,
            }
        }
    }

    impl Report {
        fn new(status: &'static str) -> Report {
            Report { status, ..Report::default() }
        }

        fn with_message(status: &'static str, message: impl Into<String>) -> Report {
            Report { status, message: Some(message.into()), ..Report::default() }
        }

        fn exit_code(&self) -> i32 {
            match self.status {
                "exported" | "preview" => 0,
                "already_exported" => 3,
                "invalid" => 2,
                "needs_choice" => 4,
                _ => 1,
            }
        }

        fn to_json(&self) -> Value {
            json!({
                "status": self.status,
                "po_id": self.po_id.map(|p| p.to_string()),
                "po_url": self.po_id.map(|p| Region::Us.po_url(&p.to_string())),
                "vendor_id": self.vendor_id.map(|v| v.to_string()),
                "lines": self.lines,
                "items": {
                    "confirmed": self.counts.confirmed,
                    "matched": self.counts.matched,
                    "created": self.counts.created,
                    "needs_choice": self.counts.needs_choice,
                },
                "message": self.message,
            })
        }
    }

    #[derive(Debug)]
    struct Args {
        order: String,
        products: Option<String>,
        brand: Option<String>,
        shop: String,
        state: String,
        dry_run: bool,
    }

    fn parse_args(args: &[String]) -> Result<Args, String> {
        let mut it = args.iter();
        match it.next().map(String::as_str) {
            Some("export") => {}
            Some(other) => return Err(format!("unknown command {other:?}. {USAGE}")),
            None => return Err(USAGE.to_string()),
        }
        let (mut order, mut products, mut brand, mut shop, mut state, mut dry_run) =
            (None, None, None, None, None, false);
        while let Some(a) = it.next() {
            let (name, inline) = match a.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
                _ => (a.as_str(), None),
            };
            let mut value = |flag: &str| -> Result<String, String> {
                match inline.clone().or_else(|| it.next().cloned()) {
                    Some(v) => Ok(v),
                    None => Err(format!("{flag} needs a value. {USAGE}")),
                }
            };
            let slot = match name {
                "--order" => &mut order,
                "--products" => &mut products,
                "--brand" => &mut brand,
                "--shop" => &mut shop,
                "--state" => &mut state,
                "--dry-run" if inline.is_none() => {
                    dry_run = true;
                    continue;
                }
                other => return Err(format!("unknown argument {other:?}. {USAGE}")),
            };
            if slot.is_some() {
                return Err(format!("{name} is given twice. {USAGE}"));
            }
            *slot = Some(value(name)?);
        }
        let need = |v: Option<String>, flag: &str| v.ok_or(format!("{flag} is required. {USAGE}"));
        Ok(Args {
            order: need(order, "--order")?,
            products,
            brand,
            shop: need(shop, "--shop")?,
            state: need(state, "--state")?,
            dry_run,
        })
    }

    pub fn main() -> i32 {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let report = run(&args);
        println!("{}", report.to_json());
        let code = report.exit_code();
        if code != 0 {
            let msg = report.message.clone().unwrap_or_else(|| report.status.to_string());
            eprintln!("po-bridge: {}: {msg}", report.status);
        }
        code
    }

    fn read_file(path: &str, what: &str) -> Result<String, Report> {
        std::fs::read_to_string(path)
            .map_err(|e| Report::with_message("invalid", format!("Cannot read the {what} file {path}: {e}.")))
    }

    /// What the command line says for a Lightspeed failure before anything was written.
    fn failed_client(e: ClientError, what: &str) -> Report {
        let resumes = if e.is_transient() {
            " Run the same command again later; nothing was written."
        } else {
            " Nothing was written."
        };
        let advice = advice(&AppError::Client(e), Surface::Cli).message;
        Report::with_message("failed", format!("{what}: {advice}{resumes}"))
    }

    fn run(args: &[String]) -> Report {
        match run_inner(args) {
            Ok(r) | Err(r) => r,
        }
    }

    fn run_inner(args: &[String]) -> Result<Report, Report> {
        let a = parse_args(args).map_err(|m| Report::with_message("invalid", m))?;
        // Local checks first: nothing is contacted for a bad order, products, brand or shop.
        let staged = read_staged(&a)?;
        let shop_id = parse_shop(&a.shop)?;
        let (api_base, token) = environment()?;
        let store = FileStore::new(&a.state);
        store.ensure().map_err(|e| {
            Report::with_message(
                "failed",
                format!("{e}. Fix or move the state file and run again; nothing was written to Lightspeed."),
            )
        })?;
        let account_id = account_id(&api_base, &token)?;
        let mut cfg = ClientConfig::new(api_base, account_id.clone());
        // A command line can afford to wait for the rate limit rather than stop.
        cfg.max_wait_ms = 10 * 60 * 1000;
        let client: Client = LightspeedClient::new(NativeTransport::new(), SystemClock, StaticToken(token), cfg);
        let shop = live_shop(&client, shop_id, &account_id)?;
        let key = JobKey { account_id, order_id: staged.order.id.clone() };
        if let Some(report) = resume_stored(&client, &store, &key, a.dry_run)? {
            return Ok(report);
        }
        export_new(&client, &store, &key, staged, &shop, a.dry_run)
    }

    /// The order, its products and the brand, checked locally.
    fn read_staged(a: &Args) -> Result<Staged, Report> {
        let order: Order = parse_order(&read_file(&a.order, "order")?)
            .map_err(|e| Report::with_message("invalid", format!("{} ({})", e, a.order)))?;
        let products: Vec<Product> = match &a.products {
            Some(p) => parse_products(&read_file(p, "products")?)
                .map_err(|e| Report::with_message("invalid", format!("{e} ({p})")))?,
            None => Vec::new(),
        };
        if let Some(b) = &a.brand {
            if b.trim().is_empty() || b.chars().count() > 255 || b.chars().any(char::is_control) {
                return Err(Report::with_message(
                    "invalid",
                    "--brand must be a vendor name (1 to 255 characters, no control characters).",
                ));
            }
        }
        let brand = BrandContext { name: a.brand.clone(), seller_uid: None };
        brand_name(&order, &brand).map_err(|e| match e {
            PlanError::NoBrand => Report::with_message(
                "invalid",
                "The order has no brand name (__brand_name): give the vendor name with --brand NAME.",
            ),
            other => Report::with_message("invalid", other.to_string()),
        })?;
        if !order.size_rows().any(|(_, s)| s.quantity > 0) {
            return Err(Report::with_message(
                "invalid",
                format!("{}: the order has no size with a quantity above 0 (line_items[].sizes[].quantity); there is nothing to export.", a.order),
            ));
        }
        Ok(Staged { order, products, brand })
    }

    fn parse_shop(shop: &str) -> Result<ShopId, Report> {
        shop.trim().parse().ok().filter(|s: &ShopId| s.0 > 0).ok_or_else(|| {
            Report::with_message(
                "invalid",
                format!("--shop must be a Lightspeed shop id (a positive number), got {shop:?}."),
            )
        })
    }

    /// `LIGHTSPEED_API_BASE` (with its default) and `LIGHTSPEED_ACCESS_TOKEN`.
    fn environment() -> Result<(String, String), Report> {
        let api_base = std::env::var("LIGHTSPEED_API_BASE")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "https://api.lightspeedapp.com".into());
        let token = std::env::var("LIGHTSPEED_ACCESS_TOKEN").ok().filter(|s| !s.trim().is_empty()).ok_or_else(|| {
            Report::with_message(
                "failed",
                "LIGHTSPEED_ACCESS_TOKEN is not set. Set it to a Lightspeed access token and run the same command again; nothing was written.",
            )
        })?;
        Ok((api_base, token))
    }

    /// `LIGHTSPEED_ACCOUNT_ID`, else the one account the token reaches.
    fn account_id(api_base: &str, token: &str) -> Result<String, Report> {
        if let Some(id) = std::env::var("LIGHTSPEED_ACCOUNT_ID").ok().filter(|s| !s.trim().is_empty()) {
            return Ok(id.trim().to_string());
        }
        let probe = LightspeedClient::new(
            NativeTransport::new(),
            SystemClock,
            StaticToken(token.to_string()),
            ClientConfig::new(api_base.to_string(), "0"),
        );
        let accounts =
            block_on(probe.list_all(&GetAccounts)).map_err(|e| failed_client(e, "Reading Account.json failed"))?;
        match accounts.as_slice() {
            [one] => Ok(one.account_id.to_string()),
            [] => Err(Report::with_message("failed", "This token reaches no Lightspeed account. Check LIGHTSPEED_ACCESS_TOKEN; nothing was written.")),
            _ => Err(Report::with_message("failed", "This token reaches several Lightspeed accounts: set LIGHTSPEED_ACCOUNT_ID to the one to export to and run again; nothing was written.")),
        }
    }

    /// The shop: known to the account and live.
    fn live_shop(client: &Client, shop_id: ShopId, account_id: &str) -> Result<Shop, Report> {
        let shops = block_on(client.list_all(&ListShops { archived: Archived::Include }))
            .map_err(|e| failed_client(e, "Reading the shops failed"))?;
        match shops.iter().find(|s| s.shop_id == shop_id) {
            None => {
                let live: Vec<String> =
                    shops.iter().filter(|s| !s.archived).map(|s| format!("{} ({})", s.shop_id, s.name)).collect();
                Err(Report::with_message(
                    "invalid",
                    format!(
                        "--shop {shop_id}: Lightspeed account {account_id} has no such shop. Live shops: {}.",
                        live.join(", ")
                    ),
                ))
            }
            Some(s) if s.archived => Err(Report::with_message(
                "invalid",
                format!("--shop {shop_id}: the shop \"{}\" is archived; a purchase order needs a live shop.", s.name),
            )),
            Some(s) => Ok(s.clone()),
        }
    }

    /// An interrupted job of ours resumes (never on a dry run): the application layer's rule.
    fn resume_stored(
        client: &Client,
        store: &FileStore,
        key: &JobKey,
        dry_run: bool,
    ) -> Result<Option<Report>, Report> {
        let stored = store
            .journal(key)
            .map_err(|e| Report::with_message("failed", format!("{e}. Nothing was written to Lightspeed.")))?;
        if dry_run || !stored.as_ref().is_some_and(rerun_resumes) {
            return Ok(None);
        }
        let summary = store.summary(key).ok().flatten().and_then(|v| serde_json::from_value::<ItemCounts>(v).ok());
        Ok(Some(finish(client, store, key, None, summary)))
    }

    /// Preview, then (unless a dry run or a choice is needed) export.
    fn export_new(
        client: &Client,
        store: &FileStore,
        key: &JobKey,
        staged: Staged,
        shop: &Shop,
        dry_run: bool,
    ) -> Result<Report, Report> {
        let p = block_on(preview(client, store, &key.account_id, &staged)).map_err(|e| run_error(e, false))?;
        if let Some(po) = p.existing_po {
            let mut r = Report::with_message(
                "already_exported",
                format!(
                    "Lightspeed already has purchase order {po} for NuORDER order {}; nothing was written.",
                    staged.order.order_number
                ),
            );
            r.po_id = Some(po);
            return Ok(r);
        }
        let counts = ItemCounts::of(&p.plan.counts);
        let base = |status: &'static str| Report {
            status,
            vendor_id: p.plan.vendor.id(),
            lines: plan_lines(&p.plan, &staged.order, key, shop.shop_id),
            counts,
            ..Report::default()
        };
        if dry_run {
            return Ok(base("preview"));
        }
        if !p.plan.is_ready() {
            let mut r = base("needs_choice");
            r.message = Some(needs_choice_message(&p.plan));
            return Ok(r);
        }
        let _ = store.set_summary(key, serde_json::to_value(counts).unwrap_or_default());
        let start = start_job(staged, p.plan.clone(), shop, &NativeCalendar);
        Ok(finish(client, store, key, Some(start), Some(counts)))
    }

    /// Lines the PO would have (rows merged by item and price).
    fn plan_lines(plan: &Plan, order: &Order, key: &JobKey, shop: ShopId) -> usize {
        match build_journal(plan, order, &key.account_id, shop, "2000-01-01") {
            Ok(j) => line_count(&j),
            Err(_) => plan.rows.len(),
        }
    }

    fn line_count(j: &Journal) -> usize {
        j.steps.iter().filter(|s| matches!(s.kind, StepKind::Line { .. })).count()
    }

    fn needs_choice_message(plan: &Plan) -> String {
        let rows: Vec<String> = plan
            .rows
            .iter()
            .filter(|r| matches!(r.status, po_bridge::export::plan::RowStatus::NeedsChoice { choice: None, .. }))
            .take(10)
            .map(|r| {
                let why = match &r.status {
                    po_bridge::export::plan::RowStatus::NeedsChoice { reason, .. } => match reason {
                        po_bridge::export::plan::ChoiceReason::SeveralMatches => {
                            "several Lightspeed items match".to_string()
                        }
                        po_bridge::export::plan::ChoiceReason::ArchivedOnly => {
                            "only archived Lightspeed items match".to_string()
                        }
                        po_bridge::export::plan::ChoiceReason::LinkVanished { item_id, .. } => {
                            format!("the item an earlier export used ({item_id}) is gone or archived, perhaps merged")
                        }
                    },
                    _ => String::new(),
                };
                format!("{} {} {}: {why}", r.style_number, r.color.as_deref().unwrap_or(""), r.key.size)
            })
            .collect();
        format!(
            "{} size rows need a choice before this order can be exported (nothing was written): {}. Choose in the PO Bridge export dialog, or fix the items in Lightspeed and run again.",
            plan.counts.needs_choice,
            rows.join("; ")
        )
    }

    fn run_error(e: RunError, started: bool) -> Report {
        let retryable = e.is_retryable();
        let tail = match (started, retryable) {
            (true, true) => {
                " Run the same command again: the export resumes where it stopped and creates nothing twice."
            }
            (true, false) => " A rerun will not fix this.",
            (false, true) => " Nothing was written; run the same command again later.",
            (false, false) => " Nothing was written.",
        };
        let msg = advice(&AppError::Run(e), Surface::Cli).message;
        Report::with_message("failed", format!("{msg}{tail}"))
    }

    fn finish(
        client: &Client,
        store: &FileStore,
        key: &JobKey,
        start: Option<StartJob>,
        counts: Option<ItemCounts>,
    ) -> Report {
        let out = block_on(run_export(client, store, key, start, &mut |_| {}));
        let j = store.journal(key).ok().flatten();
        let mut r = match out {
            Err(e) => return run_error(e, true),
            Ok(RunOutcome::Exported { po_id }) => {
                let mut r = Report::new("exported");
                r.po_id = Some(po_id);
                r
            }
            Ok(RunOutcome::AlreadyExported { po_id }) => {
                let mut r = Report::with_message(
                    "already_exported",
                    format!("Lightspeed already has purchase order {po_id} for this order; nothing was written."),
                );
                r.po_id = Some(po_id);
                return r;
            }
            Ok(RunOutcome::NeedsChoice { rows }) => Report::with_message(
                "needs_choice",
                format!("{rows} size rows need a choice; nothing was written."),
            ),
            Ok(RunOutcome::NeedsRelink) => Report::with_message(
                "failed",
                "Lightspeed refused LIGHTSPEED_ACCESS_TOKEN (expired or revoked) part-way. Set a fresh token and run the same command again: the export resumes where it stopped.",
            ),
            Ok(RunOutcome::Paused { resume_after_ms }) => Report::with_message(
                "failed",
                format!("Lightspeed's rate limit asks to wait {} s. Run the same command again after that: the export resumes where it stopped.", resume_after_ms.div_ceil(1000)),
            ),
            Ok(RunOutcome::Failed { message, retryable }) => Report::with_message(
                "failed",
                if retryable {
                    format!("{message} (A rerun of the same command resumes.)")
                } else {
                    format!("{message} (A rerun will not resume this export.)")
                },
            ),
        };
        if let Some(j) = &j {
            r.vendor_id = j.vendor_id();
            r.lines = line_count(j);
            if r.po_id.is_none() && r.status == "failed" {
                r.po_id = j.po_id();
            }
            r.counts = counts.unwrap_or_else(|| journal_counts(j));
        } else if let Some(c) = counts {
            r.counts = c;
        }
        r
    }

    /// Counts from a journal alone (no plan at hand): rows on existing items count as matched.
    fn journal_counts(j: &Journal) -> ItemCounts {
        let mut c = ItemCounts::default();
        for r in &j.rows {
            match r.item {
                po_bridge::export::journal::ItemRef::Existing { .. } => c.matched += 1,
                po_bridge::export::journal::ItemRef::Step { .. } => c.created += 1,
            }
        }
        c
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn args(s: &str) -> Vec<String> {
            s.split_whitespace().map(str::to_string).collect()
        }

        #[test]
        fn arguments() {
            let a = parse_args(&args("export --order o.json --shop 1 --state s.json --dry-run")).unwrap();
            assert_eq!(
                (a.order.as_str(), a.shop.as_str(), a.state.as_str(), a.dry_run),
                ("o.json", "1", "s.json", true)
            );
            let a = parse_args(&args("export --order=o.json --products p.json --brand X --shop=2 --state s")).unwrap();
            assert_eq!((a.products.as_deref(), a.brand.as_deref(), a.dry_run), (Some("p.json"), Some("X"), false));
            assert!(parse_args(&args("export --order o.json --state s")).unwrap_err().contains("--shop is required"));
            assert!(parse_args(&args("export --order a --order b --shop 1 --state s")).unwrap_err().contains("twice"));
            assert!(parse_args(&args("export --bogus")).unwrap_err().contains("unknown argument"));
            assert!(parse_args(&args("import")).unwrap_err().contains("unknown command"));
            assert!(parse_args(&args("export --order")).unwrap_err().contains("needs a value"));
        }
    }
}
