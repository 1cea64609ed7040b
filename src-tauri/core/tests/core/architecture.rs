//! The core's layers, held as ARCHITECTURE.md draws them: no module of `src/` depends on one
//! that depends back on it, however far round, and only `documents/pdf.rs` names printpdf.
//!
//! Only `db/` names rusqlite, and `db/` holds no words for the user and no long function.
//!
//! A module's dependencies are the paths its code names (`use crate::a::b`, `super::c::d()`,
//! `crate::e::f` in a body, `$crate::` in a macro), each resolved to the deepest module it
//! reaches; a parent's `pub use` of its own children's items is a re-export, not a
//! dependency. A file's unit tests (from its top-level `#[cfg(test)]` on) are left out, and so is
//! `lib.rs`, which only declares the modules and re-exports them for the shells.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every module of the core: its path (`db::members`) and its source before its unit tests.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    let mut out = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        if parts == ["lib"] {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code: Vec<&str> = text
            .lines()
            .take_while(|l| *l != "#[cfg(test)]")
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect();
        out.insert(parts.join("::"), code.join("\n"));
    }
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The paths a `use` tree names, whole: `a::{b, c::{d, e}}` gives `a::b`, `a::c::d`, `a::c::e`.
fn use_paths(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree.trim_end_matches("::*").to_string()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| {
            use_paths(p).into_iter().map(move |sub| match sub.as_str() {
                "self" => prefix.trim_end_matches("::").to_string(),
                _ => format!("{prefix}{sub}"),
            })
        })
        .collect()
}

/// Every path the code names that starts at the crate, this module or a parent of it, each
/// with whether a `pub use` names it (a re-export: a parent showing its children's items).
fn named_paths(code: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut lines = code.lines();
    while let Some(line) = lines.next() {
        let line = line.trim_start();
        let Some(at) = line.find("use ") else {
            continue;
        };
        if !matches!(&line[..at], "" | "pub " | "pub(crate) " | "pub(super) ") {
            continue;
        }
        let mut stmt = line[at + 4..].to_string();
        while !stmt.contains(';') {
            match lines.next() {
                Some(more) => stmt.push_str(more),
                None => break,
            }
        }
        let export = line.starts_with("pub");
        out.extend(
            use_paths(stmt.split(';').next().unwrap_or(""))
                .into_iter()
                .map(|p| (p, export)),
        );
    }
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        for (at, _) in code.match_indices(start) {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                continue;
            }
            let path: String = code[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push((path.trim_end_matches(':').to_string(), false));
        }
    }
    out
}

/// The module `path` (as written in module `from`) depends on, if it is one of `known`.
fn resolve(from: &str, path: &str, known: &BTreeMap<String, String>) -> Option<String> {
    let mut here: Vec<&str> = from.split("::").collect();
    let mut segments: Vec<&str> = path.split("::").collect();
    let mut absolute: Vec<&str> = match segments.first().copied() {
        Some("crate" | "$crate") => {
            segments.remove(0);
            Vec::new()
        }
        Some("super" | "self") => {
            while segments.first() == Some(&"super") {
                segments.remove(0);
                here.pop();
            }
            if segments.first() == Some(&"self") {
                segments.remove(0);
            }
            here
        }
        // `use child::x` in a module that declares `mod child`.
        Some(first) if known.contains_key(&format!("{from}::{first}")) => here,
        _ => return None,
    };
    let mut found = Some(absolute.join("::")).filter(|m| known.contains_key(m));
    for s in segments {
        absolute.push(s);
        let candidate = absolute.join("::");
        if known.contains_key(&candidate) {
            found = Some(candidate);
        }
    }
    found.filter(|m| m != from)
}

/// The module's own children that its code names by a relative path (`backup::f()`).
fn children_named(name: &str, code: &str, known: &BTreeMap<String, String>) -> Vec<String> {
    let bytes = code.as_bytes();
    known
        .keys()
        .filter_map(|m| {
            let child = m.strip_prefix(name)?.strip_prefix("::")?;
            let named = code.match_indices(&format!("{child}::")).any(|(at, _)| {
                let before = at.checked_sub(1).map(|i| bytes[i]);
                let line = code[..at].rsplit('\n').next().unwrap_or("");
                !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
                    && !line.trim_start().starts_with("pub use")
            });
            (!child.contains("::") && named).then(|| m.clone())
        })
        .collect()
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    modules
        .iter()
        .map(|(name, code)| {
            let deps = named_paths(code)
                .iter()
                .filter_map(|(p, export)| {
                    let to = resolve(name, p, &modules)?;
                    let own_child = to.starts_with(&format!("{name}::"));
                    (!(*export && own_child)).then_some(to)
                })
                .chain(children_named(name, code, &modules))
                .collect();
            (name.clone(), deps)
        })
        .collect()
}

/// The graph's strongly connected components of more than one module (Tarjan's algorithm).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found
}

#[test]
fn the_cores_modules_depend_on_each_other_without_cycles() {
    let graph = graph();
    // The reading of the code is itself checked: these dependencies are known to exist.
    for (from, to) in [
        ("db::members", "db"),
        ("db::members", "member"),
        ("exchange::import", "exchange::sheet"),
        ("documents::pdf", "documents::fonts"),
        ("member", "labelled"),
        ("labelled", "lang"),
        ("db", "db::schema"),
    ] {
        assert!(
            graph[from].contains(to),
            "{from} should be seen to use {to}: {:?}",
            graph[from]
        );
    }
    let found = cycles(&graph);
    let described: Vec<String> = found
        .iter()
        .map(|c| {
            let edges: Vec<String> = c
                .iter()
                .flat_map(|a| {
                    graph[a]
                        .iter()
                        .filter(|b| c.contains(b))
                        .map(move |b| format!("{a} -> {b}"))
                })
                .collect();
            edges.join(", ")
        })
        .collect();
    assert!(
        found.is_empty(),
        "modules that depend on each other (move what both need into a module below them, \
         see ARCHITECTURE.md):\n{}",
        described.join("\n")
    );
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, b) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")] {
        g.entry(a.into()).or_default().insert(b.into());
        g.entry(b.into()).or_default();
    }
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"]]);
    g.get_mut("c").unwrap().remove("a");
    assert!(cycles(&g).is_empty());
}

#[test]
fn use_trees_are_read_whole() {
    assert_eq!(
        use_paths("crate::a::{b, c::{d, self}}"),
        ["crate::a::b", "crate::a::c::d", "crate::a::c"]
    );
    assert_eq!(use_paths("super::x::*"), ["super::x"]);
}

#[test]
fn only_storage_names_sqlite() {
    let named: Vec<String> = modules()
        .into_iter()
        .filter(|(_, code)| code.contains("rusqlite"))
        .map(|(m, _)| m)
        .filter(|m| m != "db" && !m.starts_with("db::"))
        .collect();
    assert!(named.is_empty(), "rusqlite named outside db/: {named:?}");
}

#[test]
fn only_the_pdf_writer_names_printpdf() {
    let named: Vec<String> = modules()
        .into_iter()
        .filter(|(_, code)| code.contains("printpdf::") || code.contains("use printpdf"))
        .map(|(m, _)| m)
        .collect();
    assert_eq!(named, ["documents::pdf"]);
}

/// Storage fetches, checks by calling the domain, and writes: the words a user reads (any
/// Chinese text, here) and the charter's rules live in the domain modules, never in `db/`.
#[test]
fn storage_holds_no_words_for_the_user() {
    let worded: Vec<String> = modules()
        .into_iter()
        .filter(|(m, _)| m == "db" || m.starts_with("db::"))
        .flat_map(|(m, code)| {
            code.lines()
                .filter(|l| l.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
                .map(|l| format!("{m}: {}", l.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        worded.is_empty(),
        "user text in db/ (make it a function of the domain module):\n{}",
        worded.join("\n")
    );
}

/// A function in `db/` reads in one screen or two: about 80 lines at most.
#[test]
fn storage_functions_stay_short() {
    let mut long = Vec::new();
    for (m, code) in modules().into_iter().filter(|(m, _)| m.starts_with("db")) {
        let lines: Vec<&str> = code.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let body = l.trim_start();
            let indent = l.len() - body.len();
            let name = ["fn ", "pub fn ", "pub(super) fn ", "pub(crate) fn "]
                .iter()
                .find_map(|p| body.strip_prefix(p));
            let Some(name) = name else { continue };
            let end = lines[i + 1..]
                .iter()
                .position(|e| e.len() == indent + 1 && e.ends_with('}') && e.trim() == "}")
                .map_or(0, |n| n + 1);
            if end > 90 {
                long.push(format!(
                    "{m}::{} ({end} lines)",
                    &name[..name.find('(').unwrap_or(0)]
                ));
            }
        }
    }
    assert!(long.is_empty(), "split these: {long:?}");
}
