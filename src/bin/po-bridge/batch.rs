//! `po-bridge export` with several `--order`s: one batch (issue 19, item 4).
//!
//! Every file is read and checked before the first request (an order that fails its checks gets
//! its `invalid` line and the others go on). The valid orders are previewed together (shared
//! lookups) and those ready to export run as one job set ([`po_bridge::export::batch`]: one
//! pacing budget, shared new items), in the given order. Prints one JSON object per `--order`, one
//! per line (JSON Lines), each in the single-order shape plus `"order_number"`; a failure that
//! stops the batch gives every order not exported yet a `failed` line. Exits 0 when every order
//! ended `exported`, `preview` or `already_exported`, else with the exit code of the first order
//! (in the given order) that did not.

use crate::common::{self, Client, Failure};
use crate::export::{self, exportable, needs_choice_message, plan_lines, report_of, run_error, ExportArgs};
use crate::export::{ItemCounts, Report};
use po_bridge::app::exports::start_job;
use po_bridge::app::platform::NativeCalendar;
use po_bridge::app::resume::rerun_resumes;
use po_bridge::export::batch::{preview_set, run_job_set, start_job_set, JobSetStore, OrderState, SetKey, SetRun};
use po_bridge::export::file_store::FileStore;
use po_bridge::export::journal::JobKey;
use po_bridge::export::runner::{Preview, RunOutcome, Staged, StartJob};
use po_bridge::lightspeed::models::Shop;
use po_bridge::lightspeed::native::block_on;
use po_bridge::nuorder::model::Product;
use std::collections::BTreeSet;

/// One printed line: the order's number (when its file could be read) and its report.
pub struct Line {
    pub order_number: Option<String>,
    pub report: Report,
}

/// Every products file, their products in one list (a product `_id` given twice: the first wins).
pub fn read_all_products(paths: &[String]) -> Result<Vec<Product>, Failure> {
    let mut all: Vec<Product> = Vec::new();
    for p in paths {
        for product in common::read_products(p)? {
            if !all.iter().any(|known| known.id == product.id) {
                all.push(product);
            }
        }
    }
    Ok(all)
}

/// Runs the batch; one line per `--order`, in the given order.
pub fn run(a: &ExportArgs) -> Vec<Line> {
    let read = read_all(a);
    let mut lines: Vec<Line> = Vec::with_capacity(read.len());
    let mut valid: Vec<(usize, Staged)> = Vec::new();
    for (i, (number, r)) in read.into_iter().enumerate() {
        match r {
            Ok(s) => {
                valid.push((i, s));
                lines.push(Line { order_number: number, report: Report::default() });
            }
            Err(report) => lines.push(Line { order_number: number, report }),
        }
    }
    if valid.is_empty() {
        return lines;
    }
    let staged: Vec<Staged> = valid.iter().map(|(_, s)| s.clone()).collect();
    let reports = match connect(a) {
        Ok((client, store, shop, account)) => export_all(&client, &store, &shop, &account, &staged, a.dry_run),
        Err(r) => vec![r; staged.len()],
    };
    for ((i, _), r) in valid.iter().zip(reports) {
        lines[*i].report = r;
    }
    lines
}

/// Every `--order` read and checked locally, with its number when its file could be read.
fn read_all(a: &ExportArgs) -> Vec<(Option<String>, Result<Staged, Report>)> {
    let all_invalid = |r: Report| a.order.iter().map(|_| (None, Err(r.clone()))).collect();
    if a.brand.len() > 1 && a.brand.len() != a.order.len() {
        return all_invalid(Report::with_message("invalid", format!(
            "--brand is given {} times for {} --order: give it once (for every order without __brand_name) or once per --order.",
            a.brand.len(),
            a.order.len()
        )));
    }
    let products = match read_all_products(&a.products) {
        Ok(p) => p,
        Err(f) => return all_invalid(f.into()),
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(a.order.len());
    for (i, path) in a.order.iter().enumerate() {
        let brand = a.brand.get(if a.brand.len() == 1 { 0 } else { i }).map(String::as_str);
        let order = match common::read_order(path) {
            Ok(o) => o,
            Err(f) => {
                out.push((None, Err(f.into())));
                continue;
            }
        };
        let number = Some(order.order_number.clone());
        let r = if seen.insert(order.id.clone()) {
            common::with_brand(order, products.clone(), brand).map_err(Report::from).and_then(|s| exportable(s, path))
        } else {
            Err(Report::with_message("invalid", format!("{path}: this order is given twice; it is exported once.")))
        };
        out.push((number, r));
    }
    out
}

/// The shop, the environment, the state file, the connection: a failure here is every order's.
fn connect(a: &ExportArgs) -> Result<(Client, FileStore, Shop, String), Report> {
    let shop_id = export::parse_shop(&a.shop)?;
    let (api_base, token) = common::environment()?;
    let store = common::open_state(&a.state)?;
    let (client, account_id) = common::connect(api_base, token)?;
    let shop = export::live_shop(&client, shop_id, &account_id)?;
    Ok((client, store, shop, account_id))
}

/// An order the set runs: its index among the valid orders, its job and its plan's counts.
struct Member {
    index: usize,
    job: StartJob,
    counts: Option<ItemCounts>,
}

/// The batch preview, then one job set of every order ready to export (or resuming).
fn export_all(
    client: &Client,
    store: &FileStore,
    shop: &Shop,
    account: &str,
    staged: &[Staged],
    dry_run: bool,
) -> Vec<Report> {
    let mut currency = common::once_currency(client);
    let store_currency = currency();
    let staged: Vec<Staged> = staged
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.priced_for(store_currency.as_deref());
            s
        })
        .collect();
    let staged = staged.as_slice();
    let previews = match block_on(preview_set(client, store, account, staged)) {
        Ok(p) => p,
        Err(e) => return vec![run_error(e, false); staged.len()],
    };
    let mut reports: Vec<Report> = vec![Report::default(); staged.len()];
    let mut members: Vec<Member> = Vec::new();
    for (i, (s, p)) in staged.iter().zip(previews).enumerate() {
        let key = JobKey { account_id: account.to_string(), order_id: s.order.id.clone() };
        let resumes = !dry_run && store.journal(&key).ok().flatten().is_some_and(|j| rerun_resumes(&j));
        match p {
            Err(e) => reports[i] = Report::with_message("invalid", e.to_string()),
            Ok(p) if resumes => {
                let counts = store.summary(&key).ok().flatten().and_then(|v| serde_json::from_value(v).ok());
                members.push(Member { index: i, job: start_job(s.clone(), p.plan, shop, &NativeCalendar), counts });
            }
            Ok(p) => match decide(store, &key, s, p, shop, dry_run) {
                Ok(m) => members.push(Member { index: i, ..m }),
                Err(r) => reports[i] = r,
            },
        }
    }
    for (m, r) in run_members(client, store, account, staged, &members) {
        reports[m] = r;
    }
    reports.into_iter().zip(staged).map(|(r, s)| r.warned(&s.order, &mut currency)).collect()
}

/// A previewed order: its line now (already exported, preview, needs choice), or a member.
fn decide(
    store: &FileStore,
    key: &JobKey,
    s: &Staged,
    p: Preview,
    shop: &Shop,
    dry_run: bool,
) -> Result<Member, Report> {
    if let Some(po) = p.existing_po {
        let mut r = Report::with_message(
            "already_exported",
            format!(
                "Lightspeed already has purchase order {po} for NuORDER order {}; nothing was written.",
                s.order.order_number
            ),
        );
        r.po_id = Some(po);
        return Err(r);
    }
    let counts = ItemCounts::of(&p.plan.counts);
    let mut base = Report::new(if dry_run { "preview" } else { "needs_choice" });
    base.vendor_id = p.plan.vendor.id();
    base.lines = plan_lines(&p.plan, &s.order, key, shop.shop_id);
    base.counts = counts;
    if dry_run {
        return Err(base);
    }
    if !p.plan.is_ready() {
        base.message = Some(needs_choice_message(&p.plan).into());
        return Err(base);
    }
    let _ = store.set_summary(key, serde_json::to_value(counts).unwrap_or_default());
    Ok(Member { index: 0, job: start_job(s.clone(), p.plan, shop, &NativeCalendar), counts: Some(counts) })
}

/// Runs the members as one set; each member's report by its index.
fn run_members(
    client: &Client,
    store: &FileStore,
    account: &str,
    staged: &[Staged],
    members: &[Member],
) -> Vec<(usize, Report)> {
    if members.is_empty() {
        return Vec::new();
    }
    let key = SetKey::of_orders(account, members.iter().map(|m| m.job.staged.order.id.as_str()));
    let jobs: Vec<StartJob> = members.iter().map(|m| m.job.clone()).collect();
    let run = block_on(async {
        start_job_set(store, &key, &jobs).await?;
        run_job_set(client, store, &key, staged, &mut |_, _| {}).await
    });
    // What stopped the set, in its own words (a journal this version cannot read is not a storage
    // failure), for each order it left running.
    let run = run.map_err(|e| run_error(e, true));
    let set = block_on(store.load_set(&key)).ok().flatten();
    let mut stop: Option<Report> = None;
    let mut out = Vec::with_capacity(members.len());
    for m in members {
        let order_id = &m.job.staged.order.id;
        let job_key = JobKey { account_id: account.to_string(), order_id: order_id.clone() };
        let state = set.as_ref().and_then(|s| s.orders.iter().find(|o| &o.order_id == order_id)).map(|o| &o.state);
        let r = member_report(state, &run, store, &job_key, m.counts, &stop);
        let stopped_here = matches!(state, None | Some(OrderState::Running) | Some(OrderState::NeedsRelink));
        if stop.is_none() && !r.is_done() && stopped_here {
            stop = Some(r.clone());
        }
        out.push((m.index, r));
    }
    out
}

/// A member's line from its state in the set and how the run ended.
fn member_report(
    state: Option<&OrderState>,
    run: &Result<SetRun, Report>,
    store: &FileStore,
    key: &JobKey,
    counts: Option<ItemCounts>,
    stop: &Option<Report>,
) -> Report {
    let outcome = match state {
        Some(OrderState::Exported { po_id }) => RunOutcome::Exported { po_id: *po_id },
        Some(OrderState::AlreadyExported { po_id }) => RunOutcome::AlreadyExported { po_id: *po_id },
        Some(OrderState::NeedsChoice { rows }) => RunOutcome::NeedsChoice { rows: *rows },
        Some(OrderState::NeedsRelink) => RunOutcome::NeedsRelink,
        Some(OrderState::Failed { message, retryable }) => {
            RunOutcome::Failed { message: message.clone(), retryable: *retryable }
        }
        Some(OrderState::Running) | None => match run {
            Ok(SetRun::Paused { resume_after_ms }) => RunOutcome::Paused { resume_after_ms: *resume_after_ms },
            Err(stopped) => return stopped.clone(),
            Ok(_) => RunOutcome::Failed { message: "The batch stopped during this order.".into(), retryable: true },
        },
        Some(OrderState::Waiting) | Some(OrderState::Cancelled) => {
            let why = stop.as_ref().and_then(|r| r.message.clone()).unwrap_or_default();
            return Report::with_message(
                "failed",
                format!("Not exported: the batch stopped before this order ({why}). Run the same command again: the batch resumes where it stopped; nothing was written for this order."),
            );
        }
    };
    report_of(Ok(outcome), store, key, counts)
}

/// Prints the lines (JSON Lines) and returns the exit code; a non-zero exit also writes the
/// first order's sentence that did not end done to stderr.
pub fn print(lines: &[Line]) -> i32 {
    for l in lines {
        let mut json = l.report.to_json();
        json["order_number"] = l.order_number.clone().into();
        println!("{json}");
        if let (Some(warning), Some(number)) = (&l.report.warning, &l.order_number) {
            eprintln!("po-bridge: order {number}: warning: {warning}");
        }
    }
    let Some(first) = lines.iter().find(|l| !l.report.is_done()) else {
        return 0;
    };
    let r = &first.report;
    let number = first.order_number.as_deref().unwrap_or("?");
    eprintln!("po-bridge: order {number}: {}: {}", r.status, r.message.as_deref().unwrap_or(r.status));
    r.exit_code()
}

#[cfg(test)]
mod tests {
    use super::*;
    use po_bridge::export::journal::JournalError;
    use po_bridge::export::runner::RunError;

    #[test]
    fn an_order_the_set_left_running_reports_what_stopped_it() {
        let store = FileStore::new(std::env::temp_dir().join("po-bridge-member-report-unused.json"));
        let key = JobKey { account_id: "1".into(), order_id: "o".into() };
        for (e, starts) in [
            (RunError::Journal(JournalError::Illegal("Resume".into())), "PO Bridge could not continue this export"),
            (RunError::Store("disk full".into()), "PO Bridge could not read or save its progress in the state file"),
        ] {
            let run = Err(run_error(e, true));
            for state in [None, Some(&OrderState::Running)] {
                let r = member_report(state, &run, &store, &key, None, &None);
                let message = r.message.clone().unwrap_or_default();
                assert_eq!(r.status, "failed");
                assert!(message.starts_with(starts), "{message}");
            }
        }
    }
}
