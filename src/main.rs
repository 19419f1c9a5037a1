//! The `sim` binary: everything happens in [`sim::cli::main`].

fn main() -> std::process::ExitCode {
    sim::cli::main()
}
