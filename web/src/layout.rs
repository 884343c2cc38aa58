//! Where each actor sits in the cluster picture: the ensemble in the middle, the processes on
//! rings around it, the resource in a corner. Geometry only — what is drawn comes from the
//! [`Picture`].
//!
//! Imports from the core `ids`, `picture`.

use std::collections::BTreeMap;
use zooscope_core::ids::Endpoint;
use zooscope_core::picture::Picture;

/// The picture's size (SVG user units).
pub const WIDTH: f64 = 940.0;
/// The picture's height.
pub const HEIGHT: f64 = 620.0;
/// The centre of the picture (the ensemble sits there).
pub const CENTER: (f64, f64) = (430.0, 315.0);
/// Where the shared resource is drawn.
pub const RESOURCE: (f64, f64) = (820.0, 45.0);

/// Where a process sits: on rings around the ensemble, as many rings as needed.
pub fn process_position(index: usize, count: usize) -> (f64, f64) {
    let per_ring = 24usize;
    let rings = count.div_ceil(per_ring).max(1);
    let ring = index % rings;
    let slot = index / rings;
    let in_ring = count.div_ceil(rings).max(1);
    // The outermost ring stays inside the picture; inner rings step in towards the ensemble.
    let outer = if rings == 1 { 250.0 } else { 320.0 };
    let step = if rings > 1 {
        (120.0 / (rings - 1) as f64).min(52.0)
    } else {
        0.0
    };
    let radius = outer - (rings - 1 - ring) as f64 * step;
    let angle = -std::f64::consts::FRAC_PI_2 + slot as f64 / in_ring as f64 * std::f64::consts::TAU;
    (
        CENTER.0 + radius * 1.15 * angle.cos(),
        CENTER.1 + radius * 0.92 * angle.sin(),
    )
}

/// Where a server sits: a small ring in the middle.
pub fn server_position(index: usize, count: usize) -> (f64, f64) {
    if count <= 1 {
        return CENTER;
    }
    let angle = -std::f64::consts::FRAC_PI_2 + index as f64 / count as f64 * std::f64::consts::TAU;
    // Five or seven boxes need a wider ring than three to stay apart.
    let (rx, ry) = if count <= 3 {
        (105.0, 95.0)
    } else {
        (132.0, 108.0)
    };
    (CENTER.0 + rx * angle.cos(), CENTER.1 + ry * angle.sin())
}

/// Positions of every endpoint in the picture.
pub fn positions(picture: &Picture) -> BTreeMap<Endpoint, (f64, f64)> {
    let mut at = BTreeMap::new();
    let count = picture.processes.len();
    for (i, p) in picture.processes.iter().enumerate() {
        at.insert(Endpoint::Process(p.id), process_position(i, count));
    }
    let count = picture.servers.len();
    for (i, s) in picture.servers.iter().enumerate() {
        at.insert(Endpoint::Server(s.id), server_position(i, count));
    }
    at.insert(Endpoint::Resource, RESOURCE);
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    // Plain logic: tested natively by `cargo test`, and in the browser by `wasm-pack test`.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn positions_stay_inside_the_picture() {
        for count in [1, 5, 24, 50, 60, 200] {
            for i in 0..count {
                let (x, y) = process_position(i, count);
                assert!(x > 0.0 && x < WIDTH && y > 0.0 && y < HEIGHT, "{i}/{count}");
            }
        }
    }
}
