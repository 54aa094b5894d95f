//! The exact request and predicted cost of every endpoint.

use super::*;
use crate::core::ids::*;
use crate::core::Money;
use crate::lightspeed::http::Method;
use crate::lightspeed::models::*;

const B: &str = "https://api.lightspeedapp.com";

fn check<E: Endpoint>(ep: &E, method: Method, path_and_query: &str, body: Option<serde_json::Value>, cost: f64) {
    let r = ep.to_http(B, "83050");
    assert_eq!(r.method, method, "{path_and_query}");
    assert_eq!(r.path_and_query(), path_and_query);
    assert!(r.url.starts_with(B));
    assert_eq!(r.header("accept"), Some("application/json"));
    assert!(r.header("authorization").is_none());
    match body {
        Some(want) => {
            assert_eq!(r.header("content-type"), Some("application/json"));
            let got: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
            assert_eq!(got, want, "{path_and_query}");
        }
        None => assert_eq!(r.body, None),
    }
    assert!((ep.cost_hint() - cost).abs() < 1e-9, "{path_and_query}: cost {}", ep.cost_hint());
}

fn money(s: &str) -> Money {
    s.parse().unwrap()
}

#[test]
fn account_shop_and_vendor_reads() {
    check(&GetAccounts, Method::Get, "/API/V3/Account.json", None, 1.0);
    check(&GetAccount, Method::Get, "/API/V3/Account/83050.json", None, 1.0);
    check(&ListShops::default(), Method::Get, "/API/V3/Account/83050/Shop.json", None, 1.0);
    check(
        &ListShops { archived: Archived::Include },
        Method::Get,
        "/API/V3/Account/83050/Shop.json?archived=true",
        None,
        1.0,
    );
    check(
        &ListVendors { name: Some("Harbor Goods Co.".into()), b2b_seller_uid: None, archived: Archived::Include },
        Method::Get,
        "/API/V3/Account/83050/Vendor.json?name=Harbor%20Goods%20Co.&archived=true",
        None,
        1.0,
    );
    check(
        &ListVendors { name: Some("A, B & C".into()), b2b_seller_uid: Some("5f1".into()), archived: Archived::Only },
        Method::Get,
        "/API/V3/Account/83050/Vendor.json?name=%3D%2CA%2C%20B%20%26%20C&b2bSellerUID=5f1&archived=only",
        None,
        1.0,
    );
    check(&GetVendor(VendorId(7)), Method::Get, "/API/V3/Account/83050/Vendor/7.json", None, 1.0);
}

#[test]
fn codes_in_either_field_ask_item_code() {
    let either = ListItemsByCodes::in_either_field(vec!["812345003017".into(), "0812345003017".into()]).unwrap();
    assert_eq!(either.field(), None);
    check(
        &either,
        Method::Get,
        "/API/V3/Account/83050/Item.json?itemCode=IN%2C%5B%22812345003017%22%2C%220812345003017%22%5D&archived=true",
        None,
        1.0,
    );
}

#[test]
fn item_and_order_reads() {
    check(
        &ListItemsByCodes::new(CodeField::Upc, vec!["012345678905".into(), "00098765432109".into()]).unwrap(),
        Method::Get,
        "/API/V3/Account/83050/Item.json?upc=IN%2C%5B%22012345678905%22%2C%2200098765432109%22%5D&archived=true",
        None,
        1.0,
    );
    let mut by_ean = ListItemsByCodes::new(CodeField::Ean, vec!["0098765432109".into()]).unwrap();
    by_ean.archived = Archived::Exclude;
    by_ean.load_relations = vec!["ItemVendorNums", "ItemAttributes"];
    check(
        &by_ean,
        Method::Get,
        "/API/V3/Account/83050/Item.json?ean=IN%2C%5B%220098765432109%22%5D&load_relations=%5B%22ItemVendorNums%22%2C%22ItemAttributes%22%5D",
        None,
        1.0 + 0.6, // ItemVendorNums to-many, ItemAttributes to-one, doubled on a list
    );
    check(
        &ListItems { vendor_num: Some("HG1001-NAT".into()), ..Default::default() },
        Method::Get,
        "/API/V3/Account/83050/Item.json?ItemVendorNums.value=HG1001-NAT&load_relations=%5B%22ItemVendorNums%22%5D",
        None,
        1.4,
    );
    check(
        &ListItems { manufacturer_sku: Some("HG-1001".into()), archived: Archived::Include, ..Default::default() },
        Method::Get,
        "/API/V3/Account/83050/Item.json?manufacturerSku=HG-1001&archived=true",
        None,
        1.0,
    );
    check(
        &ListItems {
            item_matrix_id: Some(ItemMatrixId(12)),
            load_relations: vec!["ItemAttributes"],
            ..Default::default()
        },
        Method::Get,
        "/API/V3/Account/83050/Item.json?itemMatrixID=12&load_relations=%5B%22ItemAttributes%22%5D",
        None,
        1.2,
    );
    check(
        &GetItem { id: ItemId(3), load_relations: vec![] },
        Method::Get,
        "/API/V3/Account/83050/Item/3.json",
        None,
        1.0,
    );
    check(
        &ListOrders::by_ref_num("NuORDER 40718822"),
        Method::Get,
        "/API/V3/Account/83050/Order.json?refNum=NuORDER%2040718822&archived=true",
        None,
        1.0,
    );
    check(
        &ListOrders::by_b2b_order_number("40718822"),
        Method::Get,
        "/API/V3/Account/83050/Order.json?b2bOrderNumber=40718822&archived=true",
        None,
        1.0,
    );
    check(
        &ListOrderLines { order_id: OrderId(5), item_id: None },
        Method::Get,
        "/API/V3/Account/83050/OrderLine.json?orderID=5",
        None,
        1.0,
    );
}

#[test]
fn in_lookups_and_matrices() {
    let mut by_ids = ListItemsIn::ids([ItemId(3), ItemId(40)]).unwrap();
    by_ids.load_relations = vec!["ItemAttributes", "ItemVendorNums"];
    check(
        &by_ids,
        Method::Get,
        "/API/V3/Account/83050/Item.json?itemID=IN%2C%5B3%2C40%5D&archived=true&load_relations=%5B%22ItemAttributes%22%2C%22ItemVendorNums%22%5D",
        None,
        1.6, // as the sandbox charges it (README "Performance": 1.6 per code lookup)
    );
    check(
        &ListItemsIn::new(ItemInField::ManufacturerSku, vec!["HG-1001".into(), "A,B".into()]).unwrap(),
        Method::Get,
        "/API/V3/Account/83050/Item.json?manufacturerSku=IN%2C%5B%22HG-1001%22%2C%22A%2CB%22%5D&archived=true",
        None,
        1.0,
    );
    check(
        &ListItemsIn::new(ItemInField::VendorNumber, vec!["HG1001-NAT".into()]).unwrap(),
        Method::Get,
        "/API/V3/Account/83050/Item.json?ItemVendorNums.value=IN%2C%5B%22HG1001-NAT%22%5D&archived=true&load_relations=%5B%22ItemVendorNums%22%5D",
        None,
        1.4,
    );
    let too_many: Vec<String> = (0..101).map(|i| i.to_string()).collect();
    assert_eq!(ListItemsIn::new(ItemInField::ItemId, too_many), Err(EndpointError::TooManyCodes(101)));
    assert_eq!(ListItemsIn::new(ItemInField::ItemId, vec!["1]".into()]), Err(EndpointError::BadValue("1]".into())));
    assert_eq!(ListItemsIn::new(ItemInField::ManufacturerSku, vec![]), Err(EndpointError::NoCodes));
    check(
        &ListItemMatrices::by_description("Rain Shell, Navy"),
        Method::Get,
        "/API/V3/Account/83050/ItemMatrix.json?description=%3D%2CRain%20Shell%2C%20Navy&archived=true",
        None,
        1.0,
    );
    let mut live = ListItemMatricesIn::new(vec!["Rain Shell, Navy".into(), "Tote NAVY".into()]).unwrap();
    live.archived = Archived::Exclude;
    check(
        &live,
        Method::Get,
        "/API/V3/Account/83050/ItemMatrix.json?description=IN%2C%5B%22Rain%20Shell%2C%20Navy%22%2C%22Tote%20NAVY%22%5D",
        None,
        1.0,
    );
    let too_many: Vec<String> = (0..101).map(|i| i.to_string()).collect();
    assert_eq!(ListItemMatricesIn::new(too_many), Err(EndpointError::TooManyCodes(101)));
    assert_eq!(ListItemMatricesIn::new(vec![]), Err(EndpointError::NoCodes));
}

#[test]
fn code_lookups_refuse_bad_batches() {
    let codes = |n: usize| (0..n).map(|i| format!("{:012}", i)).collect::<Vec<_>>();
    assert!(ListItemsByCodes::new(CodeField::Upc, codes(100)).is_ok());
    assert_eq!(ListItemsByCodes::new(CodeField::Upc, codes(101)), Err(EndpointError::TooManyCodes(101)));
    assert_eq!(ListItemsByCodes::new(CodeField::Upc, vec![]), Err(EndpointError::NoCodes));
    for bad in ["N/A", "1234567890", "123456789012345", "01234567890a"] {
        assert_eq!(ListItemsByCodes::new(CodeField::Ean, vec![bad.into()]), Err(EndpointError::BadCode(bad.into())));
    }
}

#[test]
fn writes() {
    check(
        &CreateVendor(VendorWrite { name: Some("Harbor Goods Co.".into()), ..Default::default() }),
        Method::Post,
        "/API/V3/Account/83050/Vendor.json",
        Some(serde_json::json!({"name": "Harbor Goods Co."})),
        1.0,
    );
    check(
        &CreateItemMatrix(ItemMatrixWrite {
            description: Some("Rain Shell Navy".into()),
            item_attribute_set_id: Some(ItemAttributeSetId::COLOR_SIZE),
            ..Default::default()
        }),
        Method::Post,
        "/API/V3/Account/83050/ItemMatrix.json",
        Some(serde_json::json!({"description": "Rain Shell Navy", "itemAttributeSetID": "1"})),
        1.0,
    );
    let item = ItemWrite {
        description: Some("Rain Shell Navy M".into()),
        item_matrix_id: Some(ItemMatrixId(4)),
        upc: Some("012345678912".into()),
        item_vendor_nums: vec![ItemVendorNumWrite {
            vendor_id: VendorId(1),
            value: "HG-RS".into(),
            cost: Some(money("40")),
        }],
        prices: vec![ItemPriceWrite::default_price(money("99")), ItemPriceWrite::msrp(money("99"))],
        ..Default::default()
    };
    let r = CreateItem(item.clone()).to_http(B, "83050");
    assert_eq!((r.method, r.path_and_query()), (Method::Post, "/API/V3/Account/83050/Item.json"));
    let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["upc"], "012345678912");
    assert_eq!(body["itemMatrixID"], "4");
    assert_eq!(body["ItemVendorNums"]["ItemVendorNum"][0]["value"], "HG-RS");
    assert_eq!(CreateItem(item).cost_hint(), 1.0 + 0.5 * 3.0);

    check(
        &CreateOrder(OrderWrite {
            vendor_id: Some(VendorId(7)),
            shop_id: Some(ShopId(1)),
            ref_num: Some("NuORDER 40718822".into()),
            note: Some(NoteWrite { note: "Order #40718822".into(), is_public: None }),
            ..Default::default()
        }),
        Method::Post,
        "/API/V3/Account/83050/Order.json",
        Some(
            serde_json::json!({"vendorID": "7", "shopID": "1", "refNum": "NuORDER 40718822", "Note": {"note": "Order #40718822"}}),
        ),
        1.5,
    );
    check(
        &UpdateOrder::mark_ordered(OrderId(512), "2026-08-01"),
        Method::Put,
        "/API/V3/Account/83050/Order/512.json",
        Some(serde_json::json!({"orderedDate": "2026-08-01"})),
        1.0,
    );
    let line = CreateOrderLine(OrderLineWrite {
        order_id: Some(OrderId(512)),
        item_id: Some(ItemId(1044)),
        quantity: Some(4),
        price: Some(money("18.00")),
        original_price: Some(money("18.00")),
        ..Default::default()
    });
    let r = line.to_http(B, "83050");
    assert_eq!((r.method, r.path_and_query()), (Method::Post, "/API/V3/Account/83050/OrderLine.json"));
    let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["orderID"], "512");
    assert_eq!(body["itemID"], "1044");
    assert!(body.get("OrderLines").is_none());
    assert_eq!(line.cost_hint(), 1.0);
}

#[test]
fn line_updates_and_one_order() {
    check(
        &UpdateOrderLine {
            id: OrderLineId(77),
            changes: OrderLineWrite { quantity: Some(6), price: Some(money("17.10")), ..Default::default() },
        },
        Method::Put,
        "/API/V3/Account/83050/OrderLine/77.json",
        Some(serde_json::json!({"quantity": "6", "price": "17.10"})),
        1.0,
    );
    check(&GetOrder(OrderId(512)), Method::Get, "/API/V3/Account/83050/Order/512.json", None, 1.0);
}

#[test]
fn already_exported_lookups_batch_either_marker() {
    let refs = FindOrders::new(OrderRefField::RefNum, vec!["NuORDER 40718822".into(), "NuORDER 007".into()]).unwrap();
    check(
        &refs,
        Method::Get,
        "/API/V3/Account/83050/Order.json?refNum=IN%2C%5B%22NuORDER%2040718822%22%2C%22NuORDER%20007%22%5D&archived=true",
        None,
        1.0,
    );
    assert_eq!((refs.field(), refs.values().len()), (OrderRefField::RefNum, 2));
    check(
        &FindOrders::new(OrderRefField::B2bOrderNumber, vec!["40718822".into()]).unwrap(),
        Method::Get,
        "/API/V3/Account/83050/Order.json?b2bOrderNumber=IN%2C%5B%2240718822%22%5D&archived=true",
        None,
        1.0,
    );
    let mut live = FindOrders::new(OrderRefField::RefNum, vec!["x".into()]).unwrap();
    live.archived = Archived::Exclude;
    check(&live, Method::Get, "/API/V3/Account/83050/Order.json?refNum=IN%2C%5B%22x%22%5D", None, 1.0);
    assert_eq!(FindOrders::new(OrderRefField::RefNum, vec![]), Err(EndpointError::NoCodes));
    let many: Vec<String> = (0..101).map(|i| i.to_string()).collect();
    assert_eq!(FindOrders::new(OrderRefField::RefNum, many.clone()), Err(EndpointError::TooManyCodes(101)));
    assert!(FindOrders::new(OrderRefField::RefNum, many[..100].to_vec()).is_ok());
}
