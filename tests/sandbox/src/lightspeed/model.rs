//! Resource definitions, record templates and the Lightspeed response shape.
//!
//! Records are kept as JSON maps whose scalars are already strings (as the API returns them). Nested
//! collections (an Item's `ItemShops`, `ItemVendorNums`, `Prices`) are kept as plain arrays and only put
//! into the API's quirky shape on the way out ([`shape`]): absent when empty, an object when there is one
//! element, an array otherwise. Keys starting with `_` are sandbox-internal and never rendered.

use serde_json::{Map, Value};

pub type Record = Map<String, Value>;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Delete {
    Archive,
    Remove,
    NotAllowed,
}

#[derive(Clone, Copy, Debug)]
pub enum RelKind {
    /// Stored inside the record under the relation's name; rendered only when loaded.
    Embedded,
    /// Stored inside the record and always rendered (Item `Prices`).
    Always,
    /// To-one through a foreign key of this record.
    Ref { resource: &'static str, fk: &'static str },
    /// To-many: records of `resource` whose `fk` equals this record's id.
    Reverse { resource: &'static str, fk: &'static str },
}

#[derive(Clone, Copy, Debug)]
pub struct Rel {
    pub name: &'static str,
    pub many: bool,
    pub kind: RelKind,
}

#[derive(Debug)]
pub struct ResourceDef {
    pub name: &'static str,
    pub id: &'static str,
    pub sortable: &'static [&'static str],
    pub archivable: bool,
    pub writable: bool,
    pub delete: Delete,
    pub relations: &'static [Rel],
    /// Drips for POST/PUT/DELETE (Category writes cost 10).
    pub write_cost: f64,
}

const fn rel(name: &'static str, many: bool, kind: RelKind) -> Rel {
    Rel { name, many, kind }
}

pub static RESOURCES: &[ResourceDef] = &[
    ResourceDef {
        name: "Shop",
        id: "shopID",
        sortable: &["shopID"],
        archivable: true,
        writable: false,
        delete: Delete::NotAllowed,
        relations: &[],
        write_cost: 1.0,
    },
    ResourceDef {
        name: "Vendor",
        id: "vendorID",
        sortable: &["vendorID", "timeStamp", "name"],
        archivable: true,
        writable: true,
        delete: Delete::Archive,
        relations: &[],
        write_cost: 1.0,
    },
    ResourceDef {
        name: "Manufacturer",
        id: "manufacturerID",
        sortable: &["manufacturerID", "timeStamp", "name"],
        archivable: false,
        writable: true,
        delete: Delete::NotAllowed,
        relations: &[],
        write_cost: 1.0,
    },
    ResourceDef {
        name: "Category",
        id: "categoryID",
        sortable: &["categoryID", "timeStamp", "leftNode", "rightNode"],
        archivable: false,
        writable: true,
        delete: Delete::Remove,
        relations: &[rel("Parent", false, RelKind::Ref { resource: "Category", fk: "parentID" })],
        write_cost: 10.0,
    },
    ResourceDef {
        name: "ItemAttributeSet",
        id: "itemAttributeSetID",
        sortable: &["itemAttributeSetID"],
        archivable: true,
        writable: true,
        delete: Delete::Archive,
        relations: &[],
        write_cost: 1.0,
    },
    ResourceDef {
        name: "ItemMatrix",
        id: "itemMatrixID",
        sortable: &["itemMatrixID", "timeStamp", "description"],
        archivable: true,
        writable: true,
        delete: Delete::Archive,
        relations: &[
            rel("Items", true, RelKind::Reverse { resource: "Item", fk: "itemMatrixID" }),
            rel("ItemAttributeSet", false, RelKind::Ref { resource: "ItemAttributeSet", fk: "itemAttributeSetID" }),
            rel("Manufacturer", false, RelKind::Ref { resource: "Manufacturer", fk: "manufacturerID" }),
            rel("Category", false, RelKind::Ref { resource: "Category", fk: "categoryID" }),
            rel("Prices", true, RelKind::Always),
        ],
        write_cost: 1.0,
    },
    ResourceDef {
        name: "Item",
        id: "itemID",
        sortable: &["itemID", "timeStamp", "description"],
        archivable: true,
        writable: true,
        delete: Delete::Archive,
        relations: &[
            rel("ItemShops", true, RelKind::Embedded),
            rel("ItemVendorNums", true, RelKind::Embedded),
            rel("ItemAttributes", false, RelKind::Embedded),
            rel("Note", false, RelKind::Embedded),
            rel("Category", false, RelKind::Ref { resource: "Category", fk: "categoryID" }),
            rel("Manufacturer", false, RelKind::Ref { resource: "Manufacturer", fk: "manufacturerID" }),
            rel("ItemMatrix", false, RelKind::Ref { resource: "ItemMatrix", fk: "itemMatrixID" }),
            rel("Prices", true, RelKind::Always),
        ],
        write_cost: 1.0,
    },
    ResourceDef {
        name: "Order",
        id: "orderID",
        sortable: &["orderID", "timeStamp"],
        archivable: true,
        writable: true,
        delete: Delete::Archive,
        relations: &[
            rel("OrderLines", true, RelKind::Reverse { resource: "OrderLine", fk: "orderID" }),
            rel("Vendor", false, RelKind::Ref { resource: "Vendor", fk: "vendorID" }),
            rel("Shop", false, RelKind::Ref { resource: "Shop", fk: "shopID" }),
            rel("Note", false, RelKind::Embedded),
        ],
        write_cost: 1.0,
    },
    ResourceDef {
        name: "OrderLine",
        id: "orderLineID",
        sortable: &["orderLineID", "timeStamp", "orderID"],
        archivable: false,
        writable: true,
        delete: Delete::Remove,
        relations: &[
            rel("Item", false, RelKind::Ref { resource: "Item", fk: "itemID" }),
            rel("Order", false, RelKind::Ref { resource: "Order", fk: "orderID" }),
        ],
        write_cost: 1.0,
    },
];

pub fn resource(name: &str) -> Option<&'static ResourceDef> {
    RESOURCES.iter().find(|r| r.name == name)
}

/// Wrapper element names of nested collections: `ItemShops` → `{"ItemShop": …}`.
pub fn wrapper_of(key: &str) -> Option<&'static str> {
    Some(match key {
        "ItemShops" => "ItemShop",
        "ItemVendorNums" => "ItemVendorNum",
        "Prices" => "ItemPrice",
        "OrderLines" => "OrderLine",
        "Items" => "Item",
        "purchasingCurrencies" => "purchasingCurrency",
        "Registers" => "Register",
        _ => return None,
    })
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// Field names and defaults for a new record (every scalar a string). Dates that are unset are absent.
pub fn template(resource: &str) -> Vec<(&'static str, &'static str)> {
    match resource {
        "Shop" => vec![
            ("name", ""),
            ("serviceRate", "0"),
            ("timeZone", "US/Pacific"),
            ("taxLabor", "false"),
            ("labelTitle", "Shop Name"),
            ("labelMsrp", "false"),
            ("archived", "false"),
            ("companyRegistrationNumber", ""),
            ("vatNumber", ""),
            ("zebraBrowserPrint", "false"),
            ("contactID", "0"),
            ("taxCategoryID", "1"),
            ("receiptSetupID", "1"),
            ("ccGatewayID", "0"),
            ("priceLevelID", "1"),
        ],
        "Vendor" => vec![
            ("name", ""),
            ("archived", "false"),
            ("accountNumber", ""),
            ("priceLevel", ""),
            ("updatePrice", "false"),
            ("updateCost", "false"),
            ("updateDescription", "false"),
            ("shareSellThrough", "false"),
            ("b2bSellerUID", ""),
        ],
        "Manufacturer" => vec![("name", "")],
        "Category" => vec![
            ("name", ""),
            ("nodeDepth", "0"),
            ("fullPathName", ""),
            ("leftNode", "0"),
            ("rightNode", "0"),
            ("parentID", "0"),
        ],
        "ItemAttributeSet" => vec![
            ("name", ""),
            ("attributeName1", ""),
            ("attributeName2", ""),
            ("attributeName3", ""),
            ("system", "false"),
            ("archived", "false"),
        ],
        "ItemMatrix" => vec![
            ("description", ""),
            ("tax", "true"),
            ("defaultCost", "0"),
            ("itemType", "default"),
            ("serialized", "false"),
            ("modelYear", "0"),
            ("archived", "false"),
            ("itemAttributeSetID", "0"),
            ("manufacturerID", "0"),
            ("categoryID", "0"),
            ("defaultVendorID", "0"),
            ("taxClassID", "1"),
            ("seasonID", "0"),
            ("departmentID", "0"),
            ("itemECommerceID", "0"),
        ],
        "Item" => vec![
            ("systemSku", ""),
            ("defaultCost", "0"),
            ("avgCost", "0"),
            ("discountable", "true"),
            ("tax", "true"),
            ("archived", "false"),
            ("itemType", "default"),
            ("serialized", "false"),
            ("description", ""),
            ("modelYear", "0"),
            ("upc", ""),
            ("ean", ""),
            ("customSku", ""),
            ("manufacturerSku", ""),
            ("publishToEcom", "false"),
            ("categoryID", "0"),
            ("taxClassID", "1"),
            ("departmentID", "0"),
            ("itemMatrixID", "0"),
            ("itemAttributesID", "0"),
            ("manufacturerID", "0"),
            ("noteID", "0"),
            ("seasonID", "0"),
            ("defaultVendorID", "0"),
            ("itemECommerceID", "0"),
        ],
        "Order" => vec![
            ("refNum", ""),
            ("shipInstructions", ""),
            ("stockInstructions", ""),
            ("shipCost", "0"),
            ("shipVendorCost", "0"),
            ("otherCost", "0"),
            ("otherVendorCost", "0"),
            ("complete", "false"),
            ("archived", "false"),
            ("discount", "0"),
            ("totalDiscount", "0"),
            ("totalQuantity", "0"),
            ("subTotalCost", "0"),
            ("totalCost", "0"),
            ("vendorID", "0"),
            ("noteID", "0"),
            ("shopID", "0"),
            ("createdByEmployeeID", "1"),
            ("vendorCurrencyRate", "1"),
            ("vendorCurrencyCode", "USD"),
            ("shippingCostMethod", "evenly"),
            ("discountMethod", "evenly"),
            ("hasShipments", "false"),
            ("discountMoneyValue", "0"),
            ("discountMoneyVendorValue", "0"),
            ("discountIsPercent", "true"),
            ("discountPercentValue", "0"),
            ("costsModifiedAfterShipment", "false"),
            ("b2bOrderUID", ""),
            ("b2bOrderNumber", ""),
        ],
        "OrderLine" => vec![
            ("quantity", "0"),
            ("price", "0"),
            ("originalPrice", "0"),
            ("vendorCost", "0"),
            ("checkedIn", "0"),
            ("numReceived", "0"),
            ("total", "0"),
            ("shippingCost", "0"),
            ("shippingVendorCost", "0"),
            ("discountMoneyValue", "0"),
            ("discountMoneyVendorValue", "0"),
            ("discountPercentValue", "0"),
            ("orderID", "0"),
            ("itemID", "0"),
        ],
        _ => vec![],
    }
}

/// Date fields per resource: omitted while unset.
pub fn date_fields(resource: &str) -> &'static [&'static str] {
    match resource {
        "Order" => &["orderedDate", "arrivalDate", "receivedDate"],
        _ => &[],
    }
}

/// Fields a client may write (POST/PUT); everything else in a body is ignored (read-only or unknown).
pub fn writable_fields(resource: &str) -> Vec<&'static str> {
    let ro: &[&str] = &[
        "systemSku",
        "avgCost",
        "totalDiscount",
        "totalQuantity",
        "subTotalCost",
        "totalCost",
        "total",
        "checkedIn",
        "hasShipments",
        "system",
        "archived",
        "noteID",
        "itemAttributesID",
    ];
    let mut f: Vec<&'static str> = template(resource).into_iter().map(|(k, _)| k).filter(|k| !ro.contains(k)).collect();
    f.extend_from_slice(date_fields(resource));
    if resource == "ItemMatrix" {
        f.extend_from_slice(&["attribute1Values", "attribute2Values", "attribute3Values"]);
    }
    f
}

/// Does the field hold a number (its default is numeric)?
pub fn is_numeric(resource: &str, field: &str) -> bool {
    template(resource).iter().any(|(k, d)| {
        *k == field && d.parse::<f64>().is_ok() && !field.ends_with("Sku") && field != "upc" && field != "ean"
    })
}

pub fn is_bool(resource: &str, field: &str) -> bool {
    template(resource).iter().any(|(k, d)| *k == field && (*d == "true" || *d == "false"))
}

/// A number as the API prints it: `18.00` → `18`, `2.50` → `2.5`.
pub fn fmt_num(f: f64) -> String {
    let r = (f * 100_000.0).round() / 100_000.0;
    if r == r.trunc() && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// Any JSON scalar as the API's string.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().map(fmt_num).unwrap_or_else(|| n.to_string()),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Normalise an incoming value for `field` of `resource`.
pub fn normalise(resource: &str, field: &str, v: &Value) -> Value {
    let raw = scalar(v);
    if is_numeric(resource, field) {
        if raw.is_empty() {
            return s("0");
        }
        if let Ok(f) = raw.trim().parse::<f64>() {
            return Value::String(fmt_num(f));
        }
    }
    if is_bool(resource, field) {
        let b = matches!(raw.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on");
        return Value::String(b.to_string());
    }
    Value::String(raw)
}

pub fn new_record(resource: &str) -> Record {
    template(resource).into_iter().map(|(k, v)| (k.to_string(), s(v))).collect()
}

/// Read a string field.
pub fn get<'a>(r: &'a Record, k: &str) -> &'a str {
    r.get(k).and_then(Value::as_str).unwrap_or("")
}

pub fn num(r: &Record, k: &str) -> f64 {
    get(r, k).parse().unwrap_or(0.0)
}

/// Put internal arrays into the API's shape and drop internal keys (recursively).
pub fn shape(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                if k.starts_with('_') {
                    continue;
                }
                match (wrapper_of(&k), v) {
                    (Some(w), Value::Array(items)) => {
                        let mut items: Vec<Value> = items.into_iter().map(shape).collect();
                        match items.len() {
                            0 => {}
                            1 => {
                                let mut o = Map::new();
                                o.insert(w.to_string(), items.remove(0));
                                out.insert(k, Value::Object(o));
                            }
                            _ => {
                                let mut o = Map::new();
                                o.insert(w.to_string(), Value::Array(items));
                                out.insert(k, Value::Object(o));
                            }
                        }
                    }
                    (_, Value::Array(a)) if a.is_empty() => {
                        out.insert(k, s(""));
                    }
                    (_, v) => {
                        out.insert(k, shape(v));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(shape).collect()),
        Value::Number(_) | Value::Bool(_) => Value::String(scalar(&v)),
        other => other,
    }
}

/// Accept a nested collection as the API sends it (`{"ItemVendorNum": obj|[…]}`), a bare array or a
/// bare object, and return its elements.
pub fn nested_elements(v: &Value, wrapper: &str) -> Vec<Record> {
    let inner = match v {
        Value::Object(m) if m.contains_key(wrapper) => m.get(wrapper).cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    match inner {
        Value::Array(a) => a.into_iter().filter_map(|e| e.as_object().cloned()).collect(),
        Value::Object(m) if !m.is_empty() => vec![m],
        _ => vec![],
    }
}
