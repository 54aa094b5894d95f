//! The live matrix a product's new items join, instead of a new matrix of their own.
//!
//! A reorder often brings a size the merchant's catalogue lacks: S, M and L of "Tee Navy" match
//! items of matrix 12, XL is new. XL belongs in matrix 12. A new "Tee Navy" matrix would split the
//! style across two matrices (or, when its description is the same, be left empty by the twin
//! check that moves XL back), and would do so again at every new size.
//!
//! The rule ([`matrix_to_join`]): the product's rows that matched an item at preview time name
//! exactly one matrix, the matrix's attribute set is one PO Bridge writes (Color/Size, or Size,
//! which takes a Color/Size draft without its color), and no item of that matrix the lookups saw
//! already has a new item's size and color (a same-size item the order's code did not match is
//! another item: it stays in a matrix of its own, as before). Anything else creates a new matrix.

use super::drafts::ItemDraft;
use super::lookups::{Catalog, KnownItem};
use crate::core::text::folded;
use crate::lightspeed::{ItemAttributeSetId, ItemMatrixId};

/// The matrix that `drafts` (the product's items to create) join, given `matched` (the live
/// items the product's other rows resolved to); the drafts are rewritten into its attribute
/// set. `None` leaves them as they are, for a new matrix.
pub(super) fn matrix_to_join(
    matched: &[&KnownItem],
    drafts: &mut [&mut ItemDraft],
    catalog: &Catalog,
) -> Option<ItemMatrixId> {
    let mut matrices = matched.iter().filter_map(|i| i.matrix_id);
    let matrix = matrices.next()?;
    let mut sets = matched.iter().filter(|i| i.matrix_id == Some(matrix)).map(|i| i.attribute_set);
    let set = sets.next().flatten()?;
    if matrices.any(|m| m != matrix) || sets.any(|s| s != Some(set)) {
        return None;
    }
    if drafts.is_empty() || !drafts.iter().all(|d| fits(d, set)) {
        return None;
    }
    let members: Vec<&KnownItem> = catalog.items.iter().filter(|i| i.matrix_id == Some(matrix)).collect();
    if drafts.iter().any(|d| members.iter().any(|m| same_variant(m, d, set))) {
        return None;
    }
    for d in drafts.iter_mut().filter(|d| d.attribute_set != set) {
        d.attribute_set = set;
        d.attribute1 = None;
    }
    Some(matrix)
}

/// A draft can join a matrix of `set`: the same set, or a Size matrix (the product is one color).
fn fits(d: &ItemDraft, set: ItemAttributeSetId) -> bool {
    set == d.attribute_set || set == ItemAttributeSetId::SIZE && d.attribute_set == ItemAttributeSetId::COLOR_SIZE
}

/// The draft, once in `set`, would be `m` again: the same size (and color, in a Color/Size
/// matrix), case and spaces aside.
fn same_variant(m: &KnownItem, d: &ItemDraft, set: ItemAttributeSetId) -> bool {
    let same = |a: Option<&str>, b: Option<&str>| folded(a.unwrap_or("")) == folded(b.unwrap_or(""));
    let color = if set == ItemAttributeSetId::SIZE { None } else { d.attribute1.as_deref() };
    same(m.attributes[0].as_deref(), color) && same(m.attributes[1].as_deref(), d.attribute2.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lightspeed::ItemId;
    use crate::nuorder::model::Money;

    const COLOR_SIZE: ItemAttributeSetId = ItemAttributeSetId::COLOR_SIZE;
    const SIZE: ItemAttributeSetId = ItemAttributeSetId::SIZE;

    fn known(id: u64, matrix: Option<u64>, set: u64, color: &str, size: &str) -> KnownItem {
        KnownItem {
            id: ItemId(id),
            description: String::new(),
            archived: false,
            upc: None,
            ean: None,
            manufacturer_sku: None,
            matrix_id: matrix.map(ItemMatrixId),
            attribute_set: Some(ItemAttributeSetId(set)),
            attributes: [Some(color.into()), Some(size.into()), None],
            vendor_numbers: Vec::new(),
        }
    }

    fn draft(color: Option<&str>, size: &str) -> ItemDraft {
        ItemDraft {
            description: String::new(),
            code: None,
            manufacturer_sku: "TEE".into(),
            cost: Money::ZERO,
            retail: None,
            vendor_number: None,
            attribute_set: if color.is_some() { COLOR_SIZE } else { SIZE },
            attribute1: color.map(Into::into),
            attribute2: Some(size.into()),
        }
    }

    /// (the matrix joined, the drafts after).
    fn join(matched: &[KnownItem], others: &[KnownItem], mut drafts: Vec<ItemDraft>) -> (Option<u64>, Vec<ItemDraft>) {
        let catalog = Catalog { vendors: Vec::new(), items: matched.iter().chain(others).cloned().collect() };
        let matched: Vec<&KnownItem> = matched.iter().collect();
        let mut refs: Vec<&mut ItemDraft> = drafts.iter_mut().collect();
        let m = matrix_to_join(&matched, &mut refs, &catalog).map(|m| m.0);
        (m, drafts)
    }

    #[test]
    fn new_sizes_join_the_one_matrix_of_the_matched_sizes() {
        let navy_s = known(1, Some(12), 1, "Navy", "S");
        let (m, after) = join(std::slice::from_ref(&navy_s), &[], vec![draft(Some("Navy"), "XL")]);
        assert_eq!((m, after), (Some(12), vec![draft(Some("Navy"), "XL")]), "same set: the draft unchanged");
        // A standalone matched item (no matrix) does not stand in the way.
        let loose = known(2, None, 0, "", "");
        assert_eq!(join(&[navy_s, loose], &[], vec![draft(Some("Navy"), "XL")]).0, Some(12));
    }

    #[test]
    fn a_size_only_matrix_takes_a_colored_draft_without_its_color() {
        let (m, after) = join(&[known(1, Some(7), 2, "", "S")], &[], vec![draft(Some("Navy"), "XL")]);
        assert_eq!(m, Some(7));
        assert_eq!((after[0].attribute_set, after[0].attribute1.as_deref()), (SIZE, None));
        assert_eq!(after[0].attribute2.as_deref(), Some("XL"));
    }

    /// (why, matched, other items seen, drafts).
    type Case = (&'static str, Vec<KnownItem>, Vec<KnownItem>, Vec<ItemDraft>);

    #[test]
    fn anything_unclear_makes_a_new_matrix_and_leaves_the_drafts() {
        let xl = || vec![draft(Some("Navy"), "XL")];
        let cases: [Case; 6] = [
            ("nothing matched", vec![], vec![], xl()),
            (
                "two matrices",
                vec![known(1, Some(12), 1, "Navy", "S"), known(2, Some(13), 1, "Navy", "M")],
                vec![],
                xl(),
            ),
            ("a set PO Bridge does not write", vec![known(1, Some(12), 4, "Navy", "S")], vec![], xl()),
            (
                "a colorless draft into Color/Size",
                vec![known(1, Some(12), 1, "Navy", "S")],
                vec![],
                vec![draft(None, "XL")],
            ),
            (
                "the matrix has that variant already (another code)",
                vec![known(1, Some(12), 1, "Navy", "S")],
                vec![known(9, Some(12), 1, " navy ", "xl")],
                xl(),
            ),
            (
                "the Size matrix has that size",
                vec![known(1, Some(7), 2, "", "S")],
                vec![known(9, Some(7), 2, "", "XL")],
                xl(),
            ),
        ];
        for (why, matched, others, drafts) in cases {
            assert_eq!(join(&matched, &others, drafts.clone()), (None, drafts), "{why}");
        }
    }
}
