// A Rust std program on WASI preview1 (built by Debian's rustc with
// --target wasm32-wasi when libstd-rust-dev-wasm32 is installed): args, env,
// files and directories through std::fs inside the preopen given as argv[1].
use std::env;
use std::fs;
use std::io::{Read, Write};

fn main() {
    let args: Vec<String> = env::args().collect();
    let dir = args.get(1).cloned().unwrap_or_else(|| "/sandbox".to_string());
    println!("args: {:?}", &args[1..]);
    let mut vars: Vec<(String, String)> = env::vars().collect();
    vars.sort();
    println!("env: {:?}", vars);
    let input = fs::read_to_string(format!("{}/in.txt", dir)).expect("read in.txt");
    println!("in.txt: {:?}", input);
    fs::create_dir_all(format!("{}/rust/a/b", dir)).expect("mkdir");
    let mut f = fs::File::create(format!("{}/rust/a/b/out.txt", dir)).expect("create");
    writeln!(f, "{}", input.trim().to_uppercase()).unwrap();
    drop(f);
    let mut s = String::new();
    fs::File::open(format!("{}/rust/a/b/out.txt", dir)).unwrap().read_to_string(&mut s).unwrap();
    println!("out.txt: {:?}", s);
    let mut names: Vec<String> = fs::read_dir(format!("{}/rust/a", dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    println!("ls rust/a: {:?}", names);
    println!("meta len: {}", fs::metadata(format!("{}/rust/a/b/out.txt", dir)).unwrap().len());
    match fs::read_to_string("/etc/passwd") {
        Ok(_) => println!("/etc/passwd: READ"),
        Err(e) => println!("/etc/passwd: refused ({:?})", e.kind()),
    }
    fs::rename(format!("{}/rust/a/b/out.txt", dir), format!("{}/rust/moved.txt", dir)).unwrap();
    fs::remove_dir_all(format!("{}/rust/a", dir)).unwrap();
    std::process::exit(3);
}
