//! `po-bridge update` (the built binary) against the Lightspeed sandbox: every status of the
//! issue's table with its exit code, one JSON object of the documented shape on stdout, a
//! sentence on stderr for non-zero exits, nothing written where the table says so, the
//! precedence when several statuses apply, and a failed update resumed by the next run.

mod cli_support;
mod client_support;
mod export_run_support;
use cli_support::*;
use client_support::*;
use export_run_support::*;

use serde_json::{json, Value};

struct Out {
    code: i32,
    json: Value,
    stderr: String,
}

impl Cli {
    /// `po-bridge export` of h01 (or `v`) with the state file; the PO id.
    fn export(&self, v: &Value) -> String {
        let (order, products, state) = (self.file("exported.json", v), fixture_path("products.json"), self.state());
        let o = self
            .command(&["export", "--order", &order, "--products", &products, "--shop", "1", "--state", &state], &[])
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(json["status"], "exported", "{json}");
        json["po_id"].as_str().unwrap().to_string()
    }

    fn update_with(&self, v: &Value, extra: &[&str], env: &[(&str, Option<&str>)]) -> Out {
        let (order, products, state) = (self.file("now.json", v), fixture_path("products.json"), self.state());
        let mut args = vec!["update", "--order", &order, "--products", &products, "--state", &state];
        args.extend_from_slice(extra);
        parse(self.command(&args, env).output().unwrap())
    }

    fn update(&self, v: &Value, extra: &[&str]) -> Out {
        self.update_with(v, extra, &[])
    }
}

fn parse(o: std::process::Output) -> Out {
    let stdout = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "exactly one JSON object on stdout: {stdout:?}");
    let json: Value = serde_json::from_str(lines[0]).unwrap();
    let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["changes", "conflicts", "message", "po_id", "status"], "{json}");
    let mut changes: Vec<&str> = json["changes"].as_object().unwrap().keys().map(String::as_str).collect();
    changes.sort();
    assert_eq!(changes, ["added", "header", "price", "quantity", "removed"]);
    for c in json["conflicts"].as_array().unwrap() {
        let mut k: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        k.sort();
        assert_eq!(k, ["item_id", "reason", "received", "wanted"], "{c}");
    }
    let code = o.status.code().unwrap();
    let stderr = String::from_utf8(o.stderr).unwrap();
    if code != 0 {
        assert!(!stderr.trim().is_empty(), "stderr explains exit {code}");
    }
    Out { code, json, stderr }
}

fn status(o: &Out) -> (&str, i32) {
    (o.json["status"].as_str().unwrap(), o.code)
}

fn h01() -> Value {
    order_json("h01-basic-all-upcs")
}

fn set_qty(v: &mut Value, line: usize, size: usize, q: u64) {
    v["line_items"][line]["sizes"][size]["quantity"] = json!(q);
}

/// h01 edited: tote 12 → 8, scarf L/XL gone, ship window ends 2026-10-01.
fn edited() -> Value {
    let mut v = h01();
    set_qty(&mut v, 0, 0, 8);
    set_qty(&mut v, 1, 1, 0);
    v["end_ship"] = json!("2026-10-01T00:00:00.000Z");
    v
}

fn receive(c: &Cli, po: &str, body: Value) {
    let mut body = body;
    body["orderID"] = json!(po);
    c.env.post("/receive", body);
}

fn first_line(c: &Cli, po: &str) -> String {
    let t = tables(&c.env);
    let mut ids: Vec<u64> = rows(&t, "OrderLine")
        .iter()
        .filter(|l| s(&l["orderID"]) == po)
        .map(|l| s(&l["orderLineID"]).parse().unwrap())
        .collect();
    ids.sort();
    ids[0].to_string()
}

#[test]
fn preview_updated_then_unchanged_on_the_same_po() {
    let c = cli("cli-update");
    let po = c.export(&h01());
    let e = edited();
    let before = tables(&c.env);
    let o = c.update(&e, &["--dry-run"]);
    assert_eq!(status(&o), ("preview", 0), "{}", o.json);
    assert_eq!(o.json["changes"], json!({"added": 0, "removed": 1, "quantity": 1, "price": 0, "header": 1}));
    assert_eq!(tables(&c.env), before, "a dry run writes nothing");
    let o = c.update(&e, &[]);
    assert_eq!(status(&o), ("updated", 0), "{} {}", o.json, o.stderr);
    assert_eq!(o.json["po_id"], po.as_str(), "the same PO");
    assert_eq!(o.json["conflicts"], json!([]));
    assert_eq!(counts(&c.env).3, 1);
    let after = tables(&c.env);
    let o = c.update(&e, &[]);
    assert_eq!(status(&o), ("unchanged", 0), "{}", o.json);
    assert_eq!(o.json["changes"], json!({"added": 0, "removed": 0, "quantity": 0, "price": 0, "header": 0}));
    assert_eq!(tables(&c.env), after, "applied twice: the second writes nothing");
    // The state file keeps the order's history of updates.
    let state: Value = serde_json::from_str(&std::fs::read_to_string(c.state()).unwrap()).unwrap();
    let log = state["records"].as_object().unwrap().values().next().unwrap().clone();
    assert_eq!(log["revisions"].as_array().unwrap().len(), 1, "{log}");
    assert_eq!(log["revisions"][0]["counts"]["removed"], 1);
}

#[test]
fn not_exported_and_invalid() {
    let c = cli("cli-update");
    let before = tables(&c.env);
    let o = c.update(&h01(), &[]);
    assert_eq!(status(&o), ("not_exported", 5), "{}", o.json);
    assert!(o.json["message"].as_str().unwrap().contains("export it first"));
    // not_exported wins over cancelled.
    let mut v = h01();
    v["status"] = json!("cancelled");
    assert_eq!(status(&c.update(&v, &["--archive-cancelled"])), ("not_exported", 5));
    // invalid wins over everything: a broken order file, bad usage (in update's shape).
    let o = c.update(&json!({"_id": "x"}), &[]);
    assert_eq!(status(&o), ("invalid", 2), "{}", o.json);
    let o = parse(c.command(&["update", "--order", "o.json"], &[]).output().unwrap());
    assert_eq!(status(&o), ("invalid", 2), "{}", o.json);
    assert!(o.json["message"].as_str().unwrap().contains("--state"), "{}", o.json);
    assert_eq!(tables(&c.env), before, "nothing written");
}

#[test]
fn cancelled_archives_only_when_asked_and_wins_over_locked() {
    let c = cli("cli-update");
    let po = c.export(&h01());
    let mut v = h01();
    v["status"] = json!("cancelled");
    let before = tables(&c.env);
    let o = c.update(&v, &[]);
    assert_eq!(status(&o), ("cancelled", 7), "{}", o.json);
    assert!(o.json["message"].as_str().unwrap().contains("still open"), "{}", o.json);
    assert_eq!(tables(&c.env), before, "nothing deleted");
    let o = c.update(&v, &["--archive-cancelled", "--dry-run"]);
    assert_eq!(status(&o), ("cancelled", 7));
    assert_eq!(tables(&c.env), before, "a dry run archives nothing");
    let o = c.update(&v, &["--archive-cancelled"]);
    assert_eq!(status(&o), ("cancelled", 7), "{}", o.json);
    let order = rows(&tables(&c.env), "Order").into_iter().find(|o| s(&o["orderID"]) == po).unwrap();
    assert_eq!(s(&order["archived"]), "true");
    assert_eq!(counts(&c.env).4, 3, "no line deleted");
    // Archived (locked) and cancelled: cancelled.
    assert_eq!(status(&c.update(&v, &[])), ("cancelled", 7));
    assert_eq!(status(&c.update(&edited(), &[])), ("locked", 6), "archived: locked");
}

#[test]
fn locked_wins_over_needs_choice_and_writes_nothing() {
    let c = cli("cli-update");
    let po = c.export(&h01());
    // An added size whose UPC two live items share: a choice is needed.
    c.env.post(
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT, "items": [
            {"description": "Scarf XS A", "upc": "812345002034"},
            {"description": "Scarf XS B", "upc": "812345002034"},
        ]}]}),
    );
    let mut v = edited();
    let sizes = v["line_items"][1]["sizes"].as_array_mut().unwrap();
    let mut xs = sizes[0].clone();
    xs["size"] = json!("XS");
    xs["upc"] = json!("812345002034");
    sizes.push(xs);
    // And a conflict (units arrived above what the order now wants): needs_choice still wins.
    let line = first_line(&c, &po);
    receive(&c, &po, json!({"lines": [{"orderLineID": line, "numReceived": 10}]}));
    let before = tables(&c.env);
    let o = c.update(&v, &[]);
    assert_eq!(status(&o), ("needs_choice", 4), "{}", o.json);
    assert!(o.json["message"].as_str().unwrap().contains("choice"));
    assert_eq!(tables(&c.env), before);
    receive(&c, &po, json!({"receivedDate": "2026-09-15"}));
    let before = tables(&c.env);
    let o = c.update(&v, &[]);
    assert_eq!(status(&o), ("locked", 6), "{}", o.json);
    assert!(o.json["message"].as_str().unwrap().contains("checked in"), "{}", o.json);
    assert_eq!(tables(&c.env), before);
}

/// The merchant made the brand's change by hand: `unchanged` (no conflict, nothing written), and
/// from then on that value counts as written: the brand's next edit of the line is `updated`.
#[test]
fn a_change_the_merchant_already_made_is_unchanged_and_counts_as_written() {
    use po_bridge::lightspeed::{endpoints::UpdateOrderLine, native::block_on, OrderLineId, OrderLineWrite};
    let c = cli("cli-update");
    let po = c.export(&h01());
    let line = first_line(&c, &po);
    let client = c.env.static_client(po_bridge::core::clock::SystemClock, &c.token);
    let changes = OrderLineWrite { quantity: Some(8), ..OrderLineWrite::default() };
    block_on(client.one(&UpdateOrderLine { id: OrderLineId(line.parse().unwrap()), changes })).unwrap();
    let mut e = h01();
    set_qty(&mut e, 0, 0, 8);
    let before = tables(&c.env);
    let o = c.update(&e, &[]);
    assert_eq!(status(&o), ("unchanged", 0), "{}", o.json);
    assert_eq!(o.json["conflicts"], json!([]));
    assert_eq!(tables(&c.env), before, "nothing written");
    set_qty(&mut e, 0, 0, 10);
    let o = c.update(&e, &[]);
    assert_eq!(status(&o), ("updated", 0), "{}", o.json);
    assert_eq!(o.json["changes"]["quantity"], 1);
    let quantity = rows(&tables(&c.env), "OrderLine").into_iter().find(|l| s(&l["orderLineID"]) == line).unwrap();
    assert_eq!(s(&quantity["quantity"]), "10");
}

#[test]
fn partial_lists_conflicts_and_writes_the_rest() {
    let c = cli("cli-update");
    let po = c.export(&h01());
    let line = first_line(&c, &po);
    receive(&c, &po, json!({"lines": [{"orderLineID": line, "numReceived": 10}]}));
    let e = edited(); // tote 12 → 8, below the 10 received
    let before = tables(&c.env);
    let o = c.update(&e, &["--dry-run"]);
    assert_eq!(status(&o), ("preview", 0), "{}", o.json);
    assert_eq!(o.json["conflicts"].as_array().unwrap().len(), 1);
    assert_eq!(tables(&c.env), before);
    let o = c.update(&e, &[]);
    assert_eq!(status(&o), ("partial", 8), "{}", o.json);
    let conflict = &o.json["conflicts"][0];
    assert_eq!((conflict["wanted"].clone(), conflict["received"].clone()), (json!(8), json!(10)));
    assert!(conflict["item_id"].is_string());
    assert!(conflict["reason"].as_str().unwrap().contains("already arrived"), "{conflict}");
    assert_eq!(o.json["changes"]["removed"], 1, "the rest is written");
    assert_eq!(counts(&c.env).4, 2);
}

#[test]
fn failed_says_a_rerun_resumes_and_it_does() {
    let c = cli("cli-update");
    let po = c.export(&h01());
    // A conflict (10 tote units arrived, the order now wants 8) and a failing DELETE: failed wins.
    let line = first_line(&c, &po);
    receive(&c, &po, json!({"lines": [{"orderLineID": line, "numReceived": 10}]}));
    c.env.post(
        "/faults",
        json!({"method": "DELETE", "path": "/API/V3/Account/*/OrderLine/*", "kind": "500", "count": 20}),
    );
    let o = c.update(&edited(), &[]);
    assert_eq!(status(&o), ("failed", 1), "{}", o.json);
    assert!(o.json["message"].as_str().unwrap().contains("resumes"), "{}", o.json);
    c.env.control(po_bridge::lightspeed::http::Method::Delete, "/faults", json!({}));
    // The rerun resumes the stored update; it finishes (the conflict stays): partial.
    let o = c.update(&edited(), &[]);
    assert_eq!(status(&o), ("partial", 8), "{} {}", o.json, o.stderr);
    assert_eq!(o.json["po_id"], po.as_str());
    assert_eq!(o.json["changes"]["removed"], 1);
    assert_eq!(counts(&c.env).4, 2);
    let again = c.update(&edited(), &[]);
    assert_eq!(status(&again), ("partial", 8), "the conflict stays; nothing else to do: {}", again.json);
    // A refused token fails before anything is written.
    let o = c.update_with(&edited(), &[], &[("LIGHTSPEED_ACCESS_TOKEN", Some("nope"))]);
    assert_eq!(status(&o), ("failed", 1), "{}", o.json);
}

#[test]
fn without_the_state_file_lines_are_matched_by_item() {
    let c = cli("cli-update");
    let po = c.export(&h01());
    std::fs::remove_file(c.state()).unwrap();
    let o = c.update(&edited(), &[]);
    assert_eq!(status(&o), ("updated", 0), "{} {}", o.json, o.stderr);
    assert_eq!(o.json["po_id"], po.as_str());
    assert_eq!(o.json["changes"]["quantity"], 1);
    assert!(o.json["message"].as_str().unwrap().contains("matched by item"), "{}", o.json);
    let o = c.update(&edited(), &["--dry-run"]);
    assert_eq!(status(&o), ("preview", 0));
    assert_eq!(o.json["changes"], json!({"added": 0, "removed": 0, "quantity": 0, "price": 0, "header": 0}));
}

#[test]
fn an_unfinished_export_is_finished_first() {
    let c = cli("cli-update");
    c.env.post(
        "/faults",
        json!({"method": "POST", "path": "/API/V3/Account/*/OrderLine.json", "kind": "500", "count": 4}),
    );
    let (order, state) = (c.file("exported.json", &h01()), c.state());
    let o = parse_export(
        c.command(&["export", "--order", &order, "--shop", "1", "--state", &state], &[]).output().unwrap(),
    );
    assert_eq!(o["status"], "failed", "{o}");
    let before = tables(&c.env);
    let o = c.update(&edited(), &[]);
    assert_eq!(status(&o), ("failed", 1), "{}", o.json);
    assert!(o.json["message"].as_str().unwrap().contains("po-bridge export again"), "{}", o.json);
    assert_eq!(tables(&c.env), before, "nothing written");
}

fn parse_export(o: std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap()
}
