//! Records → API JSON: relations (`load_relations`), then the quirky shape.

use super::model::{self, get, Record, RelKind};
use super::store::Account;
use serde_json::{Map, Value};

fn sub_relations(loaded: &[String], name: &str) -> Vec<String> {
    loaded.iter().filter_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix('.')).map(str::to_string)).collect()
}

/// A record with the relations in `loaded` (plus `extra` embedded ones), in internal form (arrays).
pub fn expand(acct: &Account, res: &str, r: &Record, loaded: &[String], extra: &[&str]) -> Value {
    let Some(def) = model::resource(res) else { return Value::Object(r.clone()) };
    let mut out = r.clone();
    let id = get(r, def.id).to_string();
    for rel in def.relations {
        let wanted = loaded.iter().any(|l| l == rel.name || l.starts_with(&format!("{}.", rel.name)));
        let sub = sub_relations(loaded, rel.name);
        match rel.kind {
            RelKind::Always => {}
            RelKind::Embedded => {
                if !wanted && !extra.contains(&rel.name) {
                    out.remove(rel.name);
                }
            }
            RelKind::Ref { resource, fk } => {
                out.remove(rel.name);
                if wanted {
                    let target: u64 = get(r, fk).parse().unwrap_or(0);
                    if let Some(t) = acct.get(resource, target) {
                        out.insert(rel.name.to_string(), expand(acct, resource, t, &sub, &[]));
                    }
                }
            }
            RelKind::Reverse { resource, fk } => {
                out.remove(rel.name);
                if wanted {
                    let children: Vec<Value> = acct
                        .table(resource)
                        .values()
                        .filter(|c| get(c, fk) == id)
                        .map(|c| expand(acct, resource, c, &sub, &[]))
                        .collect();
                    out.insert(rel.name.to_string(), Value::Array(children));
                }
            }
        }
    }
    if res == "Item" && loaded.iter().any(|l| l == "ItemAttributes.ItemAttributeSet") {
        if let Some(Value::Object(a)) = out.get_mut("ItemAttributes") {
            let set: u64 = model::scalar(a.get("itemAttributeSetID").unwrap_or(&Value::Null)).parse().unwrap_or(0);
            if let Some(s) = acct.get("ItemAttributeSet", set) {
                a.insert("ItemAttributeSet".into(), Value::Object(s.clone()));
            }
        }
    }
    Value::Object(out)
}

/// The API's JSON for one record.
pub fn render(acct: &Account, res: &str, r: &Record, loaded: &[String], extra: &[&str]) -> Value {
    model::shape(expand(acct, res, r, loaded, extra))
}

/// `{"@attributes":{"count":"1"},"Res":{…}}`
pub fn single(res: &str, v: Value) -> Value {
    let mut m = Map::new();
    m.insert("@attributes".into(), serde_json::json!({"count": "1"}));
    m.insert(res.into(), v);
    Value::Object(m)
}

/// `{"@attributes":{"next":…,"previous":…},"Res":obj|[…]}` (key absent when empty).
pub fn list(res: &str, rows: Vec<Value>, next: String, previous: String) -> Value {
    let mut m = Map::new();
    m.insert("@attributes".into(), serde_json::json!({"next": next, "previous": previous}));
    match rows.len() {
        0 => {}
        1 => {
            m.insert(res.into(), rows.into_iter().next().unwrap());
        }
        _ => {
            m.insert(res.into(), Value::Array(rows));
        }
    }
    Value::Object(m)
}
