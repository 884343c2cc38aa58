//! `zooscope`: the native front-end of Zooscope.

fn main() {
    println!("zooscope {}", env!("CARGO_PKG_VERSION"));
}
