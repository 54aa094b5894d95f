//! `po-bridge export` with several `--order`s (issue 19, item 4), the built binary against the
//! Lightspeed sandbox: one JSON line per order in the single-order shape plus `order_number`, in
//! the given order; shared new items made once; an invalid order gets its line and the others
//! export; `--brand` once or once per order; a refused token gives every order a `failed` line;
//! the exit code is 0 when every order is done, else the first order's that is not.

mod cli_support;
mod client_support;
mod export_run_support;
use cli_support::*;
use export_run_support::*;

use serde_json::{json, Value};

struct Out {
    code: i32,
    lines: Vec<Value>,
    stderr: String,
}

impl Cli {
    /// A fixture order as another order (`_id` suffix, number) with only the line items at `lines`.
    fn variant(&self, base: &str, n: u32, lines: &[usize], edit: impl Fn(&mut Value)) -> String {
        let mut v = order_json(base);
        v["_id"] = format!("{}{n:02}", &v["_id"].as_str().unwrap()[..22]).into();
        v["order_number"] = format!("6000{n:04}").into();
        let all = v["line_items"].as_array().unwrap().clone();
        v["line_items"] = lines.iter().map(|&i| all[i].clone()).collect::<Vec<_>>().into();
        edit(&mut v);
        self.file(&format!("order-{n}.json"), &v)
    }

    fn run_with(&self, args: &[&str], token: &str) -> Out {
        let mut args = args.to_vec();
        args.insert(0, "export");
        let o = self.command(&args, &[("LIGHTSPEED_ACCESS_TOKEN", Some(token))]).output().unwrap();
        let stdout = String::from_utf8(o.stdout).unwrap();
        let lines: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
        let mut want =
            vec!["items", "lines", "message", "order_number", "po_id", "po_url", "status", "vendor_id", "warning"];
        want.sort();
        for l in &lines {
            let mut got: Vec<&str> = l.as_object().unwrap().keys().map(String::as_str).collect();
            got.sort();
            assert_eq!(got, want, "{l}");
        }
        let code = o.status.code().unwrap();
        let stderr = String::from_utf8(o.stderr).unwrap();
        if code != 0 {
            assert!(!stderr.trim().is_empty(), "stderr explains exit {code}");
        }
        Out { code, lines, stderr }
    }

    /// `export` with these orders (and `extra`), the products file given twice.
    fn batch(&self, orders: &[&str], extra: &[&str]) -> Out {
        let products = fixture_path("products.json");
        let state = self.state();
        let mut args: Vec<&str> = Vec::new();
        for o in orders {
            args.extend(["--order", o]);
        }
        args.extend(["--products", &products, "--products", &products, "--shop", "1", "--state", &state]);
        args.extend_from_slice(extra);
        self.run_with(&args, &self.token)
    }
}

fn statuses(o: &Out) -> Vec<(&str, &str)> {
    o.lines.iter().map(|l| (l["order_number"].as_str().unwrap_or("-"), l["status"].as_str().unwrap())).collect()
}

#[test]
fn a_batch_prints_one_line_per_order_and_makes_shared_items_once() {
    let c = cli("cli-batch");
    let a = c.variant("h02-two-colors-missing-upcs", 1, &[0], |_| {});
    let b = c.variant("h02-two-colors-missing-upcs", 2, &[0, 1], |_| {});
    let h01 = c.variant("h01-basic-all-upcs", 3, &[0, 1], |_| {});
    let o = c.batch(&[&a, &b, &h01], &["--dry-run"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(statuses(&o), [("60000001", "preview"), ("60000002", "preview"), ("60000003", "preview")]);
    assert_eq!(counts(&c.env), (2, 0, 4, 0, 0), "a dry run writes nothing");

    let o = c.batch(&[&a, &b, &h01], &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(statuses(&o), [("60000001", "exported"), ("60000002", "exported"), ("60000003", "exported")]);
    assert_eq!((o.lines[0]["lines"].clone(), o.lines[1]["lines"].clone()), (json!(4), json!(7)));
    assert_eq!(o.lines[1]["items"]["created"], 7, "the plan's counts");
    // h02's 7 new items once (the second order reuses the first's NAVY), h01's 3; 3 POs.
    assert_eq!(counts(&c.env), (3, 4, 14, 3, 4 + 7 + 3));
    for code in ["812345003017", "812345003024", "812345003031", "812345003116", "812345003123"] {
        assert_eq!(items_with_code(&c.env, code).len(), 1, "{code}");
    }
    // Again: every order already exported, which in a batch is done (exit 0); nothing written.
    let before = tables(&c.env);
    let o = c.batch(&[&a, &b, &h01], &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(statuses(&o).iter().all(|(_, s)| *s == "already_exported"), "{:?}", statuses(&o));
    assert_eq!(tables(&c.env), before);
}

#[test]
fn each_order_in_another_currency_than_the_accounts_is_warned_on_its_line() {
    let c = cli("cli-batch-currency");
    let usd = c.variant("h01-basic-all-upcs", 1, &[0], |_| {});
    let eur = c.variant("m01-eur-ean13", 2, &[0], |_| {});
    let o = c.batch(&[&usd, &eur], &[]);
    assert_eq!(statuses(&o), [("60000001", "exported"), ("60000002", "exported")], "{}", o.stderr);
    assert_eq!(o.lines[0]["warning"], Value::Null, "the USD order: {}", o.lines[0]);
    assert!(!o.stderr.contains("order 60000001"), "{}", o.stderr);
    let warning = o.lines[1]["warning"].as_str().unwrap_or_default();
    assert!(
        warning.starts_with("This order is in EUR, but your Lightspeed account keeps costs in USD."),
        "{}",
        o.lines[1]
    );
    assert!(o.stderr.contains(&format!("po-bridge: order 60000002: warning: {warning}")), "{}", o.stderr);
    // Its new item takes the brand's USD retail (95), not the EUR one (89).
    let items = rows(&tables(&c.env), "Item");
    let scarf = items.iter().find(|i| i["ean"] == "3760123450010").expect("the scarf created");
    assert_eq!(scarf["Prices"][0]["amount"], "95", "{}", scarf["Prices"]);
}

#[test]
fn an_invalid_order_gets_its_line_and_the_others_export() {
    let c = cli("cli-batch");
    let a = c.variant("h01-basic-all-upcs", 1, &[0], |_| {});
    let bad = c.variant("h01-basic-all-upcs", 2, &[1], |v| v["line_items"][0]["sizes"][0]["quantity"] = json!("2.5"));
    let empty = c.variant("h01-basic-all-upcs", 3, &[1], |v| {
        for s in v["line_items"][0]["sizes"].as_array_mut().unwrap() {
            s["quantity"] = json!(0);
        }
    });
    let d = c.variant("h01-basic-all-upcs", 4, &[1], |_| {});
    let o = c.batch(&[&a, &bad, &empty, &d, &a], &[]);
    let got: Vec<&str> = statuses(&o).iter().map(|(_, s)| *s).collect();
    assert_eq!(got, ["exported", "invalid", "invalid", "exported", "invalid"]);
    assert_eq!(o.lines[1]["order_number"], Value::Null, "the file was not readable as an order");
    assert_eq!(o.lines[2]["order_number"], "60000003");
    assert!(o.lines[4]["message"].as_str().unwrap().contains("twice"), "{}", o.lines[4]);
    assert_eq!(o.code, 2, "the first order not done was invalid");
    assert!(o.stderr.contains("invalid"), "{}", o.stderr);
    assert_eq!(counts(&c.env).3, 2);
}

#[test]
fn brand_once_or_once_per_order() {
    let c = cli("cli-batch");
    let m02 = |n| c.variant("m02-leading-zero-upcs", n, &[0], |_| {});
    let (a, b, d) = (m02(1), m02(2), m02(3));
    // Twice for three orders: refused before anything is asked.
    let o = c.batch(&[&a, &b, &d], &["--brand", "X", "--brand", "Y", "--dry-run"]);
    assert_eq!(o.code, 2);
    assert!(o.lines.iter().all(|l| l["status"] == "invalid" && l["message"].as_str().unwrap().contains("--brand")));
    // Once: every order; once per order: the i-th for the i-th.
    let o = c.batch(&[&a, &b], &["--brand", "Harbor Goods Co.", "--dry-run"]);
    assert_eq!((o.code, o.lines[0]["vendor_id"].clone(), o.lines[1]["vendor_id"].clone()), (0, json!("1"), json!("1")));
    let o = c.batch(
        &[&a, &b, &d],
        &["--brand", "Harbor Goods Co.", "--brand", "Nobody", "--brand", "Harbor Goods Co.", "--dry-run"],
    );
    let vendors: Vec<Value> = o.lines.iter().map(|l| l["vendor_id"].clone()).collect();
    assert_eq!(vendors, [json!("1"), Value::Null, json!("1")], "the second brand's vendor would be new");
}

#[test]
fn a_refused_token_gives_every_order_a_failed_line() {
    let c = cli("cli-batch");
    let a = c.variant("h01-basic-all-upcs", 1, &[0], |_| {});
    let b = c.variant("h01-basic-all-upcs", 2, &[1], |_| {});
    let state = c.state();
    let o = c.run_with(&["--order", &a, "--order", &b, "--shop", "1", "--state", &state], "not-a-token");
    assert_eq!(statuses(&o), [("60000001", "failed"), ("60000002", "failed")]);
    assert_eq!(o.code, 1);
    assert_eq!(counts(&c.env).3, 0);
}
