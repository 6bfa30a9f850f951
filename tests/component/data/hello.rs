// A small Rust std program on WASI preview1 (Debian's rustc --target
// wasm32-wasi), turned into a component by `jco new` with jco's preview1
// command adapter (tests/component/build-real.sh). It touches args, env,
// stdout/stderr, files, directories and clocks so the adapted component
// imports a realistic set of WASI interfaces.
//
// Run with HELLO_DIR naming a preopened directory (tests/component-exec/
// suite-preopen.sh: the same directory for wrun --dir and jco run), it reads
// HELLO_DIR/input.txt, lists HELLO_DIR (names sorted, `/` after directories),
// reads a file in its subdirectory and tries a `..` escape, which the sandbox
// refuses. Without HELLO_DIR it reads /tmp/x and lists "." (what the other
// suites compare: no preopen, or `/` preopened).
use std::env;
use std::fs;
use std::io::Write;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

fn preopened(dir: &str) {
    let file = format!("{}/input.txt", dir);
    match fs::read_to_string(&file) {
        Ok(s) => {
            println!("{}: {} bytes, {} lines", file, s.len(), s.lines().count());
            for (i, l) in s.lines().enumerate() {
                println!("{}: {}", i + 1, l);
            }
        }
        Err(e) => eprintln!("{}: {:?}", file, e.kind()),
    }
    match fs::read_dir(dir) {
        Ok(entries) => {
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| {
                    let d = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
                    format!("{}{}", e.file_name().to_string_lossy(), if d { "/" } else { "" })
                })
                .collect();
            names.sort();
            println!("entries: {} {}", names.len(), names.join(" "));
        }
        Err(e) => eprintln!("{}: {:?}", dir, e.kind()),
    }
    let sub = format!("{}/sub/note.txt", dir);
    match fs::metadata(&sub) {
        Ok(m) => println!("{}: {} bytes, file {}", sub, m.len(), m.is_file()),
        Err(e) => eprintln!("{}: {:?}", sub, e.kind()),
    }
    let esc = format!("{}/../escape.txt", dir);
    match fs::read_to_string(&esc) {
        Ok(s) => println!("{}: read {} bytes", esc, s.len()),
        Err(_) => println!("{}: refused", esc),
    }
}

fn main() {
    let t0 = Instant::now();
    let args: Vec<String> = env::args().collect();
    let home = env::var("HOME").unwrap_or_else(|_| "-".to_string());
    println!("hello {} {}", args.len(), home);
    if let Ok(dir) = env::var("HELLO_DIR") {
        preopened(&dir);
    } else {
        match fs::read_to_string("/tmp/x") {
            Ok(s) => println!("/tmp/x: {} bytes", s.len()),
            Err(e) => eprintln!("/tmp/x: {:?}", e.kind()),
        }
        if let Ok(entries) = fs::read_dir(".") {
            println!("entries: {}", entries.count());
        }
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let _ = writeln!(std::io::stdout(), "time {} {:?}", now > 0, t0.elapsed() < std::time::Duration::from_secs(60));
}
