/// A failed allocation ends with a Chinese message, the terminal restored
/// and a crash log (src/crash.rs).
#[global_allocator]
static ALLOC: djtz::crash::Guarded = djtz::crash::Guarded;

fn main() {
    std::process::exit(djtz::cli::main_with_args(std::env::args_os()));
}
