//! Tree operations on a server holding 100,000 znodes, through the whole write pipeline
//! (prepare, zxid, apply, watch triggers): create, getData, setData, getChildren, delete.
//!
//! `cargo bench -p zooscope-core --bench tree`

#![allow(missing_docs, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use zooscope_core::{CreateMode, Millis, Server, ServerConfig, SessionId};

const DIRS: usize = 100;
const PER_DIR: usize = 1_000;
const NOW: Millis = Millis(1_795_510_800_000);

fn paths() -> Vec<String> {
    (0..DIRS)
        .flat_map(|d| (0..PER_DIR).map(move |n| format!("/d{d:03}/n{n:04}")))
        .collect()
}

/// A server with `/d000`…`/d099`, each with 1,000 children: 100,100 znodes.
fn populated() -> (Server, SessionId, Vec<String>) {
    let mut server = Server::new(1, ServerConfig::default(), NOW);
    let session = server.create_session(30_000, NOW);
    for d in 0..DIRS {
        server
            .create(
                session,
                &format!("/d{d:03}"),
                None,
                CreateMode::Persistent,
                NOW,
            )
            .expect("create dir");
    }
    let paths = paths();
    for p in &paths {
        server
            .create(session, p, Some(b"v".to_vec()), CreateMode::Persistent, NOW)
            .expect("create leaf");
    }
    (server, session, paths)
}

fn tree_ops(c: &mut Criterion) {
    let mut group = c.benchmark_group("tree_100k");
    group.sample_size(10);
    let n = (DIRS * PER_DIR) as u64;

    group.throughput(Throughput::Elements(n));
    group.bench_function("create", |b| b.iter(|| black_box(populated())));

    let (mut server, session, paths) = populated();
    group.bench_function("get_data", |b| {
        b.iter(|| {
            for p in &paths {
                black_box(server.get_data(session, p, false).expect("get"));
            }
        });
    });
    group.bench_function("set_data", |b| {
        b.iter(|| {
            for p in &paths {
                black_box(
                    server
                        .set_data(p, Some(b"w".to_vec()), -1, NOW)
                        .expect("set"),
                );
            }
        });
    });
    group.throughput(Throughput::Elements(DIRS as u64));
    group.bench_function("get_children_1000", |b| {
        b.iter(|| {
            for d in 0..DIRS {
                let dir = format!("/d{d:03}");
                black_box(server.get_children(session, &dir, false).expect("ls"));
            }
        });
    });
    group.throughput(Throughput::Elements(n));
    group.bench_function("delete", |b| {
        b.iter_batched(
            populated,
            |(mut server, _, paths)| {
                for p in paths.iter().rev() {
                    server.delete(p, -1, NOW).expect("delete");
                }
                server
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, tree_ops);
criterion_main!(benches);
