//! Build script. Always: compiles the C harness of the host tests (tests/c/harness.c) when
//! building for the host. With `--features regen`: regenerates the committed C header and its
//! export list (cbindgen) and the Rust host declarations (bindgen), or checks that they are fresh.

use std::env;
use std::path::Path;

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    for watched in [
        "tests/c",
        "include",
        "cmodule/host.h",
        "cmodule/track.h",
        "cbindgen.toml",
    ] {
        println!("cargo:rerun-if-changed={watched}");
    }
    println!("cargo:rerun-if-env-changed=MM_REGEN");

    #[cfg(feature = "regen")]
    regen::run(root);

    // Only the unit-test binary links the harness (src/ffi/tests.rs); a firmware staticlib
    // must not carry it, so no link directive is emitted for it here. It is compiled for the
    // machine's own CPU, and for i686 on x86-64 (the 32-bit run of make test's test-rust), never
    // for a firmware's cross target, whose C compiler need not be there.
    let (target, host) = (env::var("TARGET"), env::var("HOST"));
    let i686_on_x86_64 = target.as_deref() == Ok("i686-unknown-linux-gnu")
        && host.as_deref() == Ok("x86_64-unknown-linux-gnu");
    if target == host || i686_on_x86_64 {
        cc::Build::new()
            .file(root.join("tests/c/harness.c"))
            .include(root.join("include"))
            .include(root.join("cmodule"))
            .flag_if_supported("-std=c11")
            .warnings(true)
            .extra_warnings(true)
            .warnings_into_errors(true)
            .cargo_metadata(false)
            .compile("mm_harness");
        let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
        println!("cargo:rustc-link-search=native={out}");
    }
}

#[cfg(feature = "regen")]
mod regen {
    use std::path::Path;
    use std::{env, fs};

    const HEADER: &str = "include/memorymonitor.h";
    const EXPORTS: &str = "include/memorymonitor.exports";
    const HOST: &str = "src/host.rs";

    pub fn run(root: &Path) {
        let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("regen");
        fs::create_dir_all(&out).expect("create OUT_DIR/regen");

        let config =
            cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("read cbindgen.toml");
        let mut header = Vec::new();
        let bindings = cbindgen::Builder::new()
            .with_crate(root)
            .with_config(config)
            .generate()
            .expect("cbindgen could not read src/");
        bindings.write(&mut header);
        // What tools/build-core.sh keeps of the core (`ld -r -u`), and what the checks expect it
        // to define: the functions and data the header declares, by name.
        let mut exports: Vec<String> = bindings
            .functions
            .iter()
            .map(|f| f.path.name())
            .chain(bindings.globals.iter().map(|g| g.path.name()))
            .map(|name| format!("{name}\n"))
            .collect();
        exports.sort();
        // bindgen reads host.h against the header just made, not the committed one.
        fs::write(out.join("memorymonitor.h"), &header).expect("write the fresh header");

        let host = bindgen::Builder::default()
            .header(root.join("cmodule/host.h").to_string_lossy())
            .clang_arg(format!("-I{}", out.display()))
            .allowlist_function("mm_host_.*")
            .allowlist_recursively(false)
            .raw_line(
                "//! What the core asks of its host: `cmodule/host.h`, by bindgen (make regen).",
            )
            .raw_line("")
            .raw_line("use crate::monitor::{Monitor as mm_monitor_t, Tally as mm_tally_t};")
            .use_core()
            .layout_tests(false)
            .generate()
            .expect("bindgen could not read cmodule/host.h (is libclang installed?)")
            .to_string();

        sync(root, HEADER, &header);
        sync(root, EXPORTS, exports.concat().as_bytes());
        sync(root, HOST, host.as_bytes());
    }

    /// With MM_REGEN=write, writes `fresh` over the committed file; otherwise fails the build
    /// when they differ.
    fn sync(root: &Path, file: &str, fresh: &[u8]) {
        let path = root.join(file);
        if fs::read(&path).ok().as_deref() == Some(fresh) {
            return;
        }
        if env::var("MM_REGEN").as_deref() == Ok("write") {
            fs::write(&path, fresh).unwrap_or_else(|e| panic!("write {file}: {e}"));
        } else {
            eprintln!("memorymonitor: {file} is stale: run `make regen` and commit it");
            std::process::exit(1);
        }
    }
}
