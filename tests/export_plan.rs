//! The export preview: vendor resolution order, every row status, lookups and drafts.

#[path = "export_support.rs"]
mod support;

use po_bridge::export::codes::{CodeBatch, MAX_IN_VALUES};
use po_bridge::export::plan::*;
use po_bridge::lightspeed::{ItemAttributeSetId, ItemId, ItemMatrixId, VendorId};
use po_bridge::nuorder::model::{parse_order_value, CurrencyCode, Order, Product};
use serde_json::json;
use support::*;

const TOTE: &str = "6512ab34cd56ef7890a10001";
const SCARF: &str = "6512ab34cd56ef7890a10002";
const TEE_NVY: &str = "6512ab34cd56ef7890a10003";
const TEE_OAT: &str = "6512ab34cd56ef7890a10004";
const BOUGIE: &str = "6512ab34cd56ef7890a10036";

fn harbor() -> BrandContext {
    BrandContext::named("Harbor Goods")
}

fn status_of<'a>(p: &'a Plan, product: &str, size: &str) -> &'a RowStatus {
    &p.row(&RowKey::new(product, size)).unwrap_or_else(|| panic!("row {product}/{size}")).status
}

#[test]
fn vendor_resolution_order_link_then_seller_uid_then_name_then_new() {
    let uid = "5f1a2b3c4d5e6f7081920a1b";
    let mut by_uid = vendor(5, "HG Wholesale");
    by_uid.seller_uid = Some(uid.into());
    let mut archived_linked = vendor(9, "Harbor Goods (old)");
    archived_linked.archived = true;
    let mut archived_named = vendor(3, "Harbor Goods");
    archived_named.archived = true;
    let link_to = |id: u64| Links { vendors: [("Harbor Goods".to_string(), VendorId(id))].into(), ..Links::default() };
    let ctx_uid = BrandContext { name: None, seller_uid: Some(uid.into()) };
    // (what, links, vendors, ctx, expected)
    let rows: Vec<(&str, Links, Vec<KnownVendor>, BrandContext, VendorPlan)> = vec![
        (
            "saved link wins over uid and name",
            link_to(7),
            vec![vendor(7, "Anything"), by_uid.clone(), vendor(2, "Harbor Goods")],
            ctx_uid.clone(),
            VendorPlan::Existing { id: VendorId(7), name: "Anything".into(), via: VendorVia::Link },
        ),
        (
            "archived linked vendor falls through to uid",
            link_to(9),
            vec![archived_linked.clone(), by_uid.clone(), vendor(2, "Harbor Goods")],
            ctx_uid.clone(),
            VendorPlan::Existing { id: VendorId(5), name: "HG Wholesale".into(), via: VendorVia::SellerUid },
        ),
        (
            "linked vendor not found falls through to name",
            link_to(77),
            vec![vendor(2, "Harbor Goods")],
            BrandContext::default(),
            VendorPlan::Existing { id: VendorId(2), name: "Harbor Goods".into(), via: VendorVia::Name },
        ),
        (
            "uid before name",
            Links::default(),
            vec![vendor(2, "Harbor Goods"), by_uid.clone()],
            ctx_uid.clone(),
            VendorPlan::Existing { id: VendorId(5), name: "HG Wholesale".into(), via: VendorVia::SellerUid },
        ),
        (
            "exact name, lowest live id",
            Links::default(),
            vec![vendor(4, "Harbor Goods"), vendor(2, "Harbor Goods"), archived_named.clone()],
            BrandContext::default(),
            VendorPlan::Existing { id: VendorId(2), name: "Harbor Goods".into(), via: VendorVia::Name },
        ),
        (
            "archived namesake is not used",
            Links::default(),
            vec![archived_named.clone()],
            BrandContext::default(),
            VendorPlan::New { name: "Harbor Goods".into() },
        ),
        (
            "nothing: new with the brand name",
            Links::default(),
            vec![],
            BrandContext::default(),
            VendorPlan::New { name: "Harbor Goods".into() },
        ),
    ];
    let order = order("h01-basic-all-upcs");
    for (what, links, vendors, ctx, want) in rows {
        let p = plan(&order, &[], &ctx, &links, &catalog(vendors, vec![])).unwrap();
        assert_eq!(p.vendor, want, "{what}");
    }
}

#[test]
fn vendor_by_name_exact_first_then_another_case_never_a_suffix() {
    let by_name = |what: &str, vendors: Vec<KnownVendor>, want: Option<(u64, &str)>| {
        let p = plan(
            &order("h01-basic-all-upcs"),
            &[],
            &BrandContext::default(),
            &Links::default(),
            &catalog(vendors, vec![]),
        )
        .unwrap();
        let want = match want {
            Some((id, name)) => VendorPlan::Existing { id: VendorId(id), name: name.into(), via: VendorVia::Name },
            None => VendorPlan::New { name: "Harbor Goods".into() },
        };
        assert_eq!(p.vendor, want, "{what}");
    };
    by_name("a suffix is not the vendor", vec![vendor(3, "Harbor Goods Co."), vendor(4, "The Harbor Goods")], None);
    by_name(
        "the name in another case is the vendor (Lightspeed's name lookup finds it)",
        vec![vendor(3, "Harbor Goods Co."), vendor(6, " HARBOR GOODS "), vendor(8, "harbor goods")],
        Some((6, " HARBOR GOODS ")),
    );
    by_name(
        "the exact name before another case",
        vec![vendor(2, "HARBOR GOODS"), vendor(4, "Harbor Goods")],
        Some((4, "Harbor Goods")),
    );
}

#[test]
fn brand_comes_from_the_order_else_the_page_else_is_refused() {
    // h01 has __brand_name: the page's brand does not override it.
    let p =
        plan(&order("h01-basic-all-upcs"), &[], &BrandContext::named("Other"), &Links::default(), &Catalog::default())
            .unwrap();
    assert_eq!(p.brand, "Harbor Goods");
    // m02 has none: the page's brand is used.
    let p = plan(
        &order("m02-leading-zero-upcs"),
        &[],
        &BrandContext::named(" Maison Éclat "),
        &Links::default(),
        &Catalog::default(),
    )
    .unwrap();
    assert_eq!(p.brand, "Maison Éclat");
    assert_eq!(p.vendor, VendorPlan::New { name: "Maison Éclat".into() });
    for ctx in [BrandContext::default(), BrandContext::named("  ")] {
        assert_eq!(
            plan(&order("t01-no-brand-name-real-shape"), &[], &ctx, &Links::default(), &Catalog::default()),
            Err(PlanError::NoBrand)
        );
        assert_eq!(lookups_needed(&order("m02-leading-zero-upcs"), &ctx, &Links::default()), Err(PlanError::NoBrand));
    }
}

#[test]
fn each_row_status_by_code() {
    // h01: TOTE OS 812345001013, SCARF S/M 812345002010, SCARF L/XL 812345002027.
    let order = order("h01-basic-all-upcs");
    let links = Links { items: [(RowKey::new(TOTE, "OS"), ItemId(10))].into(), ..Links::default() };
    let rows: Vec<(&str, Vec<KnownItem>, &str, &str, RowStatus)> = vec![
        (
            "linked and live: confirmed (even if the code matches others)",
            vec![item(10, None, None), item(11, Some("812345001013"), None)],
            TOTE,
            "OS",
            RowStatus::Confirmed { item_id: ItemId(10) },
        ),
        (
            "one live item with the code: UPC match",
            vec![item(20, Some("812345002010"), None)],
            SCARF,
            "S/M",
            RowStatus::UpcMatch { item_id: ItemId(20) },
        ),
        (
            "the code in ean as EAN-13 with a leading 0: UPC match",
            vec![item(21, None, Some("0812345002010"))],
            SCARF,
            "S/M",
            RowStatus::UpcMatch { item_id: ItemId(21) },
        ),
        (
            "one live and one archived: the live one",
            vec![archived(item(22, Some("812345002010"), None)), item(23, Some("812345002010"), None)],
            SCARF,
            "S/M",
            RowStatus::UpcMatch { item_id: ItemId(23) },
        ),
        ("nothing: new", vec![item(24, Some("812345002034"), None)], SCARF, "L/XL", RowStatus::New),
    ];
    for (what, items, product, size, want) in rows {
        let p = plan(&order, &[], &harbor(), &links, &catalog(vec![], items)).unwrap();
        assert_eq!(status_of(&p, product, size), &want, "{what}");
    }
}

#[test]
fn archived_only_match_needs_a_choice_and_reports_the_candidate() {
    let p = plan(
        &order("h01-basic-all-upcs"),
        &[],
        &harbor(),
        &Links::default(),
        &catalog(vec![], vec![archived(item(30, Some("812345002010"), None))]),
    )
    .unwrap();
    let RowStatus::NeedsChoice { reason, candidates, choice } = status_of(&p, SCARF, "S/M") else { panic!() };
    assert_eq!(reason, &ChoiceReason::ArchivedOnly);
    assert_eq!(candidates.iter().map(|c| (c.item_id, c.archived)).collect::<Vec<_>>(), vec![(ItemId(30), true)]);
    assert_eq!(choice, &None);
    assert!(!p.is_ready());
    assert!(p.row(&RowKey::new(SCARF, "S/M")).unwrap().draft.is_some(), "a draft is ready in case the user creates");
}

#[test]
fn duplicate_live_upcs_need_a_choice_listing_all_candidates() {
    let p = plan(
        &order("h01-basic-all-upcs"),
        &[],
        &harbor(),
        &Links::default(),
        &catalog(
            vec![],
            vec![
                item(41, Some("812345001013"), None),
                item(40, None, Some("0812345001013")),
                archived(item(39, Some("812345001013"), None)),
            ],
        ),
    )
    .unwrap();
    let RowStatus::NeedsChoice { reason, candidates, .. } = status_of(&p, TOTE, "OS") else { panic!() };
    assert_eq!(reason, &ChoiceReason::SeveralMatches);
    // Live first, then by id.
    assert_eq!(candidates.iter().map(|c| c.item_id.0).collect::<Vec<_>>(), vec![40, 41, 39]);
}

#[test]
fn vanished_link_is_never_new() {
    let order = order("h01-basic-all-upcs");
    let links = Links { items: [(RowKey::new(TOTE, "OS"), ItemId(10))].into(), ..Links::default() };
    let rows: Vec<(&str, Vec<KnownItem>, RowStatus)> = vec![
        (
            "linked item gone, nothing else: needs choice, no candidates",
            vec![],
            RowStatus::NeedsChoice {
                reason: ChoiceReason::LinkVanished { item_id: ItemId(10), archived: false },
                candidates: vec![],
                choice: None,
            },
        ),
        (
            "linked item archived (merged away), nothing else: needs choice with it as candidate",
            vec![archived(item(10, Some("812345001013"), None))],
            RowStatus::NeedsChoice {
                reason: ChoiceReason::LinkVanished { item_id: ItemId(10), archived: true },
                candidates: vec![Candidate {
                    item_id: ItemId(10),
                    description: "Item 10".into(),
                    upc: Some("812345001013".into()),
                    ean: None,
                    manufacturer_sku: None,
                    archived: true,
                }],
                choice: None,
            },
        ),
        (
            "linked item gone, only an archived code match: still needs choice",
            vec![archived(item(12, Some("812345001013"), None))],
            RowStatus::NeedsChoice {
                reason: ChoiceReason::LinkVanished { item_id: ItemId(10), archived: false },
                candidates: vec![Candidate {
                    item_id: ItemId(12),
                    description: "Item 12".into(),
                    upc: Some("812345001013".into()),
                    ean: None,
                    manufacturer_sku: None,
                    archived: true,
                }],
                choice: None,
            },
        ),
        (
            "linked item archived, one live item with the code (the merge target): UPC match",
            vec![archived(item(10, Some("812345001013"), None)), item(15, Some("812345001013"), None)],
            RowStatus::UpcMatch { item_id: ItemId(15) },
        ),
    ];
    for (what, items, want) in rows {
        let p = plan(&order, &[], &harbor(), &links, &catalog(vec![], items)).unwrap();
        let got = status_of(&p, TOTE, "OS");
        assert_eq!(got, &want, "{what}");
        assert_ne!(got, &RowStatus::New, "{what}");
    }
}

fn with_vn(mut i: KnownItem, v: u64, val: &str) -> KnownItem {
    i.vendor_numbers.push((VendorId(v), val.into()));
    i
}

fn with_msku(mut i: KnownItem, s: &str) -> KnownItem {
    i.manufacturer_sku = Some(s.into());
    i
}

/// (what, catalog items, product, size, expected status) for h02.
fn sku_cases() -> Vec<(&'static str, Vec<KnownItem>, &'static str, &'static str, RowStatus)> {
    vec![
        (
            "vendor number = brand_id for this vendor, size matches",
            vec![with_vn(variant(50, "Navy", "xl"), 1, "TEE-101-NVY")],
            TEE_NVY,
            "XL",
            RowStatus::SkuMatch { item_id: ItemId(50), via: SkuVia::VendorNumber },
        ),
        (
            "vendor number for another vendor does not count",
            vec![with_vn(variant(51, "NAVY", "XL"), 2, "TEE-101-NVY")],
            TEE_NVY,
            "XL",
            RowStatus::New,
        ),
        (
            "vendor number matches but size differs",
            vec![with_vn(variant(52, "NAVY", "L"), 1, "TEE-101-NVY")],
            TEE_NVY,
            "XL",
            RowStatus::New,
        ),
        (
            "manufacturerSku = style number, color and size match",
            vec![with_msku(variant(53, "OATMEAL", "L"), "TEE-101")],
            TEE_OAT,
            "L",
            RowStatus::SkuMatch { item_id: ItemId(53), via: SkuVia::ManufacturerSku },
        ),
        (
            "manufacturerSku matches but the color is another",
            vec![with_msku(variant(54, "NAVY", "L"), "TEE-101")],
            TEE_OAT,
            "L",
            RowStatus::New,
        ),
        (
            "size-only item (set 2, size in attribute2) with vendor number",
            vec![{
                let mut i = with_vn(item(55, None, None), 1, "TEE-101-NVY");
                i.attribute_set = Some(ItemAttributeSetId::SIZE);
                i.attributes = [None, Some("XL".into()), None];
                i
            }],
            TEE_NVY,
            "XL",
            RowStatus::SkuMatch { item_id: ItemId(55), via: SkuVia::VendorNumber },
        ),
        (
            "two live SKU matches: needs choice",
            vec![
                with_msku(variant(56, "OATMEAL", "L"), "TEE-101"),
                with_vn(variant(57, "OATMEAL", "L"), 1, "TEE-101-OAT"),
            ],
            TEE_OAT,
            "L",
            RowStatus::NeedsChoice { reason: ChoiceReason::SeveralMatches, candidates: vec![], choice: None },
        ),
        (
            "a row with a usable code never matches by SKU",
            vec![with_msku(variant(58, "NAVY", "S"), "TEE-101")],
            TEE_NVY,
            "S",
            RowStatus::New,
        ),
    ]
}

#[test]
fn sku_match_by_vendor_number_or_by_manufacturer_sku() {
    // h02: NAVY XL has no upc, OATMEAL L has "N/A".
    let order = order("h02-two-colors-missing-upcs");
    let harbor_vendor = vec![vendor(1, "Harbor Goods")];
    for (what, items, product, size, want) in sku_cases() {
        let p = plan(&order, &[], &harbor(), &Links::default(), &catalog(harbor_vendor.clone(), items)).unwrap();
        let got = status_of(&p, product, size);
        match (&want, got) {
            (RowStatus::NeedsChoice { reason: w, .. }, RowStatus::NeedsChoice { reason: g, candidates, .. }) => {
                assert_eq!(w, g, "{what}");
                assert_eq!(candidates.len(), 2, "{what}");
            }
            _ => assert_eq!(got, &want, "{what}"),
        }
    }
}

#[test]
fn without_an_existing_vendor_the_vendor_number_route_cannot_apply() {
    let order = order("h02-two-colors-missing-upcs");
    let vn = with_vn(variant(50, "NAVY", "XL"), 1, "TEE-101-NVY");
    let p = plan(&order, &[], &harbor(), &Links::default(), &catalog(vec![], vec![vn])).unwrap();
    assert_eq!(status_of(&p, TEE_NVY, "XL"), &RowStatus::New);
}

#[test]
fn quantity_zero_rows_are_skipped() {
    let p =
        plan(&order("h02-two-colors-missing-upcs"), &[], &harbor(), &Links::default(), &Catalog::default()).unwrap();
    assert!(p.row(&RowKey::new(TEE_OAT, "XL")).is_none());
    assert_eq!(p.rows.len(), 7);
    let order = order_of(&[("p1", "S1", None, None, &[("A", 0, "5", None, None)])], "0");
    assert_eq!(plan(&order, &[], &harbor(), &Links::default(), &Catalog::default()), Err(PlanError::NothingToExport));
}

/// One product's size name given to rows with different codes (a Regular M and a Tall M) is two
/// rows keyed by name and code; rows of one code still merge, and so does a code-less row with a
/// coded one. Size-less rows follow the same rule.
#[test]
fn one_size_name_with_two_codes_is_two_rows() {
    let (c1, c2) = (Some("812345003024"), Some("812345003048"));
    let row = |size, q, upc| -> SizeSpec<'static> { (size, q, "10", upc, None) };
    let units = |o: &Order| -> Vec<(String, u64)> {
        let p = plan(o, &[], &harbor(), &Links::default(), &Catalog::default()).unwrap();
        p.rows.iter().map(|r| (r.key.size.clone(), r.units)).collect()
    };
    let sizes = [row("M", 2, c1), row("M", 3, c2), row("M", 1, c1), row("S", 4, None)];
    let o = order_of(&[("p1", "S1", Some("NAVY"), None, &sizes)], "0");
    let keys: Vec<String> = keyed_size_rows(&o).into_iter().map(|(k, _, _)| k.size).collect();
    assert_eq!(keys, ["M [00812345003024]", "M [00812345003048]", "M [00812345003024]", "S"]);
    assert_eq!(units(&o), [("M [00812345003024]".into(), 3), ("M [00812345003048]".into(), 3), ("S".into(), 4)]);
    // A quantity of 0 still counts for the key (it stays put while the brand edits units).
    let o = order_of(&[("p1", "S1", Some("NAVY"), None, &[row("M", 2, c1), row("M", 0, c2)])], "0");
    assert_eq!(units(&o), [("M [00812345003024]".into(), 2)]);
    // One code and none: one row.
    let o = order_of(&[("p1", "S1", Some("NAVY"), None, &[row("M", 2, c1), row("M", 3, None)])], "0");
    assert_eq!(units(&o), [("M".into(), 5)]);
    // Size-less rows with two codes: two rows.
    let o = order_of(&[("p1", "S1", None, None, &[row("", 1, c1), row("", 2, c2)])], "0");
    assert_eq!(units(&o).len(), 2, "{:?}", units(&o));
}

/// A cancelled NuORDER order keeps its lines (fixture h05: 10 units), but nothing will ship: no
/// preview, no lookups, no PO; the same for a batch and the command line (`check_exportable`).
#[test]
fn a_cancelled_order_is_not_exported() {
    let cancelled = order("h05-cancelled");
    assert!(cancelled.total_units() > 0, "the lines stay in a cancelled order");
    let none = (&Links::default(), &Catalog::default());
    assert_eq!(plan(&cancelled, &[], &harbor(), none.0, none.1), Err(PlanError::Cancelled));
    assert_eq!(lookups_needed(&cancelled, &harbor(), none.0).err(), Some(PlanError::Cancelled));
    assert_eq!(check_exportable(&cancelled), Err(PlanError::Cancelled));
    let mut approved = cancelled.clone();
    approved.status = Some(po_bridge::nuorder::model::OrderStatus::Approved);
    assert!(plan(&approved, &[], &harbor(), none.0, none.1).is_ok());
    assert!(PlanError::Cancelled.to_string().contains("cancelled in NuORDER"));
}

#[test]
fn ean13_and_leading_zero_codes_match_upc_a_items() {
    // m02: 180g "012345678905", 300g "003600029143", 600g "0012345000065" (EAN-13).
    let order = order("m02-leading-zero-upcs");
    let items = vec![
        item(60, None, Some("0012345678905")), // EAN-13 form of the 180g UPC-A
        item(61, Some("03600029143"), None),   // 300g typed without its leading zero (11 digits)
        item(62, Some("012345000065"), None),  // UPC-A form of the 600g EAN-13
    ];
    let p =
        plan(&order, &[], &BrandContext::named("Maison Éclat"), &Links::default(), &catalog(vec![], items)).unwrap();
    assert_eq!(status_of(&p, BOUGIE, "180g"), &RowStatus::UpcMatch { item_id: ItemId(60) });
    assert_eq!(status_of(&p, BOUGIE, "300g"), &RowStatus::UpcMatch { item_id: ItemId(61) });
    assert_eq!(status_of(&p, BOUGIE, "600g"), &RowStatus::UpcMatch { item_id: ItemId(62) });
    // A different code with the same digits after the leading zeros is not a match.
    let p = plan(
        &order,
        &[],
        &BrandContext::named("Maison Éclat"),
        &Links::default(),
        &catalog(vec![], vec![item(63, Some("360002914300"), None)]),
    )
    .unwrap();
    assert_eq!(status_of(&p, BOUGIE, "300g"), &RowStatus::New);
}

#[test]
fn lookups_cover_vendor_linked_items_codes_and_skus() {
    let order = order("h02-two-colors-missing-upcs");
    let ctx = BrandContext { name: None, seller_uid: Some("5f1a2b3c4d5e6f7081920a1b".into()) };
    let l = lookups_needed(&order, &ctx, &Links::default()).unwrap();
    assert_eq!(l.vendor_name, "Harbor Goods");
    assert_eq!(l.seller_uid.as_deref(), Some("5f1a2b3c4d5e6f7081920a1b"));
    assert_eq!(l.vendor_id, None);
    assert!(l.item_ids.is_empty());
    // 5 usable codes (qty-0 OATMEAL XL excluded), each asked as 12, 13 and 14 digits, once
    // (itemCode: `upc` or `ean`).
    assert_eq!(l.codes.len(), 1);
    assert_eq!(l.codes[0].values.len(), 15);
    assert!(l.codes[0].values.contains(&"0812345003017".to_string()));
    assert!(l.codes[0].values.contains(&"00812345003017".to_string()));
    assert!(!l.codes.iter().any(|b| b.values.iter().any(|v| v.contains("3147"))), "qty 0 rows are not looked up");
    assert_eq!(l.vendor_numbers, vec![vec!["TEE-101-NVY".to_string(), "TEE-101-OAT".to_string()]]);
    assert_eq!(l.manufacturer_skus, vec![vec!["TEE-101".to_string()]]);

    // Everything linked: only the linked items and the vendor are read.
    let mut links = Links::default();
    links.vendors.insert("Harbor Goods".into(), VendorId(1));
    for (i, r) in plan(&order, &[], &harbor(), &Links::default(), &Catalog::default()).unwrap().rows.iter().enumerate()
    {
        links.items.insert(r.key.clone(), ItemId(100 + i as u64));
    }
    let l = lookups_needed(&order, &harbor(), &links).unwrap();
    assert_eq!(l.vendor_id, Some(VendorId(1)));
    assert_eq!(l.item_ids, vec![(100..107).map(ItemId).collect::<Vec<_>>()]);
    assert!(l.codes.is_empty() && l.vendor_numbers.is_empty() && l.manufacturer_skus.is_empty());

    // Second round: only rows whose linked item vanished or is archived are matched again.
    let mut cat = Catalog::default();
    for id in 100..107 {
        cat.add_item(item(id, None, None));
    }
    assert!(Lookups::for_vanished_links(&order, &links, &cat).no_item_queries());
    cat.items.retain(|i| i.id != ItemId(100)); // NAVY S gone
    cat.items.iter_mut().find(|i| i.id == ItemId(103)).unwrap().archived = true; // NAVY XL archived
    let l2 = Lookups::for_vanished_links(&order, &links, &cat);
    assert_eq!(l2.codes[0].values, ["00812345003017", "0812345003017", "812345003017"]);
    assert_eq!(l2.vendor_numbers, vec![vec!["TEE-101-NVY".to_string()]]);
}

#[test]
fn large_order_code_batches_hold_at_most_100_values() {
    let l = lookups_needed(&order("h06-large-320-sizes"), &harbor(), &Links::default()).unwrap();
    assert!(l.codes.iter().all(|b| b.values.len() <= MAX_IN_VALUES));
    let asked: usize = l.codes.iter().map(|b| b.values.len()).sum();
    assert_eq!(asked, 960, "320 codes × (12-, 13- and 14-digit forms), each asked once");
    assert_eq!(l.codes.len(), 10);
}

#[test]
fn a_long_name_is_shortened_never_the_color_and_size_after_it() {
    // Lightspeed keeps 255 characters of a description. Cut from the end, every variant of a
    // product with a long name would read alike (and its colors' matrices too).
    let style = "W".repeat(300);
    let sizes: &[SizeSpec] = &[("S", 1, "10", None, None), ("M", 1, "10", None, None)];
    let lines: &[LineSpec] = &[(TOTE, &style, Some("RED"), None, sizes), (SCARF, &style, Some("BLUE"), None, sizes)];
    let p = plan(&order_of(lines, "0"), &[], &harbor(), &Links::default(), &Catalog::default()).unwrap();
    let items: Vec<String> = p.rows.iter().map(|r| r.draft.as_ref().unwrap().description.clone()).collect();
    for (d, end) in items.iter().zip(["W RED S", "W RED M", "W BLUE S", "W BLUE M"]) {
        assert!(d.ends_with(end), "{d} ends with {end}");
    }
    assert!(items.iter().all(|d| d.chars().count() == MAX_DESCRIPTION_CHARS), "{items:?}");
    assert!(items.iter().all(|d| d.starts_with("WWW")));
    let matrices: Vec<&str> = p.products.iter().map(|m| m.matrix.description.as_str()).collect();
    assert!(matrices[0].ends_with("W RED") && matrices[1].ends_with("W BLUE"), "{matrices:?}");
    assert!(matrices.iter().all(|d| d.chars().count() == MAX_DESCRIPTION_CHARS));
}

/// Without the product's document: the style number names the item, and the line's
/// `retail_string` (the only MSRP on a line) prices it; without that either, no prices are sent.
fn drafts_without_products() {
    let mut v: serde_json::Value = serde_json::from_str(&fixture("orders/h01-basic-all-upcs.json")).unwrap();
    assert_eq!(v["line_items"][0]["product"]["_id"], TOTE);
    v["line_items"][0]["retail_string"] = json!("$44.50");
    let draft = |v: &serde_json::Value, products: &[Product]| {
        let p =
            plan(&parse_order_value(v).unwrap(), products, &harbor(), &Links::default(), &Catalog::default()).unwrap();
        let matrix = p.products.iter().find(|pp| pp.product_id == TOTE).unwrap().matrix.retail;
        (p.row(&RowKey::new(TOTE, "OS")).unwrap().draft.clone().unwrap(), matrix)
    };
    let (d, matrix) = draft(&v, &[]);
    assert_eq!(d.description, "TOTE-22 NAVY OS");
    let w = serde_json::to_value(d.to_write(VendorId(7), None)).unwrap();
    let shown = json!({"ItemPrice": [{"amount": "44.50", "useTypeID": "1"}, {"amount": "44.50", "useTypeID": "2"}]});
    assert_eq!(w["Prices"], shown);
    assert!(w.get("itemMatrixID").is_none());
    assert_eq!(matrix, Some(money("44.50")));
    // The product's own pricing wins where it is at hand (42.00, though the line shows 44.50).
    assert_eq!(draft(&v, &products()).0.retail, Some(money("42")));
    let unreadable = [json!("call for price"), json!("-$3.00"), json!("$45 / $60"), json!("$45.00 - $60.00")];
    for unreadable in unreadable.into_iter().chain([json!({"amount": 3}), serde_json::Value::Null]) {
        v["line_items"][0]["retail_string"] = unreadable.clone();
        let (d, matrix) = draft(&v, &[]);
        let w = serde_json::to_value(d.to_write(VendorId(7), None)).unwrap();
        assert!(w.get("Prices").is_none() && matrix.is_none(), "{unreadable}");
    }
}

#[test]
fn new_item_and_matrix_drafts() {
    let order = order("h01-basic-all-upcs");
    let p = plan(&order, &products(), &harbor(), &Links::default(), &Catalog::default()).unwrap();
    let row = p.row(&RowKey::new(TOTE, "OS")).unwrap();
    assert_eq!(row.status, RowStatus::New);
    let d = row.draft.as_ref().unwrap();
    assert_eq!(d.description, "Harbor Canvas Tote NAVY OS");
    let w = serde_json::to_value(d.to_write(VendorId(7), Some(ItemMatrixId(3)))).unwrap();
    assert_eq!(
        w,
        json!({
            "description": "Harbor Canvas Tote NAVY OS", "itemMatrixID": "3", "defaultCost": "18.00",
            "upc": "812345001013", "manufacturerSku": "TOTE-22", "defaultVendorID": "7",
            "ItemAttributes": {"itemAttributeSetID": "1", "attribute1": "NAVY", "attribute2": "OS"},
            "ItemVendorNums": {"ItemVendorNum": [{"vendorID": "7", "value": "TOTE-22-NVY", "cost": "18.00"}]},
            "Prices": {"ItemPrice": [{"amount": "42.00", "useTypeID": "1"}, {"amount": "42.00", "useTypeID": "2"}]}
        })
    );
    let tote = p.products.iter().find(|pp| pp.product_id == TOTE).unwrap();
    assert_eq!(
        serde_json::to_value(tote.matrix.to_write(VendorId(7))).unwrap(),
        json!({
            "description": "Harbor Canvas Tote NAVY", "itemAttributeSetID": "1", "defaultCost": "18.00", "defaultVendorID": "7",
            "Prices": {"ItemPrice": [{"amount": "42.00", "useTypeID": "1"}, {"amount": "42.00", "useTypeID": "2"}]}
        })
    );

    drafts_without_products();

    // EAN-13 goes in ean; retail in the order's currency (EUR 89, not USD 95).
    let p = plan(
        &support::order("m01-eur-ean13"),
        &products(),
        &BrandContext::default(),
        &Links::default(),
        &Catalog::default(),
    )
    .unwrap();
    let d = p.row(&RowKey::new("6512ab34cd56ef7890a10034", "TU")).unwrap().draft.clone().unwrap();
    let w = serde_json::to_value(d.to_write(VendorId(1), None)).unwrap();
    assert_eq!(w["ean"], "3760123450010");
    assert!(w.get("upc").is_none());
    assert_eq!(w["Prices"]["ItemPrice"][0]["amount"], "89.00");
    // For a store that keeps another currency, the brand's retail in it where the product gives
    // one (USD 95), item and matrix alike; else the order's (EUR 89, for a CAD store).
    for (store, want) in [("USD", "95.00"), ("usd", "95.00"), ("CAD", "89.00"), ("EUR", "89.00")] {
        let store = CurrencyCode::parse(store).unwrap();
        let m01 = support::order("m01-eur-ean13");
        let ctx = BrandContext::default();
        let p = plan_in(&m01, (&products(), Some(&store)), &ctx, &Links::default(), &Catalog::default()).unwrap();
        let d = p.row(&RowKey::new("6512ab34cd56ef7890a10034", "TU")).unwrap().draft.clone().unwrap();
        let item = serde_json::to_value(d.to_write(VendorId(1), None)).unwrap();
        let matrix = serde_json::to_value(p.products[0].matrix.to_write(VendorId(1))).unwrap();
        for w in [item, matrix] {
            assert_eq!(w["Prices"]["ItemPrice"][0]["amount"], want, "{store}: {w}");
            assert_eq!(w["defaultCost"], "35.00", "the cost stays the order's: {w}");
        }
    }

    // No color: Size set (2), size in attribute2, no attribute1; no brand_id: no vendor number;
    // no code: neither upc nor ean.
    let o = order_of(&[("p9", "PLAIN-1", None, None, &[("M", 2, "7.5", Some("N/A"), None)])], "0");
    let p = plan(&o, &[], &harbor(), &Links::default(), &Catalog::default()).unwrap();
    let d = p.rows[0].draft.clone().unwrap();
    let w = serde_json::to_value(d.to_write(VendorId(1), None)).unwrap();
    assert_eq!(w["ItemAttributes"], json!({"itemAttributeSetID": "2", "attribute2": "M"}));
    assert!(w.get("ItemVendorNums").is_none() && w.get("upc").is_none() && w.get("ean").is_none());
    assert_eq!(w["description"], "PLAIN-1 M");
    assert_eq!(p.products[0].matrix.attribute_set, ItemAttributeSetId::SIZE);
}

#[test]
fn counts_per_status_and_per_product() {
    let order = order("h02-two-colors-missing-upcs");
    let items = vec![item(1, Some("812345003017"), None), item(2, Some("812345003123"), None)];
    let links = Links { items: [(RowKey::new(TEE_NVY, "M"), ItemId(3))].into(), ..Links::default() };
    let mut cat = catalog(vec![], items);
    cat.add_item(item(3, None, None));
    let p = plan(&order, &[], &harbor(), &links, &cat).unwrap();
    assert_eq!(
        p.counts,
        Counts { confirmed: 1, upc_match: 2, sku_match: 0, new: 4, needs_choice: 0, chosen_existing: 0, chosen_new: 0 }
    );
    assert_eq!((p.counts.matched_tab(), p.counts.new_tab()), (3, 4));
    let nvy = p.products.iter().find(|pp| pp.product_id == TEE_NVY).unwrap();
    assert_eq!((nvy.counts.confirmed, nvy.counts.upc_match, nvy.counts.new), (1, 1, 2));
    let oat = p.products.iter().find(|pp| pp.product_id == TEE_OAT).unwrap();
    assert_eq!((oat.counts.upc_match, oat.counts.new), (1, 2));
    assert!(p.is_ready());
}

#[test]
fn choices_are_validated_and_recounted_and_the_plan_round_trips() {
    let order = order("h01-basic-all-upcs");
    let cat = catalog(
        vec![],
        vec![
            item(41, Some("812345001013"), None),
            item(40, Some("812345001013"), None),
            archived(item(39, Some("812345001013"), None)),
            item(20, Some("812345002010"), None),
        ],
    );
    let mut p = plan(&order, &[], &harbor(), &Links::default(), &cat).unwrap();
    let tote = RowKey::new(TOTE, "OS");
    assert_eq!(p.counts.needs_choice, 1);
    assert!(matches!(p.choose(&tote, Choice::Item { item_id: ItemId(99) }), Err(ChoiceError::NotACandidate { .. })));
    assert!(matches!(p.choose(&tote, Choice::Item { item_id: ItemId(39) }), Err(ChoiceError::Archived { .. })));
    assert!(matches!(p.choose(&RowKey::new(SCARF, "S/M"), Choice::CreateNew), Err(ChoiceError::NotNeeded(_))));
    assert!(matches!(p.choose(&RowKey::new("nope", "OS"), Choice::CreateNew), Err(ChoiceError::NoSuchRow(_))));
    assert!(!p.is_ready());

    // JSON round trip (the plan crosses the message boundary), then choose on the copy.
    let wire = serde_json::to_string(&p).unwrap();
    let mut back: Plan = serde_json::from_str(&wire).unwrap();
    assert_eq!(back, p);
    back.choose(&tote, Choice::Item { item_id: ItemId(40) }).unwrap();
    assert!(back.is_ready());
    assert_eq!(back.counts.chosen_existing, 1);
    assert_eq!(back.resolution(&tote), Some(Resolved::Existing(ItemId(40))));
    back.choose(&tote, Choice::CreateNew).unwrap();
    assert_eq!((back.counts.chosen_existing, back.counts.chosen_new), (0, 1));
    assert_eq!(back.resolution(&tote), Some(Resolved::Create));
    let v = serde_json::to_value(&back).unwrap();
    let row = v["rows"].as_array().unwrap().iter().find(|r| r["key"]["product_id"] == TOTE).unwrap();
    assert_eq!(row["status"]["status"], "needs_choice");
    assert_eq!(row["status"]["choice"], json!({"kind": "create_new"}));
}

#[test]
fn links_serialize_as_plain_json_and_merge() {
    let mut a = Links::default();
    a.items.insert(RowKey::new("p1", "S/M"), ItemId(5));
    a.vendors.insert("Harbor Goods".into(), VendorId(1));
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(
        v,
        json!({"items": [{"product_id": "p1", "size": "S/M", "item_id": "5"}], "vendors": {"Harbor Goods": "1"}})
    );
    assert_eq!(serde_json::from_value::<Links>(v).unwrap(), a);
    assert_eq!(serde_json::from_value::<Links>(json!({})).unwrap(), Links::default());
    let mut b = Links::default();
    b.items.insert(RowKey::new("p1", "S/M"), ItemId(6));
    b.items.insert(RowKey::new("p2", ""), ItemId(7));
    a.merge(&b);
    assert_eq!(a.item(&RowKey::new("p1", "S/M")), Some(ItemId(6)));
    assert_eq!(a.items.len(), 2);
}

#[test]
fn catalog_from_lightspeed_read_models() {
    let body = json!({"@attributes": {"count": "1"}, "Item": {
        "itemID": "8", "description": "Tee", "archived": "false", "upc": "012345678905", "ean": "",
        "manufacturerSku": "TEE-101", "itemMatrixID": "0",
        "ItemAttributes": {"itemAttributeSetID": "1", "attribute1": "NAVY", "attribute2": "XL", "attribute3": ""},
        "ItemVendorNums": {"ItemVendorNum": {"itemVendorNumID": "3", "vendorID": "1", "value": "TEE-101-NVY", "itemID": "8"}}
    }});
    let env: po_bridge::lightspeed::Envelope<po_bridge::lightspeed::Item> = serde_json::from_value(body).unwrap();
    let mut cat = Catalog::default();
    cat.add_items(&env.records);
    cat.add_items(&env.records); // the same item from a second query is kept once
    assert_eq!(cat.items.len(), 1);
    let k = &cat.items[0];
    assert_eq!((k.id, k.matrix_id, k.ean.clone()), (ItemId(8), None, None));
    assert_eq!(k.attributes, [Some("NAVY".into()), Some("XL".into()), None]);
    assert_eq!(k.vendor_numbers, vec![(VendorId(1), "TEE-101-NVY".into())]);
}

/// The read declaration, as a table: order + brand + links → exactly these reads, in this order
/// (round 1), and the dependent round 2 for vanished links. No network.
#[test]
fn the_read_declaration_table() {
    const P1: &str = "p1";
    const P2: &str = "p2";
    let po = |n: &str| Read::ExistingPo(PoCheck { ref_num: format!("NuORDER {n}"), b2b_order_number: n.into() });
    let upc = |values: &[&str]| Read::ItemsByCode(CodeBatch { values: values.iter().map(|v| v.to_string()).collect() });
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let coded = order_of(&[(P1, "TOTE", None, None, &[("OS", 2, "10", Some("812345003017"), None)])], "0");
    let codeless = order_of(&[(P2, "TEE-1", Some("NAVY"), Some("TEE-1-NVY"), &[("M", 1, "9", None, None)])], "0");
    let both = order_of(
        &[
            (P1, "TOTE", None, None, &[("OS", 2, "10", Some("812345003017"), None)]),
            (P2, "TEE-1", Some("NAVY"), Some("TEE-1-NVY"), &[("M", 1, "9", None, None), ("L", 0, "9", None, None)]),
        ],
        "0",
    );
    let mut hashed = coded.clone();
    hashed.order_number = " #99000002 ".into();
    let linked = Links {
        items: [(RowKey::new(P1, "OS"), ItemId(7))].into(),
        vendors: [("Harbor Goods".to_string(), VendorId(3))].into(),
    };
    let uid = BrandContext { name: None, seller_uid: Some(" 5f1a ".into()) };
    let blank_uid = BrandContext { name: None, seller_uid: Some("  ".into()) };
    let (none, no_links) = (BrandContext::default(), Links::default());
    let by_name = Read::VendorsByName("Harbor Goods".into());
    let coded_reads = [upc(&["00812345003017", "0812345003017", "812345003017"])];
    let codeless_reads =
        [Read::ItemsByVendorNumber(strings(&["TEE-1-NVY"])), Read::ItemsByManufacturerSku(strings(&["TEE-1"]))];
    #[rustfmt::skip]
    let rows: Vec<(&str, &Order, &BrandContext, &Links, Vec<Read>)> = vec![
        ("a coded row: vendor by name, the PO check, its code forms in either field",
         &coded, &none, &no_links,
         [vec![by_name.clone(), po("99000001")], coded_reads.to_vec()].concat()),
        ("a code-less row: by vendor number and manufacturer SKU",
         &codeless, &none, &no_links,
         [vec![by_name.clone(), po("99000001")], codeless_reads.to_vec()].concat()),
        ("both kinds; a quantity-0 row adds nothing",
         &both, &none, &no_links,
         [vec![by_name.clone(), po("99000001")], coded_reads.to_vec(), codeless_reads.to_vec()].concat()),
        ("linked vendor and item, seller uid: no code lookups for the linked row",
         &coded, &uid, &linked,
         vec![Read::VendorById(VendorId(3)), Read::VendorsBySellerUid("5f1a".into()), by_name.clone(),
              po("99000001"), Read::ItemsById(vec![ItemId(7)])]),
        ("a blank seller uid is not asked",
         &codeless, &blank_uid, &no_links,
         [vec![by_name.clone(), po("99000001")], codeless_reads.to_vec()].concat()),
        ("the PO check carries the bare number",
         &hashed, &none, &no_links,
         [vec![by_name.clone(), po("99000002")], coded_reads.to_vec()].concat()),
    ];
    for (what, order, brand, links, want) in rows {
        assert_eq!(lookups_needed(order, brand, links).unwrap().reads(), want, "{what}");
    }

    // Round 2 depends on round 1: nothing while the linked item is live; its code once it is
    // gone or archived (and no vendor or PO reads: round 1 had them).
    let mut cat = Catalog::default();
    cat.add_item(item(7, Some("812345003017"), None));
    assert_eq!(Lookups::for_vanished_links(&coded, &linked, &cat).reads(), vec![]);
    cat.items[0].archived = true;
    assert_eq!(Lookups::for_vanished_links(&coded, &linked, &cat).reads(), coded_reads.to_vec());
    assert_eq!(Lookups::for_vanished_links(&coded, &linked, &Catalog::default()).reads(), coded_reads.to_vec());
}

/// The dialog's tabs: every row is in exactly one, and the counts count what each lists.
#[test]
fn tabs_partition_rows_as_the_counts_count_them() {
    let order = order("h02-two-colors-missing-upcs");
    let items = vec![item(1, Some("812345003017"), None), item(2, Some("812345003017"), None)];
    let links = Links { items: [(RowKey::new(TEE_NVY, "M"), ItemId(3))].into(), ..Links::default() };
    let mut cat = catalog(vec![], items);
    cat.add_item(item(3, None, None));
    let mut p = plan(&order, &[], &harbor(), &links, &cat).unwrap();
    let waiting = p.rows.iter().find(|r| matches!(r.status, RowStatus::NeedsChoice { .. })).unwrap().key.clone();
    assert_eq!(Tab::of(&p.row(&waiting).unwrap().status), Tab::Matched, "a row waiting for a choice");
    let check = |p: &Plan| {
        let (m, n) = (p.rows_in(Tab::Matched).count(), p.rows_in(Tab::New).count());
        assert_eq!((m, n), (p.counts.matched_tab(), p.counts.new_tab()), "{:?}", p.counts);
        assert_eq!(m + n, p.rows.len());
        // The labels count each row once, a row waiting for a choice too.
        assert_eq!(Tab::Matched.label(&p.counts), format!("Matched items ({m})"));
        assert_eq!(Tab::New.label(&p.counts), format!("New items ({n})"));
    };
    check(&p);
    p.choose(&waiting, Choice::CreateNew).unwrap();
    assert_eq!(Tab::of(&p.row(&waiting).unwrap().status), Tab::New);
    check(&p);
    p.choose(&waiting, Choice::Item { item_id: ItemId(1) }).unwrap();
    assert_eq!(Tab::of(&p.row(&waiting).unwrap().status), Tab::Matched);
    check(&p);
    let table = [
        (RowStatus::Confirmed { item_id: ItemId(1) }, Tab::Matched),
        (RowStatus::UpcMatch { item_id: ItemId(1) }, Tab::Matched),
        (RowStatus::SkuMatch { item_id: ItemId(1), via: SkuVia::VendorNumber }, Tab::Matched),
        (RowStatus::New, Tab::New),
    ];
    for (status, tab) in table {
        assert_eq!(Tab::of(&status), tab, "{status:?}");
    }
}

/// The dialog opens on a tab with rows: Matched items (where a choice is made), unless it is
/// empty and New items is not.
#[test]
fn the_dialog_opens_on_a_tab_with_rows() {
    let counts = |confirmed, needs_choice, new, chosen_new| Counts {
        confirmed,
        needs_choice,
        new,
        chosen_new,
        ..Counts::default()
    };
    let table = [
        (counts(0, 0, 3, 0), Tab::New, "every item new: a brand's first order"),
        (counts(0, 0, 0, 2), Tab::New, "every row chosen to be created"),
        (counts(1, 0, 3, 0), Tab::Matched, "some matched"),
        (counts(0, 1, 3, 0), Tab::Matched, "a row waiting for a choice, which is made on Matched items"),
        (counts(2, 0, 0, 0), Tab::Matched, "all matched"),
        (counts(0, 0, 0, 0), Tab::Matched, "no rows"),
    ];
    for (c, tab, what) in table {
        assert_eq!(c.first_tab(), tab, "{what}");
    }
    // A real plan with nothing in Lightspeed yet.
    let order = order("h02-two-colors-missing-upcs");
    let p = plan(&order, &[], &harbor(), &Links::default(), &Catalog::default()).unwrap();
    assert_eq!((p.counts.matched_tab(), p.counts.first_tab()), (0, Tab::New), "{:?}", p.counts);
}
