//! The runner against the Lightspeed sandbox: the first export creates vendor, matrices, items
//! and one PO with the right lines; a second order reuses the items (Confirmed); existing items
//! are matched by UPC, EAN, leading zeros and SKU; a merged-away item becomes Needs choice;
//! exporting twice writes nothing; a first-party PO (`b2bOrderNumber`) counts as exported; a
//! preview round's reads go out at once.

mod client_support;
mod export_run_support;
use client_support::*;
use export_run_support::*;

use po_bridge::export::journal::{JournalStore, MemoryStore};
use po_bridge::export::plan::{ChoiceReason, RowKey, RowStatus, SkuVia};
use po_bridge::export::runner::{exported_orders, preview, run_export, RunOutcome};
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::ItemId;
use serde_json::json;

fn row<'a>(p: &'a po_bridge::export::plan::Plan, product: &str, size: &str) -> &'a po_bridge::export::plan::PlanRow {
    p.row(&RowKey::new(product, size)).unwrap_or_else(|| panic!("row {product}/{size}"))
}

#[test]
fn first_export_creates_vendor_matrices_items_and_one_po() {
    let (env, client) = setup();
    let store = MemoryStore::new();
    assert_eq!(counts(&env), (2, 0, 4, 0, 0));
    let st = staged(order("h02-two-colors-missing-upcs"));
    let mut saves = 0usize;
    let p = block_on(preview(&client, &store, ACCT, &st)).unwrap();
    assert_eq!(p.existing_po, None);
    assert_eq!(p.plan.counts.new, 7, "{:?}", p.plan.counts);
    assert_eq!(counts(&env), (2, 0, 4, 0, 0), "preview writes nothing");
    let start = po_bridge::export::runner::StartJob {
        staged: st.clone(),
        plan: p.plan.clone(),
        shop_id: po_bridge::lightspeed::ShopId(1),
        today: "2026-11-27".into(),
    };
    let out = block_on(run_export(&client, &store, &key(&st.order), Some(start), &mut |_| saves += 1)).unwrap();
    let RunOutcome::Exported { po_id } = out else { panic!("{out:?}") };
    // 1 vendor, 2 matrices (NAVY, OATMEAL), 7 items (OATMEAL XL has quantity 0), 1 PO, 7 lines.
    assert_eq!(counts(&env), (3, 2, 11, 1, 7));
    // Writes: vendor, the 2 matrices (one wave), the 7 items (one wave), PO, 7 lines, Ordered mark.
    assert!(saves >= 2 * 12, "journal saved before and after every write (wave): {saves}");

    let t = tables(&env);
    let po = &t["Order"][po_id.0.to_string()];
    assert_eq!(po["refNum"], "NuORDER 40718822");
    assert_eq!(po["b2bOrderNumber"], "40718822");
    assert_eq!(po["shopID"], "1");
    let vendor = rows(&t, "Vendor")
        .into_iter()
        .find(|v| v["name"] == "Harbor Goods")
        .expect("vendor created with the brand name");
    assert_eq!(po["vendorID"], vendor["vendorID"]);
    assert!(s(&po["orderedDate"]).starts_with("2026-"), "{po}");

    let lines = po_lines(&env, po_id.0);
    assert_eq!(lines.len(), 7);
    let qty: i64 = lines.iter().map(|l| l.1).sum();
    assert_eq!(qty, 4 + 6 + 6 + 2 + 3 + 3 + 2);
    assert!(lines.iter().all(|l| cents(&l.2) == 1150 && cents(&l.3) == 1150));

    // The NAVY S item: its code, style number, vendor, vendor number and matrix.
    let navy_s = items_with_code(&env, "812345003017");
    assert_eq!(navy_s.len(), 1);
    let i = &navy_s[0];
    assert_eq!(i["upc"], "812345003017");
    assert_eq!(i["manufacturerSku"], "TEE-101");
    assert_eq!(i["defaultVendorID"], vendor["vendorID"]);
    assert_ne!(s(&i["itemMatrixID"]), "0");
    assert!(i.to_string().contains("TEE-101-NVY"), "vendor number: {i}");
    assert_eq!(cents(&s(&i["defaultCost"])), 1150);

    // Links saved: 7 rows + the brand.
    let links = block_on(store.load_links(ACCT)).unwrap();
    assert_eq!(links.items.len(), 7);
    assert_eq!(links.vendors["Harbor Goods"].0.to_string(), s(&vendor["vendorID"]));
}

#[test]
fn discount_prepacks_shipping_and_surcharge_reach_the_po() {
    let (env, client) = setup();
    let store = MemoryStore::new();
    let (_, out) = export(&client, &store, &staged(order("h04-discount-surcharge-shipping")));
    let RunOutcome::Exported { po_id } = out else { panic!("{out:?}") };
    let lines = po_lines(&env, po_id.0);
    let mut got: Vec<(i64, i64)> = lines.iter().map(|l| (l.1, cents(&l.2))).collect();
    got.sort();
    // 60.80 less 10 % = 54.72; 8.25 less 10 % = 7.425 → 7.43.
    assert_eq!(got, vec![(4, 5472), (24, 743)]);

    let (_, out) = export(&client, &store, &staged(order("h03-prepacks")));
    let RunOutcome::Exported { po_id } = out else { panic!("{out:?}") };
    let mut q: Vec<i64> = po_lines(&env, po_id.0).iter().map(|l| l.1).collect();
    q.sort();
    // 4 × 6, 2 × 6, 3 × 12, 5, 5.
    assert_eq!(q, vec![5, 5, 12, 24, 36]);
}

#[test]
fn a_second_order_with_the_same_products_reuses_them() {
    let (env, client) = setup();
    let store = MemoryStore::new();
    let (_, out) = export(&client, &store, &staged(order("h01-basic-all-upcs")));
    assert!(matches!(out, RunOutcome::Exported { .. }), "{out:?}");
    let after_first = counts(&env);
    assert_eq!(after_first, (3, 2, 7, 1, 3));

    let mut v = order_json("h01-basic-all-upcs");
    v["_id"] = json!("6f3a9c21d4e5b607182900aa");
    v["order_number"] = json!("40718899");
    let st = staged(order_from(&v));
    let (p, out) = export(&client, &store, &st);
    assert_eq!(p.plan.counts.confirmed, 3, "{:?}", p.plan.counts);
    assert!(matches!(p.plan.vendor, po_bridge::export::plan::VendorPlan::Existing { .. }));
    let RunOutcome::Exported { po_id } = out else { panic!("{out:?}") };
    // No new vendor, matrix or item: one more PO with three lines.
    assert_eq!(counts(&env), (3, 2, 7, 2, 6));
    assert_eq!(po_lines(&env, po_id.0).len(), 3);
}

#[test]
fn existing_items_match_by_upc_ean_leading_zeros_and_sku() {
    let (env, client) = setup();
    let ids = env.post(
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT,
            "vendors": [{"name": "Harbor Goods"}],
        }]}),
    );
    let vendor = s(&ids["accounts"][0]["created"]["Vendor"][0]);
    assert!(!vendor.is_empty(), "{ids}");
    env.post(
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT, "items": [
            // m01 FOU-210 TU's EAN-13 `3760123450010` stored as its zero-padded GTIN-14 (the
            // sandbox, like Lightspeed, compares codes as text: only that form finds it).
            {"description": "Foulard bleu", "ean": "03760123450010"},
            // m02 300g `003600029143` stored without its leading zeros as an 11-digit UPC.
            {"description": "Bougie 300g", "upc": "03600029143"},
            // m02 600g `0012345000065` (EAN-13 with leading zeros) stored as the 12-digit UPC.
            {"description": "Bougie 600g", "upc": "012345000065"},
            // h02 NAVY XL has no code: vendor number for this vendor + size.
            {"description": "Pocket Tee Navy XL (POS)", "manufacturerSku": "OTHER",
             "ItemAttributes": {"itemAttributeSetID": "1", "attribute1": "NAVY", "attribute2": "XL"},
             "ItemVendorNums": {"ItemVendorNum": {"vendorID": vendor, "value": "TEE-101-NVY"}}},
            // h02 OATMEAL L has "N/A": manufacturer SKU + color + size.
            {"description": "Pocket Tee Oatmeal L (POS)", "manufacturerSku": "TEE-101",
             "ItemAttributes": {"itemAttributeSetID": "1", "attribute1": "Oatmeal", "attribute2": "L"}},
        ]}]}),
    );
    let store = MemoryStore::new();
    let before = counts(&env);

    // UPC (exact, seed item 1) and leading zeros both ways (m02).
    let mut st = staged(order("m02-leading-zero-upcs"));
    st.brand = po_bridge::export::plan::BrandContext::named("Harbor Goods");
    let (p, out) = export(&client, &store, &st);
    let pid = "6512ab34cd56ef7890a10036";
    assert_eq!(row(&p.plan, pid, "180g").status, RowStatus::UpcMatch { item_id: ItemId(1) });
    assert!(matches!(row(&p.plan, pid, "300g").status, RowStatus::UpcMatch { .. }));
    assert!(matches!(row(&p.plan, pid, "600g").status, RowStatus::UpcMatch { .. }));
    assert!(matches!(out, RunOutcome::Exported { .. }), "{out:?}");
    let (v, m, i, o, l) = counts(&env);
    assert_eq!((v, m, i, o, l), (before.0, before.1, before.2, 1, 3), "nothing created but the PO");

    // EAN, as its GTIN-14 (m01 FOU-210); POC-330 is new.
    let (p, _) = export(&client, &store, &staged(order("m01-eur-ean13")));
    assert!(matches!(row(&p.plan, "6512ab34cd56ef7890a10034", "TU").status, RowStatus::UpcMatch { .. }));
    assert_eq!(p.plan.counts.new, 2);

    // SKU when the code is missing (h02 NAVY XL by vendor number, OATMEAL L by manufacturer SKU).
    let (p, out) = export(&client, &store, &staged(order("h02-two-colors-missing-upcs")));
    assert!(
        matches!(
            row(&p.plan, "6512ab34cd56ef7890a10003", "XL").status,
            RowStatus::SkuMatch { via: SkuVia::VendorNumber, .. }
        ),
        "{:?}",
        row(&p.plan, "6512ab34cd56ef7890a10003", "XL").status
    );
    assert!(
        matches!(
            row(&p.plan, "6512ab34cd56ef7890a10004", "L").status,
            RowStatus::SkuMatch { via: SkuVia::ManufacturerSku, .. }
        ),
        "{:?}",
        row(&p.plan, "6512ab34cd56ef7890a10004", "L").status
    );
    assert_eq!(p.plan.counts.new, 5);
    assert!(matches!(out, RunOutcome::Exported { .. }), "{out:?}");
}

#[test]
fn a_merged_away_item_needs_a_choice_and_is_never_recreated() {
    let (env, client) = setup();
    let store = MemoryStore::new();
    let (_, out) = export(&client, &store, &staged(order("h01-basic-all-upcs")));
    assert!(matches!(out, RunOutcome::Exported { .. }));
    let tote = items_with_code(&env, "812345001013");
    assert_eq!(tote.len(), 1);
    let tote_id: u64 = s(&tote[0]["itemID"]).parse().unwrap();
    // The merchant merges our tote into their own (seed item 1).
    env.post("/merge", json!({"from": tote_id, "into": 1}));
    let before = counts(&env);

    let mut v = order_json("h01-basic-all-upcs");
    v["_id"] = json!("6f3a9c21d4e5b607182900ab");
    v["order_number"] = json!("40718898");
    let st = staged(order_from(&v));
    let (p, out) = export(&client, &store, &st);
    let r = row(&p.plan, "6512ab34cd56ef7890a10001", "OS");
    match &r.status {
        RowStatus::NeedsChoice { reason, .. } => {
            assert_eq!(*reason, ChoiceReason::LinkVanished { item_id: ItemId(tote_id), archived: true })
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(out, RunOutcome::NeedsChoice { rows: 1 });
    assert_eq!(counts(&env), before, "nothing written");
    assert_eq!(items_with_code(&env, "812345001013").len(), 1, "no duplicate");
}

#[test]
fn exporting_twice_writes_nothing() {
    let (env, client) = setup();
    let store = MemoryStore::new();
    let st = staged(order("h01-basic-all-upcs"));
    let (_, out) = export(&client, &store, &st);
    let RunOutcome::Exported { po_id } = out else { panic!("{out:?}") };
    let before = tables(&env);
    // Through the preview: Lightspeed has the PO.
    let (p, out) = export(&client, &store, &st);
    assert_eq!(p.existing_po, Some(po_id));
    assert_eq!(out, RunOutcome::AlreadyExported { po_id });
    // Straight to run_export: the stored job is finished.
    let again = block_on(run_export(&client, &store, &key(&st.order), None, &mut |_| {})).unwrap();
    assert_eq!(again, RunOutcome::Exported { po_id });
    // A fresh store (another browser profile) starting a new job: its check finds the PO.
    let other = MemoryStore::new();
    let start = po_bridge::export::runner::StartJob {
        staged: st.clone(),
        plan: p.plan.clone(),
        shop_id: po_bridge::lightspeed::ShopId(1),
        today: "2026-11-27".into(),
    };
    let out = block_on(run_export(&client, &other, &key(&st.order), Some(start), &mut |_| {})).unwrap();
    assert_eq!(out, RunOutcome::AlreadyExported { po_id });
    assert_eq!(tables(&env), before, "not one record changed");
}

#[test]
fn a_first_party_po_counts_as_exported() {
    let (env, client) = setup();
    env.post(
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT, "orders": [
            {"vendorID": "1", "shopID": "1", "b2bOrderNumber": "40718821", "refNum": "PO-from-NuORDER"},
            {"vendorID": "1", "shopID": "1", "refNum": "NuORDER 40718823", "archived": true},
        ]}]}),
    );
    let store = MemoryStore::new();
    let before = tables(&env);
    let (p, out) = export(&client, &store, &staged(order("h01-basic-all-upcs")));
    let Some(po) = p.existing_po else { panic!("first-party PO not found") };
    assert_eq!(out, RunOutcome::AlreadyExported { po_id: po });
    assert_eq!(tables(&env), before);

    let found =
        block_on(exported_orders(&client, &["40718821".into(), "40718822".into(), "#40718823".into()])).unwrap();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found["40718821"], po);
    assert!(found.contains_key("#40718823"), "archived PO counts: {found:?}");
}

#[test]
fn exported_orders_batches_over_100_numbers() {
    let (env, client) = setup();
    let orders: Vec<_> = (0..150)
        .map(|i| json!({"vendorID": "1", "shopID": "1", "refNum": format!("NuORDER {}", 70000000 + i)}))
        .collect();
    env.post("/seed", json!({"replace": false, "accounts": [{"accountID": ACCT, "orders": orders}]}));
    let numbers: Vec<String> = (0..250).map(|i| (70000000 + i).to_string()).collect();
    let found = block_on(exported_orders(&client, &numbers)).unwrap();
    assert_eq!(found.len(), 150);
    assert!(found.contains_key("70000149") && !found.contains_key("70000150"));
}

#[test]
fn hostile_text_is_exported_as_data_in_its_own_currency() {
    let (env, client) = setup();
    let store = MemoryStore::new();
    let (_, out) = export(&client, &store, &staged(order("h07-hostile-text-cad")));
    let RunOutcome::Exported { po_id } = out else { panic!("{out:?}") };
    let t = tables(&env);
    let item = items_with_code(&env, "812345010015");
    assert_eq!(item.len(), 1);
    let matrix =
        rows(&t, "ItemMatrix").into_iter().find(|m| s(&m["itemMatrixID"]) == s(&item[0]["itemMatrixID"])).unwrap();
    assert!(
        s(&matrix["description"]).starts_with("Crème \"Deluxe\" Tote <img src=x onerror=alert(1)> 👜"),
        "kept byte for byte: {matrix}"
    );
    let po = &t["Order"][po_id.0.to_string()];
    assert!(po.to_string().contains("PO <i>42</i>"), "{po}");
    // CAD prices go as they are (40 CAD), never converted.
    assert_eq!(po_lines(&env, po_id.0)[0].1, 3);
    assert_eq!(cents(&po_lines(&env, po_id.0)[0].2), 4000);
}

/// A transport that counts how many sends are in flight at once: each send yields once before it
/// goes out, so an executor that starts the next read before the first answer shows overlap.
#[derive(Clone)]
struct Overlap {
    inner: po_bridge::lightspeed::native::NativeTransport,
    in_flight: std::rc::Rc<std::cell::Cell<usize>>,
    max: std::rc::Rc<std::cell::Cell<usize>>,
}

impl po_bridge::lightspeed::http::Transport for Overlap {
    async fn send(
        &self,
        req: po_bridge::lightspeed::http::HttpRequest,
        timeout_ms: u64,
    ) -> Result<po_bridge::lightspeed::http::HttpResponse, po_bridge::lightspeed::http::TransportError> {
        self.in_flight.set(self.in_flight.get() + 1);
        self.max.set(self.max.get().max(self.in_flight.get()));
        let mut yielded = false;
        std::future::poll_fn(|cx| {
            if yielded {
                return std::task::Poll::Ready(());
            }
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        })
        .await;
        let r = self.inner.send(req, timeout_ms).await;
        self.in_flight.set(self.in_flight.get() - 1);
        r
    }
}

#[test]
fn a_preview_round_sends_its_reads_at_once() {
    let env = start();
    env.relax_limits();
    let clock = env.speed(50.0);
    let token = env.mint(json!({})).access_token;
    let t = Overlap { inner: env.transport.clone(), in_flight: Default::default(), max: Default::default() };
    let client = po_bridge::lightspeed::client::LightspeedClient::new(
        t.clone(),
        clock,
        po_bridge::lightspeed::client::StaticToken(token),
        env.config(),
    );
    let store = MemoryStore::new();
    // Round 1 of h01 with the brand's NuORDER id: vendor by seller uid and by name, the PO check and
    // the code batch (`upc` or `ean` in one `itemCode` query).
    let mut st = staged(order("h01-basic-all-upcs"));
    st.brand.seller_uid = Some("5f1a2b3c4d5e6f7081920a1b".into());
    let p = block_on(preview(&client, &store, ACCT, &st)).unwrap();
    assert_eq!(p.plan.counts.new, 3, "{:?}", p.plan.counts);
    const { assert!(po_bridge::export::runner::READ_CONCURRENCY >= 4) };
    assert_eq!(t.max.get(), 4, "the round's four reads in flight at once");
}
