//! A report as Markdown, for chat and wikis: the fleet first, then each host (`text` says
//! what; this sets it).

use std::fmt::Write;

use super::Report;
use super::text::{self, Section, Table};

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", r.title());
    section(&mut out, &text::fleet(&r.fleet));
    for h in &r.hosts {
        section(&mut out, &text::host(h));
    }
    out
}

fn section(out: &mut String, s: &Section) {
    let _ = writeln!(out, "## {}\n\n{}\n", cell(&s.heading), s.text);
    for t in &s.tables {
        table(out, t);
    }
}

fn table(out: &mut String, t: &Table) {
    if !t.title.is_empty() {
        let _ = writeln!(out, "### {}\n", t.title);
    }
    let _ = writeln!(out, "| {} |", t.head.join(" | "));
    let rule: Vec<&str> = (t.right.iter())
        .map(|r| if *r { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "|{}|", rule.join("|"));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// The Markdown as plain text for a terminal: tables as aligned columns (numbers to the
/// right, as their separator row says), without the separator rows and code marks.
pub fn as_text(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut right: Vec<bool> = Vec::new();
    let flush = |table: &mut Vec<Vec<String>>, right: &[bool], out: &mut Vec<String>| {
        let cols = table.iter().map(Vec::len).max().unwrap_or(0);
        let width = |c: usize| {
            (table.iter())
                .map(|r| r.get(c).map_or(0, |x| x.chars().count()))
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..cols).map(width).collect();
        for row in table.drain(..) {
            let cells: Vec<String> = (row.iter().enumerate())
                .map(|(c, x)| match right.get(c).copied().unwrap_or(false) {
                    true => format!("{x:>w$}", w = widths[c]),
                    false => format!("{x:<w$}", w = widths[c]),
                })
                .collect();
            out.push(cells.join("  ").trim_end().to_string());
        }
    };
    for line in md.lines() {
        let Some(inner) = line.strip_prefix('|').and_then(|l| l.strip_suffix('|')) else {
            flush(&mut table, &right, &mut out);
            out.push(line.to_string());
            continue;
        };
        let cells: Vec<String> = inner
            .split('|')
            .map(|c| c.trim().replace('`', ""))
            .collect();
        if cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
        {
            right = cells.iter().map(|c| c.ends_with(':')).collect();
            continue;
        }
        table.push(cells);
    }
    flush(&mut table, &right, &mut out);
    out
}

/// Text made safe for a table cell: no `|`, no line breaks, no control characters.
fn cell(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '|' => '¦',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_become_aligned_columns() {
        let md = "# T\n\n| rule | fired |\n|---|---:|\n| cpu_high | 2 |\n| x | 10 |\nend";
        assert_eq!(
            as_text(md),
            [
                "# T",
                "",
                "rule      fired",
                "cpu_high      2",
                "x            10",
                "end"
            ]
        );
    }

    #[test]
    fn cells_keep_to_their_cell() {
        assert_eq!(cell("a|b\nc"), "a¦b c");
    }
}
