//! The data of every sandboxed Lightspeed account, and the write semantics of the REST API
//! (validation, defaults, partial PUT, DELETE archive-vs-remove, totals, merge).

use super::clock::{iso, normalise_date_in};
use super::model::{self, fmt_num, get, nested_elements, new_record, normalise, num, resource, Delete, Record};
use super::receiving::{self, LockedWrites};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// An error in the REST API's own shape (`{httpCode,httpMessage,message,errorClass}`).
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: u16,
    pub message: String,
    pub class: &'static str,
}

impl ApiError {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        let class = match status {
            401 => "BadAuthenticationRequestError",
            404 => "NotFoundException",
            405 => "MethodNotAllowedException",
            422 => "UnprocessableEntityException",
            _ => "Exception",
        };
        ApiError { status, message: message.into(), class }
    }
    pub fn bad(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }
}

/// What B inherits from A when A is merged into B (the real rule is unconfirmed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MergeRule {
    /// B gains A's vendor numbers (`ItemVendorNums` B does not already have).
    VendorNumbers,
    /// B gains nothing from A.
    Nothing,
}

/// What a POST Order with nested `OrderLines` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NestedLines {
    /// Only the first nested line is created (as reported for the real API).
    FirstOnly,
    /// The request is refused with 400.
    Reject,
    /// Every nested line is created.
    Accept,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    pub auto_approve: bool,
    pub expires_in: u64,
    pub merge_rule: MergeRule,
    pub nested_order_lines: NestedLines,
    /// POST Item with a UPC/EAN another live item has: false (default) creates it anyway.
    pub reject_duplicate_upc_on_post: bool,
    /// Keep `load_relations` and filters in `next`/`previous` URLs (true, default) or drop them.
    pub keep_params_in_page_links: bool,
    /// Registers for accounts created without a `registers` value.
    pub default_registers: u32,
    /// Writes to a checked-in/complete PO and below received quantities: refused (default) or accepted.
    pub locked_po_writes: LockedWrites,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auto_approve: false,
            expires_in: 3600,
            merge_rule: MergeRule::VendorNumbers,
            nested_order_lines: NestedLines::FirstOnly,
            reject_duplicate_upc_on_post: false,
            keep_params_in_page_links: true,
            default_registers: 1,
            locked_po_writes: LockedWrites::Reject,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    #[serde(rename = "accountID")]
    pub id: String,
    pub name: String,
    pub registers: u32,
    /// `defaultCurrency.code` of `Account/{id}.json` (seed `currency`, default USD).
    pub currency: String,
    /// resource → id → record
    pub tables: BTreeMap<String, BTreeMap<u64, Record>>,
    pub counters: BTreeMap<String, u64>,
    /// Merges done through the control API (A → B).
    pub merges: Vec<Value>,
}

fn sv(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

fn parse_id(v: &str) -> u64 {
    v.trim().parse().unwrap_or(0)
}

impl Account {
    pub fn new(id: &str, name: &str, registers: u32, now: f64) -> Self {
        let mut a = Account {
            id: id.into(),
            name: name.into(),
            registers: registers.max(1),
            currency: "USD".into(),
            tables: BTreeMap::new(),
            counters: BTreeMap::new(),
            merges: vec![],
        };
        for r in model::RESOURCES {
            a.tables.insert(r.name.to_string(), BTreeMap::new());
        }
        // The four system attribute sets of every real account (set 2 "Size" keeps size in attribute 2).
        for (name, a1, a2, a3) in [
            ("Color/Size", "Color", "Size", ""),
            ("Size", "", "Size", ""),
            ("Color", "Color", "", ""),
            ("3 Attributes", "Attribute 1", "Attribute 2", "Attribute 3"),
        ] {
            let mut r = Map::new();
            r.insert("name".into(), sv(name));
            r.insert("attributeName1".into(), sv(a1));
            r.insert("attributeName2".into(), sv(a2));
            r.insert("attributeName3".into(), sv(a3));
            let id = a.insert_raw("ItemAttributeSet", r, now);
            a.tables.get_mut("ItemAttributeSet").unwrap().get_mut(&id).unwrap().insert("system".into(), sv("true"));
        }
        a
    }

    pub fn next_id(&mut self, key: &str) -> u64 {
        let c = self.counters.entry(key.to_string()).or_insert(0);
        *c += 1;
        *c
    }

    fn bump_counter(&mut self, key: &str, at_least: u64) {
        let c = self.counters.entry(key.to_string()).or_insert(0);
        if *c < at_least {
            *c = at_least;
        }
    }

    pub fn table(&self, res: &str) -> &BTreeMap<u64, Record> {
        static EMPTY: BTreeMap<u64, Record> = BTreeMap::new();
        self.tables.get(res).unwrap_or(&EMPTY)
    }

    pub fn get(&self, res: &str, id: u64) -> Option<&Record> {
        self.tables.get(res).and_then(|t| t.get(&id))
    }

    /// The `timeZone` of the shop a record names (`shopID`): where its date-only dates are local
    /// midnight.
    pub fn shop_zone(&self, record: &Record) -> Option<String> {
        let shop = record.get("shopID").map(model::scalar)?.trim().parse::<u64>().ok()?;
        Some(get(self.get("Shop", shop)?, "timeZone").to_string()).filter(|z| !z.is_empty())
    }

    fn get_mut(&mut self, res: &str, id: u64) -> Option<&mut Record> {
        self.tables.get_mut(res).and_then(|t| t.get_mut(&id))
    }

    /// Insert a record from a template plus plain fields (no validation), returning its id.
    fn insert_raw(&mut self, res: &str, fields: Record, now: f64) -> u64 {
        let def = resource(res).expect("known resource");
        let id = match fields.get(def.id).map(model::scalar).map(|s| parse_id(&s)) {
            Some(id) if id > 0 => {
                self.bump_counter(res, id);
                id
            }
            _ => self.next_id(res),
        };
        let mut r = new_record(res);
        for (k, v) in fields {
            if k != def.id {
                r.insert(k.clone(), normalise(res, &k, &v));
            }
        }
        r.insert(def.id.to_string(), sv(id.to_string()));
        r.insert("timeStamp".into(), sv(iso(now)));
        if matches!(res, "Item" | "Manufacturer" | "Category" | "Order" | "OrderLine") {
            r.insert("createTime".into(), sv(iso(now)));
        }
        self.tables.get_mut(res).unwrap().insert(id, r);
        id
    }

    fn live(&self, res: &str, id: u64) -> Option<&Record> {
        self.get(res, id).filter(|r| get(r, "archived") != "true")
    }

    /// Another live item already carrying this UPC or EAN.
    fn upc_holder(&self, field: &str, code: &str, except: u64) -> Option<u64> {
        if code.is_empty() {
            return None;
        }
        self.table("Item")
            .iter()
            .find(|(id, r)| {
                **id != except
                    && get(r, "archived") != "true"
                    && (get(r, "upc") == code || get(r, "ean") == code)
                    && !field.is_empty()
            })
            .map(|(id, _)| *id)
    }

    // ---------------------------------------------------------------- create

    /// POST semantics. `seeding` lifts the rules a test seed may break on purpose (duplicate UPCs,
    /// archived records, orders with many lines, explicit ids).
    pub fn create(
        &mut self,
        res: &str,
        body: &Record,
        now: f64,
        settings: &Settings,
        seeding: bool,
    ) -> Result<u64, ApiError> {
        let def = resource(res).ok_or_else(|| ApiError::new(404, format!("Unknown resource {res}")))?;
        if !def.writable && !seeding {
            return Err(ApiError::new(405, format!("POST is not supported for {res}.")));
        }
        let verb = format!("{res} not created.");
        let mut fields = Map::new();
        let allowed = model::writable_fields(res);
        for (k, v) in body {
            if allowed.contains(&k.as_str()) || (seeding && (k == def.id || k == "archived" || k == "system")) {
                fields.insert(k.clone(), v.clone());
            }
        }
        let zone = self.shop_zone(&fields);
        for d in model::date_fields(res) {
            if let Some(v) = fields.remove(*d) {
                let raw = model::scalar(&v);
                if !raw.is_empty() {
                    let n = normalise_date_in(&raw, zone.as_deref())
                        .ok_or_else(|| ApiError::bad(format!("{verb} Invalid date for {d}: {raw}.")))?;
                    fields.insert(d.to_string(), sv(n));
                }
            }
        }
        let text = |f: &Map<String, Value>, k: &str| f.get(k).map(model::scalar).unwrap_or_default().trim().to_string();
        match res {
            "Vendor" if text(&fields, "name").is_empty() => {
                return Err(ApiError::bad(format!("{verb} A Vendor must have a name.")))
            }
            "Manufacturer" => {
                let name = text(&fields, "name");
                if name.is_empty() {
                    return Err(ApiError::bad(format!("{verb} A Manufacturer must have a name.")));
                }
                if self.table("Manufacturer").values().any(|m| get(m, "name").eq_ignore_ascii_case(&name)) {
                    return Err(ApiError::bad(format!("{verb} A Manufacturer with the name '{name}' already exists.")));
                }
            }
            "Category" if text(&fields, "name").is_empty() => {
                return Err(ApiError::bad(format!("{verb} A Category must have a name.")));
            }
            "ItemAttributeSet" if text(&fields, "name").is_empty() => {
                return Err(ApiError::bad(format!("{verb} An ItemAttributeSet must have a name.")))
            }
            "ItemMatrix" => {
                if text(&fields, "description").is_empty() {
                    return Err(ApiError::bad(format!("{verb} An ItemMatrix must have a description.")));
                }
                let set = parse_id(&text(&fields, "itemAttributeSetID"));
                if self.live("ItemAttributeSet", set).is_none() {
                    return Err(ApiError::bad(format!("{verb} An ItemMatrix must have a valid itemAttributeSetID.")));
                }
            }
            "Item" => self.validate_item(&fields, 0, &verb, settings, seeding, body)?,
            "Order" => self.validate_order(&fields, &verb, seeding)?,
            "OrderLine" => self.validate_line(&fields, &verb, seeding)?,
            _ => {}
        }
        let id = self.insert_raw(res, fields, now);
        if res == "OrderLine" && !seeding {
            let line = self.get(res, id).cloned().unwrap();
            if let Err(e) = receiving::check_line_write(self, settings.locked_po_writes, None, &line, &verb) {
                self.tables.get_mut(res).unwrap().remove(&id);
                return Err(e);
            }
        }
        if seeding {
            if let Some(a) = body.get("archived") {
                let v = normalise(res, "archived", a);
                self.get_mut(res, id).unwrap().insert("archived".into(), v);
            }
        }
        match res {
            "Item" => self.item_after_create(id, body, now, seeding),
            "ItemMatrix" => {
                let r = self.get_mut(res, id).unwrap();
                for n in 1..=3 {
                    let k = format!("attribute{n}Values");
                    let v = body.get(&k).cloned().unwrap_or(Value::Array(vec![]));
                    r.insert(k, if v.is_array() { v } else { Value::Array(vec![]) });
                }
                r.insert("Prices".into(), prices_from(body.get("Prices"), &[]));
            }
            "Order" => {
                if let Some(note) = body.get("Note").and_then(Value::as_object) {
                    self.set_note(res, id, note, now);
                }
                if let Some(lines) = body.get("OrderLines") {
                    let lines = nested_elements(lines, "OrderLine");
                    let take = if seeding {
                        lines.len()
                    } else {
                        match settings.nested_order_lines {
                            NestedLines::FirstOnly => lines.len().min(1),
                            NestedLines::Accept => lines.len(),
                            NestedLines::Reject if !lines.is_empty() => {
                                self.tables.get_mut("Order").unwrap().remove(&id);
                                return Err(ApiError::bad(format!(
                                    "{verb} Each OrderLine needs to be created individually."
                                )));
                            }
                            NestedLines::Reject => 0,
                        }
                    };
                    for mut l in lines.into_iter().take(take) {
                        l.insert("orderID".into(), sv(id.to_string()));
                        if let Err(e) = self.create("OrderLine", &l, now, settings, seeding) {
                            self.tables.get_mut("Order").unwrap().remove(&id);
                            return Err(e);
                        }
                    }
                }
                let o = self.get("Order", id).unwrap();
                if !seeding
                    && (o.contains_key("orderedDate") || o.contains_key("receivedDate"))
                    && self.lines_of(id).is_empty()
                {
                    self.tables.get_mut("Order").unwrap().remove(&id);
                    return Err(ApiError::bad(format!(
                        "{verb} An Order needs at least one OrderLine before it can be ordered or received."
                    )));
                }
                self.recompute_order(id, now);
            }
            "OrderLine" => {
                self.fill_line(id);
                let order = parse_id(get(self.get("OrderLine", id).unwrap(), "orderID"));
                self.recompute_order(order, now);
            }
            "Category" => self.place_category(id),
            _ => {}
        }
        Ok(id)
    }

    fn validate_item(
        &self,
        fields: &Record,
        me: u64,
        verb: &str,
        settings: &Settings,
        seeding: bool,
        body: &Record,
    ) -> Result<(), ApiError> {
        let text = |k: &str| fields.get(k).map(model::scalar).unwrap_or_default();
        let matrix = parse_id(&text("itemMatrixID"));
        if me == 0 && text("description").trim().is_empty() && matrix == 0 {
            return Err(ApiError::bad(format!("{verb} An Item must have a description.")));
        }
        if matrix > 0 && self.get("ItemMatrix", matrix).is_none() {
            return Err(ApiError::bad(format!("{verb} ItemMatrix {matrix} does not exist.")));
        }
        for f in ["upc", "ean"] {
            let code = text(f);
            if code.is_empty() {
                continue;
            }
            if !seeding && !(11..=14).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_digit()) {
                return Err(ApiError::bad(format!("{verb} {} must be 11-14 digits.", f.to_uppercase())));
            }
            if !seeding && (me > 0 || settings.reject_duplicate_upc_on_post) {
                if let Some(other) = self.upc_holder(f, &code, me) {
                    return Err(ApiError::new(
                        422,
                        format!("{verb} The {} {code} is already used by Item {other}.", f.to_uppercase()),
                    ));
                }
            }
        }
        for n in body.get("ItemVendorNums").map(|v| nested_elements(v, "ItemVendorNum")).unwrap_or_default() {
            let vendor = parse_id(&n.get("vendorID").map(model::scalar).unwrap_or_default());
            if vendor > 0 && self.get("Vendor", vendor).is_none() {
                return Err(ApiError::bad(format!("{verb} Vendor {vendor} does not exist.")));
            }
        }
        Ok(())
    }

    fn validate_order(&self, fields: &Record, verb: &str, seeding: bool) -> Result<(), ApiError> {
        let id = |k: &str| parse_id(&fields.get(k).map(model::scalar).unwrap_or_default());
        let vendor = id("vendorID");
        if vendor == 0 && !seeding {
            return Err(ApiError::bad(format!("{verb} An Order must have a vendorID.")));
        }
        if vendor > 0 && self.get("Vendor", vendor).is_none() {
            return Err(ApiError::bad(format!("{verb} Vendor {vendor} does not exist.")));
        }
        let shop = id("shopID");
        if shop > 0 {
            match self.get("Shop", shop) {
                None => return Err(ApiError::bad(format!("{verb} Shop {shop} does not exist."))),
                Some(s) if get(s, "archived") == "true" && !seeding => {
                    return Err(ApiError::bad(format!("{verb} Shop {shop} is archived.")))
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn validate_line(&self, fields: &Record, verb: &str, seeding: bool) -> Result<(), ApiError> {
        let id = |k: &str| parse_id(&fields.get(k).map(model::scalar).unwrap_or_default());
        let (order, item) = (id("orderID"), id("itemID"));
        match self.get("Order", order) {
            None => return Err(ApiError::bad(format!("{verb} An OrderLine must have a valid orderID."))),
            Some(o) if get(o, "archived") == "true" && !seeding => {
                return Err(ApiError::bad(format!("{verb} Order {order} is archived.")))
            }
            _ => {}
        }
        match self.get("Item", item) {
            None => return Err(ApiError::bad(format!("{verb} An OrderLine must have a valid itemID."))),
            Some(i) if !seeding && !get(i, "_mergedInto").is_empty() => {
                return Err(ApiError::bad(format!(
                    "{verb} Item {item} was merged into Item {} and can no longer be ordered.",
                    get(i, "_mergedInto")
                )))
            }
            Some(i) if !seeding && get(i, "archived") == "true" => {
                return Err(ApiError::bad(format!("{verb} Item {item} is archived.")))
            }
            _ => {}
        }
        Ok(())
    }

    fn item_after_create(&mut self, id: u64, body: &Record, now: f64, seeding: bool) {
        let shops: Vec<u64> = self.table("Shop").keys().copied().collect();
        let given_shops = body.get("ItemShops").map(|v| nested_elements(v, "ItemShop")).unwrap_or_default();
        let mut item_shops = vec![];
        for shop in shops.iter().copied().chain(std::iter::once(0)) {
            let sid = self.next_id("ItemShop");
            let given =
                given_shops.iter().find(|g| parse_id(&g.get("shopID").map(model::scalar).unwrap_or_default()) == shop);
            let qoh = if shop == 0 {
                given_shops
                    .iter()
                    .map(|g| g.get("qoh").map(model::scalar).and_then(|q| q.parse::<f64>().ok()).unwrap_or(0.0))
                    .sum::<f64>()
            } else {
                given.and_then(|g| g.get("qoh")).map(model::scalar).and_then(|q| q.parse::<f64>().ok()).unwrap_or(0.0)
            };
            let qoh = if seeding { qoh } else { 0.0 };
            item_shops.push(json!({
                "itemShopID": sid.to_string(), "qoh": fmt_num(qoh), "sellable": fmt_num(qoh), "backorder": "0",
                "componentQoh": "0", "componentBackorder": "0", "reorderPoint": "0", "reorderLevel": "0",
                "timeStamp": iso(now), "itemID": id.to_string(), "shopID": shop.to_string(),
            }));
        }
        let attrs = body.get("ItemAttributes").and_then(Value::as_object).cloned();
        let attr_id = if attrs.is_some() { self.next_id("ItemAttributes") } else { 0 };
        let vendor_nums = self.vendor_nums_from(id, body.get("ItemVendorNums"), &[], now);
        let matrix = parse_id(get(self.get("Item", id).unwrap(), "itemMatrixID"));
        let r = self.get_mut("Item", id).unwrap();
        r.insert("systemSku".into(), sv((210_000_000_000u64 + id).to_string()));
        r.insert("ItemShops".into(), Value::Array(item_shops));
        r.insert("Prices".into(), prices_from(body.get("Prices"), &[]));
        r.insert("ItemVendorNums".into(), Value::Array(vendor_nums));
        if let Some(a) = attrs {
            r.insert("itemAttributesID".into(), sv(attr_id.to_string()));
            r.insert("ItemAttributes".into(), attributes_from(&a, None));
        }
        if matrix > 0 {
            self.join_matrix(id, matrix, now);
        }
        if let Some(note) = body.get("Note").and_then(Value::as_object) {
            self.set_note("Item", id, note, now);
        }
    }

    /// A variant's attribute values join the matrix's `attributeNValues`; a variant without a
    /// description gets `<matrix description> <attr1> <attr2> <attr3>`.
    fn join_matrix(&mut self, item: u64, matrix: u64, now: f64) {
        let attrs = self
            .get("Item", item)
            .and_then(|i| i.get("ItemAttributes"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let vals: Vec<String> =
            (1..=3).map(|n| attrs.get(&format!("attribute{n}")).map(model::scalar).unwrap_or_default()).collect();
        let Some(m) = self.get_mut("ItemMatrix", matrix) else { return };
        for (n, v) in vals.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let k = format!("attribute{}Values", n + 1);
            let list = m.entry(k).or_insert(Value::Array(vec![]));
            if let Value::Array(a) = list {
                if !a.iter().any(|x| x.as_str() == Some(v)) {
                    a.push(sv(v.clone()));
                }
            }
        }
        m.insert("timeStamp".into(), sv(iso(now)));
        let desc = get(m, "description").to_string();
        let set = get(m, "itemAttributeSetID").to_string();
        let i = self.get_mut("Item", item).unwrap();
        if get(i, "description").trim().is_empty() {
            let d = std::iter::once(desc.as_str())
                .chain(vals.iter().map(String::as_str))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            i.insert("description".into(), sv(d));
        }
        if let Some(Value::Object(a)) = i.get_mut("ItemAttributes") {
            if model::scalar(a.get("itemAttributeSetID").unwrap_or(&Value::Null)).is_empty()
                || a.get("itemAttributeSetID").map(model::scalar).as_deref() == Some("0")
            {
                a.insert("itemAttributeSetID".into(), sv(set));
            }
        }
    }

    fn vendor_nums_from(&mut self, item: u64, v: Option<&Value>, existing: &[Value], now: f64) -> Vec<Value> {
        let mut out: Vec<Value> = existing.to_vec();
        for n in v.map(|v| nested_elements(v, "ItemVendorNum")).unwrap_or_default() {
            let f = |k: &str| n.get(k).map(model::scalar).unwrap_or_default();
            let given_id = parse_id(&f("itemVendorNumID"));
            if let Some(e) = out.iter_mut().find(|e| given_id > 0 && e["itemVendorNumID"] == sv(given_id.to_string())) {
                for k in ["value", "vendorID", "cost"] {
                    if n.contains_key(k) {
                        let val = if k == "value" { sv(f(k)) } else { sv(fmt_num(f(k).parse().unwrap_or(0.0))) };
                        e[k] = val;
                    }
                }
                e["timeStamp"] = sv(iso(now));
                continue;
            }
            let id = self.next_id("ItemVendorNum");
            out.push(json!({
                "itemVendorNumID": id.to_string(), "value": f("value"), "vendorID": fmt_num(f("vendorID").parse().unwrap_or(0.0)),
                "itemID": item.to_string(), "cost": fmt_num(f("cost").parse().unwrap_or(0.0)), "catalogVendorItemID": "0", "timeStamp": iso(now),
            }));
        }
        out
    }

    fn set_note(&mut self, res: &str, id: u64, note: &Map<String, Value>, now: f64) {
        let existing = self.get(res, id).and_then(|r| r.get("Note")).and_then(Value::as_object).cloned();
        let note_id = match &existing {
            Some(n) => parse_id(&model::scalar(n.get("noteID").unwrap_or(&Value::Null))),
            None => self.next_id("Note"),
        };
        let mut n = existing.unwrap_or_default();
        n.insert("noteID".into(), sv(note_id.to_string()));
        n.insert("note".into(), sv(note.get("note").map(model::scalar).unwrap_or_else(|| get(&n, "note").to_string())));
        let public = note
            .get("isPublic")
            .map(|v| normalise("Order", "complete", v))
            .unwrap_or_else(|| n.get("isPublic").cloned().unwrap_or(sv("false")));
        n.insert("isPublic".into(), public);
        n.insert("timeStamp".into(), sv(iso(now)));
        let r = self.get_mut(res, id).unwrap();
        r.insert("noteID".into(), sv(note_id.to_string()));
        r.insert("Note".into(), Value::Object(n));
    }

    fn place_category(&mut self, id: u64) {
        let parent = parse_id(get(self.get("Category", id).unwrap(), "parentID"));
        let (path, depth) = match self.get("Category", parent) {
            Some(p) => (format!("{}/", get(p, "fullPathName")), num(p, "nodeDepth") as u64 + 1),
            None => (String::new(), 0),
        };
        let right = self.table("Category").values().map(|c| num(c, "rightNode") as u64).max().unwrap_or(0);
        let c = self.get_mut("Category", id).unwrap();
        let name = get(c, "name").to_string();
        c.insert("fullPathName".into(), sv(format!("{path}{name}")));
        c.insert("nodeDepth".into(), sv(depth.to_string()));
        c.insert("leftNode".into(), sv((right + 1).to_string()));
        c.insert("rightNode".into(), sv((right + 2).to_string()));
    }

    fn fill_line(&mut self, id: u64) {
        let l = self.get_mut("OrderLine", id).unwrap();
        let given_price = num(l, "price");
        let given_orig = num(l, "originalPrice");
        if given_price == 0.0 && given_orig != 0.0 {
            l.insert("price".into(), sv(fmt_num(given_orig)));
        }
        if given_orig == 0.0 && given_price != 0.0 {
            l.insert("originalPrice".into(), sv(fmt_num(given_price)));
        }
        let total = num(l, "quantity") * num(l, "price");
        l.insert("total".into(), sv(fmt_num(total)));
    }

    pub fn lines_of(&self, order: u64) -> Vec<u64> {
        self.table("OrderLine")
            .iter()
            .filter(|(_, l)| parse_id(get(l, "orderID")) == order)
            .map(|(id, _)| *id)
            .collect()
    }

    /// `totalQuantity`, `subTotalCost`, `totalCost` follow the lines; items' `backorder` follows open POs.
    pub fn recompute_order(&mut self, order: u64, now: f64) {
        let lines: Vec<Record> =
            self.lines_of(order).into_iter().filter_map(|l| self.get("OrderLine", l).cloned()).collect();
        let qty: f64 = lines.iter().map(|l| num(l, "quantity")).sum();
        let sub: f64 = lines.iter().map(|l| num(l, "total")).sum();
        if let Some(o) = self.get_mut("Order", order) {
            let total = sub + num(o, "shipCost") + num(o, "otherCost");
            o.insert("totalQuantity".into(), sv(fmt_num(qty)));
            o.insert("subTotalCost".into(), sv(fmt_num(sub)));
            o.insert("totalCost".into(), sv(fmt_num(total)));
            o.insert("timeStamp".into(), sv(iso(now)));
        }
    }

    // ---------------------------------------------------------------- update

    /// PUT semantics: omitted = unchanged, empty/null = cleared.
    pub fn update(&mut self, res: &str, id: u64, body: &Record, now: f64, settings: &Settings) -> Result<(), ApiError> {
        let def = resource(res).ok_or_else(|| ApiError::new(404, format!("Unknown resource {res}")))?;
        if !def.writable {
            return Err(ApiError::new(405, format!("PUT is not supported for {res}.")));
        }
        let verb = format!("{res} not updated.");
        let current = self.get(res, id).cloned().ok_or_else(|| ApiError::new(404, format!("{res} {id} not found.")))?;
        let allowed = model::writable_fields(res);
        let mut changes: Vec<(String, Option<Value>)> = vec![];
        let zone = self.shop_zone(if body.contains_key("shopID") { body } else { &current });
        for (k, v) in body {
            if !allowed.contains(&k.as_str()) {
                continue;
            }
            if model::date_fields(res).contains(&k.as_str()) {
                let raw = model::scalar(v);
                if raw.is_empty() {
                    changes.push((k.clone(), None));
                } else {
                    let n = normalise_date_in(&raw, zone.as_deref())
                        .ok_or_else(|| ApiError::bad(format!("{verb} Invalid date for {k}: {raw}.")))?;
                    changes.push((k.clone(), Some(sv(n))));
                }
            } else if k.ends_with("Values") {
                changes.push((k.clone(), Some(if v.is_array() { v.clone() } else { Value::Array(vec![]) })));
            } else {
                changes.push((k.clone(), Some(normalise(res, k, v))));
            }
        }
        let mut merged = current.clone();
        for (k, v) in &changes {
            match v {
                Some(v) => merged.insert(k.clone(), v.clone()),
                None => merged.remove(k),
            };
        }
        match res {
            "Item" => {
                if get(&merged, "description").trim().is_empty() {
                    return Err(ApiError::bad(format!("{verb} An Item must have a description.")));
                }
                let changed: Record = changes.iter().filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v))).collect();
                self.validate_item(&changed, id, &verb, settings, false, body)?;
            }
            "Vendor" if get(&merged, "name").trim().is_empty() => {
                return Err(ApiError::bad(format!("{verb} A Vendor must have a name.")))
            }
            "Order" => {
                if settings.locked_po_writes == LockedWrites::Reject {
                    receiving::check_order_put(self, id, &verb)?;
                }
                self.validate_order(&merged, &verb, false)?;
                let dated = changes.iter().any(|(k, v)| (k == "orderedDate" || k == "receivedDate") && v.is_some());
                if dated && self.lines_of(id).is_empty() {
                    return Err(ApiError::bad(format!(
                        "{verb} An Order needs at least one OrderLine before it can be ordered or received."
                    )));
                }
            }
            "OrderLine" => {
                self.validate_line(&merged, &verb, false)?;
                receiving::check_line_write(self, settings.locked_po_writes, Some(&current), &merged, &verb)?;
            }
            _ => {}
        }
        // Un-archive through `archived:false` (PUT can't archive).
        if def.archivable && body.get("archived").map(|v| normalise(res, "archived", v)) == Some(sv("false")) {
            merged.insert("archived".into(), sv("false"));
        }
        merged.insert("timeStamp".into(), sv(iso(now)));
        let old_order = parse_id(get(&current, "orderID"));
        self.tables.get_mut(res).unwrap().insert(id, merged);
        match res {
            "Item" => {
                let existing = current.get("ItemVendorNums").and_then(Value::as_array).cloned().unwrap_or_default();
                if body.contains_key("ItemVendorNums") {
                    let nums = self.vendor_nums_from(id, body.get("ItemVendorNums"), &existing, now);
                    self.get_mut("Item", id).unwrap().insert("ItemVendorNums".into(), Value::Array(nums));
                }
                if body.contains_key("Prices") {
                    let old = current.get("Prices").and_then(Value::as_array).cloned().unwrap_or_default();
                    self.get_mut("Item", id).unwrap().insert("Prices".into(), prices_from(body.get("Prices"), &old));
                }
                if let Some(a) = body.get("ItemAttributes").and_then(Value::as_object) {
                    let old = current.get("ItemAttributes").cloned();
                    let new_id = if old.is_none() {
                        self.next_id("ItemAttributes")
                    } else {
                        parse_id(get(&current, "itemAttributesID"))
                    };
                    let r = self.get_mut("Item", id).unwrap();
                    r.insert("ItemAttributes".into(), attributes_from(a, old.as_ref()));
                    r.insert("itemAttributesID".into(), sv(new_id.to_string()));
                }
                if let Some(note) = body.get("Note").and_then(Value::as_object) {
                    self.set_note("Item", id, note, now);
                }
                let matrix = parse_id(get(self.get("Item", id).unwrap(), "itemMatrixID"));
                if matrix > 0 {
                    self.join_matrix(id, matrix, now);
                }
            }
            "Order" => {
                if let Some(note) = body.get("Note").and_then(Value::as_object) {
                    self.set_note("Order", id, note, now);
                }
                self.recompute_order(id, now);
            }
            "OrderLine" => {
                self.fill_line(id);
                let order = parse_id(get(self.get("OrderLine", id).unwrap(), "orderID"));
                self.recompute_order(order, now);
                if order != old_order {
                    self.recompute_order(old_order, now);
                }
            }
            "Category" => self.place_category(id),
            _ => {}
        }
        Ok(())
    }

    // ---------------------------------------------------------------- delete

    /// DELETE semantics: archive Item/Order/Vendor/ItemMatrix (an Item's stock is zeroed),
    /// permanently delete OrderLine/Category. Returns the record as it was left (or removed).
    pub fn delete(&mut self, res: &str, id: u64, now: f64, settings: &Settings) -> Result<Record, ApiError> {
        let def = resource(res).ok_or_else(|| ApiError::new(404, format!("Unknown resource {res}")))?;
        if self.get(res, id).is_none() {
            return Err(ApiError::new(404, format!("{res} {id} not found.")));
        }
        match def.delete {
            Delete::NotAllowed => Err(ApiError::new(405, format!("DELETE is not supported for {res}."))),
            Delete::Remove => {
                if res == "OrderLine" {
                    receiving::check_line_delete(self, settings.locked_po_writes, self.get(res, id).unwrap())?;
                }
                let r = self.tables.get_mut(res).unwrap().remove(&id).unwrap();
                if res == "OrderLine" {
                    self.recompute_order(parse_id(get(&r, "orderID")), now);
                }
                Ok(r)
            }
            Delete::Archive => {
                if res == "ItemAttributeSet" && get(self.get(res, id).unwrap(), "system") == "true" {
                    return Err(ApiError::bad("System ItemAttributeSets cannot be archived."));
                }
                let r = self.get_mut(res, id).unwrap();
                r.insert("archived".into(), sv("true"));
                r.insert("timeStamp".into(), sv(iso(now)));
                if res == "Item" {
                    if let Some(Value::Array(shops)) = r.get_mut("ItemShops") {
                        for s in shops {
                            s["qoh"] = sv("0");
                            s["sellable"] = sv("0");
                        }
                    }
                }
                Ok(self.get(res, id).unwrap().clone())
            }
        }
    }

    // ---------------------------------------------------------------- merge

    /// The back office's item merge: `from` is archived and can't be ordered any more, `into` keeps
    /// its own fields, gains `from`'s stock, its order lines, and (per `rule`) its vendor numbers.
    pub fn merge(&mut self, from: u64, into: u64, rule: MergeRule, now: f64) -> Result<Value, ApiError> {
        if from == into {
            return Err(ApiError::bad("An item can't be merged into itself."));
        }
        let a = self.get("Item", from).cloned().ok_or_else(|| ApiError::new(404, format!("Item {from} not found.")))?;
        if self.get("Item", into).is_none() {
            return Err(ApiError::new(404, format!("Item {into} not found.")));
        }
        if !get(&a, "_mergedInto").is_empty() {
            return Err(ApiError::bad(format!("Item {from} was already merged.")));
        }
        // stock moves to the survivor
        let a_shops = a.get("ItemShops").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut gained_nums = vec![];
        if rule == MergeRule::VendorNumbers {
            let b_nums = self
                .get("Item", into)
                .unwrap()
                .get("ItemVendorNums")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for n in a.get("ItemVendorNums").and_then(Value::as_array).cloned().unwrap_or_default() {
                if !b_nums.iter().any(|b| b["vendorID"] == n["vendorID"] && b["value"] == n["value"]) {
                    gained_nums.push(n);
                }
            }
        }
        let mut new_nums = vec![];
        for n in &gained_nums {
            let nid = self.next_id("ItemVendorNum");
            let mut n = n.clone();
            n["itemVendorNumID"] = sv(nid.to_string());
            n["itemID"] = sv(into.to_string());
            n["timeStamp"] = sv(iso(now));
            new_nums.push(n);
        }
        let b = self.get_mut("Item", into).unwrap();
        if let Some(Value::Array(shops)) = b.get_mut("ItemShops") {
            for s in shops.iter_mut() {
                let add: f64 = a_shops
                    .iter()
                    .filter(|x| x["shopID"] == s["shopID"])
                    .map(|x| model::scalar(&x["qoh"]).parse::<f64>().unwrap_or(0.0))
                    .sum();
                let q = model::scalar(&s["qoh"]).parse::<f64>().unwrap_or(0.0) + add;
                s["qoh"] = sv(fmt_num(q));
                s["sellable"] = sv(fmt_num(q));
            }
        }
        if let Some(Value::Array(nums)) = b.get_mut("ItemVendorNums") {
            nums.extend(new_nums.iter().cloned());
        } else {
            b.insert("ItemVendorNums".into(), Value::Array(new_nums.clone()));
        }
        b.insert("timeStamp".into(), sv(iso(now)));
        let moved: Vec<u64> = self
            .table("OrderLine")
            .iter()
            .filter(|(_, l)| parse_id(get(l, "itemID")) == from)
            .map(|(id, _)| *id)
            .collect();
        for l in &moved {
            self.get_mut("OrderLine", *l).unwrap().insert("itemID".into(), sv(into.to_string()));
        }
        let a = self.get_mut("Item", from).unwrap();
        a.insert("archived".into(), sv("true"));
        a.insert("_mergedInto".into(), sv(into.to_string()));
        a.insert("timeStamp".into(), sv(iso(now)));
        if let Some(Value::Array(shops)) = a.get_mut("ItemShops") {
            for s in shops {
                s["qoh"] = sv("0");
                s["sellable"] = sv("0");
            }
        }
        let record = json!({"from": from.to_string(), "into": into.to_string(), "rule": rule, "vendorNumsGained": new_nums.len().to_string(), "orderLinesMoved": moved.len().to_string(), "at": iso(now)});
        self.merges.push(record.clone());
        Ok(record)
    }
}

fn prices_from(v: Option<&Value>, old: &[Value]) -> Value {
    let mut prices: Vec<Value> = if old.is_empty() {
        vec![
            json!({"amount":"0","useTypeID":"1","useType":"Default"}),
            json!({"amount":"0","useTypeID":"2","useType":"MSRP"}),
        ]
    } else {
        old.to_vec()
    };
    for p in v.map(|v| nested_elements(v, "ItemPrice")).unwrap_or_default() {
        let use_type = p.get("useTypeID").map(model::scalar).unwrap_or_else(|| "1".into());
        let amount = fmt_num(p.get("amount").map(model::scalar).and_then(|a| a.parse().ok()).unwrap_or(0.0));
        if let Some(e) = prices.iter_mut().find(|e| e["useTypeID"] == sv(use_type.clone())) {
            e["amount"] = sv(amount);
        } else {
            let name = match use_type.as_str() {
                "1" => "Default",
                "2" => "MSRP",
                "3" => "Online",
                _ => "Price Level",
            };
            prices.push(json!({"amount": amount, "useTypeID": use_type, "useType": p.get("useType").map(model::scalar).unwrap_or(name.into())}));
        }
    }
    Value::Array(prices)
}

fn attributes_from(a: &Map<String, Value>, old: Option<&Value>) -> Value {
    let mut out = old.and_then(Value::as_object).cloned().unwrap_or_else(|| {
        let mut m = Map::new();
        for k in ["attribute1", "attribute2", "attribute3"] {
            m.insert(k.into(), sv(""));
        }
        m.insert("itemAttributeSetID".into(), sv("0"));
        m
    });
    for k in ["attribute1", "attribute2", "attribute3", "itemAttributeSetID"] {
        if let Some(v) = a.get(k) {
            out.insert(k.into(), sv(model::scalar(v)));
        }
    }
    Value::Object(out)
}
