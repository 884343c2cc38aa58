//! What the binary's integration tests share.

/// Runs the `zooscope` binary with `args`.
pub fn zooscope(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_zooscope"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("the zooscope binary does not run: {e}"))
}
