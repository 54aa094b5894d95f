//! Sorting, and sorted sets and maps, through one copy of the sort (issue 17, item 1: the bytes).
//!
//! std's stable sort (driftsort, about 4 KB of wasm before wasm-opt) is compiled again for every
//! element type and comparator, and so is a `collect` into a `BTreeMap` or `BTreeSet` (its bulk
//! build sorts the items first): the background carried ten copies, the ui three. Here the sort runs
//! once, on indices, behind a `dyn` comparator ([`sort_by`]); per type only a few lines remain. The
//! sets and maps are built by inserting ([`set`], [`map`]), which sorts nothing.
//!
//! The code shipped in the wasm sorts only through this module; `collect::<BTree…>()`,
//! `<[T]>::sort*` and `BTreeSet::from([…])` are left to native-only code and tests.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` by `cmp`, stably (equal items keep their order), as `<[T]>::sort_by` does.
pub fn sort_by<T>(items: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = sorted_indices(items.len(), &mut |a, b| cmp(&items[a], &items[b]));
    permute(&order, &mut |a, b| items.swap(a, b));
}

/// Sorts `items` in their order, stably.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// Sorts `items` by the key `key` gives each, stably.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The set of `items`. Of equal items the first is kept (a `collect` keeps the last: the same for
/// every type whose equal values are identical, as all the product's keys are).
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut out = BTreeSet::new();
    out.extend(items);
    out
}

/// The map of `pairs`. Of pairs with equal keys the last value wins, as in a `collect`; the first
/// key is kept where a `collect` keeps the last (the same for every key type whose equal values are
/// identical, as all the product's are).
pub fn map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut out = BTreeMap::new();
    out.extend(pairs);
    out
}

/// The indices `0..len` in the order `cmp` puts them in, equal ones in ascending order: the one
/// instantiation of std's sort.
fn sorted_indices(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Moves the element at `order[k]` to `k`, for every `k`, through `swap`; each swap puts one
/// element in its place.
fn permute(order: &[usize], swap: &mut dyn FnMut(usize, usize)) {
    // `dest[i]`: where the element now at `i` belongs.
    let mut dest = vec![0; order.len()];
    for (k, &i) in order.iter().enumerate() {
        dest[i] = k;
    }
    for i in 0..dest.len() {
        while dest[i] != i {
            let j = dest[i];
            swap(i, j);
            dest.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_single() {
        let mut none: Vec<u32> = Vec::new();
        sort(&mut none);
        assert!(none.is_empty());
        let mut one = vec![7];
        sort(&mut one);
        assert_eq!(one, [7]);
    }

    #[test]
    fn sorts_like_std() {
        // Reversed, shuffled, with duplicates, and longer than std's small-sort threshold.
        let inputs: Vec<Vec<i64>> = vec![
            (0..50).rev().collect(),
            (0..200).map(|i| (i * 7919) % 101).collect(),
            vec![3, 1, 3, 2, 1, 3],
            vec![5, 5, 5, 5],
            (0..40).collect(),
        ];
        for input in inputs {
            let mut ours = input.clone();
            sort(&mut ours);
            let mut std = input.clone();
            std.sort();
            assert_eq!(ours, std, "from {input:?}");
        }
    }

    #[test]
    fn equal_keys_keep_their_input_order() {
        // (key, position in the input): a stable sort leaves equal keys' positions ascending.
        let mut v: Vec<(u8, usize)> = [3, 1, 2, 1, 3, 1, 2, 0, 3, 1].iter().copied().zip(0..).collect();
        sort_by_key(&mut v, |p| p.0);
        assert_eq!(v, [(0, 7), (1, 1), (1, 3), (1, 5), (1, 9), (2, 2), (2, 6), (3, 0), (3, 4), (3, 8)]);
        // Longer than std's small sorts (an unstable sort would reorder here), few distinct keys.
        let mut long: Vec<(u32, usize)> = (0..300).map(|i| ((i * 7919) % 5, i as usize)).collect();
        let mut expected = long.clone();
        expected.sort_by_key(|p| p.0);
        sort_by_key(&mut long, |p| p.0);
        assert_eq!(long, expected);
    }

    #[test]
    fn sort_by_can_reverse_and_move_non_copy_items() {
        let mut v: Vec<String> = ["b", "a", "c", "a"].map(String::from).to_vec();
        sort_by(&mut v, |a, b| b.cmp(a));
        assert_eq!(v, ["c", "b", "a", "a"]);
    }

    #[test]
    fn set_and_map_are_collects_without_the_sort() {
        let items = ["pear", "apple", "pear", "fig", "apple"];
        assert_eq!(set(items), items.iter().copied().collect::<BTreeSet<_>>());
        assert!(set(Vec::<u8>::new()).is_empty());
        // Duplicated keys: the last value wins, as in a collect.
        let pairs = [("b", 1), ("a", 2), ("b", 3), ("a", 4), ("c", 5)];
        let m = map(pairs);
        assert_eq!(m, pairs.iter().copied().collect::<BTreeMap<_, _>>());
        assert_eq!(m.into_iter().collect::<Vec<_>>(), [("a", 4), ("b", 3), ("c", 5)]);
    }
}
