//! The `news` command line: parse the arguments, run the command, map its
//! outcome to an exit code (DESIGN.md §4).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
