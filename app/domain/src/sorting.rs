//! Sorting with one shared sort of positions.
//!
//! The standard library's sort is generic code of ~4 KB of wasm for every
//! element type and comparison; five of them were in the browser's first
//! load. These sort the positions `0..n` (one sort of `usize`, its
//! comparison behind a pointer), then move the elements into that order:
//! what is left generic per type is a few lines. Stable, like `sort_by`.
//! Meant for the short lists of one person's screen (to-dos, notices, a
//! plan); a long list on the server should use the standard sort.

use std::cmp::Ordering;

/// `items.sort_by(compare)`: stable.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    permute(&order, &mut |a, b| items.swap(a, b));
}

/// `items.sort_by_key(key)`: stable.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// `items.sort()`: stable.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The positions `0..len` in the order `compare` gives (stable).
fn positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Puts at each position `k` the element that was at `order[k]`, by swaps:
/// an element already moved away from `order[k]` is followed to where it went.
fn permute(order: &[usize], swap: &mut dyn FnMut(usize, usize)) {
    for k in 0..order.len() {
        let mut from = order[k];
        while from < k {
            from = order[from];
        }
        swap(k, from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, equal keys
        /// in the order they came.
        #[test]
        fn sorts_like_the_standard_stable_sort(items in prop::collection::vec((0u8..6, any::<u16>()), 0..60)) {
            let mut ours = items.clone();
            sort_by_key(&mut ours, |&(key, _)| key);
            let mut theirs = items.clone();
            theirs.sort_by_key(|&(key, _)| key);
            prop_assert_eq!(&ours, &theirs);

            let mut ours = items.clone();
            sort(&mut ours);
            let mut theirs = items;
            theirs.sort();
            prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn reversed_by_a_reversed_comparison() {
        let mut words = vec!["b", "c", "a"];
        sort_by(&mut words, |a, b| b.cmp(a));
        assert_eq!(words, ["c", "b", "a"]);
    }
}
