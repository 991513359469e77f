//! What the DfE's validator gets from numpy and pandas, reproduced step by step so
//! Pathways flags exactly the rows it flags: numpy's unstable sort order and the
//! single-column `sort_values` built on it, and the keys a merge matches rows on.

use super::{Col, Frame};
use std::cmp::Ordering;
use std::collections::HashMap;

/// The order numpy 1.24's default `argsort(kind="quicksort")` gives `values` (the
/// sort pandas' single-column `sort_values` uses): an introsort (median-of-three
/// quicksort, insertion sort for 16 or fewer, heapsort past the depth limit) that
/// is not stable, so equal values come out in the reference's order only when
/// sorted exactly the same way.
pub fn numpy_argsort<T: PartialOrd>(values: &[T]) -> Vec<usize> {
    const SMALL_QUICKSORT: usize = 15;
    let mut order: Vec<usize> = (0..values.len()).collect();
    if values.len() < 2 {
        return order;
    }
    let less = |a: usize, b: usize| values[a] < values[b];
    let mut pending: Vec<(usize, usize, i64)> = Vec::new();
    let (mut pl, mut pr) = (0, values.len() - 1);
    let mut depth = 2 * i64::from(values.len().ilog2());
    loop {
        if depth < 0 {
            numpy_heapsort(values, &mut order[pl..=pr]);
        } else {
            while pr - pl > SMALL_QUICKSORT {
                let pm = pl + ((pr - pl) >> 1);
                if less(order[pm], order[pl]) {
                    order.swap(pm, pl);
                }
                if less(order[pr], order[pm]) {
                    order.swap(pr, pm);
                }
                if less(order[pm], order[pl]) {
                    order.swap(pm, pl);
                }
                let pivot = order[pm];
                let (mut pi, mut pj) = (pl, pr - 1);
                order.swap(pm, pj);
                loop {
                    pi += 1;
                    while less(order[pi], pivot) {
                        pi += 1;
                    }
                    pj -= 1;
                    while less(pivot, order[pj]) {
                        pj -= 1;
                    }
                    if pi >= pj {
                        break;
                    }
                    order.swap(pi, pj);
                }
                order.swap(pi, pr - 1);
                depth -= 1;
                if pi - pl < pr - pi {
                    pending.push((pi + 1, pr, depth));
                    pr = pi - 1;
                } else {
                    pending.push((pl, pi - 1, depth));
                    pl = pi + 1;
                }
            }
            for i in pl + 1..=pr {
                let moving = order[i];
                let mut j = i;
                while j > pl && less(moving, order[j - 1]) {
                    order[j] = order[j - 1];
                    j -= 1;
                }
                order[j] = moving;
            }
        }
        let Some(next) = pending.pop() else { break };
        (pl, pr, depth) = next;
    }
    order
}

/// numpy's `aheapsort` of the positions in `part` by `values`, which its quicksort
/// falls back on when the partitions go too deep.
pub fn numpy_heapsort<T: PartialOrd>(values: &[T], part: &mut [usize]) {
    let less = |a: usize, b: usize| values[a] < values[b];
    // 1-based, as numpy writes it: heap place k is part[k - 1].
    let sift = |part: &mut [usize], mut i: usize, n: usize, moving: usize| {
        let mut j = i * 2;
        while j <= n {
            if j < n && less(part[j - 1], part[j]) {
                j += 1;
            }
            if !less(moving, part[j - 1]) {
                break;
            }
            part[i - 1] = part[j - 1];
            i = j;
            j += j;
        }
        part[i - 1] = moving;
    };
    let mut n = part.len();
    for l in (1..=n / 2).rev() {
        let moving = part[l - 1];
        sift(part, l, n, moving);
    }
    while n > 1 {
        let moving = part[n - 1];
        part[n - 1] = part[0];
        n -= 1;
        sift(part, 1, n, moving);
    }
}

/// The row order pandas' `sort_values` gives on one column, ascending or
/// descending: numpy's quicksort of the values that are there (ties falling as it
/// leaves them; descending sorts the reversed rows and reverses the result, as
/// pandas does), then the blank rows last in row order whichever the direction.
pub fn sort_values<T: PartialOrd + Copy>(values: &[Option<T>], ascending: bool) -> Vec<usize> {
    let (mut present, mut blank): (Vec<usize>, Vec<usize>) = (0..values.len()).partition(|&i| values[i].is_some());
    if !ascending {
        present.reverse();
    }
    let keys: Vec<T> = present.iter().filter_map(|&i| values[i]).collect();
    let mut order: Vec<usize> = numpy_argsort(&keys).into_iter().map(|k| present[k]).collect();
    if !ascending {
        order.reverse();
    }
    order.append(&mut blank);
    order
}

/// Rows of `frame` by the value in `col` as a pandas merge matches them: a blank
/// value is a key of its own (`None`) and matches other blank values.
pub fn merge_groups(frame: &Frame, col: Col) -> HashMap<Option<&str>, Vec<usize>> {
    let mut rows: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for row in frame.rows() {
        rows.entry(frame.get(row, col)).or_default().push(row);
    }
    rows
}

/// [`merge_groups`] on CHILD: a blank CHILD matches a blank CHILD.
pub fn merge_groups_by_child(frame: &Frame) -> HashMap<Option<&str>, Vec<usize>> {
    merge_groups(frame, frame.col("CHILD"))
}

/// A sort key that puts a blank after every value, as pandas `sort_values` puts
/// blanks (`na_position="last"`).
pub fn blank_last<T: Ord>(value: Option<T>) -> (bool, Option<T>) {
    (value.is_none(), value)
}

/// pandas' order of two values of a sorted column: ascending or descending, blanks
/// last whichever the direction.
pub fn cmp_blank_last<T: Ord>(a: Option<T>, b: Option<T>, ascending: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) if ascending => a.cmp(&b),
        (Some(a), Some(b)) => b.cmp(&a),
        (a, b) => a.is_none().cmp(&b.is_none()),
    }
}

/// Row numbers in the order pandas `sort_values(["CHILD", ...])` gives: by CHILD
/// (blank last), then by `key` (put blanks last in it with [`blank_last`]), ties
/// in row order (pandas sorts on more than one column stably).
pub fn sorted_by_child<K: Ord>(frame: &Frame, key: impl Fn(usize) -> K) -> Vec<usize> {
    let child = frame.col("CHILD");
    let mut rows: Vec<usize> = frame.rows().collect();
    rows.sort_by_cached_key(|&r| (blank_last(frame.get(r, child)), key(r)));
    rows
}

/// Pairs (previous, current) of consecutive rows in `order` that belong to the
/// same child, where a blank CHILD matches nothing: the reference compares each
/// row with its `shift(1)` and tests `CHILD == CHILD_previous`, and a blank is
/// never equal to a blank.
pub fn same_child_pairs(frame: &Frame, order: &[usize]) -> Vec<(usize, usize)> {
    let child = frame.col("CHILD");
    order
        .windows(2)
        .filter(|w| frame.get(w[0], child).is_some() && frame.get(w[0], child) == frame.get(w[1], child))
        .map(|w| (w[0], w[1]))
        .collect()
}

/// Each row in `order` with the row before it, where the reference pairs rows by
/// *merging* a table with its `shift(1)` on CHILD (unlike [`same_child_pairs`]):
/// only rows of the same child, but a blank CHILD matching a blank CHILD, and the
/// first row, when its CHILD is blank, with the blank row `shift` adds (`None`).
pub fn with_previous_of_same_child(frame: &Frame, order: &[usize]) -> Vec<(usize, Option<usize>)> {
    let child = frame.col("CHILD");
    order
        .iter()
        .enumerate()
        .filter_map(|(at, &row)| match at.checked_sub(1).map(|before| order[before]) {
            Some(previous) => (frame.get(previous, child) == frame.get(row, child)).then_some((row, Some(previous))),
            None => frame.get(row, child).is_none().then_some((row, None)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_argsort_orders_ties_as_numpy_does() {
        // Expected orders printed by numpy 1.24 `np.argsort(keys)` and
        // `np.argsort(keys, kind="heapsort")`.
        let alternating: Vec<i32> = (0..40).map(|i| if i % 2 == 0 { 2020 } else { 2019 }).collect();
        assert_eq!(
            numpy_argsort(&alternating),
            [
                19, 37, 35, 33, 31, 29, 27, 25, 23, 21, 17, 15, 13, 39, 11, 1, 3, 9, 7, 5, 14, 36, 2, 34, 32, 4, 30,
                28, 26, 12, 24, 8, 22, 20, 38, 18, 10, 16, 6, 0
            ]
        );
        let keys = [
            4, 2, 5, 2, 5, 5, 5, 4, 0, 3, 1, 5, 0, 1, 0, 2, 3, 1, 3, 4, 0, 4, 1, 0, 5, 1, 3, 2, 1, 3, 1, 0, 1, 4, 4, 3,
            1, 1, 0, 0, 1, 1, 1, 1, 2, 2, 1, 4, 5, 5, 1, 1, 5, 1, 3, 2, 0, 2, 3, 1,
        ];
        assert_eq!(
            numpy_argsort(&keys),
            [
                20, 38, 39, 56, 31, 23, 14, 8, 12, 22, 42, 59, 41, 43, 40, 30, 32, 25, 28, 36, 37, 53, 10, 50, 51, 46,
                17, 13, 15, 27, 44, 55, 3, 57, 1, 45, 54, 29, 58, 26, 9, 35, 18, 16, 34, 7, 47, 0, 21, 33, 19, 49, 11,
                24, 52, 6, 5, 4, 2, 48
            ]
        );
        let mut order: Vec<usize> = (0..keys.len()).collect();
        numpy_heapsort(&keys, &mut order);
        assert_eq!(
            order,
            [
                38, 56, 23, 14, 20, 39, 31, 8, 12, 30, 22, 13, 53, 59, 37, 43, 40, 42, 46, 41, 17, 10, 50, 32, 51, 25,
                28, 36, 57, 27, 55, 45, 44, 1, 3, 15, 29, 58, 54, 26, 9, 18, 35, 16, 47, 21, 19, 34, 33, 7, 0, 6, 52,
                49, 24, 48, 11, 5, 2, 4
            ]
        );
    }

    #[test]
    fn numpy_argsort_matches_numpy_on_ties() {
        // numpy 1.24 `np.argsort([...], kind="quicksort")`.
        let values = [3, 1, 2, 1, 3, 0, 2, 2, 1, 0, 3, 1, 2, 0, 0, 1, 3, 2, 1, 2];
        assert_eq!(
            numpy_argsort(&values),
            [9, 5, 14, 13, 1, 3, 15, 8, 18, 11, 17, 12, 19, 7, 6, 2, 4, 16, 10, 0]
        );
        let small = [2, 1, 2, 1];
        assert_eq!(numpy_argsort(&small), [1, 3, 0, 2], "small arrays sort stably");
    }

    #[test]
    fn numpy_argsort_matches_numpy_on_seventeen_values() {
        // np.array([0, 1, 3, 1, 2, 3, 0, 3, 1, 3, 2, 0, 3, 3, 3, 3, 3]).argsort(kind="quicksort")
        let values = [0, 1, 3, 1, 2, 3, 0, 3, 1, 3, 2, 0, 3, 3, 3, 3, 3];
        assert_eq!(
            numpy_argsort(&values),
            [0, 11, 6, 8, 1, 3, 4, 10, 5, 2, 7, 15, 9, 12, 13, 14, 16]
        );
        let mut heap = vec![3, 0, 2, 1, 4];
        numpy_heapsort(&[5, 1, 4, 1, 0], &mut heap);
        assert_eq!(
            heap.iter().map(|&i| [5, 1, 4, 1, 0][i]).collect::<Vec<_>>(),
            [0, 1, 1, 4, 5]
        );
    }

    #[test]
    fn numpy_argsort_matches_numpy_past_sixteen_values() {
        // np.argsort([(i * 7) % 5 for i in range(40)], kind="quicksort") with numpy 1.24.
        let values: Vec<i32> = (0..40).map(|i| (i * 7) % 5).collect();
        let expected = [
            0, 20, 15, 30, 10, 25, 35, 5, 23, 8, 33, 28, 13, 3, 38, 18, 6, 21, 1, 36, 16, 26, 11, 31, 34, 29, 19, 14,
            9, 4, 24, 39, 27, 22, 17, 12, 32, 7, 2, 37,
        ];
        assert_eq!(numpy_argsort(&values), expected);
        let mut part: Vec<usize> = (0..40).collect();
        numpy_heapsort(&values, &mut part);
        assert!(part.windows(2).all(|w| values[w[0]] <= values[w[1]]));
    }

    #[test]
    fn sorting_on_one_column_leaves_ties_as_numpy_does() {
        let values = [
            2, 1, 3, 5, 0, 0, 4, 0, 2, 4, 0, 4, 1, 0, 0, 3, 3, 0, 1, 0, 4, 3, 0, 4, 0, 1, 5, 5, 4, 0, 4, 4, 3, 0, 1, 0,
            4, 1, 2, 3,
        ];
        // numpy 1.24 `np.argsort(values, kind="quicksort")` and `kind="heapsort"`.
        let quicksort = [
            19, 22, 24, 14, 13, 10, 17, 33, 29, 5, 4, 35, 7, 34, 25, 12, 37, 1, 18, 0, 8, 38, 39, 21, 16, 2, 15, 32,
            36, 6, 31, 20, 28, 11, 23, 30, 9, 27, 26, 3,
        ];
        let heapsort = [
            13, 7, 17, 24, 10, 19, 4, 22, 35, 5, 29, 33, 14, 1, 25, 18, 12, 34, 37, 38, 8, 0, 2, 21, 39, 16, 32, 15,
            30, 28, 6, 23, 11, 20, 9, 36, 31, 27, 26, 3,
        ];
        assert_eq!(numpy_argsort(&values), quicksort);
        let mut indices: Vec<usize> = (0..values.len()).collect();
        numpy_heapsort(&values, &mut indices);
        assert_eq!(indices, heapsort);
        assert_eq!(
            numpy_argsort(&values[..17]),
            [14, 13, 4, 5, 7, 10, 1, 12, 0, 8, 15, 2, 16, 11, 6, 9, 3]
        );
        let with_blanks = [Some("B"), None, Some("A"), Some("B"), None];
        assert_eq!(sort_values(&with_blanks, true), [2, 0, 3, 1, 4]);
        assert_eq!(sort_values(&with_blanks, false), [0, 3, 2, 1, 4]);
    }

    proptest::proptest! {
        #[test]
        fn numpy_argsort_sorts_every_position_once(keys in proptest::collection::vec(0u8..6, 0..300)) {
            let order = numpy_argsort(&keys);
            let mut seen = order.clone();
            seen.sort_unstable();
            proptest::prop_assert_eq!(seen, (0..keys.len()).collect::<Vec<_>>());
            proptest::prop_assert!(order.windows(2).all(|w| keys[w[0]] <= keys[w[1]]));
        }
    }
}
