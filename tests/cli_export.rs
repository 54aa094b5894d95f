//! `po-bridge export` (the built binary) against the Lightspeed sandbox: every status of the
//! issue's table with its exit code, one JSON object on stdout, a sentence on stderr for non-zero
//! exits, nothing written where the table says so, and a failed run resumed by the next one.

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
    fn run_with(&self, args: &[&str], env: &[(&str, Option<&str>)]) -> Out {
        let mut args = args.to_vec();
        args.insert(0, "export");
        let o = self.command(&args, env).output().unwrap();
        let stdout = String::from_utf8(o.stdout).unwrap();
        let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "exactly one JSON object on stdout: {stdout:?}");
        let json: Value = serde_json::from_str(lines[0]).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = vec!["items", "lines", "message", "po_id", "po_url", "status", "vendor_id", "warning"];
        want.sort();
        let mut got = keys.clone();
        got.sort();
        assert_eq!(got, want);
        let code = o.status.code().unwrap();
        let stderr = String::from_utf8(o.stderr).unwrap();
        if code != 0 {
            assert!(!stderr.trim().is_empty(), "stderr explains exit {code}");
        }
        Out { code, json, stderr }
    }

    fn run(&self, args: &[&str]) -> Out {
        self.run_with(args, &[])
    }

    fn export(&self, order: &str, extra: &[&str]) -> Out {
        let order = fixture_path(&format!("orders/{order}.json"));
        let products = fixture_path("products.json");
        let state = self.state();
        let mut args = vec!["--order", &order, "--products", &products, "--shop", "1", "--state", &state];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

fn status(o: &Out) -> (&str, i32) {
    (o.json["status"].as_str().unwrap(), o.code)
}

#[test]
fn exported_then_already_exported() {
    let c = cli("cli");
    let o = c.export("h01-basic-all-upcs", &[]);
    assert_eq!(status(&o), ("exported", 0), "{} {}", o.json, o.stderr);
    let po = o.json["po_id"].as_str().unwrap().to_string();
    assert_eq!(
        o.json["po_url"],
        format!("https://us.merchantos.com/?name=purchase.views.purchase&form_name=view&id={po}&tab=main")
    );
    assert!(o.json["vendor_id"].is_string());
    assert_eq!(o.json["lines"], 3);
    assert_eq!(o.json["items"], json!({"confirmed": 0, "matched": 0, "created": 3, "needs_choice": 0}));
    assert_eq!(o.json["message"], Value::Null);
    assert_eq!(counts(&c.env), (3, 2, 7, 1, 3));
    // The state file holds the links and the finished journal.
    let state: Value = serde_json::from_str(&std::fs::read_to_string(c.state()).unwrap()).unwrap();
    assert_eq!(state["links"][ACCT]["items"].as_array().unwrap().len(), 3);

    let before = tables(&c.env);
    for extra in [&[][..], &["--dry-run"][..]] {
        let o = c.export("h01-basic-all-upcs", extra);
        assert_eq!(status(&o), ("already_exported", 3), "{}", o.json);
        assert_eq!(o.json["po_id"], po);
        assert!(o.stderr.contains("already"), "{}", o.stderr);
    }
    assert_eq!(tables(&c.env), before, "nothing written");

    // A second order with the same products: Confirmed, nothing new but the PO.
    let mut v = order_json("h01-basic-all-upcs");
    v["_id"] = json!("6f3a9c21d4e5b607182900ac");
    v["order_number"] = json!("40718897");
    let second = c.file("second.json", &v);
    let (products, state) = (fixture_path("products.json"), c.state());
    let o = c.run(&["--order", &second, "--products", &products, "--shop", "1", "--state", &state]);
    assert_eq!(status(&o), ("exported", 0), "{}", o.json);
    assert_eq!(o.json["items"], json!({"confirmed": 3, "matched": 0, "created": 0, "needs_choice": 0}));
    assert_eq!(counts(&c.env), (3, 2, 7, 2, 6));
}

#[test]
fn preview_writes_nothing() {
    let c = cli("cli");
    let before = tables(&c.env);
    let o = c.export("h02-two-colors-missing-upcs", &["--dry-run"]);
    assert_eq!(status(&o), ("preview", 0), "{}", o.json);
    assert_eq!(o.json["po_id"], Value::Null);
    assert_eq!(o.json["po_url"], Value::Null);
    assert_eq!(o.json["vendor_id"], Value::Null, "the vendor would be new");
    assert_eq!(o.json["lines"], 7);
    assert_eq!(o.json["items"], json!({"confirmed": 0, "matched": 0, "created": 7, "needs_choice": 0}));
    assert_eq!(o.json["message"], Value::Null);
    assert_eq!(o.json["warning"], Value::Null, "a USD order into a USD account");
    assert!(!o.stderr.contains("warning"), "{}", o.stderr);
    assert_eq!(tables(&c.env), before);
    // Matched rows count as matched (m02: three UPC matches, one via leading zeros).
    let o = c.export("m02-leading-zero-upcs", &["--dry-run", "--brand", "Harbor Goods Co."]);
    assert_eq!(status(&o), ("preview", 0), "{}", o.json);
    assert_eq!(o.json["vendor_id"], "1");
    assert_eq!(o.json["items"]["matched"], 1);
    assert_eq!(o.json["items"]["created"], 2);
}

#[test]
fn an_order_in_another_currency_than_the_accounts_is_warned_in_preview_and_export() {
    let c = cli("cli-currency");
    c.env.post("/seed", json!({"replace": false, "accounts": [{"accountID": ACCT, "currency": "CAD"}]}));
    for extra in [&["--dry-run"][..], &[][..]] {
        let o = c.export("h01-basic-all-upcs", extra);
        assert!(matches!(status(&o), ("preview", 0) | ("exported", 0)), "{}", o.json);
        let warning = o.json["warning"].as_str().unwrap_or_default();
        assert!(
            warning.starts_with("This order is in USD, but your Lightspeed account keeps costs in CAD."),
            "{}",
            o.json
        );
        assert!(o.stderr.contains(&format!("po-bridge: warning: {warning}")), "{}", o.stderr);
    }
    // Already exported: nothing is written, so there is nothing to warn about.
    let o = c.export("h01-basic-all-upcs", &[]);
    assert_eq!((status(&o), &o.json["warning"]), (("already_exported", 3), &Value::Null));
    // A EUR order into a USD account: warned, and its new item takes the brand's USD retail (95),
    // not the EUR one (89).
    let c = cli("cli-currency-retail");
    let o = c.export("m01-eur-ean13", &[]);
    assert_eq!(status(&o), ("exported", 0), "{}", o.json);
    assert!(o.json["warning"].as_str().is_some_and(|w| w.starts_with("This order is in EUR")), "{}", o.json);
    let items = rows(&tables(&c.env), "Item");
    let scarf = items.iter().find(|i| i["ean"] == "3760123450010").expect("the scarf created");
    assert_eq!(scarf["Prices"][0]["amount"], "95", "{}", scarf["Prices"]);
}

#[test]
fn invalid_inputs_name_the_field_and_write_nothing() {
    let c = cli("cli");
    let before = tables(&c.env);
    let state = c.state();
    let products = fixture_path("products.json");

    // A hostile order: a fractional quantity on line 2, size row 1.
    let mut v = order_json("h01-basic-all-upcs");
    v["line_items"][1]["sizes"][0]["quantity"] = json!("2.5");
    let bad = c.file("bad.json", &v);
    let o = c.run(&["--order", &bad, "--shop", "1", "--state", &state]);
    assert_eq!(status(&o), ("invalid", 2), "{}", o.json);
    let m = o.json["message"].as_str().unwrap();
    assert!(m.contains("quantity") && m.contains("line 2"), "{m}");

    // Not JSON, deeply nested, and a huge quantity.
    let junk = c.dir.join("junk.json");
    std::fs::write(&junk, "{\"_id\": ").unwrap();
    let deep = c.dir.join("deep.json");
    std::fs::write(&deep, "[".repeat(100_000)).unwrap();
    let mut huge = order_json("h01-basic-all-upcs");
    huge["line_items"][0]["sizes"][0]["quantity"] = json!(1_000_000_000u64);
    let huge = c.file("huge.json", &huge);
    for (path, needle) in [
        (junk.to_string_lossy().into_owned(), "JSON"),
        (deep.to_string_lossy().into_owned(), "deep"),
        (huge, "quantity"),
    ] {
        let o = c.run(&["--order", &path, "--shop", "1", "--state", &state]);
        assert_eq!(status(&o), ("invalid", 2), "{}", o.json);
        assert!(o.json["message"].as_str().unwrap().contains(needle), "{}", o.json);
    }

    // Bad products.
    let bad_products =
        c.file("products.json", &json!([{"_id": "x", "style_number": "S", "pricing": {"USD": {"retail": "-4"}}}]));
    let order = fixture_path("orders/h01-basic-all-upcs.json");
    let o = c.run(&["--order", &order, "--products", &bad_products, "--shop", "1", "--state", &state]);
    assert_eq!(status(&o), ("invalid", 2), "{}", o.json);
    assert!(o.json["message"].as_str().unwrap().contains("retail"), "{}", o.json);

    // No brand on the order and none given.
    let m02 = fixture_path("orders/m02-leading-zero-upcs.json");
    let o = c.run(&["--order", &m02, "--shop", "1", "--state", &state]);
    assert_eq!(status(&o), ("invalid", 2), "{}", o.json);
    assert!(o.json["message"].as_str().unwrap().contains("--brand"), "{}", o.json);

    // A cancelled order (h05: its lines stay, 10 units): nothing to export.
    let h05 = fixture_path("orders/h05-cancelled.json");
    let o = c.run(&["--order", &h05, "--products", &products, "--shop", "1", "--state", &state]);
    assert_eq!(status(&o), ("invalid", 2), "{}", o.json);
    assert!(o.json["message"].as_str().unwrap().contains("cancelled in NuORDER"), "{}", o.json);

    // Unknown, archived and malformed shops.
    for (shop, needle) in [("99", "no such shop"), ("3", "archived"), ("main", "shop id")] {
        let o = c.run(&["--order", &order, "--products", &products, "--shop", shop, "--state", &state]);
        assert_eq!(status(&o), ("invalid", 2), "{shop}: {}", o.json);
        assert!(o.json["message"].as_str().unwrap().contains(needle), "{}", o.json);
    }
    // Bad usage.
    let o = c.run(&["--order", &order, "--state", &state]);
    assert_eq!(status(&o), ("invalid", 2));
    assert_eq!(tables(&c.env), before, "nothing written");
}

#[test]
fn needs_choice_writes_nothing() {
    let c = cli("cli");
    // Two live POS items share the tote's UPC.
    c.env.post(
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT, "items": [
            {"description": "Tote A", "upc": "812345001013"},
            {"description": "Tote B", "upc": "812345001013"},
        ]}]}),
    );
    let before = tables(&c.env);
    let o = c.export("h01-basic-all-upcs", &[]);
    assert_eq!(status(&o), ("needs_choice", 4), "{}", o.json);
    assert_eq!(o.json["items"]["needs_choice"], 1);
    assert_eq!(o.json["items"]["created"], 2);
    assert!(o.json["message"].as_str().unwrap().contains("TOTE-22"), "{}", o.json);
    assert!(o.stderr.contains("choice"));
    assert_eq!(tables(&c.env), before);
}

#[test]
fn failed_says_whether_a_rerun_resumes_and_it_does() {
    let c = cli("cli");
    // Every line POST fails with an unknown outcome (nothing written) more often than a job
    // tolerates in one run.
    c.env.post(
        "/faults",
        json!({"method": "POST", "path": "/API/V3/Account/*/OrderLine.json", "kind": "500", "count": 4}),
    );
    let o = c.export("h02-two-colors-missing-upcs", &[]);
    assert_eq!(status(&o), ("failed", 1), "{}", o.json);
    let m = o.json["message"].as_str().unwrap();
    assert!(m.contains("resumes"), "{m}");
    assert!(o.json["po_id"].is_string(), "the PO exists: {}", o.json);
    assert_eq!(counts(&c.env).3, 1);
    // The rerun resumes from STATE.json and finishes the same PO.
    let o2 = c.export("h02-two-colors-missing-upcs", &[]);
    assert_eq!(status(&o2), ("exported", 0), "{} {}", o2.json, o2.stderr);
    assert_eq!(o2.json["po_id"], o.json["po_id"]);
    assert_eq!(o2.json["lines"], 7);
    assert_eq!(o2.json["items"]["created"], 7);
    assert_eq!(counts(&c.env), (3, 2, 11, 1, 7));

    // Other failures: a refused token, a missing token, an unreachable API.
    let order = fixture_path("orders/h01-basic-all-upcs.json");
    let state = c.state();
    let args = ["--order", order.as_str(), "--shop", "1", "--state", state.as_str()];
    let o = c.run_with(&args, &[("LIGHTSPEED_ACCESS_TOKEN", Some("nope"))]);
    assert_eq!(status(&o), ("failed", 1), "{}", o.json);
    assert!(o.json["message"].as_str().unwrap().contains("LIGHTSPEED_ACCESS_TOKEN"));
    let o = c.run_with(&args, &[("LIGHTSPEED_ACCESS_TOKEN", None)]);
    assert_eq!(status(&o), ("failed", 1), "{}", o.json);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let o = c.run_with(&args, &[("LIGHTSPEED_API_BASE", Some(&dead)), ("LIGHTSPEED_ACCOUNT_ID", Some(ACCT))]);
    assert_eq!(status(&o), ("failed", 1), "{}", o.json);
    assert!(o.json["message"].as_str().unwrap().contains("again"), "{}", o.json);
}

#[test]
fn a_corrupt_state_file_is_never_overwritten() {
    let c = cli("cli");
    std::fs::write(c.state(), "{ half a file").unwrap();
    let o = c.export("h01-basic-all-upcs", &[]);
    assert_eq!(status(&o), ("failed", 1), "{}", o.json);
    assert_eq!(std::fs::read_to_string(c.state()).unwrap(), "{ half a file");
    assert_eq!(counts(&c.env).3, 0);
}
