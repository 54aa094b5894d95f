//! Two `po-bridge export` processes of one order, each with its own state file (two people, one
//! Lightspeed account), converge to one PO (issue 16): started together; started with the
//! sandbox holding both PO creates until both have asked; and holding both first item creates.
//! Then each runs once more. End: one live PO, every line once, no duplicate live item.

mod cli_support;
mod client_support;
mod export_run_support;
use cli_support::*;
use export_run_support::converge::*;

use serde_json::Value;
use std::process::{Child, Stdio};

const ORDER: &str = "h02-two-colors-missing-upcs";

impl Cli {
    /// Starts `po-bridge export` of the order with state file `state`.
    fn spawn(&self, state: &str) -> Child {
        let (order, products, state) =
            (fixture_path(&format!("orders/{ORDER}.json")), fixture_path("products.json"), self.path(state));
        self.command(&["export", "--order", &order, "--products", &products, "--shop", "1", "--state", &state], &[])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Runs both places once more, one after the other.
    fn again(&self) -> (Value, Value) {
        (finish(self.spawn("a.json")), finish(self.spawn("b.json")))
    }
}

/// The process's one JSON object (with its exit code checked against its status).
fn finish(child: Child) -> Value {
    let o = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(o.stdout).unwrap();
    let v: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout:?}"));
    let code = o.status.code().unwrap();
    let want = match v["status"].as_str().unwrap() {
        "exported" => 0,
        "already_exported" => 3,
        other => panic!("unexpected {other}: {v} {}", String::from_utf8_lossy(&o.stderr)),
    };
    assert_eq!(code, want, "{v}");
    v
}

/// Both places end on the one live PO.
fn assert_end(c: &Cli, runs: &[&Value], what: &str) {
    let po = assert_converged(&c.env, "NuORDER 40718822", "Harbor Goods", 7, 26, what);
    for r in runs {
        assert_eq!(r["po_id"], po.to_string(), "{what}: {r}");
    }
    assert_eq!(live_new_items(&c.env), 7, "{what}");
}

#[test]
fn two_processes_started_together_converge() {
    let c = cli("converge");
    let (a, b) = (c.spawn("a.json"), c.spawn("b.json"));
    let (a, b) = (finish(a), finish(b));
    let (a2, b2) = c.again();
    assert_end(&c, &[&a2, &b2], "started together");
    // A run that finished its job says so; a run that met the other's PO at its check says
    // already exported — either way on the same PO.
    for r in [&a, &b] {
        assert!(r["po_id"].is_string(), "{r}");
    }
    figures("converge-cli-together", 1, 0, "two CLI processes started together");
}

#[test]
fn two_processes_with_both_po_creates_held_converge() {
    let c = cli("converge");
    let h = hold(&c.env, ORDER_POST, 2);
    let a = c.spawn("a.json");
    wait_holding(&c.env, h, 1);
    let b = c.spawn("b.json");
    wait_holding(&c.env, h, 2);
    release(&c.env, h, 2);
    let (a, b) = (finish(a), finish(b));
    assert_eq!((a["status"].as_str(), b["status"].as_str()), (Some("exported"), Some("exported")));
    assert_end(&c, &[&a, &b], "PO creates held");
    let (a2, b2) = c.again();
    assert_end(&c, &[&a2, &b2], "PO creates held, run again");
    figures("converge-cli-po-held", 1, 0, "two CLI processes, PO creates held");
}

#[test]
fn two_processes_with_both_item_creates_held_converge() {
    let c = cli("converge");
    let h = hold(&c.env, ITEM_POST, 2);
    let a = c.spawn("a.json");
    wait_holding(&c.env, h, 1);
    let b = c.spawn("b.json");
    wait_holding(&c.env, h, 2);
    release(&c.env, h, 2);
    let (a, b) = (finish(a), finish(b));
    assert_end(&c, &[&a, &b], "item creates held");
    let (a2, b2) = c.again();
    assert_end(&c, &[&a2, &b2], "item creates held, run again");
    figures("converge-cli-item-held", 1, 0, "two CLI processes, item creates held");
}
