//! Fuzzy ranking speed: ranks 50,000 synthetic project paths for 3-letter queries (the
//! `@` file picker on a big project) and prints the time of each query.
//! `cargo bench --bench fuzzy`.

use ocw_tui::ui::fuzzy::{Fuzzy, Kind};
use std::time::Instant;

fn main() {
    let dirs = [
        "src", "lib", "tests", "docs", "packages", "crates", "app", "web", "internal", "vendor",
    ];
    let subs = [
        "ui", "model", "backend", "util", "core", "net", "io", "parser", "render", "config",
    ];
    let stems = [
        "main",
        "index",
        "widget",
        "picker",
        "session",
        "message",
        "state",
        "handler",
        "types",
        "fuzzy",
        "search",
        "clipboard",
        "theme",
        "input",
        "layout",
    ];
    let exts = ["rs", "ts", "tsx", "md", "json", "go", "py"];
    let mut paths = Vec::with_capacity(50_000);
    let mut i = 0usize;
    while paths.len() < 50_000 {
        paths.push(format!(
            "{}/{}/{}/{}_{}.{}",
            dirs[i % dirs.len()],
            subs[(i / 10) % subs.len()],
            format_args!("m{:03}", (i / 100) % 500),
            stems[(i / 7) % stems.len()],
            i,
            exts[i % exts.len()]
        ));
        i += 1;
    }
    let mut fuzzy = Fuzzy::new(Kind::Paths);
    // Warm-up (allocations, caches).
    fuzzy.rank("abc", &paths, 200, 50);
    println!(
        "fuzzy rank of {} paths (top 200 kept, 50 highlighted):",
        paths.len()
    );
    for q in ["mai", "wpk", "src", "zzq"] {
        let runs = 5;
        let t = Instant::now();
        let mut total = 0;
        for _ in 0..runs {
            total = fuzzy.rank(q, &paths, 200, 50).total;
        }
        let per = t.elapsed().as_secs_f64() * 1000.0 / runs as f64;
        println!("  query {q:?}: {per:.2} ms ({total} matched)");
    }
}
