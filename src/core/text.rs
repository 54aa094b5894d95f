//! Filling a template's placeholder (a route's `{id}`, a label's `{n}`), and the one way names
//! and attributes compare ([`folded`]).

/// A name or attribute as PO Bridge compares it: without the spaces around it, in any case
/// (`" NAVY "` and `"navy"` are one color; `HARBOR GOODS` is the brand `Harbor Goods`).
pub fn folded(s: &str) -> String {
    s.trim().to_lowercase()
}

/// `template` with its first `key` replaced by `value` (every template here holds its placeholder
/// once). Not `str::replace`, and no indexing that can panic: through those the content script's
/// wasm carried core's string-slicing panic with its `Debug` formatting of chars and their
/// Unicode tables, 4 KB gzip (issue 17).
pub fn fill(template: &str, key: &str, value: &str) -> String {
    // A byte search: the placeholders are a few ASCII bytes, and `str::find`'s two-way searcher
    // would be most of this function in the wasm. `get` refuses a cut inside a character.
    let at = template.as_bytes().windows(key.len().max(1)).position(|w| w == key.as_bytes());
    let parts = at.and_then(|at| Some((template.get(..at)?, template.get(at + key.len()..)?)));
    match parts {
        Some((head, tail)) => [head, value, tail].concat(),
        None => template.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{fill, folded};

    #[test]
    fn names_and_attributes_compare_without_spaces_around_them_in_any_case() {
        assert_eq!(folded(" NAVY "), folded("navy"));
        assert_eq!(folded("\tHarbor Goods\n"), "harbor goods");
        assert_eq!(folded("ÉTÉ"), "été", "not only ASCII");
        assert_ne!(folded("Harbor  Goods"), folded("Harbor Goods"), "spaces inside count");
    }

    #[test]
    fn fills_the_placeholder_and_leaves_the_rest() {
        assert_eq!(fill("/api/order/{id}", "{id}", "o%2F1"), "/api/order/o%2F1");
        assert_eq!(fill("{n} selected", "{n}", "12"), "12 selected");
        assert_eq!(fill("Select order #{number} for export", "{number}", "7001"), "Select order #7001 for export");
        assert_eq!(fill("no placeholder", "{n}", "1"), "no placeholder");
        assert_eq!(fill("é{n}ü", "{n}", "ß"), "éßü");
    }
}
