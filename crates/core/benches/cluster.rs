//! The simulated cluster at scale: 1,000 processes, 5 servers, the successor recipe, the
//! leader killed 100 times (`zooscope simulate --processes 1000 --servers 5 --kill-leaders
//! 100`), without the trace.
//!
//! `cargo bench -p zooscope-core --bench cluster`

#![allow(missing_docs, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::scenario::kill_leaders;
use zooscope_core::sim::{Config, Sim};

fn config() -> Config {
    Config {
        processes: 1000,
        servers: 5,
        recipe: RecipeKind::Successor,
        trace: false,
        ..Config::default()
    }
}

fn cluster(c: &mut Criterion) {
    let events = {
        let mut sim = Sim::new(config());
        kill_leaders(&mut sim, 100, 60_000)
            .expect("completes")
            .events
    };
    let mut group = c.benchmark_group("cluster");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events));
    group.bench_function("kill_100_leaders_of_1000_processes", |b| {
        b.iter(|| {
            let mut sim = Sim::new(config());
            black_box(kill_leaders(&mut sim, 100, 60_000).expect("completes"))
        });
    });
    group.finish();
}

criterion_group!(benches, cluster);
criterion_main!(benches);
