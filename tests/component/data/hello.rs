// A small Rust std program on WASI preview1 (Debian's rustc --target
// wasm32-wasi), turned into a component by `jco new` with jco's preview1
// command adapter (tests/component/build-real.sh). It touches args, env,
// stdout/stderr, files, directories and clocks so the adapted component
// imports a realistic set of WASI interfaces; it is inspected, never run.
use std::env;
use std::fs;
use std::io::Write;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

fn main() {
    let t0 = Instant::now();
    let args: Vec<String> = env::args().collect();
    let home = env::var("HOME").unwrap_or_else(|_| "-".to_string());
    println!("hello {} {}", args.len(), home);
    match fs::read_to_string("/tmp/x") {
        Ok(s) => println!("/tmp/x: {} bytes", s.len()),
        Err(e) => eprintln!("/tmp/x: {:?}", e.kind()),
    }
    if let Ok(entries) = fs::read_dir(".") {
        println!("entries: {}", entries.count());
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let _ = writeln!(std::io::stdout(), "time {} {:?}", now > 0, t0.elapsed() < std::time::Duration::from_secs(60));
}
