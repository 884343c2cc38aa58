//! Entry point of the page built by Trunk.

fn main() {
    zooscope_web::start();
}
