//! The iteration order of a Java `HashSet<String>`, which ZooKeeper lets clients see.
//!
//! A session's ephemerals live in a `HashSet` on the server. `getEphemerals` returns a clone of
//! it in iteration order, and closing the session deletes the ephemerals in that same order —
//! so the order of the `NodeDeleted` events a client sees follows Java's hashing, not the
//! paths' order or the order of creation. Recorded from a real 3.8 server in
//! `tests/conformance/scripts/46-getephemerals.zkcli` and `45-close-fires-own-watches.zkcli`.
//!
//! A `HashMap` table has a power-of-two capacity (16 at first, doubled whenever the size
//! passes 3/4 of it, never shrunk); an entry sits in bucket `spread(hash) & (capacity - 1)`,
//! and a bucket keeps insertion order (resizing splits buckets without reordering them).
//! `HashSet.clone` re-inserts the entries, in iteration order, into a table pre-sized for
//! the current size. Buckets of 8 or more colliding entries (treeified, or forcing an early
//! resize) are not modelled: with paths that needs deliberate hash collisions.
//!
//! The same goes for a connection's authenticated identities (`whoami`), a hash set of ACL
//! `Id` records.
//!
//! Imports nothing from the rest of the crate.

/// `String.hashCode`: `s[0]·31^(n-1) + … + s[n-1]` over UTF-16 code units, wrapping.
pub fn string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// The capacity of a `HashMap` that started empty and has held at most `max_len` entries.
pub fn capacity_after(max_len: usize) -> u32 {
    let mut capacity: u32 = 16;
    while max_len as u64 * 4 > u64::from(capacity) * 3 && capacity < 1 << 30 {
        capacity *= 2;
    }
    capacity
}

/// The capacity of a clone of a `HashMap` holding `len` entries (`putMapEntries` pre-sizing:
/// `tableSizeFor((int) (len / 0.75f + 1))`).
fn clone_capacity(len: usize) -> u32 {
    let wanted = (len as f32 / 0.75 + 1.0) as u32;
    wanted.max(1).next_power_of_two().min(1 << 30)
}

/// `HashMap.hash`: the high half of a `hashCode` folded into the low half.
fn spread(hash: i32) -> u32 {
    let h = hash as u32;
    h ^ (h >> 16)
}

/// A member of a Java hash set: the value, its `hashCode` and when it was inserted.
pub type Member<T> = (T, i32, u64);

/// Orders the members of a set the way iterating over it does; `max_len` is the most the
/// set ever held (which fixed its capacity).
pub fn iteration_order<T>(members: Vec<Member<T>>, max_len: usize) -> Vec<T> {
    let mask = capacity_after(max_len.max(members.len())) - 1;
    in_order(members, |hash| (0, spread(hash) & mask))
}

/// Orders the members of a set the way iterating over `set.clone()` does.
pub fn clone_iteration_order<T>(members: Vec<Member<T>>, max_len: usize) -> Vec<T> {
    let mask = capacity_after(max_len.max(members.len())) - 1;
    let clone_mask = clone_capacity(members.len()) - 1;
    in_order(members, |hash| {
        let h = spread(hash);
        (h & clone_mask, h & mask)
    })
}

/// The members' values ordered by `bucket` of their hash, then by insertion. The sort is of
/// plain keys, whatever `T` is (one sort in the binary, not one per member type), and
/// insertion numbers are unique, so an unstable sort is exact.
fn in_order<T>(members: Vec<Member<T>>, bucket: impl Fn(i32) -> (u32, u32)) -> Vec<T> {
    let mut keys: Vec<(u32, u32, u64, usize)> = members
        .iter()
        .enumerate()
        .map(|(i, &(_, hash, seq))| {
            let (a, b) = bucket(hash);
            (a, b, seq, i)
        })
        .collect();
    keys.sort_unstable();
    let mut values: Vec<Option<T>> = members.into_iter().map(|(v, _, _)| Some(v)).collect();
    keys.into_iter()
        .filter_map(|(_, _, _, i)| values.get_mut(i).and_then(Option::take))
        .collect()
}

/// The `hashCode` of a jute record with these string fields (e.g. an ACL `Id`):
/// `17`, then `37 × result + field.hashCode()` for each field.
pub fn record_hash(fields: &[&str]) -> i32 {
    fields.iter().fold(17i32, |result, field| {
        result.wrapping_mul(37).wrapping_add(string_hash(field))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_java() {
        assert_eq!(string_hash(""), 0);
        assert_eq!(string_hash("a"), 97);
        assert_eq!(string_hash("hello"), 99_162_322);
        // The well-known Java string whose hashCode is Integer.MIN_VALUE.
        assert_eq!(string_hash("polygenelubricants"), i32::MIN);
        // Beyond the BMP: two UTF-16 units.
        assert_eq!(string_hash("😀"), 0xd83d * 31 + 0xde00);
    }

    #[test]
    fn capacities_grow_like_hashmap() {
        assert_eq!(capacity_after(0), 16);
        assert_eq!(capacity_after(12), 16);
        assert_eq!(capacity_after(13), 32);
        assert_eq!(capacity_after(25), 64);
        assert_eq!(clone_capacity(1), 2);
        assert_eq!(clone_capacity(2), 4);
        assert_eq!(clone_capacity(5), 8);
        assert_eq!(clone_capacity(6), 16);
        assert_eq!(clone_capacity(12), 32);
    }

    /// The orders a real 3.8 server printed for `getEphemerals` and session close.
    #[test]
    fn orders_match_the_recordings() {
        let members = |paths: &[&'static str], first: u64| -> Vec<Member<&'static str>> {
            paths
                .iter()
                .zip(first..)
                .map(|(p, seq)| (*p, string_hash(p), seq))
                .collect()
        };
        let created = ["/app/one", "/app/seq-0000000001", "/apple", "/banana"];
        assert_eq!(
            clone_iteration_order(members(&created, 0), 4),
            ["/app/one", "/apple", "/banana", "/app/seq-0000000001"]
        );
        let after_delete = ["/app/seq-0000000001", "/apple", "/banana"];
        assert_eq!(
            clone_iteration_order(members(&after_delete, 1), 4),
            ["/apple", "/banana", "/app/seq-0000000001"]
        );
        assert_eq!(
            clone_iteration_order(members(&["/e", "/p/e"], 0), 2),
            ["/p/e", "/e"]
        );
    }
}
