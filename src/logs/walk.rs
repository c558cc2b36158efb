//! A glob expanded within bounds: a walk from the folder before its first wildcard that never
//! enters a folder twice (a symbolic link to a parent is a loop, not a deeper tree), looks at
//! no more than `MAX_ENTRIES` entries for no longer than `MAX_TIME`, and stops at `MAX_MATCHES`
//! files. A glob past a bound is an error naming it: its source is reported and skipped.
//! Blocking: run it off the runtime.

use std::collections::HashSet;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Files one glob may match.
pub const MAX_MATCHES: usize = 4096;
/// Entries a walk may look at.
pub const MAX_ENTRIES: usize = 200_000;
/// Folders below the glob's base a `**` may go down.
const MAX_DEPTH: usize = 32;
/// Time a walk may take.
const MAX_TIME: Duration = Duration::from_secs(2);

/// Whether a path has wildcards.
pub fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// The regular files and FIFOs `glob` matches, sorted; errors do not repeat the glob (the
/// caller names its source).
pub fn expand(glob: &str) -> Result<Vec<PathBuf>, String> {
    let pattern = glob::Pattern::new(glob).map_err(|e| e.to_string())?;
    let opts = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    let parts: Vec<&str> = glob.split('/').collect();
    let Some(first) = parts.iter().position(|p| is_glob(p)) else {
        return Ok(vec![PathBuf::from(glob)]);
    };
    let base = match parts[..first].join("/") {
        b if b.is_empty() && glob.starts_with('/') => "/".to_string(),
        b => b,
    };
    let rest = &parts[first..];
    let depth = if rest.iter().any(|p| p.contains("**")) {
        MAX_DEPTH
    } else {
        rest.len()
    };
    let started = Instant::now();
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    let mut entries = 0;
    let mut stack = vec![(PathBuf::from(base), 0)];
    while let Some((dir, d)) = stack.pop() {
        let at = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &dir
        };
        let Ok(meta) = std::fs::metadata(at) else {
            continue;
        };
        // A folder seen before (a loop, or a second link to it) is not walked again.
        if !seen.insert((meta.dev(), meta.ino())) {
            continue;
        }
        let Ok(list) = std::fs::read_dir(at) else {
            continue;
        };
        for e in list.flatten() {
            entries += 1;
            if entries > MAX_ENTRIES || started.elapsed() > MAX_TIME {
                return Err(format!(
                    "more than {MAX_ENTRIES} entries or {} s to look through: not followed (narrow the glob)",
                    MAX_TIME.as_secs()
                ));
            }
            let path = dir.join(e.file_name());
            let Ok(m) = std::fs::metadata(&path) else {
                continue;
            };
            let t = m.file_type();
            if t.is_dir() {
                if d + 1 < depth {
                    stack.push((path, d + 1));
                }
            } else if (t.is_file() || t.is_fifo()) && pattern.matches_path_with(&path, opts) {
                found.push(path);
                if found.len() > MAX_MATCHES {
                    return Err(format!(
                        "more than {MAX_MATCHES} files: not followed (narrow the glob)"
                    ));
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path, glob: &str) -> Result<Vec<String>, String> {
        let g = format!("{}/{glob}", dir.display());
        expand(&g).map(|v| {
            v.iter()
                .map(|p| p.strip_prefix(dir).unwrap_or(p).display().to_string())
                .collect()
        })
    }

    #[test]
    fn globs_match_files_at_their_depth_and_double_stars_below() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in ["a.log", "b.txt", "x/c.log", "x/y/d.log", "x/y/z/e.log"] {
            std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            std::fs::write(d.join(f), "").unwrap();
        }
        assert_eq!(names(d, "*.log").unwrap(), ["a.log"]);
        assert_eq!(names(d, "*/*.log").unwrap(), ["x/c.log"]);
        assert_eq!(
            names(d, "**/*.log").unwrap(),
            ["a.log", "x/c.log", "x/y/d.log", "x/y/z/e.log"]
        );
    }

    #[test]
    fn a_symbolic_link_to_a_parent_is_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("x")).unwrap();
        std::fs::write(d.join("x/a.log"), "").unwrap();
        std::os::unix::fs::symlink(d, d.join("x/up")).unwrap();
        let found = names(d, "**/*.log").unwrap();
        assert_eq!(found, ["x/a.log"]);
    }

    #[test]
    fn a_glob_past_a_bound_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for i in 0..=MAX_MATCHES {
            std::fs::write(d.join(format!("{i}.log")), "").unwrap();
        }
        let err = names(d, "*.log").unwrap_err();
        assert!(
            err.contains(&format!("more than {MAX_MATCHES} files")),
            "{err}"
        );
    }
}
