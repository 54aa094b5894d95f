//! The 2026 rate limiter: a leaky bucket per (account, OAuth client) sized by the registers in the
//! subscription, plus a 1-second burst limiter, and the drip cost of each request.

use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Limits {
    pub size: f64,
    pub drip: f64,
    pub burst: u32,
}

/// size = 90 + 10 × (registers − 1); drip = 1 + 0.5 × (registers − 1) per second; the burst limit is
/// the same fraction of the bucket as the documented 20 at 90.
pub fn limits(registers: u32) -> Limits {
    let extra = registers.max(1) as f64 - 1.0;
    let size = 90.0 + 10.0 * extra;
    Limits { size, drip: 1.0 + 0.5 * extra, burst: (size * 20.0 / 90.0).floor() as u32 }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Bucket {
    pub level: f64,
    pub updated: f64,
    /// Start (whole second) of the burst window and requests admitted in it.
    pub window: i64,
    pub burst: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Admission {
    Admitted,
    Bucket { retry_after: u64 },
    Burst { retry_after: u64 },
}

impl Bucket {
    pub fn drain(&mut self, now: f64, l: &Limits) {
        if self.updated > 0.0 && now > self.updated {
            self.level = (self.level - (now - self.updated) * l.drip).max(0.0);
        }
        if now > self.updated {
            self.updated = now;
        }
        let w = now.floor() as i64;
        if w != self.window {
            self.window = w;
            self.burst = 0;
        }
    }

    /// Admit a request of `cost` drips: the request that first pushes the level past the size is
    /// admitted, later ones are refused until the level is below the size again.
    pub fn admit(&mut self, now: f64, cost: f64, l: &Limits) -> Admission {
        self.drain(now, l);
        if self.burst >= l.burst {
            let retry = ((self.window + 1) as f64 - now).ceil().max(1.0) as u64;
            return Admission::Burst { retry_after: retry };
        }
        if self.level >= l.size {
            let retry = ((self.level - l.size) / l.drip).ceil().max(1.0) as u64;
            // strictly below the size after `retry` seconds
            let retry = if self.level - retry as f64 * l.drip >= l.size { retry + 1 } else { retry };
            return Admission::Bucket { retry_after: retry };
        }
        self.burst += 1;
        self.level += cost;
        Admission::Admitted
    }
}

/// A number as the headers print it (`92.57`, `1.5`, `1`).
pub fn fmt(f: f64) -> String {
    let r = (f * 1000.0).round() / 1000.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// What a relation costs when loaded: to-one 0.1, to-many 0.2, doubled on lists or under a to-many parent.
pub fn relations_cost(resource: &str, rels: &[String], list: bool) -> f64 {
    let mut total = 0.0;
    for r in rels {
        let mut factor = if list { 2.0 } else { 1.0 };
        let mut res = resource.to_string();
        let mut cost = 0.0;
        for (i, part) in r.split('.').enumerate() {
            let Some(def) = super::model::resource(&res) else { break };
            let rel = def.relations.iter().find(|x| x.name == part);
            let many = rel.map(|x| x.many).unwrap_or(part.ends_with('s'));
            if i > 0 && factor < 4.0 && many {
                factor *= 2.0;
            }
            cost = if many { 0.2 } else { 0.1 };
            res = match rel.map(|x| x.kind) {
                Some(super::model::RelKind::Ref { resource, .. })
                | Some(super::model::RelKind::Reverse { resource, .. }) => resource.to_string(),
                _ => part.to_string(),
            };
        }
        total += cost * factor;
    }
    total
}

/// +0.5 per nested related entity in a POST/PUT body (unchanged ones count too).
pub fn nested_entities(body: &Value) -> usize {
    let Some(m) = body.as_object() else { return 0 };
    let mut n = 0;
    for v in m.values() {
        match v {
            Value::Object(o)
                if o.len() == 1 && o.values().next().map(|x| x.is_array() || x.is_object()).unwrap_or(false) =>
            {
                n += match o.values().next().unwrap() {
                    Value::Array(a) => a.len(),
                    _ => 1,
                };
            }
            Value::Object(o) if !o.is_empty() => n += 1,
            Value::Array(a) => n += a.iter().filter(|x| x.is_object()).count(),
            _ => {}
        }
    }
    n
}

/// `or` surcharge: same field +0; one entity +1 per operand; several entities +10 per entity and +1
/// per extra operand.
pub fn or_cost(operands: &[(String, String)]) -> f64 {
    if operands.len() <= 1 {
        return 0.0;
    }
    let fields: std::collections::BTreeSet<&str> = operands.iter().map(|(f, _)| f.as_str()).collect();
    if fields.len() == 1 {
        return 0.0;
    }
    let entities: std::collections::BTreeSet<&str> =
        operands.iter().map(|(f, _)| f.rsplit_once('.').map(|(e, _)| e).unwrap_or("")).collect();
    if entities.len() <= 1 {
        operands.len() as f64
    } else {
        10.0 * entities.len() as f64 + (operands.len() - entities.len()) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn sizes() {
        let l = limits(6);
        assert_eq!(l.size, 140.0);
        assert_eq!(l.drip, 3.5);
        assert_eq!(limits(1).burst, 20);
    }
    #[test]
    fn first_over_limit_admitted() {
        let l = limits(1);
        let mut b = Bucket { level: 89.5, updated: 1000.0, window: 1000, burst: 0 };
        assert_eq!(b.admit(1000.0, 3.0, &l), Admission::Admitted);
        assert!(matches!(b.admit(1000.0, 1.0, &l), Admission::Bucket { retry_after: 3 }));
        assert_eq!(b.admit(1003.0, 1.0, &l), Admission::Admitted);
    }
    #[test]
    fn costs() {
        assert!((relations_cost("Order", &["OrderLines".into()], false) - 0.2).abs() < 1e-9);
        assert!((relations_cost("Order", &["OrderLines".into(), "Vendor".into()], true) - 0.6).abs() < 1e-9);
        assert_eq!(
            nested_entities(
                &serde_json::json!({"ItemVendorNums":{"ItemVendorNum":[{},{}]},"Note":{"note":"x"},"a":"1"})
            ),
            3
        );
        assert_eq!(or_cost(&[("upc".into(), "1".into()), ("upc".into(), "2".into())]), 0.0);
        assert_eq!(or_cost(&[("upc".into(), "1".into()), ("ean".into(), "2".into())]), 2.0);
    }
}
