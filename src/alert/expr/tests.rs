use std::collections::HashMap;

use super::*;

struct Ctx(HashMap<&'static str, f64>);

impl EvalContext for Ctx {
    fn value(&self, metric: &str) -> Option<f64> {
        self.0.get(metric).copied()
    }
    fn window(&self, func: Func, metric: &str, window_ms: i64) -> Option<f64> {
        // A stand-in: the latest value, scaled so the test can see which call was made.
        let v = self.value(metric)?;
        Some(match func {
            Func::Avg => v,
            Func::Max => v + 1.0,
            Func::Min => v - 1.0,
            Func::Rate => v / (window_ms as f64 / 1000.0),
        })
    }
}

fn ctx() -> Ctx {
    Ctx(HashMap::from([
        ("app.article_rate", 50.0),
        ("app.error_rate", 3.0),
        ("cpu", 85.0),
        ("load1", 4.0),
        ("cores", 2.0),
    ]))
}

fn eval(src: &str) -> Option<f64> {
    parse(src)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
        .eval(&ctx())
}

#[test]
fn evaluation_table() {
    for (src, want) in [
        ("app.article_rate < 100 and app.error_rate > 2.0", Some(1.0)),
        ("app.article_rate < 10 or app.error_rate > 2", Some(1.0)),
        ("not cpu > 90", Some(1.0)),
        ("avg(cpu, 5m) > 80", Some(1.0)),
        ("max(cpu, 1m) == 86", Some(1.0)),
        ("min(cpu, 1m) <= 84", Some(1.0)),
        ("rate(app.error_rate, 3s)", Some(1.0)),
        ("load1 / cores > 1.5", Some(1.0)),
        ("1 + 2 * 3", Some(7.0)),
        ("(1 + 2) * 3", Some(9.0)),
        ("-cpu + 100", Some(15.0)),
        ("2 - 1 - 1", Some(0.0)),
        ("cpu != 85 || !(load1 >= 4) && 1", Some(0.0)),
        // Missing data: unknown, except where and/or can decide without it.
        ("missing > 1", None),
        ("missing > 1 and cpu > 90", Some(0.0)),
        ("missing > 1 or cpu > 80", Some(1.0)),
        ("cpu / 0", None),
    ] {
        assert_eq!(eval(src), want, "{src}");
    }
}

#[test]
fn errors_name_the_column_and_what_was_expected() {
    for (src, column, expected, found) in [
        (
            "cpu >",
            6,
            "a metric, a number, a function or `(`",
            "end of expression",
        ),
        (
            "cpu > 90 90",
            10,
            "an operator or the end of the expression",
            "number 90",
        ),
        (
            "avg(cpu 5m)",
            9,
            "`,` and a window like 5m",
            "duration 300000ms",
        ),
        ("avg(cpu, 90)", 10, "a window like 5m", "number 90"),
        ("(cpu > 1", 9, "`)`", "end of expression"),
        (
            "cpu # 2",
            5,
            "a metric, a number, an operator or a parenthesis",
            "`#`",
        ),
        (
            "sum(cpu, 5m)",
            1,
            "one of the functions avg, max, min, rate",
            "`sum`",
        ),
        (
            "cpu > 5 parsecs",
            9,
            "an operator or the end of the expression",
            "`parsecs`",
        ),
        (
            "and cpu",
            1,
            "a metric, a number, a function or `(`",
            "`and`",
        ),
    ] {
        let e = parse(src).expect_err(src);
        assert_eq!(
            (e.column, e.expected.as_str(), e.found.as_str()),
            (column, expected, found),
            "{src}"
        );
    }
    assert_eq!(
        parse("cpu >").unwrap_err().to_string(),
        "column 6: expected a metric, a number, a function or `(`, found end of expression"
    );
}

#[test]
fn lists_the_metrics_it_reads() {
    let e = parse("avg(cpu, 5m) > 80 and load1 / cores > 2").unwrap();
    assert_eq!(e.metrics(), ["cpu", "load1", "cores"]);
}

#[test]
fn deep_or_huge_expressions_are_errors_not_a_stack_overflow() {
    let nested = format!("{}load1{} > 1", "(".repeat(100), ")".repeat(100));
    let e = parse(&nested).unwrap_err().to_string();
    assert!(e.contains("at most 64 levels of nesting"), "{e}");
    let negated = format!("{}load1 > 1", "-".repeat(500));
    assert!(parse(&negated).unwrap_err().to_string().contains("nesting"));
    for huge in [
        format!("{}load1{} > 1", "(".repeat(5_000), ")".repeat(5_000)),
        format!("{}load1 > 1", "-".repeat(50_000)),
    ] {
        assert!(parse(&huge).is_err());
    }
    let nots = format!("{}load1 > 1", "not ".repeat(100));
    assert!(parse(&nots).unwrap_err().to_string().contains("nesting"));
    let chain = format!("load1{} > 1", " + load1".repeat(100_000));
    let e = parse(&chain).unwrap_err().to_string();
    assert!(e.contains("at most 1000 tokens"), "{e}");
    // Within the bounds all is as before.
    let fine = format!("{}load1{} > 1", "(".repeat(60), ")".repeat(60));
    assert!(parse(&fine).is_ok());
}
