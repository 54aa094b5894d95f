//! Item codes (UPC / EAN): which NuORDER codes are usable, when two codes are the same, and which
//! values to ask Lightspeed for.
//!
//! Rules (issue 5, item 1):
//!
//! - A code is **usable** when, after removing whitespace (any: a tab, a non-breaking space) and
//!   dashes, it is 11 to 14 ASCII digits, or 9 or 10 digits whose last is their GS1 check digit
//!   (below). Anything else (`"N/A"`, empty, letters, 8 or 15 digits, 10 digits failing the
//!   check) is "no usable code" ([`Code::parse`] returns `None`). Leading zeros are kept: the
//!   digits are never read as a number.
//! - Two codes are **the same** when they are equal once left-padded with zeros to 14 digits
//!   (the GTIN-14 form, [`CodeKey`]). So the 12-digit UPC-A `012345678905`, the 13-digit EAN
//!   `0012345678905` and the GTIN-14 `00012345678905` are one code.
//! - **11 digits** are taken as a UPC-A that lost its leading zero (NuORDER product uploads go
//!   through spreadsheets that strip leading zeros, `nuorder.md` §3.5): `12345678905` is the same
//!   code as `012345678905`. A new item gets the restored 12-digit form in `upc`, so that scanning
//!   the printed barcode finds it; lookups still ask for the 11 raw digits too.
//! - **9 or 10 digits** are a UPC-A that lost two or three leading zeros the same way (reference
//!   §3.5 and §6 13: "leading zeros lost"; `003600029143` becomes `3600029143`), taken only when
//!   the check digit holds (GS1's, which leading zeros do not change): a shorter number that is
//!   no barcode, a brand's internal code say, fails it nine times in ten, and a code taken
//!   wrongly would match a stranger's item. Restored to 12 digits like an 11-digit code; no
//!   Lightspeed field holds fewer than 11 digits, so lookups ask only the 11- to 14-digit forms.
//!   Fewer digits than 9 would be an EAN-8 or a UPC-E, not a lost-zeros UPC-A.
//! - **Where a new item stores it** ([`Code::field`]): 11 or 12 digits in `upc`, 13 or 14 in `ean`.
//! - **Lookups** ([`Code::query_forms`], [`code_batches`]): Lightspeed compares strings, and a
//!   merchant may have typed the same code as a UPC-A, an EAN-13 with a leading `0`, a GTIN-14
//!   zero-padded to the fields' 14 digits, or without its leading zero. For each code we ask for
//!   every form from 11 to 14 digits (those that exist by adding or removing leading zeros), `IN`
//!   batches of at most
//!   [`MAX_IN_VALUES`] values. Results are then compared by [`CodeKey`], so over-asking never
//!   produces a false match.
//! - **Which field** a lookup asks: both. Lightspeed takes 11–14 digits in `upc` *and* in `ean`
//!   (reference §8: each "must be 11–14 digits"), and merchants use that: a recorded item holds the
//!   13-digit `0614121182479` in `upc` (`real-responses/lightspeed-2016/items-show-0.json`). So no
//!   form can be confined to one field without missing items that hold it in the other; each batch
//!   is asked once through `itemCode`, which matches `upc` or `ean` (one request per batch where
//!   `upc` and `ean` apart cost two).

use crate::core::sorted;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// The most values Lightspeed accepts in one `IN` filter (2022.05.20 change).
pub const MAX_IN_VALUES: usize = 100;

/// A usable UPC/EAN: 11–14 digits, or 9–10 with their check digit, as sent minus whitespace and
/// dashes (leading zeros kept).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Code(String);

/// The canonical form of a code for equality and lookup: 14 digits, zero-padded on the left.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CodeKey(String);

pub use crate::lightspeed::endpoints::CodeField;

impl Code {
    /// The usable code in `raw`, or `None` ("no usable code").
    pub fn parse(raw: &str) -> Option<Code> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let ok = digits.bytes().all(|b| b.is_ascii_digit())
            && match digits.len() {
                11..=14 => true,
                9 | 10 => check_digit_holds(&digits),
                _ => false,
            };
        ok.then_some(Code(digits))
    }

    /// [`Code::parse`] of an optional value.
    pub fn parse_opt(raw: Option<&str>) -> Option<Code> {
        raw.and_then(Code::parse)
    }

    /// The digits as sent (whitespace and dashes removed).
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The GTIN-14 key: equal keys are the same code.
    pub fn key(&self) -> CodeKey {
        CodeKey(format!("{:0>14}", self.0))
    }

    /// Where a new item stores this code: 11–12 digits in `upc`, 13–14 in `ean`.
    pub fn field(&self) -> CodeField {
        if self.0.len() <= 12 {
            CodeField::Upc
        } else {
            CodeField::Ean
        }
    }

    /// The value a new item stores: the digits, with a shorter code restored to 12 digits.
    pub fn write_value(&self) -> String {
        format!("{:0>12}", self.0)
    }

    /// Every string under which Lightspeed may hold this code: its 11- to 14-digit forms reachable
    /// by adding or removing leading zeros (the raw digits among them). Sorted, no duplicates.
    pub fn query_forms(&self) -> Vec<String> {
        let key = self.key();
        let mut forms = BTreeSet::new();
        if self.0.len() >= 11 {
            forms.insert(self.0.clone());
        }
        for len in 11..=14 {
            if let Some(form) = key.form(len) {
                forms.insert(form);
            }
        }
        forms.into_iter().collect()
    }
}

impl CodeKey {
    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key of a stored `upc`/`ean` value, when it is a usable code.
    pub fn of(raw: &str) -> Option<CodeKey> {
        Code::parse(raw).map(|c| c.key())
    }

    /// This code written with exactly `len` digits (11–14), if only zeros are dropped.
    pub fn form(&self, len: usize) -> Option<String> {
        if !(11..=14).contains(&len) {
            return None;
        }
        let cut = 14 - len;
        self.0[..cut].bytes().all(|b| b == b'0').then(|| self.0[cut..].to_string())
    }
}

/// GS1's check: from the right, the digits before the last weigh 3, 1, 3, …, and the last makes
/// the sum a multiple of 10. Leading zeros weigh nothing, so every zero-padded form agrees.
fn check_digit_holds(digits: &str) -> bool {
    let sum: u32 =
        digits.bytes().rev().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 1 { 3 } else { 1 }).sum();
    sum.is_multiple_of(10)
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for CodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Code {
    type Error = String;
    fn try_from(s: String) -> Result<Code, String> {
        Code::parse(&s).ok_or_else(|| format!("not a usable UPC/EAN: {s:?}"))
    }
}

impl From<Code> for String {
    fn from(c: Code) -> String {
        c.0
    }
}

/// One `IN` query: `itemCode=IN,[values…]` (either field, see the module docs) with at most
/// [`MAX_IN_VALUES`] values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeBatch {
    pub values: Vec<String>,
}

/// The `IN` queries that find every item holding any of `codes` in `upc` or `ean`, archived
/// included (the caller adds `archived=true`): all query forms of all codes, deduplicated and
/// sorted, cut into batches of at most [`MAX_IN_VALUES`], each asked in both fields at once.
pub fn code_batches<'a>(codes: impl IntoIterator<Item = &'a Code>) -> Vec<CodeBatch> {
    let values = sorted::set(codes.into_iter().flat_map(|c| c.query_forms()));
    let values: Vec<String> = values.into_iter().collect();
    values.chunks(MAX_IN_VALUES).map(|chunk| CodeBatch { values: chunk.to_vec() }).collect()
}

/// Cuts any list of values into `IN` batches of at most [`MAX_IN_VALUES`], deduplicated and
/// sorted (vendor numbers, manufacturer SKUs, item ids).
pub fn in_batches<T: Ord + Clone>(values: impl IntoIterator<Item = T>) -> Vec<Vec<T>> {
    let all: Vec<T> = sorted::set(values).into_iter().collect();
    all.chunks(MAX_IN_VALUES).map(|c| c.to_vec()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_codes_table() {
        // (raw, usable digits or None, field)
        let rows: &[(&str, Option<&str>, Option<CodeField>)] = &[
            ("012345678905", Some("012345678905"), Some(CodeField::Upc)),
            ("0012345678905", Some("0012345678905"), Some(CodeField::Ean)),
            ("00012345678905", Some("00012345678905"), Some(CodeField::Ean)),
            ("12345678905", Some("12345678905"), Some(CodeField::Upc)),
            ("0-12345-67890-5", Some("012345678905"), Some(CodeField::Upc)),
            (" 0 12345 67890 5 ", Some("012345678905"), Some(CodeField::Upc)),
            ("3760123450010", Some("3760123450010"), Some(CodeField::Ean)),
            ("1234567890", None, None), // 10 digits, no check digit
            ("3600029143", Some("3600029143"), Some(CodeField::Upc)), // 003600029143, two zeros lost
            ("3600029144", None, None), // the same, check digit wrong
            ("123456784", Some("123456784"), Some(CodeField::Upc)), // 000123456784, three lost
            ("12345670", None, None),   // 8 digits: EAN-8, not a lost UPC-A
            ("123456789012345", None, None), // 15 digits
            ("N/A", None, None),
            ("", None, None),
            ("   ", None, None),
            ("01234567890A", None, None),
            ("0123456789.5", None, None),
            ("٠١٢٣٤٥٦٧٨٩٠٥", None, None), // non-ASCII digits
            ("012345678905\t", Some("012345678905"), Some(CodeField::Upc)),
            ("\u{a0}012345678905\r\n", Some("012345678905"), Some(CodeField::Upc)),
            ("0123\u{7}45678905", None, None), // a control character is no whitespace
        ];
        for (raw, want, field) in rows {
            let got = Code::parse(raw);
            assert_eq!(got.as_ref().map(|c| c.digits()), *want, "{raw:?}");
            assert_eq!(got.as_ref().map(|c| c.field()), *field, "{raw:?}");
        }
    }

    #[test]
    fn upc_a_and_its_ean_13_with_leading_zero_are_the_same_code() {
        let same = ["012345678905", "0012345678905", "00012345678905", "12345678905"];
        let keys: BTreeSet<CodeKey> = same.iter().map(|s| CodeKey::of(s).unwrap()).collect();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys.iter().next().unwrap().as_str(), "00012345678905");
        // A different EAN-13 (not a leading-zero form) is another code.
        assert_ne!(CodeKey::of("1012345678905").unwrap(), CodeKey::of("012345678905").unwrap());
        // Leading zeros are significant digits of the code, not dropped.
        assert_ne!(CodeKey::of("003600029143").unwrap(), CodeKey::of("360002914300").unwrap());
    }

    #[test]
    fn new_item_code_placement_and_value() {
        let rows = [
            ("012345678905", CodeField::Upc, "012345678905"),
            ("12345678905", CodeField::Upc, "012345678905"),
            ("3600029143", CodeField::Upc, "003600029143"),
            ("0012345000065", CodeField::Ean, "0012345000065"),
            ("00012345678905", CodeField::Ean, "00012345678905"),
        ];
        for (raw, field, value) in rows {
            let c = Code::parse(raw).unwrap();
            assert_eq!((c.field(), c.write_value().as_str()), (field, value), "{raw}");
        }
    }

    #[test]
    fn query_forms_cover_upc_ean_and_dropped_zero() {
        let rows: &[(&str, &[&str])] = &[
            ("012345678905", &["00012345678905", "0012345678905", "012345678905", "12345678905"]),
            ("0012345678905", &["00012345678905", "0012345678905", "012345678905", "12345678905"]),
            ("812345001013", &["00812345001013", "0812345001013", "812345001013"]),
            ("3760123450010", &["03760123450010", "3760123450010"]),
            ("12345678905", &["00012345678905", "0012345678905", "012345678905", "12345678905"]),
            ("00012345678905", &["00012345678905", "0012345678905", "012345678905", "12345678905"]),
            ("10012345678905", &["10012345678905"]),
            ("3600029143", &["00003600029143", "0003600029143", "003600029143", "03600029143"]),
        ];
        for (raw, forms) in rows {
            assert_eq!(Code::parse(raw).unwrap().query_forms(), *forms, "{raw}");
        }
    }

    #[test]
    fn batches_hold_at_most_100_values_each_and_every_form_once() {
        let codes: Vec<Code> = (0..130).map(|i| Code::parse(&format!("8{:011}", i)).unwrap()).collect();
        // Each 12-digit code not starting with 0 has 3 forms: 390 values → 4 batches.
        let batches = code_batches(&codes);
        assert_eq!(batches.len(), 4);
        assert!(batches.iter().all(|b| b.values.len() <= MAX_IN_VALUES));
        let all: BTreeSet<&String> = batches.iter().flat_map(|b| &b.values).collect();
        assert_eq!(all.len(), 390, "every form, once");
        assert!(all.contains(&"800000000000".to_string()) && all.contains(&"0800000000000".to_string()));
        // Duplicates collapse: the same code twice, written two ways, is one set of forms.
        let twice = [Code::parse("012345678905").unwrap(), Code::parse("0012345678905").unwrap()];
        let b = code_batches(&twice);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].values, ["00012345678905", "0012345678905", "012345678905", "12345678905"]);
        assert!(code_batches(&[]).is_empty());
    }

    #[test]
    fn in_batches_cut_at_100() {
        let b = in_batches(0..250u32);
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), vec![100, 100, 50]);
        assert_eq!(in_batches(["b", "a", "a"]), vec![vec!["a", "b"]]);
    }

    #[test]
    fn code_serde_refuses_unusable_codes() {
        let c: Code = serde_json::from_str("\"012345678905\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"012345678905\"");
        assert!(serde_json::from_str::<Code>("\"N/A\"").is_err());
    }
}
