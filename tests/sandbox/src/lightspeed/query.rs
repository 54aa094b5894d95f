//! List queries: filters (`=`, `>`, `><`, `!=`, `~`, `!~`, `IN`, `or=`), `archived`, `sort`,
//! `load_relations`, `count=1` and V3 cursor pagination.

use super::clock::normalise_date;
use super::model::{self, get, Record, ResourceDef};
use super::store::ApiError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;

pub const MAX_IN: usize = 100;
pub const MAX_LIMIT: usize = 100;

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Eq,
    Neq,
    Gt,
    Ge,
    Lt,
    Le,
    Between,
    Like,
    NotLike,
    In,
}

#[derive(Debug, Clone)]
pub struct Filter {
    pub field: String,
    pub op: Op,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Archived {
    No,
    Both,
    Only,
}

#[derive(Debug, Clone)]
pub struct ListQuery {
    pub limit: usize,
    pub after: Option<Vec<Value>>,
    pub before: Option<Vec<Value>>,
    pub sort: String,
    pub desc: bool,
    pub sort_given: bool,
    pub limit_given: bool,
    pub archived: Archived,
    pub count: bool,
    pub load: Vec<String>,
    pub filters: Vec<Filter>,
    /// One `or=` group: a record matches when any of them does.
    pub or: Vec<Filter>,
    /// (field, raw value) of each `or` operand, for the cost.
    pub or_operands: Vec<(String, String)>,
    /// The query's pairs in order, decoded.
    pub pairs: Vec<(String, String)>,
}

const RESERVED: &[&str] = &[
    "limit",
    "after",
    "before",
    "sort",
    "archived",
    "count",
    "load_relations",
    "or",
    "offset",
    "orderby",
    "orderby_desc",
    "timeStamp_",
];

/// The relations `load_relations` names, `all` expanded.
pub fn parse_relations(def: &ResourceDef, raw: &str) -> Result<Vec<String>, ApiError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(vec![]);
    }
    let names: Vec<String> = if raw == "all" || raw == "\"all\"" {
        let mut v: Vec<String> = def.relations.iter().map(|r| r.name.to_string()).collect();
        if def.name == "Item" {
            v.push("ItemAttributes.ItemAttributeSet".into());
        }
        return Ok(v);
    } else if raw.starts_with('[') {
        serde_json::from_str::<Vec<String>>(raw).map_err(|_| {
            ApiError::bad(format!("Invalid load_relations value: {raw}. Expected a JSON array of relation names."))
        })?
    } else {
        raw.split(',').map(|s| s.trim().trim_matches('"').to_string()).collect()
    };
    for n in &names {
        let first = n.split('.').next().unwrap_or("");
        if !def.relations.iter().any(|r| r.name == first) {
            let valid: Vec<&str> = def.relations.iter().map(|r| r.name).collect();
            return Err(ApiError::bad(format!(
                "Invalid relation '{n}' for {}. Valid relations: {}.",
                def.name,
                valid.join(", ")
            )));
        }
    }
    Ok(names)
}

fn parse_filter(field: &str, raw: &str) -> Result<Filter, ApiError> {
    let (op, rest) = match raw.split_once(',') {
        Some((o, rest)) => match o {
            "=" => (Op::Eq, rest),
            "!=" => (Op::Neq, rest),
            ">" => (Op::Gt, rest),
            ">=" => (Op::Ge, rest),
            "<" => (Op::Lt, rest),
            "<=" => (Op::Le, rest),
            "><" => (Op::Between, rest),
            "~" => (Op::Like, rest),
            "!~" => (Op::NotLike, rest),
            "IN" | "in" => (Op::In, rest),
            _ => (Op::Eq, raw),
        },
        None => (Op::Eq, raw),
    };
    let values = match op {
        Op::In => {
            let inner = rest.trim();
            let list: Vec<String> = if inner.starts_with('[') && inner.ends_with(']') {
                match serde_json::from_str::<Vec<Value>>(inner) {
                    Ok(v) => v.iter().map(model::scalar).collect(),
                    Err(_) => {
                        inner[1..inner.len() - 1].split(',').map(|s| s.trim().trim_matches('"').to_string()).collect()
                    }
                }
            } else {
                inner.split(',').map(|s| s.trim().to_string()).collect()
            };
            let list: Vec<String> = list.into_iter().filter(|s| !s.is_empty()).collect();
            if list.len() > MAX_IN {
                return Err(ApiError::bad(format!(
                    "The IN operator accepts at most {MAX_IN} values; {} were given for '{field}'.",
                    list.len()
                )));
            }
            list
        }
        Op::Between => {
            let v: Vec<String> = rest.splitn(2, ',').map(str::to_string).collect();
            if v.len() != 2 {
                return Err(ApiError::bad(format!("The >< operator needs two values for '{field}'.")));
            }
            v
        }
        _ => vec![rest.to_string()],
    };
    Ok(Filter { field: field.to_string(), op, values })
}

fn known_field(def: &ResourceDef, field: &str) -> bool {
    if let Some((rel, _)) = field.split_once('.') {
        return def.relations.iter().any(|r| r.name == rel);
    }
    field == def.id
        || field == "timeStamp"
        || field == "createTime"
        || (def.name == "Item" && field == "itemCode")
        || model::template(def.name).iter().any(|(k, _)| *k == field)
        || model::date_fields(def.name).contains(&field)
}

impl ListQuery {
    pub fn parse(def: &ResourceDef, raw_query: &str, is_list: bool) -> Result<ListQuery, ApiError> {
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(raw_query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let mut q = ListQuery {
            limit: MAX_LIMIT,
            after: None,
            before: None,
            sort: def.id.to_string(),
            desc: false,
            sort_given: false,
            limit_given: false,
            archived: Archived::No,
            count: false,
            load: vec![],
            filters: vec![],
            or: vec![],
            or_operands: vec![],
            pairs: pairs.clone(),
        };
        let cursor = |v: &str| -> Result<Vec<Value>, ApiError> {
            let bytes = STANDARD.decode(v.trim()).map_err(|_| ApiError::bad("Invalid pagination cursor."))?;
            serde_json::from_slice::<Vec<Value>>(&bytes).map_err(|_| ApiError::bad("Invalid pagination cursor."))
        };
        for (k, v) in &pairs {
            match k.as_str() {
                "limit" => {
                    let n: usize = v.trim().parse().map_err(|_| ApiError::bad(format!("Invalid limit '{v}'.")))?;
                    if n > MAX_LIMIT {
                        return Err(ApiError::bad(format!("Limit must be between 0 and {MAX_LIMIT}; got {n}.")));
                    }
                    q.limit = n;
                    q.limit_given = true;
                }
                "after" => q.after = Some(cursor(v)?),
                "before" => q.before = Some(cursor(v)?),
                "sort" => {
                    let (desc, f) = match v.strip_prefix('-') {
                        Some(f) => (true, f),
                        None => (false, v.as_str()),
                    };
                    if !def.sortable.contains(&f) {
                        return Err(ApiError::bad(format!(
                            "Invalid sort field '{f}' for {}. Sortable fields: {}.",
                            def.name,
                            def.sortable.join(", ")
                        )));
                    }
                    q.sort = f.to_string();
                    q.desc = desc;
                    q.sort_given = true;
                }
                "archived" => {
                    q.archived = match v.to_ascii_lowercase().as_str() {
                        "true" | "1" => Archived::Both,
                        "only" => Archived::Only,
                        "false" | "0" | "" => Archived::No,
                        other => {
                            return Err(ApiError::bad(format!(
                                "Invalid archived value '{other}': use true, false or only."
                            )))
                        }
                    }
                }
                "count" => q.count = v == "1" || v == "true",
                "load_relations" => q.load = parse_relations(def, v)?,
                "or" => {
                    for operand in v.split('|').filter(|s| !s.is_empty()) {
                        let (f, val) = operand
                            .split_once('=')
                            .ok_or_else(|| ApiError::bad(format!("Invalid or operand '{operand}'.")))?;
                        if !known_field(def, f) {
                            return Err(ApiError::bad(format!("Invalid field '{f}' in or for {}.", def.name)));
                        }
                        q.or.push(parse_filter(f, val)?);
                        q.or_operands.push((f.to_string(), val.to_string()));
                    }
                }
                k if RESERVED.contains(&k) => {}
                field => {
                    if !is_list && field == def.id {
                        continue;
                    }
                    if !known_field(def, field) {
                        return Err(ApiError::bad(format!("Invalid field '{field}' for {}.", def.name)));
                    }
                    q.filters.push(parse_filter(field, v)?);
                }
            }
        }
        if q.count && (q.limit_given || q.sort_given || q.after.is_some() || q.before.is_some()) {
            return Err(ApiError::bad("count=1 can't be combined with limit, sort, after or before."));
        }
        Ok(q)
    }
}

/// SQL LIKE, case-insensitive, `%` any run, `_` one character.
pub fn like(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0usize, 0usize, None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '_' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '%' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '%' {
        pi += 1;
    }
    pi == p.len()
}

fn cmp_values(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        _ => a.cmp(b),
    }
}

fn norm_value(field: &str, v: &str) -> String {
    if field.ends_with("Date") || field == "timeStamp" || field == "createTime" {
        normalise_date(v).unwrap_or_else(|| v.to_string())
    } else {
        v.to_string()
    }
}

/// Fields Lightspeed keeps as text: compared as strings (any case), never as numbers. A code's
/// leading zeros are part of it: `upc=012345678905` does not find `0012345678905`, so a client
/// must ask for every form a merchant may have typed (`itemCode` matches `upc`, `ean` or the id).
fn is_text_field(field: &str) -> bool {
    matches!(field, "upc" | "ean" | "itemCode" | "customSku" | "manufacturerSku")
}

fn op_matches(f: &Filter, v: &str) -> bool {
    use std::cmp::Ordering::*;
    let first = norm_value(&f.field, f.values.first().map(String::as_str).unwrap_or(""));
    if is_text_field(&f.field) {
        match f.op {
            Op::Eq => return v.eq_ignore_ascii_case(&first),
            Op::Neq => return !v.eq_ignore_ascii_case(&first),
            Op::In => return f.values.iter().any(|x| v.eq_ignore_ascii_case(x)),
            _ => {}
        }
    }
    match f.op {
        Op::Eq => cmp_values(v, &first) == Equal && (v.parse::<f64>().is_ok() || v.eq_ignore_ascii_case(&first)),
        Op::Neq => !(cmp_values(v, &first) == Equal && (v.parse::<f64>().is_ok() || v.eq_ignore_ascii_case(&first))),
        Op::Gt => cmp_values(v, &first) == Greater,
        Op::Ge => cmp_values(v, &first) != Less,
        Op::Lt => cmp_values(v, &first) == Less,
        Op::Le => cmp_values(v, &first) != Greater,
        Op::Between => {
            let hi = norm_value(&f.field, &f.values[1]);
            cmp_values(v, &first) != Less && cmp_values(v, &hi) != Greater
        }
        Op::Like => like(&first, v),
        Op::NotLike => !like(&first, v),
        Op::In => f
            .values
            .iter()
            .any(|x| cmp_values(v, x) == Equal && (v.parse::<f64>().is_ok() || v.eq_ignore_ascii_case(x))),
    }
}

/// The values a (possibly dotted) field has on a record; `related` gives to-many related records.
pub fn field_values(def: &ResourceDef, r: &Record, field: &str, related: &dyn Fn(&str) -> Vec<Record>) -> Vec<String> {
    if def.name == "Item" && field == "itemCode" {
        return vec![get(r, "itemID").to_string(), get(r, "upc").to_string(), get(r, "ean").to_string()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
    }
    if let Some((rel, sub)) = field.split_once('.') {
        let elems: Vec<Record> = match r.get(rel) {
            Some(Value::Array(a)) => a.iter().filter_map(|e| e.as_object().cloned()).collect(),
            Some(Value::Object(o)) => vec![o.clone()],
            _ => related(rel),
        };
        return elems.iter().map(|e| model::scalar(e.get(sub).unwrap_or(&Value::Null))).collect();
    }
    match r.get(field) {
        Some(v) => vec![model::scalar(v)],
        None => vec![String::new()],
    }
}

pub fn filter_matches(def: &ResourceDef, r: &Record, f: &Filter, related: &dyn Fn(&str) -> Vec<Record>) -> bool {
    let vals = field_values(def, r, &f.field, related);
    if f.op == Op::Neq || f.op == Op::NotLike {
        vals.iter().all(|v| op_matches(f, v))
    } else {
        vals.iter().any(|v| op_matches(f, v))
    }
}

impl ListQuery {
    pub fn matches(&self, def: &ResourceDef, r: &Record, related: &dyn Fn(&str) -> Vec<Record>) -> bool {
        if def.archivable {
            let archived = get(r, "archived") == "true";
            match self.archived {
                Archived::No if archived => return false,
                Archived::Only if !archived => return false,
                _ => {}
            }
        }
        self.filters.iter().all(|f| filter_matches(def, r, f, related))
            && (self.or.is_empty() || self.or.iter().any(|f| filter_matches(def, r, f, related)))
    }

    /// The cursor key of a record: `[id]` when sorting by id, else `[value, id]`.
    pub fn key(&self, def: &ResourceDef, r: &Record) -> Vec<Value> {
        let id: u64 = get(r, def.id).parse().unwrap_or(0);
        if self.sort == def.id {
            vec![Value::from(id)]
        } else {
            vec![Value::String(get(r, &self.sort).to_string()), Value::from(id)]
        }
    }

    pub fn cmp_keys(&self, a: &[Value], b: &[Value]) -> std::cmp::Ordering {
        let mut o = std::cmp::Ordering::Equal;
        for (x, y) in a.iter().zip(b.iter()) {
            o = o.then(cmp_values(&model::scalar(x), &model::scalar(y)));
        }
        if self.desc {
            o.reverse()
        } else {
            o
        }
    }

    pub fn encode_cursor(key: &[Value]) -> String {
        STANDARD.encode(serde_json::to_string(key).unwrap_or_default())
    }

    /// Sort, then cut the page: returns (page, has_more_after, has_more_before).
    pub fn page(&self, def: &ResourceDef, mut rows: Vec<Record>) -> (Vec<Record>, bool, bool) {
        rows.sort_by(|a, b| self.cmp_keys(&self.key(def, a), &self.key(def, b)));
        let (start, end) = if let Some(c) = &self.before {
            let end = rows
                .iter()
                .position(|r| self.cmp_keys(&self.key(def, r), c) != std::cmp::Ordering::Less)
                .unwrap_or(rows.len());
            (end.saturating_sub(self.limit), end)
        } else {
            let start = match &self.after {
                Some(c) => rows
                    .iter()
                    .position(|r| self.cmp_keys(&self.key(def, r), c) == std::cmp::Ordering::Greater)
                    .unwrap_or(rows.len()),
                None => 0,
            };
            (start, (start + self.limit).min(rows.len()))
        };
        let more_after = end < rows.len() && self.limit > 0;
        let more_before = start > 0 && self.limit > 0;
        let page = rows[start..end].to_vec();
        (page, more_after, more_before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn like_patterns() {
        assert!(like("harbor%", "Harbor Goods"));
        assert!(like("%abc%", "xxABCyy"));
        assert!(!like("abc%", "xabc"));
        assert!(like("a_c", "abc"));
    }
    #[test]
    fn in_limit() {
        let def = model::resource("Item").unwrap();
        let vals: Vec<String> = (0..101).map(|i| i.to_string()).collect();
        let q = format!("itemID=IN,[{}]", vals.join(","));
        assert!(ListQuery::parse(def, &q, true).is_err());
        let q = format!("itemID=IN,[{}]", vals[..100].join(","));
        assert_eq!(ListQuery::parse(def, &q, true).unwrap().filters[0].values.len(), 100);
    }
}
