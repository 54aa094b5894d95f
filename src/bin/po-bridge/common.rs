//! What every `po-bridge` command shares: reading the input files, the environment, the state
//! file and the connection to Lightspeed. Each step fails with a [`Failure`]: the status the
//! command prints and one sentence of advice.

use po_bridge::app::errors::{advice, AppError, Surface};
use po_bridge::export::file_store::FileStore;
use po_bridge::export::plan::{brand_name, BrandContext, PlanError};
use po_bridge::export::runner::Staged;
use po_bridge::lightspeed::client::{ClientConfig, ClientError, LightspeedClient, StaticToken};
use po_bridge::lightspeed::endpoints::{GetAccount, GetAccounts};
use po_bridge::lightspeed::native::{block_on, NativeTransport, SystemClock};
use po_bridge::nuorder::model::{parse_order, parse_products, Order, Product};

pub type Client = LightspeedClient<NativeTransport, SystemClock, StaticToken>;

/// A command that stops early: the status it prints and why.
#[derive(Debug)]
pub struct Failure {
    pub status: &'static str,
    pub message: String,
}

impl Failure {
    pub fn invalid(message: impl Into<String>) -> Failure {
        Failure { status: "invalid", message: message.into() }
    }

    pub fn failed(message: impl Into<String>) -> Failure {
        Failure { status: "failed", message: message.into() }
    }
}

pub fn read_file(path: &str, what: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::invalid(format!("Cannot read the {what} file {path}: {e}.")))
}

/// What the command line says for a Lightspeed failure before anything was written.
pub fn failed_client(e: ClientError, what: &str) -> Failure {
    let resumes = if e.is_transient() {
        " Run the same command again later; nothing was written."
    } else {
        " Nothing was written."
    };
    let advice = advice(&AppError::Client(e), Surface::Cli).message;
    Failure::failed(format!("{what}: {advice}{resumes}"))
}

/// The order, its products and the brand, checked locally (nothing is contacted for bad input).
pub fn read_inputs(order: &str, products: Option<&str>, brand: Option<&str>) -> Result<Staged, Failure> {
    let parsed = read_order(order)?;
    let products = match products {
        Some(p) => read_products(p)?,
        None => Vec::new(),
    };
    with_brand(parsed, products, brand)
}

pub fn read_order(path: &str) -> Result<Order, Failure> {
    parse_order(&read_file(path, "order")?).map_err(|e| Failure::invalid(format!("{e} ({path})")))
}

pub fn read_products(path: &str) -> Result<Vec<Product>, Failure> {
    parse_products(&read_file(path, "products")?).map_err(|e| Failure::invalid(format!("{e} ({path})")))
}

/// A parsed order staged with its products and `--brand`, checked: the brand is a usable vendor
/// name, and the order has one (its own `__brand_name`, else `--brand`).
pub fn with_brand(order: Order, products: Vec<Product>, brand: Option<&str>) -> Result<Staged, Failure> {
    if let Some(b) = brand {
        if b.trim().is_empty() || b.chars().count() > 255 || b.chars().any(char::is_control) {
            return Err(Failure::invalid(
                "--brand must be a vendor name (1 to 255 characters, no control characters).",
            ));
        }
    }
    let brand = BrandContext { name: brand.map(str::to_string), seller_uid: None };
    brand_name(&order, &brand).map_err(|e| match e {
        PlanError::NoBrand => {
            Failure::invalid("The order has no brand name (__brand_name): give the vendor name with --brand NAME.")
        }
        other => Failure::invalid(other.to_string()),
    })?;
    Ok(Staged { order, products, brand, store_currency: None })
}

/// `LIGHTSPEED_API_BASE` (with its default) and `LIGHTSPEED_ACCESS_TOKEN`.
pub fn environment() -> Result<(String, String), Failure> {
    let api_base = std::env::var("LIGHTSPEED_API_BASE")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "https://api.lightspeedapp.com".into());
    let token = std::env::var("LIGHTSPEED_ACCESS_TOKEN").ok().filter(|s| !s.trim().is_empty()).ok_or_else(|| {
        Failure::failed("LIGHTSPEED_ACCESS_TOKEN is not set. Set it to a Lightspeed access token and run the same command again; nothing was written.")
    })?;
    Ok((api_base, token))
}

/// The state file, created when missing; one that exists but cannot be read is never replaced.
pub fn open_state(path: &str) -> Result<FileStore, Failure> {
    let store = FileStore::new(path);
    store.ensure().map_err(|e| {
        Failure::failed(format!("{e}. Fix or move the state file and run again; nothing was written to Lightspeed."))
    })?;
    Ok(store)
}

/// A client for the account the token reaches. A command line can afford to wait for the rate
/// limit rather than stop, so the longest wait is ten minutes.
pub fn connect(api_base: String, token: String) -> Result<(Client, String), Failure> {
    let account_id = account_id(&api_base, &token)?;
    let mut cfg = ClientConfig::new(api_base, account_id.clone());
    cfg.max_wait_ms = 10 * 60 * 1000;
    Ok((LightspeedClient::new(NativeTransport::new(), SystemClock, StaticToken(token), cfg), account_id))
}

/// The account's default currency, asked of Lightspeed (`Account/{id}.json`) the first time it is
/// wanted and not again; `None` when Lightspeed does not say.
pub fn once_currency(client: &Client) -> impl FnMut() -> Option<String> + '_ {
    let mut known: Option<Option<String>> = None;
    move || known.get_or_insert_with(|| block_on(client.one(&GetAccount)).ok().and_then(|a| a.currency_code())).clone()
}

/// `LIGHTSPEED_ACCOUNT_ID`, else the one account the token reaches.
fn account_id(api_base: &str, token: &str) -> Result<String, Failure> {
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
        [] => Err(Failure::failed("This token reaches no Lightspeed account. Check LIGHTSPEED_ACCESS_TOKEN; nothing was written.")),
        _ => Err(Failure::failed("This token reaches several Lightspeed accounts: set LIGHTSPEED_ACCOUNT_ID to the one to export to and run again; nothing was written.")),
    }
}
