// A Rust wasi:cli command (Debian's rustc, --target wasm32-wasi, no cargo) that
// imports demo:py/greet -- `greet: func(name: string) -> string`, exported by the
// Python component in ../shared/python -- and prints what it returns.
// tests/compose/suite-e2e.sh makes it a component with `wcompose new` (the
// component-type object comes from `wit-gen c` on rsapp.wit) and composes it with
// the Python component.
//
// The canonical ABI by hand (CanonicalABI.md, "Flattening"): the import lowers
// to (ptr: i32, len: i32, retptr: i32) -- one string result flattens to two
// values, more than MAX_FLAT_RESULTS = 1, so the callee's string comes back
// through a return area: [ptr, len] at retptr. Its bytes are allocated in our
// memory by calling our `cabi_realloc` export.
//
// Constructors (the trap this program avoids): in a *command* module wasm-ld
// wraps every export -- cabi_realloc included -- in a call to
// __wasm_call_ctors (and __wasm_call_dtors after), unless the program
// references __wasm_call_ctors itself (then it assumes the program runs them).
// wasi-libc's constructors call WASI imports (environ, preopens); calling an
// import from inside cabi_realloc traps, because the canonical ABI clears
// may_leave while realloc runs (definitions.py LiftLowerContext / CanonicalABI.md
// "canon lower": "trap_if(not task.inst.may_leave)"). So, as wit-bindgen's
// `run_ctors_once` does, this program references __wasm_call_ctors and runs the
// constructors once, at the start of main; cabi_realloc then stays a plain
// allocator. Built with `--cfg wrapped` it does not, and the wrapped
// cabi_realloc traps (the suite checks that too, and that wcompose new warns).
use std::alloc::{alloc, dealloc, realloc, Layout};
use std::env;

#[link(wasm_import_module = "demo:py/greet")]
extern "C" {
    #[link_name = "greet"]
    fn py_greet(ptr: *const u8, len: usize, retptr: *mut usize);
}

#[cfg(not(wrapped))]
extern "C" {
    fn __wasm_call_ctors();
}

#[cfg(not(wrapped))]
fn run_ctors_once() {
    static mut DONE: bool = false;
    unsafe {
        if !DONE {
            DONE = true;
            __wasm_call_ctors();
        }
    }
}

#[cfg(wrapped)]
fn run_ctors_once() {}

/// The canonical ABI's realloc (CanonicalABI.md, "canon lift/lower" options):
/// (old ptr, old size, align, new size) -> new ptr; traps (unreachable) when
/// out of memory, as the ABI has no error channel here.
#[no_mangle]
pub unsafe extern "C" fn cabi_realloc(old: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
    if new_size == 0 {
        return align as *mut u8;
    }
    let p = if old_size == 0 {
        alloc(Layout::from_size_align_unchecked(new_size, align))
    } else {
        realloc(old, Layout::from_size_align_unchecked(old_size, align), new_size)
    };
    if p.is_null() {
        std::process::abort();
    }
    p
}

/// Calls the imported greet: lowers `name`, lifts the returned string and frees
/// the callee's allocation (the caller owns it: CanonicalABI.md, "lift_string").
fn greet(name: &str) -> String {
    let mut ret = [0usize; 2];
    unsafe {
        py_greet(name.as_ptr(), name.len(), ret.as_mut_ptr());
        let (ptr, len) = (ret[0] as *mut u8, ret[1]);
        let s = String::from_utf8_lossy(std::slice::from_raw_parts(ptr, len)).into_owned();
        if len > 0 {
            dealloc(ptr, Layout::from_size_align_unchecked(len, 1));
        }
        s
    }
}

fn main() {
    run_ctors_once();
    let args: Vec<String> = env::args().skip(1).collect();
    let names = if args.is_empty() { vec!["Rust".to_string(), "héllo ✓".to_string()] } else { args };
    for n in &names {
        println!("rust: greet({:?}) = {}", n, greet(n));
    }
}
