//! The sizes of requests and replies on the wire, as ZooKeeper's jute serialization writes them.
//!
//! ZooKeeper has no "data too large" error. Both ends refuse a packet longer than
//! `jute.maxbuffer` (0xfffff bytes by default): the server closes the connection when a
//! request is too long, the client drops it when a reply is (`Packet len … is out of range`).
//! Either way the client sees `ConnectionLoss` and reconnects with the same session. The limit
//! counts the whole packet, so the largest data a `create` can carry depends on the path's
//! length, and a znode may hold more data than a `getData` can return. Recorded from a real
//! 3.8 server in `tests/conformance/scripts/*-data-size-limit.zkcli`.
//!
//! Sources of truth: the jute records in `zookeeper.jute` and `NIOServerCnxn.readLength`,
//! `ClientCnxnSocket.readLength`.
//!
//! Imports nothing from the rest of the crate.

/// `jute.maxbuffer`'s default: the longest packet either end accepts.
pub const MAX_PACKET_LEN: usize = 0xfffff;

/// `RequestHeader`: xid, type.
const REQUEST_HEADER: usize = 4 + 4;
/// `ReplyHeader`: xid, zxid, err.
const REPLY_HEADER: usize = 4 + 8 + 4;
/// `Stat`: six longs and five ints.
const STAT: usize = 6 * 8 + 5 * 4;
/// `ZooDefs.Ids.OPEN_ACL_UNSAFE`, the ACL zkCli sends: a vector of one
/// `ACL(perms, Id("world", "anyone"))`.
const OPEN_ACL_UNSAFE: usize = 4 + 4 + string_len("world") + string_len("anyone");

/// A jute `ustring`: length, then UTF-8 bytes.
const fn string_len(s: &str) -> usize {
    4 + s.len()
}

/// A jute `buffer`: length (-1 for null), then the bytes.
fn buffer_len(data: Option<&[u8]>) -> usize {
    4 + data.map_or(0, <[u8]>::len)
}

/// A `create` request (`CreateRequest`, or `CreateTTLRequest` with its extra long).
pub fn create_request(path: &str, data: Option<&[u8]>, ttl: bool) -> usize {
    REQUEST_HEADER
        + string_len(path)
        + buffer_len(data)
        + OPEN_ACL_UNSAFE
        + 4
        + if ttl { 8 } else { 0 }
}

/// A `setData` request: path, data, expected version.
pub fn set_data_request(path: &str, data: Option<&[u8]>) -> usize {
    REQUEST_HEADER + string_len(path) + buffer_len(data) + 4
}

/// A `getData` reply: the data and the stat.
pub fn get_data_reply(data: Option<&[u8]>) -> usize {
    REPLY_HEADER + buffer_len(data) + STAT
}

/// A `getChildren` reply (with the stat for `getChildren2`, zkCli's `ls -s`).
pub fn get_children_reply<'a>(children: impl IntoIterator<Item = &'a str>, stat: bool) -> usize {
    let names: usize = children.into_iter().map(string_len).sum();
    REPLY_HEADER + 4 + names + if stat { STAT } else { 0 }
}

/// Whether a packet of `len` bytes gets through.
pub fn fits(len: usize) -> bool {
    len <= MAX_PACKET_LEN
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Boundaries recorded from ZooKeeper 3.8.0 with zkCli (see the module docs).
    #[test]
    fn limits_match_the_recorded_boundaries() {
        let x = |n| vec![b'x'; n];
        assert!(fits(create_request("/p7", Some(&x(1_048_524)), false)));
        assert!(!fits(create_request("/p8", Some(&x(1_048_526)), false)));
        assert!(fits(create_request("/f", Some(&x(1_048_523)), false)));
        assert!(!fits(set_data_request("/q1", Some(&x(1_048_553)))));
        assert!(fits(set_data_request("/g", Some(&x(1_048_523)))));
        assert!(fits(get_data_reply(Some(&x(1_048_487)))));
        assert!(!fits(get_data_reply(Some(&x(1_048_488)))));
    }
}
