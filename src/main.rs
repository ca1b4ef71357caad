fn main() {
    std::process::exit(djtz::cli::main_with_args(std::env::args_os()));
}
